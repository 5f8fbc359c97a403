// The fault catalogue documents itself: docs/faults.md and the `faults` part of
// docs/scenario.schema.json must be what the catalogue generates (regenerate with
// `rehearse faults --markdown > docs/faults.md` and `rehearse faults --json-schema`), and every
// kind's example must parse as a scenario's `faults:` entry.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { FAULT_KINDS } from '../../sim/faults/catalogue.js';
import { faultJsonSchema, faultsMarkdown } from '../../sim/faults/docs.js';
import { parseScenario } from '../../sim/scenario/parse.js';

describe('fault catalogue documentation', () => {
  it('docs/faults.md is up to date', () => {
    expect(readFileSync('docs/faults.md', 'utf8')).toBe(faultsMarkdown());
  });

  it('the JSON Schema of a faults entry is up to date', () => {
    const schema = JSON.parse(readFileSync('docs/scenario.schema.json', 'utf8')) as { properties: { spec: { properties: { faults: { items: unknown } } } } };
    expect(schema.properties.spec.properties.faults.items).toEqual(faultJsonSchema());
  });

  it.each([...FAULT_KINDS.values()].map((k) => [k.kind, k] as const))('the example of %s parses', (_kind, k) => {
    const entry = parseYaml(k.example) as unknown;
    const entries = Array.isArray(entry) ? entry : [entry];
    const text = JSON.stringify({
      apiVersion: 'rehearse.dev/v1alpha1',
      kind: 'Scenario',
      metadata: { name: 'x' },
      spec: { manifests: ['m'], faults: entries },
    });
    const s = parseScenario('example.yaml', text);
    expect(s.faults.map((f) => f.kind)).toEqual(entries.map(() => k.kind));
  });

  it('every kind has a description, and every parameter a description and a type', () => {
    for (const k of FAULT_KINDS.values()) {
      expect(k.description.length, k.kind).toBeGreaterThan(20);
      for (const [name, p] of Object.entries(k.params)) expect(p.description.length, `${k.kind}.${name}`).toBeGreaterThan(5);
    }
  });
});
