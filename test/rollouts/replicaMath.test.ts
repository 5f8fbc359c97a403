// Replica math against upstream's own tables (argoproj/argo-rollouts v1.9.1) and the worked
// examples of /work/shared/reference/argo-rollouts-semantics.md §2.6.
//   canary_test.go:     https://github.com/argoproj/argo-rollouts/blob/v1.9.1/utils/replicaset/canary_test.go
//   replicaset_test.go: https://github.com/argoproj/argo-rollouts/blob/v1.9.1/utils/replicaset/replicaset_test.go
// Cases keep their upstream names. Upstream's `newRollout` puts setWeight and setCanaryScale in one
// step; the port splits them into [setWeight, setCanaryScale] at index 1 (same backwards scans).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { IntOrString } from '../../sim/manifests/types.js';
import {
  allDesiredAreAvailable,
  approximateWeightedCanaryStableReplicaCounts,
  atDesiredReplicaCountsForCanary,
  calculateDesiredWeightOnAbortOrStableRollback,
  calculateReplicaCountsForBasicCanary,
  calculateReplicaCountsForTrafficRoutedCanary,
  canaryReplicaInputFromRollout,
  checkStableRSExists,
  desiredTrafficWeight,
  getCanaryReplicasOrWeight,
  getCurrentCanaryStep,
  getCurrentSetWeight,
  getOtherRSs,
  getReplicasForScaleDown,
  maxSurge,
  maxUnavailable,
  replicaProgressThresholdMet,
  resolveFenceposts,
  scaleDownOldReplicaSetsForCanary,
  trafficWeightToReplicas,
} from '../../sim/rollouts/replicaMath.js';
import type {
  CanaryRolloutView,
  OldReplicaSetCounts,
  ReplicaMathStep,
  ReplicaSetCounts,
  CurrentWeights,
  SetCanaryScale,
} from '../../sim/rollouts/replicaMath.js';

const CANARY_TEST = 'https://github.com/argoproj/argo-rollouts/blob/v1.9.1/utils/replicaset/canary_test.go';
const REPLICASET_TEST = 'https://github.com/argoproj/argo-rollouts/blob/v1.9.1/utils/replicaset/replicaset_test.go';

// Go-signature wrappers: the weight is derived from the rollout inside, as upstream does.
function basicCanary(rollout: CanaryRolloutView, newRS: ReplicaSetCounts | undefined, stableRS: ReplicaSetCounts | undefined, otherRSs: readonly (ReplicaSetCounts | undefined)[]) {
  return calculateReplicaCountsForBasicCanary(canaryReplicaInputFromRollout(rollout, newRS, stableRS, otherRSs, undefined));
}
function trafficRoutedCanary(rollout: CanaryRolloutView, newRS: ReplicaSetCounts | undefined, stableRS: ReplicaSetCounts | undefined, weights: CurrentWeights | undefined) {
  return calculateReplicaCountsForTrafficRoutedCanary(canaryReplicaInputFromRollout(rollout, newRS, stableRS, [], weights));
}
function atDesired(
  rollout: CanaryRolloutView,
  newRS: ReplicaSetCounts | undefined,
  stableRS: ReplicaSetCounts | undefined,
  olderRSs: readonly (ReplicaSetCounts | undefined)[],
  weights: CurrentWeights | undefined,
): boolean {
  return atDesiredReplicaCountsForCanary(canaryReplicaInputFromRollout(rollout, newRS, stableRS, olderRSs, weights));
}

/** canary_test.go `newRollout`. */
function newRollout(
  specReplicas: number,
  setWeight: number,
  maxSurgeValue: IntOrString,
  maxUnavailableValue: IntOrString,
  currentPodHash: string,
  stablePodHash: string,
  scs?: SetCanaryScale,
  trafficRouting?: boolean,
): CanaryRolloutView {
  const steps: ReplicaMathStep[] = [{ kind: 'setWeight', setWeight }];
  if (scs !== undefined) steps.push({ kind: 'setCanaryScale', setCanaryScale: scs });
  return {
    replicas: specReplicas,
    maxSurge: maxSurgeValue,
    maxUnavailable: maxUnavailableValue,
    steps,
    trafficRouting: trafficRouting === true ? { maxTrafficWeight: undefined } : undefined,
    currentStepIndex: scs !== undefined ? 1 : undefined,
    abort: false,
    promoteFull: false,
    stableRS: stablePodHash,
    currentPodHash,
  };
}

/** canary_test.go `newRS` (status.replicas left at 0 as upstream leaves it). */
function newRS(name: string, specReplicas: number, availableReplicas: number, statusReplicas = 0): ReplicaSetCounts {
  return { name, specReplicas, statusReplicas, availableReplicas };
}

interface CanaryCase {
  readonly name: string;
  readonly rolloutSpecReplicas: number;
  readonly setWeight: number;
  readonly maxSurge: IntOrString;
  readonly maxUnavailable: IntOrString;
  readonly stableSpecReplica: number;
  readonly stableAvailableReplica: number;
  readonly canarySpecReplica: number;
  readonly canaryAvailableReplica: number;
  readonly expectedStableReplicaCount: number;
  readonly expectedCanaryReplicaCount: number;
  readonly promoteFull?: boolean;
  readonly statusAbort?: boolean;
  readonly olderRS?: readonly [number, number];
  readonly setCanaryScale?: SetCanaryScale;
  readonly trafficRouting?: boolean;
  readonly abortScaleDownDelaySeconds?: number;
  readonly minPodsPerReplicaSet?: number;
}

// canary_test.go TestCalculateReplicaCountsForCanary, every case in upstream order.
const calculateReplicaCountsForCanaryCases: readonly CanaryCase[] = [
    { name: 'Do not add extra RSs in scaleDownCount when .Spec.Replica < AvailableReplicas', rolloutSpecReplicas: 10, setWeight: 100, maxSurge: 3, maxUnavailable: 0,
      stableSpecReplica: 7, stableAvailableReplica: 8, canarySpecReplica: 6, canaryAvailableReplica: 3,
      expectedStableReplicaCount: 7, expectedCanaryReplicaCount: 6 },
    { name: 'Use max surge int to scale up canary', rolloutSpecReplicas: 10, setWeight: 20, maxSurge: 2, maxUnavailable: 0,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 10, expectedCanaryReplicaCount: 2 },
    { name: 'Use max surge percentage to scale up canary', rolloutSpecReplicas: 10, setWeight: 20, maxSurge: '20%', maxUnavailable: 0,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 10, expectedCanaryReplicaCount: 2 },
    { name: 'Scale down extra stable replicas', rolloutSpecReplicas: 10, setWeight: 20, maxSurge: '20%', maxUnavailable: 0,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 2, canaryAvailableReplica: 2,
      expectedStableReplicaCount: 8, expectedCanaryReplicaCount: 2 },
    { name: 'Do not go past max surge', rolloutSpecReplicas: 10, setWeight: 30, maxSurge: 2, maxUnavailable: 0,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 10, expectedCanaryReplicaCount: 2 },
    { name: 'Use max unavailable int to scale down stableRS', rolloutSpecReplicas: 10, setWeight: 20, maxSurge: 0, maxUnavailable: 2,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 8, expectedCanaryReplicaCount: 0 },
    { name: 'Use max surge percentage to scale down stableRS', rolloutSpecReplicas: 10, setWeight: 20, maxSurge: 0, maxUnavailable: '20%',
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 8, expectedCanaryReplicaCount: 0 },
    { name: 'Do not go past max unavailable', rolloutSpecReplicas: 10, setWeight: 30, maxSurge: 0, maxUnavailable: 2,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 8, expectedCanaryReplicaCount: 0 },
    { name: 'Use Max Surge and Max Unavailable', rolloutSpecReplicas: 10, setWeight: 50, maxSurge: 2, maxUnavailable: 1,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 9, expectedCanaryReplicaCount: 2 },
    { name: 'Scale canaryRS to zero on setWeight of 0%', rolloutSpecReplicas: 10, setWeight: 0, maxSurge: 1, maxUnavailable: 1,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 1, canaryAvailableReplica: 1,
      expectedStableReplicaCount: 10, expectedCanaryReplicaCount: 0 },
    { name: 'Scale stable to zero on setWeight of 100%', rolloutSpecReplicas: 10, setWeight: 100, maxSurge: 1, maxUnavailable: 1,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 10, canaryAvailableReplica: 10,
      expectedStableReplicaCount: 0, expectedCanaryReplicaCount: 10 },
    { name: 'Do not scale canaryRS down to zero on non-zero weight', rolloutSpecReplicas: 1, setWeight: 20, maxSurge: 1, maxUnavailable: 0,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 1 },
    { name: 'Do not scale canaryRS down to zero on non-100 weight', rolloutSpecReplicas: 1, setWeight: 90, maxSurge: 1, maxUnavailable: 0,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 1 },
    { name: 'Scale canaryRS to zero on <50 weight without surge', rolloutSpecReplicas: 1, setWeight: 49, maxSurge: 0, maxUnavailable: 1,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 0 },
    { name: 'Scale stableRS down to zero on >=50 weight without surge', rolloutSpecReplicas: 1, setWeight: 51, maxSurge: 0, maxUnavailable: 1,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 0, expectedCanaryReplicaCount: 0 },
    { name: 'Scale canaryRS to one on >=50 weight without surge and stable replicas', rolloutSpecReplicas: 1, setWeight: 51, maxSurge: 0, maxUnavailable: 1,
      stableSpecReplica: 0, stableAvailableReplica: 0, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 0, expectedCanaryReplicaCount: 1 },
    { name: 'Scale up Stable before canaryRS', rolloutSpecReplicas: 10, setWeight: 30, maxSurge: 1, maxUnavailable: 0,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 7, expectedCanaryReplicaCount: 1,
      olderRS: [3, 3] },
    { name: 'Scale down canaryRS and stable', rolloutSpecReplicas: 10, setWeight: 30, maxSurge: 0, maxUnavailable: 3,
      stableSpecReplica: 8, stableAvailableReplica: 5, canarySpecReplica: 4, canaryAvailableReplica: 4,
      expectedStableReplicaCount: 7, expectedCanaryReplicaCount: 3 },
    { name: 'Scale down stable and canary available', rolloutSpecReplicas: 10, setWeight: 100, maxSurge: 1, maxUnavailable: 0,
      stableSpecReplica: 10, stableAvailableReplica: 2, canarySpecReplica: 10, canaryAvailableReplica: 8,
      expectedStableReplicaCount: 2, expectedCanaryReplicaCount: 9 },
    { name: 'Do not scale down canaryRS or stable when older RS count >= scaleDownCount', rolloutSpecReplicas: 10, setWeight: 30, maxSurge: 0, maxUnavailable: 1,
      stableSpecReplica: 8, stableAvailableReplica: 6, canarySpecReplica: 4, canaryAvailableReplica: 2,
      expectedStableReplicaCount: 8, expectedCanaryReplicaCount: 4,
      olderRS: [3, 3] },
    { name: 'Do not round past maxSurge with uneven setWeight divisor', rolloutSpecReplicas: 10, setWeight: 5, maxSurge: 0, maxUnavailable: 1,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 9, expectedCanaryReplicaCount: 0 },
    { name: 'Do not round past maxSurge with uneven setWeight divisor (part 2)', rolloutSpecReplicas: 10, setWeight: 5, maxSurge: 0, maxUnavailable: 1,
      stableSpecReplica: 9, stableAvailableReplica: 9, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 9, expectedCanaryReplicaCount: 1 },
    { name: 'Use maxUnavailable of 1 when percentage of maxUnavailable and maxSurge result in 0 replicas', rolloutSpecReplicas: 10, setWeight: 10, maxSurge: '0%', maxUnavailable: '0%',
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 9, expectedCanaryReplicaCount: 0 },
    { name: 'For canary replicas, use setCanaryScale.replicas when specified along with trafficRouting (and ignore setWeight)', rolloutSpecReplicas: 1, setWeight: 100, maxSurge: 0, maxUnavailable: 0,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 9,
      setCanaryScale: { replicas: 9, weight: undefined, matchTrafficWeight: false }, trafficRouting: true },
    { name: 'Use setCanaryScale.weight for canary replicas when specified with trafficRouting (and ignore setWeight)', rolloutSpecReplicas: 4, setWeight: 100, maxSurge: 0, maxUnavailable: 0,
      stableSpecReplica: 4, stableAvailableReplica: 4, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 4, expectedCanaryReplicaCount: 8,
      setCanaryScale: { replicas: undefined, weight: 200, matchTrafficWeight: false }, trafficRouting: true },
    { name: 'Ignore setCanaryScale replicas/weight when matchTrafficWeight is true', rolloutSpecReplicas: 10, setWeight: 20, maxSurge: '20%', maxUnavailable: 0,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 10, expectedCanaryReplicaCount: 2,
      setCanaryScale: { replicas: 9, weight: 100, matchTrafficWeight: true }, trafficRouting: true },
    { name: 'Ignore setCanaryScale when trafficRouting is missing and use setWeight for replicas', rolloutSpecReplicas: 10, setWeight: 20, maxSurge: '20%', maxUnavailable: 0,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 10, expectedCanaryReplicaCount: 2,
      setCanaryScale: { replicas: 9, weight: 100, matchTrafficWeight: false } },
    { name: 'honor maxSurge during scale up when stableRS unavailable', rolloutSpecReplicas: 4, setWeight: 100, maxSurge: 1, maxUnavailable: 0,
      stableSpecReplica: 4, stableAvailableReplica: 1, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 4, expectedCanaryReplicaCount: 1 },
    { name: 'scale down to maxunavailable without exceeding maxSurge', rolloutSpecReplicas: 3, setWeight: 99, maxSurge: 0, maxUnavailable: 2,
      stableSpecReplica: 3, stableAvailableReplica: 3, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 0 },
    { name: 'scale down to maxunavailable without exceeding maxSurge (part 2)', rolloutSpecReplicas: 3, setWeight: 99, maxSurge: 0, maxUnavailable: 2,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 2 },
    { name: 'honor maxUnavailable during scale down stableRS unavailable', rolloutSpecReplicas: 4, setWeight: 100, maxSurge: 1, maxUnavailable: 0,
      stableSpecReplica: 4, stableAvailableReplica: 1, canarySpecReplica: 1, canaryAvailableReplica: 1,
      expectedStableReplicaCount: 3, expectedCanaryReplicaCount: 1 },
    { name: 'honor maxUnavailable when aborting or reducing weight part 1', rolloutSpecReplicas: 4, setWeight: 0, maxSurge: 1, maxUnavailable: 0,
      stableSpecReplica: 0, stableAvailableReplica: 0, canarySpecReplica: 4, canaryAvailableReplica: 4,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 4 },
    { name: 'honor maxUnavailable when aborting or reducing weight part 2', rolloutSpecReplicas: 4, setWeight: 0, maxSurge: 1, maxUnavailable: 0,
      stableSpecReplica: 1, stableAvailableReplica: 0, canarySpecReplica: 4, canaryAvailableReplica: 4,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 4 },
    { name: 'honor maxUnavailable when aborting or reducing weight part 3', rolloutSpecReplicas: 4, setWeight: 0, maxSurge: 1, maxUnavailable: 0,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 4, canaryAvailableReplica: 4,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 3 },
    { name: 'promote full does not consider weight', rolloutSpecReplicas: 4, setWeight: 1, maxSurge: 4, maxUnavailable: 4,
      stableSpecReplica: 4, stableAvailableReplica: 4, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 0, expectedCanaryReplicaCount: 4,
      promoteFull: true },
    { name: 'promote full still honors maxSurge/maxUnavailable', rolloutSpecReplicas: 4, setWeight: 1, maxSurge: 3, maxUnavailable: 0,
      stableSpecReplica: 4, stableAvailableReplica: 4, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 4, expectedCanaryReplicaCount: 3,
      promoteFull: true },
    { name: 'aborted with abortScaleDownDelaySeconds:0 and setCanaryScale', rolloutSpecReplicas: 1, setWeight: 0, maxSurge: 0, maxUnavailable: 0,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 1, canaryAvailableReplica: 1,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 1,
      statusAbort: true, setCanaryScale: { replicas: 1, weight: undefined, matchTrafficWeight: false }, trafficRouting: true, abortScaleDownDelaySeconds: 0 },
    { name: 'aborted with abortScaleDownDelaySeconds>0 and setCanaryScale', rolloutSpecReplicas: 1, setWeight: 0, maxSurge: 0, maxUnavailable: 0,
      stableSpecReplica: 1, stableAvailableReplica: 1, canarySpecReplica: 1, canaryAvailableReplica: 1,
      expectedStableReplicaCount: 1, expectedCanaryReplicaCount: 0,
      statusAbort: true, setCanaryScale: { replicas: 1, weight: undefined, matchTrafficWeight: false }, trafficRouting: true, abortScaleDownDelaySeconds: 30 },
    { name: 'Honor MinPodsPerReplicaSet when using trafficRouting and starting canary', rolloutSpecReplicas: 10, setWeight: 5, maxSurge: 0, maxUnavailable: 0,
      stableSpecReplica: 10, stableAvailableReplica: 10, canarySpecReplica: 0, canaryAvailableReplica: 0,
      expectedStableReplicaCount: 10, expectedCanaryReplicaCount: 2,
      trafficRouting: true, minPodsPerReplicaSet: 2 },
];

describe(`TestCalculateReplicaCountsForCanary (${CANARY_TEST})`, () => {
  it('has all 39 upstream cases', () => {
    expect(calculateReplicaCountsForCanaryCases).toHaveLength(39);
  });
  for (const test of calculateReplicaCountsForCanaryCases) {
    it(test.name, () => {
      const base = newRollout(
        test.rolloutSpecReplicas,
        test.setWeight,
        test.maxSurge,
        test.maxUnavailable,
        'canary',
        'stable',
        test.setCanaryScale,
        test.trafficRouting,
      );
      const rollout: CanaryRolloutView = {
        ...base,
        promoteFull: test.promoteFull ?? false,
        abort: test.statusAbort ?? false,
        abortScaleDownDelaySeconds: test.abortScaleDownDelaySeconds,
        minPodsPerReplicaSet: test.minPodsPerReplicaSet,
      };
      const stableRS = newRS('stable', test.stableSpecReplica, test.stableAvailableReplica);
      const canaryRS = newRS('canary', test.canarySpecReplica, test.canaryAvailableReplica);
      const got =
        test.trafficRouting === true
          ? trafficRoutedCanary(rollout, undefined, undefined, undefined)
          : basicCanary(rollout, canaryRS, stableRS, [test.olderRS === undefined ? undefined : newRS('older', test.olderRS[0], test.olderRS[1])]);
      expect(got).toEqual({ newRSReplicaCount: test.expectedCanaryReplicaCount, stableRSReplicaCount: test.expectedStableReplicaCount });
    });
  }
});

describe(`TestApproximateWeightedNewStableReplicaCounts (${CANARY_TEST})`, () => {
  // [replicas, weight, maxWeight, maxSurge, expCanary, expStable]
  const rows: readonly (readonly [number, number, number, number, number, number])[] = [
    [0, 0, 100, 0, 0, 0],
    [0, 50, 100, 0, 0, 0],
    [0, 100, 100, 0, 0, 0],
    [0, 0, 100, 1, 0, 0],
    [0, 50, 100, 1, 0, 0],
    [0, 100, 100, 1, 0, 0],
    [1, 0, 100, 0, 0, 1],
    [1, 1, 100, 0, 0, 1],
    [1, 49, 100, 0, 0, 1],
    [1, 50, 100, 0, 1, 0],
    [1, 99, 100, 0, 1, 0],
    [1, 100, 100, 0, 1, 0],
    [1, 0, 100, 1, 0, 1],
    [1, 1, 100, 1, 1, 1],
    [1, 49, 100, 1, 1, 1],
    [1, 50, 100, 1, 1, 1],
    [1, 99, 100, 1, 1, 1],
    [1, 100, 100, 1, 1, 0],
    [2, 0, 100, 0, 0, 2],
    [2, 1, 100, 0, 1, 1],
    [2, 50, 100, 0, 1, 1],
    [2, 99, 100, 0, 1, 1],
    [2, 100, 100, 0, 2, 0],
    [2, 0, 100, 1, 0, 2],
    [2, 1, 100, 1, 1, 2],
    [2, 50, 100, 1, 1, 1],
    [2, 99, 100, 1, 2, 1],
    [2, 100, 100, 1, 2, 0],
    [3, 10, 100, 0, 1, 2],
    [3, 25, 100, 0, 1, 2],
    [3, 33, 100, 0, 1, 2],
    [3, 34, 100, 0, 1, 2],
    [3, 49, 100, 0, 1, 2],
    [3, 50, 100, 0, 2, 1],
    [3, 10, 100, 1, 1, 3],
    [3, 25, 100, 1, 1, 3],
    [3, 33, 100, 1, 1, 2],
    [3, 34, 100, 1, 1, 2],
    [3, 49, 100, 1, 2, 2],
    [3, 50, 100, 1, 2, 2],
    [10, 0, 100, 1, 0, 10],
    [10, 1, 100, 0, 1, 9],
    [10, 14, 100, 0, 1, 9],
    [10, 15, 100, 0, 2, 8],
    [10, 16, 100, 0, 2, 8],
    [10, 99, 100, 0, 9, 1],
    [10, 100, 100, 1, 10, 0],
    [10, 0, 100, 1, 0, 10],
    [10, 1, 100, 1, 1, 10],
    [10, 18, 100, 1, 2, 9],
    [10, 19, 100, 1, 2, 9],
    [10, 20, 100, 1, 2, 8],
    [10, 23, 100, 1, 2, 8],
    [10, 24, 100, 1, 3, 8],
    [10, 25, 100, 1, 3, 8],
    [10, 99, 100, 1, 10, 1],
    [10, 100, 100, 1, 10, 0],
  ];
  it('has all 57 upstream rows', () => expect(rows).toHaveLength(57));
  for (const [replicas, weight, maxWeight, surge, expCanary, expStable] of rows) {
    it(`replicas:${replicas}_weight:${weight}_maxweight:${maxWeight}_surge:${surge}`, () => {
      expect(approximateWeightedCanaryStableReplicaCounts(replicas, weight, maxWeight, surge)).toEqual({
        newRSReplicaCount: expCanary,
        stableRSReplicaCount: expStable,
      });
    });
  }
});

describe(`canary_test.go single-case tests (${CANARY_TEST})`, () => {
  it('TestCalculateReplicaCountsForNewDeployment', () => {
    const rollout = newRollout(10, 10, 0, 1, 'canary', 'stable');
    const rs = newRS('stable', 10, 0);
    expect(basicCanary(rollout, rs, newRS('stable', 10, 0), [])).toEqual({
      newRSReplicaCount: 10,
      stableRSReplicaCount: 0,
    });
  });

  it('TestCalculateReplicaCountsForCanaryTrafficRouting', () => {
    const rollout = { ...newRollout(10, 10, 0, 1, 'canary', 'stable'), trafficRouting: { maxTrafficWeight: undefined } };
    expect(trafficRoutedCanary(rollout, undefined, undefined, undefined)).toEqual({
      newRSReplicaCount: 1,
      stableRSReplicaCount: 10,
    });
  });

  it('TestCalculateReplicaCountsForCanaryStableRSdEdgeCases', () => {
    const rollout = newRollout(10, 10, 0, 1, '', '');
    const rs = newRS('stable', 9, 9);
    const want = { newRSReplicaCount: 10, stableRSReplicaCount: 0 };
    expect(basicCanary(rollout, rs, undefined, [])).toEqual(want);
    expect(basicCanary(rollout, rs, rs, [])).toEqual(want);
  });

  it('TestTrafficWeightToReplicas', () => {
    expect(trafficWeightToReplicas(10, 0, 100)).toBe(0);
    expect(trafficWeightToReplicas(10, 20, 100)).toBe(2);
    expect(trafficWeightToReplicas(10, 25, 100)).toBe(3);
    expect(trafficWeightToReplicas(10, 33, 100)).toBe(4);
    expect(trafficWeightToReplicas(10, 99, 100)).toBe(10);
    expect(trafficWeightToReplicas(10, 100, 100)).toBe(10);
    expect(trafficWeightToReplicas(23, 100000000, 100000000)).toBe(23);
  });

  it('TestGetOtherRSs', () => {
    const rs1 = newRS('1', 0, 0);
    const rs2 = newRS('2', 0, 0);
    expect(getOtherRSs(undefined, undefined, [rs1])).toEqual([rs1]);
    expect(getOtherRSs(rs1, undefined, [rs1, rs2])).toEqual([rs2]);
    expect(getOtherRSs(undefined, rs1, [rs1, rs2])).toEqual([rs2]);
  });

  it('TestGetCurrentCanaryStep', () => {
    expect(getCurrentCanaryStep(undefined, undefined).step).toBeUndefined();
    const steps: ReplicaMathStep[] = [{ kind: 'pause' }];
    const current = getCurrentCanaryStep(steps, 0);
    expect(current.step).toBeDefined();
    expect(current.index).toBe(0);
    expect(getCurrentCanaryStep(steps, 1).step).toBeUndefined();
  });

  it('TestGetCurrentSetWeight', () => {
    const rollout = newRollout(10, 10, 0, 1, '', '');
    expect(getCurrentSetWeight(rollout.steps, 1, false, 100)).toBe(100);
    expect(getCurrentSetWeight(rollout.steps, 0, false, 100)).toBe(10);
    expect(getCurrentSetWeight(rollout.steps, 0, true, 100)).toBe(0);
  });
});

describe(`TestCalculateReplicaCountsForCanaryTrafficRoutingDynamicScale (${CANARY_TEST})`, () => {
  interface DynamicCase {
    name: string;
    rolloutReplicas: number;
    rolloutMaxReplicas: number; // upstream passes it as newRollout's setWeight
    rolloutAbort: boolean;
    steps?: number[];
    canaryWeight: number;
    stableWeight: number;
    canaryRSReplicas?: number;
    availableCanaryReplicas?: number;
    stableRSReplicas?: number;
    availableStableReplicas?: number;
    expectedCanaryReplicas: number;
    expectedStableReplicas: number;
  }
  const cases: DynamicCase[] = [
    {
      name: 'Should scale stable replica up depending on next expected canary downscale step, if abort is true',
      rolloutReplicas: 10, rolloutMaxReplicas: 20, canaryWeight: 60, stableWeight: 40,
      canaryRSReplicas: 6, availableCanaryReplicas: 6, stableRSReplicas: 4, availableStableReplicas: 4,
      expectedCanaryReplicas: 6, expectedStableReplicas: 8, rolloutAbort: true, steps: [60],
    },
    {
      name: 'Should scale stable replica up depending on available canary replicas, if actual number of canaries is less than expected and abort is true',
      rolloutReplicas: 10, rolloutMaxReplicas: 20, rolloutAbort: true, canaryWeight: 60, stableWeight: 40,
      canaryRSReplicas: 1, availableCanaryReplicas: 1, stableRSReplicas: 4, availableStableReplicas: 4,
      expectedCanaryReplicas: 6, expectedStableReplicas: 8, steps: [60],
    },
    {
      name: 'Should scale stable replica up depending on available stable replicas, if abort is true',
      rolloutReplicas: 10, rolloutMaxReplicas: 20, rolloutAbort: true, canaryWeight: 60, stableWeight: 40,
      canaryRSReplicas: 2, availableCanaryReplicas: 2, stableRSReplicas: 8, availableStableReplicas: 4,
      expectedCanaryReplicas: 6, expectedStableReplicas: 8, steps: [60],
    },
    {
      name: 'Should scale stable up as if canaries are scaled down to 0 if stable and canary replicas not passed, and abort is true',
      rolloutReplicas: 10, rolloutMaxReplicas: 20, rolloutAbort: true, canaryWeight: 60, stableWeight: 40,
      expectedCanaryReplicas: 6, expectedStableReplicas: 10, steps: [60],
    },
    {
      name: 'Should scale down stable',
      rolloutReplicas: 10, rolloutMaxReplicas: 10, rolloutAbort: false, canaryWeight: 10, stableWeight: 90,
      expectedCanaryReplicas: 1, expectedStableReplicas: 9,
    },
    {
      name: 'Should take max of desired canary (20) > actual (10)',
      rolloutReplicas: 10, rolloutMaxReplicas: 20, rolloutAbort: false, canaryWeight: 10, stableWeight: 90,
      expectedCanaryReplicas: 2, expectedStableReplicas: 9,
    },
    {
      name: 'Should leave canary scaled up if there is still traffic to it on abort',
      rolloutReplicas: 10, rolloutMaxReplicas: 20, rolloutAbort: true, canaryWeight: 20, stableWeight: 80,
      expectedCanaryReplicas: 2, expectedStableReplicas: 10,
    },
    {
      name: 'Should reduce canary when there is less traffic to it on abort',
      rolloutReplicas: 10, rolloutMaxReplicas: 20, rolloutAbort: true, canaryWeight: 10, stableWeight: 90,
      expectedCanaryReplicas: 1, expectedStableReplicas: 10,
    },
  ];
  for (const test of cases) {
    it(test.name, () => {
      const base = newRollout(test.rolloutReplicas, test.rolloutMaxReplicas, 0, 1, 'canary', 'stable');
      const steps: ReplicaMathStep[] = [...(base.steps ?? []), ...(test.steps ?? []).map((w): ReplicaMathStep => ({ kind: 'setWeight', setWeight: w }))];
      const rollout: CanaryRolloutView = {
        ...base,
        steps,
        trafficRouting: { maxTrafficWeight: undefined },
        dynamicStableScale: true,
        abort: test.rolloutAbort,
      };
      const weights: CurrentWeights = { canary: test.canaryWeight, stable: test.stableWeight };
      const stableRS =
        (test.stableRSReplicas ?? 0) > 0 ? newRS('stable', test.stableRSReplicas ?? 0, test.availableStableReplicas ?? 0) : undefined;
      // upstream builds the canary RS with available = canaryRSReplicas
      const canaryRS = (test.canaryRSReplicas ?? 0) > 0 ? newRS('canary', test.canaryRSReplicas ?? 0, test.canaryRSReplicas ?? 0) : undefined;
      expect(trafficRoutedCanary(rollout, canaryRS, stableRS, weights)).toEqual({
        newRSReplicaCount: test.expectedCanaryReplicas,
        stableRSReplicaCount: test.expectedStableReplicas,
      });
    });
  }
});

describe(`TestAtDesiredReplicaCountsForCanary (${CANARY_TEST})`, () => {
  const w = (canary: number, stable: number): CurrentWeights => ({ canary, stable });
  it('we are at desired replica counts and availability', () => {
    const rollout = newRollout(4, 50, 1, 1, 'current', 'stable', { weight: 2, replicas: 2, matchTrafficWeight: false });
    expect(atDesired(rollout, newRS('newRS', 2, 2, 2), newRS('stableRS', 2, 2, 2), [], w(50, 50))).toBe(true);
  });
  it('new replicaset is not at desired counts or availability', () => {
    const rollout = newRollout(4, 50, 1, 1, 'current', 'stable', { weight: 2, replicas: 2, matchTrafficWeight: false });
    expect(atDesired(rollout, newRS('newRS', 2, 1, 2), newRS('stableRS', 2, 2, 2), [], w(50, 50))).toBe(false);
  });
  it('stable replicaset is not at desired counts or availability', () => {
    const rollout = newRollout(4, 75, 1, 1, 'current', 'stable', {});
    expect(atDesired(rollout, newRS('newRS', 3, 3, 3), newRS('stableRS', 2, 2, 2), [], w(75, 25))).toBe(false);
  });
  it('stable replicaset is not at desired availability but is at correct count', () => {
    const rollout = newRollout(4, 75, 1, 1, 'current', 'stable', {});
    expect(atDesired(rollout, newRS('newRS', 3, 3, 1), newRS('stableRS', 1, 0, 1), [], w(75, 25))).toBe(true);
  });
  it('test that when status field lags behind spec.replicas we fail', () => {
    const rollout = newRollout(4, 50, 1, 1, 'current', 'stable', { weight: 2, replicas: 2, matchTrafficWeight: false });
    expect(atDesired(rollout, newRS('newRS', 2, 2, 2), newRS('stableRS', 2, 2, 3), [], w(50, 50))).toBe(false);
  });
});

describe(`TestGetReplicasForScaleDown (${CANARY_TEST})`, () => {
  it('test rs is nil', () => expect(getReplicasForScaleDown(undefined, false)).toBe(0));
  it('test expected replicas is less than actual replicas', () => expect(getReplicasForScaleDown(newRS('rs', 3, 5), false)).toBe(3));
  it('test ignore availability', () => expect(getReplicasForScaleDown(newRS('rs', 3, 2), true)).toBe(3));
  it('test not ignore availability', () => expect(getReplicasForScaleDown(newRS('rs', 3, 2), false)).toBe(2));
});

describe(`TestGetCanaryReplicasOrWeight (${CANARY_TEST})`, () => {
  const empty: CanaryRolloutView = {
    replicas: undefined, maxSurge: undefined, maxUnavailable: undefined, steps: undefined,
    currentStepIndex: undefined, abort: false, promoteFull: false, stableRS: '', currentPodHash: '',
  };
  const tr = { maxTrafficWeight: undefined };
  it('test full promote rollout', () => {
    expect(getCanaryReplicasOrWeight({ ...empty, promoteFull: true }, undefined, undefined)).toEqual({ replicas: undefined, weight: 100 });
  });
  it('test canary step weight', () => {
    const steps: ReplicaMathStep[] = [{ kind: 'setWeight', setWeight: 10 }, { kind: 'setCanaryScale', setCanaryScale: { weight: 20 } }];
    const rollout = { ...empty, steps, trafficRouting: tr, currentStepIndex: 1, stableRS: 'stable-rs' };
    expect(getCanaryReplicasOrWeight(rollout, undefined, undefined)).toEqual({ replicas: undefined, weight: 20 });
  });
  it('test canary step replicas', () => {
    const steps: ReplicaMathStep[] = [{ kind: 'setWeight', setWeight: 10 }, { kind: 'setCanaryScale', setCanaryScale: { replicas: 5 } }];
    const rollout = { ...empty, steps, trafficRouting: tr, currentStepIndex: 1, stableRS: 'stable-rs' };
    expect(getCanaryReplicasOrWeight(rollout, undefined, undefined)).toEqual({ replicas: 5, weight: 0 });
  });
  it('test get current step weight', () => {
    // upstream uses a blue-green rollout with abort; stableRS '' == currentPodHash '' ⇒ max weight first.
    expect(getCanaryReplicasOrWeight({ ...empty, abort: true }, undefined, undefined)).toEqual({ replicas: undefined, weight: 100 });
  });
});

describe(`TestAllDesiredAreAvailable / TestAllReplicaProgressThresholdMet (${CANARY_TEST})`, () => {
  it('test correct return (true) when all desired pods are available', () => expect(allDesiredAreAvailable(newRS('rs', 10, 10), 10)).toBe(true));
  it('test correct return (false) when not all desired pods are available', () => expect(allDesiredAreAvailable(newRS('rs', 10, 9), 10)).toBe(false));
  it('test correct return (false) when all ReplicaSet is nil', () => expect(allDesiredAreAvailable(undefined, 10)).toBe(false));
  // (the two nil-spec.replicas cases do not apply: ReplicaSetCounts.specReplicas is never nil)

  const pct = (value: number) => ({ type: 'Percent' as const, value });
  const pods = (value: number) => ({ type: 'Pods' as const, value });
  it('test using percentage that 90% availability of pods passes', () => expect(replicaProgressThresholdMet(pct(90), newRS('rs', 0, 9), 10)).toBe(true));
  it('test using pod values that 90% availability of pods correctly passes', () =>
    expect(replicaProgressThresholdMet(pods(9), newRS('rs', 0, 9), 10)).toBe(true));
  it('test using percentage that under 90% availability of pods correctly fails', () =>
    expect(replicaProgressThresholdMet(pct(90), newRS('rs', 0, 8), 10)).toBe(false));
  it('test using pod values that under 8 pods correctly fails', () => expect(replicaProgressThresholdMet(pods(8), newRS('rs', 0, 7), 10)).toBe(false));
  it('test that when threshold is under 0, it defaults to 100% of pods being available to return true', () =>
    expect(replicaProgressThresholdMet(pods(-100), newRS('rs', 10, 10), 10)).toBe(true));
  it('test that when threshold is nil, it defaults to 100% of pods being available to return true', () =>
    expect(replicaProgressThresholdMet(undefined, newRS('rs', 5, 10), 10)).toBe(false));
  it('test that when the replicaset is nil, it always returns false', () => expect(replicaProgressThresholdMet(pods(5), undefined, 10)).toBe(false));
  it('test that percentages well above the required threshold correctly pass', () =>
    expect(replicaProgressThresholdMet(pct(100), newRS('rs', 0, 100), 10)).toBe(true));
  it('test that when desired is 0, threshold is always met (percentage type only)', () =>
    expect(replicaProgressThresholdMet(pct(90), newRS('rs', 0, 0), 0)).toBe(true));
});

describe(`TestResolveFenceposts / TestMaxSurge / TestMaxUnavailable (${REPLICASET_TEST})`, () => {
  const cases: [string | undefined, string | undefined, number, number, number, boolean][] = [
    ['0%', '0%', 0, 0, 1, false],
    ['39%', '39%', 10, 4, 3, false],
    ['oops', '39%', 10, 0, 0, true],
    ['55%', 'urg', 10, 0, 0, true],
    [undefined, '39%', 10, 0, 3, false],
    ['39%', undefined, 10, 4, 0, false],
    [undefined, undefined, 10, 0, 1, false],
  ];
  cases.forEach(([surge, unavailable, desired, expectSurge, expectUnavailable, expectError], num) => {
    it(`TestResolveFenceposts/${num}`, () => {
      const got = resolveFenceposts(surge, unavailable, desired);
      expect(got.ok).toBe(!expectError);
      const values = got.ok ? [got.surge, got.unavailable] : [0, 0];
      expect(values).toEqual([expectSurge, expectUnavailable]);
    });
  });

  it('TestMaxSurge/maxSurge with int', () => expect(maxSurge(10, 5, 1)).toBe(5));
  it('TestMaxSurge/maxSurge with percents', () => expect(maxSurge(10, '50%', 1)).toBe(5));
  const unav: [string, number, IntOrString, number][] = [
    ['maxUnavailable less than replicas', 10, 5, 5],
    ['maxUnavailable equal replicas', 10, 10, 10],
    ['maxUnavailable greater than replicas', 5, 10, 5],
    ['maxUnavailable with replicas is 0', 0, 10, 0],
    ['maxUnavailable less than replicas with percents', 10, '50%', 5],
    ['maxUnavailable equal replicas with percents', 10, '100%', 10],
    ['maxUnavailable greater than replicas with percents', 5, '100%', 5],
  ];
  for (const [name, replicas, value, expected] of unav) {
    it(`TestMaxUnavailable/${name}`, () => expect(maxUnavailable(replicas, value, 1)).toBe(expected));
  }
  // (the blue-green cases of TestMaxSurge / TestMaxUnavailable do not apply to a canary-only model)

  it('defaults: "25"/"25" strings are percentages (surge rounds up, unavailable down)', () => {
    expect(maxSurge(10, undefined, undefined)).toBe(3);
    expect(maxUnavailable(10, undefined, undefined)).toBe(2);
    expect(maxSurge(1, undefined, undefined)).toBe(1);
    expect(maxUnavailable(1, undefined, undefined)).toBe(0);
    expect(maxSurge(undefined, undefined, undefined)).toBe(1); // replicas nil ⇒ 1
  });
  it('a quoted "1" is 1 %: unavailable 0 below 100 replicas, so both-zero ⇒ unavailable 1 when surge is 0 too', () => {
    expect(maxUnavailable(10, '1', 3)).toBe(0);
    expect(maxUnavailable(10, '1', 0)).toBe(1);
    expect(maxSurge(10, '1', 0)).toBe(1); // ceil(0.1)
    expect(maxUnavailable(200, '1', 0)).toBe(2);
  });
  it('a parse error in either value gives 0 for both (errors ignored upstream)', () => {
    expect(maxSurge(10, 3, 'oops')).toBe(0);
    expect(maxUnavailable(10, 2, 'oops')).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Worked examples (semantics digest §2.6). Each reconcile: stable first, then new; only the first RS
// whose count changes is scaled; pods become ready instantly.

interface Pods {
  canary: number;
  stable: number;
}

function basicRollout(replicas: number, surge: IntOrString | undefined, unavailable: IntOrString | undefined, weights: number[], index: number): CanaryRolloutView {
  return {
    replicas,
    maxSurge: surge,
    maxUnavailable: unavailable,
    steps: weights.map((w): ReplicaMathStep => ({ kind: 'setWeight', setWeight: w })),
    currentStepIndex: index,
    abort: false,
    promoteFull: false,
    stableRS: 'stable',
    currentPodHash: 'canary',
  };
}

const ready = (name: string, n: number): ReplicaSetCounts => ({ name, specReplicas: n, statusReplicas: n, availableReplicas: n });

/** Reconciles until nothing changes; returns the scale calls as "stable 10→9" strings. */
function scalingSequence(rollout: CanaryRolloutView, pods: Pods): string[] {
  const seq: string[] = [];
  for (let i = 0; i < 100; i++) {
    const newRS = ready('canary', pods.canary);
    const stableRS = ready('stable', pods.stable);
    const stableTarget = basicCanary(rollout, newRS, stableRS, []).stableRSReplicaCount; // reconcileCanaryStableReplicaSet
    if (stableTarget !== pods.stable) {
      seq.push(`stable ${pods.stable}→${stableTarget}`);
      pods.stable = stableTarget;
      continue;
    }
    const newTarget = basicCanary(rollout, newRS, stableRS, []).newRSReplicaCount; // reconcileNewReplicaSet (NewRSNewReplicas)
    if (newTarget !== pods.canary) {
      seq.push(`canary ${pods.canary}→${newTarget}`);
      pods.canary = newTarget;
      continue;
    }
    return seq;
  }
  throw new Error('no fixpoint after 100 reconciles');
}

describe('semantics digest §2.6 worked examples', () => {
  it("R=10, maxSurge 25%, maxUnavailable 0: 5/20/50/80/end", () => {
    const weights = [5, 20, 50, 80];
    const pods: Pods = { canary: 0, stable: 10 };
    const at = (index: number) => scalingSequence(basicRollout(10, '25%', 0, weights, index), pods);
    expect(at(0)).toEqual(['canary 0→1']);
    expect(pods).toEqual({ canary: 1, stable: 10 }); // 11 pods at rest
    expect(at(1)).toEqual(['stable 10→9', 'canary 1→2', 'stable 9→8']);
    expect(at(2)).toEqual(['canary 2→5', 'stable 8→5']);
    expect(at(3)).toEqual(['canary 5→8', 'stable 5→2']);
    expect(at(4)).toEqual(['canary 8→10', 'stable 2→0']); // index past the end ⇒ weight 100
  });

  it('R=10, defaults 25%/25% (surge 3, unavailable 2): 5/20/50', () => {
    const weights = [5, 20, 50];
    const pods: Pods = { canary: 0, stable: 10 };
    const at = (index: number) => scalingSequence(basicRollout(10, undefined, undefined, weights, index), pods);
    expect(at(0)).toEqual(['canary 0→1']);
    expect(at(1)).toEqual(['stable 10→8', 'canary 1→2']);
    expect(at(2)).toEqual(['stable 8→6', 'canary 2→5', 'stable 6→5']);
  });

  it('why 5 % gives 1/10 with R=10: the 0.5 tie leaves (1,10) and (1,11); 1/11 is closer', () => {
    expect(approximateWeightedCanaryStableReplicaCounts(10, 5, 100, 3)).toEqual({ newRSReplicaCount: 1, stableRSReplicaCount: 10 });
  });

  const target = (r: number, surge: IntOrString | undefined, unavailable: IntOrString | undefined, w: number) =>
    approximateWeightedCanaryStableReplicaCounts(r, w, 100, maxSurge(r, surge, unavailable));
  const pair = (c: { newRSReplicaCount: number; stableRSReplicaCount: number }) => `${c.newRSReplicaCount}/${c.stableRSReplicaCount}`;

  it('R=4 default: 25→1/3, 50→2/2, 75→3/1', () => {
    expect([25, 50, 75].map((w) => pair(target(4, undefined, undefined, w)))).toEqual(['1/3', '2/2', '3/1']);
  });
  it('R=3 default: 10→1/3, 33→1/2, 50→2/2, 90→3/1', () => {
    expect([10, 33, 50, 90].map((w) => pair(target(3, undefined, undefined, w)))).toEqual(['1/3', '1/2', '2/2', '3/1']);
  });
  it('R=1 default (surge 1, unavailable 0): 20 or 50 → 1/1, 100 → 1/0', () => {
    expect([20, 50, 100].map((w) => pair(target(1, undefined, undefined, w)))).toEqual(['1/1', '1/1', '1/0']);
    expect(maxUnavailable(1, undefined, undefined)).toBe(0);
  });
  it('R=1, surge 0, unavailable 1: 20 → 0/1 (no canary), 50 → 1/0', () => {
    expect([20, 50].map((w) => pair(target(1, 0, 1, w)))).toEqual(['0/1', '1/0']);
    const pods: Pods = { canary: 0, stable: 1 };
    expect(scalingSequence(basicRollout(1, 0, 1, [20], 0), pods)).toEqual([]);
    expect(pods).toEqual({ canary: 0, stable: 1 });
  });
  it('R=5, surge 1, unavailable 0: 20/40/60/80 → 1/4, 2/3, 3/2, 4/1, each "canary up, then stable down"', () => {
    const weights = [20, 40, 60, 80];
    const pods: Pods = { canary: 0, stable: 5 };
    const at = (index: number) => scalingSequence(basicRollout(5, 1, 0, weights, index), pods);
    expect(at(0)).toEqual(['canary 0→1', 'stable 5→4']);
    expect(at(1)).toEqual(['canary 1→2', 'stable 4→3']);
    expect(at(2)).toEqual(['canary 2→3', 'stable 3→2']);
    expect(at(3)).toEqual(['canary 3→4', 'stable 2→1']);
  });
  it("the doc comment's '10 / 5 % / surge 1 / unavailable 1 ⇒ 1/9' is stale: the code gives 1/10", () => {
    const rollout = basicRollout(10, 1, 1, [5], 0);
    expect(basicCanary(rollout, ready('canary', 0), ready('stable', 10), [])).toEqual({
      newRSReplicaCount: 1,
      stableRSReplicaCount: 10,
    });
  });
  it('a leading step before the first setWeight runs with weight 0 (no canary)', () => {
    const steps: ReplicaMathStep[] = [{ kind: 'pause' }, { kind: 'setWeight', setWeight: 50 }];
    expect(getCurrentSetWeight(steps, 0, false, 100)).toBe(0);
    expect(getCurrentSetWeight(steps, 1, false, 100)).toBe(50);
    expect(getCurrentSetWeight(steps, 2, false, 100)).toBe(100);
    expect(getCurrentSetWeight(steps, 1, true, 100)).toBe(0);
    expect(getCurrentSetWeight([], 0, false, 100)).toBe(100);
  });
});

// ---------------------------------------------------------------------------------------------

describe('scaleDownOldReplicaSetsForCanary (basic canary)', () => {
  const old = (name: string, spec: number, available: number, revision: number): OldReplicaSetCounts => ({
    name, specReplicas: spec, statusReplicas: spec, availableReplicas: available, revision, creationTimestamp: revision,
  });
  const rollout = { replicas: 10, maxSurge: 3, maxUnavailable: 2 };

  it('drains by the availability budget, newest revision first, after trimming to available', () => {
    const v1 = old('v1', 4, 4, 1);
    const v2 = old('v2', 3, 2, 2); // one unhealthy pod
    const stable = ready('stable', 3);
    const canary = ready('canary', 2);
    // available = 4 + 2 + 3 + 2 = 11; minAvailable = 8; budget 3
    const got = scaleDownOldReplicaSetsForCanary({ rollout, allRSs: [v1, v2, stable, canary], oldRSs: [v1, v2] });
    expect(got.actions).toEqual([
      { name: 'v2', fromReplicas: 3, toReplicas: 2, step: 'cleanupUnhealthyReplicas' },
      { name: 'v2', fromReplicas: 2, toReplicas: 0, step: 'scaleDown' },
      { name: 'v1', fromReplicas: 4, toReplicas: 3, step: 'scaleDown' },
    ]);
    expect(got.totalScaledDown).toBe(4);
  });
  it('does nothing when the budget is not positive (but still trims unhealthy replicas, reporting 0)', () => {
    const v1 = old('v1', 3, 2, 1);
    const got = scaleDownOldReplicaSetsForCanary({ rollout, allRSs: [v1, ready('stable', 6)], oldRSs: [v1] });
    expect(got.actions).toEqual([{ name: 'v1', fromReplicas: 3, toReplicas: 2, step: 'cleanupUnhealthyReplicas' }]);
    expect(got.totalScaledDown).toBe(0);
  });
  it('available > spec during cleanup is an error upstream: earlier calls stand, 0 reported', () => {
    const a = old('a', 3, 2, 1);
    const b = old('b', 1, 2, 2);
    const got = scaleDownOldReplicaSetsForCanary({ rollout, allRSs: [a, b, ready('stable', 10)], oldRSs: [a, b] });
    expect(got.actions).toHaveLength(1);
    expect(got.totalScaledDown).toBe(0);
    expect(got.cleanupError).toMatch(/invalid request to scale down b 1 -> 2/);
  });
  it('the traffic-routed branch is not implemented', () => {
    expect(() => scaleDownOldReplicaSetsForCanary({ rollout: { ...rollout, trafficRouting: { maxTrafficWeight: undefined } }, allRSs: [], oldRSs: [] })).toThrow(
      /not implemented/,
    );
  });
  it('basic canary: setWeight completion waits until other RSs have no available pods', () => {
    const r = basicRollout(10, 3, 2, [50], 0);
    const done = (otherAvailable: number) =>
      atDesired(r, ready('canary', 5), ready('stable', 5), [{ name: 'v0', specReplicas: 0, statusReplicas: 0, availableReplicas: otherAvailable }], undefined);
    expect(done(1)).toBe(false);
    expect(done(0)).toBe(true);
  });
});

describe('desiredTrafficWeight (rollout/trafficrouting.go reconcileTrafficRouting)', () => {
  const tr = (over: Partial<CanaryRolloutView> = {}): CanaryRolloutView => ({
    ...basicRollout(10, undefined, undefined, [20, 50], 0),
    trafficRouting: { maxTrafficWeight: undefined },
    ...over,
  });
  const input = (rollout: CanaryRolloutView, canary: number, canaryAvailable: number) => ({
    rollout,
    newRS: { name: 'canary', specReplicas: canary, statusReplicas: canary, availableReplicas: canaryAvailable },
    newRSPodTemplateHash: 'canary',
    stableRS: ready('stable', 10),
    otherRSs: [],
  });
  it('canary not yet at desired count ⇒ last setWeight strictly before the index', () => {
    expect(desiredTrafficWeight(input(tr({ currentStepIndex: 1 }), 5, 2))).toMatchObject({ desiredWeight: 20, branch: 'previousSetWeight' });
    expect(desiredTrafficWeight(input(tr({ currentStepIndex: 0 }), 2, 1))).toMatchObject({ desiredWeight: 0, branch: 'previousSetWeight' });
  });
  it('canary at desired count ⇒ the current setWeight; past the end ⇒ max', () => {
    expect(desiredTrafficWeight(input(tr({ currentStepIndex: 1 }), 5, 5))).toMatchObject({ desiredWeight: 50, branch: 'currentSetWeight' });
    expect(desiredTrafficWeight(input(tr({ currentStepIndex: 2 }), 10, 10))).toMatchObject({ desiredWeight: 100, branch: 'endOfSteps' });
  });
  it('no new pods available ⇒ 0; aborted ⇒ 0; fully promoted ⇒ 0; no steps ⇒ 0', () => {
    expect(desiredTrafficWeight(input(tr(), 2, 0))).toMatchObject({ desiredWeight: 0, branch: 'newRSUnavailable' });
    expect(desiredTrafficWeight(input(tr({ abort: true }), 2, 2))).toMatchObject({ desiredWeight: 0, branch: 'aborted' });
    expect(desiredTrafficWeight(input(tr({ stableRS: 'canary' }), 2, 2))).toMatchObject({ desiredWeight: 0, branch: 'fullyPromoted' });
    expect(desiredTrafficWeight(input(tr({ steps: [] }), 2, 2))).toMatchObject({ desiredWeight: 0, branch: 'noSteps' });
  });
  it('promoteFull keeps the persisted canary weight', () => {
    const weights = { canary: { weight: 20 }, stable: { weight: 80 } };
    expect(desiredTrafficWeight(input(tr({ promoteFull: true, weights }), 2, 2))).toMatchObject({ desiredWeight: 20, branch: 'promoteFull' });
  });
  it('stable must have floor((max−w)*R/max) available, else nothing changes', () => {
    const got = desiredTrafficWeight({ ...input(tr({ currentStepIndex: 1 }), 5, 5), stableRS: { name: 'stable', specReplicas: 10, statusReplicas: 10, availableReplicas: 4 } });
    expect(got).toMatchObject({ desiredWeight: 50, stableReplicasAvailable: false });
  });
  it('dynamicStableScale abort: weight follows stable availability', () => {
    const rollout = tr({ abort: true, dynamicStableScale: true, currentStepIndex: 1, weights: { canary: { weight: 50 }, stable: { weight: 50 } } });
    // stable 5 available ⇒ expected canary weight 50; desired (walk back) = 20 since 5 canary pods > 2
    expect(calculateDesiredWeightOnAbortOrStableRollback(rollout, ready('canary', 5), ready('stable', 5))).toBe(50);
    // stable 8 available ⇒ stable weight 80 ≥ 100−20 ⇒ min(20, 50)
    expect(calculateDesiredWeightOnAbortOrStableRollback(rollout, ready('canary', 5), ready('stable', 8))).toBe(20);
  });
});

describe('adjustReplicaWithinLimits availability give-back (not reached by upstream\'s table)', () => {
  it('R=1, surge 1, unavailable 0, w=0; new spec 0 / 1 available, stable spec 2 / 0 available ⇒ new 1, stable 1', () => {
    // Hand trace of canary.go: target 0/1; scale-down pool = 0 (new: spec<available ⇒ spec) + 2
    // (stable, availability ignored) > minAvailable 1 ⇒ stable 2→1; adjustReplicaWithinLimits then
    // finds 0 available vs minAvailable 1 and gives the new RS back its one available pod.
    const rollout = basicRollout(1, 1, 0, [0], 0);
    const got = basicCanary(
      rollout,
      { name: 'canary', specReplicas: 0, statusReplicas: 0, availableReplicas: 1 },
      { name: 'stable', specReplicas: 2, statusReplicas: 2, availableReplicas: 0 },
      [],
    );
    expect(got).toEqual({ newRSReplicaCount: 1, stableRSReplicaCount: 1 });
  });
});

describe('checkStableRSExists', () => {
  it('needs a stable RS distinct from the new one', () => {
    expect(checkStableRSExists(undefined, undefined)).toBe(false);
    expect(checkStableRSExists(undefined, ready('s', 1))).toBe(true);
    expect(checkStableRSExists(ready('s', 1), ready('s', 1))).toBe(false);
    expect(checkStableRSExists(ready('n', 1), ready('s', 1))).toBe(true);
  });
});

describe('fast-check invariants of approximateWeightedCanaryStableReplicaCounts', () => {
  it('canary + stable is R or R+1, never R+1 without surge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 50 }), (r, w, surge) => {
        const { newRSReplicaCount: c, stableRSReplicaCount: s } = approximateWeightedCanaryStableReplicaCounts(r, w, 100, surge);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(s).toBeGreaterThanOrEqual(0);
        if (surge === 0) expect(c + s).toBe(r);
        else expect([r, r + 1]).toContain(c + s);
      }),
      { seed: 42 },
    );
  });
  it('0 < w < 100 with R ≥ 2 never gives 0 canary or 0 stable', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1000 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 50 }), (r, w, surge) => {
        const { newRSReplicaCount: c, stableRSReplicaCount: s } = approximateWeightedCanaryStableReplicaCounts(r, w, 100, surge);
        expect(c).toBeGreaterThan(0);
        expect(s).toBeGreaterThan(0);
      }),
      { seed: 42 },
    );
  });
});
