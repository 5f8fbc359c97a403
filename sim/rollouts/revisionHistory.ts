// `revisionHistoryLimit` (default 10): argo-rollouts v1.9.1 rollout/sync.go
// reconcileRevisionHistoryLimit. Of the "other" ReplicaSets (neither new nor stable), all but the
// newest `limit` are candidates, oldest first; only those with no pods, in spec or in status, are
// deleted. (Upstream also deletes their AnalysisRuns; rehearse keeps them, so that the run's
// summary still lists every analysis.)
import type { Cluster } from '../cluster/cluster.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import { getRevisionHistoryLimitOrDefault } from './defaults.js';

export function reconcileRevisionHistoryLimit(otherRSs: readonly ReplicaSet[], revisionHistoryLimit: number | undefined, cluster: Cluster): void {
  const limit = getRevisionHistoryLimitOrDefault(revisionHistoryLimit);
  const diff = otherRSs.length - limit;
  if (diff <= 0) return;
  // controller.ReplicaSetsByCreationTimestamp: by creation time (whole seconds), then by name.
  const byAge = [...otherRSs].sort((a, b) => Math.floor(a.createdAtMs / 1000) - Math.floor(b.createdAtMs / 1000) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 0; i < diff; i++) {
    const rs = byAge[i]!;
    if (rs.statusReplicas !== 0 || rs.specReplicas !== 0) continue;
    cluster.deleteReplicaSet(rs);
  }
}
