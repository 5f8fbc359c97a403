// Operator actions on a blue-green Rollout, end to end: each action's request (kubectl-argo-rollouts
// v1.9.1 cmd/{promote,abort,retry,undo,pause,set,restart}, Argo CD syncing a revert) and what the
// blue-green controller model does with it (rollout/bluegreen.go, service.go, analysis.go).
// replicas 2, autoPromotionEnabled false, pods ready 1 s after creation: v2 lands at 1:00, is on
// the preview Service at once and the rollout pauses (BlueGreenPause) at 1:01.
import { describe, expect, it } from 'vitest';
import { analysisTemplateYaml, events, ofType, reasons, statusAt } from '../helpers/sim.js';
import { blueGreenRolloutYaml, SERVICES } from '../helpers/blueGreen.js';
import { MIN, runWithActions, type ActionInput } from './helpers.js';
import type { RunResult } from '../../sim/world.js';

const V1H = '6xw5sn4rp8';
const V2H = 'sft22nkhkp';
const V3H = 'ns8ksvd9ht';
const BG = 'activeService: demo-active\npreviewService: demo-preview\nautoPromotionEnabled: false\n';
const failing = analysisTemplateYaml('fails', [{ name: 'bad', query: 'vector(1)', fields: 'successCondition: result[0] < 0' }]);

function bg(actions: ActionInput[], extra = '', untilMs = 8 * MIN): RunResult {
  return runWithActions([blueGreenRolloutYaml({ replicas: 2, blueGreen: BG + extra }), ...SERVICES, failing], actions, { untilMs });
}

const timeline = (r: RunResult, from: number) => events(r, from).map((e) => `${e.t} ${e.reason}: ${e.message}`);
const patches = (r: RunResult) => ofType(r, 'action').map((a) => a.patches);
const final = (r: RunResult) => statusAt(r, Infinity)!;

describe('promote (promote.go getPatches: pauseConditions cleared, no step index for blue-green)', () => {
  const r = bg([{ atMs: 2 * MIN, kind: 'promote', full: false }]);
  it('sends {"status":{"pauseConditions":null}}; the active Service switches in the same instant', () => {
    expect(patches(r)).toEqual([[{ target: 'status', type: 'merge', patch: { status: { pauseConditions: null } } }]]);
    expect(timeline(r, 2 * MIN)).toEqual([
      `120000 SwitchService: Switched selector for service 'demo-active' from '${V1H}' to '${V2H}'`,
      `120000 RolloutCompleted: Rollout completed update to revision 2 (${V2H}): Completed blue-green update`,
      // scaleDownDelaySeconds default 30 s
      `150000 ScalingReplicaSet: Scaled down ReplicaSet demo-${V1H} (revision 1) from 2 to 0`,
    ]);
    expect(r.outcome).toBe('promoted');
  });

  it('while the pre-promotion analysis runs (nothing paused yet): no patch at all, the analysis decides', () => {
    const x = bg([{ atMs: 61_000, kind: 'promote', full: false }], 'prePromotionAnalysis: {templates: [{templateName: fails}]}');
    expect(patches(x)).toEqual([[]]);
    expect(x.outcome).toBe('aborted');
  });
});

describe('promote --full', () => {
  it('sends promoteFull: the pause is skipped, "Full promotion requested"', () => {
    const r = bg([{ atMs: 2 * MIN, kind: 'promote', full: true }]);
    expect(patches(r)).toEqual([[{ target: 'status', type: 'merge', patch: { status: { promoteFull: true } } }]]);
    expect(reasons(r, 2 * MIN, 2 * MIN + 1)).toEqual(['SwitchService', 'RolloutCompleted', 'RolloutResumed']);
    expect(events(r, 2 * MIN).find((e) => e.reason === 'RolloutCompleted')!.message).toMatch(/: Full promotion requested$/);
  });

  it('on a fully promoted rollout sends nothing (currentPodHash = stableRS)', () => {
    const r = bg([{ atMs: 30_000, kind: 'promote', full: true }]);
    expect(patches(r)).toEqual([[]]);
  });
});

describe('abort and retry', () => {
  it('abort while paused: active stays on v1, the preview RS goes to 0 after abortScaleDownDelaySeconds (30 s); retry scales it up and pauses again', () => {
    const r = bg([
      { atMs: 2 * MIN, kind: 'abort' },
      { atMs: 4 * MIN, kind: 'retry' },
    ]);
    expect(timeline(r, 2 * MIN)).toEqual([
      '120000 RolloutAborted: Rollout aborted update to revision 2',
      `150000 ScalingReplicaSet: Scaled down ReplicaSet demo-${V2H} (revision 2) from 2 to 0`,
      `240000 ScalingReplicaSet: Scaled up ReplicaSet demo-${V2H} (revision 2) from 0 to 2`,
      '241000 RolloutPaused: Rollout is paused (BlueGreenPause)',
    ]);
    expect(final(r)).toMatchObject({ phase: 'Paused', activeSelector: V1H, previewSelector: V2H, abort: false });
  });

  it('retry after a failed pre-promotion analysis aborts again at once, without a new run: the aborted RS still carries its scale-down deadline, which reads as a fast-tracked rollback (argo-rollouts#2824)', () => {
    const r = bg([{ atMs: 3 * MIN, kind: 'retry' }], 'prePromotionAnalysis: {templates: [{templateName: fails}]}');
    expect(reasons(r, 3 * MIN)).toEqual(['ScalingReplicaSet', 'RolloutAborted', 'ScalingReplicaSet']);
    expect(events(r, 3 * MIN).find((e) => e.reason === 'RolloutAborted')!.t).toBe(3 * MIN);
    expect(r.analysisRuns.map((a) => a.name)).toEqual([`demo-${V2H}-2-pre`]);
  });

  it('with abortScaleDownDelaySeconds 0 the same retry starts a new pre-promotion run (.1), as in argo-rollouts#841', () => {
    const r = bg([{ atMs: 3 * MIN, kind: 'retry' }], 'abortScaleDownDelaySeconds: 0\nprePromotionAnalysis: {templates: [{templateName: fails}]}');
    expect(r.analysisRuns.map((a) => [a.name, a.measurements[0]!.t])).toEqual([
      [`demo-${V2H}-2-pre`, 61_000],
      [`demo-${V2H}-2-pre.1`, 180_000],
    ]);
  });
});

describe('pause / resume (spec.paused)', () => {
  it('paused before the update: v2 is scaled up but the preview Service waits for the resume; then BlueGreenPause; promote finishes', () => {
    const r = bg([
      { atMs: 30_000, kind: 'pause' },
      { atMs: 2 * MIN, kind: 'resume' },
      { atMs: 3 * MIN, kind: 'promote', full: false },
    ]);
    expect(reasons(r, 60_000, 2 * MIN)).toEqual(['RolloutUpdated', 'NewReplicaSetCreated', 'RolloutNotCompleted', 'ScalingReplicaSet']);
    expect(statusAt(r, 2 * MIN - 1)).toMatchObject({ phase: 'Paused', message: 'manually paused', previewSelector: V1H });
    expect(timeline(r, 2 * MIN).slice(0, 2)).toEqual([
      `120000 SwitchService: Switched selector for service 'demo-preview' from '${V1H}' to '${V2H}'`,
      '120000 RolloutPaused: Rollout is paused (BlueGreenPause)',
    ]);
    expect(r.outcome).toBe('promoted');
  });
});

describe('scale (spec.replicas)', () => {
  it('to 4 while paused: both the active (v1) and preview (v2) ReplicaSets go to 4; v1 scales down 30 s after the promote', () => {
    const r = bg([
      { atMs: 2 * MIN, kind: 'scale', replicas: 4 },
      { atMs: 3 * MIN, kind: 'promote', full: false },
    ]);
    expect(events(r, 2 * MIN).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => `${e.t} ${e.message}`)).toEqual([
      `120000 Scaled up ReplicaSet demo-${V1H} (revision 1) from 2 to 4`,
      `120000 Scaled up ReplicaSet demo-${V2H} (revision 2) from 2 to 4`,
      `210000 Scaled down ReplicaSet demo-${V1H} (revision 1) from 4 to 0`,
    ]);
    expect(final(r)).toMatchObject({ phase: 'Healthy', availableReplicas: 4, activeSelector: V2H });
  });
});

describe('set image (a new revision while v2 waits on the preview)', () => {
  it('v3 replaces v2 on the preview Service, v2 is scaled down after 30 s, the pause starts again; promote moves active from v1 to v3', () => {
    const r = bg([
      { atMs: 2 * MIN, kind: 'setImage', container: undefined, image: 'app:v3' },
      { atMs: 3 * MIN, kind: 'promote', full: false },
    ]);
    expect(timeline(r, 2 * MIN)).toEqual([
      '120000 RolloutUpdated: Rollout updated to revision 3',
      `120000 NewReplicaSetCreated: Created ReplicaSet demo-${V3H} (revision 3)`,
      `120000 SwitchService: Switched selector for service 'demo-preview' from '${V2H}' to '${V3H}'`,
      '120000 RolloutResumed: Rollout is resumed',
      `120000 ScalingReplicaSet: Scaled up ReplicaSet demo-${V3H} (revision 3) from 0 to 2`,
      '121000 RolloutPaused: Rollout is paused (BlueGreenPause)',
      `150000 ScalingReplicaSet: Scaled down ReplicaSet demo-${V2H} (revision 2) from 2 to 0`,
      `180000 SwitchService: Switched selector for service 'demo-active' from '${V1H}' to '${V3H}'`,
      `180000 RolloutCompleted: Rollout completed update to revision 3 (${V3H}): Completed blue-green update`,
      `210000 ScalingReplicaSet: Scaled down ReplicaSet demo-${V1H} (revision 1) from 2 to 0`,
    ]);
  });
});

describe('undo and gitopsRevert while v2 waits on the preview', () => {
  it.each(['undo', 'gitopsRevert'] as const)('%s: back to v1 (the active, stable RS) — fast-tracked, no pause; v2 scaled down after 30 s', (kind) => {
    const r = bg([kind === 'undo' ? { atMs: 2 * MIN, kind, toRevision: 0 } : { atMs: 2 * MIN, kind }]);
    expect(timeline(r, 2 * MIN)).toEqual([
      '120000 RolloutUpdated: Rollout updated to revision 3',
      `120000 SwitchService: Switched selector for service 'demo-preview' from '${V2H}' to '${V1H}'`,
      '120000 RolloutResumed: Rollout is resumed',
      `150000 ScalingReplicaSet: Scaled down ReplicaSet demo-${V2H} (revision 2) from 2 to 0`,
    ]);
    expect(r.outcome).toBe('rolledBack');
    expect(final(r)).toMatchObject({ phase: 'Healthy', stableRS: V1H, activeSelector: V1H });
  });

  it('undo after v2 was promoted and v1 scaled to 0: a new update to v1 that pauses again (no rollbackWindow)', () => {
    const r = bg([
      { atMs: 2 * MIN, kind: 'promote', full: false },
      { atMs: 4 * MIN, kind: 'undo', toRevision: 0 },
      { atMs: 6 * MIN, kind: 'promote', full: false },
    ]);
    expect(reasons(r, 4 * MIN, 6 * MIN)).toEqual(['RolloutUpdated', 'SwitchService', 'RolloutNotCompleted', 'ScalingReplicaSet', 'RolloutPaused']);
    expect(events(r, 6 * MIN).find((e) => e.reason === 'RolloutCompleted')!.message).toBe(`Rollout completed update to revision 3 (${V1H}): Completed blue-green update`);
  });
});

describe('restart while paused', () => {
  it('evicts one pod at a time across both ReplicaSets (4 pods, replicas 2, maxUnavailable 25% → 1): max(2, 4) − 1 = 3 must stay available', () => {
    const r = bg([{ atMs: 2 * MIN, kind: 'restart' }]);
    const evicted = ofType(r, 'pod').filter((e) => e.reason === 'Evicted').map((e) => [e.t, e.pod]);
    expect(evicted).toEqual([
      [120_001, `demo-${V1H}-00000`],
      [121_001, `demo-${V1H}-00001`],
      [122_001, `demo-${V2H}-00000`],
      [123_001, `demo-${V2H}-00001`],
    ]);
    // Still paused, still waiting for the operator.
    expect(final(r)).toMatchObject({ phase: 'Paused', message: 'BlueGreenPause', activeSelector: V1H });
  });
});
