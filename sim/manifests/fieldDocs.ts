// What rehearse does with every field of the kinds it reads (Rollout, AnalysisTemplate /
// ClusterAnalysisTemplate, Experiment), derived from sim/manifests/schema.ts and FIELD_SUPPORT:
// the reference docs/fields.md (`rehearse fields --markdown`) and the list of subtrees rehearse
// accepts without looking inside on purpose (OPEN_FIELDS).
import { analysisTemplateSchema, experimentSchema, FIELD_SUPPORT, type FieldSchema, type FieldSupportEntry, rolloutSchema } from './schema.js';

/**
 * Subtrees accepted without checking their fields, on purpose, and why. Every `any` field and
 * every open object under a kind's `spec` is either here or in FIELD_SUPPORT
 * (test/manifests/fieldSupport.test.ts); an `any` that hid a real Argo field would be a defect.
 * Key: `<Kind> <pattern>` as in FIELD_SUPPORT (`[]` list items, `{}` map values).
 */
export const OPEN_FIELDS: ReadonlyMap<string, string> = new Map<string, string>([
  // Pod templates: the controller reads labels, annotations and container names/images; the rest
  // of the pod spec only goes into the pod-template hash (sim/manifests/templateHash.ts).
  ['Rollout spec.template.metadata', 'labels and annotations are read; other pod metadata is carried into the pod-template hash'],
  ['Rollout spec.template.spec', 'containers are read; the rest of the pod spec is carried into the pod-template hash'],
  ['Rollout spec.template.spec.containers[]', 'name and image are read; the rest of the container is carried into the pod-template hash'],
  ['Experiment spec.templates[].template.metadata', 'labels and annotations are read; other pod metadata is carried into the pod-template hash'],
  ['Experiment spec.templates[].template.spec', 'containers are read; the rest of the pod spec is carried into the pod-template hash'],
  ['Experiment spec.templates[].template.spec.containers[]', 'name and image are read; the rest of the container is carried into the pod-template hash'],
  // Traffic router plugins: only the presence of a plugin router matters (exact weights).
  ['Rollout spec.strategy.canary.trafficRouting.plugins{}', "the plugin's own configuration: rehearse applies the router weights exactly"],
  // Analysis providers rehearse does not run: the scenario answers for them (sim/analysis/providers/fixture.ts).
  ['AnalysisTemplate spec.metrics[].provider.web.jsonBody', 'free-form JSON: sent as the request body'],
  ['AnalysisTemplate spec.metrics[].provider.job.spec', 'the Job runs as a black box: the scenario says how it ends (spec.providers.jobs)'],
  ['AnalysisTemplate spec.metrics[].provider.datadog', 'answered by the scenario (spec.providers.fixtures); the query is not run'],
  ['AnalysisTemplate spec.metrics[].provider.newRelic', 'answered by the scenario (spec.providers.fixtures); the query is not run'],
  ['AnalysisTemplate spec.metrics[].provider.cloudWatch', 'answered by the scenario (spec.providers.fixtures); the queries are not run'],
  ['AnalysisTemplate spec.metrics[].provider.wavefront', 'answered by the scenario (spec.providers.fixtures); the query is not run'],
  ['AnalysisTemplate spec.metrics[].provider.graphite', 'answered by the scenario (spec.providers.fixtures); the query is not run'],
  ['AnalysisTemplate spec.metrics[].provider.influxdb', 'answered by the scenario (spec.providers.fixtures); the query is not run'],
  ['AnalysisTemplate spec.metrics[].provider.kayenta', 'the score comes from the scenario (spec.providers.fixtures); threshold.pass and threshold.marginal are read'],
  ['AnalysisTemplate spec.metrics[].provider.skywalking', 'answered by the scenario (spec.providers.fixtures); the query is not run'],
  ['AnalysisTemplate spec.metrics[].provider.plugin', 'answered by the scenario (spec.providers.fixtures); the plugin is not run'],
]);

/** Looks up why a subtree is open; ClusterAnalysisTemplate shares AnalysisTemplate's entries. */
export function openField(kind: string, pattern: string): string | undefined {
  return OPEN_FIELDS.get(`${kind === 'ClusterAnalysisTemplate' ? 'AnalysisTemplate' : kind} ${pattern}`);
}

/** The kinds documented, with the schema of their `spec`. */
export const DOCUMENTED_KINDS: readonly { readonly kind: 'Rollout' | 'AnalysisTemplate' | 'Experiment'; readonly spec: FieldSchema }[] = [
  { kind: 'Rollout', spec: specOf(rolloutSchema.fields) },
  { kind: 'AnalysisTemplate', spec: specOf(analysisTemplateSchema.fields) },
  { kind: 'Experiment', spec: specOf(experimentSchema.fields) },
];

function specOf(fields: Readonly<Record<string, FieldSchema>>): FieldSchema {
  const spec = fields['spec'];
  if (spec === undefined) throw new Error('a documented kind has no spec schema');
  return spec;
}

export type FieldTreatment =
  | { readonly support: 'simulated' }
  | { readonly support: 'open'; readonly note: string }
  | FieldSupportEntry
  /** An `any` or open object with no entry in OPEN_FIELDS or FIELD_SUPPORT (a defect the tests report). */
  | { readonly support: 'unexplained' };

export interface DocumentedField {
  readonly path: string;
  readonly type: string;
  readonly treatment: FieldTreatment;
}

function typeName(s: FieldSchema): string {
  switch (s.type) {
    case 'object':
      return s.name;
    case 'list':
      return `list of ${typeName(s.items)}`;
    case 'map':
      return `map of ${typeName(s.values)}`;
    case 'stringMap':
      return 'map of string';
    case 'intOrString':
      return 'int or string';
    case 'int64':
      return 'int';
    case 'any':
      return 'any';
    default:
      return s.type;
  }
}

/**
 * Every field of `kind`'s spec rehearse's schema knows, depth first in schema order. Below a
 * FIELD_SUPPORT entry or an open subtree nothing more is listed: the entry covers it.
 */
export function documentedFields(kind: string, spec: FieldSchema): DocumentedField[] {
  const out: DocumentedField[] = [];
  const visit = (s: FieldSchema, path: string): void => {
    const entry = FIELD_SUPPORT.get(`${kind} ${path}`);
    const open = openField(kind, path);
    const isOpen = s.type === 'any' || (s.type === 'object' && s.open === true);
    const treatment: FieldTreatment = entry ?? (open !== undefined ? { support: 'open', note: open } : isOpen ? { support: 'unexplained' } : { support: 'simulated' });
    out.push({ path, type: typeName(s), treatment });
    if (entry !== undefined || s.type === 'any') return;
    if (s.type === 'list') visitInner(s.items, `${path}[]`);
    else if (s.type === 'map') visitInner(s.values, `${path}{}`);
    else if (s.type === 'object') for (const [name, child] of Object.entries(s.fields)) visit(child, `${path}.${name}`);
  };
  // A list item or map value: itself an entry only when it can be open (`x[]`, `x{}`).
  const visitInner = (s: FieldSchema, path: string): void => {
    if (s.type === 'object' && s.open !== true) {
      for (const [name, child] of Object.entries(s.fields)) visit(child, `${path}.${name}`);
    } else if (s.type === 'object' || s.type === 'any') visit(s, path);
    else if (s.type === 'list') visitInner(s.items, `${path}[]`);
    else if (s.type === 'map') visitInner(s.values, `${path}{}`);
  };
  visit(spec, 'spec');
  return out;
}

function support(t: FieldTreatment): string {
  switch (t.support) {
    case 'simulated':
      return 'simulated';
    case 'open':
      return `simulated (${t.note})`;
    case 'noEffect':
      return `no effect (${t.note})`;
    case 'notSimulated':
      return `**not simulated**: refused at load (${t.note})`;
    case 'unexplained':
      return 'accepted unchecked';
  }
}

const HEADINGS: Readonly<Record<string, string>> = {
  Rollout: 'Rollout',
  AnalysisTemplate: 'AnalysisTemplate and ClusterAnalysisTemplate',
  Experiment: 'Experiment',
};

/** docs/fields.md. */
export function fieldsMarkdown(): string {
  const lines: string[] = [
    '# Manifest fields: what rehearse simulates',
    '',
    '<!-- Generated from sim/manifests/schema.ts (FIELD_SUPPORT) and sim/manifests/fieldDocs.ts by',
    '     `rehearse fields --markdown > docs/fields.md`; test/manifests/fieldDocs.test.ts fails on drift. -->',
    '',
    'Every field Argo Rollouts v1.9.1 defines under `spec` of a Rollout, an AnalysisTemplate /',
    'ClusterAnalysisTemplate and an Experiment, and what rehearse does with it:',
    '',
    '- **simulated**: read and modelled as the v1.9.1 controller does;',
    '- **no effect**: accepted, but it only changes something rehearse does not model (scheduling,',
    '  credentials, labels on AnalysisRuns, the objects a traffic router patches);',
    '- **not simulated**: a load error names the file, line and field ("`…` is not simulated by',
    '  rehearse yet"); remove it to rehearse the rest of the manifest.',
    '',
    'Below a "no effect" or "not simulated" field, everything shares its fate. `metadata` reads',
    '`name`, `namespace`, `labels` and `annotations`; `status` is ignored (rehearse computes it).',
    '`[]` marks list items, `{}` map values. The conformance suite (test/conformance/crdFields.test.ts)',
    "checks this list against the CRDs' own schemas.",
    '',
    'One field depends on the strategy: `spec.restartAt` (pod restarts) is simulated for canary',
    'Rollouts and refused as not simulated on a blue-green Rollout.',
  ];
  for (const { kind, spec } of DOCUMENTED_KINDS) {
    const fields = documentedFields(kind, spec).filter((f) => f.path !== 'spec');
    const count = (s: string): number => fields.filter((f) => (s === 'simulated' ? f.treatment.support === 'simulated' || f.treatment.support === 'open' : f.treatment.support === s)).length;
    lines.push('', `## ${HEADINGS[kind] ?? kind}`, '');
    lines.push(`${fields.length} fields: ${count('simulated')} simulated, ${count('noEffect')} no effect, ${count('notSimulated')} not simulated.`, '');
    lines.push('| Field | Type | Support |', '| --- | --- | --- |');
    for (const f of fields) lines.push(`| \`${f.path}\` | ${f.type} | ${support(f.treatment).replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n') + '\n';
}
