// The blue-green state machine against the semantics digest (§3, §6, §8.2, §11) and argo-rollouts
// v1.9.1 rollout/bluegreen.go, service.go, replicaset.go, pause.go, analysis.go. Worked examples:
// pods are ready 1 s after creation, the change to app:v2 is applied at 60 s.
import { describe, expect, it } from 'vitest';
import { analysisTemplateYaml, events, podsAt, reasons, run, scalings, statusAt, type Ev } from '../helpers/sim.js';
import { blueGreenRolloutYaml, operator, SERVICES } from '../helpers/blueGreen.js';
import type { RunOptions, RunResult } from '../../sim/world.js';
import { changedTemplate } from '../../sim/rollouts/templates.js';

const failing = analysisTemplateYaml('always-fails', [{ name: 'never-good', query: 'vector(1)', fields: 'successCondition: result[0] < 0' }]);
const passing = analysisTemplateYaml('always-ok', [{ name: 'fine', query: 'vector(1)', fields: 'successCondition: result[0] > 0' }]);
const SERVICES_AND_TEMPLATES = [...SERVICES, failing, passing];

const OLD = 'demo-6xw5sn4rp8';
const NEW = 'demo-sft22nkhkp';
const OLD_HASH = '6xw5sn4rp8';
const NEW_HASH = 'sft22nkhkp';

function bgRun(blueGreen: string, opts: { replicas?: number; untilMs?: number; onWorld?: RunOptions['onWorld'] } = {}): RunResult {
  return run([blueGreenRolloutYaml({ replicas: opts.replicas ?? 3, blueGreen }), ...SERVICES_AND_TEMPLATES], { untilMs: opts.untilMs ?? 300_000 }, opts.onWorld ? { onWorld: opts.onWorld } : {});
}

function firstEvent(r: RunResult, pred: (e: Ev) => boolean, from = 0): Ev {
  const e = events(r, from).find(pred);
  if (!e) throw new Error('event not found');
  return e;
}

const switchOf = (svc: string) => (e: Ev) => e.reason === 'SwitchService' && e.message.startsWith(`Switched selector for service '${svc}'`);

/** Which ReplicaSets served users' requests in [from, to), from the traffic trace. */
function servedBy(r: RunResult, from: number, to: number): Set<string> {
  const out = new Set<string>();
  for (const e of r.trace) {
    if (e.type !== 'traffic' || e.t < from || e.t >= to) continue;
    for (const x of e.byReplicaSet as { replicaSet: string; requests: number }[]) if (x.requests > 0) out.add(x.replicaSet);
  }
  return out;
}

describe('manual promotion: replicas 3, previewReplicaCount 1, autoPromotionEnabled false, promote at 120 s', () => {
  const r = bgRun('activeService: demo-active\npreviewService: demo-preview\npreviewReplicaCount: 1\nautoPromotionEnabled: false', {
    onWorld: operator([{ atMs: 120_000, action: 'promote' }]),
  });

  it('points the preview Service at the new ReplicaSet at once, even before it has pods', () => {
    const e = firstEvent(r, switchOf('demo-preview'), 60_000);
    expect(e).toMatchObject({ t: 60_000, message: `Switched selector for service 'demo-preview' from '${OLD_HASH}' to '${NEW_HASH}'` });
    expect(scalings(r, 60_000)[0]).toBe(`Scaled up ReplicaSet ${NEW} (revision 2) from 0 to 1`);
  });

  it('while paused: preview RS at 1 pod, active still on the old RS with 3, phase Paused (BlueGreenPause)', () => {
    const pods = podsAt(r, 119_999);
    expect(pods.get(NEW)).toBe(1);
    expect(pods.get(OLD)).toBe(3);
    const s = statusAt(r, 119_999)!;
    expect(s).toMatchObject({ phase: 'Paused', message: 'BlueGreenPause', activeSelector: OLD_HASH, previewSelector: NEW_HASH, pauseConditions: ['BlueGreenPause'] });
    expect(firstEvent(r, (e) => e.reason === 'RolloutPaused')).toMatchObject({ t: 61_000, message: 'Rollout is paused (BlueGreenPause)' });
    // Users' traffic: only the old revision's pods answer while the active Service points there.
    expect([...servedBy(r, 61_000, 120_000)]).toEqual([OLD]);
  });

  it('after promote: the preview RS is scaled to 3 before the active selector switches', () => {
    const up = firstEvent(r, (e) => e.message === `Scaled up ReplicaSet ${NEW} (revision 2) from 1 to 3`);
    const sw = firstEvent(r, switchOf('demo-active'), 60_000);
    expect(up.t).toBe(120_000);
    expect(sw).toMatchObject({ t: 121_000, message: `Switched selector for service 'demo-active' from '${OLD_HASH}' to '${NEW_HASH}'` });
    const done = firstEvent(r, (e) => e.reason === 'RolloutCompleted', 60_000);
    expect(done).toMatchObject({ t: 121_000, message: `Rollout completed update to revision 2 (${NEW_HASH}): Completed blue-green update` });
    // The user's patch emptied the pause list: no RolloutResumed (digest §3, manual timeline).
    expect(reasons(r, 60_000)).not.toContain('RolloutResumed');
    expect(r.outcome).toBe('promoted');
  });

  it('scales the old RS down scaleDownDelaySeconds (30 s) after the switch', () => {
    const down = firstEvent(r, (e) => e.message === `Scaled down ReplicaSet ${OLD} (revision 1) from 3 to 0`);
    expect(down.t).toBe(151_000);
    expect(podsAt(r, 150_999).get(OLD)).toBe(3);
    expect(r.finalStatus).toEqual({ phase: 'Healthy', message: '' });
  });

  it('the preview RS is scaled to 3 only once scaleUpPreviewCheckPoint has latched; the promotion clears it', () => {
    // promote ⇒ one reconcile latches the checkpoint (pause done, exactly 1 preview pod available);
    // the next reads it and NewRSNewReplicas gives 3 (utils/replicaset NewRSNewReplicas).
    const statuses = r.trace.filter((e) => e.type === 'status');
    const latch = statuses.find((e) => e.scaleUpPreviewCheckPoint === true)!;
    const scaleUp = firstEvent(r, (e) => e.message === `Scaled up ReplicaSet ${NEW} (revision 2) from 1 to 3`);
    expect(latch.t).toBe(120_000);
    expect(r.trace.indexOf(latch)).toBeLessThan(r.trace.findIndex((e) => e.type === 'event' && e.message === scaleUp.message));
    expect(statuses.at(-1)!.scaleUpPreviewCheckPoint).toBe(false);
  });
});

describe('reference event sequences (digest §8.2, e2e TestBlueGreenUpdate): defaults, R=3, active Service only', () => {
  const r = bgRun('activeService: demo-active');

  it('initial deploy: no RolloutNotCompleted, promoted before the active Service is switched', () => {
    expect(reasons(r, 0, 60_000)).toEqual(['RolloutAddedToInformer', 'RolloutUpdated', 'NewReplicaSetCreated', 'ScalingReplicaSet', 'RolloutCompleted', 'SwitchService']);
    expect(firstEvent(r, (e) => e.reason === 'RolloutCompleted').message).toBe(`Rollout completed update to revision 1 (${OLD_HASH}): Initial deploy`);
  });

  it('update: RolloutUpdated, NewReplicaSetCreated, RolloutNotCompleted, ScalingReplicaSet, SwitchService, RolloutCompleted', () => {
    expect(reasons(r, 60_000, 90_000)).toEqual(['RolloutUpdated', 'NewReplicaSetCreated', 'RolloutNotCompleted', 'ScalingReplicaSet', 'SwitchService', 'RolloutCompleted']);
    // No pause by default (autoPromotionEnabled true, autoPromotionSeconds 0): the switch follows availability.
    expect(firstEvent(r, switchOf('demo-active'), 60_000).t).toBe(61_000);
    expect(scalings(r, 90_000)).toEqual([`Scaled down ReplicaSet ${OLD} (revision 1) from 3 to 0`]);
  });
});

describe('pre-promotion analysis failing (defaults otherwise)', () => {
  const r = bgRun('activeService: demo-active\npreviewService: demo-preview\nprePromotionAnalysis: {templates: [{templateName: always-fails}]}');
  const aborted = firstEvent(r, (e) => e.reason === 'RolloutAborted');

  it('creates the run once the preview RS is saturated, and aborts with upstream\'s message', () => {
    expect(r.analysisRuns.map((a) => [a.name, a.type, a.phase])).toEqual([[`${NEW}-2-pre`, 'PrePromotion', 'Failed']]);
    expect(aborted.t).toBe(61_000);
    expect(aborted.eventType).toBe('Warning');
    expect(aborted.message).toBe(
      'Rollout aborted update to revision 2: Blue/green pre-promotion analysis phase error/failed: Metric "never-good" assessed Failed due to failed (1) > failureLimit (0)',
    );
    expect(reasons(r, 61_000, 61_001)).toEqual(['AnalysisRunFailed', 'RolloutAborted']);
    expect(r.outcome).toBe('aborted');
    expect(r.finalStatus.phase).toBe('Degraded');
  });

  it('leaves the active Service untouched and users on the old revision', () => {
    expect(events(r, 60_000).filter(switchOf('demo-active'))).toEqual([]);
    expect([...servedBy(r, 60_000, 300_000)]).toEqual([OLD]);
  });

  it('scales the preview RS to 0 abortScaleDownDelaySeconds (30 s) after the abort', () => {
    expect(scalings(r, aborted.t)).toEqual([`Scaled down ReplicaSet ${NEW} (revision 2) from 3 to 0`]);
    expect(firstEvent(r, (e) => e.reason === 'ScalingReplicaSet', aborted.t).t).toBe(aborted.t + 30_000);
  });

  it('abortScaleDownDelaySeconds: 10 scales it down after 10 s; 0 keeps the preview pods', () => {
    const ten = bgRun('activeService: demo-active\nabortScaleDownDelaySeconds: 10\nprePromotionAnalysis: {templates: [{templateName: always-fails}]}');
    expect(firstEvent(ten, (e) => e.reason === 'ScalingReplicaSet', 61_000)).toMatchObject({ t: 71_000, message: `Scaled down ReplicaSet ${NEW} (revision 2) from 3 to 0` });
    const never = bgRun('activeService: demo-active\nabortScaleDownDelaySeconds: 0\nprePromotionAnalysis: {templates: [{templateName: always-fails}]}');
    expect(never.outcome).toBe('aborted');
    expect(scalings(never, 61_000)).toEqual([]);
    expect(podsAt(never, 300_000).get(NEW)).toBe(3);
  });

  it('retry on the same template aborts again: the failed run is still current (rollout/analysis.go needsNewAnalysisRun)', () => {
    // The retry reconcile skips analysis (the preview RS still carries its abort deadline, read
    // before it is removed) and clears abortedAt; the next reconcile finds the Failed run current
    // and not to be re-created, so it aborts again (cf. digest §10.19).
    const retried = bgRun('activeService: demo-active\nprePromotionAnalysis: {templates: [{templateName: always-fails}]}', {
      onWorld: operator([{ atMs: 120_000, action: 'retry' }]),
    });
    expect(scalings(retried, 120_000)).toEqual([`Scaled up ReplicaSet ${NEW} (revision 2) from 0 to 3`, `Scaled down ReplicaSet ${NEW} (revision 2) from 3 to 0`]);
    expect(events(retried, 120_000).filter((e) => e.reason === 'RolloutAborted').map((e) => e.t)).toEqual([120_000]);
    expect(retried.analysisRuns).toHaveLength(1);
    expect(retried.outcome).toBe('aborted');
  });
});

describe('pre-promotion analysis measurementRetention reaches the AnalysisRun', () => {
  // rollout/analysis.go newAnalysisRunFromRollout passes the RolloutAnalysis's measurementRetention
  // (as for canary steps); a rule that matches no metric is a spec error of the run
  // (utils/analysis/helpers.go GetMeasurementRetentionMetrics).
  it('a rule matching no metric errors the run and aborts the update', () => {
    const r = bgRun('activeService: demo-active\nprePromotionAnalysis: {templates: [{templateName: always-ok}], measurementRetention: [{metricName: nomatch, limit: 20}]}');
    expect(r.analysisRuns.map((a) => [a.name, a.phase])).toEqual([[`${NEW}-2-pre`, 'Error']]);
    expect(r.analysisRuns[0]!.message).toMatch(/measurementRetention\[0\]: Rule didn't match any metric name\(s\)/);
  });

  it('a rule for the metric is accepted and the run succeeds', () => {
    const r = bgRun('activeService: demo-active\nprePromotionAnalysis: {templates: [{templateName: always-ok}], measurementRetention: [{metricName: fine, limit: 20}]}');
    expect(r.analysisRuns.map((a) => [a.name, a.phase])).toEqual([[`${NEW}-2-pre`, 'Successful']]);
  });
});

describe('post-promotion analysis failing: rolled back as v1.9.1 does', () => {
  const r = bgRun('activeService: demo-active\npreviewService: demo-preview\npostPromotionAnalysis: {templates: [{templateName: always-fails}]}');

  it('switches the active Service, runs the post-promotion analysis, aborts, and switches back to stable', () => {
    const active = events(r, 60_000).filter(switchOf('demo-active'));
    expect(active.map((e) => [e.t, e.message])).toEqual([
      [61_000, `Switched selector for service 'demo-active' from '${OLD_HASH}' to '${NEW_HASH}'`],
      [61_000, `Switched selector for service 'demo-active' from '${NEW_HASH}' to '${OLD_HASH}'`],
    ]);
    expect(reasons(r, 61_000, 61_001)).toEqual(['SwitchService', 'AnalysisRunFailed', 'RolloutAborted', 'SwitchService']);
    expect(r.analysisRuns.map((a) => [a.name, a.type])).toEqual([[`${NEW}-2-post`, 'PostPromotion']]);
    // Never promoted: stableRS stayed on the old RS, which was held at 3 pods throughout.
    expect(reasons(r, 60_000)).not.toContain('RolloutCompleted');
    expect(r.outcome).toBe('aborted');
    expect(podsAt(r, 300_000)).toEqual(new Map([[OLD, 3], [NEW, 0]]));
  });

  it('scales the new RS to 0 abortScaleDownDelaySeconds after the abort', () => {
    expect(scalings(r, 61_001)).toEqual([`Scaled down ReplicaSet ${NEW} (revision 2) from 3 to 0`]);
    expect(firstEvent(r, (e) => e.reason === 'ScalingReplicaSet', 61_001).t).toBe(91_000);
  });
});

describe('pre- and post-promotion analysis succeeding', () => {
  const r = bgRun('activeService: demo-active\npreviewService: demo-preview\nprePromotionAnalysis: {templates: [{templateName: always-ok}]}\npostPromotionAnalysis: {templates: [{templateName: always-ok}]}');

  it('switches after the pre run succeeds and promotes after the post run succeeds', () => {
    expect(events(r, 61_000, 61_001).map((e) => e.reason + ': ' + e.message)).toEqual([
      `SwitchService: Switched selector for service 'demo-active' from '${OLD_HASH}' to '${NEW_HASH}'`,
      `AnalysisRunSuccessful: PrePromotion Analysis Run '${NEW}-2-pre' Status New: 'Successful' Previous: ''`,
      `AnalysisRunSuccessful: PostPromotion Analysis Run '${NEW}-2-post' Status New: 'Successful' Previous: ''`,
      `RolloutCompleted: Rollout completed update to revision 2 (${NEW_HASH}): Completed blue-green update`,
    ]);
    expect(r.analysisRuns.map((a) => [a.type, a.phase])).toEqual([
      ['PrePromotion', 'Successful'],
      ['PostPromotion', 'Successful'],
    ]);
  });

  it('keeps the old RS for scaleDownDelaySeconds after the promotion', () => {
    expect(firstEvent(r, (e) => e.reason === 'ScalingReplicaSet', 61_001)).toMatchObject({ t: 91_000, message: `Scaled down ReplicaSet ${OLD} (revision 1) from 3 to 0` });
  });
});

describe('autoPromotionSeconds: 20', () => {
  const r = bgRun('activeService: demo-active\nautoPromotionSeconds: 20');

  it('pauses when the new RS is ready and promotes strictly after 20 s, then reports RolloutResumed (digest §11.3)', () => {
    expect(firstEvent(r, (e) => e.reason === 'RolloutPaused')).toMatchObject({ t: 61_000, message: 'Rollout is paused (BlueGreenPause)' });
    expect(events(r, 61_001).slice(0, 3).map((e) => [e.t, e.reason])).toEqual([
      [81_001, 'SwitchService'],
      [81_001, 'RolloutCompleted'],
      [81_001, 'RolloutResumed'],
    ]);
  });
});

describe('promote --full with previewReplicaCount', () => {
  const r = bgRun('activeService: demo-active\npreviewReplicaCount: 1\nautoPromotionEnabled: false', {
    onWorld: operator([{ atMs: 120_000, action: 'promoteFull' }]),
  });

  it('skips the checkpoint, scales the preview to R, and promotes with "Full promotion requested"', () => {
    expect(events(r, 120_000).slice(0, 4).map((e) => [e.t, e.reason, e.message])).toEqual([
      [120_000, 'ScalingReplicaSet', `Scaled up ReplicaSet ${NEW} (revision 2) from 1 to 3`],
      [120_000, 'RolloutResumed', 'Rollout is resumed'],
      [121_000, 'SwitchService', `Switched selector for service 'demo-active' from '${OLD_HASH}' to '${NEW_HASH}'`],
      [121_000, 'RolloutCompleted', `Rollout completed update to revision 2 (${NEW_HASH}): Full promotion requested`],
    ]);
  });
});

describe('operator abort of a paused update', () => {
  const r = bgRun('activeService: demo-active\npreviewService: demo-preview\nautoPromotionEnabled: false', {
    onWorld: operator([{ atMs: 120_000, action: 'abort' }]),
  });

  it('the abort reconcile reports RolloutAborted, keeps users on stable, and drops the preview after 30 s', () => {
    expect(events(r, 120_000).map((e) => [e.t, e.reason, e.message])).toEqual([
      [120_000, 'RolloutAborted', 'Rollout aborted update to revision 2'],
      [150_000, 'ScalingReplicaSet', `Scaled down ReplicaSet ${NEW} (revision 2) from 3 to 0`],
    ]);
    expect(statusAt(r, 299_999)).toMatchObject({ phase: 'Degraded', activeSelector: OLD_HASH, pauseConditions: [] });
  });
});

describe('scale-down delay of old ReplicaSets', () => {
  /** v1 → v2 at 60 s (promoted at 61 s), then v3 at 120 s (promoted at 121 s). */
  const twoUpdates = (extra: string): RunResult =>
    bgRun(`activeService: demo-active\nscaleDownDelaySeconds: 600\n${extra}`, {
      onWorld: ({ kernel, rollout, controller }) => {
        kernel.schedule(120_000, 0, 'second update', () => {
          rollout.updateSpec({ template: changedTemplate(rollout.template, 'app:v3') });
          controller.enqueue();
        });
      },
    });

  it('without a revision limit both old ReplicaSets keep their pods until their deadlines', () => {
    const r = twoUpdates('');
    const pods = podsAt(r, 299_999);
    expect(pods.get(OLD)).toBe(3);
    expect(pods.get(NEW)).toBe(3);
  });

  it('scaleDownDelayRevisionLimit: 1 keeps only the newest old RS (v2) and scales v1 down at once', () => {
    const r = twoUpdates('scaleDownDelayRevisionLimit: 1');
    const down = firstEvent(r, (e) => e.message === `Scaled down ReplicaSet ${OLD} (revision 1) from 3 to 0`);
    expect(down.t).toBe(121_000);
    expect(podsAt(r, 299_999).get(NEW)).toBe(3);
  });

  it('scaleDownDelaySeconds: 0 never scales the old RS down (issue #1992)', () => {
    const r = bgRun('activeService: demo-active\nscaleDownDelaySeconds: 0');
    expect(r.outcome).toBe('promoted');
    expect(scalings(r, 61_001)).toEqual([]);
    expect(podsAt(r, 300_000).get(OLD)).toBe(3);
  });
});

describe('spec.paused (kubectl argo rollouts pause) halts the Service switches, not the scaling', () => {
  const r = bgRun('activeService: demo-active\npreviewService: demo-preview', {
    onWorld: operator([
      { atMs: 30_000, action: 'pause' },
      { atMs: 120_000, action: 'promote' },
    ]),
  });

  it('scales the new RS up (blue-green has no paused check there) but leaves both Services alone until unpaused', () => {
    // context.go haltProgress guards reconcilePreviewService, reconcileActiveService and the pause;
    // reconcileBlueGreenReplicaSets has no such guard (unlike canary's reconcileCanaryReplicaSets).
    expect(reasons(r, 60_000, 120_000)).toEqual(['RolloutUpdated', 'NewReplicaSetCreated', 'RolloutNotCompleted', 'ScalingReplicaSet']);
    expect(statusAt(r, 119_999)).toMatchObject({ phase: 'Paused', message: 'manually paused' });
    expect(firstEvent(r, switchOf('demo-preview'), 60_000).t).toBe(120_000);
    expect(r.outcome).toBe('promoted');
  });
});

describe('inconclusive pre-promotion analysis (digest §4.6)', () => {
  const unsure = analysisTemplateYaml('unsure', [{ name: 'maybe', query: 'vector(1)', fields: 'successCondition: result[0] > 5\nfailureCondition: result[0] < 0' }]);
  const r = run(
    [blueGreenRolloutYaml({ replicas: 3, blueGreen: 'activeService: demo-active\npreviewService: demo-preview\nprePromotionAnalysis: {templates: [{templateName: unsure}]}' }), ...SERVICES, unsure],
    { untilMs: 300_000 },
    { onWorld: operator([{ atMs: 120_000, action: 'promote' }]) },
  );

  it('pauses with InconclusiveAnalysisRun; promote clears it and the analysis runs again (a new run, name suffix .1)', () => {
    expect(events(r, 60_000).filter((e) => e.t >= 61_000).map((e) => [e.t, e.reason, e.message])).toEqual([
      [61_000, 'AnalysisRunInconclusive', `PrePromotion Analysis Run '${NEW}-2-pre' Status New: 'Inconclusive' Previous: ''`],
      [61_000, 'RolloutPaused', 'Rollout is paused (InconclusiveAnalysisRun)'],
      [120_000, 'AnalysisRunInconclusive', `PrePromotion Analysis Run '${NEW}-2-pre.1' Status New: 'Inconclusive' Previous: ''`],
      [120_000, 'RolloutPaused', 'Rollout is paused (InconclusiveAnalysisRun)'],
    ]);
    expect(r.outcome).toBe('paused');
    expect(statusAt(r, 299_999)).toMatchObject({ phase: 'Paused', message: 'InconclusiveAnalysisRun', activeSelector: OLD_HASH });
  });
});

describe('progress deadline with progressDeadlineAbort (e2e TestBlueGreenExceedProgressDeadlineAbort, digest §11.7)', () => {
  const r = run(
    [
      blueGreenRolloutYaml({ replicas: 3, extraSpec: 'progressDeadlineSeconds: 60\nprogressDeadlineAbort: true', blueGreen: 'activeService: demo-active\npreviewService: demo-preview' }),
      ...SERVICES,
    ],
    { untilMs: 400_000, faults: [{ kind: 'crashLoop', atMs: 60_000, image: 'app:v2', params: { runFor: 0 } }] },
  );

  it('a preview that never becomes available times out, aborts (RolloutAborted twice), and is scaled down 30 s later', () => {
    // The Progressing condition was last refreshed at 60 s; the deadline check is strict, so the
    // stuck-rollout requeue at 60 + 60 + 1 s is the first reconcile past it.
    expect(events(r, 61_000).map((e) => [e.t, e.reason, e.message])).toEqual([
      [121_000, 'RolloutAborted', `ReplicaSet "${NEW}" has timed out progressing.`],
      [121_000, 'RolloutAborted', 'Rollout aborted update to revision 2'],
      [151_000, 'ScalingReplicaSet', `Scaled down ReplicaSet ${NEW} (revision 2) from 3 to 0`],
    ]);
    expect(r.outcome).toBe('aborted');
    expect(events(r, 60_000).filter(switchOf('demo-active'))).toEqual([]);
  });
});

describe('fast-track rollback into a ReplicaSet still inside its scale-down delay (digest §6.4, e2e TestBlueGreenAnalysis)', () => {
  const r = run(
    [
      blueGreenRolloutYaml({
        replicas: 3,
        blueGreen: 'activeService: demo-active\npreviewService: demo-preview\nautoPromotionEnabled: false\nscaleDownDelaySeconds: 600\npostPromotionAnalysis: {templates: [{templateName: always-ok}]}',
      }),
      ...SERVICES_AND_TEMPLATES,
    ],
    { untilMs: 400_000 },
    {
      onWorld: (w) => {
        operator([{ atMs: 90_000, action: 'promote' }])!(w);
        const v1 = w.rollout.template;
        // Re-applying the old manifest at 200 s, while v1 still has its pods (600 s delay).
        w.kernel.schedule(200_000, 0, 'revert to v1', () => {
          w.rollout.updateSpec({ template: v1 });
          w.controller.enqueue();
        });
      },
    },
  );

  it('skips the pause and the post-promotion analysis, renumbers v1 to revision 3 and promotes at once', () => {
    expect(events(r, 200_000).map((e) => [e.t, e.reason, e.message])).toEqual([
      [200_000, 'RolloutUpdated', 'Rollout updated to revision 3'],
      [200_000, 'SwitchService', `Switched selector for service 'demo-preview' from '${NEW_HASH}' to '${OLD_HASH}'`],
      [200_000, 'RolloutNotCompleted', `Rollout not completed, started update to revision 3 (${OLD_HASH})`],
      [200_000, 'SwitchService', `Switched selector for service 'demo-active' from '${NEW_HASH}' to '${OLD_HASH}'`],
      [200_000, 'RolloutCompleted', `Rollout completed update to revision 3 (${OLD_HASH}): Rollback to '${OLD}' within scaleDownDelay`],
    ]);
    expect(r.analysisRuns.map((a) => a.name)).toEqual([`${NEW}-2-post`]);
    expect(r.finalStatus).toEqual({ phase: 'Healthy', message: '' });
  });
});
