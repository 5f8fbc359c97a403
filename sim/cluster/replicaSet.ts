// ReplicaSets and their pods: the data-plane objects the Rollouts controller scales and the traffic
// model routes to. Counts follow the Kubernetes ReplicaSet status the controller reads:
// `replicas` = pods that exist and are not terminating, `readyReplicas` = ready pods,
// `availableReplicas` = pods ready for at least minReadySeconds (k8s `podutil.IsPodAvailable`).
import type { PodTemplateSpec } from '../manifests/types.js';

/** Label the controller adds to ReplicaSets, pods and Service selectors (`DefaultRolloutUniqueLabelKey`). */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/**
 * Where a pod stands, as far as Services and the ReplicaSet status are concerned:
 * - `Pending`: no container yet (its image cannot be pulled: `reason` ErrImagePull/ImagePullBackOff);
 * - `Starting`: a container runs but the pod is not ready (start-up, or a failing readiness probe);
 * - `Ready`: ready, not yet for minReadySeconds; `Available`: ready for at least minReadySeconds;
 * - `CrashLoopBackOff`: the container exited and the kubelet waits out its restart back-off.
 * Only `Ready` and `Available` pods are Service endpoints and count in `readyReplicas`.
 */
export type PodPhase = 'Pending' | 'Starting' | 'Ready' | 'Available' | 'CrashLoopBackOff';

export interface Pod {
  readonly name: string;
  readonly createdAtMs: number;
  phase: PodPhase;
  /** When the pod last became ready (the Ready condition's lastTransitionTime); undefined while not ready. */
  readyAtMs: number | undefined;
  /** Container restarts by the kubelet (`status.containerStatuses[].restartCount`). */
  restartCount: number;
  /** Why a pod is not ready, as `kubectl get pods` shows it (ImagePullBackOff, CrashLoopBackOff, ...). */
  reason: string | undefined;
}

export function isPodReady(pod: Pod): boolean {
  return pod.phase === 'Ready' || pod.phase === 'Available';
}

/** The controllerRef of a ReplicaSet: the Rollout (undefined) or an Experiment that created it. */
export interface ReplicaSetOwner {
  readonly kind: 'Experiment';
  readonly name: string;
  /** `experiment.argoproj.io/template-name`. */
  readonly template: string;
}

export class ReplicaSet {
  specReplicas = 0;
  readonly annotations = new Map<string, string>();
  readonly pods: Pod[] = [];
  private podSeq = 0;

  constructor(
    readonly name: string,
    readonly podTemplateHash: string,
    readonly template: PodTemplateSpec,
    /** Template labels plus the pod-template-hash label: what Services select on. */
    readonly podLabels: Readonly<Record<string, string>>,
    readonly createdAtMs: number,
    /** Creation order, to break ties between ReplicaSets created in the same millisecond. */
    readonly createdSeq: number,
    /** Owner other than the Rollout (an Experiment's ReplicaSet); the Rollout controller ignores these. */
    readonly owner: ReplicaSetOwner | undefined = undefined,
  ) {}

  get statusReplicas(): number {
    return this.pods.length;
  }

  get readyReplicas(): number {
    let n = 0;
    for (const p of this.pods) if (isPodReady(p)) n++;
    return n;
  }

  get availableReplicas(): number {
    let n = 0;
    for (const p of this.pods) if (p.phase === 'Available') n++;
    return n;
  }

  get revision(): number {
    return Number(this.annotations.get('rollout.argoproj.io/revision') ?? '0');
  }

  nextPodName(): string {
    // Kubernetes appends a random 5-character suffix; ours is a counter so names are stable.
    return `${this.name}-${(this.podSeq++).toString(36).padStart(5, '0')}`;
  }
}

/**
 * The order in which the ReplicaSet controller deletes pods when scaling down
 * (kubernetes `pkg/controller/replicaset/replica_set.go: getPodsToDelete` → `ActivePodsWithRanks`,
 * `pkg/controller/controller_utils.go`): Pending before Running, not-ready before ready, then ready
 * for a shorter time first, then more container restarts first, then newer pods first.
 * Returns the pods to delete, most deletable first.
 */
export function podsToDelete(pods: readonly Pod[], count: number): Pod[] {
  const ranked = [...pods].sort((a, b) => {
    const aRunning = a.phase !== 'Pending' ? 1 : 0;
    const bRunning = b.phase !== 'Pending' ? 1 : 0;
    if (aRunning !== bRunning) return aRunning - bRunning;
    const aReady = isPodReady(a) ? 1 : 0;
    const bReady = isPodReady(b) ? 1 : 0;
    if (aReady !== bReady) return aReady - bReady;
    if (aReady && bReady && a.readyAtMs !== b.readyAtMs) return (b.readyAtMs ?? 0) - (a.readyAtMs ?? 0);
    if (a.restartCount !== b.restartCount) return b.restartCount - a.restartCount;
    if (a.createdAtMs !== b.createdAtMs) return b.createdAtMs - a.createdAtMs;
    return a.name < b.name ? 1 : -1;
  });
  return ranked.slice(0, Math.max(0, count));
}
