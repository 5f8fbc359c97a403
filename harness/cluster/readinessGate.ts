// PodLifecycleDriver for clusters with real kubelets (kind, kubeconfig): the containers really run,
// and rehearse decides when a pod counts as Ready through a readiness gate — a pod is Ready only
// when its containers are ready *and* every readinessGates condition is True
// (k8s.io/kubernetes pkg/kubelet/status: GeneratePodReadyCondition). The runner puts
// `readinessGates: [{ conditionType: REHEARSE_READINESS_GATE }]` in the pod template; setReady
// patches that condition on the pod's status subresource. "Started" = bound to a node.
import {
  CoreV1Api,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
  type Informer,
  type KubeConfig,
  type ObjectCache,
  type V1Pod,
} from '@kubernetes/client-node';
import type { PodLifecycleDriver } from './backend.js';
import { restartWatchOnError } from './kubeApi.js';
import { kubeTime } from './kubelet.js';

export const REHEARSE_READINESS_GATE = 'rehearse.dev/simulated-ready';

/** The strategic-merge patch body that sets the gate condition (conditions merge by type). */
export function readinessGatePatch(ready: boolean, now: Date, gate = REHEARSE_READINESS_GATE): { status: { conditions: Record<string, string>[] } } {
  return {
    status: {
      conditions: [
        {
          type: gate,
          status: ready ? 'True' : 'False',
          reason: ready ? 'RehearseReady' : 'RehearseNotReady',
          lastTransitionTime: kubeTime(now),
        },
      ],
    },
  };
}

export class ReadinessGateDriver implements PodLifecycleDriver {
  private readonly core: CoreV1Api;
  private readonly started = new Map<string, V1Pod>();
  private readonly listeners: ((pod: V1Pod) => void)[] = [];
  private informer: (Informer<V1Pod> & ObjectCache<V1Pod>) | undefined;
  private stopped = false;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly namespace: string,
    private readonly log: (line: string) => void,
    private readonly gate = REHEARSE_READINESS_GATE,
  ) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
  }

  async start(): Promise<void> {
    const namespace = this.namespace;
    const informer = makeInformer<V1Pod>(this.kubeConfig, `/api/v1/namespaces/${namespace}/pods`, () => this.core.listNamespacedPod({ namespace }));
    const onPod = (pod: V1Pod): void => {
      const key = `${pod.metadata?.name ?? ''}/${pod.metadata?.uid ?? ''}`;
      if (!pod.spec?.nodeName || this.started.has(key)) return;
      if (!(pod.spec.readinessGates ?? []).some((g) => g.conditionType === this.gate)) {
        this.log(`pod ${pod.metadata?.name ?? '?'} has no readiness gate ${this.gate}: rehearse cannot control its readiness`);
      }
      this.started.set(key, pod);
      for (const l of this.listeners) l(pod);
    };
    informer.on('add', onPod);
    informer.on('update', onPod);
    restartWatchOnError(informer, () => this.stopped, this.log);
    this.informer = informer;
    await informer.start();
  }

  onPodStarted(listener: (pod: V1Pod) => void): void {
    this.listeners.push(listener);
    for (const pod of this.started.values()) listener(pod);
  }

  async setReady(podName: string, ready: boolean): Promise<void> {
    await this.core.patchNamespacedPodStatus(
      { name: podName, namespace: this.namespace, body: readinessGatePatch(ready, new Date(), this.gate) },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer?.stop();
  }
}

/**
 * The readiness-gate driver of a kind or kubeconfig cluster, started on first use (a run that never
 * asks for pods starts no watch); `stop` stops it if it was started.
 */
export function lazyReadinessGateDriver(kubeConfig: KubeConfig, namespace: string, log: (line: string) => void): { pods(): Promise<PodLifecycleDriver>; stop(): Promise<void> } {
  let driver: Promise<ReadinessGateDriver> | undefined;
  return {
    pods: () =>
      (driver ??= (async () => {
        const d = new ReadinessGateDriver(kubeConfig, namespace, log);
        await d.start();
        return d;
      })()),
    stop: async () => {
      if (driver) await (await driver).stop();
    },
  };
}
