// The canary features beyond setWeight/pause/analysis, run end to end through the world with
// worked numbers from the semantics digest (§2.3, §2.7, §2.8, §2.11, §4.5, §6.1) and argo-rollouts
// v1.9.1 utils/replicaset/canary.go, rollout/trafficrouting.go, rollout/replicaset.go:
// setCanaryScale, dynamicStableScale, minPodsPerReplicaSet, replicaProgressThreshold,
// scaleDownDelaySeconds / scaleDownDelayRevisionLimit, abortScaleDownDelaySeconds.
import { describe, expect, it } from 'vitest';
import { analysisTemplateYaml, events, ofType, podsAt, rolloutYaml, run, serviceYaml, statusAt, type WorldOptions } from '../helpers/sim.js';
import type { RunResult } from '../../sim/world.js';

const ISTIO = `canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  istio:
    virtualService: {name: demo, routes: [primary]}`;

function routed(replicas: number, extra: string, steps: string, w: WorldOptions = {}, more: readonly string[] = []): RunResult {
  return run([rolloutYaml({ replicas, canary: `${ISTIO}\n${extra}\nsteps:\n${steps}` }), serviceYaml('demo-canary'), serviceYaml('demo-stable'), ...more], { untilMs: 300_000, ...w });
}

/** Pods of the new (v2) and old (v1) ReplicaSets at the end of the run. */
function podsAtEnd(r: RunResult): { canary: number; stable: number } {
  const pods = podsAt(r, Infinity);
  const byRevision = new Map<number, number>();
  for (const v of Object.values(r.requests.byVersion)) byRevision.set(v.revision, pods.get(`demo-${v.podTemplateHash}`) ?? 0);
  return { canary: byRevision.get(2) ?? 0, stable: byRevision.get(1) ?? 0 };
}

function stepCompletions(r: RunResult): string[] {
  return events(r)
    .filter((e) => e.reason === 'RolloutStepCompleted')
    .map((e) => e.message.replace(/^Rollout step /, ''));
}

describe('setCanaryScale (traffic routing)', () => {
  it('replicas 10, setCanaryScale {weight: 50} then setWeight 10 → canary 5 pods, weight 10, stable 10', () => {
    const r = routed(10, '', '  - setCanaryScale: {weight: 50}\n  - setWeight: 10\n  - pause: {}');
    expect(podsAtEnd(r)).toEqual({ canary: 5, stable: 10 });
    const s = statusAt(r, Infinity)!;
    expect(s.weights).toEqual({ canary: 10, stable: 90 });
    expect(stepCompletions(r)).toEqual(['1/3 completed (setCanaryScale{weight: 50})', '2/3 completed (setWeight: 10)']);
    expect(r.outcome).toBe('paused');
  });

  it('setCanaryScale {replicas: 3} keeps 3 canary pods through later setWeight steps', () => {
    const r = routed(10, '', '  - setCanaryScale: {replicas: 3}\n  - setWeight: 60\n  - pause: {}');
    expect(podsAtEnd(r)).toEqual({ canary: 3, stable: 10 });
    expect(statusAt(r, Infinity)!.weights).toEqual({ canary: 60, stable: 40 });
  });

  it('matchTrafficWeight cancels an earlier setCanaryScale: setWeight 50 → 5 pods', () => {
    const r = routed(10, '', '  - setCanaryScale: {replicas: 1}\n  - setWeight: 10\n  - setCanaryScale: {matchTrafficWeight: true}\n  - setWeight: 50\n  - pause: {}');
    expect(podsAtEnd(r)).toEqual({ canary: 5, stable: 10 });
    expect(stepCompletions(r)[2]).toBe('3/5 completed (setCanaryScale{matchTrafficWeight: true})');
  });

  it('a setCanaryScale step before any setWeight scales the canary while the weight stays 0 (e2e TestCanarySetCanaryScale: R=4, 1 canary pod at weight 0)', () => {
    const r = routed(4, '', '  - setCanaryScale: {replicas: 1}\n  - pause: {}');
    expect(podsAtEnd(r)).toEqual({ canary: 1, stable: 4 });
    expect(statusAt(r, Infinity)!.weights).toEqual({ canary: 0, stable: 100 });
  });

  it('is refused without trafficRouting (SetCanaryScale requires TrafficRouting to be set)', () => {
    expect(() => run([rolloutYaml({ replicas: 2, canary: 'steps:\n  - setCanaryScale: {replicas: 1}' })])).toThrow(/SetCanaryScale requires TrafficRouting to be set/);
  });
});

describe('dynamicStableScale', () => {
  it('R=4, setWeight 75 → canary 3 pods, stable scaled to ceil(4 × 25 %) = 1 once the weight moved (e2e TestCanaryDynamicStableScale)', () => {
    const r = routed(4, 'dynamicStableScale: true', '  - setWeight: 25\n  - pause: {duration: 30s}\n  - setWeight: 75\n  - pause: {}');
    expect(podsAtEnd(r)).toEqual({ canary: 3, stable: 1 });
    expect(statusAt(r, Infinity)!.weights).toEqual({ canary: 75, stable: 25 });
  });

  it('at 25 % the stable is already down to 3 pods (1/3)', () => {
    const r = routed(4, 'dynamicStableScale: true', '  - setWeight: 25\n  - pause: {}');
    expect(podsAtEnd(r)).toEqual({ canary: 1, stable: 3 });
  });

  it('the stable only shrinks after the weight has moved away from it (the persisted weights lag one reconcile)', () => {
    const r = routed(4, 'dynamicStableScale: true', '  - setWeight: 75\n  - pause: {}');
    const weightAt = events(r).find((e) => e.reason === 'TrafficWeightUpdated' && e.message.endsWith('to 75'))!.t;
    const stableDown = events(r).filter((e) => e.reason === 'ScalingReplicaSet' && /Scaled down/.test(e.message));
    expect(stableDown.length).toBeGreaterThan(0);
    expect(stableDown.every((e) => e.t >= weightAt)).toBe(true);
  });

  it('after promotion the previous stable goes to 0 at once (no scale-down delay)', () => {
    const r = routed(4, 'dynamicStableScale: true', '  - setWeight: 50\n  - pause: {duration: 10s}');
    expect(r.outcome).toBe('promoted');
    expect(podsAtEnd(r)).toEqual({ canary: 4, stable: 0 });
    const completed = events(r).find((e) => e.reason === 'RolloutCompleted' && e.t > 60_000)!.t;
    const lastDown = events(r).filter((e) => e.reason === 'ScalingReplicaSet' && /to 0$/.test(e.message)).at(-1)!;
    expect(lastDown.t - completed).toBeLessThan(5_000);
  });

  it('is refused without trafficRouting and together with scaleDownDelaySeconds', () => {
    expect(() => run([rolloutYaml({ replicas: 2, canary: 'dynamicStableScale: true\nsteps:\n  - setWeight: 50' })])).toThrow(/Canary dynamicStableScale can only be used with traffic routing/);
    expect(() => routed(2, 'dynamicStableScale: true\nscaleDownDelaySeconds: 10', '  - setWeight: 50')).toThrow(/Canary dynamicStableScale cannot be used with scaleDownDelaySeconds/);
  });
});

describe('minPodsPerReplicaSet', () => {
  it('R=10, setWeight 5 → ceil(0.5) = 1 canary pod raised to the minimum of 2', () => {
    const r = routed(10, 'minPodsPerReplicaSet: 2', '  - setWeight: 5\n  - pause: {}');
    expect(podsAtEnd(r)).toEqual({ canary: 2, stable: 10 });
    expect(statusAt(r, Infinity)!.weights).toEqual({ canary: 5, stable: 95 });
  });

  it('without it the same step has 1 canary pod', () => {
    expect(podsAtEnd(routed(10, '', '  - setWeight: 5\n  - pause: {}'))).toEqual({ canary: 1, stable: 10 });
  });
});

describe('replicaProgressThreshold', () => {
  // Pod start-up spread (median 5 s, p99 60 s): the 5 canary pods become ready at different times.
  const slow: WorldOptions = { startupMs: 5_000, startupP99Ms: 60_000, seed: 3 };
  const readyTimes = (r: RunResult): number[] =>
    ofType(r, 'pod')
      .filter((e) => e.phase === 'Available' && e.t >= 60_000)
      .map((e) => e.t)
      .sort((a, b) => a - b);

  it('{type: Pods, value: 1}: the setWeight step completes with the first available canary pod', () => {
    const r = routed(10, 'replicaProgressThreshold: {type: Pods, value: 1}', '  - setWeight: 50\n  - pause: {}', slow);
    const ready = readyTimes(r);
    expect(ready).toHaveLength(5);
    const completed = events(r).find((e) => e.reason === 'RolloutStepCompleted')!.t;
    expect(completed).toBe(ready[0]);
    expect(completed).toBeLessThan(ready[4]!);
  });

  it('{type: Percent, value: 60}: 3 of the 5 canary pods are enough', () => {
    const r = routed(10, 'replicaProgressThreshold: {type: Percent, value: 60}', '  - setWeight: 50\n  - pause: {}', slow);
    expect(events(r).find((e) => e.reason === 'RolloutStepCompleted')!.t).toBe(readyTimes(r)[2]);
  });

  it('without a threshold the step waits for all 5', () => {
    const r = routed(10, '', '  - setWeight: 50\n  - pause: {}', slow);
    expect(events(r).find((e) => e.reason === 'RolloutStepCompleted')!.t).toBe(readyTimes(r)[4]);
  });

  it('rejects a type other than Percent or Pods', () => {
    expect(() => routed(10, 'replicaProgressThreshold: {type: Ratio, value: 1}', '  - setWeight: 50')).toThrow(/expected "Percent" or "Pods", got "Ratio"/);
  });
});

describe('scaleDownDelaySeconds and scaleDownDelayRevisionLimit (traffic routing)', () => {
  const promotedAt = (r: RunResult): number => events(r).find((e) => e.reason === 'RolloutCompleted' && e.t > 60_000)!.t;
  const oldScaledToZero = (r: RunResult): number | undefined => events(r).find((e) => e.reason === 'ScalingReplicaSet' && /revision 1\) from \d+ to 0$/.test(e.message))?.t;

  it('default 30 s: the previous stable keeps its 4 pods for 30 s after promotion (from the whole second)', () => {
    const r = routed(4, '', '  - setWeight: 50\n  - pause: {duration: 10s}');
    expect(r.outcome).toBe('promoted');
    const down = oldScaledToZero(r)!;
    expect(down - promotedAt(r)).toBeGreaterThanOrEqual(29_000);
    expect(down - promotedAt(r)).toBeLessThanOrEqual(31_000);
  });

  it('90 s when set', () => {
    const r = routed(4, 'scaleDownDelaySeconds: 90', '  - setWeight: 50\n  - pause: {duration: 10s}');
    const d = oldScaledToZero(r)! - promotedAt(r);
    expect(d).toBeGreaterThanOrEqual(89_000);
    expect(d).toBeLessThanOrEqual(91_000);
  });

  it('scaleDownDelaySeconds: 0 keeps the previous stable running for ever (issue #1992)', () => {
    const r = routed(4, 'scaleDownDelaySeconds: 0', '  - setWeight: 50\n  - pause: {duration: 10s}');
    expect(r.outcome).toBe('promoted');
    expect(oldScaledToZero(r)).toBeUndefined();
    expect(podsAtEnd(r)).toEqual({ canary: 4, stable: 4 });
  });

  it('scaleDownDelayRevisionLimit: 0 scales the previous stable down at once', () => {
    const r = routed(4, 'scaleDownDelayRevisionLimit: 0', '  - setWeight: 50\n  - pause: {duration: 10s}');
    expect(oldScaledToZero(r)! - promotedAt(r)).toBeLessThan(1_000);
  });

  it('is refused for a basic canary (Canary scaleDownDelaySeconds can only be used with traffic routing)', () => {
    expect(() => run([rolloutYaml({ replicas: 2, canary: 'scaleDownDelaySeconds: 10\nsteps:\n  - setWeight: 50' })])).toThrow(/Canary scaleDownDelaySeconds can only be used with traffic routing/);
  });
});

describe('abortScaleDownDelaySeconds (traffic routing)', () => {
  const failing = analysisTemplateYaml('always-fails', [{ name: 'never-good', query: 'vector(1)', fields: 'successCondition: result[0] < 0' }]);
  const steps = '  - setWeight: 25\n  - analysis:\n      templates: [{templateName: always-fails}]';
  const canaryDown = (r: RunResult, after: number): number | undefined =>
    events(r, after).find((e) => e.reason === 'ScalingReplicaSet' && /revision 2\) from \d+ to 0$/.test(e.message))?.t;

  it('10 s: the aborted canary goes to 0 ten seconds (whole-second deadline) after the abort', () => {
    const r = routed(4, 'abortScaleDownDelaySeconds: 10', steps, {}, [failing]);
    const abortedAt = events(r).find((e) => e.reason === 'RolloutAborted')!.t;
    expect(canaryDown(r, abortedAt)).toBe(Math.floor(abortedAt / 1000) * 1000 + 10_000);
  });

  it('0 with a setWeight step: the canary still goes to 0 at once — the aborted weight is 0 and nothing holds the pods', () => {
    // shouldDelayScaleDownOnAbort is false for 0, so reconcileNewReplicaSet scales the canary to
    // its desired count, which GetCurrentSetWeight makes 0 while aborted.
    const r = routed(4, 'abortScaleDownDelaySeconds: 0', steps, {}, [failing]);
    const abortedAt = events(r).find((e) => e.reason === 'RolloutAborted')!.t;
    expect(canaryDown(r, abortedAt)! - abortedAt).toBeLessThan(1_000);
  });

  it('0 with setCanaryScale: the aborted canary keeps its pods (e2e TestCanaryUnScaleDownOnAbort; weight 0, no traffic)', () => {
    const r = routed(4, 'abortScaleDownDelaySeconds: 0', '  - setCanaryScale: {replicas: 1}\n' + steps, {}, [failing]);
    expect(r.outcome).toBe('aborted');
    const abortedAt = events(r).find((e) => e.reason === 'RolloutAborted')!.t;
    expect(canaryDown(r, abortedAt)).toBeUndefined();
    expect(podsAtEnd(r)).toEqual({ canary: 1, stable: 4 });
    expect(statusAt(r, Infinity)!.weights).toMatchObject({ canary: 0 });
  });
});

describe('background analysis', () => {
  const passing = analysisTemplateYaml('bg-ok', [{ name: 'ok', query: 'vector(1)', fields: 'interval: 20s\nsuccessCondition: result[0] == 1' }]);
  const failingLater = analysisTemplateYaml('bg-fails', [{ name: 'errors', query: 'vector(1)', fields: 'interval: 20s\nsuccessCondition: result[0] == 0' }]);
  const bgRuns = (r: RunResult) => r.analysisRuns.filter((a) => a.type === 'Background');

  it('starts at startingStep, spans the steps and is terminated (Successful) after promotion', () => {
    const r = routed(4, 'analysis:\n  startingStep: 2\n  templates: [{templateName: bg-ok}]', '  - setWeight: 25\n  - pause: {duration: 30s}\n  - setWeight: 50\n  - pause: {duration: 1m}', {}, [passing]);
    expect(r.outcome).toBe('promoted');
    const runs = bgRuns(r);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.phase).toBe('Successful');
    const created = ofType(r, 'analysisRun').find((e) => e.run === runs[0]!.name)!.t;
    // Created once the index reached 2 (the 30 s pause completed), not before.
    const step2 = events(r).find((e) => e.reason === 'RolloutStepCompleted' && e.message.startsWith('Rollout step 2/4'))!.t;
    expect(created).toBe(step2);
    // Measured every 20 s through setWeight 50 and the pause: more than two measurements.
    expect(runs[0]!.measurements.length).toBeGreaterThan(2);
    const promoted = events(r).find((e) => e.reason === 'RolloutCompleted' && e.t > 60_000)!.t;
    expect(runs[0]!.measurements.every((m) => m.t <= promoted)).toBe(true);
  });

  it('a failing background run aborts the rollout with its message', () => {
    const r = routed(4, 'analysis:\n  templates: [{templateName: bg-fails}]', '  - setWeight: 25\n  - pause: {}', {}, [failingLater]);
    expect(r.outcome).toBe('aborted');
    const aborted = events(r).find((e) => e.reason === 'RolloutAborted')!;
    expect(aborted.message).toMatch(/^Rollout aborted update to revision 2: Background analysis phase error\/failed: Metric "errors" assessed Failed/);
  });

  it('with startingStep beyond the last reached step no background run is created', () => {
    const r = routed(4, 'analysis:\n  startingStep: 3\n  templates: [{templateName: bg-ok}]', '  - setWeight: 25\n  - pause: {}\n  - setWeight: 50', {}, [passing]);
    expect(r.outcome).toBe('paused');
    expect(bgRuns(r)).toHaveLength(0);
  });
});

describe('maxTrafficWeight (NGINX)', () => {
  const NGINX = `canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  maxTrafficWeight: 1000
  nginx: {stableIngress: demo}`;

  it('R=10, maxTrafficWeight 1000, setWeight 100 → ceil(10 × 100 / 1000) = 1 canary pod and 10 % of the traffic', () => {
    const r = run([rolloutYaml({ replicas: 10, canary: `${NGINX}\nsteps:\n  - setWeight: 100\n  - pause: {}` }), serviceYaml('demo-canary'), serviceYaml('demo-stable')], { untilMs: 300_000, rps: 200 });
    expect(podsAtEnd(r)).toEqual({ canary: 1, stable: 10 });
    expect(statusAt(r, Infinity)!.weights).toEqual({ canary: 100, stable: 900 });
    // Weights reported in percent.
    expect(statusAt(r, Infinity)!.setWeight).toBe(10);
    expect(r.maxCanaryWeight).toBe(10);
    expect(r.maxActualCanaryWeight).toBe(10);
  });

  it('a setWeight above maxTrafficWeight is refused (SetWeight needs to be between 0 and 1000)', () => {
    expect(() => run([rolloutYaml({ replicas: 10, canary: `${NGINX}\nsteps:\n  - setWeight: 1001` })])).toThrow(/SetWeight needs to be between 0 and 1000/);
  });
});
