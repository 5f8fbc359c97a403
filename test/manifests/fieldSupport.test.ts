// FIELD_SUPPORT, the list of fields rehearse refuses (notSimulated) or accepts without effect
// (noEffect), in one table a reviewer can read, and checked: every entry names a field the schema
// has, every notSimulated field written in a manifest is refused at its own line with the
// "not simulated by rehearse yet" message, every noEffect field loads without a complaint, and
// every unchecked (`any`) or open subtree is explained (FIELD_SUPPORT or OPEN_FIELDS).
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Diagnostic } from '../../sim/diagnostics.js';
import { InputError } from '../../sim/diagnostics.js';
import { DOCUMENTED_KINDS, documentedFields, OPEN_FIELDS } from '../../sim/manifests/fieldDocs.js';
import { loadManifests } from '../../sim/manifests/load.js';
import { analysisTemplateSchema, experimentSchema, FIELD_SUPPORT, type FieldSchema, rolloutSchema } from '../../sim/manifests/schema.js';

const ROOTS: Readonly<Record<string, FieldSchema>> = { Rollout: rolloutSchema, AnalysisTemplate: analysisTemplateSchema, Experiment: experimentSchema };

/** `spec.steps[].x{}` → [['spec'], ['steps', '[]'], ['x', '{}']]-like segments: a name, then any `[]`/`{}` suffixes. */
function segments(pattern: string): { name: string; suffixes: string[] }[] {
  return pattern.split('.').map((seg) => {
    const m = /^([^[{]+)((?:\[\]|\{\})*)$/.exec(seg);
    if (!m) throw new Error(`bad pattern segment ${seg} in ${pattern}`);
    return { name: m[1] as string, suffixes: (m[2] ?? '').match(/\[\]|\{\}/g) ?? [] };
  });
}

/** The schema of the field a pattern names, or undefined when the schema has no such field. */
function resolve(root: FieldSchema, pattern: string): FieldSchema | undefined {
  let s: FieldSchema | undefined = root;
  for (const { name, suffixes } of segments(pattern)) {
    if (s?.type !== 'object') return undefined;
    s = s.fields[name];
    for (const suffix of suffixes) {
      if (suffix === '[]' && s?.type === 'list') s = s.items;
      else if (suffix === '{}' && s?.type === 'map') s = s.values;
      else return undefined;
    }
  }
  return s;
}

function splitKey(key: string): { kind: string; pattern: string } {
  const space = key.indexOf(' ');
  return { kind: key.slice(0, space), pattern: key.slice(space + 1) };
}

describe('FIELD_SUPPORT', () => {
  it('is this list (every refused or no-effect field, with the reason shown to users)', () => {
    const table = [...FIELD_SUPPORT].map(([key, e]) => `${e.support.padEnd(12)} ${key} — ${e.note}`).join('\n');
    expect('\n' + table + '\n').toMatchInlineSnapshot(`
      "
      notSimulated Rollout spec.workloadRef — the pod template must be written inline in spec.template
      notSimulated Rollout spec.selector.matchExpressions — only selector.matchLabels is supported
      noEffect     Rollout spec.strategy.blueGreen.antiAffinity — pod scheduling is not modelled
      notSimulated Rollout spec.strategy.blueGreen.activeMetadata — extra labels/annotations on active pods
      notSimulated Rollout spec.strategy.blueGreen.previewMetadata — extra labels/annotations on preview pods
      noEffect     Rollout spec.strategy.blueGreen.prePromotionAnalysis.analysisRunMetadata — labels/annotations on AnalysisRuns
      noEffect     Rollout spec.strategy.blueGreen.postPromotionAnalysis.analysisRunMetadata — labels/annotations on AnalysisRuns
      noEffect     Rollout spec.strategy.canary.antiAffinity — pod scheduling is not modelled
      notSimulated Rollout spec.strategy.canary.canaryMetadata — extra labels/annotations on canary pods
      notSimulated Rollout spec.strategy.canary.stableMetadata — extra labels/annotations on stable pods
      notSimulated Rollout spec.strategy.canary.pingPong — ping-pong services
      noEffect     Rollout spec.strategy.canary.trafficRouting.istio.virtualService — names the VirtualService to patch; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.istio.virtualServices — names the VirtualServices to patch; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.istio.destinationRule — names the DestinationRule and its subsets; rehearse applies the router weights exactly (only its presence is checked, as upstream validation does)
      noEffect     Rollout spec.strategy.canary.trafficRouting.nginx.annotationPrefix — annotations on the canary Ingress; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.nginx.stableIngress — names the Ingress to copy; rehearse applies the router weights exactly (only its presence is checked)
      noEffect     Rollout spec.strategy.canary.trafficRouting.nginx.stableIngresses — names the Ingresses to copy; rehearse applies the router weights exactly (only its presence is checked)
      noEffect     Rollout spec.strategy.canary.trafficRouting.nginx.additionalIngressAnnotations — annotations on the canary Ingress; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.nginx.canaryIngressAnnotations — annotations on the canary Ingress; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.alb.ingress — names the Ingress to annotate; rehearse applies the router weights exactly (only its presence is checked)
      noEffect     Rollout spec.strategy.canary.trafficRouting.alb.ingresses — names the Ingresses to annotate; rehearse applies the router weights exactly (only its presence is checked)
      noEffect     Rollout spec.strategy.canary.trafficRouting.alb.servicePort — the port in the ALB action; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.alb.rootService — the Service in the ALB action; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.alb.annotationPrefix — annotations on the Ingress; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.alb.stickinessConfig — ALB target-group stickiness: sessions are not modelled
      noEffect     Rollout spec.strategy.canary.trafficRouting.smi.rootService — names the SMI root Service; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.smi.trafficSplitName — names the TrafficSplit; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.ambassador.mappings — names the Ambassador Mappings; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.appMesh.virtualService — names the App Mesh VirtualService; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.appMesh.virtualNodeGroup — names the App Mesh VirtualNodes; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.traefik.weightedTraefikServiceName — names the TraefikService; rehearse applies the router weights exactly
      noEffect     Rollout spec.strategy.canary.trafficRouting.apisix.route — names the APISIX Route; rehearse applies the router weights exactly
      notSimulated Rollout spec.strategy.canary.steps[].experiment.templates[].selector.matchExpressions — only selector.matchLabels is supported
      noEffect     Rollout spec.strategy.canary.steps[].experiment.analysisRunMetadata — labels/annotations on AnalysisRuns
      notSimulated Rollout spec.strategy.canary.steps[].plugin — step plugins
      noEffect     Rollout spec.strategy.canary.steps[].analysis.analysisRunMetadata — labels/annotations on AnalysisRuns
      noEffect     Rollout spec.strategy.canary.analysis.analysisRunMetadata — labels/annotations on AnalysisRuns
      notSimulated Experiment spec.templates[].selector.matchExpressions — only selector.matchLabels is supported
      noEffect     Experiment spec.analysisRunMetadata — labels/annotations on AnalysisRuns
      notSimulated Experiment spec.analyses[].args[].valueFrom — arguments read from Secrets or fields (use value, with {{templates.<name>.podTemplateHash}} placeholders)
      notSimulated AnalysisTemplate spec.metrics[].provider.prometheus.rangeQuery — range queries
      noEffect     AnalysisTemplate spec.metrics[].provider.prometheus.authentication — credentials for a real Prometheus
      noEffect     AnalysisTemplate spec.metrics[].provider.prometheus.insecure — TLS settings for a real Prometheus
      noEffect     AnalysisTemplate spec.metrics[].provider.prometheus.headers — HTTP headers for a real Prometheus
      noEffect     AnalysisTemplate spec.metrics[].provider.web.headers — HTTP headers for a real endpoint (the scenario says what it answers)
      noEffect     AnalysisTemplate spec.metrics[].provider.web.insecure — TLS settings for a real endpoint
      noEffect     AnalysisTemplate spec.metrics[].provider.web.authentication — credentials for a real endpoint
      noEffect     AnalysisTemplate spec.metrics[].provider.job.metadata — labels/annotations on the Job
      "
    `);
  });

  it.each([...FIELD_SUPPORT.keys()])('%s names a field of the schema', (key) => {
    const { kind, pattern } = splitKey(key);
    const root = ROOTS[kind];
    expect(root, `unknown kind ${kind}`).toBeDefined();
    expect(resolve(root!, pattern), `${key}: no such field in sim/manifests/schema.ts`).toBeDefined();
  });

  it.each([...OPEN_FIELDS.keys()])('OPEN_FIELDS %s names an unchecked or open field of the schema', (key) => {
    const { kind, pattern } = splitKey(key);
    const s = resolve(ROOTS[kind]!, pattern);
    expect(s?.type === 'any' || (s?.type === 'object' && s.open === true), `${key}: not an \`any\` or open object in sim/manifests/schema.ts`).toBe(true);
  });

  it.each(DOCUMENTED_KINDS.map((k) => [k.kind, k] as const))('every unchecked or open subtree of a %s is explained', (kind, k) => {
    const unexplained = documentedFields(kind, k.spec).filter((f) => f.treatment.support === 'unexplained').map((f) => f.path);
    expect(unexplained, 'give each a schema, a FIELD_SUPPORT entry or an OPEN_FIELDS reason').toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// A minimal manifest per entry: a valid document of the kind with the field set.

const podTemplate = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'app:v1' }] } };
const BASES: Readonly<Record<string, () => Record<string, unknown>>> = {
  Rollout: () => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'r' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'a' } }, template: podTemplate },
  }),
  AnalysisTemplate: () => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 't' },
    spec: { metrics: [{ name: 'm', provider: { prometheus: { query: 'vector(1)' } } }] },
  }),
  Experiment: () => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Experiment',
    metadata: { name: 'e' },
    spec: { templates: [{ name: 'a', selector: { matchLabels: { app: 'a' } }, template: podTemplate }] },
  }),
};

/** A valid value of the field's own type (non-null, so the loader sees the field as written). */
function sample(s: FieldSchema): unknown {
  switch (s.type) {
    case 'string':
      return 'x';
    case 'int':
    case 'int64':
    case 'intOrString':
      return 1;
    case 'bool':
      return true;
    case 'stringMap':
      return { a: 'b' };
    case 'list':
      return [];
    case 'object':
      // With its required fields, so the only thing to say about it is its support.
      return Object.fromEntries(Object.keys(s.required ?? {}).map((name) => [name, sample(s.fields[name]!)]));
    case 'map':
    case 'any':
      return {};
  }
}

/** Sets the field named by `pattern` (list items: the first), creating what is missing; returns the concrete path. */
function setField(doc: Record<string, unknown>, pattern: string, value: unknown): string {
  let node: Record<string, unknown> = doc;
  const concrete: string[] = [];
  const parts = segments(pattern);
  parts.forEach(({ name, suffixes }, i) => {
    const last = i === parts.length - 1 && suffixes.length === 0;
    let path = name;
    if (last) {
      node[name] = value;
    } else {
      let child: unknown = node[name];
      for (const suffix of suffixes) {
        if (suffix === '[]') {
          if (!Array.isArray(child)) node[name] = child = [{}];
          child = (child as unknown[])[0];
          path += '[0]';
        } else {
          throw new Error(`${pattern}: map segments are not generated`);
        }
      }
      if (suffixes.length === 0 && (typeof child !== 'object' || child === null)) node[name] = child = {};
      node = child as Record<string, unknown>;
    }
    concrete.push(path);
  });
  return concrete.join('.');
}

function diagnosticsOf(text: string): readonly Diagnostic[] {
  try {
    const set = loadManifests([{ name: 'm.yaml', text }]);
    return set.warnings;
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  }
}

interface Case {
  readonly key: string;
  readonly kind: string;
  readonly text: string;
  readonly field: string;
  readonly pattern: string;
}

function manifestFor(key: string, kind: string): Case {
  const { kind: tableKind, pattern } = splitKey(key);
  const schema = resolve(ROOTS[tableKind]!, pattern)!;
  const doc = BASES[tableKind]!();
  doc['kind'] = kind;
  const field = setField(doc, pattern, sample(schema));
  const spec = doc['spec'] as Record<string, unknown>;
  if (tableKind === 'Rollout' && spec['strategy'] === undefined) spec['strategy'] = { canary: {} };
  return { key, kind, text: stringify(doc), field, pattern };
}

const cases = (support: 'notSimulated' | 'noEffect'): Case[] =>
  [...FIELD_SUPPORT]
    .filter(([, e]) => e.support === support)
    .flatMap(([key]) => (key.startsWith('AnalysisTemplate ') ? [manifestFor(key, 'AnalysisTemplate'), manifestFor(key, 'ClusterAnalysisTemplate')] : [manifestFor(key, splitKey(key).kind)]));

describe('a notSimulated field written in a manifest', () => {
  it.each(cases('notSimulated').map((c) => [`${c.kind} ${c.pattern}`, c] as const))('%s is refused at its line', (_name, c) => {
    const found = diagnosticsOf(c.text).filter((d) => d.field === c.field);
    expect(found.map((d) => d.message)).toEqual([expect.stringContaining(`\`${c.pattern}\` is not simulated by rehearse yet (${FIELD_SUPPORT.get(c.key)!.note})`)]);
    const lastName = c.field.split('.').at(-1)!;
    expect(c.text.split('\n')[found[0]!.line - 1], `line ${found[0]!.line} of\n${c.text}`).toMatch(new RegExp(`^\\s*(- )?${lastName}:`));
    expect(found[0]!.severity).toBe('error');
  });
});

describe('a noEffect field written in a manifest', () => {
  it.each(cases('noEffect').map((c) => [`${c.kind} ${c.pattern}`, c] as const))('%s is accepted without a complaint about it', (_name, c) => {
    expect(diagnosticsOf(c.text).filter((d) => d.field === c.field || d.field.startsWith(`${c.field}.`))).toEqual([]);
  });
});

describe('a noEffect field still has its upstream shape', () => {
  it('a typo inside analysisRunMetadata is an unknown field with a suggestion, at its line', () => {
    const doc = BASES['Rollout']!();
    (doc['spec'] as Record<string, unknown>)['strategy'] = { canary: { analysis: { templates: [{ templateName: 't' }], analysisRunMetadata: { lables: { team: 'a' } } } } };
    const text = stringify(doc);
    const found = diagnosticsOf(text).filter((d) => d.field === 'spec.strategy.canary.analysis.analysisRunMetadata.lables');
    expect(found.map((d) => d.message)).toEqual([expect.stringMatching(/^unknown field `lables` in .*AnalysisRunMetadata.*Did you mean `labels`\?/)]);
    expect(text.split('\n')[found[0]!.line - 1]).toMatch(/^\s*lables:/);
  });
});
