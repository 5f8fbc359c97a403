// Pure canary replica arithmetic of Argo Rollouts v1.9.1, over plain data.
//
// Every exported function keeps the name of the Go function it mirrors (lower-camel-cased) so the
// two can be read side by side; each cites its upstream file and function. Sources:
//   utils/replicaset/canary.go      — canary counts, weights, step-completion replica check
//   utils/replicaset/replicaset.go  — MaxSurge, MaxUnavailable, resolveFenceposts, RS sums
//   rollout/replicaset.go, rollout/canary.go — old-RS scale-down (cleanupUnhealthyReplicas,
//                                     scaleDownOldReplicaSetsForCanary, reconcileOtherReplicaSets)
//   rollout/trafficrouting.go       — the weight reconcileTrafficRouting chooses
//   utils/rollout/rolloututil.go    — IsFullyPromoted, IsDynamicallyRollingBackToStable
// Go int32 arithmetic is kept where it shows: integer division truncates (`goDiv`) and the
// int32 products of approximateWeightedCanaryStableReplicaCounts wrap (`Math.imul`).
// A nil *ReplicaSet is `undefined`. Nothing here reads a clock or randomness.

import type { IntOrString } from '../manifests/types.js';
import { getValueFromIntOrPercent } from '../manifests/intOrPercent.js';
import {
  DefaultMaxTrafficWeight,
  getAbortScaleDownDelaySecondsOrDefault,
  getMaxSurgeOrDefault,
  getMaxTrafficWeightOrDefault,
  getMaxUnavailableOrDefault,
  getReplicasOrDefault,
} from './defaults.js';

// ---------------------------------------------------------------------------------------------
// Plain-data views

/** The part of an apps/v1 ReplicaSet the replica math reads. */
export interface ReplicaSetCounts {
  readonly name: string;
  /** spec.replicas */
  readonly specReplicas: number;
  /** status.replicas (pods created, ready or not) */
  readonly statusReplicas: number;
  /** status.availableReplicas */
  readonly availableReplicas: number;
}

/** An "other" ReplicaSet as the old-RS scale-down orders them. */
export interface OldReplicaSetCounts extends ReplicaSetCounts {
  /** The rollout.argoproj.io/revision annotation. */
  readonly revision: number;
  /** metadata.creationTimestamp, any monotonic unit (virtual seconds in rehearse). */
  readonly creationTimestamp: number;
}

/** v1alpha1.SetCanaryScale. */
export interface SetCanaryScale {
  readonly replicas?: number | undefined;
  readonly weight?: number | undefined;
  readonly matchTrafficWeight?: boolean | undefined;
}

/**
 * The step shape the math needs. sim/manifests/types.ts `CanaryStep` is assignable to it; the
 * `setCanaryScale` variant exists so upstream's cases can be run (rehearse's loader does not yet
 * produce it). Upstream's tests sometimes put setWeight and setCanaryScale in ONE step (which
 * validation would reject); ports split them into two consecutive steps, which every function here
 * treats identically because all of them scan backwards from the current index.
 */
export type ReplicaMathStep =
  | { readonly kind: 'setWeight'; readonly setWeight: number }
  | { readonly kind: 'setCanaryScale'; readonly setCanaryScale: SetCanaryScale }
  | { readonly kind: 'pause' | 'analysis' | 'experiment' | 'setHeaderRoute' | 'setMirrorRoute' | 'plugin' };

/** v1alpha1.ReplicaProgressThreshold (`Percent` = v1alpha1.ProgressTypePercentage). */
export interface ReplicaProgressThreshold {
  /** Upstream compares with "Percent"; any other type counts pods. */
  readonly type: 'Percent' | 'Pods' | string;
  readonly value: number;
}

/** v1alpha1.TrafficWeights, the part that matters (status.canary.weights). */
export interface TrafficWeightsView {
  readonly canary: { readonly weight: number; readonly podTemplateHash?: string | undefined };
  readonly stable: { readonly weight: number; readonly podTemplateHash?: string | undefined };
}

/**
 * What the canary replica math reads from a Rollout: spec values as written (defaults applied
 * here, via sim/rollouts/defaults.ts) and the status fields, named as in the Go.
 */
export interface CanaryRolloutView {
  // spec
  readonly replicas: number | undefined;
  readonly maxSurge: IntOrString | undefined;
  readonly maxUnavailable: IntOrString | undefined;
  readonly steps: readonly ReplicaMathStep[] | undefined;
  /** undefined = basic canary. */
  readonly trafficRouting?: { readonly maxTrafficWeight: number | undefined } | undefined;
  readonly dynamicStableScale?: boolean | undefined;
  readonly minPodsPerReplicaSet?: number | undefined;
  readonly abortScaleDownDelaySeconds?: number | undefined;
  readonly replicaProgressThreshold?: ReplicaProgressThreshold | undefined;
  // status
  readonly currentStepIndex: number | undefined;
  readonly abort: boolean;
  readonly promoteFull: boolean;
  /** status.stableRS (pod-template hash; '' = none recorded). */
  readonly stableRS: string;
  readonly currentPodHash: string;
  /** status.canary.weights as persisted (only reconcileTrafficRouting's rule reads it here). */
  readonly weights?: TrafficWeightsView | undefined;
}

/** Two counts, named like upstream's return values. */
export interface ReplicaCounts {
  readonly newRSReplicaCount: number;
  readonly stableRSReplicaCount: number;
}

// ---------------------------------------------------------------------------------------------
// Small Go-arithmetic helpers

/** Go integer division (truncates toward zero; division by zero panics). */
function goDiv(a: number, b: number): number {
  if (b === 0) throw new Error('integer divide by zero (a Go panic in the controller)');
  return Math.trunc(a / b);
}

function maxTrafficWeight(rollout: CanaryRolloutView): number {
  return getMaxTrafficWeightOrDefault(rollout.trafficRouting);
}

// ---------------------------------------------------------------------------------------------
// utils/replicaset/replicaset.go

export type FencepostResult =
  | { readonly ok: true; readonly surge: number; readonly unavailable: number }
  | { readonly ok: false; readonly error: string };

/**
 * replicaset.go `resolveFenceposts`: surge rounds up, unavailable rounds down (both through the
 * legacy `GetValueFromIntOrPercent`, where any string is a percentage); nil counts as int 0; if
 * both resolve to 0, unavailable becomes 1. No cap here (MaxUnavailable caps).
 */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): FencepostResult {
  // Pure and called many times per reconcile with the same few arguments: memoised without
  // building a key string (this sits on the hot path of every simulated reconcile).
  let bySurge = fencepostCache.get(maxSurge);
  if (bySurge === undefined) {
    bySurge = new Map();
    fencepostCache.set(maxSurge, bySurge);
  }
  let byUnavailable = bySurge.get(maxUnavailable);
  if (byUnavailable === undefined) {
    byUnavailable = new Map();
    bySurge.set(maxUnavailable, byUnavailable);
  }
  let r = byUnavailable.get(desired);
  if (r === undefined) {
    if (byUnavailable.size > 1024) byUnavailable.clear();
    r = computeFenceposts(maxSurge, maxUnavailable, desired);
    byUnavailable.set(desired, r);
  }
  return r;
}

/** maxSurge → maxUnavailable → replicas → result (IntOrString values are compared by identity: 25 ≠ "25"). */
const fencepostCache = new Map<IntOrString | undefined, Map<IntOrString | undefined, Map<number, FencepostResult>>>();

function computeFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): FencepostResult {
  const surge = getValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  if (!surge.ok) return { ok: false, error: surge.error };
  const unavailable = getValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (!unavailable.ok) return { ok: false, error: unavailable.error };
  if (surge.value === 0 && unavailable.value === 0) return { ok: true, surge: 0, unavailable: 1 };
  return { ok: true, surge: surge.value, unavailable: unavailable.value };
}

/**
 * replicaset.go `MaxSurge` (canary): resolved against spec.replicas (default 1) with the "25"
 * defaults. Needs maxUnavailable too: upstream resolves both at once and, on a parse error in
 * EITHER, ignores the error and gets 0 ("Error caught by validation").
 */
export function maxSurge(replicas: number | undefined, maxSurgeValue: IntOrString | undefined, maxUnavailableValue: IntOrString | undefined): number {
  const r = resolveFenceposts(getMaxSurgeOrDefault(maxSurgeValue), getMaxUnavailableOrDefault(maxUnavailableValue), getReplicasOrDefault(replicas));
  return r.ok ? r.surge : 0;
}

/**
 * replicaset.go `MaxUnavailable` (canary): 0 when replicas is 0; both-zero ⇒ 1 (resolveFenceposts);
 * capped at replicas; a parse error in either value gives 0. Note the argument order: its own value
 * first, then maxSurge — which is REQUIRED because surge 0 + unavailable 0 turns into 1.
 */
export function maxUnavailable(replicas: number | undefined, maxUnavailableValue: IntOrString | undefined, maxSurgeValue: IntOrString | undefined): number {
  const rolloutReplicas = getReplicasOrDefault(replicas);
  if (rolloutReplicas === 0) return 0;
  const r = resolveFenceposts(getMaxSurgeOrDefault(maxSurgeValue), getMaxUnavailableOrDefault(maxUnavailableValue), rolloutReplicas);
  const value = r.ok ? r.unavailable : 0;
  return value > rolloutReplicas ? rolloutReplicas : value;
}

/** replicaset.go `GetReplicaCountForReplicaSets`: Σ spec.replicas (nil entries skipped). */
export function getReplicaCountForReplicaSets(replicaSets: readonly (ReplicaSetCounts | undefined)[]): number {
  let total = 0;
  for (const rs of replicaSets) if (rs !== undefined) total += rs.specReplicas;
  return total;
}

/** replicaset.go `GetAvailableReplicaCountForReplicaSets`: Σ status.availableReplicas. */
export function getAvailableReplicaCountForReplicaSets(replicaSets: readonly (ReplicaSetCounts | undefined)[]): number {
  let total = 0;
  for (const rs of replicaSets) if (rs !== undefined) total += rs.availableReplicas;
  return total;
}

/** k8s controller_utils.go `FilterActiveReplicaSets`: spec.replicas > 0. */
export function filterActiveReplicaSets<T extends ReplicaSetCounts>(replicaSets: readonly T[]): T[] {
  return replicaSets.filter((rs) => rs.specReplicas > 0);
}

// ---------------------------------------------------------------------------------------------
// utils/replicaset/canary.go — steps and weights

/**
 * canary.go `GetCurrentCanaryStep`: no steps ⇒ both undefined; index = status index (nil ⇒ 0);
 * index past the end ⇒ step undefined, index kept.
 */
export function getCurrentCanaryStep(
  steps: readonly ReplicaMathStep[] | undefined,
  currentStepIndex: number | undefined,
): { readonly step: ReplicaMathStep | undefined; readonly index: number | undefined } {
  if (steps === undefined || steps.length === 0) return { step: undefined, index: undefined };
  const index = currentStepIndex ?? 0;
  return { step: steps[index], index };
}

/**
 * canary.go `GetCurrentSetWeight`: aborted ⇒ 0; no current step (no steps, or index past the end)
 * ⇒ maxWeight; else the nearest setWeight at or before the index, 0 if none.
 */
export function getCurrentSetWeight(
  steps: readonly ReplicaMathStep[] | undefined,
  currentStepIndex: number | undefined,
  aborted: boolean,
  maxWeight: number,
): number {
  if (aborted) return 0;
  const { step, index } = getCurrentCanaryStep(steps, currentStepIndex);
  if (step === undefined || index === undefined || steps === undefined) return maxWeight;
  for (let i = index; i >= 0; i--) {
    const s = steps[i];
    if (s !== undefined && s.kind === 'setWeight') return s.setWeight;
  }
  return 0;
}

/**
 * canary.go `UseSetCanaryScale`: only with trafficRouting; ignored while aborted unless
 * abortScaleDownDelaySeconds is 0; scanning backwards from the current step, the first
 * setCanaryScale wins, and a matchTrafficWeight one found first cancels it.
 */
export function useSetCanaryScale(rollout: CanaryRolloutView): SetCanaryScale | undefined {
  if (rollout.trafficRouting === undefined) return undefined;
  if (rollout.abort) {
    const abortDelay = getAbortScaleDownDelaySecondsOrDefault({
      trafficRouted: true,
      abortScaleDownDelaySeconds: rollout.abortScaleDownDelaySeconds,
    });
    if (abortDelay.delaySeconds !== undefined) return undefined;
  }
  const { step, index } = getCurrentCanaryStep(rollout.steps, rollout.currentStepIndex);
  if (step === undefined || index === undefined || rollout.steps === undefined) return undefined;
  for (let i = index; i >= 0; i--) {
    const s = rollout.steps[i];
    if (s === undefined || s.kind !== 'setCanaryScale') continue;
    if (s.setCanaryScale.matchTrafficWeight === true) return undefined;
    return s.setCanaryScale;
  }
  return undefined;
}

/** canary.go `trafficWeightToReplicas`: ceil(weight * replicas / maxWeight) in float64. */
export function trafficWeightToReplicas(replicas: number, weight: number, maxWeight: number): number {
  return Math.ceil((weight * replicas) / maxWeight);
}

/**
 * canary.go `GetDesiredCanaryWeight`: `GetCurrentSetWeight`, except when aborted with
 * dynamicStableScale (and both RSs present): walk setWeight steps from the last one backwards and
 * return the first whose replica count is below max(R − stable.available, new.available), else 0,
 * so the canary shrinks step by step as the stable becomes available.
 */
export function getDesiredCanaryWeight(
  rollout: CanaryRolloutView,
  newRS: ReplicaSetCounts | undefined,
  stableRS: ReplicaSetCounts | undefined,
): number {
  if (rollout.abort && rollout.dynamicStableScale === true && newRS !== undefined && stableRS !== undefined) {
    const maxWeight = maxTrafficWeight(rollout);
    const rolloutSpecReplica = getReplicasOrDefault(rollout.replicas);
    const expectedCanaryReplicas = rolloutSpecReplica - stableRS.availableReplicas;
    const canaryReplicas = Math.max(expectedCanaryReplicas, newRS.availableReplicas);
    const steps = rollout.steps ?? [];
    for (let i = steps.length - 1; i >= 0; i--) {
      const s = steps[i];
      if (s !== undefined && s.kind === 'setWeight') {
        if (trafficWeightToReplicas(rolloutSpecReplica, s.setWeight, maxWeight) < canaryReplicas) return s.setWeight;
      }
    }
    return 0;
  }
  return getCurrentSetWeight(rollout.steps, rollout.currentStepIndex, rollout.abort, maxTrafficWeight(rollout));
}

/** Result of `GetCanaryReplicasOrWeight`: explicit canary replicas (setCanaryScale.replicas) or undefined, and a weight. */
export interface CanaryReplicasOrWeight {
  readonly replicas: number | undefined;
  readonly weight: number;
}

/**
 * canary.go `GetCanaryReplicasOrWeight`: promoteFull, no stable recorded, or current == stable ⇒
 * maxWeight; else an in-effect setCanaryScale (replicas, else weight; one with neither falls
 * through); else `GetDesiredCanaryWeight`.
 */
export function getCanaryReplicasOrWeight(
  rollout: CanaryRolloutView,
  newRS: ReplicaSetCounts | undefined,
  stableRS: ReplicaSetCounts | undefined,
): CanaryReplicasOrWeight {
  if (rollout.promoteFull || rollout.stableRS === '' || rollout.currentPodHash === rollout.stableRS) {
    return { replicas: undefined, weight: maxTrafficWeight(rollout) };
  }
  const scs = useSetCanaryScale(rollout);
  if (scs !== undefined) {
    if (scs.replicas !== undefined) return { replicas: scs.replicas, weight: 0 };
    if (scs.weight !== undefined) return { replicas: undefined, weight: scs.weight };
  }
  return { replicas: undefined, weight: getDesiredCanaryWeight(rollout, newRS, stableRS) };
}

// ---------------------------------------------------------------------------------------------
// utils/replicaset/canary.go — replica counts

/** canary.go `CheckStableRSExists`: a stable RS exists and is not the new RS (compared by name). */
export function checkStableRSExists(newRS: ReplicaSetCounts | undefined, stableRS: ReplicaSetCounts | undefined): boolean {
  if (stableRS === undefined) return false;
  if (newRS === undefined) return true;
  return newRS.name !== stableRS.name;
}

/**
 * canary.go `GetReplicasForScaleDown`: what an RS contributes to the scale-down pool — spec if spec
 * is below available (extra pods are about to go), spec if availability may be ignored, else
 * available.
 */
export function getReplicasForScaleDown(rs: ReplicaSetCounts | undefined, ignoreAvailability: boolean): number {
  if (rs === undefined) return 0;
  if (rs.specReplicas < rs.availableReplicas) return rs.specReplicas;
  if (ignoreAvailability) return rs.specReplicas;
  return rs.availableReplicas;
}

/** canary.go `floorCeilingTied`: the fractional part of total*(weight/maxWeight) is exactly 0.5. */
function floorCeilingTied(desiredWeight: number, maxWeight: number, totalReplicas: number): boolean {
  const x = totalReplicas * (desiredWeight / maxWeight);
  return x - Math.trunc(x) === 0.5;
}

/** canary.go `weightDelta`: |canary*maxWeight/total − desired| (int32 product, float64 division). */
function weightDelta(desiredWeight: number, maxWeight: number, canaryReplicas: number, totalReplicas: number): number {
  return Math.abs(Math.imul(canaryReplicas, maxWeight) / totalReplicas - desiredWeight);
}

/**
 * canary.go `approximateWeightedCanaryStableReplicaCounts`: the (canary, stable) pair closest to
 * the weight among ceil/floor canary counts over R or (with surge) R+1 pods. A floor/ceil tie
 * drops the floor candidate; a zero canary is allowed only at weight 0 or max, or R=1 without
 * surge; the ceiling over R is dropped when it would take every pod (unless zero is allowed).
 * Candidates are tried in a fixed order and only a strictly smaller delta replaces the best.
 */
export function approximateWeightedCanaryStableReplicaCounts(
  specReplicas: number,
  desiredWeight: number,
  maxWeight: number,
  maxSurgeCount: number,
): ReplicaCounts {
  if (specReplicas === 0) return { newRSReplicaCount: 0, stableRSReplicaCount: 0 };
  const product = Math.imul(specReplicas, desiredWeight);
  const ceilCount = Math.ceil(product / maxWeight);
  const floorCount = Math.floor(product / maxWeight);
  const tied = floorCeilingTied(desiredWeight, maxWeight, specReplicas);
  const zeroAllowed = desiredWeight === maxWeight || desiredWeight === 0 || (specReplicas === 1 && maxSurgeCount === 0);

  const options: { canary: number; total: number }[] = [];
  if (ceilCount < specReplicas || zeroAllowed) options.push({ canary: ceilCount, total: specReplicas });
  if (!tied && (floorCount !== 0 || zeroAllowed)) options.push({ canary: floorCount, total: specReplicas });
  if (maxSurgeCount > 0) {
    options.push({ canary: ceilCount, total: specReplicas + 1 });
    const surgeIsTied = floorCeilingTied(desiredWeight, maxWeight, specReplicas + 1);
    if (!surgeIsTied && (floorCount !== 0 || zeroAllowed)) options.push({ canary: floorCount, total: specReplicas + 1 });
  }
  const first = options[0];
  if (first === undefined) return { newRSReplicaCount: 0, stableRSReplicaCount: specReplicas }; // upstream: "should not get here"
  let best = first;
  let bestDelta = weightDelta(desiredWeight, maxWeight, best.canary, best.total);
  for (const option of options.slice(1)) {
    const delta = weightDelta(desiredWeight, maxWeight, option.canary, option.total);
    if (delta < bestDelta) {
      best = option;
      bestDelta = delta;
    }
  }
  return { newRSReplicaCount: best.canary, stableRSReplicaCount: best.total - best.canary };
}

/** canary.go `calculateScaleDownReplicaCount`: shrink the drained RS by the budget, not below its target. */
function calculateScaleDownReplicaCount(
  drainRS: ReplicaSetCounts | undefined,
  desireRSReplicaCount: number,
  scaleDownCount: number,
  drainRSReplicaCount: number,
): number {
  if (drainRS !== undefined && drainRS.specReplicas > desireRSReplicaCount) {
    return Math.max(desireRSReplicaCount, drainRS.specReplicas - scaleDownCount);
  }
  return drainRSReplicaCount;
}

/**
 * canary.go `adjustReplicaWithinLimits`: trim the adjusted RS to fit under replicas+surge, give it
 * back whatever availability that trim would cost below minAvailable, then trim the drained RS
 * for any remaining excess. Returns [drain, adjust].
 */
function adjustReplicaWithinLimits(
  drainRS: ReplicaSetCounts | undefined,
  adjustRS: ReplicaSetCounts | undefined,
  drainCount: number,
  adjustCount: number,
  maxReplicaCountAllowed: number,
  minAvailableReplicaCount: number,
): [number, number] {
  let overTheLimit = Math.max(0, adjustCount + drainCount - maxReplicaCountAllowed);
  let totalAvailable = 0;
  if (drainRS !== undefined) totalAvailable += Math.min(drainRS.availableReplicas, drainCount);
  if (adjustRS !== undefined) {
    adjustCount -= overTheLimit;
    totalAvailable += Math.min(adjustRS.availableReplicas, adjustCount);
    const extraAvailableAdjustRS = Math.max(0, adjustRS.availableReplicas - adjustCount);
    const moreNeeded = Math.max(0, minAvailableReplicaCount - totalAvailable);
    adjustCount += Math.min(extraAvailableAdjustRS, moreNeeded);
    overTheLimit = Math.max(0, adjustCount + drainCount - maxReplicaCountAllowed);
    drainCount -= overTheLimit;
  }
  return [drainCount, adjustCount];
}

/**
 * Input of `calculateReplicaCountsForBasicCanary`: what the Go reads from its arguments. The weight
 * is the second result of `getCanaryReplicasOrWeight` (a basic canary has no setCanaryScale and
 * its max weight is always 100: weightutil.MaxTrafficWeight only reads trafficRouting).
 */
export interface BasicCanaryInput {
  /** spec.replicas (nil ⇒ 1). */
  readonly replicas: number | undefined;
  readonly maxSurge: IntOrString | undefined;
  readonly maxUnavailable: IntOrString | undefined;
  readonly desiredWeight: number;
  readonly newRS: ReplicaSetCounts | undefined;
  readonly stableRS: ReplicaSetCounts | undefined;
  /** Every RS that is neither new nor stable (`GetOtherRSs`), including ones at 0. */
  readonly otherRSs: readonly (ReplicaSetCounts | undefined)[];
}

/**
 * canary.go `CalculateReplicaCountsForBasicCanary`: the counts the new and stable RS should be
 * scaled to in THIS reconcile (the caller applies at most one of them: stable, then new).
 * Target from `approximateWeightedCanaryStableReplicaCounts` (or all-new when no distinct stable
 * RS); scale up within replicas+maxSurge, stable first; if other RSs still have replicas stop
 * there; else scale down within replicas−maxUnavailable, shrinking stable when the canary is
 * growing and the canary when it is shrinking, then re-balance (adjustReplicaWithinLimits).
 */
export function calculateReplicaCountsForBasicCanary(input: BasicCanaryInput): ReplicaCounts {
  const { newRS, stableRS, otherRSs, desiredWeight } = input;
  const rolloutSpecReplica = getReplicasOrDefault(input.replicas);
  const surge = maxSurge(input.replicas, input.maxSurge, input.maxUnavailable);

  const target = approximateWeightedCanaryStableReplicaCounts(rolloutSpecReplica, desiredWeight, DefaultMaxTrafficWeight, surge);
  let desiredNew = target.newRSReplicaCount;
  let desiredStable = target.stableRSReplicaCount;

  let stableCount = 0;
  let newCount = newRS !== undefined ? newRS.specReplicas : 0;

  const scaleStableRS = checkStableRSExists(newRS, stableRS);
  if (scaleStableRS && stableRS !== undefined) {
    stableCount = stableRS.specReplicas;
  } else {
    // No stable, or stable == new: no canary steps, the new RS goes to 100 %.
    desiredNew = rolloutSpecReplica;
    desiredStable = 0;
  }

  const maxReplicaCountAllowed = rolloutSpecReplica + surge;
  const allRSs = [...otherRSs, newRS];
  if (scaleStableRS) allRSs.push(stableRS);
  let scaleUpCount = maxReplicaCountAllowed - getReplicaCountForReplicaSets(allRSs);

  if (scaleStableRS && stableRS !== undefined && stableRS.specReplicas < desiredStable && scaleUpCount > 0) {
    if (stableRS.specReplicas + scaleUpCount < desiredStable) {
      stableCount = stableRS.specReplicas + scaleUpCount;
      scaleUpCount = 0;
    } else {
      stableCount = desiredStable;
      scaleUpCount -= desiredStable - stableRS.specReplicas;
    }
  }

  if (newRS !== undefined && newRS.specReplicas < desiredNew && scaleUpCount > 0) {
    newCount = newRS.specReplicas + scaleUpCount < desiredNew ? newRS.specReplicas + scaleUpCount : desiredNew;
  }

  if (getReplicaCountForReplicaSets(otherRSs) > 0) {
    // Other RSs are drained (reconcileOtherReplicaSets) before new/stable are shrunk.
    return { newRSReplicaCount: newCount, stableRSReplicaCount: stableCount };
  }

  const minAvailableReplicaCount = rolloutSpecReplica - maxUnavailable(input.replicas, input.maxUnavailable, input.maxSurge);
  // Growing canary: stable availability may be ignored; shrinking canary: canary availability may.
  const isIncreasing = newRS === undefined || desiredNew >= newRS.specReplicas;
  const replicasToScaleDown = getReplicasForScaleDown(newRS, !isIncreasing) + getReplicasForScaleDown(stableRS, isIncreasing);
  if (replicasToScaleDown <= minAvailableReplicaCount) {
    return { newRSReplicaCount: newCount, stableRSReplicaCount: stableCount };
  }

  const scaleDownCount = replicasToScaleDown - minAvailableReplicaCount;
  if (!isIncreasing) {
    newCount = calculateScaleDownReplicaCount(newRS, desiredNew, scaleDownCount, newCount);
    [newCount, stableCount] = adjustReplicaWithinLimits(newRS, stableRS, newCount, stableCount, maxReplicaCountAllowed, minAvailableReplicaCount);
  } else if (scaleStableRS) {
    stableCount = calculateScaleDownReplicaCount(stableRS, desiredStable, scaleDownCount, stableCount);
    [stableCount, newCount] = adjustReplicaWithinLimits(stableRS, newRS, stableCount, newCount, maxReplicaCountAllowed, minAvailableReplicaCount);
  }
  return { newRSReplicaCount: newCount, stableRSReplicaCount: stableCount };
}

/**
 * canary.go `CheckMinPodsPerReplicaSet` on the traffic-routed path (upstream also requires
 * trafficRouting, which its only callers have): a non-zero count is raised to the minimum.
 * (v1.9.1 does not cap it at replicas.)
 */
export function checkMinPodsPerReplicaSet(minPodsPerReplicaSet: number | undefined, count: number): number {
  if (count === 0) return count;
  if (minPodsPerReplicaSet === undefined) return count;
  return Math.max(count, minPodsPerReplicaSet);
}

/** status.canary.weights reduced to the two numbers the replica math reads. */
export interface CurrentWeights {
  readonly canary: number;
  readonly stable: number;
}

/**
 * Input of `calculateReplicaCountsForTrafficRoutedCanary`: the result of `getCanaryReplicasOrWeight`
 * plus the spec flags and status the Go reads.
 */
export interface TrafficRoutedCanaryInput {
  /** spec.replicas (nil ⇒ 1). */
  readonly replicas: number | undefined;
  /** Second result of `getCanaryReplicasOrWeight`. */
  readonly desiredWeight: number;
  /** First result of `getCanaryReplicasOrWeight` (setCanaryScale.replicas), if any. */
  readonly setCanaryScaleReplicas?: number | undefined;
  /** `MaxTrafficWeight`: trafficRouting.maxTrafficWeight or 100. */
  readonly maxWeight: number;
  readonly dynamicStableScale?: boolean | undefined;
  readonly minPodsPerReplicaSet?: number | undefined;
  /** status.abort (only read with dynamicStableScale). */
  readonly aborted?: boolean | undefined;
  /** Accepted for parity with the Go signature; upstream reads them only inside GetCanaryReplicasOrWeight. */
  readonly newRS?: ReplicaSetCounts | undefined;
  readonly stableRS?: ReplicaSetCounts | undefined;
  /**
   * Traffic weights to scale against (only read with dynamicStableScale). Upstream passes the
   * PERSISTED status.canary.weights when sizing the stable RS (reconcileCanaryStableReplicaSet),
   * this reconcile's new weights when sizing the new RS (NewRSNewReplicas) and for step
   * completion, and nil inside reconcileTrafficRouting.
   */
  readonly currentWeights: CurrentWeights | undefined;
}

/**
 * canary.go `CalculateReplicaCountsForTrafficRoutedCanary`: canary = setCanaryScale.replicas, else
 * ceil(R*w/max) raised to minPodsPerReplicaSet; stable = R unless dynamicStableScale, in which case
 * max(ceil(R*(max−w)/max), ceil(R*stableWeight/max)) and, when aborted, the canary is kept at
 * ceil(R*canaryWeight/max) until traffic has left it; both floored by minPodsPerReplicaSet.
 */
export function calculateReplicaCountsForTrafficRoutedCanary(input: TrafficRoutedCanaryInput): ReplicaCounts {
  const { desiredWeight, maxWeight, currentWeights } = input;
  const rolloutSpecReplica = getReplicasOrDefault(input.replicas);
  let canaryCount =
    input.setCanaryScaleReplicas !== undefined
      ? input.setCanaryScaleReplicas
      : checkMinPodsPerReplicaSet(input.minPodsPerReplicaSet, trafficWeightToReplicas(rolloutSpecReplica, desiredWeight, maxWeight));

  if (input.dynamicStableScale !== true) {
    // Stable stays at 100 % (no minPods floor on this path, as upstream).
    return { newRSReplicaCount: canaryCount, stableRSReplicaCount: rolloutSpecReplica };
  }

  let stableCount = trafficWeightToReplicas(rolloutSpecReplica, maxWeight - desiredWeight, maxWeight);
  if (currentWeights !== undefined) {
    stableCount = Math.max(stableCount, trafficWeightToReplicas(rolloutSpecReplica, currentWeights.stable, maxWeight));
    if (input.aborted === true) {
      canaryCount = Math.max(trafficWeightToReplicas(rolloutSpecReplica, currentWeights.canary, maxWeight), canaryCount);
    }
  }
  return {
    newRSReplicaCount: checkMinPodsPerReplicaSet(input.minPodsPerReplicaSet, canaryCount),
    stableRSReplicaCount: checkMinPodsPerReplicaSet(input.minPodsPerReplicaSet, stableCount),
  };
}

// ---------------------------------------------------------------------------------------------
// utils/replicaset/canary.go — step completion (setWeight / setCanaryScale)

/** canary.go `allDesiredAreAvailable`: spec == desired and available == desired. */
export function allDesiredAreAvailable(rs: ReplicaSetCounts | undefined, desired: number): boolean {
  return rs !== undefined && desired === rs.specReplicas && desired === rs.availableReplicas;
}

/** canary.go `allDesiredAreCreated`: spec == desired and status.replicas == desired (availability NOT checked). */
export function allDesiredAreCreated(rs: ReplicaSetCounts | undefined, desired: number): boolean {
  return rs !== undefined && desired === rs.specReplicas && desired === rs.statusReplicas;
}

/**
 * canary.go `ReplicaProgressThresholdMet`: no threshold, no RS or a negative value ⇒
 * `allDesiredAreAvailable`; Percent ⇒ desired 0 passes, else available/desired*100 ≥ value (with a
 * 1e-10 tolerance); any other type ⇒ available ≥ value pods.
 */
export function replicaProgressThresholdMet(
  threshold: ReplicaProgressThreshold | undefined,
  rs: ReplicaSetCounts | undefined,
  desired: number,
): boolean {
  if (threshold === undefined || rs === undefined || threshold.value < 0) return allDesiredAreAvailable(rs, desired);
  if (threshold.type === 'Percent') {
    if (desired === 0) return true;
    const currentPercentage = (rs.availableReplicas / desired) * 100;
    return currentPercentage >= threshold.value || Math.abs(currentPercentage - threshold.value) <= 1e-10;
  }
  return rs.availableReplicas >= threshold.value;
}

/** Input of `atDesiredReplicaCountsForCanary`: both calculators' inputs plus the strategy switch. */
export interface AtDesiredReplicaCountsInput extends BasicCanaryInput, Omit<TrafficRoutedCanaryInput, 'newRS' | 'stableRS'> {
  /** spec.strategy.canary.trafficRouting != nil */
  readonly trafficRouted: boolean;
  readonly replicaProgressThreshold?: ReplicaProgressThreshold | undefined;
}

/**
 * canary.go `AtDesiredReplicaCountsForCanary` (the replica half of setWeight/setCanaryScale
 * completion, rollout/canary.go `completedCurrentCanaryStep`): the new RS meets its desired count
 * (all available, or the replicaProgressThreshold); the stable RS has exactly its desired spec and
 * status.replicas (skipped with trafficRouting + dynamicStableScale); basic canary: the other RSs
 * have 0 available pods. The ALB `weights.verified` check is the caller's.
 */
export function atDesiredReplicaCountsForCanary(input: AtDesiredReplicaCountsInput): boolean {
  const { newRS, stableRS, otherRSs, trafficRouted } = input;
  const desired = trafficRouted ? calculateReplicaCountsForTrafficRoutedCanary(input) : calculateReplicaCountsForBasicCanary(input);

  if (!replicaProgressThresholdMet(input.replicaProgressThreshold, newRS, desired.newRSReplicaCount)) return false;
  if (!trafficRouted || input.dynamicStableScale !== true) {
    if (!allDesiredAreCreated(stableRS, desired.stableRSReplicaCount)) return false;
  }
  if (!trafficRouted) {
    // Basic canary: older pods serve traffic, so they must be gone.
    if (getAvailableReplicaCountForReplicaSets(otherRSs) !== 0) return false;
  }
  return true;
}

/**
 * Builds the input of the three functions above from a rollout view, deriving the weight with
 * `getCanaryReplicasOrWeight` exactly where the Go derives it (inside each Calculate… function).
 */
export function canaryReplicaInputFromRollout(
  rollout: CanaryRolloutView,
  newRS: ReplicaSetCounts | undefined,
  stableRS: ReplicaSetCounts | undefined,
  otherRSs: readonly (ReplicaSetCounts | undefined)[],
  weights: CurrentWeights | undefined,
): AtDesiredReplicaCountsInput {
  const { replicas: setCanaryScaleReplicas, weight } = getCanaryReplicasOrWeight(rollout, newRS, stableRS);
  return {
    trafficRouted: rollout.trafficRouting !== undefined,
    replicas: rollout.replicas,
    maxSurge: rollout.maxSurge,
    maxUnavailable: rollout.maxUnavailable,
    desiredWeight: weight,
    setCanaryScaleReplicas,
    maxWeight: maxTrafficWeight(rollout),
    dynamicStableScale: rollout.dynamicStableScale,
    minPodsPerReplicaSet: rollout.minPodsPerReplicaSet,
    aborted: rollout.abort,
    replicaProgressThreshold: rollout.replicaProgressThreshold,
    newRS,
    stableRS,
    otherRSs,
    currentWeights: weights,
  };
}

// ---------------------------------------------------------------------------------------------
// rollout/replicaset.go + rollout/canary.go — draining "other" ReplicaSets (basic canary)

/** One scale call the controller makes, in order. */
export interface ScaleAction {
  readonly name: string;
  readonly fromReplicas: number;
  readonly toReplicas: number;
  /** `cleanupUnhealthyReplicas` (trim to available) or the budgeted scale-down loop. */
  readonly step: 'cleanupUnhealthyReplicas' | 'scaleDown';
}

export interface ScaleDownOldReplicaSetsInput {
  readonly rollout: Pick<CanaryRolloutView, 'replicas' | 'maxSurge' | 'maxUnavailable' | 'trafficRouting'>;
  /** Every RS of the rollout (new, stable, others): the availability budget counts them all. */
  readonly allRSs: readonly ReplicaSetCounts[];
  /** The other RSs to drain, already `filterActiveReplicaSets`-ed (see reconcileOtherReplicaSets). */
  readonly oldRSs: readonly OldReplicaSetCounts[];
}

export interface ScaleDownOldReplicaSetsResult {
  /** Scale calls in the order upstream makes them (several per reconcile are possible). */
  readonly actions: readonly ScaleAction[];
  /** Upstream's return value; reconcileOtherReplicaSets reports "scaled" iff it is > 0. */
  readonly totalScaledDown: number;
  /** Set when cleanupUnhealthyReplicas met available > spec: upstream then returns 0 although earlier calls were made. */
  readonly cleanupError?: string;
}

/**
 * rollout/canary.go `scaleDownOldReplicaSetsForCanary`, basic canary only:
 *  1. `cleanupUnhealthyReplicas` (rollout/replicaset.go): oldest creation first, every old RS whose
 *     spec differs from its available count is scaled to that count (an RS with available > spec
 *     aborts the whole call with an error, reported as 0 scaled);
 *  2. budget = Σ available(all RSs) − (R − maxUnavailable); nothing if ≤ 0;
 *  3. newest revision first, each old RS is reduced by what is left of the budget.
 * The traffic-routed branch (scale-down deadlines, referenced RSs) is not implemented here.
 */
export function scaleDownOldReplicaSetsForCanary(input: ScaleDownOldReplicaSetsInput): ScaleDownOldReplicaSetsResult {
  const { rollout, allRSs } = input;
  if (rollout.trafficRouting !== undefined) {
    throw new Error('scaleDownOldReplicaSetsForCanary: the trafficRouting branch (scale-down deadlines, referenced RSs) is not implemented');
  }
  const actions: ScaleAction[] = [];

  // 1. cleanupUnhealthyReplicas — controller.ReplicaSetsByCreationTimestamp (name breaks ties).
  const byCreation = [...input.oldRSs].sort((a, b) =>
    a.creationTimestamp !== b.creationTimestamp ? a.creationTimestamp - b.creationTimestamp : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  let totalScaledDown = 0;
  const cleaned: OldReplicaSetCounts[] = [];
  for (const rs of byCreation) {
    if (rs.specReplicas === 0 || rs.specReplicas === rs.availableReplicas) {
      cleaned.push(rs);
      continue;
    }
    if (rs.availableReplicas > rs.specReplicas) {
      return {
        actions,
        totalScaledDown: 0,
        cleanupError: `when cleaning up unhealthy replicas, got invalid request to scale down ${rs.name} ${rs.specReplicas} -> ${rs.availableReplicas}`,
      };
    }
    actions.push({ name: rs.name, fromReplicas: rs.specReplicas, toReplicas: rs.availableReplicas, step: 'cleanupUnhealthyReplicas' });
    totalScaledDown += rs.specReplicas - rs.availableReplicas;
    cleaned.push({ ...rs, specReplicas: rs.availableReplicas });
  }

  // 2. the availability budget.
  const availablePodCount = getAvailableReplicaCountForReplicaSets(allRSs);
  const minAvailable = getReplicasOrDefault(rollout.replicas) - maxUnavailable(rollout.replicas, rollout.maxUnavailable, rollout.maxSurge);
  let maxScaleDown = availablePodCount - minAvailable;
  if (maxScaleDown <= 0) return { actions, totalScaledDown: 0 };
  // Upstream returns (0, nil) here even if cleanup scaled something; cleanup's count only survives below.

  // 3. sort.Reverse(ReplicaSetsByRevisionNumber): newest revision first, newer creation first on a
  //    revision tie (name breaks a full tie, which upstream leaves to an unstable sort).
  const byRevision = [...cleaned].sort((a, b) => {
    if (a.revision !== b.revision) return b.revision - a.revision;
    if (a.creationTimestamp !== b.creationTimestamp) return b.creationTimestamp - a.creationTimestamp;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  for (const rs of byRevision) {
    if (maxScaleDown <= 0) break;
    if (rs.specReplicas === 0) continue;
    // Basic canary: every other RS must go, since its pods would receive traffic.
    const desired = rs.specReplicas > maxScaleDown ? rs.specReplicas - maxScaleDown : 0;
    if (rs.specReplicas === desired) continue;
    actions.push({ name: rs.name, fromReplicas: rs.specReplicas, toReplicas: desired, step: 'scaleDown' });
    maxScaleDown -= rs.specReplicas - desired;
    totalScaledDown += rs.specReplicas - desired;
  }
  return { actions, totalScaledDown };
}

// ---------------------------------------------------------------------------------------------
// rollout/trafficrouting.go — the weight reconcileTrafficRouting sets

/** utils/rollout/rolloututil.go `IsFullyPromoted`: status.stableRS == status.currentPodHash. */
export function isFullyPromoted(rollout: Pick<CanaryRolloutView, 'stableRS' | 'currentPodHash'>): boolean {
  return rollout.stableRS === rollout.currentPodHash;
}

/**
 * rolloututil.go `IsDynamicallyRollingBackToStable`: fully promoted, TR + dynamicStableScale,
 * persisted weights point at a canary hash other than the desired RS's, and the desired RS is not
 * yet fully available. Returns the previous canary hash when true.
 */
export function isDynamicallyRollingBackToStable(
  rollout: CanaryRolloutView,
  desiredRS: ReplicaSetCounts | undefined,
  desiredRSPodTemplateHash: string,
): { readonly rollingBack: boolean; readonly previousCanaryHash: string } {
  const no = { rollingBack: false, previousCanaryHash: '' };
  if (!isFullyPromoted(rollout) || rollout.trafficRouting === undefined || rollout.dynamicStableScale !== true) return no;
  if (rollout.weights === undefined) return no;
  const currSelector = rollout.weights.canary.podTemplateHash ?? '';
  if (currSelector === desiredRSPodTemplateHash) return no;
  if (desiredRS === undefined) throw new Error('isDynamicallyRollingBackToStable: nil desired ReplicaSet (a Go panic upstream)');
  if (rollout.replicas === undefined) throw new Error('isDynamicallyRollingBackToStable: nil spec.replicas (a Go panic upstream)');
  if (desiredRS.availableReplicas >= rollout.replicas) return no;
  return { rollingBack: true, previousCanaryHash: currSelector };
}

/**
 * rollout/trafficrouting.go `calculateDesiredWeightOnAbortOrStableRollback`: 0 unless
 * dynamicStableScale (with both RSs and replicas > 0); then the canary weight follows stable
 * availability and the backwards walk of `GetDesiredCanaryWeight`, never rising above the
 * persisted canary weight.
 */
export function calculateDesiredWeightOnAbortOrStableRollback(
  rollout: CanaryRolloutView,
  newRS: ReplicaSetCounts | undefined,
  stableRS: ReplicaSetCounts | undefined,
): number {
  if (rollout.dynamicStableScale !== true || stableRS === undefined || newRS === undefined || rollout.replicas === undefined || rollout.replicas === 0) {
    return 0;
  }
  const replicas = rollout.replicas;
  const maxWeight = maxTrafficWeight(rollout);
  const desiredCanaryWeight = getDesiredCanaryWeight(rollout, newRS, stableRS);
  const expectedCanaryWeight = Math.max(0, maxWeight - goDiv(maxWeight * stableRS.availableReplicas, replicas));
  if (rollout.weights === undefined) return Math.max(expectedCanaryWeight, desiredCanaryWeight);
  const currentCanaryWeight = rollout.weights.canary.weight;
  if (desiredCanaryWeight <= 0) return Math.min(expectedCanaryWeight, currentCanaryWeight);
  const currentStableReplicasWeight = goDiv(maxWeight * stableRS.availableReplicas, replicas);
  if (desiredCanaryWeight > 0 && currentStableReplicasWeight < maxWeight - desiredCanaryWeight) return currentCanaryWeight;
  return Math.min(desiredCanaryWeight, currentCanaryWeight);
}

/** Which branch of reconcileTrafficRouting chose the weight. */
export type TrafficWeightBranch =
  | 'dynamicRollbackToStable'
  | 'fullyPromoted'
  | 'aborted'
  | 'newRSUnavailable'
  | 'promoteFull'
  | 'previousSetWeight'
  | 'currentSetWeight'
  | 'endOfSteps'
  | 'noSteps';

export interface DesiredTrafficWeightInput {
  /** Must carry the persisted status.canary.weights in `weights`. */
  readonly rollout: CanaryRolloutView;
  readonly newRS: ReplicaSetCounts | undefined;
  /** The new RS's pod-template hash ('' when there is no new RS). */
  readonly newRSPodTemplateHash: string;
  readonly stableRS: ReplicaSetCounts | undefined;
  readonly otherRSs: readonly (ReplicaSetCounts | undefined)[];
}

export interface DesiredTrafficWeight {
  readonly desiredWeight: number;
  readonly branch: TrafficWeightBranch;
  /**
   * `checkReplicasAvailable(stableRS, max − weight)`: false ⇒ reconcileTrafficRouting returns
   * without touching routes or status.canary.weights.
   */
  readonly stableReplicasAvailable: boolean;
  /** With branch 'dynamicRollbackToStable', the canary hash weights keep pointing at. */
  readonly previousCanaryHash?: string;
}

/**
 * The canary weight `reconcileTrafficRouting` (rollout/trafficrouting.go) sets, first matching
 * branch wins: dynamic rollback to stable; fully promoted ⇒ 0; aborted ⇒ 0 (dynamic: gradual);
 * no new RS or 0 available ⇒ 0; promoteFull ⇒ persisted canary weight (dynamic: max*newAvail/R);
 * steps with the canary/stable not yet at desired counts (checked with nil weights) ⇒ the last
 * setWeight strictly before the current index; inside the steps ⇒ `GetCurrentSetWeight`; past the
 * last step ⇒ max; no steps at all ⇒ 0 (the variable's zero value). Experiment weight
 * destinations are added by the caller (canary.ts reconcileTrafficRouting) from `branch`.
 */
export function desiredTrafficWeight(input: DesiredTrafficWeightInput): DesiredTrafficWeight {
  const { rollout, newRS, stableRS, otherRSs } = input;
  const maxWeight = maxTrafficWeight(rollout);
  const chosen = ((): { desiredWeight: number; branch: TrafficWeightBranch; previousCanaryHash?: string } => {
    const rollback = isDynamicallyRollingBackToStable(rollout, newRS, input.newRSPodTemplateHash);
    if (rollback.rollingBack) {
      return {
        desiredWeight: calculateDesiredWeightOnAbortOrStableRollback(rollout, newRS, stableRS),
        branch: 'dynamicRollbackToStable',
        previousCanaryHash: rollback.previousCanaryHash,
      };
    }
    if (isFullyPromoted(rollout)) return { desiredWeight: 0, branch: 'fullyPromoted' };
    if (rollout.abort) return { desiredWeight: calculateDesiredWeightOnAbortOrStableRollback(rollout, newRS, stableRS), branch: 'aborted' };
    if (newRS === undefined || newRS.availableReplicas === 0) return { desiredWeight: 0, branch: 'newRSUnavailable' };
    if (rollout.promoteFull) {
      if (rollout.dynamicStableScale === true) {
        if (rollout.replicas === undefined) throw new Error('desiredTrafficWeight: nil spec.replicas (a Go panic upstream)');
        return { desiredWeight: goDiv(maxWeight * newRS.availableReplicas, rollout.replicas), branch: 'promoteFull' };
      }
      return { desiredWeight: rollout.weights?.canary.weight ?? 0, branch: 'promoteFull' };
    }
    const { index } = getCurrentCanaryStep(rollout.steps, rollout.currentStepIndex);
    if (index === undefined || rollout.steps === undefined) return { desiredWeight: 0, branch: 'noSteps' };
    if (!atDesiredReplicaCountsForCanary(canaryReplicaInputFromRollout(rollout, newRS, stableRS, otherRSs, undefined))) {
      for (let i = index - 1; i >= 0; i--) {
        const s = rollout.steps[i];
        if (s !== undefined && s.kind === 'setWeight') return { desiredWeight: s.setWeight, branch: 'previousSetWeight' };
      }
      return { desiredWeight: 0, branch: 'previousSetWeight' };
    }
    if (index !== rollout.steps.length) {
      return {
        desiredWeight: getCurrentSetWeight(rollout.steps, rollout.currentStepIndex, rollout.abort, maxWeight),
        branch: 'currentSetWeight',
      };
    }
    return { desiredWeight: maxWeight, branch: 'endOfSteps' };
  })();
  return { ...chosen, stableReplicasAvailable: checkReplicasAvailable(rollout, stableRS, maxWeight - chosen.desiredWeight) };
}

/**
 * rollout/trafficrouting.go `checkReplicasAvailable`: the RS exists and has at least
 * (weight*R)/max (integer division) available pods, or meets the replicaProgressThreshold.
 */
export function checkReplicasAvailable(rollout: CanaryRolloutView, rs: ReplicaSetCounts | undefined, desiredWeight: number): boolean {
  if (rs === undefined) return false;
  if (rollout.replicas === undefined) throw new Error('checkReplicasAvailable: nil spec.replicas (a Go panic upstream)');
  const desiredReplicas = goDiv(desiredWeight * rollout.replicas, maxTrafficWeight(rollout));
  if (rs.availableReplicas < desiredReplicas && !replicaProgressThresholdMet(rollout.replicaProgressThreshold, rs, desiredReplicas)) return false;
  return true;
}

/** canary.go `GetOtherRSs`: RSs that are neither the new nor the stable one (by name). */
export function getOtherRSs<T extends ReplicaSetCounts>(newRS: ReplicaSetCounts | undefined, stableRS: ReplicaSetCounts | undefined, allRSs: readonly T[]): T[] {
  return allRSs.filter((rs) => !(stableRS !== undefined && rs.name === stableRS.name) && !(newRS !== undefined && rs.name === newRS.name));
}
