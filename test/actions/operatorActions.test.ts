// Worked examples of every operator action against the semantics digest (§2.12, §6, §8.2, §11)
// and kubectl-argo-rollouts v1.9.1: the requests each action sends, and what the canary controller
// model then does. Basic canary, replicas 10, default maxSurge/maxUnavailable 25 % (3 surge,
// 2 unavailable), pods ready 1 s after creation, the update to app:v2 at 1m.
import { describe, expect, it } from 'vitest';
import { analysisTemplateYaml, events, ofType, podsAt, reasons, rolloutYaml, scalings, statusAt } from '../helpers/sim.js';
import { MIN, runWithActions } from './helpers.js';

const PAUSED_AT_20 = 'steps:\n- setWeight: 20\n- pause: {}\n';
const FOUR_STEPS = 'steps:\n- setWeight: 20\n- pause: {}\n- setWeight: 50\n- pause: {}\n';
const V1_RS = 'demo-6xw5sn4rp8';
const V2_RS = 'demo-sft22nkhkp';

function action(r: ReturnType<typeof runWithActions>, index = 0) {
  return ofType(r, 'action').find((e) => e.index === index)!;
}

describe('promote', () => {
  it('replicas 10, setWeight 20 / pause {}: promote at 5m clears the pause; index 1 → 2, weight 20 → 100, promoted', () => {
    const r = runWithActions([rolloutYaml({ replicas: 10, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'promote', full: false }]);
    // Before: step 1 (the pause), canary 2 / stable 8 (§2.6 row 20 with 25 %/25 %).
    expect(statusAt(r, 5 * MIN - 1)).toMatchObject({ step: 1, setWeight: 20, pauseConditions: ['CanaryPauseStep'] });
    expect(podsAt(r, 5 * MIN - 1)).toEqual(new Map([[V1_RS, 8], [V2_RS, 2]]));
    // promote.go: paused by the controller ⇒ clearPauseConditionsPatch on the status subresource only.
    expect(action(r).patches).toEqual([{ target: 'status', type: 'merge', patch: { status: { pauseConditions: null } } }]);
    // The user emptied the list: RolloutStepCompleted, no RolloutResumed (§3 manual timeline, §8.1).
    const at5 = events(r, 5 * MIN, 5 * MIN + 1);
    expect(at5[0]).toMatchObject({ reason: 'RolloutStepCompleted', message: 'Rollout step 2/2 completed (pause)' });
    expect(reasons(r, 5 * MIN)).not.toContain('RolloutResumed');
    // Index past the last step ⇒ weight 100; the basic canary rolls within surge 3 / unavailable 2.
    expect(scalings(r, 5 * MIN)).toEqual([
      `Scaled down ReplicaSet ${V1_RS} (revision 1) from 8 to 6`,
      `Scaled up ReplicaSet ${V2_RS} (revision 2) from 2 to 7`,
      `Scaled down ReplicaSet ${V1_RS} (revision 1) from 6 to 1`,
      `Scaled up ReplicaSet ${V2_RS} (revision 2) from 7 to 10`,
      `Scaled down ReplicaSet ${V1_RS} (revision 1) from 1 to 0`,
    ]);
    expect(events(r).at(-1)).toMatchObject({ reason: 'RolloutCompleted', message: 'Rollout completed update to revision 2 (sft22nkhkp): Completed all 2 canary steps' });
    expect(r.outcome).toBe('promoted');
  });

  it('promote --full at the first pause: promoteFull, every later step skipped, RolloutResumed, "Full promotion requested"', () => {
    const r = runWithActions([rolloutYaml({ replicas: 10, canary: FOUR_STEPS })], [{ atMs: 5 * MIN, kind: 'promote', full: true }]);
    expect(action(r).patches).toEqual([{ target: 'status', type: 'merge', patch: { status: { promoteFull: true } } }]);
    // The controller clears the pause itself (§11.3: RolloutResumed) and jumps to index 4 of 4.
    expect(reasons(r, 5 * MIN)).toContain('RolloutResumed');
    expect(reasons(r, 5 * MIN).filter((x) => x === 'RolloutStepCompleted')).toEqual([]);
    expect(statusAt(r, 5 * MIN)).toMatchObject({ step: 4, setWeight: 100 });
    // Canary to 10 as fast as maxSurge/maxUnavailable allow (§6.3): never the setWeight 50 step.
    expect(scalings(r, 5 * MIN)).toEqual([
      `Scaled down ReplicaSet ${V1_RS} (revision 1) from 8 to 6`,
      `Scaled up ReplicaSet ${V2_RS} (revision 2) from 2 to 7`,
      `Scaled down ReplicaSet ${V1_RS} (revision 1) from 6 to 1`,
      `Scaled up ReplicaSet ${V2_RS} (revision 2) from 7 to 10`,
      `Scaled down ReplicaSet ${V1_RS} (revision 1) from 1 to 0`,
    ]);
    expect(events(r).at(-1)!.message).toBe('Rollout completed update to revision 2 (sft22nkhkp): Full promotion requested');
  });

  it('promote with no pause condition moves a canary one step on (index + 1) and unpauses a manual pause', () => {
    // Manually paused at 30 s after the change, before the setWeight 20 step could complete.
    const r = runWithActions(
      [rolloutYaml({ replicas: 10, canary: FOUR_STEPS })],
      [
        { atMs: MIN + 500, kind: 'pause' },
        { atMs: 3 * MIN, kind: 'promote', full: false },
      ],
    );
    expect(statusAt(r, 3 * MIN - 1)).toMatchObject({ step: 0, phase: 'Paused', message: 'manually paused' });
    expect(action(r, 1).patches).toEqual([
      { target: 'status', type: 'merge', patch: { status: { pauseConditions: null, currentStepIndex: 1 } } },
      { target: 'spec', type: 'merge', patch: { spec: { paused: false } } },
    ]);
    // Step 0 (setWeight 20) is skipped by the client's patch, no RolloutStepCompleted for it; the
    // pause {} step is then entered.
    expect(events(r, 3 * MIN).slice(0, 1)).toMatchObject([{ reason: 'RolloutPaused', message: 'Rollout is paused (CanaryPauseStep)' }]);
    expect(statusAt(r, 10 * MIN - 1)).toMatchObject({ step: 1, pauseConditions: ['CanaryPauseStep'] });
  });
});

describe('promote on an Inconclusive step analysis (digest §4.6, promote.go isInconclusive)', () => {
  it('clears the pause and controllerPause and skips the analysis step: index 1 → 2, no new AnalysisRun', () => {
    // 0.5 is neither > 0.9 (success) nor < 0.1 (failure): Inconclusive ⇒ InconclusiveAnalysisRun pause.
    const template = analysisTemplateYaml('inc', [{ name: 'm', fields: 'successCondition: result[0] > 0.9\nfailureCondition: result[0] < 0.1', query: 'vector(0.5)' }]);
    const r = runWithActions(
      [rolloutYaml({ replicas: 4, canary: 'steps:\n- setWeight: 25\n- analysis: {templates: [{templateName: inc}]}\n- setWeight: 50\n- pause: {}\n' }), template],
      [{ atMs: 5 * MIN, kind: 'promote', full: false }],
    );
    expect(statusAt(r, 5 * MIN - 1)).toMatchObject({ step: 1, pauseConditions: ['InconclusiveAnalysisRun'] });
    expect(action(r).patches).toEqual([
      { target: 'status', type: 'merge', patch: { status: { pauseConditions: null, controllerPause: false, currentStepIndex: 2 } } },
    ]);
    // setWeight 50 with R=4: stable 3 → 2, canary 1 → 2, then the pause {} step.
    expect(scalings(r, 5 * MIN)).toEqual([
      `Scaled down ReplicaSet ${V1_RS} (revision 1) from 3 to 2`,
      `Scaled up ReplicaSet ${V2_RS} (revision 2) from 1 to 2`,
    ]);
    expect(reasons(r, 5 * MIN).slice(-2)).toEqual(['RolloutStepCompleted', 'RolloutPaused']);
    expect(r.analysisRuns).toHaveLength(1);
  });
});

describe('abort and retry', () => {
  it('abort at the pause drains the canary (stable up first); retry restarts at step 0 with a fresh canary', () => {
    const r = runWithActions(
      [rolloutYaml({ replicas: 10, canary: PAUSED_AT_20 })],
      [
        { atMs: 3 * MIN, kind: 'abort' },
        { atMs: 5 * MIN, kind: 'retry' },
      ],
    );
    expect(action(r, 0).patches).toEqual([{ target: 'status', type: 'merge', patch: { status: { abort: true } } }]);
    expect(action(r, 1).patches).toEqual([{ target: 'status', type: 'merge', patch: { status: { abort: false } } }]);
    // §6.1 user abort: ScalingReplicaSet then RolloutAborted in one reconcile; canary to 0 next.
    expect(events(r, 3 * MIN, 4 * MIN).map((e) => `${e.reason}: ${e.message}`)).toEqual([
      `ScalingReplicaSet: Scaled up ReplicaSet ${V1_RS} (revision 1) from 8 to 10`,
      'RolloutAborted: Rollout aborted update to revision 2',
      `ScalingReplicaSet: Scaled down ReplicaSet ${V2_RS} (revision 2) from 2 to 0`,
    ]);
    expect(statusAt(r, 5 * MIN - 1)).toMatchObject({ step: 0, abort: true, phase: 'Degraded', setWeight: 0 });
    expect(podsAt(r, 5 * MIN - 1)).toEqual(new Map([[V1_RS, 10], [V2_RS, 0]]));
    // §6.2 / §8.2: retry ⇒ ScalingReplicaSet, RolloutStepCompleted, RolloutPaused; no event of its own.
    expect(reasons(r, 5 * MIN)).toEqual(['ScalingReplicaSet', 'ScalingReplicaSet', 'RolloutStepCompleted', 'RolloutPaused']);
    expect(scalings(r, 5 * MIN)).toEqual([`Scaled down ReplicaSet ${V1_RS} (revision 1) from 10 to 8`, `Scaled up ReplicaSet ${V2_RS} (revision 2) from 0 to 2`]);
    const progressing = ofType(r, 'status').filter((e) => e.t >= 5 * MIN)[0]!;
    expect(progressing).toMatchObject({ abort: false, step: 0 });
    expect(r.outcome).toBe('paused');
  });

  it('aborting a fully promoted rollout is dropped by the controller (§6.1)', () => {
    const r = runWithActions([rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'abort' }], { changeAtMs: null });
    expect(reasons(r, 5 * MIN)).toEqual([]);
    expect(r.trace.filter((e) => e.type === 'status' && e.t >= 5 * MIN).at(-1)).toMatchObject({ abort: false, phase: 'Healthy' });
  });
});

describe('undo', () => {
  it('undo to revision 1 mid-canary: v1 template written back, its ReplicaSet renumbered to 3, steps skipped, canary drained', () => {
    const r = runWithActions([rolloutYaml({ replicas: 10, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'undo', toRevision: 1 }]);
    const a = action(r);
    expect(a.patches).toEqual([
      {
        target: 'spec',
        type: 'json',
        patch: [{ op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'app', image: 'app:v1' }] } } }],
      },
    ]);
    // §11.5: RolloutUpdated (renumbered), SkipSteps, RolloutResumed, no RolloutCompleted; stable
    // back up within maxSurge first, then the canary drained.
    expect(events(r, 5 * MIN).map((e) => `${e.reason}: ${e.message}`)).toEqual([
      'RolloutUpdated: Rollout updated to revision 3',
      'SkipSteps: Rollback to stable ReplicaSets',
      'RolloutResumed: Rollout is resumed',
      `ScalingReplicaSet: Scaled up ReplicaSet ${V1_RS} (revision 3) from 8 to 10`,
      `ScalingReplicaSet: Scaled down ReplicaSet ${V2_RS} (revision 2) from 2 to 0`,
    ]);
    expect(r.outcome).toBe('rolledBack');
    expect(r.decidedAt).toBe(5 * MIN);
    expect(r.finalStatus.phase).toBe('Healthy');
  });

  it('undo to a revision that is not in the history fails as the client does, and changes nothing', () => {
    const r = runWithActions([rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'undo', toRevision: 7 }]);
    expect(action(r)).toMatchObject({ patches: [], message: 'unable to find specified revision 7 in history', failed: true });
    expect(reasons(r, 5 * MIN)).toEqual([]);
    expect(r.warnings.some((w) => w.includes('unable to find specified revision 7'))).toBe(true);
  });

  it('undo to the template already running is "skipped rollback"', () => {
    const r = runWithActions([rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'undo', toRevision: 2 }]);
    expect(action(r)).toMatchObject({ patches: [], message: 'skipped rollback (current template already matches revision 2)' });
  });
});

describe('a new image mid-canary (§2.12)', () => {
  it('setImage v3 at the pause: new ReplicaSet at 0, status reset to step 0, the v2 canary scaled to 0, v3 runs the steps', () => {
    const r = runWithActions([rolloutYaml({ replicas: 10, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'setImage', container: 'app', image: 'app:v3' }]);
    expect(action(r).patches).toEqual([{ target: 'spec', type: 'apply', patch: { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:v3' }] } } } } }]);
    const at5 = events(r, 5 * MIN, 5 * MIN + 1).map((e) => e.reason);
    expect(at5.slice(0, 3)).toEqual(['RolloutUpdated', 'NewReplicaSetCreated', 'RolloutResumed']);
    // The reset reconcile never scales; the index is 0 and the weight is the step's 20 again.
    const reset = ofType(r, 'status').find((e) => e.t === 5 * MIN && e.step === 0)!;
    expect(reset).toMatchObject({ abort: false, pauseConditions: [] });
    const v3 = events(r, 5 * MIN).find((e) => e.reason === 'NewReplicaSetCreated')!.message.split(' ')[2]!;
    expect(scalings(r, 5 * MIN)).toEqual([`Scaled up ReplicaSet ${v3} (revision 3) from 0 to 2`, `Scaled down ReplicaSet ${V2_RS} (revision 2) from 2 to 0`]);
    expect(podsAt(r, 10 * MIN)).toEqual(new Map([[V1_RS, 8], [V2_RS, 0], [v3, 2]]));
    expect(statusAt(r, 10 * MIN)).toMatchObject({ step: 1, pauseConditions: ['CanaryPauseStep'] });
  });

  it('setImage of a container the template lacks fails like `set image` and sends nothing', () => {
    const r = runWithActions([rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'setImage', container: 'sidecar', image: 'x:1' }]);
    expect(action(r)).toMatchObject({ patches: [], failed: true, message: 'unable to find container named "sidecar"' });
  });
});

describe('scale', () => {
  it('scale 10 → 20 at the setWeight 20 pause: a scaling event keeps the weight, canary 4 / stable 16', () => {
    const r = runWithActions([rolloutYaml({ replicas: 10, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'scale', replicas: 20 }]);
    expect(action(r).patches).toEqual([{ target: 'spec', type: 'merge', patch: { spec: { replicas: 20 } } }]);
    expect(podsAt(r, 10 * MIN)).toEqual(new Map([[V1_RS, 16], [V2_RS, 4]]));
    expect(statusAt(r, 10 * MIN)).toMatchObject({ step: 1, pauseConditions: ['CanaryPauseStep'] });
  });
});

describe('pause and resume', () => {
  it('a manual pause freezes scaling; resume continues; the pause step still waits for promote', () => {
    const r = runWithActions(
      [rolloutYaml({ replicas: 10, canary: PAUSED_AT_20 })],
      [
        { atMs: MIN, kind: 'pause' },
        { atMs: 4 * MIN, kind: 'resume' },
      ],
    );
    expect(action(r, 0).patches).toEqual([{ target: 'spec', type: 'merge', patch: { spec: { paused: true } } }]);
    // Paused at the instant of the change: the new ReplicaSet is created but nothing is scaled.
    expect(events(r, MIN, 4 * MIN).filter((e) => e.reason === 'ScalingReplicaSet')).toEqual([]);
    expect(statusAt(r, 4 * MIN - 1)).toMatchObject({ phase: 'Paused', message: 'manually paused' });
    expect(scalings(r, 4 * MIN)[0]).toBe(`Scaled down ReplicaSet ${V1_RS} (revision 1) from 10 to 8`);
    expect(statusAt(r, 10 * MIN)).toMatchObject({ step: 1, phase: 'Paused', message: 'CanaryPauseStep' });
  });

  it('pausing an already paused rollout stores nothing (no generation change, no status write)', () => {
    const r = runWithActions(
      [rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })],
      [
        { atMs: 2 * MIN, kind: 'pause' },
        { atMs: 3 * MIN, kind: 'pause' },
      ],
      { changeAtMs: null },
    );
    expect(ofType(r, 'status').filter((e) => e.t === 3 * MIN)).toEqual([]);
  });
});

describe('restart (rollout/restart.go)', () => {
  it('replicas 4, maxUnavailable 25 % (1): every pod older than restartAt evicted one at a time, then restartedAt', () => {
    const r = runWithActions([rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'restart' }], { changeAtMs: null });
    expect(action(r).patches).toEqual([{ target: 'spec', type: 'merge', patch: { spec: { restartAt: '1970-01-01T00:05:00Z' } } }]);
    const evicted = r.trace.filter((e) => e.type === 'pod' && e.phase === 'Deleted');
    // canRestart = available 4 − (max(4, 4) − max(1, 1)) = 1: one pod per round; the next round
    // follows the replacement becoming available (1 s). Pods in name order, as the API lists them.
    expect(evicted.map((e) => [e.t, e.pod, e.reason])).toEqual([
      [5 * MIN + 1, `${V1_RS}-00000`, 'Evicted'],
      [5 * MIN + 1001, `${V1_RS}-00001`, 'Evicted'],
      [5 * MIN + 2001, `${V1_RS}-00002`, 'Evicted'],
      [5 * MIN + 3001, `${V1_RS}-00003`, 'Evicted'],
    ]);
    // Phase Progressing "rollout is restarting" until every pod is new, then Healthy.
    expect(statusAt(r, 5 * MIN + 1500)).toMatchObject({ phase: 'Progressing', message: 'rollout is restarting' });
    expect(statusAt(r, 10 * MIN)).toMatchObject({ phase: 'Healthy' });
    expect(podsAt(r, 10 * MIN)).toEqual(new Map([[V1_RS, 4]]));
  });

  it('with pods slower than the 30 s recheck, the restarter waits: never more than maxUnavailable pods down', () => {
    const r = runWithActions([rolloutYaml({ replicas: 4, canary: 'maxUnavailable: 0\n' + PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'restart' }], { changeAtMs: null, startupMs: 45_000 });
    const evicted = r.trace.filter((e) => e.type === 'pod' && e.phase === 'Deleted').map((e) => e.t);
    // maxUnavailable 0 still restarts one at a time (max(0, 1)); each replacement takes 45 s.
    expect(evicted).toEqual([5 * MIN + 1, 5 * MIN + 45_001, 5 * MIN + 90_001, 5 * MIN + 135_001]);
  });
});

describe('gitopsRevert and how it differs from undo', () => {
  it('mid-canary, reverting the change commit re-applies v1: same rollback as undo to the stable revision', () => {
    const r = runWithActions([rolloutYaml({ replicas: 10, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'gitopsRevert' }]);
    expect(action(r).patches).toEqual([
      { target: 'spec', type: 'apply', patch: { spec: { template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'app', image: 'app:v1' }] } } } } },
    ]);
    expect(reasons(r, 5 * MIN).slice(0, 2)).toEqual(['RolloutUpdated', 'SkipSteps']);
    expect(r.outcome).toBe('rolledBack');
  });

  it('after an undo, a second undo goes forward to the abandoned release; a GitOps revert keeps v1 (Git never saw the undo)', () => {
    const undoTwice = runWithActions(
      [rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })],
      [
        { atMs: 5 * MIN, kind: 'undo', toRevision: 0 },
        { atMs: 8 * MIN, kind: 'undo', toRevision: 0 },
      ],
    );
    // Revisions after the first undo: v1 = 3, v2 = 2 — "the previous revision" is now v2.
    expect(action(undoTwice, 1).message).toBe(`rollout 'demo' undo (to revision 2, ReplicaSet ${V2_RS})`);
    expect(undoTwice.outcome).toBe('paused');
    const thenRevert = runWithActions(
      [rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })],
      [
        { atMs: 5 * MIN, kind: 'undo', toRevision: 0 },
        { atMs: 8 * MIN, kind: 'gitopsRevert' },
      ],
    );
    expect(action(thenRevert, 1).message).toBe('synced the reverted commit: already in sync');
    expect(thenRevert.outcome).toBe('rolledBack');
  });

  it('the sync also restores spec.replicas from Git, undoing a kubectl scale', () => {
    const r = runWithActions(
      [rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })],
      [
        { atMs: 3 * MIN, kind: 'scale', replicas: 8 },
        { atMs: 5 * MIN, kind: 'gitopsRevert' },
      ],
    );
    expect((action(r, 1).patches as { patch: { spec: { replicas?: number } } }[])[0]!.patch.spec.replicas).toBe(4);
    expect(podsAt(r, 10 * MIN)).toEqual(new Map([[V1_RS, 4], [V2_RS, 0]]));
  });

  it('with one commit there is nothing to revert', () => {
    const r = runWithActions([rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })], [{ atMs: 5 * MIN, kind: 'gitopsRevert' }], { changeAtMs: null });
    expect(action(r)).toMatchObject({ failed: true, patches: [] });
  });
});

describe('the timeline shows each action with the requests it sent', () => {
  it('one line per action: kind, client message, request type, target and body', async () => {
    const { renderTimeline } = await import('../../reports/timeline.js');
    const r = runWithActions(
      [rolloutYaml({ replicas: 4, canary: PAUSED_AT_20 })],
      [
        { atMs: 3 * MIN, kind: 'promote', full: true },
        { atMs: 6 * MIN, kind: 'undo', toRevision: 9 },
      ],
    );
    const lines = renderTimeline(r.trace).filter((l) => l.includes('▶ action'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^00:03:00 .*▶ action promote --full: rollout 'demo' fully promoted · PATCH status \{"status":\{"promoteFull":true\}\}$/);
    expect(lines[1]).toMatch(/^00:06:00 .*⚠ ▶ action undo: unable to find specified revision 9 in history \(failed\)$/);
  });
});
