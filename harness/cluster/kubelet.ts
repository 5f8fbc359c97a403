// The harness as scheduler + kubelet for the `local` backend, where no kubelet exists
// (docs/conformance.md; control-plane recipe §3.5). It
// * registers one fake Node, Ready, with generous capacity (kube-controller-manager runs without the
//   node lifecycle controller, so no heartbeat is needed);
// * watches the run namespace's pods and POSTs a Binding for every pod without spec.nodeName;
// * once bound, writes what a kubelet writes when the containers have started but are not yet
//   ready (phase Running, Ready/ContainersReady False, podIP, containerStatuses) and reports the pod
//   to onPodStarted listeners;
// * setReady patches the status subresource like a kubelet whose readiness probe flipped; Ready's
//   lastTransitionTime changes only on a change of status — it is what minReadySeconds counts from
//   (k8s.io/kubernetes pkg/api/v1/pod: IsPodAvailable);
// * when a pod gets a deletionTimestamp, deletes it with grace 0 (the kubelet's last step of
//   graceful termination).
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
import { isAlreadyExists, isNotFound, restartWatchOnError } from './kubeApi.js';

export const FAKE_NODE_NAME = 'rehearse-node-0';

/** Kubernetes timestamps have second precision. */
export function kubeTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface PodStatusInput {
  readonly pod: V1Pod;
  readonly ready: boolean;
  readonly podIP: string;
  readonly hostIP: string;
  /** When Ready last changed (kept when `ready` equals the previous value). */
  readonly readyTransition: string;
  readonly startTime: string;
}

/** A pod condition as JSON (times as RFC 3339 strings, the wire form). */
export interface ConditionJson {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly lastTransitionTime?: string;
  readonly [key: string]: unknown;
}

/** The status a kubelet reports for a started pod whose containers are (not) ready. */
export function kubeletPodStatus(input: PodStatusInput): { conditions: ConditionJson[]; [key: string]: unknown } {
  const { pod, ready, startTime, readyTransition } = input;
  const readyStatus = ready ? 'True' : 'False';
  const conditions: ConditionJson[] = [
    { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: startTime },
    { type: 'Initialized', status: 'True', lastTransitionTime: startTime },
    { type: 'ContainersReady', status: readyStatus, lastTransitionTime: readyTransition },
    { type: 'Ready', status: readyStatus, lastTransitionTime: readyTransition },
    { type: 'PodScheduled', status: 'True', lastTransitionTime: startTime },
  ];
  const containerStatuses = (pod.spec?.containers ?? []).map((c) => ({
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    containerID: `rehearse://${pod.metadata?.uid ?? ''}/${c.name}`,
    ready,
    started: true,
    restartCount: 0,
    state: { running: { startedAt: startTime } },
  }));
  return {
    phase: 'Running',
    conditions,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    podIP: input.podIP,
    podIPs: [{ ip: input.podIP }],
    startTime,
    containerStatuses,
    // No qosClass: the API server derived it at creation and refuses a change.
  };
}

function gateTime(t: Date | string | undefined): string | undefined {
  if (t === undefined) return undefined;
  return typeof t === 'string' ? t : kubeTime(t);
}

interface Tracked {
  pod: V1Pod;
  podIP: string;
  startTime: string;
  ready: boolean;
  readyTransition: string;
  started: boolean;
}

export interface HarnessKubeletOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly log: (line: string) => void;
  readonly nodeName?: string;
  /** First two octets of the fake pod IPs (default 10.244). */
  readonly podSubnetPrefix?: string;
}

export class HarnessKubelet implements PodLifecycleDriver {
  private readonly core: CoreV1Api;
  private readonly nodeName: string;
  private readonly tracked = new Map<string, Tracked>();
  private readonly binding = new Set<string>();
  private readonly deleting = new Set<string>();
  private readonly listeners: ((pod: V1Pod) => void)[] = [];
  private informer: (Informer<V1Pod> & ObjectCache<V1Pod>) | undefined;
  private stopped = false;
  private nextIp = 2;
  private readonly errors: string[] = [];

  constructor(private readonly options: HarnessKubeletOptions) {
    this.core = options.kubeConfig.makeApiClient(CoreV1Api);
    this.nodeName = options.nodeName ?? FAKE_NODE_NAME;
  }

  /** Registers the fake Node and starts watching the namespace's pods. */
  async start(): Promise<void> {
    await this.registerNode();
    const { namespace } = this.options;
    const informer = makeInformer<V1Pod>(this.options.kubeConfig, `/api/v1/namespaces/${namespace}/pods`, () =>
      this.core.listNamespacedPod({ namespace }),
    );
    const onPod = (pod: V1Pod): void => {
      this.handle(pod).catch((err: unknown) => this.noteError(pod, err));
    };
    informer.on('add', onPod);
    informer.on('update', onPod);
    informer.on('delete', (pod) => this.tracked.delete(pod.metadata?.name ?? ''));
    restartWatchOnError(informer, () => this.stopped, (line) => this.options.log(`harness kubelet: ${line}`));
    this.informer = informer;
    await informer.start();
  }

  onPodStarted(listener: (pod: V1Pod) => void): void {
    this.listeners.push(listener);
    // Pods that started before the listener registered are reported too.
    for (const t of this.tracked.values()) if (t.started) listener(t.pod);
  }

  async setReady(podName: string, ready: boolean): Promise<void> {
    const t = this.tracked.get(podName);
    if (!t || !t.started) throw new Error(`setReady(${podName}): no started pod of that name in namespace ${this.options.namespace}`);
    if (t.ready !== ready) {
      t.ready = ready;
      t.readyTransition = kubeTime(new Date());
    }
    await this.patchStatus(t);
  }

  /** Errors met while binding/patching (also logged); the runner may report them. */
  problems(): readonly string[] {
    return this.errors;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer?.stop();
  }

  private async registerNode(): Promise<void> {
    const now = kubeTime(new Date());
    const capacity = { cpu: '1000', memory: '1000Gi', pods: '10000', 'ephemeral-storage': '1000Gi' };
    const status = {
      capacity,
      allocatable: capacity,
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'rehearse harness kubelet', lastHeartbeatTime: now, lastTransitionTime: now },
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: now, lastTransitionTime: now },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', lastHeartbeatTime: now, lastTransitionTime: now },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', lastHeartbeatTime: now, lastTransitionTime: now },
      ],
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: this.nodeName },
      ],
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'rehearse',
        kubeProxyVersion: '',
        containerRuntimeVersion: 'rehearse://0',
        bootID: '',
        kernelVersion: '',
        machineID: '',
        osImage: 'rehearse',
        systemUUID: '',
      },
    };
    try {
      await this.core.createNode({
        body: {
          metadata: { name: this.nodeName, labels: { 'kubernetes.io/hostname': this.nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
          spec: {},
        },
      });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    // Status is a subresource: written separately, as the kubelet's status manager does.
    await this.core.patchNodeStatus({ name: this.nodeName, body: { status } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
  }

  private async handle(pod: V1Pod): Promise<void> {
    if (this.stopped) return;
    const name = pod.metadata?.name ?? '';
    const tracked = this.tracked.get(name);
    if (tracked && tracked.pod.metadata?.uid === pod.metadata?.uid) tracked.pod = pod;
    if (pod.metadata?.deletionTimestamp) {
      await this.finishDeletion(pod);
      return;
    }
    if (!pod.spec?.nodeName) {
      await this.bind(pod);
      return;
    }
    if (pod.spec.nodeName !== this.nodeName) return;
    if (!tracked || tracked.pod.metadata?.uid !== pod.metadata?.uid) await this.startPod(pod);
  }

  private async bind(pod: V1Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    const key = `${name}/${pod.metadata?.uid ?? ''}`;
    if (this.binding.has(key)) return;
    this.binding.add(key);
    try {
      await this.core.createNamespacedPodBinding({
        name,
        namespace: this.options.namespace,
        body: {
          metadata: { name, namespace: this.options.namespace, ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}) },
          target: { apiVersion: 'v1', kind: 'Node', name: this.nodeName },
        },
      });
    } catch (err) {
      // Already bound (409) or gone (404): the watch brings the next state.
      if (!isAlreadyExists(err) && !isNotFound(err)) {
        this.binding.delete(key);
        throw err;
      }
    }
  }

  private async startPod(pod: V1Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    const now = kubeTime(new Date());
    const t: Tracked = {
      pod,
      podIP: this.allocateIp(),
      startTime: now,
      ready: false,
      readyTransition: now,
      started: false,
    };
    this.tracked.set(name, t);
    await this.patchStatus(t);
    t.started = true;
    this.options.log(`harness kubelet: pod ${name} started on ${this.nodeName} (${t.podIP})`);
    for (const l of this.listeners) l(t.pod);
  }

  private async patchStatus(t: Tracked): Promise<void> {
    const name = t.pod.metadata?.name ?? '';
    const status = kubeletPodStatus({
      pod: t.pod,
      ready: t.ready,
      podIP: t.podIP,
      hostIP: '127.0.0.1',
      readyTransition: t.readyTransition,
      startTime: t.startTime,
    });
    // Readiness-gate conditions are not ours: keep whatever the pod carries.
    const gateTypes = new Set((t.pod.spec?.readinessGates ?? []).map((g) => g.conditionType));
    for (const c of t.pod.status?.conditions ?? []) {
      if (gateTypes.has(c.type)) status.conditions.push({ ...c, status: c.status === 'True' ? 'True' : 'False', lastTransitionTime: gateTime(c.lastTransitionTime) });
    }
    const updated = await this.core.patchNamespacedPodStatus(
      { name, namespace: this.options.namespace, body: { status } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    t.pod = updated;
  }

  private async finishDeletion(pod: V1Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    const key = `${name}/${pod.metadata?.uid ?? ''}`;
    if (this.deleting.has(key)) return;
    this.deleting.add(key);
    try {
      await this.core.deleteNamespacedPod({
        name,
        namespace: this.options.namespace,
        gracePeriodSeconds: 0,
        body: { gracePeriodSeconds: 0, ...(pod.metadata?.uid ? { preconditions: { uid: pod.metadata.uid } } : {}) },
      });
    } catch (err) {
      if (!isNotFound(err) && !isAlreadyExists(err)) throw err;
    }
  }

  private allocateIp(): string {
    const n = this.nextIp++;
    const prefix = this.options.podSubnetPrefix ?? '10.244';
    return `${prefix}.${Math.floor(n / 250)}.${(n % 250) + 2}`;
  }

  private noteError(pod: V1Pod, err: unknown): void {
    if (this.stopped) return;
    const message = `harness kubelet: pod ${pod.metadata?.name ?? '?'}: ${err instanceof Error ? err.message : String(err)}`;
    this.errors.push(message);
    this.options.log(message);
  }
}
