// Documentation generated from the catalogue itself, so it cannot drift: the Markdown reference
// (docs/faults.md, `rehearse faults`) and the JSON Schema of a `faults:` entry
// (docs/scenario.schema.json). test/faults/docs.test.ts fails when the committed files differ.
import { FAULT_KINDS } from './catalogue.js';
import type { FaultCategory, FaultKind, FaultParamSpec, FaultParamValue } from './types.js';

const CATEGORY_TITLES: Readonly<Record<FaultCategory, string>> = {
  release: 'Release behaviour (target: a version)',
  pods: 'Pods',
  metrics: 'Metrics pipeline',
  traffic: 'Traffic',
  controlPlane: 'Control plane',
};

const TYPE_TEXT: Readonly<Record<FaultParamSpec['type'], string>> = {
  duration: 'duration',
  ratio: 'ratio or %',
  number: 'number',
  integer: 'integer',
  string: 'string',
  boolean: 'boolean',
};

function formatDefault(spec: FaultParamSpec): string {
  if (spec.default === undefined) return 'required';
  const v = spec.default;
  if (spec.type === 'duration' && typeof v === 'number') return v % 1000 === 0 ? `${v / 1000}s` : `${v}ms`;
  if (spec.type === 'ratio' && typeof v === 'number') return `${Math.round(v * 1e6) / 1e4}%`;
  return `\`${String(v)}\``;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

function kindSection(k: FaultKind): string {
  const target = k.target === 'required' ? 'required (an image)' : k.target === 'optional' ? 'optional (an image; all versions when absent)' : 'none';
  const lines = [`### \`${k.kind}\``, '', oneLine(k.description), '', `Target: ${target}.`, ''];
  const params = Object.entries(k.params);
  if (params.length > 0) {
    lines.push('| parameter | type | default | meaning |', '|---|---|---|---|');
    for (const [name, spec] of params) {
      const allowed = spec.values ? ` One of ${spec.values.map((v) => `\`${v}\``).join(', ')}.` : '';
      lines.push(`| \`${name}\` | ${TYPE_TEXT[spec.type]} | ${formatDefault(spec)} | ${oneLine(spec.description)}${allowed} |`);
    }
    lines.push('');
  }
  lines.push('```yaml', k.example.trimEnd(), '```', '');
  return lines.join('\n');
}

/** The Markdown reference of every fault kind, by category. */
export function faultsMarkdown(): string {
  const out = [
    '# Fault catalogue',
    '',
    'Generated from `sim/faults/` by `rehearse faults --markdown`; do not edit by hand.',
    '',
    'Every entry of a scenario\'s `faults:` list has a `kind`, `at` (when it starts, from the start of',
    'the run), an optional `for` (how long it lasts; absent = until the end of the run), a `target`',
    'for kinds that affect one version (the container image), and the parameters of its kind.',
    'Ratios are written as fractions (`0.05`) or percentages (`"5%"`), durations as Go durations (`30s`).',
    '',
  ];
  const categories = Object.keys(CATEGORY_TITLES) as FaultCategory[];
  for (const c of categories) {
    const kinds = [...FAULT_KINDS.values()].filter((k) => k.category === c);
    if (kinds.length === 0) continue;
    out.push(`## ${CATEGORY_TITLES[c]}`, '');
    for (const k of kinds) out.push(kindSection(k));
  }
  return out.join('\n').trimEnd() + '\n';
}

const DURATION_REF = { $ref: '#/$defs/duration' };
const RATIO_REF = { $ref: '#/$defs/ratio' };

function paramSchema(spec: FaultParamSpec): Record<string, unknown> {
  const base: Record<string, unknown> = { description: oneLine(spec.description) };
  const dflt = (v: FaultParamValue | undefined): unknown => {
    if (v === undefined) return undefined;
    if (spec.type === 'duration' && typeof v === 'number') return v % 1000 === 0 ? `${v / 1000}s` : `${v}ms`;
    return v;
  };
  const d = dflt(spec.default);
  if (d !== undefined) base.default = d;
  switch (spec.type) {
    case 'duration':
      return { ...base, ...DURATION_REF };
    case 'ratio':
      return { ...base, ...RATIO_REF };
    case 'number':
    case 'integer':
      return { ...base, type: spec.type === 'integer' ? 'integer' : 'number', ...(spec.min !== undefined ? { minimum: spec.min } : {}), ...(spec.max !== undefined ? { maximum: spec.max } : {}) };
    case 'boolean':
      return { ...base, type: 'boolean' };
    default:
      return { ...base, type: 'string', ...(spec.values ? { enum: spec.values } : {}) };
  }
}

/** JSON Schema of one `faults:` entry: the common keys, and per kind its parameters. */
export function faultJsonSchema(): Record<string, unknown> {
  const kinds = [...FAULT_KINDS.values()];
  return {
    description: 'An injected failure: its kind, when it starts, how long it lasts, its target and its parameters (docs/faults.md).',
    type: 'object',
    required: ['kind', 'at'],
    properties: {
      kind: { description: 'The fault kind (docs/faults.md).', type: 'string', enum: kinds.map((k) => k.kind) },
      at: { description: 'When the fault starts, from the start of the run.', ...DURATION_REF },
      for: { description: 'How long the fault lasts; absent = until the end of the run.', ...DURATION_REF },
      target: { description: 'The container image (version) the fault affects, for kinds that take one.', type: 'string' },
    },
    additionalProperties: true,
    allOf: kinds.map((k) => ({
      if: { properties: { kind: { const: k.kind } } },
      then: {
        ...(k.target === 'required' ? { required: ['target'] } : {}),
        properties: {
          ...(k.target === 'required' ? { target: { description: `The image of the version ${k.kind} affects.`, type: 'string' } } : {}),
          ...Object.fromEntries(Object.entries(k.params).map(([name, spec]) => [name, paramSchema(spec)])),
        },
      },
    })),
  };
}
