// Each expectation key against a hand-built observation: expected and actual in words, and the
// verdict on both sides of every bound.
import { describe, expect, it } from 'vitest';
import { evaluateExpectations } from '../../sim/expect/evaluate.js';
import { NO_EXPECTATIONS, type Expectations, type RunObservation } from '../../sim/expect/types.js';

const observation: RunObservation = {
  outcome: 'aborted',
  decidedAt: 221_002,
  changeAt: 60_000,
  maxCanaryWeight: 20,
  requests: {
    total: 100_000,
    failed: 300,
    byVersion: [
      { image: 'app:v1', total: 90_000, failed: 90 },
      { image: 'app:v2', total: 10_000, failed: 210 },
    ],
  },
  analysisRuns: [
    { name: 'app-abc-2-2', type: 'Step', phase: 'Failed', message: 'Metric "success-rate" assessed Failed due to failed (2) > failureLimit (1)', endedAt: 221_002, measurements: [{ metric: 'success-rate', phase: 'Failed' }] },
  ],
  events: [
    { t: 0, reason: 'RolloutCompleted' },
    { t: 71_995, reason: 'RolloutPaused' },
    { t: 221_002, reason: 'AnalysisRunFailed' },
    { t: 221_002, reason: 'RolloutAborted' },
  ],
  final: {
    stableHash: 'old',
    canaryHash: 'new',
    replicaSets: [
      { podTemplateHash: 'old', image: 'app:v1', replicas: 10, ready: 10 },
      { podTemplateHash: 'new', image: 'app:v2', replicas: 0, ready: 0 },
    ],
    services: new Map([
      ['app-canary', 'old'],
      ['app-stable', 'old'],
      ['app', undefined],
    ]),
  },
};

const judge = (x: Partial<Expectations>, o: RunObservation = observation) => evaluateExpectations({ ...NO_EXPECTATIONS, ...x }, o);

describe('the keys rehearse had before', () => {
  it('outcome, within, maxCanaryWeight, maxFailedRequestRatio', () => {
    expect(judge({ outcome: 'aborted', withinMs: 180_000, maxCanaryWeight: 20, maxFailedRequestRatio: 0.003 })).toEqual([
      { name: 'outcome', ok: true, expected: 'aborted', actual: 'aborted' },
      { name: 'within', ok: true, expected: 'decided within 3m0s of the change', actual: 'decided after 2m41.002s' },
      { name: 'maxCanaryWeight', ok: true, expected: '≤ 20', actual: '20' },
      { name: 'maxFailedRequestRatio', ok: true, expected: '≤ 0.3%', actual: '0.3% (300 of 100000)' },
    ]);
    expect(judge({ withinMs: 160_000 })[0]!.ok).toBe(false);
    expect(judge({ maxFailedRequestRatio: 0.0029 })[0]!.ok).toBe(false);
  });
});

describe('failedRequests', () => {
  it('a ratio or a count, overall or per version', () => {
    expect(judge({ failedRequests: { max: { kind: 'ratio', value: 0.003 }, version: undefined, userFacing: false } })[0]).toEqual({
      name: 'failedRequests',
      ok: true,
      expected: '≤ 0.3% of all requests',
      actual: '300 failed of 100000 (0.3%)',
    });
    expect(judge({ failedRequests: { max: { kind: 'count', value: 299 }, version: undefined, userFacing: false } })[0]!.ok).toBe(false);
    const v2 = judge({ failedRequests: { max: { kind: 'ratio', value: 0.02 }, version: 'app:v2', userFacing: false } })[0]!;
    expect(v2).toMatchObject({ ok: false, expected: '≤ 2% of requests served by app:v2', actual: '210 failed of 10000 (2.1%)' });
    expect(judge({ failedRequests: { max: { kind: 'count', value: 0 }, version: 'app:v9', userFacing: false } })[0]).toMatchObject({ ok: true, expected: '≤ 0 failed of requests served by app:v9 (no pod ran this image)' });
  });

  it('user-facing requests leave mirrored copies out; without userFacing they count', () => {
    const r = judge({ failedRequests: { max: { kind: 'ratio', value: 0.003 }, version: undefined, userFacing: true } })[0]!;
    expect(r.ok).toBe(true);
    expect(r.expected).toBe('≤ 0.3% of user-facing requests (mirrored copies excluded)');
    // 5 000 mirrored copies reached v2, 500 of them answered with an error: never a user's failure.
    const mirroredObs: RunObservation = {
      ...observation,
      requests: {
        ...observation.requests,
        byVersion: [observation.requests.byVersion[0]!, { image: 'app:v2', total: 10_000, failed: 210, mirrored: 5_000, mirroredFailed: 500 }],
        mirrored: { total: 5_000, failed: 500 },
      },
    };
    const judgeM = (x: Partial<Expectations>) => evaluateExpectations({ ...NO_EXPECTATIONS, ...x }, mirroredObs);
    const users = judgeM({ failedRequests: { max: { kind: 'ratio', value: 0.003 }, version: undefined, userFacing: true } })[0]!;
    expect(users).toMatchObject({ ok: true, actual: '300 failed of 100000 (0.3%)' });
    const all = judgeM({ failedRequests: { max: { kind: 'ratio', value: 0.003 }, version: undefined, userFacing: false } })[0]!;
    expect(all).toMatchObject({ ok: false, expected: '≤ 0.3% of all requests, including 5000 mirrored copies', actual: '800 failed of 105000 (0.762%)' });
    const v2 = judgeM({ failedRequests: { max: { kind: 'count', value: 210 }, version: 'app:v2', userFacing: true } })[0]!;
    expect(v2).toMatchObject({ ok: true, actual: '210 failed of 10000 (2.1%)' });
    // The user-facing ratio bound of the run is unchanged by mirrored copies.
    expect(judgeM({ maxFailedRequestRatio: 0.003 })[0]!.ok).toBe(true);
  });
});

describe('decidedBy', () => {
  it('names the AnalysisRun kind and the metric that failed it', () => {
    expect(judge({ decidedBy: { analysisRun: 'step', metric: 'success-rate' } })[0]).toEqual({
      name: 'decidedBy',
      ok: true,
      expected: 'a step AnalysisRun, metric success-rate',
      actual: 'step AnalysisRun app-abc-2-2 Failed 2m41.002s after the change, metric success-rate',
    });
    expect(judge({ decidedBy: { analysisRun: 'background', metric: undefined } })[0]!.ok).toBe(false);
    expect(judge({ decidedBy: { analysisRun: undefined, metric: 'latency-p99' } })[0]!.ok).toBe(false);
  });

  it('fails, saying so, when no analysis failed', () => {
    const promoted: RunObservation = { ...observation, outcome: 'promoted', analysisRuns: [{ ...observation.analysisRuns[0]!, phase: 'Successful', message: '' }] };
    expect(judge({ decidedBy: { analysisRun: 'step', metric: undefined } }, promoted)[0]).toMatchObject({ ok: false, actual: 'no AnalysisRun failed (outcome promoted)' });
  });
});

describe('events', () => {
  it('include, exclude and inOrder count events from the change on', () => {
    const r = judge({ events: { include: ['RolloutAborted'], exclude: ['RolloutCompleted'], inOrder: ['RolloutPaused', 'AnalysisRunFailed', 'RolloutAborted'] } });
    expect(r.map((x) => [x.name, x.ok])).toEqual([
      ['events.include', true],
      ['events.exclude', true], // the RolloutCompleted of the initial deploy at t=0 is before the change
      ['events.inOrder', true],
    ]);
    expect(r[2]!.actual).toBe('RolloutPaused (11.995s after the change) → AnalysisRunFailed (2m41.002s after the change) → RolloutAborted (2m41.002s after the change)');
  });

  it('says which event is missing or out of order', () => {
    const [inc, exc, order] = judge({ events: { include: ['RolloutCompleted'], exclude: ['RolloutAborted'], inOrder: ['RolloutAborted', 'RolloutPaused'] } });
    expect(inc).toMatchObject({ ok: false, actual: 'RolloutCompleted never' });
    expect(exc).toMatchObject({ ok: false, actual: 'RolloutAborted 2m41.002s after the change' });
    expect(order).toMatchObject({ ok: false, expected: 'RolloutAborted → RolloutPaused', actual: 'RolloutAborted (2m41.002s after the change) → RolloutPaused only before RolloutAborted' });
  });
});

describe('final', () => {
  it('replica counts of the stable and canary ReplicaSets, and Service selectors', () => {
    const r = judge({
      final: {
        replicas: { stable: 10, canary: 0 },
        selectors: [
          { service: 'app-canary', target: 'stable' },
          { service: 'app-stable', target: 'app:v1' },
          { service: 'app-canary', target: 'canary' },
          { service: 'app', target: 'stable' },
          { service: 'nope', target: 'stable' },
        ],
      },
    });
    expect(r.map((x) => [x.name, x.ok])).toEqual([
      ['final.replicas.stable', true],
      ['final.replicas.canary', true],
      ['final.selectors.app-canary', true],
      ['final.selectors.app-stable', true],
      ['final.selectors.app-canary', false],
      ['final.selectors.app', false],
      ['final.selectors.nope', false],
    ]);
    expect(r[0]!.actual).toBe('10 pods (10 ready) of app:v1 (old)');
    expect(r[4]!.actual).toBe('stable (old, app:v1)');
    expect(r[5]!.actual).toBe('no rollouts-pod-template-hash in its selector');
    expect(r[6]!.actual).toBe('no Service nope (known: app-canary, app-stable, app)');
  });
});
