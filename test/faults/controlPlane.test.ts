// Control-plane faults (sim/faults/controlPlane.ts) with worked numbers. Deterministic world: pods
// available 1 s after creation, the update (app:v1 → app:v2) at 60 s. With the traffic-routed
// rollout below (4 replicas, Istio) the fault-free timeline is: weight 20 at 61 s, the 60 s pause
// from 61 s to 121.001 s, weight 50 at 122.001 s, then an indefinite pause.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../sim/world.js';
import { analysisTemplateYaml, events, ofType, rolloutYaml, run, serviceYaml, statusAt, type FaultInput, type WorldOptions } from '../helpers/sim.js';

function runWith(manifests: readonly string[], faults: readonly FaultInput[], w: WorldOptions = {}): RunResult {
  return run(manifests, { untilMs: 1_000_000, ...w, faults });
}

const TR = [
  rolloutYaml({
    replicas: 4,
    canary: `
canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  istio:
    virtualService: {name: demo, routes: [primary]}
steps:
  - setWeight: 20
  - pause: {duration: 60s}
  - setWeight: 50
  - pause: {}`,
  }),
  serviceYaml('demo-canary'),
  serviceYaml('demo-stable'),
];

/** [t, canaryWeight] of each weight the router applied after the update. */
const applied = (r: RunResult) => ofType(r, 'router').filter((e) => e.t >= 61_000).map((e) => [e.t, e.canaryWeight]);
/** [t, canary weight] the controller wrote into status. */
const believed = (r: RunResult) => events(r, 60_000).filter((e) => e.reason === 'TrafficWeightUpdated' && / to \d+$/.test(e.message)).map((e) => [e.t, e.message]);
const acted = (r: RunResult) => ofType(r, 'fault').filter((e) => e.phase === 'acted');

describe('control run (no fault)', () => {
  it('the router applies each weight when the controller writes it', () => {
    const r = runWith(TR, []);
    expect(applied(r)).toEqual([
      [61_000, 20],
      [122_001, 50],
    ]);
    expect(believed(r)).toEqual([
      [61_000, 'Traffic weight updated from 0 to 20'],
      [122_001, 'Traffic weight updated from 20 to 50'],
    ]);
  });
});

describe('routerIgnoresWeight', () => {
  it('the controller believes it set 20 then 50; traffic stays on stable until the first write after the window', () => {
    const r = runWith(TR, [{ kind: 'routerIgnoresWeight', atMs: 0, forMs: 150_000 }]);
    // The controller's view is unchanged: same events, same status weights.
    expect(believed(r)).toEqual([
      [61_000, 'Traffic weight updated from 0 to 20'],
      [122_001, 'Traffic weight updated from 20 to 50'],
    ]);
    expect(statusAt(r, 149_999)!.weights).toEqual({ canary: 50, stable: 50 });
    // The router applied nothing in the window. After it, nothing changes until the controller
    // writes the weight again at its next reconcile, as upstream, which re-applies weights on every
    // reconcile. The rollout sits in an indefinite pause, so that is the stuck-progress requeue
    // armed at 60 s (lastUpdateTime 60 s + progressDeadlineSeconds 600 s + 1 s): 661 s.
    expect(applied(r)).toEqual([[661_000, 50]]);
    expect(r.maxCanaryWeight).toBe(50);
    // Every dropped write is traced, with what was asked and what is in force.
    const ignored = acted(r);
    expect(ignored.every((e) => e.effect === 'weightIgnored' && e.applied === 0 && e.t < 150_000)).toBe(true);
    expect([...new Set(ignored.map((e) => e.requested))]).toEqual([20, 50]);
  });

  it('a window that ends during the 60 s pause: the weight is applied by the reconcile that ends the pause', () => {
    const r = runWith(TR, [{ kind: 'routerIgnoresWeight', atMs: 0, forMs: 100_000 }]);
    expect(applied(r)).toEqual([
      [121_001, 20],
      [122_001, 50],
    ]);
  });

  it('traffic follows the router, not the status: no request reaches v2 in the window', () => {
    const r = runWith(TR, [{ kind: 'routerIgnoresWeight', atMs: 0, forMs: 1_000_000 }]);
    expect(applied(r)).toEqual([]);
    expect(r.maxCanaryWeight).toBe(50);
    expect(r.maxActualCanaryWeight).toBe(0);
    expect(r.requests.byVersion['app:v2']!.total).toBe(0);
  });

  it('does nothing to a basic canary (no router), and says so', () => {
    const r = runWith([rolloutYaml({ canary: 'steps: [{setWeight: 50}]' })], [{ kind: 'routerIgnoresWeight', atMs: 0 }]);
    expect(acted(r).map((e) => [e.t, e.effect])).toEqual([[0, 'none']]);
    expect(r.outcome).toBe('promoted');
  });
});

describe('routerDelaysWeight', () => {
  it('each change is applied `delay` (30 s) after the controller wrote it', () => {
    const r = runWith(TR, [{ kind: 'routerDelaysWeight', atMs: 0, params: { delay: 30_000 } }]);
    expect(applied(r)).toEqual([
      [91_000, 20],
      [152_001, 50],
    ]);
    // The controller moved on at once (its step timeline is the fault-free one).
    expect(believed(r).map((b) => b[0])).toEqual([61_000, 122_001]);
    expect(acted(r).map((e) => [e.t, e.effect, e.requested ?? e.weight])).toEqual([
      [61_000, 'weightDelayed', 20],
      [91_000, 'weightApplied', 20],
      [122_001, 'weightDelayed', 50],
      [152_001, 'weightApplied', 50],
    ]);
  });

  it('a late change never overrides a newer one applied after the window', () => {
    // 20 is written at 61 s inside the window (due at 161 s). After the window, the reconcile that
    // ends the pause writes 20 again (applied at once), then 50 at 122.001 s; the late 20 of 161 s
    // is dropped instead of rolling the split back.
    const r = runWith(TR, [{ kind: 'routerDelaysWeight', atMs: 0, forMs: 100_000, params: { delay: 100_000 } }]);
    expect(applied(r)).toEqual([
      [121_001, 20],
      [122_001, 50],
    ]);
  });
});

// R=1 basic canary: setWeight 50 at 61 s, a 2-minute pause from 61 s to 181.001 s, then setWeight
// 100 (the single canary pod is already there, so it completes in the same instant).
const PAUSED = rolloutYaml({
  canary: `
steps:
  - setWeight: 50
  - pause: {duration: 2m}
  - setWeight: 100`,
});

const stepCompletions = (r: RunResult) => events(r, 60_000).filter((e) => e.reason === 'RolloutStepCompleted').map((e) => [e.t, e.message]);

describe('controllerRestart', () => {
  it('mid-pause: the new process re-arms the pause from status.pauseConditions[].startTime; it ends on time', () => {
    const base = runWith([PAUSED], [], { untilMs: 400_000 });
    const r = runWith([PAUSED], [{ kind: 'controllerRestart', atMs: 100_000, params: { downtime: 30_000 } }], { untilMs: 400_000 });
    expect(stepCompletions(base)).toEqual([
      [61_000, 'Rollout step 1/3 completed (setWeight: 50)'],
      [181_001, 'Rollout step 2/3 completed (pause: 2m)'],
      [181_001, 'Rollout step 3/3 completed (setWeight: 100)'],
    ]);
    expect(stepCompletions(r)).toEqual(stepCompletions(base));
    expect(events(r, 100_000, 181_001).map((e) => [e.t, e.reason])).toEqual([[130_000, 'RolloutAddedToInformer']]);
    expect(acted(r).map((e) => [e.t, e.effect])).toEqual([
      [100_000, 'controllerStopped'],
      [130_000, 'controllerStarted'],
    ]);
    expect(r.outcome).toBe('promoted');
    expect(r.decidedAt).toBe(base.decidedAt);
  });

  it('down past the pause expiry: the pause completes in the first reconcile after the restart', () => {
    const r = runWith([PAUSED], [{ kind: 'controllerRestart', atMs: 100_000, params: { downtime: 120_000 } }], { untilMs: 400_000 });
    expect(stepCompletions(r).map((s) => s[0])).toEqual([61_000, 220_000, 220_000]);
    // Nothing was reconciled while down: pods did not change.
    expect(events(r, 100_000, 220_000)).toEqual([]);
  });

  it('a restart with no downtime at any instant changes no decision (no state lives outside status)', () => {
    const template = analysisTemplateYaml('t', [{ name: 'x', fields: 'interval: 20s\ncount: 3\nsuccessCondition: result[0] >= 0.95', query: 'vector(1)' }]);
    const manifests = [
      rolloutYaml({
        replicas: 3,
        canary: `
steps:
  - setWeight: 34
  - analysis:
      templates: [{templateName: t}]
  - pause: {duration: 45s}
  - setWeight: 67
  - pause: {duration: 30s}`,
      }),
      template,
    ];
    const timeline = (r: RunResult) =>
      events(r, 60_000)
        .filter((e) => e.reason !== 'RolloutAddedToInformer')
        .map((e) => `${e.t} ${e.reason} ${e.message}`);
    const base = runWith(manifests, [], { untilMs: 600_000 });
    expect(base.outcome).toBe('promoted');
    for (let at = 55_000; at <= 320_000; at += 7_500) {
      const r = runWith(manifests, [{ kind: 'controllerRestart', atMs: at }], { untilMs: 600_000 });
      expect({ at, timeline: timeline(r) }).toEqual({ at, timeline: timeline(base) });
      expect(r.finalStatus).toEqual(base.finalStatus);
    }
  });

  it('overlapping restarts: the process runs again when the later downtime ends', () => {
    const r = runWith(
      [PAUSED],
      [
        { kind: 'controllerRestart', atMs: 100_000, params: { downtime: 30_000 } },
        { kind: 'controllerRestart', atMs: 120_000, params: { downtime: 80_000 } },
      ],
      { untilMs: 400_000 },
    );
    expect(acted(r).map((e) => [e.t, e.effect])).toEqual([
      [100_000, 'controllerStopped'],
      [120_000, 'controllerStopped'],
      [130_000, 'controllerStillDown'],
      [200_000, 'controllerStarted'],
    ]);
    expect(events(r, 100_000).filter((e) => e.reason === 'RolloutAddedToInformer').map((e) => e.t)).toEqual([200_000]);
    expect(stepCompletions(r).map((s) => s[0])).toEqual([61_000, 200_000, 200_000]);
  });

  it('an AnalysisRun query in flight is lost with the process; the new process measures again', () => {
    const manifests = [
      rolloutYaml({ canary: 'steps: [{setWeight: 50}, {analysis: {templates: [{templateName: t}]}}]' }),
      analysisTemplateYaml('t', [{ name: 'x', fields: 'successCondition: result[0] >= 0.95', query: 'vector(1)' }]),
    ];
    const r = runWith(
      manifests,
      [
        { kind: 'slowQueries', atMs: 0, params: { latency: 20_000 } },
        { kind: 'controllerRestart', atMs: 70_000, params: { downtime: 5_000 } },
      ],
      { untilMs: 300_000 },
    );
    const run = String(ofType(r, 'analysisRun')[0]!.run);
    expect(acted(r).find((e) => e.effect === 'controllerStopped')!.lostInFlightAnalysisRuns).toEqual([run]);
    // Started at 61 s (due at 81 s), lost at 70 s; the informer re-adds the run at 75 s.
    expect(ofType(r, 'measurement').map((m) => [m.t, m.startedAt, m.finishedAt, m.phase])).toEqual([[95_000, 75_000, 95_000, 'Successful']]);
    expect(r.outcome).toBe('promoted');
  });

  it('with `analysis: false` only the Rollout controller restarts; the analysis keeps measuring', () => {
    const manifests = [
      rolloutYaml({ canary: 'steps: [{setWeight: 50}, {analysis: {templates: [{templateName: t}]}}]' }),
      analysisTemplateYaml('t', [{ name: 'x', fields: 'successCondition: result[0] >= 0.95', query: 'vector(1)' }]),
    ];
    const r = runWith(
      manifests,
      [
        { kind: 'slowQueries', atMs: 0, params: { latency: 20_000 } },
        { kind: 'controllerRestart', atMs: 70_000, params: { downtime: 30_000, analysis: false } },
      ],
      { untilMs: 300_000 },
    );
    expect(ofType(r, 'measurement').map((m) => [m.t, m.phase])).toEqual([[81_000, 'Successful']]);
    // The run succeeded at 81 s while the controller was down; the rollout sees it at 100 s.
    const done = events(r, 60_000).filter((e) => e.reason === 'RolloutStepCompleted' || e.reason === 'AnalysisRunSuccessful');
    expect(done.map((e) => [e.t, e.reason])).toEqual([
      [61_000, 'RolloutStepCompleted'],
      [100_000, 'AnalysisRunSuccessful'],
      [100_000, 'RolloutStepCompleted'],
    ]);
  });
});
