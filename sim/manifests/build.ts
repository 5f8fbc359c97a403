// Turns a schema-checked JSON document into the typed objects of types.ts. Runs only on
// documents the walker found no errors in, so shapes are already right; absent fields stay
// undefined (defaults are the model's job, see types.ts).

import type { Json } from './yamlWalk.js';
import type {
  AnalysisArg,
  AnalysisTemplate,
  AnalysisTemplateRef,
  CanaryStep,
  CanaryStrategy,
  Experiment,
  ExperimentAnalysisRef,
  PodTemplateSpec,
  RolloutExperimentStep,
  IntOrString,
  Metric,
  ObjectMeta,
  Rollout,
  RolloutAnalysis,
  Service,
  SourcePosition,
  TrafficRouterKind,
  TrafficRouting,
} from './types.js';

type Obj = { readonly [key: string]: Json };

/** Where the fields of one document are: concrete path → position, with a fallback. */
export interface PositionIndex {
  readonly file: string;
  readonly document: SourcePosition;
  readonly positions: ReadonlyMap<string, SourcePosition>;
}

/** Position of `path`, or of its nearest ancestor that has one. */
export function positionAt(index: PositionIndex, path: string): SourcePosition {
  let p = path;
  for (;;) {
    const found = index.positions.get(p);
    if (found) return found;
    if (p === '') return index.document;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut <= 0 ? '' : p.slice(0, cut);
  }
}

const obj = (v: Json | undefined): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
const arr = (v: Json | undefined): readonly Json[] => (Array.isArray(v) ? v : []);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: Json | undefined): number | undefined => (typeof v === 'number' ? v : undefined);
const bool = (v: Json | undefined): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const ios = (v: Json | undefined): IntOrString | undefined => (typeof v === 'number' || typeof v === 'string' ? v : undefined);
const strMap = (v: Json | undefined): Readonly<Record<string, string>> => {
  const out: [string, string][] = [];
  for (const [k, val] of Object.entries(obj(v))) if (typeof val === 'string') out.push([k, val]);
  return Object.fromEntries(out);
};

export function buildMeta(v: Json | undefined): ObjectMeta {
  const m = obj(v);
  return {
    name: str(m['name']) ?? '',
    namespace: str(m['namespace']),
    labels: strMap(m['labels']),
    annotations: strMap(m['annotations']),
  };
}

function buildArgs(v: Json | undefined): AnalysisArg[] {
  return arr(v).map((a) => {
    const o = obj(a);
    const from = o['valueFrom'];
    let valueFrom: AnalysisArg['valueFrom'];
    if (from !== undefined) {
      const f = obj(from);
      const hash = str(f['podTemplateHashValue']);
      const fieldPath = str(obj(f['fieldRef'])['fieldPath']);
      valueFrom = {
        // Anything but Stable/Latest is reported by validate.ts; kept as written so it can be.
        ...(hash !== undefined ? { podTemplateHashValue: hash as 'Stable' | 'Latest' } : {}),
        ...(fieldPath !== undefined ? { fieldRef: { fieldPath } } : {}),
      };
    }
    return { name: str(o['name']) ?? '', value: str(o['value']), valueFrom };
  });
}

const buildDryRun = (v: Json | undefined): { metricName: string }[] => arr(v).map((d) => ({ metricName: str(obj(d)['metricName']) ?? '' }));

function buildRolloutAnalysis(v: Json | undefined): RolloutAnalysis {
  const o = obj(v);
  const templates: AnalysisTemplateRef[] = arr(o['templates']).map((t) => ({
    templateName: str(obj(t)['templateName']) ?? '',
    clusterScope: bool(obj(t)['clusterScope']) ?? false,
  }));
  // measurementRetention is rejected as not simulated, so it is always empty here.
  return { templates, args: buildArgs(o['args']), dryRun: buildDryRun(o['dryRun']), measurementRetention: [] };
}

const ROUTER_KEYS: readonly (readonly [string, TrafficRouterKind])[] = [
  ['istio', 'istio'],
  ['smi', 'smi'],
  ['nginx', 'nginx'],
  ['alb', 'alb'],
  ['apisix', 'apisix'],
  ['traefik', 'traefik'],
  ['ambassador', 'ambassador'],
  ['appMesh', 'appMesh'],
  ['plugins', 'plugin'],
];

function buildTrafficRouting(v: Json | undefined): TrafficRouting | undefined {
  if (v === undefined) return undefined;
  const o = obj(v);
  const routers = ROUTER_KEYS.filter(([key]) => o[key] !== undefined && o[key] !== null).map(([, kind]) => kind);
  return { routers, maxTrafficWeight: num(o['maxTrafficWeight']), raw: v };
}

function buildStep(v: Json, index: PositionIndex, path: string): CanaryStep {
  const o = obj(v);
  const position = positionAt(index, path);
  if (o['setWeight'] !== undefined) return { kind: 'setWeight', setWeight: num(o['setWeight']) ?? 0, position };
  if (o['pause'] !== undefined) return { kind: 'pause', pause: { duration: ios(obj(o['pause'])['duration']) }, position };
  if (o['experiment'] !== undefined) return { kind: 'experiment', experiment: buildExperimentStep(o['experiment']), position };
  return { kind: 'analysis', analysis: buildRolloutAnalysis(o['analysis']), position };
}

function buildExperimentAnalyses(v: Json | undefined): ExperimentAnalysisRef[] {
  return arr(v).map((a) => {
    const o = obj(a);
    return {
      name: str(o['name']) ?? '',
      templateName: str(o['templateName']) ?? '',
      clusterScope: bool(o['clusterScope']) ?? false,
      args: buildArgs(o['args']),
      requiredForCompletion: bool(o['requiredForCompletion']) ?? false,
    };
  });
}

function buildSelector(v: Json | undefined): { matchLabels: Readonly<Record<string, string>> } | undefined {
  return v === undefined || v === null ? undefined : { matchLabels: strMap(obj(v)['matchLabels']) };
}

function buildTemplateService(v: Json | undefined): { name: string | undefined } | undefined {
  return v === undefined || v === null ? undefined : { name: str(obj(v)['name']) };
}

function buildExperimentStep(v: Json | undefined): RolloutExperimentStep {
  const o = obj(v);
  return {
    templates: arr(o['templates']).map((t) => {
      const to = obj(t);
      const meta = obj(to['metadata']);
      return {
        name: str(to['name']) ?? '',
        // Anything else is reported by validate.ts.
        specRef: (str(to['specRef']) ?? '') as 'stable' | 'canary',
        replicas: num(to['replicas']),
        metadata: { labels: strMap(meta['labels']), annotations: strMap(meta['annotations']) },
        selector: buildSelector(to['selector']),
        weight: num(to['weight']),
        service: buildTemplateService(to['service']),
      };
    }),
    duration: str(o['duration']),
    analyses: buildExperimentAnalyses(o['analyses']),
    dryRun: buildDryRun(o['dryRun']),
    scaleDownDelaySeconds: num(o['scaleDownDelaySeconds']),
  };
}

function buildPodTemplate(v: Json | undefined): PodTemplateSpec {
  const template = obj(v);
  const templateMeta = obj(template['metadata']);
  return {
    metadata: { labels: strMap(templateMeta['labels']), annotations: strMap(templateMeta['annotations']) },
    containers: arr(obj(template['spec'])['containers']).map((c) => ({ name: str(obj(c)['name']) ?? '', image: str(obj(c)['image']) ?? '' })),
    raw: v ?? null,
  };
}

export function buildExperiment(v: Json, index: PositionIndex): Experiment {
  const root = obj(v);
  const spec = obj(root['spec']);
  return {
    kind: 'Experiment',
    metadata: buildMeta(root['metadata']),
    spec: {
      templates: arr(spec['templates']).map((t) => {
        const o = obj(t);
        return {
          name: str(o['name']) ?? '',
          replicas: num(o['replicas']),
          minReadySeconds: num(o['minReadySeconds']) ?? 0,
          selector: buildSelector(o['selector']),
          template: buildPodTemplate(o['template']),
          service: buildTemplateService(o['service']),
        };
      }),
      duration: str(spec['duration']),
      progressDeadlineSeconds: num(spec['progressDeadlineSeconds']),
      terminate: bool(spec['terminate']) ?? false,
      analyses: buildExperimentAnalyses(spec['analyses']),
      scaleDownDelaySeconds: num(spec['scaleDownDelaySeconds']),
      dryRun: buildDryRun(spec['dryRun']),
    },
    position: index.document,
  };
}

export function buildRollout(v: Json, index: PositionIndex): Rollout {
  const root = obj(v);
  const spec = obj(root['spec']);
  const template = obj(spec['template']);
  const canary = obj(obj(spec['strategy'])['canary']);
  const rawSteps = canary['steps'];
  const steps = rawSteps === undefined ? undefined : arr(rawSteps).map((s, i) => buildStep(s, index, `spec.strategy.canary.steps[${i}]`));
  const background = canary['analysis'];
  const strategy: CanaryStrategy = {
    canaryService: str(canary['canaryService']),
    stableService: str(canary['stableService']),
    maxSurge: ios(canary['maxSurge']),
    maxUnavailable: ios(canary['maxUnavailable']),
    steps,
    trafficRouting: buildTrafficRouting(canary['trafficRouting']),
    analysis:
      background === undefined
        ? undefined
        : { ...buildRolloutAnalysis(background), startingStep: num(obj(background)['startingStep']) },
    rawSteps: rawSteps ?? null,
  };
  const templateMeta = obj(template['metadata']);
  return {
    kind: 'Rollout',
    metadata: buildMeta(root['metadata']),
    spec: {
      replicas: num(spec['replicas']),
      selector: { matchLabels: strMap(obj(spec['selector'])['matchLabels']) },
      template: {
        metadata: { labels: strMap(templateMeta['labels']), annotations: strMap(templateMeta['annotations']) },
        containers: arr(obj(template['spec'])['containers']).map((c) => ({ name: str(obj(c)['name']) ?? '', image: str(obj(c)['image']) ?? '' })),
        raw: spec['template'] ?? null,
      },
      minReadySeconds: num(spec['minReadySeconds']),
      revisionHistoryLimit: num(spec['revisionHistoryLimit']),
      progressDeadlineSeconds: num(spec['progressDeadlineSeconds']),
      progressDeadlineAbort: bool(spec['progressDeadlineAbort']),
      paused: bool(spec['paused']),
      strategy: { canary: strategy },
    },
    position: index.document,
  };
}

function buildMetric(v: Json, index: PositionIndex, path: string): Metric {
  const o = obj(v);
  const provider = obj(o['provider']);
  const prom = provider['prometheus'];
  const other = Object.keys(provider).find((k) => k !== 'prometheus' && provider[k] !== null);
  return {
    name: str(o['name']) ?? '',
    interval: str(o['interval']),
    initialDelay: str(o['initialDelay']),
    count: ios(o['count']),
    successCondition: str(o['successCondition']),
    failureCondition: str(o['failureCondition']),
    failureLimit: ios(o['failureLimit']),
    inconclusiveLimit: ios(o['inconclusiveLimit']),
    consecutiveErrorLimit: ios(o['consecutiveErrorLimit']),
    consecutiveSuccessLimit: ios(o['consecutiveSuccessLimit']),
    provider: {
      ...(prom !== undefined
        ? { prometheus: { address: str(obj(prom)['address']), query: str(obj(prom)['query']) ?? '', timeout: num(obj(prom)['timeout']) } }
        : {}),
      ...(other !== undefined ? { other } : {}),
    },
    position: positionAt(index, path),
  };
}

export function buildAnalysisTemplate(v: Json, kind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate', index: PositionIndex): AnalysisTemplate {
  const root = obj(v);
  const spec = obj(root['spec']);
  return {
    kind,
    metadata: buildMeta(root['metadata']),
    spec: {
      metrics: arr(spec['metrics']).map((m, i) => buildMetric(m, index, `spec.metrics[${i}]`)),
      args: buildArgs(spec['args']),
      dryRun: buildDryRun(spec['dryRun']),
      measurementRetention: [],
    },
    position: index.document,
  };
}

export function buildService(v: Json, index: PositionIndex): Service {
  const root = obj(v);
  return {
    kind: 'Service',
    metadata: buildMeta(root['metadata']),
    spec: { selector: strMap(obj(root['spec'])['selector']) },
    position: index.document,
  };
}
