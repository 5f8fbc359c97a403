// docs/scenario.schema.json is what editors validate scenario files with; sim/scenario/parse.ts is
// what the CLI runs. These tests keep the two in step: the shipped scenarios pass both, both name
// exactly the same keys at every level, the documented defaults are the parser's, and invalid
// documents are rejected by both (the parser with file:line:column and the field path).
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { InputError, type Diagnostic } from '../../sim/diagnostics.js';
import type { FieldSchema } from '../../sim/manifests/schema.js';
import { SCENARIO_DEFAULTS } from '../../sim/scenario/defaults.js';
import { parseScenario, scenarioSchema } from '../../sim/scenario/parse.js';
import type { ScenarioSpec } from '../../sim/scenario/types.js';

interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string;
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly description?: string;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
}

const SCHEMA_PATH = 'docs/scenario.schema.json';
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JsonSchema;
// strict mode stays on: `description`, `default`, `$comment` are standard annotations ajv knows.
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);

const SCENARIO_DIR = 'scenarios';
const shipped = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Follows a local `$ref` (`#/$defs/name`); sibling keywords of the `$ref` are kept. */
function resolve(node: JsonSchema): JsonSchema {
  if (node.$ref === undefined) return node;
  const m = /^#\/\$defs\/(.+)$/.exec(node.$ref);
  const target = m ? schema.$defs?.[m[1]!] : undefined;
  if (!target) throw new Error(`unresolvable $ref ${node.$ref}`);
  return { ...resolve(target), ...node, $ref: undefined };
}

function schemaAccepts(doc: unknown): boolean {
  return validate(doc) === true;
}

function parseErrors(text: string, name = 'bad.yaml'): readonly Diagnostic[] {
  try {
    parseScenario(name, text);
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected parseScenario to reject the document');
}

const VALID = `apiVersion: rehearse.dev/v1alpha1
kind: Scenario
metadata:
  name: drill
spec:
  manifests: [manifests/checkout]
  until: 1h
  traffic:
    rps: 200
  change: { at: 1m, image: app:v2 }
  expect:
    outcome: aborted
    within: 5m
`;

describe('shipped scenarios', () => {
  it('exist', () => {
    expect(shipped.length).toBeGreaterThan(0);
  });

  it.each(shipped)('%s validates against the JSON Schema and parses', (file) => {
    const text = readFileSync(`${SCENARIO_DIR}/${file}`, 'utf8');
    const ok = schemaAccepts(parseYaml(text));
    expect(validate.errors ?? [], ajv.errorsText(validate.errors)).toEqual([]);
    expect(ok).toBe(true);
    expect(() => parseScenario(file, text)).not.toThrow();
  });

  it.each(shipped)('%s points editors at the schema on its first line', (file) => {
    const first = readFileSync(`${SCENARIO_DIR}/${file}`, 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=../docs/scenario.schema.json');
  });
});

/**
 * Feature documents under docs/ (blue-green.md, operator-actions.md, canary.md, ...) document their
 * own keys of the format, with example scenarios; together with README's reference they must name
 * and exercise every key, and every example scenario in them must validate and parse.
 */
const featureDocs = readdirSync('docs')
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => ({ file: `docs/${f}`, text: readFileSync(`docs/${f}`, 'utf8') }));
const yamlBlocks = (text: string): string[] => [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
/** Example scenarios of the feature documents: the YAML blocks that are whole Scenario documents. */
const featureExamples = featureDocs.flatMap((d) => yamlBlocks(d.text).filter((b) => /^kind: Scenario$/m.test(b)).map((b) => ({ file: d.file, example: b })));

describe('README.md scenario file reference', () => {
  const readme = readFileSync('README.md', 'utf8');
  const reference = readme.slice(readme.indexOf('## Scenario file reference'));

  it.each(featureExamples.map((e, i) => [e.file, i, e.example] as const))('%s: example scenario %i validates against the JSON Schema and parses', (_file, _i, example) => {
    expect(schemaAccepts(parseYaml(example)), ajv.errorsText(validate.errors)).toBe(true);
    expect(() => parseScenario('example.yaml', example)).not.toThrow();
  });

  it('its complete example validates against the JSON Schema and parses', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(reference)?.[1];
    expect(example).toBeDefined();
    expect(example!.split('\n')[0]).toBe('# yaml-language-server: $schema=../docs/scenario.schema.json');
    expect(schemaAccepts(parseYaml(example!)), ajv.errorsText(validate.errors)).toBe(true);
    expect(() => parseScenario('example.yaml', example!)).not.toThrow();
  });

  it('its example, with the feature documents\' examples, uses every key of the format', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(reference)![1]!;
    const used = new Set<string>();
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v !== null && typeof v === 'object') {
        for (const [k, c] of Object.entries(v)) {
          used.add(k);
          collect(c);
        }
      }
    };
    collect(parseYaml(example));
    // Every YAML block of the feature documents counts (some show only the keys of their feature).
    for (const d of featureDocs) for (const block of yamlBlocks(d.text)) collect(parseYaml(block));
    const missing: string[] = [];
    const visit = (fs: FieldSchema, path: string): void => {
      if (fs.type === 'object') {
        for (const [k, c] of Object.entries(fs.fields)) {
          if (!used.has(k)) missing.push(path === '' ? k : `${path}.${k}`);
          visit(c, path === '' ? k : `${path}.${k}`);
        }
      } else if (fs.type === 'list') visit(fs.items, `${path}[]`);
      else if (fs.type === 'map') visit(fs.values, `${path}{}`);
    };
    visit(scenarioSchema, '');
    expect(missing).toEqual([]);
  });

  it('its tables, with the feature documents, name every key of the format', () => {
    // Keys are written alone (`rps`) or as dotted paths (`spec.cluster.podStartup`, `latency.p50`).
    const documented = [reference, ...featureDocs.map((d) => d.text)].join('\n');
    const named = new Set([...documented.matchAll(/`([A-Za-z0-9.]+)`/g)].flatMap((m) => m[1]!.split('.')));
    const missing: string[] = [];
    const visit = (fs: FieldSchema, key: string): void => {
      if (key !== '' && !named.has(key)) missing.push(key);
      if (fs.type === 'object') for (const [k, c] of Object.entries(fs.fields)) visit(c, k);
      else if (fs.type === 'list') visit(fs.items, '');
      else if (fs.type === 'map') visit(fs.values, '');
    };
    visit(scenarioSchema, '');
    expect(missing).toEqual([]);
  });
});

describe('the JSON Schema and the parser name the same keys', () => {
  /** Walks the parser's FieldSchema and the JSON Schema together, collecting every mismatch. */
  function compare(fs: FieldSchema, node: JsonSchema, path: string, problems: string[]): void {
    const js = resolve(node);
    const where = path === '' ? '(root)' : path;
    if (js.description === undefined) problems.push(`${where}: no description`);
    switch (fs.type) {
      case 'object': {
        if (js.type !== 'object') problems.push(`${where}: JSON Schema type ${String(js.type)}, parser object`);
        const parserKeys = Object.keys(fs.fields).sort();
        const schemaKeys = Object.keys(js.properties ?? {}).sort();
        if (parserKeys.join() !== schemaKeys.join()) problems.push(`${where}: keys differ: parser [${parserKeys.join(', ')}], JSON Schema [${schemaKeys.join(', ')}]`);
        const parserRequired = Object.keys(fs.required ?? {}).sort();
        const schemaRequired = [...(js.required ?? [])].sort();
        if (parserRequired.join() !== schemaRequired.join()) problems.push(`${where}: required differ: parser [${parserRequired.join(', ')}], JSON Schema [${schemaRequired.join(', ')}]`);
        if (fs.open !== true && js.additionalProperties !== false) problems.push(`${where}: the parser rejects unknown keys but the JSON Schema allows them`);
        for (const key of parserKeys) {
          const child = js.properties?.[key];
          if (child) compare(fs.fields[key]!, child, path === '' ? key : `${path}.${key}`, problems);
        }
        return;
      }
      case 'list':
        if (js.type !== 'array' || !js.items) {
          problems.push(`${where}: the parser reads a list, the JSON Schema a ${String(js.type)}`);
          return;
        }
        if ((fs.nonEmpty !== undefined) !== ((js as { minItems?: number }).minItems === 1)) problems.push(`${where}: non-empty rule differs`);
        compare(fs.items, js.items, `${path}[]`, problems);
        return;
      case 'map':
        if (js.type !== 'object' || js.properties !== undefined || typeof js.additionalProperties !== 'object') {
          problems.push(`${where}: the parser reads a map of ${fs.values.type}, the JSON Schema does not`);
          return;
        }
        compare(fs.values, js.additionalProperties, `${path}{}`, problems);
        return;
      default: {
        if (js.properties !== undefined || js.items !== undefined) problems.push(`${where}: the parser reads a scalar, the JSON Schema a structure`);
        const scalarType = js.type ?? (js.const !== undefined ? typeof js.const : undefined);
        if (fs.type === 'string' && scalarType !== 'string') problems.push(`${where}: the parser reads a string, the JSON Schema ${String(scalarType)}`);
        if (fs.type === 'int64' && scalarType !== 'integer') problems.push(`${where}: the parser reads an integer, the JSON Schema ${String(scalarType)}`);
      }
    }
  }

  it('at every level, with the same required keys and no unknown keys', () => {
    const problems: string[] = [];
    compare(scenarioSchema, schema, '', problems);
    expect(problems).toEqual([]);
  });

  it('the comparison notices drift', () => {
    const problems: string[] = [];
    const drifted: FieldSchema = { ...scenarioSchema, fields: { ...scenarioSchema.fields, extra: { type: 'string' } } };
    compare(drifted, schema, '', problems);
    expect(problems).toEqual(['(root): keys differ: parser [apiVersion, extra, kind, metadata, spec], JSON Schema [apiVersion, kind, metadata, spec]']);
  });
});

describe('documented defaults', () => {
  /** The JSON Schema's `default` at a dotted path under spec (following $refs). */
  function defaultAt(path: string): unknown {
    let node = resolve(schema.properties!.spec!);
    for (const key of path.split('.')) node = resolve(node.properties![key]!);
    return node.default;
  }

  it('quote SCENARIO_DEFAULTS', () => {
    const d = SCENARIO_DEFAULTS;
    expect(defaultAt('seed')).toBe(d.seed);
    expect(defaultAt('until')).toBe('1h');
    expect(d.untilMs).toBe(3_600_000);
    expect(defaultAt('prometheusVersion')).toBe(d.prometheusVersion);
    expect(defaultAt('cluster.podStartup.median')).toBe('8s');
    expect(d.podStartup.medianMs).toBe(8_000);
    expect(defaultAt('cluster.podStartup.p99')).toBe('30s');
    expect(d.podStartup.p99Ms).toBe(30_000);
    expect(defaultAt('traffic.rps')).toBe(d.traffic.rps);
    expect(defaultAt('traffic.profile')).toBe('constant');
    expect(defaultAt('metrics.preset')).toBe('generic');
    expect(defaultAt('metrics.scrapeInterval')).toBe('15s');
    expect(d.metrics.scrapeIntervalMs).toBe(15_000);
    expect(defaultAt('metrics.errorCode')).toBe(d.metrics.errorCode);
    expect(defaultAt('defaultVersion.errorRate')).toBe('0.1%');
    expect(d.version.errorRatio).toBe(0.001);
    expect(defaultAt('defaultVersion.latency.p50')).toBe('40ms');
    expect(d.version.latencyP50Ms).toBe(40);
    expect(defaultAt('defaultVersion.latency.p99')).toBe('250ms');
    expect(d.version.latencyP99Ms).toBe(250);
  });

  it('writing every documented default explicitly parses to the same scenario as leaving it out', () => {
    /** Sets every `default` of `node`'s properties in `into`, recursively. */
    function fill(node: JsonSchema, into: Record<string, unknown>): void {
      for (const [key, child] of Object.entries(resolve(node).properties ?? {})) {
        const c = resolve(child);
        if (c.default !== undefined) into[key] = c.default;
        else if (c.type === 'object' && c.properties) {
          const sub = (into[key] ?? {}) as Record<string, unknown>;
          fill(c, sub);
          if (Object.keys(sub).length > 0) into[key] = sub;
        }
      }
    }
    const minimal = { apiVersion: 'rehearse.dev/v1alpha1', kind: 'Scenario', metadata: { name: 'd' }, spec: { manifests: ['m'] } };
    const explicit = structuredClone(minimal) as { spec: Record<string, unknown> };
    fill(schema.properties!.spec!, explicit.spec);
    expect(Object.keys(explicit.spec).sort()).toEqual(['cluster', 'defaultVersion', 'exprVersion', 'manifests', 'metrics', 'prometheusVersion', 'seed', 'traffic', 'until', 'versions']);
    expect(schemaAccepts(explicit)).toBe(true);
    const strip = (s: ScenarioSpec): Omit<ScenarioSpec, 'positions'> => {
      const { positions: _positions, ...rest } = s;
      return rest;
    };
    expect(strip(parseScenario('d.yaml', JSON.stringify(explicit)))).toEqual(strip(parseScenario('d.yaml', JSON.stringify(minimal))));
  });

  it('every default is valid against its own key', () => {
    const problems: string[] = [];
    const visit = (node: JsonSchema, path: string): void => {
      const n = resolve(node);
      if (n.default !== undefined && !ajv.validate({ ...n, default: undefined, $defs: schema.$defs }, n.default)) problems.push(`${path}: ${ajv.errorsText()}`);
      for (const [k, c] of Object.entries(n.properties ?? {})) visit(c, `${path}.${k}`);
    };
    visit(schema, '');
    expect(problems).toEqual([]);
  });
});

describe('invalid documents are rejected by both the JSON Schema and the parser', () => {
  const cases: { name: string; text: string; field: string; line: number; column: number; message: RegExp }[] = [
    {
      name: 'unknown key',
      text: VALID.replace('  traffic:\n', '  trafic:\n'),
      field: 'spec.trafic',
      line: 8,
      column: 3,
      message: /unknown field `trafic`.*Did you mean `traffic`\?/,
    },
    { name: 'bad duration', text: VALID.replace('until: 1h', 'until: 1 hour'), field: 'spec.until', line: 7, column: 10, message: /expected a duration such as "30s".*got "1 hour"/ },
    { name: 'unknown unit', text: VALID.replace('within: 5m', 'within: 5min'), field: 'spec.expect.within', line: 13, column: 13, message: /unknown unit "min"/ },
    { name: 'bad outcome', text: VALID.replace('outcome: aborted', 'outcome: rolledOut'), field: 'spec.expect.outcome', line: 12, column: 14, message: /expected one of promoted, aborted, paused, progressing, rolledBack, got "rolledOut"/ },
    { name: 'percentage over 100%', text: VALID.replace('    rps: 200\n', '    rps: 200\n  defaultVersion: { errorRate: 150% }\n'), field: 'spec.defaultVersion.errorRate', line: 10, column: 32, message: /percentage from 0% to 100%.*"150%"/ },
    { name: 'ratio written as a percentage number', text: VALID.replace('    rps: 200\n', '    rps: 200\n  defaultVersion: { errorRate: 5 }\n'), field: 'spec.defaultVersion.errorRate', line: 10, column: 32, message: /expected a ratio between 0 and 1/ },
    { name: 'missing change.at', text: VALID.replace('change: { at: 1m, image: app:v2 }', 'change: { image: app:v2 }'), field: 'spec.change.at', line: 10, column: 11, message: /change.at is required/ },
    { name: 'steps without profile: steps', text: VALID.replace('    rps: 200\n', '    rps: 200\n    steps: [{ at: 10m, rps: 400 }]\n'), field: 'spec.traffic.steps', line: 10, column: 12, message: /steps need profile: steps/ },
    { name: 'unknown profile', text: VALID.replace('    rps: 200\n', '    rps: 200\n    profile: diurnal\n'), field: 'spec.traffic.profile', line: 10, column: 14, message: /expected "constant" or "steps", got "diurnal"/ },
    { name: 'unknown preset', text: VALID.replace('  until: 1h\n', '  until: 1h\n  metrics: { preset: istoi }\n'), field: 'spec.metrics.preset', line: 8, column: 22, message: /expected one of "generic", "istio", .*got "istoi" \(did you mean "istio"\?\)/ },
    { name: 'bad prometheusVersion', text: VALID.replace('  until: 1h\n', '  until: 1h\n  prometheusVersion: 4\n'), field: 'spec.prometheusVersion', line: 8, column: 22, message: /expected 2 or 3, got 4/ },
    { name: 'error code outside 400-599', text: VALID.replace('  until: 1h\n', '  until: 1h\n  metrics: { errorCode: 200 }\n'), field: 'spec.metrics.errorCode', line: 8, column: 25, message: /HTTP status code from 400 to 599/ },
    { name: 'no manifests', text: VALID.replace('  manifests: [manifests/checkout]\n', ''), field: 'spec.manifests', line: 6, column: 3, message: /names no manifests/ },
    { name: 'empty manifests', text: VALID.replace('[manifests/checkout]', '[]'), field: 'spec.manifests', line: 6, column: 14, message: /names no manifests/ },
    { name: 'wrong apiVersion', text: VALID.replace('rehearse.dev/v1alpha1', 'rehearse.dev/v1'), field: 'apiVersion', line: 1, column: 13, message: /expected apiVersion: rehearse.dev\/v1alpha1, got "rehearse.dev\/v1"/ },
    { name: 'missing metadata.name', text: VALID.replace('  name: drill\n', '  description: x\n'), field: 'metadata.name', line: 4, column: 3, message: /metadata.name is required/ },
    { name: 'negative seed', text: VALID.replace('  until: 1h\n', '  until: 1h\n  seed: -5\n'), field: 'spec.seed', line: 8, column: 9, message: /expected an integer ≥ 0, got -5/ },
    { name: 'seed not an integer', text: VALID.replace('  until: 1h\n', '  until: 1h\n  seed: 1.5\n'), field: 'spec.seed', line: 8, column: 9, message: /expected an integer/ },
  ];

  it('the valid base document is accepted by both', () => {
    expect(schemaAccepts(parseYaml(VALID))).toBe(true);
    expect(() => parseScenario('ok.yaml', VALID)).not.toThrow();
  });

  it.each(cases)('$name', ({ text, field, line, column, message }) => {
    expect(schemaAccepts(parseYaml(text))).toBe(false);
    const errors = parseErrors(text, 'drill.yaml');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ severity: 'error', file: 'drill.yaml', field, line, column });
    expect(errors[0]!.message).toMatch(message);
  });
});

describe('value forms: the JSON Schema and the parser agree', () => {
  /** Whether the parser accepts `value` (YAML text) as `spec.expect.within` / `spec.defaultVersion.errorRate`. */
  const parserAccepts = (key: 'within' | 'errorRate', yamlValue: string): boolean => {
    const text =
      key === 'within'
        ? VALID.replace('within: 5m', `within: ${yamlValue}`)
        : VALID.replace('    rps: 200\n', `    rps: 200\n  defaultVersion: { errorRate: ${yamlValue} }\n`);
    try {
      parseScenario('v.yaml', text);
      return true;
    } catch (e) {
      if (e instanceof InputError) return false;
      throw e;
    }
  };
  const schemaAcceptsValue = (key: 'within' | 'errorRate', value: unknown): boolean => {
    const doc = parseYaml(VALID) as { spec: { expect: Record<string, unknown>; defaultVersion?: Record<string, unknown> } };
    if (key === 'within') doc.spec.expect.within = value;
    else doc.spec.defaultVersion = { errorRate: value };
    return schemaAccepts(doc);
  };

  it.each(['0', '30s', '1h30m', '1.5h', '.5s', '1.s', '300ms', '10us', '10µs', '2h45m30.5s', '+5m'])('duration %s is accepted', (d) => {
    expect(schemaAcceptsValue('within', d)).toBe(true);
    expect(parserAccepts('within', JSON.stringify(d))).toBe(true);
  });

  it.each(['', '5', '5 m', '5min', '1d', '-5m', 's', '.s', '1h-5m', 'PT5M'])('duration %j is rejected', (d) => {
    expect(schemaAcceptsValue('within', d)).toBe(false);
    expect(parserAccepts('within', JSON.stringify(d))).toBe(false);
  });

  it('on generated durations (no sign, no int64 overflow)', () => {
    const token = fc.constantFrom('0', '1', '5', '9', '.', 'h', 'm', 's', 'ms', 'us', 'µs', 'ns', 'd', ' ', '+');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 6 }).map((t) => t.join('')), (d) => {
        expect(schemaAcceptsValue('within', d)).toBe(parserAccepts('within', JSON.stringify(d)));
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    ['0.05', 0.05],
    ['0', 0],
    ['1', 1],
    ['"0.2%"', '0.2%'],
    ['"100%"', '100%'],
    ['"100.00%"', '100.00%'],
    ['"007%"', '007%'],
    ['".5%"', '.5%'],
    ['" 5 % "', ' 5 % '],
  ] as const)('ratio %s is accepted', (yamlValue, value) => {
    expect(schemaAcceptsValue('errorRate', value)).toBe(true);
    expect(parserAccepts('errorRate', yamlValue)).toBe(true);
  });

  it.each([
    ['5', 5],
    ['-0.1', -0.1],
    ['1.01', 1.01],
    ['"150%"', '150%'],
    ['"100.5%"', '100.5%'],
    ['"5"', '5'],
    ['"5.%"', '5.%'],
    ['"%"', '%'],
    ['"-1%"', '-1%'],
    ['"five%"', 'five%'],
  ] as const)('ratio %s is rejected', (yamlValue, value) => {
    expect(schemaAcceptsValue('errorRate', value)).toBe(false);
    expect(parserAccepts('errorRate', yamlValue)).toBe(false);
  });

  it('on generated ratios (numbers, and percentage strings without exponents)', () => {
    const percent = fc.array(fc.constantFrom('0', '1', '5', '9', '0', '.', '%', ' ', '-', 'x'), { maxLength: 8 }).map((t) => t.join(''));
    const fraction = fc.integer({ min: -20_000, max: 20_000 }).map((i) => i / 10_000);
    fc.assert(
      fc.property(fc.oneof(percent, fraction), (v) => {
        expect(schemaAcceptsValue('errorRate', v)).toBe(parserAccepts('errorRate', JSON.stringify(v)));
      }),
      { numRuns: 400 },
    );
  });
});
