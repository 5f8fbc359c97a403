// Fault kinds of the 'pods' category (see types.ts and catalogue.ts): what the kubelet, the node
// and the ReplicaSet controller do to the pods of a version. Each kind works through the Cluster's
// hook points (sim/cluster/cluster.ts: `addPodHooks`, `exitContainer`, `deletePod`,
// `reevaluateReadiness`), so every pod change is emitted to the Rollouts controller's informer and
// to the traffic model like any other pod change.
//
// A fault targets the pods of every ReplicaSet whose template runs `target` (any container, as
// `versions:` matches); kinds with an optional target hit every version when it is absent.
//
// Which pods a kind affects, decided as Kubernetes would:
// - crashLoop: every container of the version that runs while the fault is active — those started
//   later exit `runFor` after they start, those already running exit at `at` (if they have run
//   `runFor` already) or `runFor` after their start. The kubelet restarts them with its back-off
//   (10 s doubling to 5 min; sim/cluster/backoff.ts); the ReplicaSet keeps the pod. After the fault
//   ends, containers no longer exit, and a restart still waiting out its back-off happens on time.
// - neverReady: a failing readiness probe on every pod of the version while active — pods not yet
//   ready stay unready, ready pods become unready at `at`; all become ready again when it ends.
// - slowStart: containers started while active (new pods and restarts) take ×factor + extra to
//   pass start-up; pods already starting keep their latency.
// - oomKill: containers of the version are killed (OOMKilled) while the version's load per ready
//   pod exceeds `threshold`; the kubelet restarts them with back-off.
// - eviction / nodeLoss: one-shot at `at` (`for` has no meaning): a share of the pods that exist
//   then; their ReplicaSets replace them.
// - imagePullFailure: pods of the version created while active stay Pending (ErrImagePull, retried
//   with the kubelet's image back-off, 10 s doubling to 5 min); running pods already have the image
//   and restarts reuse it. When the fault ends, the next retry pulls and the pod starts.
//
// Determinism: only eviction and nodeLoss draw (which pods), from the fault's own stream, over the
// pods in ReplicaSet creation order then pod order.
import { Priority } from '../engine/kernel.js';
import type { RandomStream } from '../engine/random.js';
import type { ReplicaSet, Pod } from '../cluster/replicaSet.js';
import { faultActive, type FaultKind, type FaultSpec, type WorldHandles } from './types.js';

/** Whether a ReplicaSet's pods are hit by the fault: they run its target image, or it has none. */
export function targets(fault: FaultSpec, rs: ReplicaSet): boolean {
  return fault.image === undefined || rs.template.containers.some((c) => c.image === fault.image);
}

/** kube-controller-manager `--node-monitor-grace-period` (40 s): a silent node is marked NotReady/Unknown. */
const NODE_MONITOR_GRACE_MS = 40_000;
/** The default toleration of `node.kubernetes.io/unreachable` (300 s, DefaultTolerationSeconds admission). */
const DEFAULT_TOLERATION_MS = 300_000;

const crashLoop: FaultKind = {
  kind: 'crashLoop',
  category: 'pods',
  description:
    'Containers of the target version exit `runFor` after they start (0: at once); the kubelet restarts them with back-off 10 s, 20 s, 40 s … 5 min (CrashLoopBackOff). ' +
    'The pods stay in their ReplicaSet, unready while crashed, so availability drops and the rollout stalls.',
  target: 'required',
  params: {
    runFor: { type: 'duration', description: 'how long a container runs before it exits (0: at once)', default: 0 },
    reason: { type: 'string', description: 'the termination reason recorded in the trace', default: 'Error' },
  },
  example: '{ at: 1m, kind: crashLoop, target: myorg/app:v2, runFor: 20s }',
  install(fault, world) {
    const { cluster, kernel } = world;
    const runForMs = fault.params.runFor as number;
    const reason = fault.params.reason as string;
    const exitAt = (pod: Pod, containerId: number, atMs: number): void => {
      kernel.schedule(atMs, Priority.world, `fault ${fault.index} crash ${pod.name}`, () => {
        if (faultActive(fault, kernel.nowMs)) cluster.exitContainer(pod, reason, containerId);
      });
    };
    cluster.addPodHooks({
      containerStarted(rs, pod, container) {
        if (targets(fault, rs) && faultActive(fault, kernel.nowMs)) exitAt(pod, container.id, container.startedAtMs + runForMs);
      },
    });
    kernel.schedule(fault.atMs, Priority.world, `fault ${fault.index} crashLoop`, () => {
      for (const rs of cluster.replicaSets) {
        if (!targets(fault, rs)) continue;
        for (const pod of rs.pods) {
          const c = cluster.containerOf(pod);
          if (c && c.startedAtMs < fault.atMs) exitAt(pod, c.id, Math.max(fault.atMs, c.startedAtMs + runForMs));
        }
      }
    });
  },
};

const neverReady: FaultKind = {
  kind: 'neverReady',
  category: 'pods',
  description:
    'Pods of the target version run but fail their readiness probe while the fault lasts: new pods never become ready, ready pods leave the Service endpoints.',
  target: 'required',
  params: {},
  example: '{ at: 0s, kind: neverReady, target: myorg/app:v2 }',
  install(fault, world) {
    const { cluster, kernel } = world;
    cluster.addPodHooks({ ready: (rs, _pod, nowMs) => !(targets(fault, rs) && faultActive(fault, nowMs)) });
    kernel.schedule(fault.atMs, Priority.world, `fault ${fault.index} neverReady`, () => cluster.reevaluateReadiness());
    if (fault.forMs !== undefined) {
      kernel.schedule(fault.atMs + fault.forMs, Priority.world, `fault ${fault.index} neverReady ends`, () => cluster.reevaluateReadiness());
    }
  },
};

const slowStart: FaultKind = {
  kind: 'slowStart',
  category: 'pods',
  description: 'Containers of the target version (every version without a target) started while the fault lasts take start-up × `factor` + `extra` to become ready.',
  target: 'optional',
  params: {
    factor: { type: 'number', description: 'multiplies the start-up latency', default: 1, min: 0 },
    extra: { type: 'duration', description: 'added to the start-up latency', default: 0 },
  },
  example: '{ at: 0s, kind: slowStart, target: myorg/app:v2, factor: 4, extra: 30s }',
  install(fault, world) {
    const factor = fault.params.factor as number;
    const extraMs = fault.params.extra as number;
    world.cluster.addPodHooks({
      startupMs: (rs, _pod, ms, nowMs) => (targets(fault, rs) && faultActive(fault, nowMs) ? Math.round(ms * factor + extraMs) : ms),
    });
  },
};

const oomKill: FaultKind = {
  kind: 'oomKill',
  category: 'pods',
  description:
    'Containers of the target version (every version without a target) are OOM-killed while the requests per second per ready pod of their ReplicaSet exceed `threshold`, ' +
    'measured every `window` from the served request counters; the kubelet restarts them with back-off.',
  target: 'optional',
  params: {
    threshold: { type: 'number', description: 'requests per second per ready pod above which the pods run out of memory', min: 0 },
    window: {
      type: 'duration',
      description: 'how often the load is measured, over the window just ended (best equal to the scrape interval, whose ticks count the requests)',
      default: 15_000,
      min: 1,
    },
  },
  example: '{ at: 0s, kind: oomKill, target: myorg/app:v2, threshold: 50 }',
  install(fault, world) {
    installOomKill(fault, world);
  },
};

/**
 * The served requests come from the traffic model's per-ReplicaSet counters (read only), which grow
 * at each traffic tick (a scrape); the checks run at multiples of `window` at analysis priority, so
 * with `window` equal to the scrape interval each check sees exactly the tick just counted. The
 * divisor is the ReplicaSet's ready pod-seconds over the window, integrated from cluster changes.
 * Every ready pod of an overloaded ReplicaSet is killed: kube-proxy spreads the load evenly, so
 * they all cross the limit together.
 */
function installOomKill(fault: FaultSpec, world: WorldHandles): void {
  const { cluster, kernel, traffic, trace } = world;
  const threshold = fault.params.threshold as number;
  const windowMs = fault.params.window as number;
  const ready = new Map<ReplicaSet, { lastMs: number; ready: number; podMs: number }>();
  const integrate = (): void => {
    const now = kernel.nowMs;
    for (const rs of cluster.replicaSets) {
      if (!targets(fault, rs)) continue;
      const s = ready.get(rs);
      if (!s) {
        ready.set(rs, { lastMs: now, ready: rs.readyReplicas, podMs: 0 });
        continue;
      }
      s.podMs += s.ready * (now - s.lastMs);
      s.lastMs = now;
      s.ready = rs.readyReplicas;
    }
  };
  cluster.onChange(integrate);
  const lastRequests = new Map<ReplicaSet, number>();
  const check = (): void => {
    const now = kernel.nowMs;
    if (!faultActive(fault, now)) return;
    integrate();
    for (const rs of cluster.replicaSets) {
      const s = ready.get(rs);
      if (!s) continue;
      const requests = traffic.counters.get(rs)?.requests ?? 0;
      const previous = lastRequests.get(rs);
      lastRequests.set(rs, requests);
      const podSeconds = s.podMs / 1000;
      s.podMs = 0;
      if (previous === undefined || requests < previous || podSeconds <= 0) continue;
      const perPod = (requests - previous) / podSeconds;
      if (perPod <= threshold) continue;
      const victims = rs.pods.filter((p) => p.phase === 'Ready' || p.phase === 'Available');
      trace.record('fault', { index: fault.index, kind: fault.kind, phase: 'applied', replicaSet: rs.name, requestsPerPodSecond: Math.round(perPod * 1000) / 1000, pods: victims.map((p) => p.name) });
      for (const pod of victims) cluster.exitContainer(pod, 'OOMKilled');
    }
    if (now + windowMs <= world.untilMs) kernel.after(windowMs, Priority.analysis, `fault ${fault.index} oomKill`, check);
  };
  // At multiples of the window, like the scrape ticks (at `interval`, 2·interval, …); the first
  // check only takes the baseline.
  kernel.schedule(Math.ceil(fault.atMs / windowMs) * windowMs, Priority.analysis, `fault ${fault.index} oomKill`, check);
}

/**
 * `ceil(share × n)` pods (at least one pod for any share > 0, as a node holds whole pods) of the
 * targeted ReplicaSets, drawn without replacement from the fault's stream (partial Fisher–Yates over
 * the pods in ReplicaSet creation order, then pod order).
 */
export function choosePods(fault: FaultSpec, world: WorldHandles, random: RandomStream): { rs: ReplicaSet; pod: Pod }[] {
  const all: { rs: ReplicaSet; pod: Pod }[] = [];
  for (const rs of world.cluster.replicaSets) if (targets(fault, rs)) for (const pod of rs.pods) all.push({ rs, pod });
  const k = Math.min(all.length, Math.ceil((fault.params.share as number) * all.length - 1e-9));
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random.uniform() * (all.length - i));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, k);
}

const eviction: FaultKind = {
  kind: 'eviction',
  category: 'pods',
  description:
    'At `at`, a `share` of the pods of the target version (of every version without a target) is evicted: each leaves the endpoints at once and its ReplicaSet creates a replacement, which goes through start-up.',
  target: 'optional',
  params: {
    share: { type: 'ratio', description: 'share of the pods evicted (rounded up to whole pods)' },
  },
  example: '{ at: 5m, kind: eviction, share: 30% }',
  install(fault, world) {
    world.kernel.schedule(fault.atMs, Priority.world, `fault ${fault.index} eviction`, () => {
      const chosen = choosePods(fault, world, world.random);
      world.trace.record('fault', { index: fault.index, kind: fault.kind, phase: 'applied', pods: chosen.map((c) => c.pod.name) });
      for (const { pod } of chosen) world.cluster.deletePod(pod, 'Evicted');
    });
  },
};

const nodeLoss: FaultKind = {
  kind: 'nodeLoss',
  category: 'pods',
  description:
    'At `at`, a node holding a `share` of the pods (of the target version, or of all) stops. After `notReadyAfter` the node controller marks its pods not ready; ' +
    '`evictAfter` later the taint manager deletes them and their ReplicaSets create replacements.',
  target: 'optional',
  params: {
    share: { type: 'ratio', description: 'share of the pods on the lost node (rounded up to whole pods)' },
    notReadyAfter: { type: 'duration', description: 'node-monitor-grace-period: until the pods are marked not ready', default: NODE_MONITOR_GRACE_MS },
    evictAfter: { type: 'duration', description: 'toleration of node.kubernetes.io/unreachable: from not ready until deletion', default: DEFAULT_TOLERATION_MS },
  },
  example: '{ at: 5m, kind: nodeLoss, share: 34% }',
  install(fault, world) {
    const { cluster, kernel, trace } = world;
    const notReadyAfterMs = fault.params.notReadyAfter as number;
    const evictAfterMs = fault.params.evictAfter as number;
    const lost = new Set<Pod>();
    let notReady = false;
    cluster.addPodHooks({ ready: (_rs, pod) => !(notReady && lost.has(pod)) });
    kernel.schedule(fault.atMs, Priority.world, `fault ${fault.index} nodeLoss`, () => {
      const chosen = choosePods(fault, world, world.random);
      for (const { pod } of chosen) lost.add(pod);
      trace.record('fault', { index: fault.index, kind: fault.kind, phase: 'applied', pods: chosen.map((c) => c.pod.name) });
      kernel.after(notReadyAfterMs, Priority.world, `fault ${fault.index} node NotReady`, () => {
        notReady = true;
        cluster.reevaluateReadiness();
        kernel.after(evictAfterMs, Priority.world, `fault ${fault.index} taint eviction`, () => {
          for (const pod of lost) cluster.deletePod(pod, 'NodeLost');
        });
      });
    });
  },
};

const imagePullFailure: FaultKind = {
  kind: 'imagePullFailure',
  category: 'pods',
  description:
    'Pods of the target version created while the fault lasts cannot pull their image: they stay Pending (ErrImagePull / ImagePullBackOff, retried 10 s, 20 s … 5 min apart) and never become ready.',
  target: 'required',
  params: {},
  example: '{ at: 0s, kind: imagePullFailure, target: myorg/app:v2, for: 10m }',
  install(fault, world) {
    world.cluster.addPodHooks({
      pullError: (rs, _pod, nowMs) =>
        targets(fault, rs) && faultActive(fault, nowMs) ? `failed to pull and unpack image "${fault.image}": not found` : undefined,
    });
  },
};

export const podsFaults: readonly FaultKind[] = [crashLoop, neverReady, slowStart, oomKill, eviction, nodeLoss, imagePullFailure];
