// The simulated cluster: ReplicaSets, pods with start-up latency and readiness, and Services.
// It plays the parts of the ReplicaSet controller, the scheduler and the kubelet: a scale
// request creates or deletes pods at once, each new pod becomes ready after a start-up latency
// drawn from the pod model, and available `minReadySeconds` later. Every change is reported to
// listeners (the rollout controller's informer, the traffic model) through `onChange`.
import { Priority, type Kernel } from '../engine/kernel.js';
import type { RandomStream } from '../engine/random.js';
import type { TraceRecorder } from '../engine/trace.js';
import type { PodTemplateSpec } from '../manifests/types.js';
import { POD_TEMPLATE_HASH_LABEL, ReplicaSet, podsToDelete, type Pod } from './replicaSet.js';
import type { PodStartupModel } from './podModel.js';
import { SimService } from './service.js';

export type ClusterChange =
  | { readonly kind: 'replicaSetCreated'; readonly rs: ReplicaSet }
  | { readonly kind: 'replicaSetScaled'; readonly rs: ReplicaSet }
  | { readonly kind: 'podStatus'; readonly rs: ReplicaSet }
  | { readonly kind: 'serviceSelector'; readonly service: SimService };

export interface ClusterOptions {
  readonly kernel: Kernel;
  readonly trace: TraceRecorder;
  readonly podRandom: RandomStream;
  /** Start-up model for the pods of a template (per version behaviour comes from the scenario). */
  readonly startupFor: (template: PodTemplateSpec) => PodStartupModel;
}

export class Cluster {
  readonly replicaSets: ReplicaSet[] = [];
  readonly services = new Map<string, SimService>();
  /** Bumped whenever a Service is added or its selector changes (caches of "who selects what" key on it). */
  selectorEpoch = 0;
  private readonly listeners: ((change: ClusterChange) => void)[] = [];
  private rsSeq = 0;
  private readonly minReadyByRs = new Map<ReplicaSet, number>();

  constructor(private readonly options: ClusterOptions) {}

  onChange(listener: (change: ClusterChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: ClusterChange): void {
    for (const l of this.listeners) l(change);
  }

  addService(service: SimService): void {
    this.services.set(service.name, service);
    this.selectorEpoch++;
  }

  createReplicaSet(name: string, podTemplateHash: string, template: PodTemplateSpec, minReadySeconds: number): ReplicaSet {
    const rs = new ReplicaSet(
      name,
      podTemplateHash,
      template,
      { ...template.metadata.labels, [POD_TEMPLATE_HASH_LABEL]: podTemplateHash },
      this.options.kernel.nowMs,
      this.rsSeq++,
    );
    this.minReadyByRs.set(rs, minReadySeconds);
    this.replicaSets.push(rs);
    this.options.trace.record('replicaSet', { replicaSet: name, podTemplateHash, image: template.containers[0]?.image ?? '' });
    this.emit({ kind: 'replicaSetCreated', rs });
    return rs;
  }

  /**
   * Sets spec.replicas. The ReplicaSet controller reacts right after (same virtual instant, once
   * the current reconcile has finished), creating or deleting pods — so, as on a real cluster, the
   * Rollouts controller never sees its own scale reflected in status within the reconcile that made
   * it (upstream discards the updated object: rollout/canary.go reconcileCanaryStableReplicaSet).
   */
  scale(rs: ReplicaSet, replicas: number): void {
    rs.specReplicas = replicas;
    this.options.kernel.schedule(this.options.kernel.nowMs, Priority.world, `replicaset ${rs.name} sync`, () => this.syncPods(rs));
  }

  /** The ReplicaSet controller's sync: pods up or down to spec.replicas. */
  private syncPods(rs: ReplicaSet): void {
    const replicas = rs.specReplicas;
    if (rs.pods.length === replicas) return;
    const now = this.options.kernel.nowMs;
    if (rs.pods.length < replicas) {
      const startup = this.options.startupFor(rs.template);
      while (rs.pods.length < replicas) {
        const pod: Pod = { name: rs.nextPodName(), createdAtMs: now, phase: 'Starting', readyAtMs: undefined };
        rs.pods.push(pod);
        const startupMs = startup.drawStartupMs(this.options.podRandom);
        this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Created', readyInMs: startupMs });
        if (Number.isFinite(startupMs)) {
          this.options.kernel.after(startupMs, Priority.world, `pod ${pod.name} ready`, () => this.markReady(rs, pod));
        }
      }
    } else {
      for (const pod of podsToDelete(rs.pods, rs.pods.length - replicas)) {
        rs.pods.splice(rs.pods.indexOf(pod), 1);
        this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Deleted' });
      }
    }
    this.emit({ kind: 'replicaSetScaled', rs });
  }

  private markReady(rs: ReplicaSet, pod: Pod): void {
    if (!rs.pods.includes(pod)) return; // deleted before it became ready
    pod.phase = 'Ready';
    pod.readyAtMs = this.options.kernel.nowMs;
    const minReadyMs = (this.minReadyByRs.get(rs) ?? 0) * 1000;
    if (minReadyMs <= 0) {
      pod.phase = 'Available';
      this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Available' });
    } else {
      this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Ready' });
      // k8s marks a pod available once it has been ready for minReadySeconds; the ReplicaSet
      // controller requeues itself for that instant (`AddAfter(rs, minReadySeconds)`).
      this.options.kernel.after(minReadyMs, Priority.world, `pod ${pod.name} available`, () => {
        if (!rs.pods.includes(pod) || pod.phase !== 'Ready') return;
        pod.phase = 'Available';
        this.options.trace.record('pod', { pod: pod.name, replicaSet: rs.name, phase: 'Available' });
        this.emit({ kind: 'podStatus', rs });
      });
    }
    this.emit({ kind: 'podStatus', rs });
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
