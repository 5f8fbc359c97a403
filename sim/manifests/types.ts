// Typed shapes of the Kubernetes / Argo Rollouts objects rehearse reads, as the loader hands them
// to the model. Field names follow upstream (`pkg/apis/rollouts/v1alpha1/types.go`,
// `analysis_types.go` in argoproj/argo-rollouts v1.9.1) so the model reads like the Go.
// Defaults are NOT applied here: an absent field stays `undefined`, and the model applies
// upstream's defaults in one place (sim/rollouts/defaults.ts), exactly as the controller does.

import type { Diagnostic } from '../diagnostics.js';

/** Where a value came from, for error messages: file, 1-based line and column. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Kubernetes IntOrString: a number is absolute, any string is a percentage or a quantity text. */
export type IntOrString = number | string;

export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface Container {
  readonly name: string;
  readonly image: string;
}

export interface PodTemplateSpec {
  readonly metadata: { readonly labels: Readonly<Record<string, string>>; readonly annotations: Readonly<Record<string, string>> };
  readonly containers: readonly Container[];
  /** The template exactly as written (plain JSON), used for the pod-template hash. */
  readonly raw: unknown;
}

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------------------------------------
// Analysis (analysis_types.go)

export interface AnalysisArg {
  readonly name: string;
  readonly value: string | undefined;
  readonly valueFrom:
    | {
        readonly podTemplateHashValue?: 'Stable' | 'Latest';
        readonly fieldRef?: { readonly fieldPath: string };
        /** AnalysisTemplate args only: read from a Secret among the manifests when the run measures. */
        readonly secretKeyRef?: { readonly name: string; readonly key: string };
      }
    | undefined;
}

export interface PrometheusProvider {
  readonly address: string | undefined;
  readonly query: string;
  /** Seconds; upstream default 30. */
  readonly timeout: number | undefined;
}

/** `web` (WebMetric): only what decides the answer; headers, auth and TLS settings have no effect here. */
export interface WebProvider {
  readonly method: string | undefined;
  readonly url: string;
  /** Seconds; upstream default 10 when unset or ≤ 0. */
  readonly timeoutSeconds: number | undefined;
  readonly jsonPath: string | undefined;
  readonly body: string | undefined;
  readonly jsonBody: unknown;
}

/** `job`: the Job spec is kept as written; the scenario says how the simulated Job ends. */
export interface JobProvider {
  /** Container images of the Job's pod template, for matching scenario entries. */
  readonly images: readonly string[];
}

/** Providers answered from scenario fixtures (datadog, newRelic, cloudWatch, ...): the block as written. */
export type FixtureProviderKind = 'datadog' | 'newRelic' | 'cloudWatch' | 'wavefront' | 'graphite' | 'influxdb' | 'kayenta' | 'skywalking' | 'plugin';

export interface MetricProvider {
  readonly prometheus?: PrometheusProvider;
  readonly web?: WebProvider;
  readonly job?: JobProvider;
  readonly fixture?: { readonly kind: FixtureProviderKind; readonly raw: unknown };
  /** Every provider key written (for the "exactly one provider" check). */
  readonly keys?: readonly string[];
  /** Other providers (web, job, datadog, ...): name of the provider key, kept for the "not simulated" report. */
  readonly other?: string;
}

export interface Metric {
  readonly name: string;
  readonly interval: string | undefined;
  readonly initialDelay: string | undefined;
  readonly count: IntOrString | undefined;
  readonly successCondition: string | undefined;
  readonly failureCondition: string | undefined;
  readonly failureLimit: IntOrString | undefined;
  readonly inconclusiveLimit: IntOrString | undefined;
  readonly consecutiveErrorLimit: IntOrString | undefined;
  readonly consecutiveSuccessLimit: IntOrString | undefined;
  readonly provider: MetricProvider;
  readonly position: SourcePosition;
}

export interface AnalysisTemplate {
  readonly kind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly metrics: readonly Metric[];
    readonly args: readonly AnalysisArg[];
    readonly dryRun: readonly { readonly metricName: string }[];
    readonly measurementRetention: readonly { readonly metricName: string; readonly limit: number }[];
    /** Nested templates (`spec.templates`), flattened in when a run is created. */
    readonly templates?: readonly AnalysisTemplateRef[];
  };
  readonly position: SourcePosition;
}

// ---------------------------------------------------------------------------------------------
// Rollout (types.go)

export interface AnalysisTemplateRef {
  readonly templateName: string;
  readonly clusterScope: boolean;
}

/** RolloutAnalysis: used by analysis steps and background analysis. */
export interface RolloutAnalysis {
  readonly templates: readonly AnalysisTemplateRef[];
  readonly args: readonly AnalysisArg[];
  readonly dryRun: readonly { readonly metricName: string }[];
  readonly measurementRetention: readonly { readonly metricName: string; readonly limit: number }[];
}

export interface RolloutAnalysisBackground extends RolloutAnalysis {
  readonly startingStep: number | undefined;
}

export interface RolloutPause {
  /** As written: int seconds, digit string, Go duration string, or undefined (indefinite). */
  readonly duration: IntOrString | undefined;
}

/** SetCanaryScale (types.go): canary size without changing the traffic weight. */
export interface SetCanaryScale {
  readonly weight: number | undefined;
  readonly replicas: number | undefined;
  readonly matchTrafficWeight: boolean | undefined;
}

/**
 * SetHeaderRoute (types.go): a managed route sending header-matched requests to the canary.
 * `match` undefined or empty removes the route (rollout/trafficrouting/istio/istio.go).
 */
export interface SetHeaderRoute {
  readonly name: string;
  readonly match: readonly unknown[] | undefined;
}

/**
 * SetMirrorRoute (types.go): a managed route copying `percentage` (default 100) of the matched
 * requests to the canary. `match` undefined or empty removes the route.
 */
export interface SetMirrorRoute {
  readonly name: string;
  readonly match: readonly unknown[] | undefined;
  readonly percentage: number | undefined;
}

export type CanaryStep =
  | { readonly kind: 'setWeight'; readonly setWeight: number; readonly position: SourcePosition }
  | { readonly kind: 'pause'; readonly pause: RolloutPause; readonly position: SourcePosition }
  | { readonly kind: 'analysis'; readonly analysis: RolloutAnalysis; readonly position: SourcePosition }
  | { readonly kind: 'setCanaryScale'; readonly setCanaryScale: SetCanaryScale; readonly position: SourcePosition }
  | { readonly kind: 'setHeaderRoute'; readonly setHeaderRoute: SetHeaderRoute; readonly position: SourcePosition }
  | { readonly kind: 'setMirrorRoute'; readonly setMirrorRoute: SetMirrorRoute; readonly position: SourcePosition }
  | { readonly kind: 'experiment'; readonly experiment: RolloutExperimentStep; readonly position: SourcePosition };

/** ReplicaProgressThreshold (types.go): type `Percent` or `Pods` (as written; validate.ts checks it). */
export interface ReplicaProgressThreshold {
  readonly type: string;
  readonly value: number;
}

/** `RolloutExperimentTemplate`: a ReplicaSet of the experiment, cut from the stable or canary ReplicaSet. */
export interface RolloutExperimentTemplate {
  readonly name: string;
  readonly specRef: 'stable' | 'canary';
  /** nil ⇒ 1 (`GetReplicasOrDefault`). */
  readonly replicas: number | undefined;
  readonly metadata: { readonly labels: Readonly<Record<string, string>>; readonly annotations: Readonly<Record<string, string>> };
  readonly selector: LabelSelector | undefined;
  readonly weight: number | undefined;
  /** `service`: a Service for the template's pods (also implied by `weight`); `name` defaults to the ReplicaSet's. */
  readonly service: { readonly name: string | undefined } | undefined;
}

/** `RolloutExperimentStepAnalysisTemplateRef` and the Experiment kind's `ExperimentAnalysisTemplateRef`. */
export interface ExperimentAnalysisRef {
  readonly name: string;
  readonly templateName: string;
  readonly clusterScope: boolean;
  readonly args: readonly AnalysisArg[];
  readonly requiredForCompletion: boolean;
}

/** `RolloutExperimentStep` (types.go). */
export interface RolloutExperimentStep {
  readonly templates: readonly RolloutExperimentTemplate[];
  /** As written (a Go duration string); undefined ⇒ runs until terminated or an analysis decides. */
  readonly duration: string | undefined;
  readonly analyses: readonly ExperimentAnalysisRef[];
  readonly dryRun: readonly { readonly metricName: string }[];
  readonly scaleDownDelaySeconds: number | undefined;
}

/** Which router a traffic-routed canary names; all are simulated as exact weights for now. */
export type TrafficRouterKind = 'istio' | 'smi' | 'nginx' | 'alb' | 'apisix' | 'traefik' | 'ambassador' | 'appMesh' | 'plugin';

export interface TrafficRouting {
  readonly routers: readonly TrafficRouterKind[];
  readonly maxTrafficWeight: number | undefined;
  /** managedRoutes names, in order (the order routers give header/mirror routes precedence). */
  readonly managedRoutes: readonly string[];
  /** The whole block as written, for the trace and for later router models. */
  readonly raw: unknown;
}

export interface CanaryStrategy {
  readonly canaryService: string | undefined;
  readonly stableService: string | undefined;
  readonly maxSurge: IntOrString | undefined;
  readonly maxUnavailable: IntOrString | undefined;
  readonly steps: readonly CanaryStep[] | undefined;
  readonly trafficRouting: TrafficRouting | undefined;
  readonly analysis: RolloutAnalysisBackground | undefined;
  readonly scaleDownDelaySeconds: number | undefined;
  readonly scaleDownDelayRevisionLimit: number | undefined;
  readonly abortScaleDownDelaySeconds: number | undefined;
  readonly dynamicStableScale: boolean | undefined;
  readonly minPodsPerReplicaSet: number | undefined;
  readonly replicaProgressThreshold: ReplicaProgressThreshold | undefined;
  /** The steps as written (JSON), hashed into currentStepHash. */
  readonly rawSteps: unknown;
}

/**
 * BlueGreenStrategy (types.go). Absent fields stay undefined; sim/rollouts/defaults.ts
 * applies upstream's defaults. `previewMetadata` and `activeMetadata` are
 * refused by FIELD_SUPPORT; `antiAffinity` is accepted without effect.
 */
export interface BlueGreenStrategy {
  readonly activeService: string;
  readonly previewService: string | undefined;
  readonly previewReplicaCount: number | undefined;
  readonly autoPromotionEnabled: boolean | undefined;
  /** Upstream's int32 with omitempty: 0 when absent. */
  readonly autoPromotionSeconds: number;
  readonly scaleDownDelaySeconds: number | undefined;
  readonly scaleDownDelayRevisionLimit: number | undefined;
  readonly abortScaleDownDelaySeconds: number | undefined;
  /** Only read by pod restarts (spec.restartAt); upstream's default is 25%. */
  readonly maxUnavailable: IntOrString | undefined;
  readonly prePromotionAnalysis: RolloutAnalysis | undefined;
  readonly postPromotionAnalysis: RolloutAnalysis | undefined;
}

export interface Rollout {
  readonly kind: 'Rollout';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly replicas: number | undefined;
    readonly selector: LabelSelector;
    readonly template: PodTemplateSpec;
    readonly minReadySeconds: number | undefined;
    readonly revisionHistoryLimit: number | undefined;
    readonly progressDeadlineSeconds: number | undefined;
    readonly progressDeadlineAbort: boolean | undefined;
    readonly paused: boolean | undefined;
    /** RFC 3339 text as written (sim/rollouts/rollout.ts reads it as predating the run). */
    readonly restartAt: string | undefined;
    readonly rollbackWindow: { readonly revisions: number | undefined } | undefined;
    /**
     * `canary` is always present so canary-only code reads no steps: for a blue-green Rollout it
     * is an empty CanaryStrategy (every field undefined) and `blueGreen` is set.
     */
    readonly strategy: { readonly canary: CanaryStrategy; readonly blueGreen?: BlueGreenStrategy };
    /** `spec.analysis`: AnalysisRun history limits (upstream defaults 5 and 5). */
    readonly analysis?: { readonly successfulRunHistoryLimit: number | undefined; readonly unsuccessfulRunHistoryLimit: number | undefined };
  };
  readonly position: SourcePosition;
  /** The object as written (plain JSON), for `valueFrom.fieldRef` paths outside metadata. */
  readonly raw?: unknown;
}

// ---------------------------------------------------------------------------------------------
// Core kinds

export interface Service {
  readonly kind: 'Service';
  readonly metadata: ObjectMeta;
  readonly spec: { readonly selector: Readonly<Record<string, string>> };
  readonly position: SourcePosition;
}

/** A Secret: AnalysisTemplate args read from it (`valueFrom.secretKeyRef`). Values decoded. */
export interface Secret {
  readonly kind: 'Secret';
  readonly metadata: ObjectMeta;
  readonly data: Readonly<Record<string, string>>;
  readonly position: SourcePosition;
}

// ---------------------------------------------------------------------------------------------
// Experiment (experiment_types.go)

/** `TemplateSpec` of an Experiment. */
export interface ExperimentTemplateSpec {
  readonly name: string;
  readonly replicas: number | undefined;
  readonly minReadySeconds: number;
  readonly selector: LabelSelector | undefined;
  readonly template: PodTemplateSpec;
  readonly service: { readonly name: string | undefined } | undefined;
}

export interface Experiment {
  readonly kind: 'Experiment';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly templates: readonly ExperimentTemplateSpec[];
    readonly duration: string | undefined;
    readonly progressDeadlineSeconds: number | undefined;
    readonly terminate: boolean;
    readonly analyses: readonly ExperimentAnalysisRef[];
    readonly scaleDownDelaySeconds: number | undefined;
    readonly dryRun: readonly { readonly metricName: string }[];
  };
  readonly position: SourcePosition;
}

export type SupportedObject = Rollout | AnalysisTemplate | Service | Secret | Experiment;

// ---------------------------------------------------------------------------------------------
// Result of loading (sim/manifests/load.ts)

/** A document of a kind rehearse does not read (Deployment, Ingress, VirtualService, ...). */
export interface IgnoredObject {
  readonly kind: string;
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

export interface ManifestSet {
  readonly rollouts: readonly Rollout[];
  readonly analysisTemplates: readonly AnalysisTemplate[];
  readonly clusterAnalysisTemplates: readonly AnalysisTemplate[];
  readonly services: readonly Service[];
  /** Secrets (for secretKeyRef arguments); absent when none were loaded. */
  readonly secrets?: readonly Secret[];
  /** Standalone Experiments (absent in older callers: treated as none). */
  readonly experiments?: readonly Experiment[];
  readonly ignored: readonly IgnoredObject[];
  /** Non-fatal findings (e.g. a canaryService that is not in the manifests). */
  readonly warnings: readonly Diagnostic[];
}
