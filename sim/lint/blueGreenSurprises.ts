// Known surprises of a blue-green Rollout (semantics digest §10.11, §10.19), each one reproduced
// by the blue-green model (test/lint/surprises.test.ts runs the manifests to show it):
// - `bluegreen-scale-down-delay-zero`: scaleDownDelaySeconds 0 never scales the old ReplicaSet
//   down (rollout/replicaset.go addScaleDownDelay removes the annotation for 0, scaleDownDelayHelper
//   then finds no deadline and sets one again; argo-rollouts#1992).
// - `bluegreen-retry-after-prepromotion-abort`: with prePromotionAnalysis and a non-zero
//   abortScaleDownDelaySeconds (default 30), the aborted ReplicaSet keeps its scale-down-deadline
//   annotation; on retry rollout/analysis.go reconcileAnalysisRuns reads it as a rollback into the
//   scale-down delay and skips analysis, which clears status.abortedAt, so needsNewAnalysisRun no
//   longer starts a run and the failed one aborts the rollout again (argo-rollouts#2824, #841).
// - `bluegreen-rollback-window-stuck`: rollbackWindow with a controller-managed pause or a
//   pre-promotion analysis: syncRolloutStatusBlueGreen clears the pause it just added and
//   reconcileAnalysisRuns skips the analysis, so the active Service never switches for a rollback
//   within the window (argo-rollouts#3304).
import type { Rollout } from '../manifests/types.js';
import { getBlueGreenAbortScaleDownDelaySecondsOrDefault } from '../rollouts/defaults.js';
import { ISSUES, surprise, type Surprise } from './surprises.js';

export function blueGreenSurprises(r: Rollout): Surprise[] {
  const bg = r.spec.strategy.blueGreen;
  if (!bg) return [];
  const out: Surprise[] = [];
  const name = r.metadata.name;
  if (bg.scaleDownDelaySeconds === 0) {
    out.push(
      surprise(
        'bluegreen-scale-down-delay-zero',
        r.position,
        'spec.strategy.blueGreen.scaleDownDelaySeconds',
        `Rollout ${name}: scaleDownDelaySeconds: 0 does not mean "scale down at once" — after the active Service switches, the previous ReplicaSet keeps all its pods until a later update pushes it past scaleDownDelayRevisionLimit`,
        `${ISSUES}1992`,
      ),
    );
  }
  if (bg.prePromotionAnalysis !== undefined && getBlueGreenAbortScaleDownDelaySecondsOrDefault(bg.abortScaleDownDelaySeconds).delaySeconds !== undefined) {
    out.push(
      surprise(
        'bluegreen-retry-after-prepromotion-abort',
        r.position,
        'spec.strategy.blueGreen.prePromotionAnalysis',
        `Rollout ${name}: once the pre-promotion analysis fails, \`kubectl argo rollouts retry\` aborts again at once without starting a new analysis — the aborted ReplicaSet still carries its abortScaleDownDelaySeconds deadline, which the controller reads as a rollback and skips the analysis; with abortScaleDownDelaySeconds: 0 a retry starts a new run`,
        `${ISSUES}2824`,
      ),
    );
  }
  const controllerPause = bg.autoPromotionEnabled === false || bg.autoPromotionSeconds > 0;
  if ((r.spec.rollbackWindow?.revisions ?? 0) > 0 && (controllerPause || bg.prePromotionAnalysis !== undefined)) {
    const why = bg.prePromotionAnalysis !== undefined ? 'its pre-promotion analysis is skipped but still required' : 'the pause it adds is cleared in the same reconcile, so no promote can end it';
    out.push(
      surprise(
        'bluegreen-rollback-window-stuck',
        r.position,
        'spec.rollbackWindow',
        `Rollout ${name}: a rollback within rollbackWindow gets stuck before the active Service switches — ${why}; \`promote --full\` finishes it`,
        `${ISSUES}3304`,
      ),
    );
  }
  return out;
}
