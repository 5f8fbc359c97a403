// Helpers over Experiment objects: a port of argo-rollouts v1.9.1 utils/experiment/experiment.go
// (IsTerminating, RequiredAnalysisRunsSuccessful, PassedDurations, CalculateTemplateReplicasCount,
// the template-status ranking) and of utils/analysis/helpers.go IsWorse, which ranks experiment
// phases too.
import { isCompleted, type AnalysisPhase } from '../analysis/types.js';
import { parseGoDurationMs } from '../manifests/duration.js';
import type { ExperimentAnalysisRunStatus, ExperimentStatus, SimExperiment, TemplateStatus, TemplateStatusCode, ExperimentTemplate } from './types.js';

export function getTemplateStatus(status: ExperimentStatus, name: string): TemplateStatus | undefined {
  const found = status.templateStatuses.find((t) => t.name === name);
  return found ? { ...found } : undefined;
}

export function setTemplateStatus(status: ExperimentStatus, ts: TemplateStatus): void {
  const i = status.templateStatuses.findIndex((t) => t.name === ts.name);
  if (i >= 0) status.templateStatuses[i] = ts;
  else status.templateStatuses.push(ts);
}

export function getAnalysisRunStatus(status: ExperimentStatus, name: string): ExperimentAnalysisRunStatus | undefined {
  const found = status.analysisRuns.find((a) => a.name === name);
  return found ? { ...found } : undefined;
}

export function setAnalysisRunStatus(status: ExperimentStatus, run: ExperimentAnalysisRunStatus): void {
  const i = status.analysisRuns.findIndex((a) => a.name === run.name);
  if (i >= 0) status.analysisRuns[i] = run;
  else status.analysisRuns.push(run);
}

export function isTemplateCompleted(code: TemplateStatusCode): boolean {
  return code === 'Successful' || code === 'Failed' || code === 'Error';
}

export function hasFinished(ex: { status: ExperimentStatus }): boolean {
  return isCompleted(ex.status.phase);
}

export function hasRequiredAnalysisRuns(ex: SimExperiment): boolean {
  return ex.spec.analyses.some((a) => a.requiredForCompletion);
}

/** At least one analysis is required for completion, and every required one is Successful. */
export function requiredAnalysisRunsSuccessful(ex: SimExperiment, status: ExperimentStatus): boolean {
  let hasRequired = false;
  let allSuccessful = true;
  for (const a of ex.spec.analyses) {
    if (!a.requiredForCompletion) continue;
    hasRequired = true;
    if (getAnalysisRunStatus(status, a.name)?.phase !== 'Successful') allSuccessful = false;
  }
  return hasRequired && allSuccessful;
}

/** `IsTerminating`, evaluated on a stored status (the experiment as the reconcile read it). */
export function isTerminating(ex: SimExperiment, status: ExperimentStatus = ex.status): boolean {
  if (ex.spec.terminate) return true;
  if (isCompleted(status.phase)) return true;
  for (const ts of status.templateStatuses) if (ts.status === 'Failed' || ts.status === 'Error') return true;
  for (const run of status.analysisRuns) if (run.phase === 'Failed' || run.phase === 'Error' || run.phase === 'Inconclusive') return true;
  return requiredAnalysisRunsSuccessful(ex, status);
}

/** The duration in ms, or undefined when none is set or it does not parse (upstream: never passes). */
export function durationMs(ex: SimExperiment): number | undefined {
  const d = ex.spec.duration;
  if (d === undefined || d === '') return undefined;
  try {
    return parseGoDurationMs(d);
  } catch {
    return undefined;
  }
}

/** `PassedDurations`: strictly after availableAt + duration; also the time remaining (ms). */
export function passedDurations(ex: SimExperiment, status: ExperimentStatus, nowMs: number): { passed: boolean; remainingMs: number } {
  const d = durationMs(ex);
  if (d === undefined || status.availableAt === undefined) return { passed: false, remainingMs: 0 };
  const expires = status.availableAt + d;
  return { passed: nowMs > expires, remainingMs: expires - nowMs };
}

export function replicasOrDefault(replicas: number | undefined): number {
  return replicas ?? 1;
}

/** `CalculateTemplateReplicasCount`: 0 once the experiment finished, terminates, or the template completed. */
export function calculateTemplateReplicasCount(ex: SimExperiment, status: ExperimentStatus, template: ExperimentTemplate): number {
  if (isCompleted(status.phase) || isTerminating(ex, status)) return 0;
  const ts = getTemplateStatus(status, template.name);
  if (ts !== undefined && isTemplateCompleted(ts.status)) return 0;
  return replicasOrDefault(template.replicas);
}

const TEMPLATE_STATUS_ORDER: readonly TemplateStatusCode[] = ['Successful', 'Running', 'Progressing', 'Error', 'Failed'];

/** `TemplateIsWorse`: unknown codes (the empty one) rank as Successful, as upstream's index lookup does. */
export function templateIsWorse(current: TemplateStatusCode, next: TemplateStatusCode): boolean {
  return Math.max(0, TEMPLATE_STATUS_ORDER.indexOf(next)) > Math.max(0, TEMPLATE_STATUS_ORDER.indexOf(current));
}

export function worstTemplateStatus(a: TemplateStatusCode, b: TemplateStatusCode): TemplateStatusCode {
  return templateIsWorse(a, b) ? b : a;
}

const ANALYSIS_STATUS_ORDER: readonly AnalysisPhase[] = ['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed'];

/** `analysisutil.IsWorse`: the empty phase ranks as Successful. */
export function analysisIsWorse(current: AnalysisPhase, next: AnalysisPhase): boolean {
  return Math.max(0, ANALYSIS_STATUS_ORDER.indexOf(next)) > Math.max(0, ANALYSIS_STATUS_ORDER.indexOf(current));
}
