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
  ['Rollout spec.selector.matchExpressions', { support: 'notSimulated', note: 'only selector.matchLabels is supported' }],
  // BlueGreenStrategy
  ['Rollout spec.strategy.blueGreen.antiAffinity', { support: 'noEffect', note: 'pod scheduling is not modelled' }],
  ['Rollout spec.strategy.blueGreen.activeMetadata', { support: 'notSimulated', note: 'extra labels/annotations on active pods' }],
  ['Rollout spec.strategy.blueGreen.previewMetadata', { support: 'notSimulated', note: 'extra labels/annotations on preview pods' }],
  ['Rollout spec.strategy.blueGreen.prePromotionAnalysis.analysisRunMetadata', { support: 'noEffect', note: 'labels/annotations on AnalysisRuns' }],
  ['Rollout spec.strategy.blueGreen.postPromotionAnalysis.analysisRunMetadata', { support: 'noEffect', note: 'labels/annotations on AnalysisRuns' }],
  // CanaryStrategy
  ['Rollout spec.strategy.canary.antiAffinity', { support: 'noEffect', note: 'pod scheduling is not modelled' }],
  ['Rollout spec.strategy.canary.canaryMetadata', { support: 'notSimulated', note: 'extra labels/annotations on canary pods' }],
  ['Rollout spec.strategy.canary.stableMetadata', { support: 'notSimulated', note: 'extra labels/annotations on stable pods' }],
  ['Rollout spec.strategy.canary.pingPong', { support: 'notSimulated', note: 'ping-pong services' }],
  // Steps
  // Experiment steps (sim/rollouts/experimentStep.ts): analysisRunMetadata only labels the AnalysisRuns.
  ['Rollout spec.strategy.canary.steps[].experiment.templates[].selector.matchExpressions', { support: 'notSimulated', note: 'only selector.matchLabels is supported' }],
  ['Rollout spec.strategy.canary.steps[].experiment.analysisRunMetadata', { support: 'noEffect', note: 'labels/annotations on AnalysisRuns' }],
  ['Rollout spec.strategy.canary.steps[].plugin', { support: 'notSimulated', note: 'step plugins' }],
  ['Rollout spec.strategy.canary.steps[].analysis.analysisRunMetadata', { support: 'noEffect', note: 'labels/annotations on AnalysisRuns' }],
  ['Rollout spec.strategy.canary.analysis.analysisRunMetadata', { support: 'noEffect', note: 'labels/annotations on AnalysisRuns' }],
  // AnalysisTemplate / ClusterAnalysisTemplate
  // Experiment (standalone)
  ['Experiment spec.templates[].selector.matchExpressions', { support: 'notSimulated', note: 'only selector.matchLabels is supported' }],
  ['Experiment spec.measurementRetention', { support: 'notSimulated', note: 'custom measurement retention' }],
  ['Experiment spec.analysisRunMetadata', { support: 'noEffect', note: 'labels/annotations on AnalysisRuns' }],
  ['Experiment spec.analyses[].args[].valueFrom', { support: 'notSimulated', note: 'arguments read from Secrets or fields (use value, with {{templates.<name>.podTemplateHash}} placeholders)' }],
  ['AnalysisTemplate spec.metrics[].provider.prometheus.rangeQuery', { support: 'notSimulated', note: 'range queries' }],
  ['AnalysisTemplate spec.metrics[].provider.prometheus.authentication', { support: 'noEffect', note: 'credentials for a real Prometheus' }],
  ['AnalysisTemplate spec.metrics[].provider.prometheus.insecure', { support: 'noEffect', note: 'TLS settings for a real Prometheus' }],
  ['AnalysisTemplate spec.metrics[].provider.prometheus.headers', { support: 'noEffect', note: 'HTTP headers for a real Prometheus' }],
  ['AnalysisTemplate spec.metrics[].provider.web.headers', { support: 'noEffect', note: 'HTTP headers for a real endpoint (the scenario says what it answers)' }],
  ['AnalysisTemplate spec.metrics[].provider.web.insecure', { support: 'noEffect', note: 'TLS settings for a real endpoint' }],
  ['AnalysisTemplate spec.metrics[].provider.web.authentication', { support: 'noEffect', note: 'credentials for a real endpoint' }],
  ['AnalysisTemplate spec.metrics[].provider.job.metadata', { support: 'noEffect', note: 'labels/annotations on the Job' }],
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
      secretKeyRef: obj('SecretKeyRef', { name: str, key: str }, { required: { name: 'secretKeyRef needs the name of a Secret', key: 'secretKeyRef needs the key to read from the Secret' } }),
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

const webMetric = obj(
  'WebMetric',
  {
    method: { type: 'string', expect: 'GET, POST or PUT' },
    url: str,
    headers: any,
    body: str,
    timeoutSeconds: int64,
    jsonPath: str,
    insecure: bool,
    jsonBody: any,
    authentication: any,
  },
  { required: { url: 'a web metric needs a url' } },
);

const jobMetric = obj(
  'JobMetric',
  { metadata: any, spec: any },
  { required: { spec: 'a job metric needs spec (a batch/v1 JobSpec with a pod template)' } },
);

const metricProvider = obj('MetricProvider', {
  prometheus: prometheusMetric,
  kayenta: any,
  web: webMetric,
  datadog: any,
  wavefront: any,
  newRelic: any,
  job: jobMetric,
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
        // Nested templates: the same references a Rollout's analysis makes (AnalysisTemplateRef).
        templates: list(obj('AnalysisTemplateRef', { templateName: str, clusterScope: bool }, { required: { templateName: 'every analysis template reference needs a templateName' } })),
      },
      // metrics may be absent when spec.templates nests other templates (validate.ts checks one is there).
      {},
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

/** StringMatch (types.go): exactly one of exact, prefix, regex (validate.ts checks the count). */
const stringMatch = obj('StringMatch', { exact: str, prefix: str, regex: str });
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
  setCanaryScale: obj('SetCanaryScale', { weight: int, replicas: int, matchTrafficWeight: bool }),
  setHeaderRoute: obj(
    'SetHeaderRoute',
    {
      name: str,
      match: list(obj('HeaderRoutingMatch', { headerName: str, headerValue: stringMatch }, { required: { headerName: 'every header match needs a headerName' } })),
    },
    { required: { name: 'setHeaderRoute needs the name of a route listed in trafficRouting.managedRoutes' } },
  ),
  setMirrorRoute: obj(
    'SetMirrorRoute',
    {
      name: str,
      match: list(obj('RouteMatch', { method: stringMatch, path: stringMatch, headers: { type: 'map', values: stringMatch } })),
      percentage: int,
    },
    { required: { name: 'setMirrorRoute needs the name of a route listed in trafficRouting.managedRoutes' } },
  ),
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
  scaleDownDelaySeconds: int,
  scaleDownDelayRevisionLimit: int,
  abortScaleDownDelaySeconds: int,
  dynamicStableScale: bool,
  pingPong: any,
  minPodsPerReplicaSet: int,
  replicaProgressThreshold: obj(
    'ReplicaProgressThreshold',
    { type: { type: 'string', expect: '"Percent" or "Pods"' }, value: int },
    { required: { type: 'replicaProgressThreshold needs a type ("Percent" or "Pods")', value: 'replicaProgressThreshold needs a value' } },
  ),
});

const blueGreenStrategy = obj(
  'BlueGreenStrategy',
  {
    activeService: str,
    previewService: str,
    previewReplicaCount: int,
    autoPromotionEnabled: bool,
    autoPromotionSeconds: int,
    maxUnavailable: { type: 'intOrString', expect: 'an integer or a percentage such as "25%"' },
    scaleDownDelaySeconds: int,
    scaleDownDelayRevisionLimit: int,
    prePromotionAnalysis: rolloutAnalysis,
    antiAffinity: any,
    postPromotionAnalysis: rolloutAnalysis,
    previewMetadata: any,
    activeMetadata: any,
    abortScaleDownDelaySeconds: int,
  },
  // validation.go: ActiveService is the one required field (json without omitempty).
  { required: { activeService: 'a blue-green Rollout needs spec.strategy.blueGreen.activeService: the Service that receives production traffic' } },
);

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
        rollbackWindow: obj('RollbackWindowSpec', { revisions: int }),
        strategy: obj('RolloutStrategy', { blueGreen: blueGreenStrategy, canary: canaryStrategy }),
        revisionHistoryLimit: int,
        paused: bool,
        progressDeadlineSeconds: int,
        progressDeadlineAbort: bool,
        restartAt: { type: 'string', expect: 'an RFC 3339 time such as "2026-01-01T00:00:00Z"' },
        analysis: obj('AnalysisRunStrategy', { successfulRunHistoryLimit: int, unsuccessfulRunHistoryLimit: int }),
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

/** core/v1 Secret: `data` values are base64, `stringData` plain (the API server merges them into data). */
export const secretSchema = obj(
  'Secret',
  { apiVersion: str, kind: str, metadata: objectMeta, data: stringMap, stringData: stringMap, type: str, immutable: bool },
  { required: { metadata: 'metadata is required' } },
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
