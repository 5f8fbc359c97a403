// Metrics-pipeline faults (sim/faults/metrics.ts) with worked numbers. The world is the helpers'
// deterministic one: pods available 1 s after creation, 10 rps, scrapes every 15 s, the update
// (app:v1 → app:v2) at 60 s. The step analysis starts at 61 s (setWeight 50 done), so every
// instant below follows from the AnalysisRun rules of semantics digest §4.1–4.4: errors retried
// `finishedAt + 10 s` later (strictly after: +1 ms here), the 5th consecutive Error (> the default
// consecutiveErrorLimit 4) errors the metric and aborts the rollout.
import { describe, expect, it } from 'vitest';
import { connectionRefusedMessage } from '../../sim/faults/metrics.js';
import { compileQuery, evaluateInstant, type QueryResult } from '../../sim/metrics/promql/index.js';
import type { SeriesStore } from '../../sim/metrics/store.js';
import type { RunResult } from '../../sim/world.js';
import { analysisTemplateYaml, events, ofType, rolloutYaml, run, type FaultInput, type WorldOptions } from '../helpers/sim.js';

function runWith(manifests: readonly string[], faults: readonly FaultInput[], w: WorldOptions = {}): RunResult {
  return run(manifests, { untilMs: 300_000, ...w, faults }, { keepStore: true });
}

const ROLLOUT = rolloutYaml({
  canary: `
steps:
  - setWeight: 50
  - analysis:
      templates: [{templateName: t}]
  - pause: {duration: 5s}`,
});

/** Success ratio over the last minute: 1 in this world (no errors), so the metric passes unless a fault interferes. */
const SUCCESS_RATIO = 'sum(rate(http_requests_total{code="200"}[1m])) / sum(rate(http_requests_total[1m]))';
const PASS = 'successCondition: result[0] >= 0.95';

function analysed(faults: readonly FaultInput[], query = SUCCESS_RATIO, more: { name: string; fields?: string; query: string }[] = [], fields = PASS): RunResult {
  return runWith([ROLLOUT, analysisTemplateYaml('t', [{ name: 'x', fields, query }, ...more])], faults);
}

const measurements = (r: RunResult) => ofType(r, 'measurement').map((m) => ({ t: m.t, metric: m.metric, phase: m.phase, value: m.value, message: m.message }));
const acted = (r: RunResult) => ofType(r, 'fault').filter((e) => e.phase === 'acted');

/** An instant query as the runs' Prometheus (3.x, the scenario default) answers it. */
function query(store: SeriesStore | undefined, text: string, atMs: number): QueryResult {
  return evaluateInstant(compileQuery(text, { prometheusVersion: 3 }), store!, atMs, { prometheusVersion: 3 });
}
function vectorValues(res: QueryResult): number[] {
  if (res.resultType !== 'vector') throw new Error(`expected a vector, got ${res.resultType}`);
  return res.samples.map((s) => s.value);
}

const REFUSED = 'Post "http://prometheus:9090/api/v1/query": dial tcp 10.0.0.1:9090: connect: connection refused';
const ABORT_PREFIX = 'Rollout aborted update to revision 2: Step-based analysis phase error/failed: ';

describe('control run (no fault)', () => {
  it('the success-ratio analysis passes at 61 s and the rollout is promoted', () => {
    const r = analysed([]);
    expect(measurements(r)).toEqual([{ t: 61_000, metric: 'x', phase: 'Successful', value: '[1]', message: null }]);
    expect(r.outcome).toBe('promoted');
  });
});

describe('prometheusUnreachable', () => {
  it('every query is an Error with the refused-connection text; the 5th (10 s apart) errors the metric and aborts', () => {
    const r = analysed([{ kind: 'prometheusUnreachable', atMs: 0 }]);
    const ms = measurements(r);
    expect(ms.map((m) => m.t)).toEqual([61_000, 71_001, 81_002, 91_003, 101_004]);
    expect(ms.every((m) => m.phase === 'Error' && m.value === null && m.message === REFUSED)).toBe(true);
    expect(ofType(r, 'analysisRun').map((e) => [e.t, e.phase])).toEqual([
      [61_000, 'Created'],
      [61_000, 'Running'],
      [101_004, 'Error'],
    ]);
    const aborted = events(r).find((e) => e.reason === 'RolloutAborted')!;
    expect(aborted.t).toBe(101_004);
    expect(aborted.message).toBe(
      `${ABORT_PREFIX}Metric "x" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: ${REFUSED}"`,
    );
    expect(r.outcome).toBe('aborted');
    // One trace entry per refused query.
    expect(acted(r).map((e) => [e.t, e.effect, e.metric])).toEqual(ms.map((m) => [m.t, 'connectionRefused', 'x']));
  });

  it('an outage shorter than four retries: two Errors (not counted), then the query succeeds', () => {
    const r = analysed([{ kind: 'prometheusUnreachable', atMs: 50_000, forMs: 25_000 }]);
    expect(measurements(r).map((m) => [m.t, m.phase])).toEqual([
      [61_000, 'Error'],
      [71_001, 'Error'],
      [81_002, 'Successful'],
    ]);
    expect(r.analysisRuns[0]!.phase).toBe('Successful');
    expect(r.outcome).toBe('promoted');
  });

  it('only metrics matching `metric` are refused', () => {
    const r = analysed([{ kind: 'prometheusUnreachable', atMs: 0, params: { metric: 'other' } }], SUCCESS_RATIO, [
      { name: 'other', fields: 'count: 1\nconsecutiveErrorLimit: 0', query: 'vector(1)' },
    ]);
    expect(measurements(r).map((m) => [m.t, m.metric, m.phase])).toEqual([
      [61_000, 'x', 'Successful'],
      [61_000, 'other', 'Error'],
    ]);
    expect(r.outcome).toBe('aborted');
  });

  it('builds the message as client_golang does: path joined, scheme default port, IP literals kept', () => {
    expect(connectionRefusedMessage('http://prometheus.monitoring.svc:9090', '10.96.4.2')).toBe(
      'Post "http://prometheus.monitoring.svc:9090/api/v1/query": dial tcp 10.96.4.2:9090: connect: connection refused',
    );
    expect(connectionRefusedMessage('https://prom.example.com/', '10.0.0.1')).toBe(
      'Post "https://prom.example.com/api/v1/query": dial tcp 10.0.0.1:443: connect: connection refused',
    );
    expect(connectionRefusedMessage('http://10.1.2.3/prom', '10.0.0.1')).toBe(
      'Post "http://10.1.2.3/prom/api/v1/query": dial tcp 10.1.2.3:80: connect: connection refused',
    );
  });
});

describe('slowQueries', () => {
  const DEADLINE = 'Post "http://prometheus:9090/api/v1/query": context deadline exceeded';

  it('past the 30 s default timeout: Error finishing 30 s after it started, retried 10 s after that finish', () => {
    const r = analysed([{ kind: 'slowQueries', atMs: 0, params: { latency: 45_000 } }]);
    const ms = ofType(r, 'measurement');
    // finishedAt = startedAt + 30 s; the next starts finishedAt + 10 s (+1 ms): a 40 s period.
    expect(ms.map((m) => [m.startedAt, m.finishedAt])).toEqual([
      [61_000, 91_000],
      [101_001, 131_001],
      [141_002, 171_002],
      [181_003, 211_003],
      [221_004, 251_004],
    ]);
    // Each measurement is recorded (and traced) when it finishes.
    expect(ms.map((m) => m.t)).toEqual(ms.map((m) => m.finishedAt));
    expect(ms.every((m) => m.phase === 'Error' && m.message === DEADLINE)).toBe(true);
    // The run's first reconcile lasts until its query gave up: Running is reported at 91 s.
    expect(ofType(r, 'analysisRun').map((e) => [e.t, e.phase])).toEqual([
      [61_000, 'Created'],
      [91_000, 'Running'],
      [251_004, 'Error'],
    ]);
    expect(r.outcome).toBe('aborted');
    expect(r.decidedAt).toBe(251_004);
    expect(events(r).find((e) => e.reason === 'RolloutAborted')!.message).toBe(
      `${ABORT_PREFIX}Metric "x" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: ${DEADLINE}"`,
    );
    expect(acted(r).map((e) => [e.t, e.effect, e.latencyMs, e.timeoutMs])).toEqual(ms.map((m) => [m.startedAt, 'queryTimedOut', 45_000, 30_000]));
  });

  it('below the timeout the measurement succeeds but finishes late, and the step completes then', () => {
    const r = analysed([{ kind: 'slowQueries', atMs: 0, params: { latency: 2_000 } }]);
    expect(ofType(r, 'measurement').map((m) => [m.t, m.phase, m.value, m.startedAt, m.finishedAt])).toEqual([[63_000, 'Successful', '[1]', 61_000, 63_000]]);
    expect(ofType(r, 'analysisRun').map((e) => [e.t, e.phase])).toEqual([
      [61_000, 'Created'],
      [63_000, 'Successful'],
    ]);
    // setWeight 50 completes at 61 s, the analysis step when its run succeeds at 63 s.
    expect(events(r, 61_000).filter((e) => e.reason === 'RolloutStepCompleted').map((e) => e.t)).toEqual([61_000, 63_000, 68_001]);
    expect(r.outcome).toBe('promoted');
  });

  it("honours the metric's own provider timeout (timeout: 5 ⇒ Error at startedAt + 5 s)", () => {
    const template = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: t, namespace: default}
spec:
  metrics:
    - name: x
      successCondition: result[0] >= 0.95
      provider:
        prometheus:
          address: http://prometheus:9090
          timeout: 5
          query: vector(1)
`;
    const r = runWith([ROLLOUT, template], [{ kind: 'slowQueries', atMs: 0, params: { latency: 8_000 } }]);
    const ms = ofType(r, 'measurement');
    expect(ms.slice(0, 2).map((m) => [m.startedAt, m.finishedAt, m.phase])).toEqual([
      [61_000, 66_000, 'Error'],
      [76_001, 81_001, 'Error'],
    ]);
  });

  it('one reconcile waits for all its queries: a fast sibling is recorded with the slow one', () => {
    const r = analysed([{ kind: 'slowQueries', atMs: 0, params: { latency: 20_000, metric: 'slow' } }], 'vector(1)', [
      { name: 'slow', fields: PASS, query: 'vector(1)' },
    ]);
    expect(ofType(r, 'measurement').map((m) => [m.t, m.metric, m.startedAt ?? m.t, m.finishedAt ?? m.t])).toEqual([
      [81_000, 'x', 61_000, 61_000],
      [81_000, 'slow', 61_000, 81_000],
    ]);
    expect(r.analysisRuns[0]!.phase).toBe('Successful');
  });

  it('jitter draws from the fault stream: deterministic per seed', () => {
    const f = [{ kind: 'slowQueries', atMs: 0, params: { latency: 1_000, jitter: 5_000 } }];
    const a = analysed(f);
    const b = analysed(f);
    const la = acted(a).map((e) => e.latencyMs as number);
    expect(la).toEqual(acted(b).map((e) => e.latencyMs));
    expect(la.every((ms) => ms >= 1_000 && ms < 6_000)).toBe(true);
  });
});

describe('emptyResults', () => {
  it('the empty vector `[]` makes result[0] an Error; the 5th aborts (digest §10.1)', () => {
    const r = analysed([{ kind: 'emptyResults', atMs: 0 }]);
    const ms = measurements(r);
    expect(ms.map((m) => m.t)).toEqual([61_000, 71_001, 81_002, 91_003, 101_004]);
    expect(ms.every((m) => m.phase === 'Error' && m.value === '[]')).toBe(true);
    expect(ms[0]!.message).toBe('reflect: slice index out of range');
    expect(r.outcome).toBe('aborted');
    expect(r.decidedAt).toBe(101_004);
    // The missing series are the fault's doing, not the query's: no "matched no series" warning.
    expect(r.warnings.filter((w) => w.includes('matched no simulated series'))).toEqual([]);
  });

  it('a query with its own fallback still answers (`or vector(0)` ⇒ [0] ⇒ Failed at once)', () => {
    const r = analysed([{ kind: 'emptyResults', atMs: 0 }], `(${SUCCESS_RATIO}) or vector(0)`);
    expect(measurements(r)).toEqual([{ t: 61_000, metric: 'x', phase: 'Failed', value: '[0]', message: null }]);
  });
});

describe('nanResults', () => {
  it('values become NaN: `[NaN]`, result[0] >= 0.95 is false ⇒ Failed at the first measurement', () => {
    const r = analysed([{ kind: 'nanResults', atMs: 0 }]);
    expect(measurements(r)).toEqual([{ t: 61_000, metric: 'x', phase: 'Failed', value: '[NaN]', message: null }]);
    expect(r.outcome).toBe('aborted');
    expect(acted(r).map((e) => [e.t, e.effect])).toEqual([[61_000, 'nan']]);
  });

  it('a scalar answer becomes NaN too', () => {
    const r = analysed([{ kind: 'nanResults', atMs: 0 }], 'scalar(vector(1))', [], 'successCondition: result >= 0.95');
    expect(measurements(r)[0]).toMatchObject({ t: 61_000, phase: 'Failed', value: 'NaN' });
  });
});

// Without a change, the v1 pods are scraped every 15 s through one target (the rollout's name).
const PLAIN = rolloutYaml({ canary: 'steps: [{setWeight: 50}]' });
const OK = 'http_requests_total{code="200"}';

describe('scrapeGap', () => {
  it('no samples during the window; the last one is used until it is 5 m old, then the series is absent', () => {
    const r = runWith([PLAIN], [{ kind: 'scrapeGap', atMs: 60_000, forMs: 360_000 }], { changeAtMs: null, untilMs: 600_000 });
    // Scrapes at 15…45 s, none at 60…405 s, then again from 420 s.
    expect(acted(r).map((e) => e.t)).toEqual(Array.from({ length: 24 }, (_, i) => 60_000 + i * 15_000));
    expect(vectorValues(query(r.store, `count_over_time(${OK}[10m])`, 450_000))).toEqual([6]); // 15, 30, 45, 420, 435, 450
    const last = vectorValues(query(r.store, OK, 45_000))[0]!;
    expect(vectorValues(query(r.store, OK, 200_000))).toEqual([last]);
    // The runs' default Prometheus is 3.x, whose lookback window is left-open: a sample exactly
    // 5 m old (45 s + 300 s) is no longer used (2.42 would still use it).
    expect(vectorValues(query(r.store, OK, 344_999))).toEqual([last]);
    expect(vectorValues(query(r.store, OK, 345_000))).toEqual([]);
  });
});

describe('counterReset', () => {
  it("the version's counters restart from 0; rate() over the reset equals the run without it", () => {
    const base = runWith([PLAIN], [], { changeAtMs: null });
    const r = runWith([PLAIN], [{ kind: 'counterReset', atMs: 90_000, image: 'app:v1' }], { changeAtMs: null });
    const v = (res: RunResult, t: number): number => vectorValues(query(res.store, OK, t))[0]!;
    // Same traffic draws (the traffic stream is untouched): before the reset the series agree.
    expect(v(r, 75_000)).toBe(v(base, 75_000));
    // The scrape at 90 s follows the reset: only the requests counted since (those of [75 s, 90 s)).
    expect(v(r, 90_000)).toBe(v(base, 90_000) - v(base, 75_000));
    expect(v(r, 90_000)).toBeLessThan(v(r, 75_000));
    expect(vectorValues(query(r.store, `resets(${OK}[5m])`, 120_000))).toEqual([1]);
    // rate() adds the pre-reset value back: the same answer as without the reset.
    const rate = `rate(${OK}[1m])`;
    expect(vectorValues(query(r.store, rate, 120_000))).toEqual(vectorValues(query(base.store, rate, 120_000)));
    expect(acted(r).map((e) => [e.t, e.effect, (e.replicaSets as string[]).length])).toEqual([[90_000, 'countersReset', 1]]);
  });
});

describe('staleSeries', () => {
  it('matching series get a stale marker at the next scrape and are not written until the window ends', () => {
    const r = runWith([PLAIN], [{ kind: 'staleSeries', atMs: 80_000, forMs: 60_000, params: { series: 'http_requests_total' } }], { changeAtMs: null });
    expect(vectorValues(query(r.store, OK, 89_999))).toHaveLength(1);
    // The scrape at 90 s writes the stale marker: absent at once, although a sample from 75 s is in the window.
    expect(vectorValues(query(r.store, OK, 90_000))).toEqual([]);
    expect(vectorValues(query(r.store, OK, 135_000))).toEqual([]);
    // Other series are untouched.
    expect(vectorValues(query(r.store, 'http_request_duration_seconds_count', 120_000))).toHaveLength(1);
    // The window ends at 140 s: written again from the scrape at 150 s.
    expect(vectorValues(query(r.store, OK, 150_000))).toHaveLength(1);
    // Two series are hidden (code 200 and the never-written code 500); the one exposed before gets a marker.
    expect(acted(r).map((e) => [e.t, e.effect, e.series])).toEqual([
      [90_000, 'hidden', 2],
      [90_000, 'staleMarkers', 1],
    ]);
  });

  it("with a target, only that version's series go stale", () => {
    const r = runWith(
      [rolloutYaml({ canary: 'steps: [{setWeight: 50}, {pause: {}}]' })],
      [{ kind: 'staleSeries', atMs: 0, image: 'app:v2' }],
      { untilMs: 120_000 },
    );
    const series = query(r.store, `count by (rollouts_pod_template_hash) (${OK})`, 120_000);
    // v2 serves half the traffic from 61 s but is never exposed; v1 still is.
    expect(series.resultType === 'vector' && series.samples.length).toBe(1);
    // …and it is the series that existed before the update (v1's).
    expect(vectorValues(query(r.store, `count(${OK} and ${OK} offset 90s)`, 120_000))).toEqual([1]);
    expect(r.requests.byVersion['app:v2']!.total).toBeGreaterThan(0);
    // Traced when v2's target is first scraped: all its series hidden, none had been written.
    const traced = acted(r);
    expect(traced.map((e) => e.effect)).toEqual(['hidden']);
    expect(traced[0]!.t).toBeGreaterThan(60_000);
  });
});
