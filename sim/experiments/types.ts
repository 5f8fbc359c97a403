// The Experiment object as the API server holds it during a run: its spec (from a Rollout's
// experiment step or a standalone manifest) and the status the experiment controller persists.
// Shapes follow argo-rollouts v1.9.1 pkg/apis/rollouts/v1alpha1/experiment_types.go; times are
// virtual milliseconds, whole seconds where upstream serialises a metav1.Time.
import type { AnalysisPhase } from '../analysis/types.js';
import type { ExperimentAnalysisRef, LabelSelector, PodTemplateSpec } from '../manifests/types.js';

/** `TemplateSpec`: one ReplicaSet of the experiment. */
export interface ExperimentTemplate {
  readonly name: string;
  /** nil ⇒ 1 (`defaults.GetReplicasOrDefault`). */
  readonly replicas: number | undefined;
  readonly minReadySeconds: number;
  readonly selector: LabelSelector;
  readonly template: PodTemplateSpec;
  /** `TemplateService`: the experiment creates a Service for the template's pods (named after the ReplicaSet unless `name`). */
  readonly service: { readonly name: string | undefined } | undefined;
}

export interface ExperimentSpec {
  readonly templates: readonly ExperimentTemplate[];
  /** A Go duration string, or undefined: run until terminated or an analysis decides. */
  readonly duration: string | undefined;
  readonly progressDeadlineSeconds: number | undefined;
  terminate: boolean;
  readonly analyses: readonly ExperimentAnalysisRef[];
  readonly scaleDownDelaySeconds: number | undefined;
  readonly dryRun: readonly { readonly metricName: string }[];
  /** Measurement retention rules for the AnalysisRuns (experiments/experiment.go: reconcileAnalysisRun). */
  readonly measurementRetention: readonly { readonly metricName: string; readonly limit: number }[];
}

/** `TemplateStatusCode`. */
export type TemplateStatusCode = '' | 'Progressing' | 'Running' | 'Successful' | 'Failed' | 'Error';

export interface TemplateStatus {
  readonly name: string;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  status: TemplateStatusCode;
  message: string;
  lastTransitionTime: number | undefined;
  /** Set with the template's Service. */
  serviceName: string;
  podTemplateHash: string;
}

export interface ExperimentCondition {
  readonly type: 'InvalidSpec' | 'Completed' | 'Progressing' | 'Running' | 'ReplicaFailure';
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly lastUpdateTime: number;
  readonly lastTransitionTime: number;
}

export interface ExperimentAnalysisRunStatus {
  readonly name: string;
  analysisRun: string;
  phase: AnalysisPhase;
  message: string;
}

export interface ExperimentStatus {
  phase: AnalysisPhase;
  message: string;
  templateStatuses: TemplateStatus[];
  availableAt: number | undefined;
  conditions: ExperimentCondition[];
  analysisRuns: ExperimentAnalysisRunStatus[];
}

export function emptyExperimentStatus(): ExperimentStatus {
  return { phase: '', message: '', templateStatuses: [], availableAt: undefined, conditions: [], analysisRuns: [] };
}

/** A deep copy (statuses are small; the controller edits its copy and compares it with the stored one). */
export function cloneExperimentStatus(s: ExperimentStatus): ExperimentStatus {
  return {
    ...s,
    templateStatuses: s.templateStatuses.map((t) => ({ ...t })),
    conditions: [...s.conditions],
    analysisRuns: s.analysisRuns.map((a) => ({ ...a })),
  };
}

export class SimExperiment {
  status: ExperimentStatus = emptyExperimentStatus();
  /** Bumped on every write (spec or status): the informer sees an update. */
  resourceVersion = 1;

  constructor(
    readonly name: string,
    readonly namespace: string,
    /** Labels; an experiment created by a Rollout carries `rollouts-pod-template-hash`. */
    readonly labels: Readonly<Record<string, string>>,
    /** The Rollout that owns it (controllerRef), or undefined for a standalone Experiment. */
    readonly ownerRollout: string | undefined,
    readonly spec: ExperimentSpec,
    readonly createdAtMs: number,
  ) {}
}
