// The AnalysisRun controller: creates runs from a Rollout's analysis references, reconciles each
// run when a measurement is due, and tells the Rollout controller when a run's phase changes
// (the rollout informer reacts to AnalysisRun phase changes only — semantics digest §0).
import { Priority, type Kernel, type ScheduledAction } from '../engine/kernel.js';
import type { TraceRecorder } from '../engine/trace.js';
import type { AnalysisArg, AnalysisTemplate, Metric, RolloutAnalysis } from '../manifests/types.js';
import { RE2JS } from 're2js';
import { expandTemplateRefs } from '../manifests/metricValidation.js';
import type { Secret } from '../manifests/types.js';
import type { SimRollout } from '../rollouts/rollout.js';
import { AnalysisRun, type AnalysisRunLabels, type MeasurementListener, type MeasurementProvider, type RunSettings } from './analysisRun.js';
import { rolloutArgValue, secretArgValue } from './args.js';
import { ArgumentError, resolveMetric, type ResolvedMetric } from './metric.js';
import { isCompleted } from './types.js';

/** The run's spec fails upstream's checks at its first reconcile ("Analysis spec invalid: …"). */
class SpecInvalidError extends Error {}

/** `regexp.MatchString(pattern, name)`: Go RE2 syntax, matched anywhere in the name. */
function goRegexpMatches(pattern: string, name: string): boolean {
  try {
    return RE2JS.compile(pattern).matcher(name).find();
  } catch {
    // An invalid pattern matches nothing (upstream ignores MatchString's error), so the rule fails.
    return false;
  }
}

export interface CreateRunRequest {
  readonly baseName: string;
  readonly analysis: RolloutAnalysis;
  readonly labels: AnalysisRunLabels;
  readonly ownerRollout: string;
  readonly stableHash: string | undefined;
  readonly latestHash: string;
  readonly rolloutFields: { readonly name: string; readonly namespace: string };
  /** The Rollout as stored, for fieldRef paths outside metadata. */
  readonly rollout?: SimRollout;
  readonly analysisTemplates: ReadonlyMap<string, AnalysisTemplate>;
  readonly clusterAnalysisTemplates: ReadonlyMap<string, AnalysisTemplate>;
}

export class AnalysisController {
  private readonly runs: AnalysisRun[] = [];
  private readonly owners = new Map<AnalysisRun, string>();
  private readonly timers = new Map<AnalysisRun, ScheduledAction>();
  private readonly phaseListeners: ((run: AnalysisRun) => void)[] = [];
  /** While the controller process is down (a controller restart fault), nothing is reconciled. */
  private down = false;
  /** Overlapping restarts: the process runs again only when the last one's downtime is over. */
  private stopsPending = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly trace: TraceRecorder,
    private readonly provider: MeasurementProvider,
    /** Secrets among the manifests, for `valueFrom.secretKeyRef` arguments. */
    private readonly secrets: readonly Secret[] = [],
  ) {}

  /** Called with a run whose phase changed (the rollout informer's AnalysisRun handler). */
  onPhaseChange(listener: (run: AnalysisRun) => void): void {
    this.phaseListeners.push(listener);
  }

  get allRuns(): readonly AnalysisRun[] {
    return this.runs;
  }

  runsOwnedBy(rollout: string): AnalysisRun[] {
    return this.runs.filter((r) => this.owners.get(r) === rollout);
  }

  /**
   * `newAnalysisRunFromRollout` + `CreateWithCollisionCounter`: templates are flattened
   * (namespaced first, then cluster-scoped), arguments resolved, and a name collision with a
   * different or completed run gets a `.1`, `.2`… suffix.
   */
  createFromRollout(req: CreateRunRequest): AnalysisRun {
    let name = req.baseName;
    for (let n = 1; ; n++) {
      const existing = this.runs.find((r) => r.name === name);
      if (!existing) break;
      if (!isCompleted(existing.phase) && !existing.terminate && this.owners.get(existing) === req.ownerRollout) return existing;
      name = `${req.baseName}.${n}`;
    }
    let metrics: ResolvedMetric[] = [];
    let settings: RunSettings = {};
    let resolutionError: string | undefined;
    try {
      ({ metrics, settings } = this.resolveMetrics(req));
    } catch (e) {
      if (e instanceof SpecInvalidError) resolutionError = `Analysis spec invalid: ${e.message}`;
      else if (e instanceof ArgumentError) resolutionError = `Unable to resolve metric arguments: ${e.message}`;
      else throw e;
    }
    const run = new AnalysisRun(name, req.labels, metrics, this.kernel.nowMs, resolutionError, settings);
    this.runs.push(run);
    this.owners.set(run, req.ownerRollout);
    // `rolloutType`, not `type`: a `type` field would overwrite the entry's own type ('analysisRun').
    this.trace.record('analysisRun', { run: name, phase: 'Created', rolloutType: req.labels.rolloutType, stepIndex: req.labels.stepIndex ?? null });
    this.scheduleReconcile(run, this.kernel.nowMs);
    return run;
  }

  /**
   * `FilterAnalysisRunsToDelete` + `deleteAnalysisRuns` (utils/analysis/filter.go, rollout/analysis.go):
   * among the rollout's non-current runs, newest first, a run is deleted when no ReplicaSet has its
   * pod-template hash, or when it is beyond the newest `limitSuccessful` Successful runs or the
   * newest `limitUnsuccessful` Failed/Error/Inconclusive ones; runs still going are kept.
   */
  deleteBeyondHistory(others: readonly AnalysisRun[], rsHashes: readonly string[], limitSuccessful: number, limitUnsuccessful: number): void {
    // Newest first: by creation time, then by creation order (the API server's timestamps are whole seconds).
    const newestFirst = [...others].sort((a, b) => b.createdAtMs - a.createdAtMs || this.runs.indexOf(b) - this.runs.indexOf(a));
    let successful = 0;
    let unsuccessful = 0;
    for (const run of newestFirst) {
      let remove = !rsHashes.includes(run.labels.podTemplateHash);
      if (!remove && run.phase === 'Successful') remove = ++successful > limitSuccessful;
      else if (!remove && (run.phase === 'Failed' || run.phase === 'Error' || run.phase === 'Inconclusive')) remove = ++unsuccessful > limitUnsuccessful;
      if (remove) this.delete(run);
    }
  }

  /** The run is gone from the API server: no more reconciles, no longer listed for its rollout. */
  private delete(run: AnalysisRun): void {
    if (run.deleted) return;
    run.deleted = true;
    this.owners.delete(run);
    this.kernel.cancel(this.timers.get(run));
    this.timers.delete(run);
    this.trace.record('analysisRun', { run: run.name, phase: 'Deleted' });
  }

  /** `cancelAnalysisRuns`: PATCH spec.terminate=true on a run that is not completed. */
  terminate(run: AnalysisRun): void {
    if (run.terminate || isCompleted(run.phase)) return;
    run.terminate = true;
    this.scheduleReconcile(run, this.kernel.nowMs);
  }

  /**
   * `newAnalysisRunFromRollout` → `NewAnalysisRunFromTemplates` (templates flattened, nested ones
   * included, args merged) and then what `reconcileAnalysisRun` resolves: argument values (Secrets
   * included), dryRun and measurementRetention rules (Go regexps matched anywhere in the name —
   * `regexp.MatchString`; a rule matching no metric makes the spec invalid).
   */
  private resolveMetrics(req: CreateRunRequest): { metrics: ResolvedMetric[]; settings: RunSettings } {
    const expanded = expandTemplateRefs(req.analysis.templates, {
      namespaced: (n) => req.analysisTemplates.get(n),
      cluster: (n) => req.clusterAnalysisTemplates.get(n),
    });
    if ('error' in expanded) throw new ArgumentError(expanded.error);
    const all = [...expanded.templates, ...expanded.clusterTemplates];
    const args = new Map<string, string>();
    // flattenArgs: the first value written wins (conflicts were refused at load time); the
    // rollout's args then supply or override values (`MergeArgs`); Secrets are read last, when the
    // run measures (`resolveArgs`).
    const declared: AnalysisArg[] = [];
    for (const t of all) declared.push(...t.spec.args);
    for (const a of declared) if (!args.has(a.name) && a.value !== undefined) args.set(a.name, a.value);
    for (const a of req.analysis.args) {
      const v = rolloutArgValue(a, req);
      if (v !== undefined) args.set(a.name, v);
    }
    const secretValues: string[] = [];
    for (const a of declared) {
      if (args.has(a.name)) continue;
      const secret = secretArgValue(a, req.rolloutFields.namespace, this.secrets);
      if (secret === undefined) continue;
      args.set(a.name, secret);
      secretValues.push(secret);
    }
    for (const a of declared) {
      if (!args.has(a.name)) throw new ArgumentError(`args.${a.name} was not resolved`);
    }
    const metrics: Metric[] = all.flatMap((t) => t.spec.metrics);
    const seen = new Set<string>();
    for (const m of metrics) {
      if (seen.has(m.name)) throw new ArgumentError(`two metrics have the same name '${m.name}'`);
      seen.add(m.name);
    }
    const resolved = metrics.map((m) => resolveMetric(m, args, false));
    const names = resolved.map((r) => r.name);
    // Rules: the rollout's first, then the templates' (mergeDryRunMetrics, mergeMeasurementRetentionMetrics).
    const dryRun = new Set<string>();
    [...req.analysis.dryRun, ...all.flatMap((t) => t.spec.dryRun)].forEach((rule, i) => {
      const matched = names.filter((n) => goRegexpMatches(rule.metricName, n));
      if (matched.length === 0) throw new SpecInvalidError(`dryRun[${i}]: Rule didn't match any metric name(s)`);
      for (const n of matched) dryRun.add(n);
    });
    const retention = new Map<string, number>();
    [...req.analysis.measurementRetention, ...all.flatMap((t) => t.spec.measurementRetention)].forEach((rule, i) => {
      const matched = names.filter((n) => goRegexpMatches(rule.metricName, n));
      if (matched.length === 0) throw new SpecInvalidError(`measurementRetention[${i}]: Rule didn't match any metric name(s)`);
      for (const n of matched) retention.set(n, rule.limit);
    });
    return {
      metrics: resolved.map((r) => (dryRun.has(r.name) ? { ...r, dryRun: true } : r)),
      settings: { retention, secrets: secretValues },
    };
  }

  /**
   * The controller process stops (a restart): the work queue and its delayed requeues are lost,
   * and a reconcile waiting for slow queries never writes its measurements. Returns the runs
   * whose in-flight reconcile was lost.
   */
  stop(): AnalysisRun[] {
    this.stopsPending++;
    this.down = true;
    const lost: AnalysisRun[] = [];
    for (const timer of this.timers.values()) this.kernel.cancel(timer);
    this.timers.clear();
    for (const run of this.runs) if (run.abandonInFlight()) lost.push(run);
    return lost;
  }

  /** The process is back: the AnalysisRun informer lists every run and adds each to the queue. */
  start(): void {
    if (this.stopsPending > 0 && --this.stopsPending > 0) return;
    this.down = false;
    for (const run of this.runs) if (!isCompleted(run.phase) && !run.deleted) this.scheduleReconcile(run, this.kernel.nowMs);
  }

  private scheduleReconcile(run: AnalysisRun, atMs: number): void {
    if (this.down || run.deleted) return;
    const existing = this.timers.get(run);
    if (existing && !existing.cancelled && existing.atMs <= atMs) return;
    this.kernel.cancel(existing);
    this.timers.set(
      run,
      this.kernel.schedule(atMs, Priority.analysis, `analysis ${run.name}`, () => {
        this.timers.delete(run);
        this.reconcile(run);
      }),
    );
  }

  private reconcile(run: AnalysisRun): void {
    const before = run.phase;
    const statusBefore = statusSignature(run);
    const next = run.reconcile(this.kernel.nowMs, this.provider, this.measurementTracer(run));
    if (run.phase !== before) {
      this.trace.record('analysisRun', { run: run.name, phase: run.phase, message: run.message });
      for (const l of this.phaseListeners) l(run);
    }
    if (statusSignature(run) !== statusBefore) {
      // The status update is an informer event that enqueues the run again at once; that
      // reconcile is where metrics still running are terminated after another one failed
      // (semantics digest §4.3).
      this.scheduleReconcile(run, this.kernel.nowMs);
    } else if (next !== undefined) {
      this.scheduleReconcile(run, next);
    }
  }

  /**
   * Traces each measurement when the run records it: at once for a synchronous query, at the end
   * of the reconcile for one that waited on slow queries (then with its own start and finish).
   */
  private measurementTracer(run: AnalysisRun): MeasurementListener {
    return (metric, m) => {
      const now = this.kernel.nowMs;
      const timing = m.startedAt !== now || (m.finishedAt ?? now) !== now ? { startedAt: m.startedAt, finishedAt: m.finishedAt ?? null } : {};
      this.trace.record('measurement', {
        run: run.name,
        metric: metric.name,
        phase: m.phase,
        value: m.value ?? null,
        message: m.message ?? null,
        ...timing,
      });
    };
  }
}

/** What a status patch of the run would contain, reduced to what can change in a reconcile. */
function statusSignature(run: AnalysisRun): string {
  let sig = `${run.phase}|${run.message}|${run.startedAt ?? ''}`;
  for (const r of run.results.values()) sig += `|${r.phase}:${r.count}:${r.error}:${r.measurements.length}`;
  return sig;
}
