// AnalysisRun semantics (semantics digest §4, §10.1–10.3, §11.6) with worked numbers: first the run
// loop alone with a scripted MeasurementProvider, then through the Rollout controller with inline
// manifests and constant Prometheus queries (`vector(x)`), deterministic pod start-up (1 s) and a
// change at 60 s, so every instant below is exact.
import { describe, expect, it } from 'vitest';
import { AnalysisRun, ERROR_RETRY_INTERVAL_MS, MEASUREMENT_HISTORY_LIMIT, type MeasurementProvider } from '../../sim/analysis/analysisRun.js';
import type { ResolvedMetric } from '../../sim/analysis/metric.js';
import type { AnalysisPhase, Measurement } from '../../sim/analysis/types.js';
import { analysisTemplateYaml, events, ofType, podsAt, rolloutYaml, run, statusAt } from '../helpers/sim.js';

// ---------------------------------------------------------------------------------------------
// Unit: AnalysisRun.reconcile with a scripted provider

function metric(name: string, over: Partial<ResolvedMetric> = {}): ResolvedMetric {
  return {
    name,
    intervalMs: undefined,
    initialDelayMs: undefined,
    effectiveCount: 1,
    successCondition: undefined,
    failureCondition: undefined,
    failureLimit: 0,
    inconclusiveLimit: 0,
    consecutiveErrorLimit: 4,
    consecutiveSuccessLimit: 0,
    provider: { kind: 'prometheus', query: 'vector(1)', address: undefined, timeoutSeconds: 30 },
    dryRun: false,
    ...over,
  };
}

/** Answers each metric from its script (the last phase repeats); records every call. */
class ScriptedProvider implements MeasurementProvider {
  readonly calls: { metric: string; at: number }[] = [];
  constructor(
    private readonly scripts: Record<string, readonly AnalysisPhase[]>,
    /** How long a query takes: the measurement finishes this long after it started. */
    private readonly latencyMs = 0,
  ) {}

  run(m: ResolvedMetric, nowMs: number): Measurement {
    const script = this.scripts[m.name] ?? ['Successful'];
    const n = this.calls.filter((c) => c.metric === m.name).length;
    this.calls.push({ metric: m.name, at: nowMs });
    const phase = script[Math.min(n, script.length - 1)]!;
    return {
      phase,
      startedAt: nowMs,
      finishedAt: nowMs + this.latencyMs,
      value: phase === 'Error' ? undefined : '[1]',
      message: phase === 'Error' ? 'boom' : undefined,
    };
  }

  at(name: string): number[] {
    return this.calls.filter((c) => c.metric === name).map((c) => c.at);
  }
}

function newRun(metrics: ResolvedMetric[]): AnalysisRun {
  return new AnalysisRun('demo-abc-2-1', { rolloutType: 'Step', stepIndex: 1, podTemplateHash: 'abc' }, metrics, 0);
}

/**
 * Drives a run as the analysis controller does: reconcile at the returned time, and again at once
 * whenever a reconcile changed the phase (the status update re-enqueues the run).
 */
function drive(r: AnalysisRun, p: MeasurementProvider, untilMs: number): void {
  let t: number | undefined = 0;
  while (t !== undefined && t <= untilMs) {
    const before = r.phase;
    const next = r.reconcile(t, p);
    if (r.phase !== before) continue;
    t = next;
  }
}

describe('AnalysisRun: assessMetricStatus limits (analysis/analysis.go)', () => {
  // analysis_test.go TestAssessMetricStatusFailureLimit / TestAssessRunStatusWorstMessageInReconcileAnalysisRun
  it('a single Failed measurement fails the run with the default failureLimit 0', () => {
    const r = newRun([metric('x')]);
    const p = new ScriptedProvider({ x: ['Failed'] });
    expect(r.reconcile(0, p)).toBeUndefined();
    expect(r.phase).toBe('Failed');
    expect(r.message).toBe('Metric "x" assessed Failed due to failed (1) > failureLimit (0)');
    expect(r.results.get('x')).toMatchObject({ phase: 'Failed', count: 1, failed: 1 });
    expect(r.completedAt).toBe(0);
  });

  // analysis_test.go TestAssessMetricStatusFailureLimit: failures up to the limit are tolerated.
  it('failureLimit 1, count 3: F,S,S is Successful; F,S,F is Failed at the third measurement', () => {
    const ok = newRun([metric('x', { failureLimit: 1, effectiveCount: 3, intervalMs: 10_000 })]);
    const p1 = new ScriptedProvider({ x: ['Failed', 'Successful', 'Successful'] });
    drive(ok, p1, 60_000);
    expect(ok.phase).toBe('Successful');
    expect(ok.message).toBe('');
    expect(p1.at('x')).toEqual([0, 10_001, 20_002]);

    const bad = newRun([metric('x', { failureLimit: 1, effectiveCount: 3, intervalMs: 10_000 })]);
    const p2 = new ScriptedProvider({ x: ['Failed', 'Successful', 'Failed'] });
    drive(bad, p2, 60_000);
    expect(bad.phase).toBe('Failed');
    expect(bad.message).toBe('Metric "x" assessed Failed due to failed (2) > failureLimit (1)');
    expect(bad.completedAt).toBe(20_002);
  });

  // analysis_test.go TestAssessMetricStatusInconclusiveLimit
  it('a single Inconclusive measurement makes the run Inconclusive (inconclusiveLimit 0)', () => {
    const r = newRun([metric('x', { effectiveCount: 3, intervalMs: 10_000 })]);
    r.reconcile(0, new ScriptedProvider({ x: ['Inconclusive'] }));
    expect(r.phase).toBe('Inconclusive');
    expect(r.message).toBe('Metric "x" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)');
  });

  // analysis_test.go TestAssessMetricStatusConsecutiveErrors, TestCalculateNextReconcileUponError;
  // digest §4.2 and §10.1: errors retry every 10 s whatever the interval; the 5th consecutive
  // error (> consecutiveErrorLimit 4) makes the metric Error, ≈40 s after the first.
  it('errors retry every 10 s and the 5th consecutive one errors the metric (consecutiveErrorLimit 4)', () => {
    const r = newRun([metric('x', { effectiveCount: 3, intervalMs: 60_000 })]);
    const p = new ScriptedProvider({ x: ['Error'] });
    const nexts: (number | undefined)[] = [];
    let t: number | undefined = 0;
    while (t !== undefined) {
      const next = r.reconcile(t, p);
      nexts.push(next);
      t = next;
    }
    expect(ERROR_RETRY_INTERVAL_MS).toBe(10_000);
    expect(p.at('x')).toEqual([0, 10_001, 20_002, 30_003, 40_004]);
    expect(nexts).toEqual([10_001, 20_002, 30_003, 40_004, undefined]);
    expect(r.phase).toBe('Error');
    expect(r.message).toBe('Metric "x" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: boom"');
    expect(r.results.get('x')).toMatchObject({ count: 0, error: 5, consecutiveError: 5 });
  });

  // analysis_test.go TestRunMeasurementsResetConsecutiveErrorCounter
  it('a success between errors resets the consecutive-error counter', () => {
    const r = newRun([metric('x', { effectiveCount: 2, intervalMs: 10_000 })]);
    const p = new ScriptedProvider({ x: ['Error', 'Error', 'Error', 'Error', 'Successful', 'Error', 'Error', 'Error', 'Error', 'Successful'] });
    drive(r, p, 200_000);
    expect(r.phase).toBe('Successful');
    expect(r.results.get('x')).toMatchObject({ count: 2, error: 8, successful: 2, consecutiveError: 0 });
  });

  // digest §10.2 (#4479, #2026): errors do not count toward `count`.
  it('errors do not count toward count: count 2 with E,S,E,S takes four measurements', () => {
    const r = newRun([metric('x', { effectiveCount: 2, intervalMs: 30_000 })]);
    const p = new ScriptedProvider({ x: ['Error', 'Successful', 'Error', 'Successful'] });
    drive(r, p, 300_000);
    expect(r.phase).toBe('Successful');
    // Error ⇒ retry after 10 s; Successful ⇒ wait the 30 s interval.
    expect(p.at('x')).toEqual([0, 10_001, 40_002, 50_003]);
    expect(r.results.get('x')).toMatchObject({ count: 2, successful: 2, error: 2 });
  });

  // digest §10.2: only 10 measurements are kept per metric, so a run can end Successful while the
  // visible history is mostly errors.
  it('keeps the newest 10 measurements (DefaultMeasurementHistoryLimit)', () => {
    // 11 errors (consecutiveErrorLimit raised so they are tolerated), then the one success count 1 needs.
    const r = newRun([metric('x', { effectiveCount: 1, intervalMs: 10_000, consecutiveErrorLimit: 20 })]);
    const p = new ScriptedProvider({ x: [...Array<AnalysisPhase>(11).fill('Error'), 'Successful'] });
    drive(r, p, 1_000_000);
    expect(MEASUREMENT_HISTORY_LIMIT).toBe(10);
    expect(r.phase).toBe('Successful');
    expect(p.calls).toHaveLength(12);
    const kept = r.results.get('x')!.measurements;
    expect(kept).toHaveLength(10);
    expect(kept.map((m) => m.phase)).toEqual([...Array<AnalysisPhase>(9).fill('Error'), 'Successful']);
    expect(r.results.get('x')).toMatchObject({ count: 1, error: 11 });
  });

  // analysis_test.go TestAssessMetricStatusConsecutiveSuccessLimit / ...FailureLimitAndConsecutiveSuccessLimit
  it('consecutiveSuccessLimit succeeds before count; missing it at count is Inconclusive (failureLimit ≥ 0) or Failed (-1)', () => {
    const early = newRun([metric('x', { effectiveCount: 5, intervalMs: 10_000, consecutiveSuccessLimit: 2, failureLimit: 3 })]);
    const p = new ScriptedProvider({ x: ['Failed', 'Successful', 'Successful'] });
    drive(early, p, 300_000);
    expect(early.phase).toBe('Successful');
    expect(p.at('x')).toHaveLength(3);

    const incon = newRun([metric('x', { effectiveCount: 3, intervalMs: 10_000, consecutiveSuccessLimit: 2, failureLimit: 2 })]);
    drive(incon, new ScriptedProvider({ x: ['Successful', 'Failed', 'Successful'] }), 300_000);
    expect(incon.phase).toBe('Inconclusive');

    const failed = newRun([metric('x', { effectiveCount: 3, intervalMs: 10_000, consecutiveSuccessLimit: 2, failureLimit: -1 })]);
    drive(failed, new ScriptedProvider({ x: ['Successful', 'Failed', 'Successful'] }), 300_000);
    expect(failed.phase).toBe('Failed');
  });
});

describe('AnalysisRun: measurement timing (generateMetricTasks, calculateNextReconcileTime)', () => {
  // analysis_test.go TestGenerateMetricTasksInterval, TestCalculateNextReconcileTimeInterval;
  // digest §7.4: the interval runs from the previous measurement's finish, strictly after.
  it('interval is measured from the previous measurement finish (a 2 s query drifts the period to 32 s)', () => {
    // The reconcile that runs a 2 s query lasts 2 s (upstream's provider blocks in Run): the
    // measurement is recorded when it finishes, and the next one is due 30 s after that finish.
    const r = newRun([metric('x', { effectiveCount: 3, intervalMs: 30_000 })]);
    const p = new ScriptedProvider({ x: ['Successful'] }, 2_000);
    expect(r.reconcile(0, p)).toBe(2_000);
    expect(r.inFlight?.untilMs).toBe(2_000);
    expect(r.results.get('x')).toBeUndefined();
    expect(r.reconcile(1_000, p)).toBe(2_000); // still busy: nothing happens
    expect(r.reconcile(2_000, p)).toBe(32_001);
    expect(r.results.get('x')!.measurements[0]).toMatchObject({ startedAt: 0, finishedAt: 2_000 });
    expect(r.reconcile(32_000, p)).toBe(32_001); // finishedAt + interval is not yet *after*
    expect(p.at('x')).toEqual([0]);
    expect(r.reconcile(32_001, p)).toBe(34_001);
    expect(r.reconcile(34_001, p)).toBe(64_002);
    expect(r.reconcile(64_002, p)).toBe(66_002);
    expect(r.reconcile(66_002, p)).toBeUndefined();
    expect(p.at('x')).toEqual([0, 32_001, 64_002]);
    expect(r.phase).toBe('Successful');
    expect(r.completedAt).toBe(66_002);
  });

  // analysis_test.go TestGenerateMetricTasksHonorInitialDelay, TestCalculateNextReconcileTimeInitialDelay;
  // digest §4.1: startedAt is set at the end of the first reconcile, so a delayed metric never
  // runs in it; the delay check is `≥` (not "after").
  it('initialDelay counts from run.startedAt and is inclusive; other metrics start at once', () => {
    const r = newRun([metric('delayed', { initialDelayMs: 30_000 }), metric('now', { effectiveCount: 2, intervalMs: 60_000 })]);
    const p = new ScriptedProvider({});
    expect(r.reconcile(5_000, p)).toBe(35_000);
    expect(r.startedAt).toBe(5_000);
    expect(p.calls).toEqual([{ metric: 'now', at: 5_000 }]);
    expect(r.reconcile(34_999, p)).toBe(35_000);
    expect(p.at('delayed')).toEqual([]);
    expect(r.reconcile(35_000, p)).toBe(65_001);
    expect(p.at('delayed')).toEqual([35_000]);
    expect(r.results.get('delayed')!.phase).toBe('Successful');
    expect(r.phase).toBe('Running');
    expect(r.reconcile(65_001, p)).toBeUndefined();
    expect(r.phase).toBe('Successful');
  });

  // Metric.EffectiveCount: no count and no interval ⇒ one measurement.
  it('a metric without count or interval takes exactly one measurement', () => {
    const r = newRun([metric('x', { effectiveCount: 1, intervalMs: undefined })]);
    const p = new ScriptedProvider({});
    expect(r.reconcile(0, p)).toBeUndefined();
    expect(r.phase).toBe('Successful');
    expect(p.calls).toHaveLength(1);
  });
});

describe('AnalysisRun: run status and termination (assessRunStatus)', () => {
  // analysis_test.go TestReconcileAnalysisRunTerminateSiblingAfterFail; digest §4.3, §10.3 (#2158):
  // the reconcile in which one metric fails still reports Running; the next one terminates the
  // others (marked Successful, no further measurement) and the run becomes Failed.
  it('when one metric fails the others are terminated and the run is Failed in the re-reconcile', () => {
    const r = newRun([metric('slow', { effectiveCount: 5, intervalMs: 10_000 }), metric('bad')]);
    const p = new ScriptedProvider({ slow: ['Successful'], bad: ['Failed'] });
    const next = r.reconcile(0, p);
    expect(r.phase).toBe('Running');
    expect(r.message).toBe('');
    expect(r.results.get('bad')!.phase).toBe('Failed');
    expect(r.results.get('slow')!.phase).toBe('Running');
    expect(next).toBe(10_001);

    expect(r.reconcile(0, p)).toBeUndefined();
    expect(r.phase).toBe('Failed');
    expect(r.message).toBe('Metric "bad" assessed Failed due to failed (1) > failureLimit (0)');
    expect(r.results.get('slow')).toMatchObject({ phase: 'Successful', count: 1 });
    expect(p.calls).toHaveLength(2);
  });

  // analysis_test.go TestTerminateAnalysisRun: terminated before any measurement ⇒ Successful, "Run Terminated".
  it('spec.terminate before any measurement ends Successful with "Run Terminated"', () => {
    const r = newRun([metric('x', { initialDelayMs: 20_000, intervalMs: 20_000, effectiveCount: undefined })]);
    r.terminate = true;
    const p = new ScriptedProvider({});
    expect(r.reconcile(0, p)).toBeUndefined();
    expect(r.phase).toBe('Successful');
    expect(r.message).toBe('Run Terminated');
    expect(p.calls).toHaveLength(0);
  });

  // Terminating an unbounded (background-style) metric that has measurements: Successful.
  it('terminating an unbounded metric with measurements ends Successful', () => {
    const r = newRun([metric('x', { intervalMs: 10_000, effectiveCount: undefined })]);
    const p = new ScriptedProvider({});
    expect(r.reconcile(0, p)).toBe(10_001);
    expect(r.reconcile(10_001, p)).toBe(20_002);
    expect(r.phase).toBe('Running');
    r.terminate = true;
    expect(r.reconcile(15_000, p)).toBeUndefined();
    expect(r.phase).toBe('Successful');
    expect(r.message).toBe('Run Terminated');
    expect(p.calls).toHaveLength(2);
  });

  // analysis_test.go TestAssessRunStatusMultipleFailuresInDryRunMode / WithMixedMetrics: dry-run
  // failures neither fail the run nor terminate the other metrics.
  it('a failing dry-run metric neither fails the run nor terminates the others', () => {
    const r = newRun([metric('dry', { dryRun: true }), metric('real', { effectiveCount: 2, intervalMs: 10_000 })]);
    const p = new ScriptedProvider({ dry: ['Failed'], real: ['Successful'] });
    drive(r, p, 100_000);
    expect(r.results.get('dry')!.phase).toBe('Failed');
    expect(p.at('real')).toEqual([0, 10_001]);
    expect(r.phase).toBe('Successful');
  });

  // Worst-of ranking: Successful < Running < Pending < Inconclusive < Error < Failed.
  it('the run takes the worst completed metric phase (Failed beats Inconclusive)', () => {
    const r = newRun([metric('incon'), metric('bad')]);
    r.reconcile(0, new ScriptedProvider({ incon: ['Inconclusive'], bad: ['Failed'] }));
    expect(r.phase).toBe('Failed');
    expect(r.message).toBe('Metric "bad" assessed Failed due to failed (1) > failureLimit (0)');
  });
});

// ---------------------------------------------------------------------------------------------
// Through the Rollout controller (rollout/analysis.go reconcileStepBasedAnalysisRun)

/** R=1 (the e2e default), setWeight 50 then an analysis step and a short pause. */
const ROLLOUT = rolloutYaml({
  canary: `
steps:
  - setWeight: 50
  - analysis:
      templates: [{templateName: t}]
  - pause: {duration: 5s}`,
});

function withMetric(fields: string, query: string, more: { name: string; fields?: string; query: string }[] = []) {
  return run([ROLLOUT, analysisTemplateYaml('t', [{ name: 'x', fields, query }, ...more])], { untilMs: 300_000 });
}

const V2_HASH_RE = /^demo-([a-z0-9]+)-2-1$/;

describe('step analysis through the controller (digest §4.5, §4.6, §8.1)', () => {
  // rollout/analysis.go reconcileStepBasedAnalysisRun + rollout/sync.go calculateRolloutConditions;
  // e2e analysis_test.go TestCanaryFailInlineMultipleAnalysis (failure ⇒ Degraded).
  it('a single Failed measurement (failureLimit 0) fails the run and aborts the rollout', () => {
    const r = withMetric('successCondition: result[0] >= 0.95', 'vector(0.5)');
    // The setWeight step completes at 61 s (pod ready); the next reconcile creates the step run.
    const runs = ofType(r, 'analysisRun');
    expect(runs.map((e) => [e.t, e.phase])).toEqual([
      [61_000, 'Created'],
      [61_000, 'Failed'],
    ]);
    const name = String(runs[0]!.run);
    expect(name).toMatch(V2_HASH_RE); // <rollout>-<podHash>-<revision>-<stepIndex>
    const ms = ofType(r, 'measurement');
    expect(ms.map((m) => [m.t, m.phase, m.value])).toEqual([[61_000, 'Failed', '[0.5]']]);

    const msg =
      'Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "x" assessed Failed due to failed (1) > failureLimit (0)';
    const after = events(r, 61_000);
    expect(after.map((e) => e.reason)).toEqual(['RolloutStepCompleted', 'AnalysisRunFailed', 'RolloutAborted', 'ScalingReplicaSet']);
    expect(after[1]).toMatchObject({ message: `Step Analysis Run '${name}' Status New: 'Failed' Previous: ''`, eventType: 'Warning' });
    expect(after[2]).toMatchObject({ message: msg, eventType: 'Warning' });
    // Controller-detected failure: RolloutAborted in that reconcile, the canary scale-down next (§6.1).
    expect(after[3]!.message).toMatch(/^Scaled down ReplicaSet demo-[a-z0-9]+ \(revision 2\) from 1 to 0$/);
    // §11.6: a failure on the first measurement goes straight from "" to Failed: no AnalysisRunRunning.
    expect(events(r).some((e) => e.reason === 'AnalysisRunRunning')).toBe(false);

    expect(r.outcome).toBe('aborted');
    expect(r.decidedAt).toBe(61_000);
    expect(r.finalStatus).toEqual({ phase: 'Degraded', message: `RolloutAborted: ${msg}` });
    expect(statusAt(r, 61_000)).toMatchObject({ abort: true, step: 0 });
    expect(r.analysisRuns).toHaveLength(1);
    expect(r.analysisRuns[0]).toMatchObject({ phase: 'Failed', message: 'Metric "x" assessed Failed due to failed (1) > failureLimit (0)' });
  });

  // Digest §10.1 (#1466, #2101): an empty vector makes `result[0]` an evaluation error; errors are
  // retried every 10 s and the 5th consecutive one (≈40 s after the first) errors the metric, which
  // aborts the rollout.
  it('an empty vector with result[0] >= 0.95 errors five times, 10 s apart, then aborts', () => {
    const r = withMetric('successCondition: result[0] >= 0.95', 'http_requests_total{service="no-such-service"}');
    const ms = ofType(r, 'measurement');
    expect(ms.map((m) => m.t)).toEqual([61_000, 71_001, 81_002, 91_003, 101_004]);
    expect(ms.every((m) => m.phase === 'Error' && m.value === '[]')).toBe(true);
    expect(ofType(r, 'analysisRun').map((e) => [e.t, e.phase])).toEqual([
      [61_000, 'Created'],
      [61_000, 'Running'],
      [101_004, 'Error'],
    ]);
    // §11.6: the first reconcile left the run Running, so AnalysisRunRunning is emitted.
    const evs = events(r, 61_000).filter((e) => e.reason.startsWith('AnalysisRun') || e.reason === 'RolloutAborted');
    expect(evs.map((e) => [e.t, e.reason])).toEqual([
      [61_000, 'AnalysisRunRunning'],
      [101_004, 'AnalysisRunError'],
      [101_004, 'RolloutAborted'],
    ]);
    expect(evs[1]!.message).toMatch(/Status New: 'Error' Previous: 'Running'$/);
    expect(evs[2]!.message).toMatch(
      /^Rollout aborted update to revision 2: Step-based analysis phase error\/failed: Metric "x" assessed Error due to consecutiveErrors \(5\) > consecutiveErrorLimit \(4\): "Error Message: .+"$/,
    );
    expect(r.outcome).toBe('aborted');
    expect(r.decidedAt! - 61_000).toBe(40_004);
  });

  // Digest §4.6, §5 (success and failure both set, both false ⇒ Inconclusive); e2e
  // analysis_test.go TestCanaryInconclusiveBackgroundAnalysis (⇒ Paused, InconclusiveAnalysisRun).
  it('success and failure conditions both false ⇒ Inconclusive ⇒ rollout paused with InconclusiveAnalysisRun', () => {
    const r = withMetric('successCondition: result[0] >= 0.95\nfailureCondition: result[0] < 0.5', 'vector(0.7)');
    expect(ofType(r, 'measurement').map((m) => [m.t, m.phase])).toEqual([[61_000, 'Inconclusive']]);
    const after = events(r, 61_000);
    expect(after.map((e) => e.reason)).toEqual(['RolloutStepCompleted', 'AnalysisRunInconclusive', 'RolloutPaused']);
    expect(after[2]!.message).toBe('Rollout is paused (InconclusiveAnalysisRun)');
    expect(r.finalStatus).toEqual({ phase: 'Paused', message: 'InconclusiveAnalysisRun' });
    expect(r.outcome).toBe('paused');
    expect(statusAt(r, 299_000)).toMatchObject({ step: 1, pauseConditions: ['InconclusiveAnalysisRun'], abort: false });
    // While the inconclusive pause holds nothing scales: still one pod each (R=1, setWeight 50).
    expect([...podsAt(r, 299_000).values()]).toEqual([1, 1]);
  });

  // Digest §4.3 through the controller: the failing metric ends the run in the same instant, the
  // sibling (count 3, interval 10 s) is terminated after its first measurement.
  it('when one metric fails the sibling is terminated and the run Failed in the same instant', () => {
    const r = withMetric('successCondition: result[0] >= 0.95', 'vector(0)', [
      { name: 'sibling', fields: 'interval: 10s\ncount: 3\nsuccessCondition: result[0] >= 0.95', query: 'vector(1)' },
    ]);
    expect(ofType(r, 'analysisRun').map((e) => [e.t, e.phase])).toEqual([
      [61_000, 'Created'],
      [61_000, 'Running'],
      [61_000, 'Failed'],
    ]);
    expect(ofType(r, 'measurement').map((m) => [m.t, m.metric, m.phase])).toEqual([
      [61_000, 'x', 'Failed'],
      [61_000, 'sibling', 'Successful'],
    ]);
    expect(r.analysisRuns[0]!.message).toBe('Metric "x" assessed Failed due to failed (1) > failureLimit (0)');
    expect(r.outcome).toBe('aborted');
  });

  // Digest §7.4: a successful step analysis completes the step in the reconcile that sees the
  // Successful run; count/interval timing from the previous finish (+1 ms per strict "after").
  it('count 3 interval 20s succeeds at the third measurement and the step completes then', () => {
    const r = withMetric('interval: 20s\ncount: 3\nsuccessCondition: result[0] >= 0.95', 'vector(1)');
    expect(ofType(r, 'measurement').map((m) => m.t)).toEqual([61_000, 81_001, 101_002]);
    const ev = events(r, 61_000).map((e) => [e.t, e.reason, e.message]);
    expect(ev.slice(0, 4)).toEqual([
      [61_000, 'RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 50)'],
      [61_000, 'AnalysisRunRunning', expect.stringMatching(/^Step Analysis Run 'demo-[a-z0-9]+-2-1' Status New: 'Running' Previous: ''$/)],
      [101_002, 'AnalysisRunSuccessful', expect.stringMatching(/Status New: 'Successful' Previous: 'Running'$/)],
      [101_002, 'RolloutStepCompleted', 'Rollout step 2/3 completed (analysis)'],
    ]);
    // Then the 5 s pause (start truncated to 101 s ⇒ expiry after 106 s) and promotion.
    expect(ev.slice(4).map((e) => [e[0], e[1]])).toEqual([
      [101_002, 'RolloutPaused'],
      [106_001, 'RolloutStepCompleted'],
      [106_001, 'RolloutResumed'],
      [106_001, 'ScalingReplicaSet'],
      [106_001, 'RolloutCompleted'],
    ]);
    expect(r.outcome).toBe('promoted');
  });

  // Digest §4.1: a metric with initialDelay never runs in the run's first reconcile; it runs at
  // startedAt + initialDelay.
  it('initialDelay 30s delays the first measurement to 30 s after the run started', () => {
    const r = withMetric('initialDelay: 30s\nsuccessCondition: result[0] >= 0.95', 'vector(1)');
    expect(ofType(r, 'measurement').map((m) => [m.t, m.phase])).toEqual([[91_000, 'Successful']]);
    expect(events(r).find((e) => e.reason === 'RolloutStepCompleted' && e.message.includes('(analysis)'))!.t).toBe(91_000);
  });
});
