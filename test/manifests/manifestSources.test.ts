import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifestSources } from '../../harness/manifestSources.js';
import { InputError } from '../../sim/diagnostics.js';

const root = mkdtempSync(join(tmpdir(), 'rehearse-sources-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('readManifestSources', () => {
  it('reads files, folders recursively in sorted order, and stdin', () => {
    mkdirSync(join(root, 'app', 'b'), { recursive: true });
    writeFileSync(join(root, 'app', 'z.yaml'), 'z');
    writeFileSync(join(root, 'app', 'a.yml'), 'a');
    writeFileSync(join(root, 'app', 'b', 'c.YAML'), 'c');
    writeFileSync(join(root, 'app', 'notes.txt'), 'ignored');
    writeFileSync(join(root, 'single.txt'), 'single');
    const sources = readManifestSources([join(root, 'single.txt'), join(root, 'app'), '-'], { readStdin: () => 'from stdin' });
    expect(sources).toEqual([
      { name: join(root, 'single.txt'), text: 'single' },
      { name: join(root, 'app', 'a.yml'), text: 'a' },
      { name: join(root, 'app', 'b', 'c.YAML'), text: 'c' },
      { name: join(root, 'app', 'z.yaml'), text: 'z' },
      { name: '<stdin>', text: 'from stdin' },
    ]);
  });

  it('reports every unreadable path as an InputError', () => {
    mkdirSync(join(root, 'empty'), { recursive: true });
    let error: unknown;
    try {
      readManifestSources([join(root, 'missing.yaml'), join(root, 'empty')]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).diagnostics.map((d) => d.message)).toEqual([
      'cannot read manifests: no such file or folder.',
      'this folder contains no *.yaml or *.yml files.',
    ]);
  });
});
