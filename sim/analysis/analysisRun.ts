// One AnalysisRun and its reconcile loop: argo-rollouts analysis/analysis.go (v1.9.1)
// `reconcileAnalysisRun`, `assessMetricStatus`, `assessRunStatus`, `calculateNextReconcileTime`
// — semantics digest §4.1–4.3. The run is pure state plus a `reconcile(now)` that takes due
// measurements through a provider and returns when it next needs attention.
import { isCompleted, type AnalysisPhase, type Measurement, type MetricResult, type RolloutAnalysisType, type RunSummary } from './types.js';
import type { ResolvedMetric } from './metric.js';
import { DefaultErrorRetryIntervalSeconds, DefaultMeasurementHistoryLimit } from '../rollouts/defaults.js';

/** Upstream retries an errored measurement after 10 s (`DefaultErrorRetryInterval`). */
export const ERROR_RETRY_INTERVAL_MS = DefaultErrorRetryIntervalSeconds * 1000;
/** Measurements kept per metric unless measurementRetention says otherwise. */
export const MEASUREMENT_HISTORY_LIMIT = DefaultMeasurementHistoryLimit;

/** How long after the last measurement the next one is due: 10 s after an Error, else the interval. */
function waitAfter(metric: ResolvedMetric, last: Measurement): number {
  return last.phase === 'Error' ? ERROR_RETRY_INTERVAL_MS : (metric.intervalMs ?? ERROR_RETRY_INTERVAL_MS);
}

export interface MeasurementProvider {
  /**
   * Takes one measurement of `metric` started at virtual time `nowMs`. A query that takes time
   * returns finishedAt > startedAt: the reconcile that ran it then lasts until it finished.
   */
  run(metric: ResolvedMetric, nowMs: number, run?: AnalysisRunLabels): Measurement;
  /**
   * Completes an in-flight measurement (`Provider.Resume`); providers whose `run` always finishes
   * leave it out, and the measurement stays as it is (upstream logs a warning and returns it).
   */
  resume?(metric: ResolvedMetric, m: Measurement, nowMs: number, run?: AnalysisRunLabels): Measurement;
  /** Stops an in-flight measurement of a terminating run (`Provider.Terminate`). */
  terminate?(metric: ResolvedMetric, m: Measurement, nowMs: number): Measurement;
}

/** Per-run settings resolved at creation besides the metrics. */
export interface RunSettings {
  /** measurementRetention: metric name → measurements kept (default 10). */
  readonly retention?: ReadonlyMap<string, number>;
  /** Secret values used by the run's arguments: masked as `*****` in measurement messages. */
  readonly secrets?: readonly string[];
}

/** Called for every measurement the run records, at the instant it is recorded. */
export type MeasurementListener = (metric: ResolvedMetric, m: Measurement) => void;

/**
 * A reconcile still waiting for its queries. Upstream `runMeasurements` runs the tasks of one
 * reconcile in parallel goroutines and waits for all of them (`wg.Wait()`); the Prometheus
 * provider's `Run` blocks for the whole query. Nothing is written to the run's status until the
 * reconcile returns, and a work queue never hands the same key to two workers, so the run cannot
 * be reconciled again before then.
 */
export interface InFlightReconcile {
  readonly startedAtMs: number;
  /** When the slowest query of the reconcile has finished (the reconcile's end). */
  readonly untilMs: number;
  /** `terminating` as the reconcile computed it at its start. */
  readonly terminating: boolean;
  readonly measurements: readonly { readonly metric: ResolvedMetric; readonly measurement: Measurement; readonly resumed?: boolean }[];
}

export interface AnalysisRunLabels {
  readonly rolloutType: RolloutAnalysisType;
  readonly stepIndex: number | undefined;
  readonly podTemplateHash: string;
}

/** Ranking used by `assessRunStatus` to pick the worst phase. */
const PHASE_RANK: Record<string, number> = { Successful: 0, Running: 1, Pending: 2, Inconclusive: 3, Error: 4, Failed: 5 };

export class AnalysisRun {
  phase: AnalysisPhase = '';
  message = '';
  startedAt: number | undefined;
  completedAt: number | undefined;
  terminate = false;
  readonly results = new Map<string, MetricResult>();
  /** The reconcile waiting for slow queries, if any (see InFlightReconcile). */
  inFlight: InFlightReconcile | undefined;
  /** status.runSummary: the non-dry-run metrics, tallied by `assessRunStatus`. */
  runSummary: RunSummary = emptySummary();
  /** status.dryRunSummary: the dry-run metrics. */
  dryRunSummary: RunSummary = emptySummary();
  /** Deleted by the Rollout controller's history limits (kept here for the summary only). */
  deleted = false;

  constructor(
    readonly name: string,
    readonly labels: AnalysisRunLabels,
    readonly metrics: readonly ResolvedMetric[],
    readonly createdAtMs: number,
    /** Set when arguments could not be resolved: the run goes straight to Error with this message. */
    readonly resolutionError: string | undefined = undefined,
    readonly settings: RunSettings = {},
  ) {}

  /**
   * One reconcile at `nowMs`. Returns the virtual time of the next needed reconcile, or undefined
   * when the run is completed (or needs nothing until something external happens).
   *
   * When a query takes time, the reconcile does not finish at `nowMs`: the run keeps it in
   * `inFlight` and returns its end; a reconcile before then changes nothing (the worker is still
   * busy with this run), and the one at or after the end records the measurements and assesses.
   */
  reconcile(nowMs: number, provider: MeasurementProvider, onMeasurement?: MeasurementListener): number | undefined {
    if (this.inFlight) {
      if (nowMs < this.inFlight.untilMs) return this.inFlight.untilMs;
      return this.finishInFlight(nowMs, onMeasurement);
    }
    if (isCompleted(this.phase)) return undefined;
    if (this.resolutionError !== undefined) {
      this.phase = 'Error';
      this.message = this.resolutionError;
      this.startedAt ??= nowMs;
      this.completedAt = nowMs;
      return undefined;
    }
    const terminating = this.terminate || this.anyNonDryRunMetricFailed();
    const taken: { metric: ResolvedMetric; measurement: Measurement; resumed?: boolean }[] = [];
    for (const metric of this.metrics) {
      const result = this.results.get(metric.name);
      if (result && isCompleted(result.phase)) continue;
      const last = result?.measurements.at(-1);
      if (last && last.finishedAt === undefined) {
        // generateMetricTasks: an in-flight measurement is resumed — or terminated when the run is
        // terminating — before the terminating check that skips new measurements.
        const next = terminating ? this.terminateMeasurement(provider, metric, last, nowMs) : (provider.resume?.(metric, last, nowMs, this.labels) ?? last);
        taken.push({ metric, measurement: next, resumed: true });
        continue;
      }
      if (terminating) continue;
      if (!last) {
        if (metric.initialDelayMs !== undefined && metric.initialDelayMs > 0) {
          // Upstream measures initialDelay from run.status.startedAt, which is only set at the end of
          // the first reconcile, so a delayed metric never runs in the first reconcile.
          if (this.startedAt === undefined || nowMs < this.startedAt + metric.initialDelayMs) continue;
        }
        taken.push({ metric, measurement: provider.run(metric, nowMs, this.labels) });
        continue;
      }
      if (metric.effectiveCount !== undefined && (result?.count ?? 0) >= metric.effectiveCount) continue;
      if (nowMs > (last.finishedAt ?? nowMs) + waitAfter(metric, last)) taken.push({ metric, measurement: provider.run(metric, nowMs, this.labels) });
    }
    let untilMs = nowMs;
    for (const t of taken) if (isCompleted(t.measurement.phase)) untilMs = Math.max(untilMs, t.measurement.finishedAt ?? nowMs);
    if (untilMs > nowMs) {
      this.inFlight = { startedAtMs: nowMs, untilMs, terminating, measurements: taken };
      return untilMs;
    }
    for (const t of taken) this.record(t.metric, t.measurement, onMeasurement, t.resumed, nowMs);
    this.assess(nowMs, terminating);
    this.trimMeasurements();
    return isCompleted(this.phase) ? undefined : this.nextReconcileTime();
  }

  /**
   * `runMeasurements` on an in-flight measurement of a terminating run: the provider's Terminate, and
   * a Successful result is labelled "Metric Terminated". A provider without Terminate leaves it.
   */
  private terminateMeasurement(provider: MeasurementProvider, metric: ResolvedMetric, m: Measurement, nowMs: number): Measurement {
    const t = provider.terminate?.(metric, m, nowMs) ?? m;
    return t.phase === 'Successful' ? { ...t, message: 'Metric Terminated' } : t;
  }

  /** The end of a reconcile that waited for slow queries: record in spec order, then assess. */
  private finishInFlight(nowMs: number, onMeasurement: MeasurementListener | undefined): number | undefined {
    const f = this.inFlight!;
    this.inFlight = undefined;
    for (const t of f.measurements) this.record(t.metric, t.measurement, onMeasurement, t.resumed, nowMs);
    this.assess(nowMs, f.terminating);
    this.trimMeasurements();
    return isCompleted(this.phase) ? undefined : this.nextReconcileTime();
  }

  /**
   * The controller process died during a reconcile: its queries' answers are never written (the
   * status patch comes at the end of the reconcile), so the measurements are lost.
   */
  abandonInFlight(): InFlightReconcile | undefined {
    const f = this.inFlight;
    this.inFlight = undefined;
    return f;
  }

  private anyNonDryRunMetricFailed(): boolean {
    for (const m of this.metrics) {
      if (m.dryRun) continue;
      const p = this.results.get(m.name)?.phase;
      if (p === 'Failed' || p === 'Error' || p === 'Inconclusive') return true;
    }
    return false;
  }

  private resultFor(metric: ResolvedMetric): MetricResult {
    let r = this.results.get(metric.name);
    if (!r) {
      r = {
        name: metric.name,
        phase: 'Running',
        measurements: [],
        message: '',
        count: 0,
        successful: 0,
        failed: 0,
        inconclusive: 0,
        error: 0,
        consecutiveError: 0,
        consecutiveSuccess: 0,
        dryRun: metric.dryRun,
      };
      this.results.set(metric.name, r);
    }
    return r;
  }

  /**
   * Tallies a measurement exactly as upstream: errors do not count toward `count`; a resumed
   * measurement replaces the in-flight one; an unfinished one (a Job just created) is only stored.
   */
  private record(metric: ResolvedMetric, measurement: Measurement, onMeasurement: MeasurementListener | undefined, resumed = false, nowMs = measurement.startedAt): void {
    const r = this.resultFor(metric);
    let m = measurement;
    // runMeasurements: a completed measurement without finishedAt gets "now".
    if (isCompleted(m.phase) && m.finishedAt === undefined) m = { ...m, finishedAt: nowMs };
    for (const secret of this.settings.secrets ?? []) {
      if (secret !== '' && m.message !== undefined) m = { ...m, message: m.message.split(secret).join('*****') };
    }
    if (resumed && r.measurements.length > 0) {
      const before = r.measurements[r.measurements.length - 1]!;
      if (before === m) return;
      r.measurements[r.measurements.length - 1] = m;
    } else r.measurements.push(m);
    onMeasurement?.(metric, m);
    if (!isCompleted(m.phase)) return;
    switch (m.phase) {
      case 'Successful':
        r.successful++;
        r.count++;
        r.consecutiveError = 0;
        r.consecutiveSuccess++;
        break;
      case 'Failed':
        r.failed++;
        r.count++;
        r.consecutiveError = 0;
        r.consecutiveSuccess = 0;
        break;
      case 'Inconclusive':
        r.inconclusive++;
        r.count++;
        r.consecutiveError = 0;
        r.consecutiveSuccess = 0;
        break;
      case 'Error':
        r.error++;
        r.consecutiveError++;
        r.consecutiveSuccess = 0;
        break;
      default:
        break;
    }
  }

  /**
   * `garbageCollectMeasurements`: after assessment, each metric keeps its newest 10 measurements, or
   * the limit of the measurementRetention rule that matched it (a limit ≤ 0 keeps the default).
   */
  private trimMeasurements(): void {
    for (const r of this.results.values()) {
      const custom = this.settings.retention?.get(r.name);
      const limit = custom !== undefined && custom > 0 ? custom : MEASUREMENT_HISTORY_LIMIT;
      if (r.measurements.length > limit) r.measurements.splice(0, r.measurements.length - limit);
    }
  }

  /** `assessMetricStatus` for every metric, then `assessRunStatus` (digest §4.2, §4.3). */
  private assess(nowMs: number, terminating: boolean): void {
    let worst: AnalysisPhase | undefined;
    let worstMessage = this.terminate ? 'Run Terminated' : '';
    let allCompleted = true;
    this.startedAt ??= nowMs;
    const runSummary = emptySummary();
    const dryRunSummary = emptySummary();
    for (const metric of this.metrics) {
      const summary = metric.dryRun ? dryRunSummary : runSummary;
      summary.count++;
      const r = this.results.get(metric.name);
      if (!r) {
        allCompleted = false;
        continue;
      }
      const phase = this.assessMetric(metric, r, terminating);
      if (phase !== r.phase) {
        r.message = r.measurements.at(-1)?.message ?? r.message;
        r.phase = phase;
      }
      if (!isCompleted(phase)) {
        allCompleted = false;
        continue;
      }
      const limit = limitReason(metric, r);
      // The summaries count the phase of the exceeded limit, and Successful when none was exceeded
      // (so a metric Inconclusive for want of consecutive successes counts as Successful there).
      tally(summary, limit.phase ?? 'Successful');
      if (metric.dryRun) {
        // Dry-run metrics never decide the run; their message says which limit they exceeded.
        worst ??= 'Successful';
        if (limit.reason !== '') r.message = `Metric assessed ${phase} due to ${limit.reason}`;
        continue;
      }
      if (worst === undefined || PHASE_RANK[phase]! > PHASE_RANK[worst]!) {
        worst = phase;
        if (limit.reason !== '') {
          worstMessage = `Metric "${metric.name}" assessed ${phase} due to ${limit.reason}`;
          if (r.message !== '') worstMessage += `: "Error Message: ${r.message}"`;
        }
      }
    }
    this.runSummary = runSummary;
    this.dryRunSummary = dryRunSummary;
    let next: AnalysisPhase;
    let message = worstMessage.trim();
    if (terminating) next = worst ?? 'Successful';
    else if (!allCompleted || worst === undefined) {
      next = 'Running';
      message = '';
    } else next = worst;
    if (next !== this.phase) {
      this.phase = next;
      if (isCompleted(next)) this.completedAt = nowMs;
    }
    this.message = message;
  }

  private assessMetric(metric: ResolvedMetric, r: MetricResult | undefined, terminating: boolean): AnalysisPhase {
    if (r && isCompleted(r.phase)) return r.phase;
    if (!r || r.measurements.length === 0) return terminating ? 'Successful' : 'Pending';
    const last = r.measurements.at(-1)!;
    if (!isCompleted(last.phase)) return 'Running';
    let limited: AnalysisPhase | undefined;
    if (metric.failureLimit >= 0 && r.failed > metric.failureLimit) limited = 'Failed';
    if (r.inconclusive > metric.inconclusiveLimit) limited = 'Inconclusive';
    if (r.consecutiveError > metric.consecutiveErrorLimit) limited = 'Error';
    if (limited) return limited;
    if (metric.consecutiveSuccessLimit > 0 && r.consecutiveSuccess >= metric.consecutiveSuccessLimit) return 'Successful';
    if (metric.effectiveCount !== undefined && r.count >= metric.effectiveCount) {
      if (metric.consecutiveSuccessLimit > 0) return metric.failureLimit !== -1 ? 'Inconclusive' : 'Failed';
      return 'Successful';
    }
    return terminating ? 'Successful' : 'Running';
  }

  /** `calculateNextReconcileTime`: the earliest time any incomplete metric wants a measurement. */
  private nextReconcileTime(): number | undefined {
    let next: number | undefined;
    const consider = (t: number): void => {
      if (next === undefined || t < next) next = t;
    };
    for (const metric of this.metrics) {
      const r = this.results.get(metric.name);
      if (r && isCompleted(r.phase)) continue;
      const last = r?.measurements.at(-1);
      if (!last) {
        if (metric.initialDelayMs !== undefined && metric.initialDelayMs > 0 && this.startedAt !== undefined) {
          consider(this.startedAt + metric.initialDelayMs);
        }
        continue;
      }
      if (last.finishedAt === undefined) {
        // In flight without resumeAt: upstream waits for an outside event (the Job informer), which
        // comes when the simulated Job ends.
        if (last.completesAtMs !== undefined) consider(last.completesAtMs);
        continue;
      }
      if (metric.effectiveCount !== undefined && r!.count >= metric.effectiveCount) continue;
      // "now is after" is strict upstream; a real queue always fires a little after the deadline,
      // which we model as one virtual millisecond.
      consider((last.finishedAt ?? 0) + waitAfter(metric, last) + 1);
    }
    return next;
  }
}

/**
 * `assessMetricFailureInconclusiveOrError`: which limit a metric exceeded and how upstream words it
 * (phase undefined and reason "" if none; a later check overrides an earlier one).
 */
function limitReason(metric: ResolvedMetric, r: MetricResult): { phase: AnalysisPhase | undefined; reason: string } {
  let reason = '';
  let phase: AnalysisPhase | undefined;
  if (metric.failureLimit >= 0 && r.failed > metric.failureLimit) {
    phase = 'Failed';
    reason = `failed (${r.failed}) > failureLimit (${metric.failureLimit})`;
  }
  if (r.inconclusive > metric.inconclusiveLimit) {
    phase = 'Inconclusive';
    reason = `inconclusive (${r.inconclusive}) > inconclusiveLimit (${metric.inconclusiveLimit})`;
  }
  if (r.consecutiveError > metric.consecutiveErrorLimit) {
    phase = 'Error';
    reason = `consecutiveErrors (${r.consecutiveError}) > consecutiveErrorLimit (${metric.consecutiveErrorLimit})`;
  }
  return { phase, reason };
}

function emptySummary(): RunSummary {
  return { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
}

function tally(s: RunSummary, phase: AnalysisPhase): void {
  if (phase === 'Error') s.error++;
  else if (phase === 'Failed') s.failed++;
  else if (phase === 'Inconclusive') s.inconclusive++;
  else s.successful++;
}
