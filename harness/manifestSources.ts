// Reads the manifest texts that sim/manifests/load.ts parses: files, folders (recursively, only
// *.yaml / *.yml, in sorted path order so runs are deterministic) and "-" for standard input
// (e.g. `kustomize build | rehearse run ... -`). sim/ stays free of I/O; this is its only reader.

import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../sim/diagnostics.js';
import type { Diagnostic } from '../sim/diagnostics.js';
import type { ManifestSource } from '../sim/manifests/load.js';

export interface ReadManifestSourcesOptions {
  /** Reads all of standard input; defaults to reading file descriptor 0. */
  readonly readStdin?: () => string;
}

const YAML_FILE = /\.ya?ml$/i;

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function problem(file: string, message: string): Diagnostic {
  return { severity: 'error', file, line: 0, column: 0, field: '', message };
}

/** Lists YAML files under `dir`, depth first, sorted by path; follows symlinks once. */
function yamlFilesUnder(dir: string, seen: Set<string>, out: string[]): void {
  const real = realpathSync(dir);
  if (seen.has(real)) return;
  seen.add(real);
  const names = readdirSync(dir).sort(byCodeUnits);
  for (const name of names) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) yamlFilesUnder(path, seen, out);
    else if (stat.isFile() && YAML_FILE.test(name)) out.push(path);
  }
}

/**
 * Reads each path in order: a file as is (any extension), a folder as all its *.yaml/*.yml files,
 * "-" as standard input (named "<stdin>"). Throws InputError listing every path that cannot be read.
 */
export function readManifestSources(paths: readonly string[], options: ReadManifestSourcesOptions = {}): ManifestSource[] {
  const sources: ManifestSource[] = [];
  const problems: Diagnostic[] = [];
  let stdinRead = false;
  for (const path of paths) {
    if (path === '-') {
      if (stdinRead) {
        problems.push(problem('<stdin>', 'standard input ("-") can be given only once.'));
        continue;
      }
      stdinRead = true;
      try {
        sources.push({ name: '<stdin>', text: (options.readStdin ?? (() => readFileSync(0, 'utf8')))() });
      } catch (e) {
        problems.push(problem('<stdin>', `cannot read standard input: ${(e as Error).message}`));
      }
      continue;
    }
    try {
      const stat = statSync(path);
      if (stat.isDirectory()) {
        const files: string[] = [];
        yamlFilesUnder(path, new Set(), files);
        if (files.length === 0) problems.push(problem(path, 'this folder contains no *.yaml or *.yml files.'));
        for (const file of files) sources.push({ name: file, text: readFileSync(file, 'utf8') });
      } else {
        sources.push({ name: path, text: readFileSync(path, 'utf8') });
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
      problems.push(problem(path, `cannot read manifests: ${reason}.`));
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return sources;
}
