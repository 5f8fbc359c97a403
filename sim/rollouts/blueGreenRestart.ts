// `replicasetutil.MaxUnavailable` for a blue-green Rollout (argo-rollouts v1.9.1
// utils/replicaset/replicaset.go MaxUnavailable, utils/defaults/defaults.go
// GetMaxUnavailableOrDefault). Blue-green reads it only for pod restarts (rollout/restart.go): no
// maxSurge fenceposts, spec.strategy.blueGreen.maxUnavailable or the 25% default, rounded down,
// never more than spec.replicas.
import type { IntOrString } from '../manifests/types.js';
import { getValueFromIntOrPercent } from '../manifests/intOrPercent.js';

const DEFAULT_MAX_UNAVAILABLE: IntOrString = '25%';

export function blueGreenMaxUnavailable(replicas: number, maxUnavailable: IntOrString | undefined): number {
  if (replicas === 0) return 0;
  const r = getValueFromIntOrPercent(maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE, replicas, false);
  const value = r.ok ? r.value : 0;
  return value > replicas ? replicas : value;
}
