// The AnalysisRun controller: creates runs from a Rollout's analysis references, reconciles each
// run when a measurement is due, and tells the Rollout controller when a run's phase changes
// (the rollout informer reacts to AnalysisRun phase changes only — semantics digest §0).
import { Priority, type Kernel, type ScheduledAction } from '../engine/kernel.js';
import type { TraceRecorder } from '../engine/trace.js';
import type { AnalysisArg, AnalysisTemplate, Metric, RolloutAnalysis } from '../manifests/types.js';
import { AnalysisRun, type AnalysisRunLabels, type MeasurementListener, type MeasurementProvider } from './analysisRun.js';
import { ArgumentError, resolveMetric, type ResolvedMetric } from './metric.js';
import { isCompleted } from './types.js';

export interface CreateRunRequest {
  readonly baseName: string;
  readonly analysis: RolloutAnalysis;
  readonly labels: AnalysisRunLabels;
  readonly ownerRollout: string;
  readonly stableHash: string | undefined;
  readonly latestHash: string;
  readonly rolloutFields: { readonly name: string; readonly namespace: string };
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
    let resolutionError: string | undefined;
    try {
      metrics = this.resolveMetrics(req);
    } catch (e) {
      if (!(e instanceof ArgumentError)) throw e;
      resolutionError = `Unable to resolve metric arguments: ${e.message}`;
    }
    const run = new AnalysisRun(name, req.labels, metrics, this.kernel.nowMs, resolutionError);
    this.runs.push(run);
    this.owners.set(run, req.ownerRollout);
    // `rolloutType`, not `type`: a `type` field would overwrite the entry's own type ('analysisRun').
    this.trace.record('analysisRun', { run: name, phase: 'Created', rolloutType: req.labels.rolloutType, stepIndex: req.labels.stepIndex ?? null });
    this.scheduleReconcile(run, this.kernel.nowMs);
    return run;
  }

  /** `cancelAnalysisRuns`: PATCH spec.terminate=true on a run that is not completed. */
  terminate(run: AnalysisRun): void {
    if (run.terminate || isCompleted(run.phase)) return;
    run.terminate = true;
    this.scheduleReconcile(run, this.kernel.nowMs);
  }

  private resolveMetrics(req: CreateRunRequest): ResolvedMetric[] {
    const templates: AnalysisTemplate[] = [];
    const clusterTemplates: AnalysisTemplate[] = [];
    for (const ref of req.analysis.templates) {
      const t = ref.clusterScope ? req.clusterAnalysisTemplates.get(ref.templateName) : req.analysisTemplates.get(ref.templateName);
      if (!t) throw new ArgumentError(`${ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate'} '${ref.templateName}' not found`);
      (ref.clusterScope ? clusterTemplates : templates).push(t);
    }
    const all = [...templates, ...clusterTemplates];
    const args = new Map<string, string>();
    // Template args give defaults; the rollout's args supply or override values (`MergeArgs`).
    const declared: AnalysisArg[] = [];
    for (const t of all) declared.push(...t.spec.args);
    for (const a of declared) if (a.value !== undefined) args.set(a.name, a.value);
    for (const a of req.analysis.args) {
      const v = this.argValue(a, req);
      if (v !== undefined) args.set(a.name, v);
    }
    for (const a of declared) {
      if (!args.has(a.name)) throw new ArgumentError(`args.${a.name} was not resolved`);
    }
    const dryRunPatterns = [...req.analysis.dryRun, ...all.flatMap((t) => t.spec.dryRun)].map((d) => anchored(d.metricName));
    const metrics: Metric[] = all.flatMap((t) => t.spec.metrics);
    const seen = new Set<string>();
    const out: ResolvedMetric[] = [];
    for (const m of metrics) {
      if (seen.has(m.name)) throw new ArgumentError(`two metrics have the same name '${m.name}'`);
      seen.add(m.name);
      out.push(resolveMetric(m, args, dryRunPatterns.some((re) => re.test(m.name))));
    }
    return out;
  }

  /** `BuildArgumentsForRolloutAnalysisRun`: plain values, pod-template hashes and fieldRefs. */
  private argValue(arg: AnalysisArg, req: CreateRunRequest): string | undefined {
    if (arg.value !== undefined) return arg.value;
    const from = arg.valueFrom;
    if (from?.podTemplateHashValue === 'Stable') return req.stableHash ?? '';
    if (from?.podTemplateHashValue === 'Latest') return req.latestHash;
    if (from?.fieldRef) {
      const path = from.fieldRef.fieldPath;
      if (path === 'metadata.name') return req.rolloutFields.name;
      if (path === 'metadata.namespace') return req.rolloutFields.namespace;
      throw new ArgumentError(`fieldRef ${path} is not simulated yet`);
    }
    return undefined;
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
    for (const run of this.runs) if (!isCompleted(run.phase)) this.scheduleReconcile(run, this.kernel.nowMs);
  }

  private scheduleReconcile(run: AnalysisRun, atMs: number): void {
    if (this.down) return;
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

/** dryRun / measurementRetention metric names are regular expressions matched against the whole name. */
function anchored(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}
