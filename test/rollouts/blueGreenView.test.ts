// `kubectl argo rollouts get rollout` for a blue-green Rollout (pkg/kubectl-argo-rollouts/info
// v1.9.1): Strategy "BlueGreen" with no Step/SetWeight/ActualWeight (rollout_info.go
// NewRolloutInfo), ReplicaSets tagged "stable" on status.stableRS and "active" on the active
// selector, else "preview" on the preview selector (replicaset_info.go GetReplicaSetInfo), images
// tagged canary/stable/active/preview (rollout_info.go Images, mergeTags sorts merged tags).
import { describe, expect, it } from 'vitest';
import { renderRolloutView } from '../../reports/rolloutView.js';
import type { RolloutView } from '../../sim/rollouts/rolloutView.js';
import type { RunResult } from '../../sim/world.js';
import { blueGreenRolloutYaml, SERVICES } from '../helpers/blueGreen.js';
import { MIN, runWithActions } from '../actions/helpers.js';

function viewAt(r: RunResult, t: number): RolloutView {
  let last: RolloutView | undefined;
  for (const e of r.trace) if (e.type === 'rolloutView' && e.t <= t) last = e as unknown as RolloutView;
  return last!;
}

describe('manual promotion: replicas 2, autoPromotionEnabled false, promote at 2m', () => {
  const r = runWithActions(
    [blueGreenRolloutYaml({ replicas: 2, blueGreen: 'activeService: demo-active\npreviewService: demo-preview\nautoPromotionEnabled: false' }), ...SERVICES],
    [{ atMs: 2 * MIN, kind: 'promote', full: false }],
    { untilMs: 2 * MIN + 10_000 },
  );

  it('while paused: revision 2 is "preview", revision 1 "stable,active"; no weights', () => {
    const v = viewAt(r, 2 * MIN - 1);
    expect(v).toMatchObject({ strategy: 'BlueGreen', status: 'Paused', message: 'BlueGreenPause', step: null, setWeight: '', actualWeight: '' });
    expect(v.replicaSets.map((rs) => [rs.revision, rs.tags, rs.replicas])).toEqual([
      [2, ['preview'], 2],
      [1, ['stable', 'active'], 2],
    ]);
    expect(v.images).toEqual([
      { image: 'app:v1', tags: ['stable', 'active'] },
      { image: 'app:v2', tags: ['preview'] },
    ]);
  });

  it('after the promotion: revision 2 is "stable,active", revision 1 untagged with its scale-down delay', () => {
    // The final view (the trace records a view when the status changes; the delay annotation is
    // written by the reconcile after the promotion, which changes no status).
    const v = r.rolloutView;
    expect(v.status).toBe('Healthy');
    expect(v.replicaSets.map((rs) => [rs.revision, rs.tags, rs.scaleDownDeadline])).toEqual([
      [2, ['stable', 'active'], undefined],
      [1, [], String(2 * MIN + 30_000)],
    ]);
    // Revision 2 is also the preview Service's, but "active" wins (else-if upstream).
    expect(v.images).toEqual([
      { image: 'app:v1', tags: [] },
      { image: 'app:v2', tags: ['stable', 'active'] },
    ]);
  });

  it('renders "Strategy: BlueGreen" without the canary lines, and the tags on the ReplicaSet lines', () => {
    const lines = renderRolloutView(r.rolloutView, 2 * MIN + 10_000);
    expect(lines).toContain('Strategy:        BlueGreen');
    expect(lines.some((l) => /SetWeight|ActualWeight|Step:/.test(l))).toBe(false);
    expect(lines).toContain('Images:          app:v1');
    expect(lines).toContain('                 app:v2 (stable, active)');
    expect(lines.some((l) => /^├──# revision:2$/.test(l))).toBe(true);
    expect(lines.some((l) => /⧉ demo-sft22nkhkp\s+ReplicaSet\s+✔ Healthy\s+stable,active$/.test(l))).toBe(true);
    expect(lines.some((l) => /⧉ demo-6xw5sn4rp8\s+ReplicaSet\s+✔ Healthy\s+delay:20s$/.test(l))).toBe(true);
  });
});
