// The Rollouts controller model end to end (one Rollout, its ReplicaSets, Services and router)
// against argo-rollouts v1.9.1 with worked numbers. Worlds are deterministic: every pod becomes
// available exactly 1 s after it is created, the update (app:v1 → app:v2) is applied at 60 s.
// Replica-count arithmetic on its own is covered by replicaMath.test.ts; here it is checked as
// sequences of ScalingReplicaSet events and resulting pod counts through whole reconcile chains.
import { describe, expect, it } from 'vitest';
import { events, podsAt, reasons, rolloutYaml, run, scalings, serviceYaml, statusAt, type Ev } from '../helpers/sim.js';
import type { RunResult } from '../../sim/world.js';

/** ReplicaSet names of revision 1 (v1) and 2 (v2), from the NewReplicaSetCreated events. */
function rsNames(r: RunResult): { v1: string; v2: string; h1: string; h2: string } {
  const created = events(r).filter((e) => e.reason === 'NewReplicaSetCreated');
  const name = (e: Ev | undefined): string => /^Created ReplicaSet (\S+) \(revision \d+\)$/.exec(e?.message ?? '')?.[1] ?? '';
  const v1 = name(created[0]);
  const v2 = name(created[1]);
  return { v1, v2, h1: v1.slice('demo-'.length), h2: v2.slice('demo-'.length) };
}

/** [canary, stable] pod counts at t. */
function split(r: RunResult, t: number): [number, number] {
  const { v1, v2 } = rsNames(r);
  const pods = podsAt(r, t);
  return [pods.get(v2) ?? 0, pods.get(v1) ?? 0];
}

const TR = (steps: string, replicas = 4, extra = ''): string[] => [
  rolloutYaml({
    replicas,
    canary: `
canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  istio:
    virtualService: {name: demo, routes: [primary]}
${extra}steps:
${steps}`,
  }),
  serviceYaml('demo-canary'),
  serviceYaml('demo-stable'),
];

// ---------------------------------------------------------------------------------------------
describe('event sequences (digest §8.2, e2e functional_test.go TestRolloutAbortRetryPromote)', () => {
  // The e2e manifest: no replicas (defaults to 1), `setWeight: 50`, `pause: {duration: 3s}`.
  const r = run([rolloutYaml({ canary: 'steps:\n  - setWeight: 50\n  - pause: {duration: 3s}' })], { untilMs: 120_000 });
  const { v1, v2, h1, h2 } = rsNames(r);

  it('create: RolloutAddedToInformer … RolloutCompleted, with upstream messages', () => {
    expect(reasons(r, 0, 60_000)).toEqual([
      'RolloutAddedToInformer',
      'RolloutUpdated',
      'NewReplicaSetCreated',
      'RolloutNotCompleted',
      'ScalingReplicaSet',
      'RolloutCompleted',
    ]);
    expect(events(r, 0, 60_000).map((e) => e.message)).toEqual([
      'Rollout resource added to informer: default/demo',
      'Rollout updated to revision 1',
      `Created ReplicaSet ${v1} (revision 1)`,
      `Rollout not completed, started update to revision 1 (${h1})`,
      `Scaled up ReplicaSet ${v1} (revision 1) from 0 to 1`,
      `Rollout completed update to revision 1 (${h1}): Initial deploy`,
    ]);
    // §2.13: the initial deploy scales and promotes in one reconcile, with no pods available yet.
    expect(events(r, 0, 60_000).every((e) => e.t === 0)).toBe(true);
    expect(v1).toMatch(/^demo-[a-z0-9]+$/);
  });

  it('update: … RolloutStepCompleted, RolloutPaused; pause expiry; promotion', () => {
    expect(reasons(r, 60_000)).toEqual([
      'RolloutUpdated',
      'NewReplicaSetCreated',
      'RolloutNotCompleted',
      'ScalingReplicaSet',
      'RolloutStepCompleted',
      'RolloutPaused',
      // pause expiry
      'RolloutStepCompleted',
      'RolloutResumed',
      // promotion (the tail of the e2e "retry" sequence)
      'ScalingReplicaSet',
      'RolloutCompleted',
    ]);
    expect(events(r, 60_000).map((e) => [e.t, e.message])).toEqual([
      [60_000, 'Rollout updated to revision 2'],
      [60_000, `Created ReplicaSet ${v2} (revision 2)`],
      [60_000, `Rollout not completed, started update to revision 2 (${h2})`],
      [60_000, `Scaled up ReplicaSet ${v2} (revision 2) from 0 to 1`],
      [61_000, 'Rollout step 1/2 completed (setWeight: 50)'],
      [61_000, 'Rollout is paused (CanaryPauseStep)'],
      [64_001, 'Rollout step 2/2 completed (pause: 3s)'],
      [64_001, 'Rollout is resumed'],
      [64_001, `Scaled down ReplicaSet ${v1} (revision 1) from 1 to 0`],
      [64_001, `Rollout completed update to revision 2 (${h2}): Completed all 2 canary steps`],
    ]);
    expect(events(r).every((e) => e.eventType === 'Normal')).toBe(true);
  });

  it('pod counts: 1/1 while paused (ExpectRevisionPodCount 1,1), 0/1 once Healthy', () => {
    expect(split(r, 62_000)).toEqual([1, 1]);
    expect(statusAt(r, 62_000)).toMatchObject({ phase: 'Paused', message: 'CanaryPauseStep' });
    expect(split(r, 119_000)).toEqual([1, 0]);
    expect(r.finalStatus).toEqual({ phase: 'Healthy', message: '' });
    expect(r.outcome).toBe('promoted');
    expect(r.decidedAt).toBe(64_001);
  });

  // Digest §11.2: on a traffic-routed initial deploy weights are written once the first revision is
  // fully available (canary 0) and TrafficWeightUpdated fires; a new canary ReplicaSet fires it again
  // with only the hashes changed (nothing after "updated"). rollout/trafficrouting.go
  // reconcileTrafficRouting, trafficWeightUpdatedMessage.
  it('traffic-routed: TrafficWeightUpdated after the initial deploy and on the new canary hash', () => {
    const tr = run(TR('  - setWeight: 30\n  - pause: {}'), { untilMs: 120_000, coldStart: true });
    const { h1: s1, h2: s2 } = rsNames(tr);
    expect(reasons(tr, 0, 60_000)).toEqual([
      'RolloutAddedToInformer',
      'RolloutUpdated',
      'NewReplicaSetCreated',
      'RolloutNotCompleted',
      'ScalingReplicaSet',
      'RolloutCompleted',
      'SwitchService',
      'SwitchService',
      'TrafficWeightUpdated',
    ]);
    const initial = events(tr, 1, 60_000);
    expect(initial.map((e) => [e.t, e.message])).toEqual([
      [1_000, `Switched selector for service 'demo-stable' from '' to '${s1}'`],
      [1_000, `Switched selector for service 'demo-canary' from '' to '${s1}'`],
      [1_000, 'Traffic weight updated to 0'],
    ]);
    const update = events(tr, 60_000);
    expect(update.map((e) => e.reason)).toEqual([
      'RolloutUpdated',
      'NewReplicaSetCreated',
      'RolloutNotCompleted',
      'TrafficWeightUpdated',
      'ScalingReplicaSet',
      'SwitchService',
      'TrafficWeightUpdated',
      'RolloutStepCompleted',
      'RolloutPaused',
    ]);
    // Upstream formats "Traffic weight updated %s" with no details: the trailing space stays.
    expect(update[3]!.message).toBe('Traffic weight updated ');
    expect(update[5]!.message).toBe(`Switched selector for service 'demo-canary' from '${s1}' to '${s2}'`);
    expect(update[6]!.message).toBe('Traffic weight updated from 0 to 30');
  });

  // Digest §2.9: `pause: {duration: 0}` still pauses first and emits all three events.
  it('pause {duration: 0} emits RolloutPaused, RolloutStepCompleted, RolloutResumed and moves on', () => {
    const p0 = run([rolloutYaml({ canary: 'steps:\n  - setWeight: 50\n  - pause: {duration: 0}\n  - setWeight: 100' })], { untilMs: 120_000 });
    const ev = events(p0, 61_000);
    expect(ev.map((e) => [e.reason, e.message])).toEqual([
      ['RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 50)'],
      ['RolloutPaused', 'Rollout is paused (CanaryPauseStep)'],
      ['RolloutStepCompleted', 'Rollout step 2/3 completed (pause: 0)'],
      ['RolloutResumed', 'Rollout is resumed'],
      // setWeight 100 with R=1: stable 1→0 first; the step completes in a later reconcile (never in
      // the one that scaled, §0) and the promotion follows it.
      ['ScalingReplicaSet', expect.stringMatching(/from 1 to 0$/)],
      ['RolloutStepCompleted', 'Rollout step 3/3 completed (setWeight: 100)'],
      ['RolloutCompleted', expect.stringMatching(/: Completed all 3 canary steps$/)],
    ]);
    // Right after the pause was added (one reconcile latency), not at the 15-minute resync.
    expect(ev[2]!.t - ev[1]!.t).toBeLessThanOrEqual(1);
    expect(p0.outcome).toBe('promoted');
  });
});

// ---------------------------------------------------------------------------------------------
describe('basic canary replica math through the controller (digest §2.5, §2.6)', () => {
  // utils/replicaset/canary.go CalculateReplicaCountsForBasicCanary via rollout/canary.go
  // reconcileCanaryReplicaSets (stable → new → others, one RS per reconcile).
  const surge25 = (steps: string, replicas = 10): string[] => [
    rolloutYaml({ replicas, canary: `maxSurge: "25%"\nmaxUnavailable: 0\nsteps:\n${steps}` }),
  ];

  it('R=10, maxSurge 25%, maxUnavailable 0, setWeight 5 ⇒ canary 1, stable stays 10 (11 pods)', () => {
    const r = run(surge25('  - setWeight: 5\n  - pause: {}'), { untilMs: 200_000 });
    const { v2 } = rsNames(r);
    expect(scalings(r, 60_000)).toEqual([`Scaled up ReplicaSet ${v2} (revision 2) from 0 to 1`]);
    expect(split(r, 199_000)).toEqual([1, 10]);
    expect(statusAt(r, 199_000)).toMatchObject({ replicas: 11, updatedReplicas: 1, availableReplicas: 11, step: 1, phase: 'Paused' });
  });

  it('R=10, maxSurge 25%, maxUnavailable 0: 5 → 20 → 50 → 80 → promotion, scaling sequence of the digest table', () => {
    const r = run(surge25('  - setWeight: 5\n  - setWeight: 20\n  - setWeight: 50\n  - setWeight: 80'), { untilMs: 200_000 });
    const { v1, v2, h2 } = rsNames(r);
    const up = (a: number, b: number): string => `Scaled up ReplicaSet ${v2} (revision 2) from ${a} to ${b}`;
    const down = (a: number, b: number): string => `Scaled down ReplicaSet ${v1} (revision 1) from ${a} to ${b}`;
    const ev = events(r, 60_000).filter((e) => e.reason === 'ScalingReplicaSet' || e.reason === 'RolloutStepCompleted' || e.reason === 'RolloutCompleted');
    expect(ev.map((e) => [e.t, e.message])).toEqual([
      [60_000, up(0, 1)],
      [61_000, 'Rollout step 1/4 completed (setWeight: 5)'],
      // 20: stable 10→9, canary 1→2, stable 9→8
      [61_000, down(10, 9)],
      [61_000, up(1, 2)],
      [62_000, down(9, 8)],
      [62_000, 'Rollout step 2/4 completed (setWeight: 20)'],
      // 50: canary →5, stable →5
      [62_000, up(2, 5)],
      [63_000, down(8, 5)],
      [63_000, 'Rollout step 3/4 completed (setWeight: 50)'],
      // 80: canary →8, stable →2
      [63_000, up(5, 8)],
      [64_000, down(5, 2)],
      [64_000, 'Rollout step 4/4 completed (setWeight: 80)'],
      // end of steps: canary →10, stable →0 and promotion in the same reconcile
      [64_000, up(8, 10)],
      [65_000, down(2, 0)],
      [65_000, `Rollout completed update to revision 2 (${h2}): Completed all 4 canary steps`],
    ]);
    // Pods at rest after each step (10 except the 1/11 of setWeight 5).
    expect(split(r, 60_500)).toEqual([1, 10]);
    expect(split(r, 62_500)).toEqual([5, 8]); // between steps: canary already up, stable not yet down
    expect(split(r, 66_000)).toEqual([10, 0]);
    // A setWeight step never completes in the reconcile that scaled (§0): each completion is at a
    // pod-ready instant, after the last scale of that step.
  });

  it('R=10 defaults (25%/25%): 5 → canary 0→1; 20 → stable 10→8 then canary →2; 50 → stable →6, canary →5, stable →5', () => {
    const r = run([rolloutYaml({ replicas: 10, canary: 'steps:\n  - setWeight: 5\n  - setWeight: 20\n  - setWeight: 50\n  - pause: {}' })], { untilMs: 200_000 });
    const { v1, v2 } = rsNames(r);
    expect(scalings(r, 60_000)).toEqual([
      `Scaled up ReplicaSet ${v2} (revision 2) from 0 to 1`,
      `Scaled down ReplicaSet ${v1} (revision 1) from 10 to 8`,
      `Scaled up ReplicaSet ${v2} (revision 2) from 1 to 2`,
      `Scaled down ReplicaSet ${v1} (revision 1) from 8 to 6`,
      `Scaled up ReplicaSet ${v2} (revision 2) from 2 to 5`,
      `Scaled down ReplicaSet ${v1} (revision 1) from 6 to 5`,
    ]);
    expect(split(r, 199_000)).toEqual([5, 5]);
  });

  it('R=4 defaults, setWeight 25 ⇒ 1/3 (stable 4→3 first, then canary 0→1)', () => {
    const r = run([rolloutYaml({ replicas: 4, canary: 'steps:\n  - setWeight: 25\n  - pause: {}' })], { untilMs: 200_000 });
    const { v1, v2 } = rsNames(r);
    expect(scalings(r, 60_000)).toEqual([`Scaled down ReplicaSet ${v1} (revision 1) from 4 to 3`, `Scaled up ReplicaSet ${v2} (revision 2) from 0 to 1`]);
    expect(split(r, 199_000)).toEqual([1, 3]);
    // e2e canary_test.go TestRolloutScalingWhenPaused starts from exactly this 1/3.
  });

  it('R=5, maxSurge 1, maxUnavailable 0: 20/40/60/80 ⇒ 1/4, 2/3, 3/2, 4/1, each "canary up, then stable down"', () => {
    const r = run(
      [rolloutYaml({ replicas: 5, canary: 'maxSurge: 1\nmaxUnavailable: 0\nsteps:\n  - setWeight: 20\n  - setWeight: 40\n  - setWeight: 60\n  - setWeight: 80\n  - pause: {}' })],
      { untilMs: 200_000 },
    );
    const { v1, v2 } = rsNames(r);
    const seq = scalings(r, 60_000);
    const expected: string[] = [];
    for (let c = 1; c <= 4; c++) {
      expected.push(`Scaled up ReplicaSet ${v2} (revision 2) from ${c - 1} to ${c}`);
      expected.push(`Scaled down ReplicaSet ${v1} (revision 1) from ${6 - c} to ${5 - c}`);
    }
    expect(seq).toEqual(expected);
    expect(split(r, 199_000)).toEqual([4, 1]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('traffic-routed canary (digest §2.7, rollout/trafficrouting.go reconcileTrafficRouting)', () => {
  it('canary = ceil(R·w/100), stable stays R; weight moves when the canary is available, in the step-completing reconcile', () => {
    const r = run(TR('  - setWeight: 30\n  - pause: {duration: 10s}\n  - setWeight: 60'), { untilMs: 200_000, startupMs: 2_000 });
    const { v1, v2, h2 } = rsNames(r);
    // setWeight 30, R=4 ⇒ ceil(1.2) = 2 canary pods; stable untouched.
    expect(split(r, 61_000)).toEqual([2, 4]);
    // Weight stays 0 while the canary pods start (2 s), then 0 → 30 at 62 s, and that very
    // reconcile completes the step: TrafficWeightUpdated immediately followed by RolloutStepCompleted.
    const ev = events(r, 60_000).map((e) => [e.t, e.reason, e.message]);
    const i30 = ev.findIndex((e) => e[2] === 'Traffic weight updated from 0 to 30');
    expect(ev[i30]![0]).toBe(62_000);
    expect(ev[i30 + 1]).toEqual([62_000, 'RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 30)']);
    expect(statusAt(r, 61_999)).toMatchObject({ weights: { canary: 0, stable: 100 } });
    // Pause started at 62 s ⇒ expiry after 72 s. setWeight 60 ⇒ ceil(2.4) = 3.
    const i60 = ev.findIndex((e) => e[2] === 'Traffic weight updated from 30 to 60');
    expect(ev[i60 - 1]).toEqual([72_001, 'ScalingReplicaSet', `Scaled up ReplicaSet ${v2} (revision 2) from 2 to 3`]);
    expect(ev[i60]![0]).toBe(74_001);
    expect(ev[i60 + 1]).toEqual([74_001, 'RolloutStepCompleted', 'Rollout step 3/3 completed (setWeight: 60)']);
    expect(split(r, 74_000)).toEqual([3, 4]);
    // End of steps: canary scaled to R first (weight stays 60 until it is available), then weight
    // 100 and promotion in one reconcile; the next reconcile switches the stable Service and sets
    // weights canary 0 / stable 100 (both hashes the new one).
    expect(ev.slice(i60 + 2).map((e) => [e[0], e[1], e[2]])).toEqual([
      [74_001, 'ScalingReplicaSet', `Scaled up ReplicaSet ${v2} (revision 2) from 3 to 4`],
      [76_001, 'TrafficWeightUpdated', 'Traffic weight updated from 60 to 100'],
      [76_001, 'RolloutCompleted', `Rollout completed update to revision 2 (${h2}): Completed all 3 canary steps`],
      [76_001, 'SwitchService', expect.stringMatching(new RegExp(`^Switched selector for service 'demo-stable' from '[a-z0-9]+' to '${h2}'$`))],
      [76_001, 'TrafficWeightUpdated', 'Traffic weight updated from 100 to 0'],
      // §2.11: the old stable keeps its pods for scaleDownDelaySeconds (30 s) after promotion. The
      // deadline is written as whole seconds (76 s + 30 s); the RS patch requeues the rollout, which
      // then waits the remaining 29.999 s (replicaset.go scaleDownDelayHelper), so it ends at 106 s.
      [106_000, 'ScalingReplicaSet', `Scaled down ReplicaSet ${v1} (revision 1) from 4 to 0`],
    ]);
    expect(statusAt(r, 76_001)).toMatchObject({ weights: { canary: 0, stable: 100 }, stableRS: h2 });
    // The stable ReplicaSet is never scaled during the update.
    expect(scalings(r, 60_000).filter((m) => m.includes(v1))).toHaveLength(1);
  });

  it('R=10, setWeight 5 ⇒ canary ceil(0.5) = 1, stable 10', () => {
    const r = run(TR('  - setWeight: 5\n  - pause: {}', 10), { untilMs: 120_000 });
    expect(split(r, 119_000)).toEqual([1, 10]);
    expect(statusAt(r, 119_000)).toMatchObject({ weights: { canary: 5, stable: 95 }, phase: 'Paused', message: 'CanaryPauseStep' });
  });
});

// ---------------------------------------------------------------------------------------------
describe('pause steps (digest §2.9, §7.4; rollout/canary.go reconcileCanaryPause, completedCurrentCanaryStep)', () => {
  it('startTime is truncated to whole seconds: a 3 s pause added at 61.5 s completes just after 64 s', () => {
    const r = run([rolloutYaml({ canary: 'steps:\n  - setWeight: 50\n  - pause: {duration: 3s}' })], { untilMs: 120_000, changeAtMs: 60_500 });
    const ev = events(r, 60_500);
    expect(ev.find((e) => e.reason === 'RolloutPaused')!.t).toBe(61_500);
    // now > startTime(61 s) + 3 s, strictly: the first reconcile after 64.000 s.
    expect(ev.find((e) => e.message === 'Rollout step 2/2 completed (pause: 3s)')!.t).toBe(64_001);
  });

  it('expiry is strictly after start + duration (a pause added on a whole second)', () => {
    const r = run([rolloutYaml({ canary: 'steps:\n  - setWeight: 50\n  - pause: {duration: 1m30s}' })], { untilMs: 300_000 });
    const ev = events(r, 60_000);
    expect(ev.find((e) => e.reason === 'RolloutPaused')!.t).toBe(61_000);
    expect(ev.find((e) => e.reason === 'RolloutResumed')!.t).toBe(151_001);
    expect(ev.find((e) => e.reason === 'RolloutStepCompleted' && e.message.includes('pause'))!.message).toBe('Rollout step 2/2 completed (pause: 1m30s)');
  });

  it('pause: {} stays Paused with message CanaryPauseStep, no resume', () => {
    const r = run([rolloutYaml({ replicas: 4, canary: 'steps:\n  - setWeight: 25\n  - pause: {}\n  - setWeight: 75' })], { untilMs: 30 * 60_000 });
    expect(reasons(r, 62_000)).toEqual([]);
    expect(r.finalStatus).toEqual({ phase: 'Paused', message: 'CanaryPauseStep' });
    expect(r.outcome).toBe('paused');
    expect(statusAt(r, 30 * 60_000)).toMatchObject({ step: 1, pauseConditions: ['CanaryPauseStep'] });
    expect(split(r, 30 * 60_000)).toEqual([1, 3]);
  });

  // §2.3 GetCurrentSetWeight: steps before the first setWeight run with weight 0.
  it('a leading pause: {} runs with zero canary pods', () => {
    const r = run([rolloutYaml({ replicas: 4, canary: 'steps:\n  - pause: {}\n  - setWeight: 25' })], { untilMs: 200_000 });
    expect(reasons(r, 60_000)).toEqual(['RolloutUpdated', 'NewReplicaSetCreated', 'RolloutNotCompleted', 'RolloutPaused']);
    expect(split(r, 199_000)).toEqual([0, 4]);
    expect(r.finalStatus).toEqual({ phase: 'Paused', message: 'CanaryPauseStep' });
    expect(statusAt(r, 199_000)).toMatchObject({ step: 0, setWeight: 0, updatedReplicas: 0 });
  });
});

// ---------------------------------------------------------------------------------------------
describe('phase and message (digest §1.4, utils/rollout/rolloututil.go CalculateRolloutPhase)', () => {
  it('initial deploy: Progressing "updated replicas are still becoming available" until pods are up, then Healthy', () => {
    const r = run([rolloutYaml({ replicas: 3, canary: 'steps:\n  - setWeight: 50' })], { changeAtMs: null, untilMs: 10_000, coldStart: true });
    expect(statusAt(r, 0)).toMatchObject({ phase: 'Progressing', message: 'updated replicas are still becoming available', step: 1 });
    expect(statusAt(r, 1_000)).toMatchObject({ phase: 'Healthy', message: '' });
  });

  it('update: Progressing "more replicas need to be updated" → Paused CanaryPauseStep → Healthy', () => {
    const r = run([rolloutYaml({ replicas: 4, canary: 'steps:\n  - setWeight: 25\n  - pause: {duration: 10s}' })], { untilMs: 200_000 });
    expect(statusAt(r, 59_999)).toMatchObject({ phase: 'Healthy', message: '' });
    expect(statusAt(r, 60_000)).toMatchObject({ phase: 'Progressing', message: 'more replicas need to be updated' });
    expect(statusAt(r, 65_000)).toMatchObject({ phase: 'Paused', message: 'CanaryPauseStep' });
    expect(r.finalStatus).toEqual({ phase: 'Healthy', message: '' });
  });

  it('basic canary with surge: "old replicas are pending termination" when updated = R but old pods remain', () => {
    // R=1, setWeight 50 ⇒ 1 canary + 1 stable: updated (1) = R, replicas (2) > updated.
    const r = run([rolloutYaml({ canary: 'steps:\n  - setWeight: 50\n  - pause: {duration: 5s}' })], { untilMs: 120_000 });
    expect(statusAt(r, 60_500)).toMatchObject({ phase: 'Progressing', message: 'old replicas are pending termination', replicas: 2, updatedReplicas: 1 });
  });

  it('traffic-routed: "waiting for all steps to complete" when every replica is updated but the canary is not yet stable', () => {
    const r = run(TR('  - setWeight: 100\n  - pause: {}'), { untilMs: 120_000 });
    expect(statusAt(r, 119_000)).toMatchObject({ phase: 'Paused', message: 'CanaryPauseStep' });
    // setWeight 100, R=4: the canary is scaled to 4 at once; updated (4) = R and available (the
    // sum over all ReplicaSets, 4 stable) is not below updated, so rules 5 and 6 do not match.
    const waiting = r.trace.find((e) => e.type === 'status' && e.message === 'waiting for all steps to complete');
    expect(waiting).toMatchObject({ t: 60_000, phase: 'Progressing', updatedReplicas: 4, availableReplicas: 4, replicas: 8 });
  });

  // Degraded `RolloutAborted: …` is asserted with the analysis failure in analysisRun.test.ts.
});
