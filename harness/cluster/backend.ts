// One interface over the clusters a conformance run can play against (DESIGN.md "Real-cluster
// conformance"): `local` (etcd, kube-apiserver, kube-controller-manager and the Argo Rollouts
// controller as child processes on 127.0.0.1), `kind` (a kind cluster through testcontainers, for
// users with Docker) and `kubeconfig` (an existing cluster, in a namespace rehearse owns).
// The conformance runner (harness/conformance/) sees only this file.
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';

export type ClusterKind = 'local' | 'kind' | 'kubeconfig';

export interface ClusterStartOptions {
  /** Progress lines for the user ("etcd ready in 0.8 s"). */
  readonly log: (line: string) => void;
  /** Keep component logs and temp files after stop (for debugging a divergence). */
  readonly keepArtifacts?: boolean;
  /** kubeconfig backend: the file and the explicit context to use. */
  readonly kubeconfigPath?: string;
  readonly context?: string;
  /** kubeconfig backend: allow a context whose name looks like production. */
  readonly force?: boolean;
}

/**
 * How pods come to life. On `local` there is no kubelet: rehearse binds the pods to its own fake
 * Node and patches their status when its pod model says they are ready. On `kind`/`kubeconfig`
 * real kubelets run the pods and rehearse gates readiness through a readiness-gate condition.
 * Either way the runner calls `setReady` at the moment its simulated pod model decides.
 */
export interface PodLifecycleDriver {
  /** Called once for every new pod of the namespace as soon as it is placed on a node. */
  onPodStarted(listener: (pod: V1Pod) => void): void;
  /** Ready or not ready, as the kubelet would report (Ready and ContainersReady conditions). */
  setReady(podName: string, ready: boolean): Promise<void>;
  stop(): Promise<void>;
}

export interface RunningCluster {
  readonly kind: ClusterKind;
  /** Admin credentials for the harness itself. */
  readonly kubeConfig: KubeConfig;
  /** A namespace rehearse created for this run; deleted by `stop`. */
  readonly namespace: string;
  /** The Argo Rollouts controller's and Kubernetes' versions, for the report. */
  readonly versions: Readonly<Record<string, string>>;
  /** Host interface the harness's Prometheus API server must listen on (127.0.0.1 except kind on Linux). */
  readonly prometheusListenHost: string;
  /** The address an AnalysisTemplate must use to reach that server on `port`. */
  prometheusAddress(port: number): string;
  /**
   * Set on backends with real kubelets (kind, kubeconfig): the pod condition type rehearse controls.
   * The runner must add `readinessGates: [{ conditionType: readinessGate }]` to every pod template
   * it creates (the same for the baseline and the change, so pod-template hashes stay comparable).
   */
  readonly readinessGate?: string;
  /** Drives the pods of `namespace` (see PodLifecycleDriver). */
  pods(): Promise<PodLifecycleDriver>;
  /** Throws an Error carrying the tail of its log when any component rehearse started has exited. */
  assertHealthy(): void;
  /** Stops every process rehearse started (by its own pid), removes temp folders and the namespace. */
  stop(): Promise<void>;
}

export interface ClusterBackend {
  readonly kind: ClusterKind;
  start(options: ClusterStartOptions): Promise<RunningCluster>;
}
