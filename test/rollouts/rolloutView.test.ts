// The `kubectl argo rollouts get rollout` view (pkg/kubectl-argo-rollouts/info, v1.9.1) with worked
// numbers: step i/n, the set weight and the plugin's actual weight (basic canary: canary available
// pods × 100 / all available pods, truncated), ReplicaSet tags and health, AnalysisRun counts,
// conditions — in the final view and in the trace's `rolloutView` entries.
import { describe, expect, it } from 'vitest';
import type { RolloutView } from '../../sim/rollouts/rolloutView.js';
import { renderRolloutView } from '../../reports/rolloutView.js';
import { analysisTemplateYaml, events, rolloutYaml, run, serviceYaml, V1, V2 } from '../helpers/sim.js';
import type { RunResult } from '../../sim/world.js';

function views(r: RunResult): (RolloutView & { t: number })[] {
  return r.trace.filter((e) => e.type === 'rolloutView') as unknown as (RolloutView & { t: number })[];
}

function viewAt(r: RunResult, t: number): RolloutView & { t: number } {
  let last: (RolloutView & { t: number }) | undefined;
  for (const v of views(r)) if (v.t <= t) last = v;
  return last!;
}

describe('basic canary: replicas 10, setWeight 5, pause', () => {
  const r = run([rolloutYaml({ replicas: 10, canary: 'steps:\n  - setWeight: 5\n  - pause: {}' })], { untilMs: 5 * 60_000 });
  const paused = viewAt(r, 5 * 60_000);

  it('shows step 1/2, SetWeight 5 and ActualWeight 1×100/11 = 9 (the surge pod counts as available)', () => {
    expect(paused.status).toBe('Paused');
    expect(paused.message).toBe('CanaryPauseStep');
    expect(paused.step).toBe('1/2');
    expect(paused.setWeight).toBe('5');
    expect(paused.actualWeight).toBe('9');
    expect(paused.replicas).toEqual({ desired: 10, current: 11, updated: 1, ready: 11, available: 11 });
  });

  it('lists the ReplicaSets newest first, tagged canary and stable, with their images', () => {
    expect(paused.replicaSets.map((rs) => [rs.revision, rs.tags, rs.status, rs.replicas, rs.available])).toEqual([
      [2, ['canary'], 'Healthy', 1, 1],
      [1, ['stable'], 'Healthy', 10, 10],
    ]);
    expect(paused.images).toEqual([
      { image: V1, tags: ['stable'] },
      { image: V2, tags: ['canary'] },
    ]);
  });

  it('carries the conditions with upstream reasons', () => {
    const byType = new Map(paused.conditions.map((c) => [c.type, c]));
    expect(byType.get('Paused')).toMatchObject({ status: 'True', reason: 'RolloutPaused', message: 'Rollout is paused' });
    expect(byType.get('Progressing')).toMatchObject({ status: 'Unknown', reason: 'RolloutPaused' });
    expect(byType.get('Completed')).toMatchObject({ status: 'False', reason: 'RolloutCompleted' });
    expect(byType.get('Available')).toMatchObject({ status: 'True', reason: 'AvailableReason' });
    expect(byType.get('Healthy')).toMatchObject({ status: 'False', reason: 'RolloutHealthy' });
  });

  it('records a view only when what it shows changes', () => {
    const vs = views(r).map(({ t: _t, ...v }) => JSON.stringify(v));
    expect(vs.length).toBeGreaterThan(3);
    for (let i = 1; i < vs.length; i++) expect(vs[i]).not.toBe(vs[i - 1]);
  });
});

describe('basic canary promoted', () => {
  const r = run([rolloutYaml({ replicas: 4, canary: 'steps:\n  - setWeight: 50\n  - pause: {duration: 30s}' })], { untilMs: 5 * 60_000 });

  it('ends Healthy at step 2/2 with SetWeight and ActualWeight 100, the new ReplicaSet stable and the old one scaled down', () => {
    const v = r.rolloutView;
    expect(r.outcome).toBe('promoted');
    expect([v.status, v.message, v.step, v.setWeight, v.actualWeight]).toEqual(['Healthy', '', '2/2', '100', '100']);
    expect(v.replicaSets.map((rs) => [rs.revision, rs.tags, rs.status, rs.replicas])).toEqual([
      [2, ['stable'], 'Healthy', 4],
      [1, [], 'ScaledDown', 0],
    ]);
    // Only ReplicaSets with pods contribute images.
    expect(v.images).toEqual([{ image: V2, tags: ['stable'] }]);
    expect(v.replicaSets[0]!.pods!.map((p) => [p.status, p.ready])).toEqual(Array(4).fill(['Running', '1/1']));
    const byType = new Map(v.conditions.map((c) => [c.type, c]));
    expect(byType.get('Healthy')).toMatchObject({ status: 'True', reason: 'RolloutHealthy' });
    expect(byType.get('Completed')).toMatchObject({ status: 'True', reason: 'RolloutCompleted' });
    expect(byType.get('Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
  });
});

describe('traffic-routed canary aborted by a failed analysis', () => {
  const r = run(
    [
      rolloutYaml({
        replicas: 4,
        canary: `canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  istio:
    virtualService: {name: demo, routes: [primary]}
steps:
  - setWeight: 25
  - pause: {duration: 1m}
  - analysis:
      templates: [{templateName: always-fails}]`,
      }),
      serviceYaml('demo-canary'),
      serviceYaml('demo-stable'),
      analysisTemplateYaml('always-fails', [{ name: 'never-good', query: 'vector(1)', fields: 'successCondition: result[0] < 0' }]),
    ],
    { untilMs: 5 * 60_000 },
  );
  const abortedAt = events(r).find((e) => e.reason === 'RolloutAborted')!.t;

  it('during the pause shows the router weight as the actual weight', () => {
    const v = viewAt(r, abortedAt - 1);
    expect([v.status, v.step, v.setWeight, v.actualWeight]).toEqual(['Paused', '1/3', '25', '25']);
  });

  it('after the abort is Degraded with the abort message, SetWeight 0, and the failed run with its counts', () => {
    const v = r.rolloutView;
    expect(v.status).toBe('Degraded');
    expect(v.message).toMatch(/^RolloutAborted: Rollout aborted update to revision 2/);
    expect(v.setWeight).toBe('0');
    expect(v.actualWeight).toBe('0');
    expect(v.analysisRuns).toHaveLength(1);
    expect(v.analysisRuns[0]).toMatchObject({ revision: 2, status: 'Failed', failed: 1, successful: 0 });
    const progressing = v.conditions.find((c) => c.type === 'Progressing')!;
    expect([progressing.status, progressing.reason]).toEqual(['False', 'RolloutAborted']);
  });

  it('renders like `kubectl argo rollouts get rollout`', () => {
    const lines = renderRolloutView(r.rolloutView, 5 * 60_000);
    expect(lines.slice(0, 3)).toEqual(['Name:            demo', 'Namespace:       default', 'Status:          ✖ Degraded']);
    expect(lines).toContain('  SetWeight:     0');
    expect(lines.some((l) => /^├──# revision:2$/.test(l))).toBe(true);
    expect(lines.some((l) => /^│ {2}[├└]──α demo-[a-z0-9]+-2-2\s+AnalysisRun\s+✖ Failed\s+✖ 1$/.test(l))).toBe(true);
    expect(lines.some((l) => /^└──# revision:1$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {3}└──⧉ demo-[a-z0-9]+\s+ReplicaSet\s+✔ Healthy\s+stable$/.test(l))).toBe(true);
  });
});
