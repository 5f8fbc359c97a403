// The shape of every object kind rehearse reads, field by field, as upstream defines it — so that
// a typo is an error with a suggestion, and a real field we do not model is an error that says so.
//
// Field lists follow argoproj/argo-rollouts v1.9.1 `pkg/apis/rollouts/v1alpha1/types.go` (Rollout,
// RolloutSpec, CanaryStrategy, CanaryStep, RolloutAnalysis, RolloutTrafficRouting and the router
// structs) and `analysis_types.go` (AnalysisTemplateSpec, Metric, MetricProvider, PrometheusMetric,
// Argument), plus k8s.io/api ObjectMeta, PodTemplateSpec and Service. Every field upstream
// defines is listed, with the JSON type upstream decodes it as; fields whose behaviour rehearse
// does not model yet are listed in FIELD_SUPPORT below and rejected with a clear message.

/** The JSON shape a field must have. `name` on objects is upstream's Go type, used in messages. */
export type FieldSchema =
  | { readonly type: 'string'; readonly expect?: string }
  | { readonly type: 'int' } // int32
  | { readonly type: 'int64' }
  | { readonly type: 'bool' }
  | { readonly type: 'intOrString'; readonly expect?: string }
  | { readonly type: 'stringMap' }
  | ObjectSchema
  | { readonly type: 'list'; readonly items: FieldSchema; readonly nonEmpty?: string }
  | { readonly type: 'map'; readonly values: FieldSchema }
  /** Accepted without looking inside (pod spec details, status, fields routed to FIELD_SUPPORT). */
  | { readonly type: 'any' };

export interface ObjectSchema {
  readonly type: 'object';
  readonly name: string;
  readonly fields: Readonly<Record<string, FieldSchema>>;
  /** Required fields and the message to give when one is missing. */
  readonly required?: Readonly<Record<string, string>>;
  /** Unknown fields are accepted silently (pod template, Service spec: they do not affect the controller). */
  readonly open?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Fields upstream defines but rehearse does not simulate (or that cannot change what it simulates).
//
// Key: `<Kind> <path pattern>`, where list indices are written `[]`. AnalysisTemplate entries also
// apply to ClusterAnalysisTemplate. To start simulating a field: give it a real schema below,
// carry it into types.ts and the model, and delete its entry here.

export type FieldSupport =
  /** Present ⇒ load error "`x` is not simulated by rehearse yet". */
  | 'notSimulated'
  /** Accepted: it only changes things rehearse does not model (scheduling, credentials, labels on AnalysisRuns). */
  | 'noEffect';

export interface FieldSupportEntry {
  readonly support: FieldSupport;
  /** Why, in a few words; shown in the error for notSimulated fields. */
  readonly note: string;
}

export const FIELD_SUPPORT: ReadonlyMap<string, FieldSupportEntry> = new Map<string, FieldSupportEntry>([
  // Rollout spec
  ['Rollout spec.workloadRef', { support: 'notSimulated', note: 'the pod template must be written inline in spec.template' }],
  ['Rollout spec.restartAt', { support: 'notSimulated', note: 'pod restarts are not modelled' }],
  ['Rollout spec.rollbackWindow', { support: 'notSimulated', note: 'fast-track rollbacks within a window are not modelled' }],
  ['Rollout spec.analysis', { support: 'noEffect', note: 'AnalysisRun history limits only affect garbage collection' }],
  ['Rollout spec.selector.matchExpressions', { support: 'notSimulated', note: 'only selector.matchLabels is supported' }],
  ['Rollout spec.strategy.blueGreen', { support: 'notSimulated', note: 'only the canary strategy is simulated' }],
  // CanaryStrategy
  ['Rollout spec.strategy.canary.antiAffinity', { support: 'noEffect', note: 'pod scheduling is not modelled' }],
  ['Rollout spec.strategy.canary.canaryMetadata', { support: 'notSimulated', note: 'extra labels/annotations on canary pods' }],
  ['Rollout spec.strategy.canary.stableMetadata', { support: 'notSimulated', note: 'extra labels/annotations on stable pods' }],
  ['Rollout spec.strategy.canary.scaleDownDelaySeconds', { support: 'notSimulated', note: 'delayed scale-down of the old ReplicaSet' }],
  ['Rollout spec.strategy.canary.scaleDownDelayRevisionLimit', { support: 'notSimulated', note: 'delayed scale-down of old ReplicaSets' }],
  ['Rollout spec.strategy.canary.abortScaleDownDelaySeconds', { support: 'notSimulated', note: 'delayed scale-down after an abort' }],
  ['Rollout spec.strategy.canary.dynamicStableScale', { support: 'notSimulated', note: 'stable scale-down while traffic shifts' }],
  ['Rollout spec.strategy.canary.pingPong', { support: 'notSimulated', note: 'ping-pong services' }],
  ['Rollout spec.strategy.canary.minPodsPerReplicaSet', { support: 'notSimulated', note: 'minimum pod counts per ReplicaSet' }],
  ['Rollout spec.strategy.canary.replicaProgressThreshold', { support: 'notSimulated', note: 'partial-availability step completion' }],
  // Steps
  // Experiment steps (sim/rollouts/experimentStep.ts): analysisRunMetadata only labels the AnalysisRuns.
  ['Rollout spec.strategy.canary.steps[].experiment.templates[].selector.matchExpressions', { support: 'notSimulated', note: 'only selector.matchLabels is supported' }],
  ['Rollout spec.strategy.canary.steps[].experiment.analysisRunMetadata', { support: 'noEffect', note: 'labels/annotations on AnalysisRuns' }],
  ['Rollout spec.strategy.canary.steps[].setCanaryScale', { support: 'notSimulated', note: 'explicit canary scale steps' }],
  ['Rollout spec.strategy.canary.steps[].setHeaderRoute', { support: 'notSimulated', note: 'header-based routing steps' }],
  ['Rollout spec.strategy.canary.steps[].setMirrorRoute', { support: 'notSimulated', note: 'traffic mirroring steps' }],
  ['Rollout spec.strategy.canary.steps[].plugin', { support: 'notSimulated', note: 'step plugins' }],
  ['Rollout spec.strategy.canary.steps[].analysis.measurementRetention', { support: 'notSimulated', note: 'custom measurement retention' }],
  ['Rollout spec.strategy.canary.steps[].analysis.analysisRunMetadata', { support: 'noEffect', note: 'labels/annotations on AnalysisRuns' }],
  ['Rollout spec.strategy.canary.analysis.measurementRetention', { support: 'notSimulated', note: 'custom measurement retention' }],
  ['Rollout spec.strategy.canary.analysis.analysisRunMetadata', { support: 'noEffect', note: 'labels/annotations on AnalysisRuns' }],
  // Traffic routing: every router is simulated as exact weights; managed routes only serve header/mirror steps.
  ['Rollout spec.strategy.canary.trafficRouting.managedRoutes', { support: 'noEffect', note: 'used only by setHeaderRoute/setMirrorRoute steps' }],
  // AnalysisTemplate / ClusterAnalysisTemplate
  // Experiment (standalone)
  ['Experiment spec.templates[].selector.matchExpressions', { support: 'notSimulated', note: 'only selector.matchLabels is supported' }],
  ['Experiment spec.measurementRetention', { support: 'notSimulated', note: 'custom measurement retention' }],
  ['Experiment spec.analysisRunMetadata', { support: 'noEffect', note: 'labels/annotations on AnalysisRuns' }],
  ['Experiment spec.analyses[].args[].valueFrom', { support: 'notSimulated', note: 'arguments read from Secrets or fields (use value, with {{templates.<name>.podTemplateHash}} placeholders)' }],
  ['AnalysisTemplate spec.measurementRetention', { support: 'notSimulated', note: 'custom measurement retention' }],
  ['AnalysisTemplate spec.templates', { support: 'notSimulated', note: 'AnalysisTemplates that include other templates' }],
  ['AnalysisTemplate spec.args[].valueFrom.secretKeyRef', { support: 'notSimulated', note: 'arguments read from Secrets' }],
  ['AnalysisTemplate spec.metrics[].provider.kayenta', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.web', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.datadog', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.wavefront', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.newRelic', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.job', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.cloudWatch', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.graphite', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.influxdb', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.skywalking', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.plugin', { support: 'notSimulated', note: 'only the prometheus provider is simulated' }],
  ['AnalysisTemplate spec.metrics[].provider.prometheus.rangeQuery', { support: 'notSimulated', note: 'range queries' }],
  ['AnalysisTemplate spec.metrics[].provider.prometheus.authentication', { support: 'noEffect', note: 'credentials for a real Prometheus' }],
  ['AnalysisTemplate spec.metrics[].provider.prometheus.insecure', { support: 'noEffect', note: 'TLS settings for a real Prometheus' }],
  ['AnalysisTemplate spec.metrics[].provider.prometheus.headers', { support: 'noEffect', note: 'HTTP headers for a real Prometheus' }],
]);

/** Looks up a field's support entry; ClusterAnalysisTemplate shares AnalysisTemplate's entries. */
export function fieldSupport(kind: string, pattern: string): FieldSupportEntry | undefined {
  const tableKind = kind === 'ClusterAnalysisTemplate' ? 'AnalysisTemplate' : kind;
  return FIELD_SUPPORT.get(`${tableKind} ${pattern}`);
}

// ---------------------------------------------------------------------------------------------
// Small builders

const str: FieldSchema = { type: 'string' };
const int: FieldSchema = { type: 'int' };
const int64: FieldSchema = { type: 'int64' };
const bool: FieldSchema = { type: 'bool' };
const stringMap: FieldSchema = { type: 'stringMap' };
const any: FieldSchema = { type: 'any' };
const list = (items: FieldSchema, nonEmpty?: string): FieldSchema => (nonEmpty === undefined ? { type: 'list', items } : { type: 'list', items, nonEmpty });
const goDuration: FieldSchema = { type: 'string', expect: 'a Go duration string such as "30s", "5m" or "1h30m"' };
function obj(
  name: string,
  fields: Record<string, FieldSchema>,
  options: { required?: Record<string, string>; open?: boolean } = {},
): ObjectSchema {
  return { type: 'object', name, fields, ...options };
}

// ---------------------------------------------------------------------------------------------
// Kubernetes core

/** k8s.io/apimachinery ObjectMeta: every field; only name/namespace/labels/annotations are read. */
const objectMeta = obj(
  'ObjectMeta',
  {
    name: str,
    generateName: str,
    namespace: str,
    selfLink: str,
    uid: str,
    resourceVersion: str,
    generation: int64,
    creationTimestamp: any,
    deletionTimestamp: any,
    deletionGracePeriodSeconds: int64,
    labels: stringMap,
    annotations: stringMap,
    ownerReferences: any,
    finalizers: any,
    managedFields: any,
  },
  { required: { name: 'metadata.name is required (rehearse does not support generateName)' } },
);

const container = obj(
  'Container',
  { name: str, image: str },
  {
    open: true,
    required: {
      name: 'every container needs a name',
      image: 'every container needs an image (rehearse maps images to simulated behaviour)',
    },
  },
);

/** corev1.PodTemplateSpec: only labels, annotations and container names/images matter to the controller. */
const podTemplateSpec = obj(
  'PodTemplateSpec',
  {
    metadata: obj('ObjectMeta', { labels: stringMap, annotations: stringMap }, { open: true }),
    spec: obj(
      'PodSpec',
      { containers: list(container, 'the pod template needs at least one container') },
      { open: true, required: { containers: 'spec.template.spec.containers is required: a list of containers with name and image' } },
    ),
  },
  { required: { spec: 'spec.template.spec is required (the pod spec with its containers)' } },
);

const labelSelector = obj('LabelSelector', { matchLabels: stringMap, matchExpressions: any });

export const serviceSchema = obj(
  'Service',
  {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: obj('ServiceSpec', { selector: stringMap }, { open: true }),
    status: any,
  },
  { required: { metadata: 'metadata is required' } },
);

export const listSchema = obj('List', { apiVersion: str, kind: str, metadata: any, items: list(any) });

// ---------------------------------------------------------------------------------------------
// Analysis (analysis_types.go)

const dryRun = obj('DryRun', { metricName: str }, { required: { metricName: 'dryRun entries need a metricName (a regular expression)' } });
const measurementRetention = obj('MeasurementRetention', { metricName: str, limit: int });

const argument = obj(
  'Argument',
  {
    name: str,
    value: { type: 'string', expect: 'a string (quote numbers, e.g. "5")' },
    valueFrom: obj('ValueFrom', {
      secretKeyRef: any,
      fieldRef: obj('FieldRef', { fieldPath: str }, { required: { fieldPath: 'fieldRef needs a fieldPath' } }),
    }),
  },
  { required: { name: 'every argument needs a name' } },
);

const prometheusMetric = obj(
  'PrometheusMetric',
  {
    address: str,
    query: str,
    authentication: any,
    timeout: int64,
    insecure: bool,
    headers: any,
    rangeQuery: any,
  },
  { required: { query: 'a prometheus metric needs a query' } },
);

const metricProvider = obj('MetricProvider', {
  prometheus: prometheusMetric,
  kayenta: any,
  web: any,
  datadog: any,
  wavefront: any,
  newRelic: any,
  job: any,
  cloudWatch: any,
  graphite: any,
  influxdb: any,
  skywalking: any,
  plugin: any,
});

const countLike: FieldSchema = { type: 'intOrString', expect: 'an integer or an argument placeholder such as "{{args.count}}"' };

const metric = obj(
  'Metric',
  {
    name: str,
    interval: goDuration,
    initialDelay: goDuration,
    count: countLike,
    successCondition: str,
    failureCondition: str,
    failureLimit: countLike,
    inconclusiveLimit: countLike,
    consecutiveErrorLimit: countLike,
    consecutiveSuccessLimit: countLike,
    provider: metricProvider,
  },
  { required: { name: 'every metric needs a name', provider: 'every metric needs a provider (e.g. prometheus)' } },
);

export const analysisTemplateSchema = obj(
  'AnalysisTemplate',
  {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: obj(
      'AnalysisTemplateSpec',
      {
        metrics: list(metric, 'no metrics specified: an AnalysisTemplate needs at least one metric'),
        args: list(argument),
        dryRun: list(dryRun),
        measurementRetention: list(measurementRetention),
        templates: any,
      },
      { required: { metrics: 'no metrics specified: an AnalysisTemplate needs spec.metrics' } },
    ),
  },
  { required: { metadata: 'metadata is required', spec: 'spec is required' } },
);

// ---------------------------------------------------------------------------------------------
// Rollout (types.go)

const analysisTemplateRef = obj(
  'AnalysisTemplateRef',
  { templateName: str, clusterScope: bool },
  { required: { templateName: 'every analysis template reference needs a templateName' } },
);

const analysisRunArgument = obj(
  'AnalysisRunArgument',
  {
    name: str,
    value: { type: 'string', expect: 'a string (quote numbers, e.g. "5")' },
    valueFrom: obj('ArgumentValueFrom', {
      podTemplateHashValue: { type: 'string', expect: '"Stable" or "Latest"' },
      fieldRef: obj('FieldRef', { fieldPath: str }, { required: { fieldPath: 'fieldRef needs a fieldPath' } }),
    }),
  },
  { required: { name: 'every argument needs a name' } },
);

const rolloutAnalysisFields: Record<string, FieldSchema> = {
  templates: list(analysisTemplateRef, 'analysis needs at least one template'),
  args: list(analysisRunArgument),
  dryRun: list(dryRun),
  measurementRetention: list(measurementRetention),
  analysisRunMetadata: any,
};
const rolloutAnalysisRequired = { templates: 'analysis needs templates: a list of {templateName: ...}' };

const rolloutAnalysis = obj('RolloutAnalysis', rolloutAnalysisFields, { required: rolloutAnalysisRequired });
const rolloutAnalysisBackground = obj(
  'RolloutAnalysisBackground',
  { ...rolloutAnalysisFields, startingStep: int },
  { required: rolloutAnalysisRequired },
);

// RolloutExperimentStep (types.go)
const podTemplateMetadata = obj('PodTemplateMetadata', { labels: stringMap, annotations: stringMap });
const rolloutExperimentTemplate = obj(
  'RolloutExperimentTemplate',
  {
    name: str,
    specRef: { type: 'string', expect: '"stable" or "canary"' },
    replicas: int,
    metadata: podTemplateMetadata,
    selector: labelSelector,
    weight: int,
    service: obj('TemplateService', { name: str }),
  },
  {
    required: {
      name: 'every experiment template needs a name',
      specRef: 'every experiment template needs a specRef ("stable" or "canary")',
    },
  },
);
const rolloutExperimentAnalysis = obj(
  'RolloutExperimentStepAnalysisTemplateRef',
  { name: str, templateName: str, clusterScope: bool, args: list(analysisRunArgument), requiredForCompletion: bool },
  { required: { name: 'every experiment analysis needs a name', templateName: 'every experiment analysis needs a templateName' } },
);
const rolloutExperimentStep = obj(
  'RolloutExperimentStep',
  {
    templates: list(rolloutExperimentTemplate),
    duration: goDuration,
    analyses: list(rolloutExperimentAnalysis),
    dryRun: list(dryRun),
    analysisRunMetadata: any,
    scaleDownDelaySeconds: int,
  },
  { required: { templates: 'an experiment step needs templates: a list of {name, specRef: stable|canary, replicas}' } },
);

const canaryStep = obj('CanaryStep', {
  setWeight: int,
  pause: obj('RolloutPause', {
    duration: { type: 'intOrString', expect: 'a number of seconds or a duration string such as "30s" or "1h"' },
  }),
  experiment: rolloutExperimentStep,
  analysis: rolloutAnalysis,
  setCanaryScale: any,
  setHeaderRoute: any,
  setMirrorRoute: any,
  plugin: any,
});

const istioVirtualService = obj(
  'IstioVirtualService',
  {
    name: str,
    routes: list(str),
    tlsRoutes: list(obj('TLSRoute', { port: int64, sniHosts: list(str) })),
    tcpRoutes: list(obj('TCPRoute', { port: int64 })),
  },
  { required: { name: 'the Istio virtual service needs a name' } },
);

const trafficRouting = obj('RolloutTrafficRouting', {
  istio: obj('IstioTrafficRouting', {
    virtualService: istioVirtualService,
    destinationRule: obj('IstioDestinationRule', {
      name: str,
      canarySubsetName: str,
      stableSubsetName: str,
      additionalSubsetNames: list(str),
    }),
    virtualServices: list(istioVirtualService),
  }),
  nginx: obj('NginxTrafficRouting', {
    annotationPrefix: str,
    stableIngress: str,
    additionalIngressAnnotations: stringMap,
    stableIngresses: list(str),
    canaryIngressAnnotations: stringMap,
  }),
  alb: obj('ALBTrafficRouting', {
    ingress: str,
    servicePort: int,
    rootService: str,
    annotationPrefix: str,
    stickinessConfig: obj('StickinessConfig', { enabled: bool, durationSeconds: int64 }),
    ingresses: list(str),
  }),
  smi: obj('SMITrafficRouting', { rootService: str, trafficSplitName: str }),
  ambassador: obj('AmbassadorTrafficRouting', { mappings: list(str) }),
  appMesh: obj('AppMeshTrafficRouting', {
    virtualService: obj('AppMeshVirtualService', { name: str, routes: list(str) }),
    virtualNodeGroup: obj('AppMeshVirtualNodeGroup', {
      canaryVirtualNodeRef: obj('AppMeshVirtualNodeReference', { name: str }),
      stableVirtualNodeRef: obj('AppMeshVirtualNodeReference', { name: str }),
    }),
  }),
  traefik: obj('TraefikTrafficRouting', { weightedTraefikServiceName: str }),
  apisix: obj('ApisixTrafficRouting', { route: obj('ApisixRoute', { name: str, rules: list(str) }) }),
  plugins: { type: 'map', values: any },
  managedRoutes: list(obj('MangedRoutes', { name: str })),
  maxTrafficWeight: int,
});

const canaryStrategy = obj('CanaryStrategy', {
  canaryService: str,
  stableService: str,
  steps: list(canaryStep),
  trafficRouting,
  maxUnavailable: { type: 'intOrString', expect: 'an integer or a percentage such as "25%"' },
  maxSurge: { type: 'intOrString', expect: 'an integer or a percentage such as "25%"' },
  analysis: rolloutAnalysisBackground,
  antiAffinity: any,
  canaryMetadata: any,
  stableMetadata: any,
  scaleDownDelaySeconds: any,
  scaleDownDelayRevisionLimit: any,
  abortScaleDownDelaySeconds: any,
  dynamicStableScale: any,
  pingPong: any,
  minPodsPerReplicaSet: any,
  replicaProgressThreshold: any,
});

export const rolloutSchema = obj(
  'Rollout',
  {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: obj(
      'RolloutSpec',
      {
        replicas: int,
        selector: labelSelector,
        template: podTemplateSpec,
        workloadRef: any,
        minReadySeconds: int,
        rollbackWindow: any,
        strategy: obj('RolloutStrategy', { blueGreen: any, canary: canaryStrategy }),
        revisionHistoryLimit: int,
        paused: bool,
        progressDeadlineSeconds: int,
        progressDeadlineAbort: bool,
        restartAt: any,
        analysis: any,
      },
      {
        required: {
          // Upstream MissingFieldMessage texts (pkg/apis/rollouts/validation/validation.go).
          selector: "Rollout has missing field '.spec.selector'",
          template: 'Rollout has missing field \'.spec.template\' (rehearse needs the pod template inline)',
          strategy: "Rollout has missing field '.spec.strategy.canary or .spec.strategy.blueGreen'",
        },
      },
    ),
    status: any,
  },
  { required: { metadata: 'metadata is required', spec: 'spec is required' } },
);

// ---------------------------------------------------------------------------------------------
// Experiment (experiment_types.go)

const experimentTemplateSpec = obj(
  'TemplateSpec',
  {
    name: str,
    replicas: int,
    minReadySeconds: int,
    selector: labelSelector,
    template: podTemplateSpec,
    service: obj('TemplateService', { name: str }),
  },
  {
    required: {
      name: 'every experiment template needs a name',
      selector: "Experiment has missing field '.spec.templates[].selector'",
      template: 'every experiment template needs a pod template (template.spec.containers)',
    },
  },
);

const experimentAnalysisRef = obj(
  'ExperimentAnalysisTemplateRef',
  { name: str, templateName: str, clusterScope: bool, args: list(argument), requiredForCompletion: bool },
  { required: { name: 'every experiment analysis needs a name', templateName: 'every experiment analysis needs a templateName' } },
);

export const experimentSchema = obj(
  'Experiment',
  {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: obj(
      'ExperimentSpec',
      {
        templates: list(experimentTemplateSpec),
        duration: goDuration,
        progressDeadlineSeconds: int,
        terminate: bool,
        analyses: list(experimentAnalysisRef),
        scaleDownDelaySeconds: int,
        dryRun: list(dryRun),
        measurementRetention: list(measurementRetention),
        analysisRunMetadata: any,
      },
      { required: { templates: 'an Experiment needs spec.templates' } },
    ),
    status: any,
  },
  { required: { metadata: 'metadata is required', spec: 'spec is required' } },
);
