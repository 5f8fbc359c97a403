// Properties of the canary controller model over randomly generated rollouts (fast-check, fixed
// seed: a failure prints the seed, the path and the shrunk counterexample — rerun with them). Each
// property runs whole simulated updates (app:v1 → app:v2 at 60 s, both versions behaving the same)
// and judges the trace with the pure checkers of test/helpers/traceCheckers.ts; each cites the
// argo-rollouts v1.9.1 rule it encodes (see the digest, /work/shared/reference, §0, §2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { events, podsAt, rolloutYaml, run, statusAt, type WorldOptions } from '../helpers/sim.js';
import {
  checkAvailabilityFloor,
  checkNoStepCompletionWhenScaling,
  checkRouterWeightFollowsSteps,
  checkStepIndex,
  checkSurgeBound,
  checkWeightNotAhead,
  resolveFenceposts,
  scalingEvents,
  type IntOrPercent,
} from '../helpers/traceCheckers.js';
import type { RunResult } from '../../sim/world.js';

/** fast-check seed for every property here: CI runs are reproducible. */
const SEED = 20_260_706;
const CHANGE_AT_MS = 60_000;

type Step = { readonly setWeight: number } | { readonly pause: number };

interface Case {
  readonly replicas: number;
  readonly maxSurge: IntOrPercent;
  readonly maxUnavailable: IntOrPercent;
  readonly trafficRouted: boolean;
  readonly steps: readonly Step[];
  /** Median and p99 of the lognormal pod start-up (per-pod draws from the run seed). */
  readonly startupMs: number;
  readonly startupP99Ms: number;
  readonly seed: number;
}

const intOrPercent = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 100 }).map((n) => `${n}%`));
const isZero = (v: IntOrPercent): boolean => v === 0 || v === '0%';

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 100 }).map((w) => ({ setWeight: w })) },
  // Timed pauses only (0 s … 3 min): every generated rollout can finish on its own.
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 180 })).map((s) => ({ pause: s })) },
);

const caseArb = (trafficRouted: fc.Arbitrary<boolean>): fc.Arbitrary<Case> =>
  fc
    .record({
      replicas: fc.integer({ min: 1, max: 12 }),
      maxSurge: intOrPercent,
      maxUnavailable: intOrPercent,
      trafficRouted,
      steps: fc.array(stepArb, { minLength: 1, maxLength: 6 }),
      startupMs: fc.integer({ min: 1, max: 5_000 }),
      spread: fc.integer({ min: 100, max: 300 }),
      seed: fc.integer({ min: 1, max: 1_000_000 }),
    })
    // Validation: "MaxSurge and MaxUnavailable both can not be zero" (validation.go, raw values).
    .filter((c) => !(isZero(c.maxSurge) && isZero(c.maxUnavailable)))
    .map(({ spread, ...c }) => ({ ...c, startupP99Ms: Math.round((c.startupMs * spread) / 100) }));

function yamlValue(v: IntOrPercent): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

function manifests(c: Case): string[] {
  const steps = c.steps.map((s) => ('setWeight' in s ? `  - setWeight: ${s.setWeight}` : `  - pause: {duration: ${s.pause}s}`)).join('\n');
  const tr = c.trafficRouted
    ? 'canaryService: demo-canary\nstableService: demo-stable\ntrafficRouting:\n  istio:\n    virtualService: {name: demo, routes: [primary]}\n'
    : '';
  return [rolloutYaml({ replicas: c.replicas, canary: `maxSurge: ${yamlValue(c.maxSurge)}\nmaxUnavailable: ${yamlValue(c.maxUnavailable)}\n${tr}steps:\n${steps}` })];
}

const pauseMs = (c: Case): number => c.steps.reduce((a, s) => a + ('pause' in s ? s.pause * 1000 : 0), 0);

/** Long enough for the promotion bound of property 5 with a generous start-up tail, plus 30 s scale-down delay. */
function untilMs(c: Case): number {
  return CHANGE_AT_MS + pauseMs(c) + (c.steps.length + 1) * (c.replicas + 1) * (c.startupP99Ms * 3 + 1_000) + 60_000;
}

function simulate(c: Case, w: WorldOptions = {}): RunResult {
  return run(manifests(c), { startupMs: c.startupMs, startupP99Ms: c.startupP99Ms, seed: c.seed, rps: 1, untilMs: untilMs(c), ...w });
}

const fenceposts = (c: Case) => resolveFenceposts(c.replicas, c.maxSurge, c.maxUnavailable);

function assertProperty(arb: fc.Arbitrary<Case>, numRuns: number, check: (c: Case) => string[]): void {
  fc.assert(
    fc.property(arb, (c) => {
      const v = check(c);
      if (v.length > 0) throw new Error(v.slice(0, 5).join('\n'));
    }),
    { seed: SEED, numRuns },
  );
}

const basic = caseArb(fc.constant(false));
const routed = caseArb(fc.constant(true));
const any = caseArb(fc.boolean());

describe('canary invariants over generated rollouts (fast-check, seed ' + SEED + ')', () => {
  // 1. utils/replicaset/canary.go CalculateReplicaCountsForBasicCanary: scale-ups only into
  //    room = R + maxSurge − Σspec; rollout/canary.go reconcileCanaryReplicaSets scales one RS per
  //    reconcile. Surge resolved by replicaset.go MaxSurge (percent of R, rounded up).
  it('basic canary: Σ spec.replicas ≤ R + maxSurge after every ScalingReplicaSet', () => {
    assertProperty(basic, 150, (c) => checkSurgeBound(simulate(c).trace, c.replicas, fenceposts(c).surge));
  });

  // 2. CalculateReplicaCountsForBasicCanary (pool ≤ minAvail ⇒ no shrink, else budget = pool −
  //    minAvail) and scaleDownOldReplicaSetsForCanary (budget Σavailable − minAvail): scale-downs
  //    never take Σavailable below R − maxUnavailable (maxUnavailable rounded down, §2.4).
  it('basic canary: no scale-down takes Σavailable below R − maxUnavailable', () => {
    assertProperty(basic, 150, (c) => checkAvailabilityFloor(simulate(c).trace, c.replicas, fenceposts(c).unavailable, CHANGE_AT_MS));
  });

  // 3. rollout/canary.go syncRolloutStatusCanary: index += 1 at most per reconcile; resets only on a
  //    new template / steps hash (0, or len with SkipSteps), abort (0), promoteStable (len).
  it('the step index moves forward by at most 1 per status write', () => {
    assertProperty(any, 150, (c) => checkStepIndex(simulate(c).trace));
  });

  // 4. utils/replicaset/canary.go GetCurrentSetWeight / rollout/trafficrouting.go
  //    reconcileTrafficRouting: the weight is that of the current step (basic), or with traffic
  //    routing that of the current or the previous step (previous while the canary is scaled), or 0.
  it('the canary weight is never ahead of the step', () => {
    assertProperty(any, 150, (c) => checkWeightNotAhead(simulate(c).trace, c.steps, c.trafficRouted));
  });

  // 5. Liveness. Each setWeight step completes once the RSs are at their counts
  //    (completedCurrentCanaryStep / AtDesiredReplicaCountsForCanary); each scaling wave adds at
  //    least one pod, so a step needs ≤ R+1 waves of one pod start-up each; a timed pause completes
  //    strictly after startTime (whole seconds) + duration, i.e. ≤ duration + 1 s after it starts;
  //    the end of steps is one more setWeight-100-like wave. Then "Completed all N canary steps"
  //    (shouldFullPromote) and the old RS is drained (basic: at once within the availability budget;
  //    TR: after scaleDownDelaySeconds, default 30 s, §2.11).
  it('identical versions with setWeight and timed pauses are promoted within the bound, Healthy, R pods on the new RS', () => {
    assertProperty(any, 150, (c) => {
      const r = simulate(c);
      const created = r.trace.filter((e) => e.type === 'pod' && e.phase === 'Created' && e.t >= CHANGE_AT_MS);
      const maxStartup = Math.max(0, ...created.map((e) => Number(e.readyInMs)));
      const setWeights = c.steps.filter((s) => 'setWeight' in s).length;
      const pauses = c.steps.length - setWeights;
      const bound = pauseMs(c) + pauses * 1_001 + (setWeights + 1) * (c.replicas + 1) * (maxStartup + 50);
      const v: string[] = [];
      if (r.outcome !== 'promoted') v.push(`outcome ${r.outcome} (${r.finalStatus.phase} ${r.finalStatus.message}) at step ${r.finalStepIndex}`);
      else if (r.decidedAt! - CHANGE_AT_MS > bound) v.push(`promoted after ${r.decidedAt! - CHANGE_AT_MS} ms > bound ${bound} ms (max start-up ${maxStartup} ms)`);
      if (r.finalStatus.phase !== 'Healthy') v.push(`final phase ${r.finalStatus.phase}: ${r.finalStatus.message}`);
      const rs = r.trace.filter((e) => e.type === 'replicaSet').map((e) => String(e.replicaSet));
      const pods = podsAt(r, Infinity);
      if ((pods.get(rs[1] ?? '') ?? 0) !== c.replicas) v.push(`new RS ${rs[1]} has ${pods.get(rs[1] ?? '') ?? 0} pods, want ${c.replicas}`);
      if ((pods.get(rs[0] ?? '') ?? 0) !== 0) v.push(`old RS ${rs[0]} has ${pods.get(rs[0] ?? '')} pods, want 0`);
      return v;
    });
  });

  // 6. rollout/trafficrouting.go + CalculateReplicaCountsForTrafficRoutedCanary: stable = R (100 %)
  //    without dynamicStableScale; the weight moves in the reconcile that completes the setWeight
  //    step, so it equals the last completed setWeight (0 while the canary has no available pod).
  it('traffic-routed: stable keeps R replicas until promotion; router weight = last completed setWeight', () => {
    assertProperty(routed, 120, (c) => {
      const r = simulate(c);
      const rs = r.trace.filter((e) => e.type === 'replicaSet').map((e) => String(e.replicaSet));
      const promotedAt = r.decidedAt ?? Infinity;
      const v = scalingEvents(r.trace)
        .filter((s) => s.replicaSet === rs[0] && s.t >= CHANGE_AT_MS && s.t <= promotedAt)
        .map((s) => `t=${s.t}: stable ${s.replicaSet} scaled ${s.from} → ${s.to} before promotion`);
      return [...v, ...checkRouterWeightFollowsSteps(r.trace, c.steps, CHANGE_AT_MS)];
    });
  });

  // 7. The simulator is a function of (inputs, seed): sim/world.ts, sim/engine/random.ts.
  it('determinism: the same case and seed give the same trace JSON', () => {
    assertProperty(any, 60, (c) => {
      const a = JSON.stringify(simulate(c).trace);
      const b = JSON.stringify(simulate(c).trace);
      return a === b ? [] : [`traces differ (${a.length} vs ${b.length} chars)`];
    });
  });

  // 8. rollout/canary.go rolloutCanary: completedCurrentCanaryStep judges the ReplicaSets as listed
  //    at the start of the reconcile (scale calls discard the updated object), digest §0.
  it('a setWeight step never completes in the reconcile that scaled', () => {
    assertProperty(any, 150, (c) => checkNoStepCompletionWhenScaling(simulate(c).trace));
  });

  // Shrunk counterexample of properties 4 and 6 before the fix in sim/rollouts/canary.ts (step
  // completion judged post-scale counts): the setWeight 0 step completed in the reconcile that
  // scaled the canary 1 → 0, leaving weight 1 on a canary with no pod at step 2.
  it('regression: TR R=1, setWeight 1 → 0 completes only after the canary is down, weight 0', () => {
    const c: Case = {
      replicas: 1,
      maxSurge: '0%',
      maxUnavailable: 1,
      trafficRouted: true,
      steps: [{ setWeight: 1 }, { setWeight: 0 }, { pause: 0 }],
      startupMs: 1,
      startupP99Ms: 1,
      seed: 1,
    };
    const r = simulate(c);
    const ev = events(r, CHANGE_AT_MS).map((e) => e.reason + ': ' + e.message);
    const down = ev.findIndex((m) => /^ScalingReplicaSet: Scaled down .* from 1 to 0$/.test(m));
    expect(ev.slice(down + 1, down + 3)).toEqual(['TrafficWeightUpdated: Traffic weight updated from 1 to 0', 'RolloutStepCompleted: Rollout step 2/3 completed (setWeight: 0)']);
    const atStep2 = r.trace.find((e) => e.type === 'status' && e.step === 2);
    expect(atStep2).toMatchObject({ weights: { canary: 0, stable: 100 }, setWeight: 0 });
    expect(statusAt(r, Infinity)).toMatchObject({ phase: 'Healthy' });
  });

  it('the checkers catch what they claim to catch', () => {
    const ev = (t: number, reason: string, message: string) => ({ t, type: 'event', reason, message });
    const pod = (t: number, name: string, rs: string, phase: string) => ({ t, type: 'pod', pod: name, replicaSet: rs, phase });
    const st = (t: number, step: number | null, setWeight: number, extra: Record<string, unknown> = {}) => ({
      t,
      type: 'status',
      step,
      steps: 3,
      setWeight,
      stableRS: 'a',
      currentPodHash: 'b',
      abort: false,
      weights: null,
      ...extra,
    });
    const up = ev(0, 'ScalingReplicaSet', 'Scaled up ReplicaSet a (revision 1) from 0 to 4');
    const upB = ev(1, 'ScalingReplicaSet', 'Scaled up ReplicaSet b (revision 2) from 0 to 2');
    expect(checkSurgeBound([up, upB], 4, 1)).toHaveLength(1);
    expect(checkSurgeBound([up, upB], 4, 2)).toEqual([]);
    expect(checkSurgeBound([upB, upB], 4, 9)).toHaveLength(1); // "from" disagrees with the known spec

    // R=2, maxUnavailable 0: deleting an available pod while the canary is still starting.
    const floor = [
      pod(0, 'a-0', 'a', 'Available'),
      pod(0, 'a-1', 'a', 'Available'),
      pod(1, 'b-0', 'b', 'Created'),
      pod(1, 'a-1', 'a', 'Deleted'),
      ev(1, 'ScalingReplicaSet', 'Scaled down ReplicaSet a (revision 1) from 2 to 1'),
    ];
    expect(checkAvailabilityFloor(floor, 2, 0)).toHaveLength(1);
    expect(checkAvailabilityFloor(floor, 2, 1)).toEqual([]);
    expect(checkAvailabilityFloor(floor, 2, 0, 2)).toEqual([]);

    expect(checkStepIndex([st(0, 0, 0), st(1, 1, 0), st(2, 2, 0)])).toEqual([]);
    expect(checkStepIndex([st(0, 0, 0), st(1, 2, 0)])).toHaveLength(1);
    expect(checkStepIndex([st(0, 2, 0), st(1, 1, 0)])).toHaveLength(1);
    expect(checkStepIndex([st(0, 2, 0), st(1, 0, 0, { abort: true })])).toEqual([]);
    expect(checkStepIndex([st(0, 2, 0), st(1, 0, 0, { currentPodHash: 'c' })])).toEqual([]);

    const steps = [{ setWeight: 20 }, { pause: 5 }, { setWeight: 50 }];
    expect(checkWeightNotAhead([st(0, 1, 20), st(1, 2, 20)], steps, false)).toHaveLength(1);
    expect(checkWeightNotAhead([st(0, 1, 20), st(1, 2, 20)], steps, true)).toEqual([]);
    expect(checkWeightNotAhead([st(0, 1, 50)], steps, true)).toHaveLength(1);
    expect(checkWeightNotAhead([st(0, 3, 100, { currentPodHash: 'a' })], steps, false)).toEqual([]);

    const w = (canary: number) => ({ weights: { canary, stable: 100 - canary } });
    expect(checkRouterWeightFollowsSteps([st(0, 1, 20, w(20)), st(1, 2, 20, w(20)), st(2, 3, 50, w(50))], steps)).toEqual([]);
    expect(checkRouterWeightFollowsSteps([st(0, 2, 50, w(50))], steps)).toHaveLength(1);

    const scaleThenComplete = [ev(0, 'ScalingReplicaSet', 'Scaled down ReplicaSet a (revision 1) from 2 to 1'), ev(0, 'RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 20)')];
    expect(checkNoStepCompletionWhenScaling(scaleThenComplete)).toHaveLength(1);
    expect(checkNoStepCompletionWhenScaling([scaleThenComplete[0]!, st(0, 0, 0), scaleThenComplete[1]!])).toEqual([]);

    expect(resolveFenceposts(10, '25%', '25%')).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts(3, '5%', 0)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(3, '0%', '10%')).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts(2, 0, 5)).toEqual({ surge: 0, unavailable: 2 });
  });
});
