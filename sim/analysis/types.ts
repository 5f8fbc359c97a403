// AnalysisRun shapes (argo-rollouts pkg/apis/rollouts/v1alpha1/analysis_types.go, v1.9.1).

export type AnalysisPhase = '' | 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

/** `AnalysisPhase.Completed()`. */
export function isCompleted(phase: AnalysisPhase): boolean {
  return phase === 'Successful' || phase === 'Failed' || phase === 'Error' || phase === 'Inconclusive';
}

export interface Measurement {
  phase: AnalysisPhase;
  startedAt: number;
  finishedAt: number | undefined;
  /** Provider value as upstream stores it, e.g. `[0.99]`, `[]`, `0.5`. */
  value: string | undefined;
  message: string | undefined;
  /**
   * An in-flight measurement (phase Running, no finishedAt) whose outside work — a Job — ends at
   * this virtual time: the Job informer then enqueues the run (metricproviders/job). Not an
   * upstream field; upstream learns it from the Job's status.
   */
  completesAtMs?: number;
  /** Provider metadata (e.g. `job-name`), as upstream keeps it on the measurement. */
  metadata?: Readonly<Record<string, string>>;
}

/** `RunSummary` (status.runSummary / status.dryRunSummary). */
export interface RunSummary {
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
}

export interface MetricResult {
  readonly name: string;
  phase: AnalysisPhase;
  measurements: Measurement[];
  message: string;
  count: number;
  successful: number;
  failed: number;
  inconclusive: number;
  error: number;
  consecutiveError: number;
  consecutiveSuccess: number;
  readonly dryRun: boolean;
}

/** The AnalysisRun's `rollout-type` label (v1alpha1 RolloutType*Label). */
export type RolloutAnalysisType = 'Step' | 'Background' | 'PrePromotion' | 'PostPromotion' | 'Experiment';
