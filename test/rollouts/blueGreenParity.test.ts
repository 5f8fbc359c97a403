// Blue-green parity with the canary features: spec.restartAt with blueGreen.maxUnavailable
// (rollout/bluegreen.go rolloutBlueGreen → rollout/restart.go), revisionHistoryLimit clean-up
// (bluegreen.go reconcileBlueGreenReplicaSets → sync.go reconcileRevisionHistoryLimit), the
// rollbackWindow fast track (sync.go isRollbackWithinWindow, read by analysis.go
// reconcileAnalysisRuns, bluegreen.go syncRolloutStatusBlueGreen and sync.go shouldFullPromote) and
// measurementRetention of pre-promotion analysis. Pods are ready 1 s after creation.
import { describe, expect, it } from 'vitest';
import type { AnalysisController } from '../../sim/analysis/analysisController.js';
import { blueGreenMaxUnavailable } from '../../sim/rollouts/blueGreenRestart.js';
import { analysisTemplateYaml, events, ofType, reasons, run, statusAt } from '../helpers/sim.js';
import { blueGreenRolloutYaml, SERVICES } from '../helpers/blueGreen.js';
import { MIN, runWithActions } from '../actions/helpers.js';
import { loadManifests } from '../../sim/manifests/load.js';
import { FIELD_SUPPORT } from '../../sim/manifests/schema.js';

const BG = 'activeService: demo-active\npreviewService: demo-preview\n';
const passing = analysisTemplateYaml('always-ok', [{ name: 'fine', query: 'vector(1)', fields: 'successCondition: result[0] > 0\ninterval: 10s\ncount: 5' }]);

/** Evicted pods as [t, pod] from the trace. */
const evictions = (r: ReturnType<typeof runWithActions>) =>
  ofType(r, 'pod')
    .filter((e) => e.phase === 'Deleted' && e.reason === 'Evicted')
    .map((e) => [e.t, e.pod]);

describe('blueGreenMaxUnavailable (replicaset.go MaxUnavailable, blue-green branch)', () => {
  it.each([
    [4, undefined, 1], // default 25% of 4, rounded down
    [3, undefined, 0], // 25% of 3 = 0.75 → 0 (the restarter still evicts max(0, 1) = 1 at a time)
    [10, '50%', 5],
    [4, 2, 2],
    [4, 9, 4], // capped at spec.replicas
    [0, 2, 0],
  ] as const)('replicas %d, maxUnavailable %s → %d', (replicas, value, expected) => {
    expect(blueGreenMaxUnavailable(replicas, value)).toBe(expected);
  });
});

describe('spec.restartAt on a blue-green Rollout (kubectl argo rollouts restart at 2m, no update)', () => {
  const rollout = (extra: string) => blueGreenRolloutYaml({ replicas: 4, blueGreen: BG + extra });

  it('maxUnavailable 2: two pods evicted per pass; the second pass waits for the replacements to be available', () => {
    const r = runWithActions([rollout('maxUnavailable: 2'), ...SERVICES], [{ atMs: 2 * MIN, kind: 'restart' }], { changeAtMs: null, untilMs: 5 * MIN });
    // restartAt = 2:00 (whole seconds); the requeue lands 1 ms after it. available 4 − (4 − 2) = 2.
    expect(evictions(r)).toEqual([
      [120_001, 'demo-6xw5sn4rp8-00000'],
      [120_001, 'demo-6xw5sn4rp8-00001'],
      [121_001, 'demo-6xw5sn4rp8-00002'],
      [121_001, 'demo-6xw5sn4rp8-00003'],
    ]);
    expect(statusAt(r, 120_001)).toMatchObject({ phase: 'Progressing', message: 'rollout is restarting' });
    expect(statusAt(r, 5 * MIN)).toMatchObject({ phase: 'Healthy', availableReplicas: 4 });
    // No new revision: nothing promoted, the Services stay where they were.
    expect(reasons(r, 2 * MIN)).toEqual([]);
  });

  it('default maxUnavailable (25% of 4 = 1): one pod at a time, four passes', () => {
    const r = runWithActions([rollout(''), ...SERVICES], [{ atMs: 2 * MIN, kind: 'restart' }], { changeAtMs: null, untilMs: 5 * MIN });
    expect(evictions(r).map(([t]) => t)).toEqual([120_001, 121_001, 122_001, 123_001]);
  });

  it('maxUnavailable is validated as an IntOrString', () => {
    expect(() => loadManifests([{ name: 'r.yaml', text: rollout('maxUnavailable: [1]') }, ...SERVICES.map((text, i) => ({ name: `s${i}.yaml`, text }))])).toThrow(
      /spec\.strategy\.blueGreen\.maxUnavailable/,
    );
  });
});

describe('revisionHistoryLimit on a blue-green Rollout', () => {
  it('limit 1: once v2 is scaled down after v3 is promoted, v1 (no pods) is deleted; undo to revision 1 then fails', () => {
    const r = runWithActions(
      [blueGreenRolloutYaml({ replicas: 2, extraSpec: 'revisionHistoryLimit: 1', blueGreen: BG }), ...SERVICES],
      [
        { atMs: 4 * MIN, kind: 'setImage', container: undefined, image: 'app:v3' },
        { atMs: 9 * MIN, kind: 'undo', toRevision: 1 },
      ],
      { untilMs: 10 * MIN },
    );
    // Others at 4:01 are v1 (0 pods) and v2 (2 pods, in its scale-down delay): 2 − 1 = 1 candidate, the oldest.
    expect(ofType(r, 'replicaSet').filter((e) => e.deleted === true).map((e) => [e.t, e.replicaSet])).toEqual([[241_000, 'demo-6xw5sn4rp8']]);
    expect(ofType(r, 'action')[1]).toMatchObject({ failed: true, message: 'unable to find specified revision 1 in history' });
  });

  it('the default (10) deletes nothing', () => {
    const r = runWithActions([blueGreenRolloutYaml({ replicas: 2, blueGreen: BG }), ...SERVICES], [{ atMs: 4 * MIN, kind: 'setImage', container: undefined, image: 'app:v3' }], { untilMs: 10 * MIN });
    expect(ofType(r, 'replicaSet').filter((e) => e.deleted === true)).toEqual([]);
  });
});

describe('rollbackWindow on a blue-green Rollout (digest §6.4)', () => {
  // v1 at 0, v2 at 1:00 promoted at once (autoPromotionEnabled default); v1 scaled down at 1:31.
  it('auto-promotion: undo to v1 skips post-promotion analysis and completes "Rollback within window"', () => {
    const r = runWithActions(
      [blueGreenRolloutYaml({ replicas: 2, extraSpec: 'rollbackWindow: {revisions: 1}', blueGreen: BG + 'postPromotionAnalysis: {templates: [{templateName: always-ok}]}' }), ...SERVICES, passing],
      [{ atMs: 5 * MIN, kind: 'undo', toRevision: 0 }],
      { untilMs: 8 * MIN },
    );
    const completed = events(r, 5 * MIN).filter((e) => e.reason === 'RolloutCompleted');
    expect(completed.map((e) => [e.t, e.message])).toEqual([[301_000, 'Rollout completed update to revision 3 (6xw5sn4rp8): Rollback within window']]);
    // Only v2's post-promotion run exists: none was started for the rollback.
    expect(r.analysisRuns.map((a) => a.name)).toEqual(['demo-sft22nkhkp-2-post']);
  });

  it('without rollbackWindow the same undo runs post-promotion analysis again', () => {
    const r = runWithActions(
      [blueGreenRolloutYaml({ replicas: 2, blueGreen: BG + 'postPromotionAnalysis: {templates: [{templateName: always-ok}]}' }), ...SERVICES, passing],
      [{ atMs: 5 * MIN, kind: 'undo', toRevision: 0 }],
      { untilMs: 8 * MIN },
    );
    expect(r.analysisRuns.map((a) => a.name)).toEqual(['demo-sft22nkhkp-2-post', 'demo-6xw5sn4rp8-3-post']);
    expect(events(r, 5 * MIN).find((e) => e.reason === 'RolloutCompleted')!.message).toMatch(/: Completed blue-green update$/);
  });

  it('autoPromotionEnabled false: the rollback is stuck — the pause it adds is cleared in the same reconcile, so no promote can follow (argo-rollouts#3304)', () => {
    const r = runWithActions(
      [blueGreenRolloutYaml({ replicas: 2, extraSpec: 'rollbackWindow: {revisions: 1}', blueGreen: BG + 'autoPromotionEnabled: false' }), ...SERVICES],
      [
        { atMs: 2 * MIN, kind: 'promote', full: false },
        { atMs: 5 * MIN, kind: 'undo', toRevision: 0 },
      ],
      { untilMs: 9 * MIN },
    );
    expect(events(r, 5 * MIN).filter((e) => e.reason === 'RolloutCompleted' || e.reason === 'RolloutPaused')).toEqual([]);
    expect(statusAt(r, 9 * MIN)).toMatchObject({ activeSelector: 'sft22nkhkp', previewSelector: '6xw5sn4rp8', pauseConditions: [] });
    expect(r.outcome).not.toBe('rolledBack');
  });
});

describe('measurementRetention in prePromotionAnalysis', () => {
  it('limit 2 keeps the newest 2 of the 5 measurements of `fine` on the AnalysisRun (count stays 5)', () => {
    let analysis: AnalysisController | undefined;
    const yaml = blueGreenRolloutYaml({ replicas: 2, blueGreen: BG + 'autoPromotionEnabled: false\nprePromotionAnalysis: {templates: [{templateName: always-ok}], measurementRetention: [{metricName: fine, limit: 2}]}' });
    const r = run([yaml, ...SERVICES, passing], { untilMs: 5 * MIN }, { onWorld: (w) => (analysis = w.analysis) });
    expect(r.analysisRuns[0]).toMatchObject({ name: 'demo-sft22nkhkp-2-pre', phase: 'Successful' });
    const fine = analysis!.runsOwnedBy('demo')[0]!.results.get('fine')!;
    expect(fine.count).toBe(5);
    // Measurements every 10 s from 61 s (each reconcile 1 ms later): the last two are kept.
    expect(fine.measurements.map((m) => m.startedAt)).toEqual([91_003, 101_004]);
  });
});

describe('analysisRunMetadata: one treatment wherever a Rollout starts AnalysisRuns', () => {
  it('canary background/step/experiment and blue-green pre/post are all accepted without effect (labels on AnalysisRuns)', () => {
    const entries = [...FIELD_SUPPORT].filter(([key]) => key.startsWith('Rollout ') && key.endsWith('.analysisRunMetadata'));
    expect(entries.map(([key]) => key).sort()).toEqual([
      'Rollout spec.strategy.blueGreen.postPromotionAnalysis.analysisRunMetadata',
      'Rollout spec.strategy.blueGreen.prePromotionAnalysis.analysisRunMetadata',
      'Rollout spec.strategy.canary.analysis.analysisRunMetadata',
      'Rollout spec.strategy.canary.steps[].analysis.analysisRunMetadata',
      'Rollout spec.strategy.canary.steps[].experiment.analysisRunMetadata',
    ]);
    expect(new Set(entries.map(([, e]) => `${e.support}: ${e.note}`))).toEqual(new Set(['noEffect: labels/annotations on AnalysisRuns']));
  });

  it('a pre-promotion analysisRunMetadata loads and the run still happens', () => {
    const yaml = blueGreenRolloutYaml({ replicas: 2, blueGreen: BG + 'prePromotionAnalysis: {templates: [{templateName: always-ok}], analysisRunMetadata: {labels: {team: shop}}}' });
    const r = run([yaml, ...SERVICES, passing], { untilMs: 4 * MIN });
    expect(r.analysisRuns.map((a) => [a.name, a.phase])).toEqual([['demo-sft22nkhkp-2-pre', 'Successful']]);
  });
});
