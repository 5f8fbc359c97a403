// `rollbackWindow.revisions` (argo-rollouts v1.9.1 rollout/sync.go isRollbackWithinWindow): going
// back to a ReplicaSet created before the stable one, with fewer than N ReplicaSets (experiments'
// excluded — rehearse has none) created in between, is a rollback within the window — analysis,
// pauses and steps are skipped. Creation timestamps are compared as the API stores them: whole
// seconds, strictly before.
import type { ReplicaSet } from '../cluster/replicaSet.js';

const seconds = (rs: ReplicaSet): number => Math.floor(rs.createdAtMs / 1000);

export function isRollbackWithinWindow(
  newRS: ReplicaSet | undefined,
  stableRS: ReplicaSet | undefined,
  allRSs: readonly ReplicaSet[],
  revisions: number,
): boolean {
  if (!newRS || !stableRS || revisions <= 0) return false;
  if (!(seconds(newRS) < seconds(stableRS))) return false;
  let windowSize = 0;
  for (const rs of allRSs) if (seconds(rs) < seconds(stableRS) && seconds(newRS) < seconds(rs)) windowSize++;
  return windowSize < revisions;
}
