// The simulated cluster: ReplicaSets, pods with start-up latency and readiness, and Services.
// It plays the parts of the ReplicaSet controller, the scheduler and the kubelet: a scale
// request creates or deletes pods (in the ReplicaSet controller's sync, right after), each new pod
// becomes ready after a start-up latency drawn from the pod model, and available
// `minReadySeconds` later. Every change is reported to listeners (the rollout controller's
// informer, the traffic model) through `onChange`.
//
// Hook points for failure injection (sim/faults/pods.ts), so faults are data and not special cases:
// - `addPodHooks`: per-pod start-up overrides, readiness gates, image-pull errors, and a callback on
//   every container start (creation, restart, start after a late image pull);
// - `exitContainer`: a container exits (crash, OOM kill); the kubelet restarts it with its back-off
//   (backoff.ts) and the pod stays in its ReplicaSet, not ready while crashed;
// - `deletePod`: eviction or node loss; the ReplicaSet controller creates a replacement;
// - `reevaluateReadiness`: a readiness gate changed its answer.
// Each pod's start-up latency is drawn once, at creation, from the `pods` stream, whatever the
// hooks do with it (a restarted container reuses it), so faults never shift other pods' draws.
import { Priority, type Kernel } from '../engine/kernel.js';
import type { RandomStream } from '../engine/random.js';
import type { TraceRecorder } from '../engine/trace.js';
import type { PodTemplateSpec } from '../manifests/types.js';
import { isInBackOffSince, isInBackOffSinceUpdate, nextBackOff, type BackOffEntry } from './backoff.js';
import { POD_TEMPLATE_HASH_LABEL, ReplicaSet, isPodReady, podsToDelete, type Pod, type ReplicaSetOwner } from './replicaSet.js';
import type { PodStartupModel } from './podModel.js';
import { SimService } from './service.js';

export type ClusterChange =
  | { readonly kind: 'replicaSetCreated'; readonly rs: ReplicaSet }
  | { readonly kind: 'replicaSetScaled'; readonly rs: ReplicaSet }
  | { readonly kind: 'replicaSetDeleted'; readonly rs: ReplicaSet }
  | { readonly kind: 'podStatus'; readonly rs: ReplicaSet }
  | { readonly kind: 'serviceSelector'; readonly service: SimService };

export interface ClusterOptions {
  readonly kernel: Kernel;
  readonly trace: TraceRecorder;
  readonly podRandom: RandomStream;
  /** Start-up model for the pods of a template (per version behaviour comes from the scenario). */
  readonly startupFor: (template: PodTemplateSpec, rs: ReplicaSet) => PodStartupModel;
}

/**
 * What a fault (or any other model) may change about pods. Every hook is optional; hooks run in
 * the order they were added (a scenario's fault order), so the result is deterministic.
 */
export interface PodHooks {
  /**
   * The start-up latency (ms from container start to passing readiness) of a container starting
   * now, given the latency so far; Infinity: it never passes. Applied at every container start.
   */
  startupMs?(rs: ReplicaSet, pod: Pod, startupMs: number, nowMs: number): number;
  /** A readiness gate: false keeps (or makes) the pod not ready, like a failing readiness probe. */
  ready?(rs: ReplicaSet, pod: Pod, nowMs: number): boolean;
  /** Image pull of a new pod: a message makes the pull fail (ErrImagePull, retried with back-off). */
  pullError?(rs: ReplicaSet, pod: Pod, nowMs: number): string | undefined;
  /** A container of the pod has just started (first start or restart). */
  containerStarted?(rs: ReplicaSet, pod: Pod, container: ContainerInfo): void;
}

/** The pod's running container: its instance number (increases with every start) and start time. */
export interface ContainerInfo {
  readonly id: number;
  readonly startedAtMs: number;
}

/** What the kubelet knows of one pod. */
interface PodRuntime {
  readonly rs: ReplicaSet;
  /** Drawn at creation from the pods stream; every container start of the pod reuses it. */
  readonly drawnStartupMs: number;
  container: ContainerInfo | undefined;
  containerSeq: number;
  /** The current container has passed its start-up latency. */
  startedUp: boolean;
  /** Bumped at every readiness transition, so a pending "available" check can tell it is stale. */
  readySeq: number;
  crashBackOff: BackOffEntry | undefined;
  pullBackOff: BackOffEntry | undefined;
  deleted: boolean;
}

export class Cluster {
  readonly replicaSets: ReplicaSet[] = [];
  /** ReplicaSets deleted during the run (revisionHistoryLimit), kept for the run's summary. */
  readonly deletedReplicaSets: ReplicaSet[] = [];
  readonly services = new Map<string, SimService>();
  /** Bumped whenever a Service is added or its selector changes (caches of "who selects what" key on it). */
  selectorEpoch = 0;
  private readonly listeners: ((change: ClusterChange) => void)[] = [];
  private readonly hooks: PodHooks[] = [];
  private rsSeq = 0;
  private readonly minReadyByRs = new Map<ReplicaSet, number>();
  private readonly runtime = new Map<Pod, PodRuntime>();

  constructor(private readonly options: ClusterOptions) {}

  onChange(listener: (change: ClusterChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: ClusterChange): void {
    for (const l of this.listeners) l(change);
  }

  /** Adds pod hooks (see PodHooks); they apply to every pod event from now on. */
  addPodHooks(hooks: PodHooks): void {
    this.hooks.push(hooks);
  }

  private get nowMs(): number {
    return this.options.kernel.nowMs;
  }

  addService(service: SimService): void {
    this.services.set(service.name, service);
    this.selectorEpoch++;
  }

  /** Deletes a Service (an Experiment's, when its template scaled down). */
  removeService(name: string): void {
    const service = this.services.get(name);
    if (!service) return;
    this.services.delete(name);
    this.selectorEpoch++;
    this.emit({ kind: 'serviceSelector', service });
  }

  createReplicaSet(name: string, podTemplateHash: string, template: PodTemplateSpec, minReadySeconds: number, owner?: ReplicaSetOwner): ReplicaSet {
    const rs = new ReplicaSet(
      name,
      podTemplateHash,
      template,
      { ...template.metadata.labels, [POD_TEMPLATE_HASH_LABEL]: podTemplateHash },
      this.options.kernel.nowMs,
      this.rsSeq++,
      owner,
    );
    this.minReadyByRs.set(rs, minReadySeconds);
    this.replicaSets.push(rs);
    this.options.trace.record('replicaSet', { replicaSet: name, podTemplateHash, image: template.containers[0]?.image ?? '' });
    this.emit({ kind: 'replicaSetCreated', rs });
    return rs;
  }

  /**
   * Deletes a ReplicaSet that has no pods left (the rollout controller's revision-history
   * clean-up); the delete is an informer event for the rollout.
   */
  deleteReplicaSet(rs: ReplicaSet): void {
    const i = this.replicaSets.indexOf(rs);
    if (i < 0 || rs.pods.length > 0) return;
    this.replicaSets.splice(i, 1);
    this.deletedReplicaSets.push(rs);
    this.options.trace.record('replicaSet', { replicaSet: rs.name, podTemplateHash: rs.podTemplateHash, deleted: true });
    this.emit({ kind: 'replicaSetDeleted', rs });
  }

  /**
   * Sets spec.replicas. The ReplicaSet controller reacts right after (same virtual instant, once
   * the current reconcile has finished), creating or deleting pods — so, as on a real cluster, the
   * Rollouts controller never sees its own scale reflected in status within the reconcile that made
   * it (upstream discards the updated object: rollout/canary.go reconcileCanaryStableReplicaSet).
   */
  scale(rs: ReplicaSet, replicas: number): void {
    rs.specReplicas = replicas;
    this.scheduleSync(rs);
  }

  private scheduleSync(rs: ReplicaSet): void {
    this.options.kernel.schedule(this.nowMs, Priority.world, `replicaset ${rs.name} sync`, () => this.syncPods(rs));
  }

  /** The ReplicaSet controller's sync: pods up or down to spec.replicas. */
  private syncPods(rs: ReplicaSet): void {
    const replicas = rs.specReplicas;
    if (rs.pods.length === replicas) return;
    if (rs.pods.length < replicas) {
      const startup = this.options.startupFor(rs.template, rs);
      while (rs.pods.length < replicas) this.createPod(rs, startup);
    } else {
      for (const pod of podsToDelete(rs.pods, rs.pods.length - replicas)) this.removePod(rs, pod, undefined);
    }
    this.emit({ kind: 'replicaSetScaled', rs });
  }

  private createPod(rs: ReplicaSet, startup: PodStartupModel): void {
    const now = this.nowMs;
    const pod: Pod = { name: rs.nextPodName(), createdAtMs: now, phase: 'Starting', readyAtMs: undefined, restartCount: 0, reason: undefined };
    rs.pods.push(pod);
    // Drawn for every pod, in creation order, whatever happens to it next.
    const drawnStartupMs = startup.drawStartupMs(this.options.podRandom);
    const rt: PodRuntime = {
      rs,
      drawnStartupMs,
      container: undefined,
      containerSeq: 0,
      startedUp: false,
      readySeq: 0,
      crashBackOff: undefined,
      pullBackOff: undefined,
      deleted: false,
    };
    this.runtime.set(pod, rt);
    const pullError = this.pullError(rt, pod);
    if (pullError === undefined) {
      const startupMs = this.startupMs(rt, pod);
      this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Created', readyInMs: startupMs });
      this.startContainer(pod, rt, startupMs);
    } else {
      pod.phase = 'Pending';
      this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Created', readyInMs: null });
      this.pullFailed(pod, rt, pullError);
    }
  }

  private removePod(rs: ReplicaSet, pod: Pod, reason: string | undefined): void {
    const rt = this.runtime.get(pod);
    if (rt) rt.deleted = true;
    this.runtime.delete(pod);
    rs.pods.splice(rs.pods.indexOf(pod), 1);
    this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Deleted', ...(reason === undefined ? {} : { reason }) });
  }

  private pullError(rt: PodRuntime, pod: Pod): string | undefined {
    for (const h of this.hooks) {
      const e = h.pullError?.(rt.rs, pod, this.nowMs);
      if (e !== undefined) return e;
    }
    return undefined;
  }

  private startupMs(rt: PodRuntime, pod: Pod): number {
    let ms = rt.drawnStartupMs;
    for (const h of this.hooks) if (h.startupMs) ms = h.startupMs(rt.rs, pod, ms, this.nowMs);
    return ms;
  }

  private gatesPass(rt: PodRuntime, pod: Pod): boolean {
    for (const h of this.hooks) if (h.ready && !h.ready(rt.rs, pod, this.nowMs)) return false;
    return true;
  }

  /** A failed image pull: ErrImagePull now, the next attempt when the kubelet's image back-off has passed. */
  private pullFailed(pod: Pod, rt: PodRuntime, message: string): void {
    const now = this.nowMs;
    rt.pullBackOff = nextBackOff(rt.pullBackOff, now, now);
    pod.reason = 'ImagePullBackOff';
    const retryInMs = rt.pullBackOff.backoffMs;
    this.options.trace.record('pod', { pod: pod.name, replicaSet: rt.rs.name, phase: 'ErrImagePull', message, retryInMs });
    this.options.kernel.after(retryInMs, Priority.world, `pod ${pod.name} image pull`, () => {
      if (rt.deleted || isInBackOffSinceUpdate(rt.pullBackOff, this.nowMs)) return;
      const error = this.pullError(rt, pod);
      if (error !== undefined) {
        this.pullFailed(pod, rt, error);
        return;
      }
      const startupMs = this.startupMs(rt, pod);
      this.options.trace.record('pod', { pod: pod.name, replicaSet: rt.rs.name, phase: 'Pulled', readyInMs: startupMs });
      this.startContainer(pod, rt, startupMs);
      this.emit({ kind: 'podStatus', rs: rt.rs });
    });
  }

  private startContainer(pod: Pod, rt: PodRuntime, startupMs: number): void {
    const container: ContainerInfo = { id: ++rt.containerSeq, startedAtMs: this.nowMs };
    rt.container = container;
    rt.startedUp = false;
    pod.phase = 'Starting';
    pod.reason = undefined;
    if (Number.isFinite(startupMs)) {
      this.options.kernel.after(startupMs, Priority.world, `pod ${pod.name} ready`, () => {
        if (rt.deleted || rt.container !== container) return; // deleted or restarted meanwhile
        rt.startedUp = true;
        this.updateReadiness(pod, rt);
      });
    }
    for (const h of this.hooks) h.containerStarted?.(rt.rs, pod, container);
  }

  /** Ready = a container runs, has passed start-up, and every readiness gate passes. */
  private updateReadiness(pod: Pod, rt: PodRuntime): void {
    const want = rt.container !== undefined && rt.startedUp && this.gatesPass(rt, pod);
    if (want === isPodReady(pod)) return;
    if (want) this.becomeReady(pod, rt);
    else {
      rt.readySeq++;
      pod.phase = 'Starting';
      pod.readyAtMs = undefined;
      this.options.trace.record('pod', { pod: pod.name, replicaSet: rt.rs.name, phase: 'NotReady' });
      this.emit({ kind: 'podStatus', rs: rt.rs });
    }
  }

  private becomeReady(pod: Pod, rt: PodRuntime): void {
    const rs = rt.rs;
    const seq = ++rt.readySeq;
    pod.phase = 'Ready';
    pod.readyAtMs = this.nowMs;
    const minReadyMs = (this.minReadyByRs.get(rs) ?? 0) * 1000;
    if (minReadyMs <= 0) {
      pod.phase = 'Available';
      this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Available' });
    } else {
      this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Ready' });
      // k8s marks a pod available once it has been ready for minReadySeconds; the ReplicaSet
      // controller requeues itself for that instant (`AddAfter(rs, minReadySeconds)`).
      this.options.kernel.after(minReadyMs, Priority.world, `pod ${pod.name} available`, () => {
        if (rt.deleted || rt.readySeq !== seq || pod.phase !== 'Ready') return;
        pod.phase = 'Available';
        this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Available' });
        this.emit({ kind: 'podStatus', rs });
      });
    }
    this.emit({ kind: 'podStatus', rs });
  }

  /** The pod's running container, or undefined (not created yet, crashed, deleted). */
  containerOf(pod: Pod): ContainerInfo | undefined {
    return this.runtime.get(pod)?.container;
  }

  /**
   * The pod's container exits now (`reason` as in `lastState.terminated.reason`: Error, OOMKilled).
   * With `containerId`, only if that container instance is still the running one. The pod stays in
   * its ReplicaSet (restartPolicy Always), leaves the Service endpoints, and the kubelet restarts
   * the container after its crash back-off (backoff.ts); the new container passes readiness after
   * the pod's start-up latency again.
   */
  exitContainer(pod: Pod, reason: string, containerId?: number): void {
    const rt = this.runtime.get(pod);
    if (!rt || rt.deleted || !rt.container || (containerId !== undefined && rt.container.id !== containerId)) return;
    const finishedAtMs = this.nowMs;
    rt.container = undefined;
    rt.startedUp = false;
    rt.readySeq++;
    pod.readyAtMs = undefined;
    this.options.trace.record('pod', { pod: pod.name, replicaSet: rt.rs.name, phase: 'Terminated', reason, restartCount: pod.restartCount });
    if (isInBackOffSince(rt.crashBackOff, finishedAtMs, finishedAtMs)) {
      const backOffMs = rt.crashBackOff!.backoffMs;
      pod.phase = 'CrashLoopBackOff';
      pod.reason = 'CrashLoopBackOff';
      this.options.trace.record('pod', { pod: pod.name, replicaSet: rt.rs.name, phase: 'CrashLoopBackOff', backOffMs, restartCount: pod.restartCount });
      this.options.kernel.after(backOffMs, Priority.world, `pod ${pod.name} restart`, () => {
        if (rt.deleted) return;
        this.restartContainer(pod, rt, finishedAtMs);
        this.emit({ kind: 'podStatus', rs: rt.rs });
      });
    } else {
      this.restartContainer(pod, rt, finishedAtMs);
    }
    this.emit({ kind: 'podStatus', rs: rt.rs });
  }

  private restartContainer(pod: Pod, rt: PodRuntime, finishedAtMs: number): void {
    rt.crashBackOff = nextBackOff(rt.crashBackOff, finishedAtMs, this.nowMs);
    pod.restartCount++;
    const startupMs = this.startupMs(rt, pod);
    this.options.trace.record('pod', { pod: pod.name, replicaSet: rt.rs.name, phase: 'Restarted', restartCount: pod.restartCount, readyInMs: startupMs });
    this.startContainer(pod, rt, startupMs);
  }

  /**
   * Deletes a pod outside a scale-down (eviction, node loss). A deleted pod is terminating: it
   * leaves the endpoints and no longer counts in the ReplicaSet's status at once (k8s
   * `FilterActivePods`), and the ReplicaSet controller creates its replacement in its next sync.
   */
  deletePod(pod: Pod, reason: string): void {
    const rt = this.runtime.get(pod);
    if (!rt || rt.deleted) return;
    this.removePod(rt.rs, pod, reason);
    this.emit({ kind: 'podStatus', rs: rt.rs });
    this.scheduleSync(rt.rs);
  }

  /** Re-applies the readiness gates to every pod (a gate's answer changed). */
  reevaluateReadiness(): void {
    for (const rs of this.replicaSets) {
      for (const pod of [...rs.pods]) {
        const rt = this.runtime.get(pod);
        if (rt) this.updateReadiness(pod, rt);
      }
    }
  }

  /** Replaces the pod-template-hash selector of a Service (the controller's `switchServiceSelector`). */
  switchServiceSelector(service: SimService, podTemplateHash: string): void {
    service.selector = { ...service.selector, [POD_TEMPLATE_HASH_LABEL]: podTemplateHash };
    service.managedByRollouts = true;
    this.selectorEpoch++;
    this.emit({ kind: 'serviceSelector', service });
  }

  /** Ready pods selected by a Service, grouped by ReplicaSet (an Endpoints object's view). */
  endpointsOf(service: SimService): { rs: ReplicaSet; ready: number }[] {
    const out: { rs: ReplicaSet; ready: number }[] = [];
    for (const rs of this.replicaSets) {
      if (!service.selects(rs.podLabels)) continue;
      const ready = rs.readyReplicas;
      if (ready > 0) out.push({ rs, ready });
    }
    return out;
  }
}
