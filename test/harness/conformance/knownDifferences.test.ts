// Known differences are narrow: each explains one understood divergence seen on a real cluster and
// nothing else. Built from hand-made traces through the real diff, as `rehearse conform` does.
import { describe, expect, it } from 'vitest';
import { diffTraces } from '../../../harness/conformance/diff.js';
import { classifyDivergences } from '../../../harness/conformance/knownDifferences.js';
import type { NormalisedTrace } from '../../../harness/conformance/normalise.js';

const FAILED = "Background Analysis Run 'web-rev2-2' Status New: 'Failed' Previous: ''";
const trace = (side: 'simulated' | 'real', events: [number, string, string][]): NormalisedTrace => ({
  side,
  changeAt: 0,
  outcome: 'aborted',
  decisions: [],
  events: events.map(([t, reason, message]) => ({ t, object: 'Rollout/web', reason, message })),
  analysisRuns: [],
  routerWeights: [],
  revisions: {},
});
const classify = (sim: NormalisedTrace, real: NormalisedTrace) => {
  const c = classifyDivergences(diffTraces(sim, real).divergences);
  return { known: c.known.map((k) => `${k.id}: ${k.divergence.kind}`), unexplained: c.unexplained.map((d) => d.kind) };
};

// background-analysis-bad on a local cluster: the run fails on its first measurement; the simulator
// sees it in the reconcile that resumed and scaled, the real controller 0.56 s later — twice.
const simulated = trace('simulated', [
  [13_001, 'RolloutResumed', 'Rollout is resumed'],
  [13_001, 'AnalysisRunFailed', FAILED],
  [13_001, 'ScalingReplicaSet', 'Scaled up ReplicaSet web-rev2 (revision 2) from 1 to 2'],
]);

describe('known differences', () => {
  it('an AnalysisRun phase seen one round trip later, and repeated from a stale informer cache', () => {
    const real = trace('real', [
      [13_020, 'RolloutResumed', 'Rollout is resumed'],
      [13_030, 'ScalingReplicaSet', 'Scaled up ReplicaSet web-rev2 (revision 2) from 1 to 2'],
      [13_565, 'AnalysisRunFailed', FAILED],
      [13_616, 'AnalysisRunFailed', FAILED],
    ]);
    expect(classify(simulated, real)).toEqual({ known: ['analysis-phase-seen-later: reordered', 'stale-cache-repeated-event: extra'], unexplained: [] });
  });

  it('not when the real controller sees the phase more than 2 s later, or earlier', () => {
    const late = trace('real', [
      [13_020, 'RolloutResumed', 'Rollout is resumed'],
      [13_030, 'ScalingReplicaSet', 'Scaled up ReplicaSet web-rev2 (revision 2) from 1 to 2'],
      [15_500, 'AnalysisRunFailed', FAILED],
    ]);
    expect(classify(simulated, late).unexplained).toContain('reordered');
    const otherEvent = trace('real', [
      [13_020, 'ScalingReplicaSet', 'Scaled up ReplicaSet web-rev2 (revision 2) from 1 to 2'],
      [13_030, 'RolloutResumed', 'Rollout is resumed'],
      [13_040, 'AnalysisRunFailed', FAILED],
    ]);
    expect(classify(simulated, otherEvent).unexplained).toContain('reordered');
  });

  it('an extra event is a stale-cache repeat only right after the same event', () => {
    const extra = trace('real', [
      [13_020, 'RolloutResumed', 'Rollout is resumed'],
      [13_025, 'AnalysisRunFailed', FAILED],
      [13_030, 'ScalingReplicaSet', 'Scaled up ReplicaSet web-rev2 (revision 2) from 1 to 2'],
      [13_040, 'RolloutAborted', 'Rollout aborted update to revision 2'],
    ]);
    expect(classify(simulated, extra)).toEqual({ known: [], unexplained: ['extra'] });
  });
});

describe('a scale-down the real controller makes later after a no-op scale-up from its cache', () => {
  const sim = trace('simulated', [
    [15_000, 'ScalingReplicaSet', 'Scaled up ReplicaSet web-rev1 (revision 1) from 3 to 4'],
    [15_000, 'RolloutAborted', 'Rollout aborted update to revision 2'],
    [15_000, 'ScalingReplicaSet', 'Scaled down ReplicaSet web-rev2 (revision 2) from 1 to 0'],
  ]);
  const realWith = (scaleDownAt: number) =>
    trace('real', [
      [15_005, 'ScalingReplicaSet', 'Scaled up ReplicaSet web-rev1 (revision 1) from 3 to 4'],
      [15_005, 'RolloutAborted', 'Rollout aborted update to revision 2'],
      [scaleDownAt, 'ScalingReplicaSet', 'Scaled down ReplicaSet web-rev2 (revision 2) from 1 to 0'],
    ]);

  it('is known when it follows a scale-up at the same simulated time and is at most 10 s late', () => {
    // abort-then-retry on a local cluster: 3.921 s late.
    expect(classify(sim, realWith(18_921))).toEqual({ known: ['stale-cache-scale-down-later: timing'], unexplained: [] });
    expect(classify(sim, realWith(26_000)).unexplained).toEqual(['timing']);
  });

  it('is not known for a scale-down with no scale-up before it', () => {
    const alone = trace('simulated', [
      [15_000, 'RolloutAborted', 'Rollout aborted update to revision 2'],
      [15_000, 'ScalingReplicaSet', 'Scaled down ReplicaSet web-rev2 (revision 2) from 1 to 0'],
    ]);
    const real = trace('real', [
      [15_005, 'RolloutAborted', 'Rollout aborted update to revision 2'],
      [18_921, 'ScalingReplicaSet', 'Scaled down ReplicaSet web-rev2 (revision 2) from 1 to 0'],
    ]);
    expect(classify(alone, real).unexplained).toEqual(['timing']);
  });
});
