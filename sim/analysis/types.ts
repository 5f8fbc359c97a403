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

export type RolloutAnalysisType = 'Step' | 'Background' | 'Experiment';
