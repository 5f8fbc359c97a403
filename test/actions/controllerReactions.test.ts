// Controller behaviour that operator actions exercise beyond the actions themselves: the
// rollbackWindow fast track (rollout/sync.go isRollbackWithinWindow, digest §6.4),
// revisionHistoryLimit clean-up (reconcileRevisionHistoryLimit, §1.1), the 15-minute resync with
// long and indefinite pauses (§7.1, §2.9), and a restartAt written in the manifests.
import { describe, expect, it } from 'vitest';
import { events, ofType, reasons, rolloutYaml, run, statusAt } from '../helpers/sim.js';
import { MIN, runWithActions } from './helpers.js';

const TR = 'canaryService: demo-canary\nstableService: demo-stable\ntrafficRouting:\n  istio:\n    virtualService: {name: demo, routes: [primary]}\n';
const STEPS = 'steps:\n- setWeight: 50\n- pause: {duration: 30s}\n';

/** A Rollout manifest with extra top-level spec fields (YAML lines, indented by 2). */
function withSpec(yaml: string, lines: string): string {
  return yaml.replace('spec:\n', `spec:\n${lines}`);
}

describe('rollbackWindow (digest §6.4)', () => {
  // v1 at 0 s, v2 at 1m promoted at 1:32 (traffic-routed: v1 keeps its pods until 2:02).
  const manifest = (window: string): string => withSpec(rolloutYaml({ replicas: 4, canary: TR + STEPS }), window);

  it('undo to v1 while it still has pods: SkipSteps "…within RollbackWindow", promoted at once, no step runs', () => {
    const r = runWithActions([manifest('  rollbackWindow: {revisions: 2}\n')], [{ atMs: 105_000, kind: 'undo', toRevision: 0 }]);
    expect(reasons(r, 105_000)).toEqual([
      'RolloutUpdated',
      'SkipSteps',
      'RolloutNotCompleted',
      'SwitchService',
      'TrafficWeightUpdated',
      'RolloutCompleted',
      'SwitchService',
      'TrafficWeightUpdated',
      'ScalingReplicaSet',
    ]);
    expect(events(r, 105_000).find((e) => e.reason === 'SkipSteps')!.message).toBe('Rollback to active ReplicaSets within RollbackWindow');
    expect(events(r, 105_000).find((e) => e.reason === 'RolloutCompleted')!.message).toBe('Rollout completed update to revision 3 (6xw5sn4rp8): Rollback within window');
    expect(r.outcome).toBe('rolledBack');
  });

  it('undo to v1 after it was scaled to 0: no SkipSteps event, but the steps are still skipped (the replica math is walked, #2939)', () => {
    const r = runWithActions([manifest('  rollbackWindow: {revisions: 2}\n')], [{ atMs: 3 * MIN, kind: 'undo', toRevision: 0 }]);
    expect(reasons(r, 3 * MIN)).not.toContain('SkipSteps');
    expect(reasons(r, 3 * MIN)).not.toContain('RolloutStepCompleted');
    expect(reasons(r, 3 * MIN)).not.toContain('RolloutPaused');
    // The reset reconcile puts the index at 0 (setWeight 50 ⇒ 2 pods); the next one jumps to the end (4).
    expect(events(r, 3 * MIN).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message).slice(0, 2)).toEqual([
      'Scaled up ReplicaSet demo-6xw5sn4rp8 (revision 3) from 0 to 2',
      'Scaled up ReplicaSet demo-6xw5sn4rp8 (revision 3) from 2 to 4',
    ]);
    expect(events(r, 3 * MIN).find((e) => e.reason === 'RolloutCompleted')!.message).toMatch(/: Rollback within window$/);
  });

  it('without rollbackWindow the same undo is a new update that runs every step (#2168)', () => {
    const r = runWithActions([manifest('')], [{ atMs: 3 * MIN, kind: 'undo', toRevision: 0 }]);
    expect(reasons(r, 3 * MIN).filter((x) => x === 'RolloutStepCompleted')).toHaveLength(2);
    expect(events(r, 3 * MIN).find((e) => e.reason === 'RolloutCompleted')!.message).toMatch(/: Completed all 2 canary steps$/);
  });

  it('outside the window (revisions: 1, one ReplicaSet created in between) the steps run', () => {
    const r = runWithActions(
      [manifest('  rollbackWindow: {revisions: 1}\n')],
      [
        { atMs: 3 * MIN, kind: 'setImage', container: undefined, image: 'app:v3' },
        { atMs: 6 * MIN, kind: 'undo', toRevision: 1 },
      ],
    );
    expect(reasons(r, 6 * MIN)).toContain('RolloutStepCompleted');
    expect(events(r, 6 * MIN).find((e) => e.reason === 'RolloutCompleted')!.message).toMatch(/: Completed all 2 canary steps$/);
  });
});

describe('revisionHistoryLimit', () => {
  it('limit 1: after v3 is promoted the oldest ReplicaSet with no pods (v1) is deleted, and an undo to it fails', () => {
    const yaml = withSpec(rolloutYaml({ replicas: 2, canary: STEPS }), '  revisionHistoryLimit: 1\n');
    const r = runWithActions(
      [yaml],
      [
        { atMs: 4 * MIN, kind: 'setImage', container: undefined, image: 'app:v3' },
        { atMs: 9 * MIN, kind: 'undo', toRevision: 1 },
      ],
    );
    const deleted = ofType(r, 'replicaSet').filter((e) => e.deleted === true);
    expect(deleted.map((e) => e.replicaSet)).toEqual(['demo-6xw5sn4rp8']);
    expect(deleted[0]!.t).toBeGreaterThan(4 * MIN);
    expect(ofType(r, 'action')[1]).toMatchObject({ failed: true, message: 'unable to find specified revision 1 in history' });
    // The summary still counts the requests v1 served.
    expect(r.requests.byVersion['app:v1']!.total).toBeGreaterThan(0);
  });

  it('the default (10) keeps every ReplicaSet of a short history', () => {
    const r = runWithActions([rolloutYaml({ replicas: 2, canary: STEPS })], [{ atMs: 4 * MIN, kind: 'setImage', container: undefined, image: 'app:v3' }]);
    expect(ofType(r, 'replicaSet').filter((e) => e.deleted === true)).toEqual([]);
  });
});

describe('the 15-minute resync (digest §7.1, §2.9)', () => {
  const longPause = rolloutYaml({ replicas: 4, canary: 'steps:\n- setWeight: 25\n- pause: {duration: 40m}\n' });

  it('a 40m pause is not armed when it starts; the resync at 30m arms the exact remainder: it ends at startTime + 40m', () => {
    const r = run([longPause], { untilMs: 50 * MIN });
    const paused = events(r).find((e) => e.reason === 'RolloutPaused')!;
    expect(paused.t).toBe(61_000);
    const completed = events(r).filter((e) => e.reason === 'RolloutStepCompleted')[1]!;
    // startTime 61 s (whole seconds) + 40 m, strictly after: 1 ms later — not at the 45m resync.
    expect(completed.t).toBe(61_000 + 40 * MIN + 1);
  });

  it('an indefinite pause is reconciled every 15 minutes without any write: no event, no status change', () => {
    const indefinite = rolloutYaml({ replicas: 4, canary: 'steps:\n- setWeight: 25\n- pause: {}\n' });
    const short = run([indefinite], { untilMs: 20 * MIN });
    const long = run([indefinite], { untilMs: 50 * MIN });
    // Resync ticks at 30m and 45m are the only reconciles between 20m and 50m.
    expect(long.reconciles - short.reconciles).toBe(2);
    expect(long.trace.filter((e) => (e.type === 'status' || e.type === 'event') && e.t > 2 * MIN)).toEqual([]);
    expect(statusAt(long, 50 * MIN)).toMatchObject({ phase: 'Paused', message: 'CanaryPauseStep' });
  });
});

describe('progress deadline around a manual pause (digest §7.3, §11.7)', () => {
  it('paused before the deadline: no timeout while paused; resume restarts the clock; progressDeadlineAbort aborts 60 s later', () => {
    const yaml = withSpec(rolloutYaml({ replicas: 2, progressDeadlineSeconds: 60, canary: 'steps:\n- setWeight: 50\n- pause: {}\n' }), '  progressDeadlineAbort: true\n');
    const r = runWithActions(
      [yaml],
      [
        { atMs: 90_000, kind: 'pause' },
        { atMs: 10 * MIN, kind: 'resume' },
      ],
      { untilMs: 15 * MIN, faults: [{ kind: 'neverReady', atMs: 0, image: 'app:v2' }] },
    );
    // Canary pod never ready; without the pause the deadline would pass at 2:00.
    expect(reasons(r, 2 * MIN, 10 * MIN)).toEqual([]);
    expect(statusAt(r, 10 * MIN - 1)).toMatchObject({ phase: 'Paused', message: 'manually paused' });
    // RolloutResumed (Progressing Unknown) at 10:00 is the new lastUpdateTime: 10:00 + 60 s, strictly
    // after, seen by the requeue one second later. Two RolloutAborted, the scale-down between them.
    expect(events(r, 10 * MIN).map((e) => [e.t, e.reason, e.message])).toEqual([
      [11 * MIN + 1000, 'RolloutAborted', 'ReplicaSet "demo-sft22nkhkp" has timed out progressing.'],
      [11 * MIN + 1000, 'ScalingReplicaSet', 'Scaled down ReplicaSet demo-sft22nkhkp (revision 2) from 1 to 0'],
      [11 * MIN + 1000, 'RolloutAborted', 'Rollout aborted update to revision 2'],
    ]);
    expect(r.outcome).toBe('aborted');
  });
});

describe('restartAt in the manifests', () => {
  it('predates the rehearsal: nothing is evicted, the first reconcile records it as done', () => {
    const yaml = withSpec(rolloutYaml({ replicas: 3, canary: STEPS }), '  restartAt: "2026-01-01T00:00:00Z"\n');
    const r = run([yaml], { untilMs: 5 * MIN, changeAtMs: null });
    expect(r.trace.filter((e) => e.type === 'pod' && e.phase === 'Deleted')).toEqual([]);
    expect(r.finalStatus.phase).toBe('Healthy');
  });

  it('a restartAt that is not an RFC 3339 time is a load error naming the field', () => {
    const yaml = withSpec(rolloutYaml({ replicas: 3, canary: STEPS }), '  restartAt: "tomorrow"\n');
    expect(() => run([yaml])).toThrow(/spec\.restartAt.*RFC 3339/s);
  });
});
