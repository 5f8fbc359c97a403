// The `job` metric provider with simulated Jobs (metricproviders/job/job.go, v1.9.1): `Run` creates
// the Job and returns a Running measurement with no finishedAt; the Job's completion is an informer
// event that enqueues the run, and `Resume` then marks the measurement Successful (JobComplete) or
// Failed (JobFailed) — conditions are not used. `Terminate` deletes the Job and marks it Successful
// (the run loop adds "Metric Terminated"). The scenario says when and how each Job ends
// (`spec.providers.job`); a metric it does not describe runs a Job that completes after 10 s.
import type { AnalysisRunLabels } from '../analysisRun.js';
import type { ResolvedMetric } from '../metric.js';
import type { Measurement } from '../types.js';
import type { JobSpecEntry, ProvidersSpec } from './spec.js';

export interface JobContext {
  readonly spec: ProvidersSpec;
  imageOf(hash: string): string | undefined;
  warn(message: string): void;
}

/** A Job nobody described: a quick smoke test that passes. */
export const DEFAULT_JOB: JobSpecEntry = { metric: undefined, version: undefined, afterMs: 10_000, outcome: 'Complete' };

/** The last entry naming this metric (or any metric) and this version (or any version). */
export function jobFor(spec: ProvidersSpec, metric: string, image: string | undefined): JobSpecEntry | undefined {
  let found: JobSpecEntry | undefined;
  for (const j of spec.job) {
    if (j.metric !== undefined && j.metric !== metric) continue;
    if (j.version !== undefined && j.version !== image) continue;
    found = j;
  }
  return found;
}

export function runJob(ctx: JobContext, metric: ResolvedMetric, nowMs: number, run: AnalysisRunLabels | undefined): Measurement {
  const image = ctx.imageOf(run?.podTemplateHash ?? '');
  let entry = jobFor(ctx.spec, metric.name, image);
  if (!entry) {
    ctx.warn(`job metric "${metric.name}": the scenario does not say how its Job ends (spec.providers.job); simulated as a Job that completes after 10s.`);
    entry = DEFAULT_JOB;
  }
  return {
    phase: 'Running',
    startedAt: nowMs,
    finishedAt: undefined,
    value: undefined,
    message: undefined,
    completesAtMs: nowMs + entry.afterMs,
    metadata: { 'job-outcome': entry.outcome },
  };
}

export function resumeJob(m: Measurement, nowMs: number): Measurement {
  if (m.completesAtMs === undefined || nowMs < m.completesAtMs) return m;
  const failed = m.metadata?.['job-outcome'] === 'Failed';
  return { ...m, phase: failed ? 'Failed' : 'Successful', finishedAt: nowMs };
}

export function terminateJob(m: Measurement, nowMs: number): Measurement {
  return { ...m, phase: 'Successful', finishedAt: nowMs };
}
