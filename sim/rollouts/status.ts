// Rollout status, conditions and phase, mirroring `RolloutStatus` in
// argo-rollouts pkg/apis/rollouts/v1alpha1/types.go and the helpers of utils/conditions and
// utils/rollout/rolloututil.go (v1.9.1). Times are virtual milliseconds, always whole seconds
// where upstream serialises metav1.Time (RFC3339 drops sub-second precision, and the controller
// reads its own status back from the informer).

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface RolloutCondition {
  readonly type: 'Progressing' | 'Available' | 'Paused' | 'Healthy' | 'Completed' | 'InvalidSpec' | 'ReplicaFailure';
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly lastUpdateTime: number;
  readonly lastTransitionTime: number;
}

export type PauseReason = 'CanaryPauseStep' | 'InconclusiveAnalysisRun' | 'BlueGreenPause' | 'InconclusiveExperiment';

export interface PauseCondition {
  readonly reason: PauseReason;
  readonly startTime: number;
}

export interface RolloutAnalysisRunStatus {
  readonly name: string;
  readonly status: string;
  readonly message: string;
}

export interface WeightDestination {
  readonly weight: number;
  readonly podTemplateHash: string;
  readonly serviceName: string;
}

export interface TrafficWeights {
  readonly canary: WeightDestination;
  readonly stable: WeightDestination;
  /** Experiment destinations (`additional`), present only while an experiment step routes to them. */
  readonly additional?: readonly WeightDestination[];
  readonly verified?: boolean;
}

/** `BlueGreenStatus` (types.go): selectors read back from the Services, the preview latch, the current runs. */
export interface BlueGreenStatus {
  activeSelector: string;
  previewSelector: string;
  scaleUpPreviewCheckPoint: boolean;
  prePromotionAnalysisRunStatus: RolloutAnalysisRunStatus | undefined;
  postPromotionAnalysisRunStatus: RolloutAnalysisRunStatus | undefined;
}

export function emptyBlueGreenStatus(): BlueGreenStatus {
  return { activeSelector: '', previewSelector: '', scaleUpPreviewCheckPoint: false, prePromotionAnalysisRunStatus: undefined, postPromotionAnalysisRunStatus: undefined };
}

export type RolloutPhase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';

export interface RolloutStatus {
  observedGeneration: string;
  phase: RolloutPhase | '';
  message: string;
  currentStepIndex: number | undefined;
  currentStepHash: string;
  currentPodHash: string;
  stableRS: string;
  pauseConditions: PauseCondition[];
  controllerPause: boolean;
  abort: boolean;
  abortedAt: number | undefined;
  promoteFull: boolean;
  /** The spec.restartAt the controller last finished restarting pods for (virtual ms). */
  restartedAt?: number | undefined;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  canary: {
    weights: TrafficWeights | undefined;
    currentStepAnalysisRunStatus: RolloutAnalysisRunStatus | undefined;
    currentBackgroundAnalysisRunStatus: RolloutAnalysisRunStatus | undefined;
    /** `status.canary.currentExperiment` (experiment steps; sim/rollouts/experimentStep.ts). */
    currentExperiment?: string | undefined;
  };
  conditions: RolloutCondition[];
  /** Blue-green only; undefined for a canary (so canary statuses and traces are unchanged). */
  blueGreen?: BlueGreenStatus;
}

export function emptyRolloutStatus(): RolloutStatus {
  return {
    observedGeneration: '',
    phase: '',
    message: '',
    currentStepIndex: undefined,
    currentStepHash: '',
    currentPodHash: '',
    stableRS: '',
    pauseConditions: [],
    controllerPause: false,
    abort: false,
    abortedAt: undefined,
    promoteFull: false,
    replicas: 0,
    updatedReplicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    canary: { weights: undefined, currentStepAnalysisRunStatus: undefined, currentBackgroundAnalysisRunStatus: undefined },
    conditions: [],
  };
}

/**
 * A copy whose containers may be changed independently. Conditions, pause conditions and weights
 * are immutable values (replaced, never edited in place), so copying the arrays is enough.
 */
export function cloneStatus(s: RolloutStatus): RolloutStatus {
  const copy = { ...s, pauseConditions: [...s.pauseConditions], conditions: [...s.conditions], canary: { ...s.canary } };
  if (s.blueGreen) copy.blueGreen = { ...s.blueGreen };
  return copy;
}

/** metav1.Time as the controller reads it back: whole seconds. */
export function metaNow(nowMs: number): number {
  return Math.floor(nowMs / 1000) * 1000;
}

export function getRolloutCondition(status: RolloutStatus, type: RolloutCondition['type']): RolloutCondition | undefined {
  return status.conditions.find((c) => c.type === type);
}

export function newRolloutCondition(
  type: RolloutCondition['type'],
  status: ConditionStatus,
  reason: string,
  message: string,
  nowMs: number,
): RolloutCondition {
  const t = metaNow(nowMs);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

/**
 * `conditions.SetRolloutCondition`: no-op (returns false) when status and reason are unchanged;
 * keeps lastTransitionTime when only the reason changes; the condition moves to the end.
 */
export function setRolloutCondition(status: RolloutStatus, condition: RolloutCondition): boolean {
  const current = getRolloutCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return false;
  let next = condition;
  if (current && current.status === condition.status) next = { ...condition, lastTransitionTime: current.lastTransitionTime };
  status.conditions = [...status.conditions.filter((c) => c.type !== condition.type), next];
  return true;
}

export function removeRolloutCondition(status: RolloutStatus, type: RolloutCondition['type']): void {
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/**
 * `rolloututil.CalculateRolloutPhase` for the canary strategy: the first rule that matches wins
 * (semantics digest §1.4).
 */
export function calculateRolloutPhase(
  spec: { readonly replicas: number; readonly paused: boolean; readonly basicCanary: boolean; readonly restartAt?: number | undefined },
  status: RolloutStatus,
): { phase: RolloutPhase; message: string } {
  for (const c of status.conditions) {
    if (c.type === 'InvalidSpec') return { phase: 'Degraded', message: `InvalidSpec: ${c.message}` };
    if (c.reason === 'RolloutAborted' || c.reason === 'ProgressDeadlineExceeded') {
      return { phase: 'Degraded', message: `${c.reason}: ${c.message}` };
    }
  }
  if (spec.paused) return { phase: 'Paused', message: 'manually paused' };
  if (status.pauseConditions.length > 0) return { phase: 'Paused', message: status.pauseConditions[0]!.reason };
  if (spec.restartAt !== undefined && spec.restartAt !== status.restartedAt) return { phase: 'Progressing', message: 'rollout is restarting' };
  if (status.updatedReplicas < spec.replicas) return { phase: 'Progressing', message: 'more replicas need to be updated' };
  if (status.availableReplicas < status.updatedReplicas) {
    return { phase: 'Progressing', message: 'updated replicas are still becoming available' };
  }
  if (spec.basicCanary && status.replicas > status.updatedReplicas) {
    return { phase: 'Progressing', message: 'old replicas are pending termination' };
  }
  if (status.stableRS === '' || status.stableRS !== status.currentPodHash) {
    return { phase: 'Progressing', message: 'waiting for all steps to complete' };
  }
  return { phase: 'Healthy', message: '' };
}

/**
 * The strategy-independent part of `conditions.RolloutProgressing` (utils/conditions/conditions.go):
 * a replica count moved forward. Each strategy ORs in its own progress (steps or selectors).
 */
export function replicasProgressing(old: RolloutStatus, next: RolloutStatus): boolean {
  return (
    next.updatedReplicas !== old.updatedReplicas ||
    next.replicas - next.updatedReplicas < old.replicas - old.updatedReplicas ||
    next.readyReplicas > old.readyReplicas ||
    next.availableReplicas > old.availableReplicas
  );
}

/** `rolloututil.IsFullyPromoted`. */
export function isFullyPromoted(status: RolloutStatus): boolean {
  return status.stableRS !== '' && status.stableRS === status.currentPodHash;
}
