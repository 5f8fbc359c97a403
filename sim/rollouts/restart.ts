// Pod restarts asked for by spec.restartAt (`kubectl argo rollouts restart`): argo-rollouts v1.9.1
// rollout/restart.go (RolloutPodRestarter.Reconcile, checkEnqueueRollout) and
// utils/replicaset/replicaset.go NeedsRestart. Pods created before restartAt are evicted a few at a
// time — never more than keeps `max(replicas, Σ spec) − max(maxUnavailable, 1)` pods available —
// and the ReplicaSet controller replaces them; once none is left, status.restartedAt records it.
import type { ReplicaSet } from '../cluster/replicaSet.js';
import type { Cluster } from '../cluster/cluster.js';
import { DefaultRolloutResyncPeriodSeconds } from './defaults.js';
import { metaNow } from './status.js';

/** restart.go restartPodCheckTime: how soon the restarter looks again while pods remain. */
export const RestartPodCheckMs = 30_000;

export interface RestartInput {
  readonly nowMs: number;
  /** spec.restartAt (virtual ms, whole seconds) and status.restartedAt. */
  readonly restartAt: number | undefined;
  readonly restartedAt: number | undefined;
  readonly replicas: number;
  /** `MaxUnavailable(rollout)` resolved against spec.replicas. */
  readonly maxUnavailable: number;
  readonly allRSs: readonly ReplicaSet[];
}

export interface RestartOutcome {
  /** Pods evicted by this reconcile (the canary reconcile ends early when > 0). */
  readonly restarted: number;
  /** Every pod is newer than restartAt: status.restartedAt = restartAt. */
  readonly done: boolean;
}

/** `NeedsRestart`: restartAt set, not yet reflected in status, and in the past (strictly). */
export function needsRestart(i: Pick<RestartInput, 'nowMs' | 'restartAt' | 'restartedAt'>): boolean {
  if (i.restartAt === undefined) return false;
  if (i.restartedAt !== undefined && i.restartAt === i.restartedAt) return false;
  return i.nowMs > i.restartAt;
}

/**
 * `RolloutPodRestarter.Reconcile`. `enqueueAfter` is the controller's delayed requeue. A future
 * restartAt within the resync period arms a requeue for it (checkEnqueueRollout); since the check
 * is "now is after restartAt", the requeue lands one virtual millisecond past it (our reconciles
 * take no time, a real one always runs a little later).
 */
export function reconcilePodRestarts(i: RestartInput, cluster: Cluster, enqueueAfter: (ms: number) => void): RestartOutcome {
  if (i.restartAt !== undefined && i.nowMs <= i.restartAt && i.nowMs + DefaultRolloutResyncPeriodSeconds * 1000 > i.restartAt) {
    enqueueAfter(i.restartAt - i.nowMs + 1);
  }
  if (!needsRestart(i)) return { restarted: 0, done: false };
  const restartAt = i.restartAt!;
  // getRolloutPods lists the pods through the API server: ordered by name, not by ReplicaSet.
  const pods = i.allRSs.flatMap((rs) => rs.pods.map((pod) => ({ rs, pod }))).sort((a, b) => (a.pod.name < b.pod.name ? -1 : a.pod.name > b.pod.name ? 1 : 0));
  const totalReplicas = i.allRSs.reduce((n, rs) => n + rs.specReplicas, 0);
  const available = pods.filter(({ pod }) => pod.phase === 'Available').length;
  const concurrentRestart = Math.max(i.maxUnavailable, 1);
  let canRestart = available - (Math.max(i.replicas, totalReplicas) - concurrentRestart);
  let needs = 0;
  let restarted = 0;
  for (const { pod } of pods) {
    // CreationTimestamp is whole seconds; a pod created in restartAt's second counts as new.
    if (metaNow(pod.createdAtMs) >= restartAt) continue;
    needs++;
    if (canRestart <= 0) continue;
    cluster.deletePod(pod, 'Evicted');
    canRestart--;
    restarted++;
  }
  if (needs - restarted !== 0) {
    enqueueAfter(RestartPodCheckMs);
    return { restarted, done: false };
  }
  return { restarted, done: true };
}
