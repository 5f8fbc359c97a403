// Turns a schema-checked JSON document into the typed objects of types.ts. Runs only on
// documents the walker found no errors in, so shapes are already right; absent fields stay
// undefined (defaults are the model's job, see types.ts).

import type { Json } from './yamlWalk.js';
import type {
  AnalysisArg,
  BlueGreenStrategy,
  AnalysisTemplate,
  AnalysisTemplateRef,
  CanaryStep,
  CanaryStrategy,
  FixtureProviderKind,
  Experiment,
  ExperimentAnalysisRef,
  PodTemplateSpec,
  RolloutExperimentStep,
  IntOrString,
  Metric,
  ObjectMeta,
  ReplicaProgressThreshold,
  Rollout,
  RolloutAnalysis,
  Secret,
  Service,
  SourcePosition,
  TrafficRouterKind,
  TrafficRouting,
  WebProvider,
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
      const secret = f['secretKeyRef'] === undefined ? undefined : obj(f['secretKeyRef']);
      valueFrom = {
        // Anything but Stable/Latest is reported by validate.ts; kept as written so it can be.
        ...(hash !== undefined ? { podTemplateHashValue: hash as 'Stable' | 'Latest' } : {}),
        ...(fieldPath !== undefined ? { fieldRef: { fieldPath } } : {}),
        ...(secret !== undefined ? { secretKeyRef: { name: str(secret['name']) ?? '', key: str(secret['key']) ?? '' } } : {}),
      };
    }
    return { name: str(o['name']) ?? '', value: str(o['value']), valueFrom };
  });
}

const buildDryRun = (v: Json | undefined): { metricName: string }[] => arr(v).map((d) => ({ metricName: str(obj(d)['metricName']) ?? '' }));
const buildRetention = (v: Json | undefined): { metricName: string; limit: number }[] =>
  arr(v).map((d) => ({ metricName: str(obj(d)['metricName']) ?? '', limit: num(obj(d)['limit']) ?? 0 }));
const buildTemplateRefs = (v: Json | undefined): AnalysisTemplateRef[] =>
  arr(v).map((t) => ({ templateName: str(obj(t)['templateName']) ?? '', clusterScope: bool(obj(t)['clusterScope']) ?? false }));

function buildRolloutAnalysis(v: Json | undefined): RolloutAnalysis {
  const o = obj(v);
  return { templates: buildTemplateRefs(o['templates']), args: buildArgs(o['args']), dryRun: buildDryRun(o['dryRun']), measurementRetention: buildRetention(o['measurementRetention']) };
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
  const managedRoutes = arr(o['managedRoutes']).map((r) => str(obj(r)['name']) ?? '');
  return { routers, maxTrafficWeight: num(o['maxTrafficWeight']), managedRoutes, raw: v };
}

function buildStep(v: Json, index: PositionIndex, path: string): CanaryStep {
  const o = obj(v);
  const position = positionAt(index, path);
  if (o['setWeight'] !== undefined) return { kind: 'setWeight', setWeight: num(o['setWeight']) ?? 0, position };
  if (o['pause'] !== undefined) return { kind: 'pause', pause: { duration: ios(obj(o['pause'])['duration']) }, position };
  if (o['setCanaryScale'] !== undefined) {
    const scs = obj(o['setCanaryScale']);
    return {
      kind: 'setCanaryScale',
      setCanaryScale: { weight: num(scs['weight']), replicas: num(scs['replicas']), matchTrafficWeight: bool(scs['matchTrafficWeight']) },
      position,
    };
  }
  if (o['setHeaderRoute'] !== undefined) {
    const r = obj(o['setHeaderRoute']);
    return { kind: 'setHeaderRoute', setHeaderRoute: { name: str(r['name']) ?? '', match: Array.isArray(r['match']) ? r['match'] : undefined }, position };
  }
  if (o['setMirrorRoute'] !== undefined) {
    const r = obj(o['setMirrorRoute']);
    return {
      kind: 'setMirrorRoute',
      setMirrorRoute: { name: str(r['name']) ?? '', match: Array.isArray(r['match']) ? r['match'] : undefined, percentage: num(r['percentage']) },
      position,
    };
  }
  if (o['experiment'] !== undefined) return { kind: 'experiment', experiment: buildExperimentStep(o['experiment']), position };
  return { kind: 'analysis', analysis: buildRolloutAnalysis(o['analysis']), position };
}

function buildBlueGreen(v: Json | undefined): BlueGreenStrategy | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v);
  const analysis = (key: string): RolloutAnalysis | undefined => (o[key] === undefined || o[key] === null ? undefined : buildRolloutAnalysis(o[key]));
  return {
    activeService: str(o['activeService']) ?? '',
    previewService: str(o['previewService']),
    previewReplicaCount: num(o['previewReplicaCount']),
    autoPromotionEnabled: bool(o['autoPromotionEnabled']),
    autoPromotionSeconds: num(o['autoPromotionSeconds']) ?? 0,
    scaleDownDelaySeconds: num(o['scaleDownDelaySeconds']),
    scaleDownDelayRevisionLimit: num(o['scaleDownDelayRevisionLimit']),
    abortScaleDownDelaySeconds: num(o['abortScaleDownDelaySeconds']),
    maxUnavailable: ios(o['maxUnavailable']),
    prePromotionAnalysis: analysis('prePromotionAnalysis'),
    postPromotionAnalysis: analysis('postPromotionAnalysis'),
  };
}

/** The type is kept as written: validate.ts rejects anything but "Percent" and "Pods". */
function buildReplicaProgressThreshold(v: Json | undefined): ReplicaProgressThreshold | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v);
  return { type: str(o['type']) ?? '', value: num(o['value']) ?? 0 };
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
  const blueGreen = buildBlueGreen(obj(spec['strategy'])['blueGreen']);
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
    scaleDownDelaySeconds: num(canary['scaleDownDelaySeconds']),
    scaleDownDelayRevisionLimit: num(canary['scaleDownDelayRevisionLimit']),
    abortScaleDownDelaySeconds: num(canary['abortScaleDownDelaySeconds']),
    dynamicStableScale: bool(canary['dynamicStableScale']),
    minPodsPerReplicaSet: num(canary['minPodsPerReplicaSet']),
    replicaProgressThreshold: buildReplicaProgressThreshold(canary['replicaProgressThreshold']),
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
      restartAt: str(spec['restartAt']),
      rollbackWindow: spec['rollbackWindow'] === undefined || spec['rollbackWindow'] === null ? undefined : { revisions: num(obj(spec['rollbackWindow'])['revisions']) },
      strategy: blueGreen === undefined ? { canary: strategy } : { canary: strategy, blueGreen },
      ...(spec['analysis'] !== undefined
        ? {
            analysis: {
              successfulRunHistoryLimit: num(obj(spec['analysis'])['successfulRunHistoryLimit']),
              unsuccessfulRunHistoryLimit: num(obj(spec['analysis'])['unsuccessfulRunHistoryLimit']),
            },
          }
        : {}),
    },
    position: index.document,
    raw: v,
  };
}

function buildMetric(v: Json, index: PositionIndex, path: string): Metric {
  const o = obj(v);
  const provider = obj(o['provider']);
  const prom = provider['prometheus'];
  const keys = Object.keys(provider).filter((k) => provider[k] !== null && provider[k] !== undefined);
  const web = provider['web'];
  const job = provider['job'];
  const fixtureKind = FIXTURE_KINDS.find((k) => keys.includes(k));
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
      ...(web !== undefined && web !== null ? { web: buildWeb(obj(web)) } : {}),
      ...(job !== undefined && job !== null ? { job: { images: jobImages(obj(job)) } } : {}),
      ...(fixtureKind !== undefined ? { fixture: { kind: fixtureKind, raw: provider[fixtureKind] ?? null } } : {}),
      keys,
    },
    position: positionAt(index, path),
  };
}

/** Providers whose answers come from the scenario's fixtures (sim/analysis/providers/fixture.ts). */
const FIXTURE_KINDS: readonly FixtureProviderKind[] = ['datadog', 'newRelic', 'cloudWatch', 'wavefront', 'graphite', 'influxdb', 'kayenta', 'skywalking', 'plugin'];

function buildWeb(o: Obj): WebProvider {
  return {
    method: str(o['method']),
    url: str(o['url']) ?? '',
    timeoutSeconds: num(o['timeoutSeconds']),
    jsonPath: str(o['jsonPath']),
    body: str(o['body']),
    jsonBody: o['jsonBody'],
  };
}

function jobImages(o: Obj): string[] {
  const podSpec = obj(obj(obj(o['spec'])['template'])['spec']);
  return [...arr(podSpec['initContainers']), ...arr(podSpec['containers'])].map((c) => str(obj(c)['image']) ?? '').filter((i) => i !== '');
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
      measurementRetention: buildRetention(spec['measurementRetention']),
      templates: buildTemplateRefs(spec['templates']),
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

/** Base64 as the API server decodes `data` (standard alphabet); undecodable values are kept as written. */
function decodeBase64(text: string): string {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return text;
  return new TextDecoder().decode(Uint8Array.from(atob(clean), (c) => c.charCodeAt(0)));
}

export function buildSecret(v: Json, index: PositionIndex): Secret {
  const root = obj(v);
  const data: Record<string, string> = {};
  for (const [k, val] of Object.entries(strMap(root['data']))) data[k] = decodeBase64(val);
  // stringData is merged into data by the API server, and wins.
  for (const [k, val] of Object.entries(strMap(root['stringData']))) data[k] = val;
  return { kind: 'Secret', metadata: buildMeta(root['metadata']), data, position: index.document };
}
