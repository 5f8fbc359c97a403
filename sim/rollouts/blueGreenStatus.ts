// Blue-green variants of the status helpers in status.ts, mirroring argo-rollouts v1.9.1:
// utils/rollout/rolloututil.go CalculateRolloutPhase (blue-green branch),
// utils/conditions/conditions.go RolloutHealthy and RolloutProgressing (blue-green branches).
// Pure functions of spec values and statuses, so they can be tested with worked examples.
import { emptyBlueGreenStatus, isFullyPromoted, replicasProgressing, type BlueGreenStatus, type RolloutPhase, type RolloutStatus } from './status.js';

/** What the blue-green status helpers read from the spec. */
export interface BlueGreenSpecView {
  readonly replicas: number;
  readonly paused: boolean;
  readonly hasPreviewService: boolean;
  readonly hasPostPromotionAnalysis: boolean;
  /** spec.restartAt (virtual ms), undefined when unset. */
  readonly restartAt?: number | undefined;
}

export function blueGreenOf(status: RolloutStatus): BlueGreenStatus {
  return status.blueGreen ?? emptyBlueGreenStatus();
}

const COMPLETED_AR_PHASES = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

/**
 * `CalculateRolloutPhase` for a blue-green Rollout: the first rule that matches wins (semantics
 * digest §1.4, rule 7 is the blue-green one).
 */
export function calculateBlueGreenRolloutPhase(spec: BlueGreenSpecView, status: RolloutStatus): { phase: RolloutPhase; message: string } {
  for (const c of status.conditions) {
    if (c.type === 'InvalidSpec') return { phase: 'Degraded', message: `InvalidSpec: ${c.message}` };
    if (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded') return { phase: 'Degraded', message: `${c.reason}: ${c.message}` };
  }
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  if (status.pauseConditions.length > 0) return { phase: 'Paused', message: status.pauseConditions[0]!.reason };
  if (spec.restartAt !== undefined && spec.restartAt !== status.restartedAt) return { phase: 'Progressing', message: 'rollout is restarting' };
  if (status.updatedReplicas < spec.replicas) return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if (status.availableReplicas < status.updatedReplicas) return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  const bg = blueGreenOf(status);
  if (bg.activeSelector === '' || bg.activeSelector !== status.currentPodHash) return { phase: 'Progressing', message: 'active service cutover pending' };
  if (status.stableRS === '' || !isFullyPromoted(status)) {
    // rolloututil.go waitingForBlueGreenPostPromotionAnalysis
    const post = bg.postPromotionAnalysisRunStatus;
    if (spec.hasPostPromotionAnalysis && (post === undefined || !COMPLETED_AR_PHASES.has(post.status))) {
      return { phase: 'Progressing', message: 'waiting for analysis to complete' };
    }
    return { phase: 'Progressing', message: 'waiting for post-promotion verification to complete' };
  }
  return { phase: 'Healthy', message: '' };
}

/**
 * `conditions.RolloutHealthy` for blue-green: every replica updated and available, the generation
 * observed, and the active (and preview, when there is one) selector on the current pod hash.
 */
export function blueGreenRolloutHealthy(spec: BlueGreenSpecView, observedGeneration: string, generation: number, newStatus: RolloutStatus): boolean {
  const bg = blueGreenOf(newStatus);
  const activeComplete = bg.activeSelector === newStatus.currentPodHash;
  const previewComplete = !spec.hasPreviewService || bg.previewSelector === newStatus.currentPodHash;
  return (
    newStatus.updatedReplicas === spec.replicas &&
    newStatus.availableReplicas === spec.replicas &&
    observedGeneration === String(generation) &&
    activeComplete &&
    previewComplete
  );
}

/**
 * `conditions.RolloutProgressing` for blue-green: replica progress, or a change of the active or
 * preview selector.
 */
export function blueGreenRolloutProgressing(old: RolloutStatus, next: RolloutStatus): boolean {
  const a = blueGreenOf(old);
  const b = blueGreenOf(next);
  const selectorChange = a.activeSelector !== b.activeSelector || a.previewSelector !== b.previewSelector;
  return replicasProgressing(old, next) || selectorChange;
}
