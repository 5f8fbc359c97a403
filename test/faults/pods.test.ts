// Pod faults (sim/faults/pods.ts) on a bare cluster, with worked numbers: the kubelet's restart
// back-off (0, 10, 20, 40, 80, 160, 300, 300 s), readiness and availability over time, eviction and
// node loss with replacements, image pulls retried with back-off; then end to end with a real
// Rollout: a crash-looping canary stalls the rollout and, with progressDeadlineAbort, is aborted.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../sim/cluster/cluster.js';
import type { ReplicaSet } from '../../sim/cluster/replicaSet.js';
import { Kernel, Priority } from '../../sim/engine/kernel.js';
import { RandomStream } from '../../sim/engine/random.js';
import { TraceRecorder, type TraceEntry } from '../../sim/engine/trace.js';
import { FAULT_KINDS, installFaults } from '../../sim/faults/catalogue.js';
import type { FaultParamValue, FaultSpec, WorldHandles } from '../../sim/faults/types.js';
import type { PodTemplateSpec } from '../../sim/manifests/types.js';
import { loadManifests } from '../../sim/manifests/load.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { V1, V2, events, ofType, podsAt, rolloutYaml, world } from '../helpers/sim.js';

const S = 1000;
const MIN = 60 * S;

function template(image: string): PodTemplateSpec {
  return {
    metadata: { labels: { app: 'web' }, annotations: {} },
    containers: [{ name: 'web', image }],
    raw: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
  };
}

/** A fault spec with the kind's defaults; `image` null: no target. */
function fault(kind: string, atMs: number, forMs: number | undefined, params: Record<string, FaultParamValue> = {}, image: string | null = V2, index = 0): FaultSpec {
  const defaults: Record<string, FaultParamValue> = {};
  for (const [name, spec] of Object.entries(FAULT_KINDS.get(kind)!.params)) if (spec.default !== undefined) defaults[name] = spec.default;
  return { kind, index, atMs, forMs, image: image ?? undefined, params: { ...defaults, ...params } };
}

interface Bench {
  readonly kernel: Kernel;
  readonly trace: TraceRecorder;
  readonly cluster: Cluster;
  /** The traffic model's served-request counters, as the oomKill fault reads them. */
  readonly counters: Map<ReplicaSet, { requests: number }>;
  /** A ReplicaSet of `image` scaled to `replicas` (pods created at the current instant). */
  rs(name: string, image: string, replicas: number, minReadySeconds?: number): ReplicaSet;
  install(...faults: FaultSpec[]): void;
  /** Number of cluster changes emitted so far. */
  changes(): number;
}

/** A cluster whose pods all take `startupMs` to become ready (no draws). */
function bench(startupMs = S, seed = 7): Bench {
  const kernel = new Kernel();
  const trace = new TraceRecorder(kernel);
  const startup = { drawStartupMs: () => startupMs };
  const cluster = new Cluster({ kernel, trace, podRandom: new RandomStream(1, 'pods'), startupFor: () => startup });
  const counters = new Map<ReplicaSet, { requests: number }>();
  let changes = 0;
  cluster.onChange(() => changes++);
  const handles = { kernel, trace, cluster, traffic: { counters }, untilMs: 24 * 60 * MIN } as unknown as Omit<WorldHandles, 'random'>;
  return {
    kernel,
    trace,
    cluster,
    counters,
    rs(name, image, replicas, minReadySeconds = 0) {
      const rs = cluster.createReplicaSet(name, name, template(image), minReadySeconds);
      cluster.scale(rs, replicas);
      return rs;
    },
    install(...faults) {
      installFaults(faults, handles, (f) => new RandomStream(seed, `fault/${f.index}/${f.kind}`));
    },
    changes: () => changes,
  };
}

/** The 'pod' trace entries of one pod (or all), as [t in s, phase, extra fields]. */
function podLog(trace: TraceRecorder, pod?: string): [number, string, Record<string, unknown>][] {
  return trace.entries
    .filter((e) => e.type === 'pod' && (pod === undefined || e.pod === pod))
    .map((e: TraceEntry) => {
      const { t, type: _type, pod: _pod, replicaSet: _rs, phase, ...rest } = e;
      return [t / S, String(phase), rest];
    });
}

function at(b: Bench, tMs: number): void {
  b.kernel.run(tMs);
}

describe('crashLoop: kubelet restart back-off (kuberuntime doBackOff + flowcontrol.Backoff)', () => {
  it('runFor 0: restarts at once, then waits 10, 20, 40, 80, 160, 300, 300 s; never ready, kept by its ReplicaSet', () => {
    const b = bench(5 * S);
    b.install(fault('crashLoop', 0, undefined, { runFor: 0 }));
    const rs = b.rs('web-v2', V2, 1);
    at(b, 20 * MIN);
    const pod = rs.pods[0]!;
    const restarts = podLog(b.trace, pod.name).filter(([, phase]) => phase === 'Restarted');
    // Exits at 0 and restarts at once; later exits wait their back-off measured from the exit.
    expect(restarts.map(([t]) => t)).toEqual([0, 10, 30, 70, 150, 310, 610, 910]);
    const waits = podLog(b.trace, pod.name).filter(([, phase]) => phase === 'CrashLoopBackOff').map(([, , x]) => (x.backOffMs as number) / S);
    expect(waits).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
    expect(restarts.map(([, , x]) => x.restartCount)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(pod.restartCount).toBe(8);
    expect([rs.statusReplicas, rs.readyReplicas, rs.availableReplicas]).toEqual([1, 0, 0]);
    expect(podLog(b.trace).filter(([, phase]) => phase === 'Created' || phase === 'Deleted')).toHaveLength(1); // no replacement
    // 20 min = 1200 s: the exit at 910 s waits 300 s, so the pod is in CrashLoopBackOff until 1210 s.
    expect([pod.phase, pod.reason]).toEqual(['CrashLoopBackOff', 'CrashLoopBackOff']);
    b.kernel.run(1210 * S);
    expect([pod.restartCount, podLog(b.trace, pod.name).at(-1)![1]]).toEqual([9, 'CrashLoopBackOff']);
  });

  it('runFor 60 s with 5 s start-up: ready 5 s after each (re)start, unready while crashed', () => {
    const b = bench(5 * S);
    b.install(fault('crashLoop', 0, undefined, { runFor: 60 * S }));
    const rs = b.rs('web-v2', V2, 1, 2);
    const name = rs.pods.length === 0 ? 'web-v2-00000' : rs.pods[0]!.name;
    at(b, 300 * S);
    const log = podLog(b.trace, name).map(([t, phase]) => `${t} ${phase}`);
    expect(log).toEqual([
      '0 Created',
      '5 Ready',
      '7 Available',
      '60 Terminated', // first exit: restarted at once
      '60 Restarted',
      '65 Ready',
      '67 Available',
      '120 Terminated', // second exit: 10 s back-off
      '120 CrashLoopBackOff',
      '130 Restarted',
      '135 Ready',
      '137 Available',
      '190 Terminated', // 20 s
      '190 CrashLoopBackOff',
      '210 Restarted',
      '215 Ready',
      '217 Available',
      '270 Terminated', // 40 s
      '270 CrashLoopBackOff',
    ]);
    const probe = (t: number): number[] => {
      b.kernel.run(t);
      return [rs.readyReplicas, rs.availableReplicas];
    };
    expect(probe(300 * S)).toEqual([0, 0]);
    expect(probe(315 * S)).toEqual([1, 0]);
    expect(probe(317 * S)).toEqual([1, 1]);
  });

  it('a container that ran more than 10 min resets the back-off: every restart is immediate', () => {
    const b = bench(S);
    b.install(fault('crashLoop', 0, undefined, { runFor: 11 * MIN }));
    const rs = b.rs('web-v2', V2, 1);
    at(b, 60 * MIN);
    const log = podLog(b.trace, rs.pods[0]!.name);
    expect(log.filter(([, p]) => p === 'CrashLoopBackOff')).toEqual([]);
    expect(log.filter(([, p]) => p === 'Restarted').map(([t]) => t)).toEqual([660, 1320, 1980, 2640, 3300]);
  });

  it('hits running pods of the image at `at`, spares other versions, and stops crashing when it ends', () => {
    const b = bench(S);
    b.install(fault('crashLoop', 30 * S, 60 * S, { runFor: 0 }));
    const v1 = b.rs('web-v1', V1, 1);
    const v2 = b.rs('web-v2', V2, 2);
    at(b, 29 * S);
    expect([v1.readyReplicas, v2.readyReplicas]).toEqual([1, 2]);
    at(b, 30 * S);
    expect([v1.readyReplicas, v2.readyReplicas]).toEqual([1, 0]);
    // Exits at 30 (restart at once), 30 (wait 10), 40 (wait 20), 60 (wait 40): the restart at
    // 100 s comes after the fault's end (90 s), so that container runs and is ready at 101 s.
    const pod = v2.pods[0]!;
    at(b, 100 * S);
    expect(podLog(b.trace, pod.name).filter(([, p]) => p === 'Restarted').map(([t]) => t)).toEqual([30, 40, 60, 100]);
    expect(v2.readyReplicas).toBe(0);
    at(b, 101 * S);
    expect([v2.readyReplicas, pod.restartCount, v2.pods[1]!.restartCount]).toEqual([2, 4, 4]);
    at(b, 30 * MIN);
    expect(pod.restartCount).toBe(4);
    expect(podLog(b.trace, v1.pods[0]!.name).map(([, p]) => p)).toEqual(['Created', 'Available']);
  });

  it('every transition is emitted to the cluster listeners', () => {
    const b = bench(S);
    const rs = b.rs('web-v2', V2, 1);
    at(b, 10 * S);
    const before = b.changes();
    b.cluster.exitContainer(rs.pods[0]!, 'Error'); // terminated and restarted at once: one change
    expect(b.changes()).toBe(before + 1);
    at(b, 11 * S); // ready again
    expect(b.changes()).toBe(before + 2);
    b.cluster.exitContainer(rs.pods[0]!, 'Error'); // into CrashLoopBackOff
    at(b, 21 * S); // restarted after 10 s
    expect(b.changes()).toBe(before + 4);
    expect(rs.pods[0]!.restartCount).toBe(2);
  });
});

describe('neverReady: a failing readiness probe', () => {
  it('new pods of the version never become ready; ready pods leave the endpoints at `at`; all ready again at the end', () => {
    const b = bench(S);
    b.install(fault('neverReady', 60 * S, 120 * S));
    const v1 = b.rs('web-v1', V1, 2);
    const early = b.rs('web-v2', V2, 1);
    at(b, 30 * S);
    expect([v1.readyReplicas, early.readyReplicas]).toEqual([2, 1]);
    const late = b.cluster.createReplicaSet('web-v2b', 'v2b', template(V2), 0);
    b.kernel.schedule(90 * S, Priority.world, 'scale', () => b.cluster.scale(late, 2));
    at(b, 60 * S);
    expect([v1.readyReplicas, early.readyReplicas]).toEqual([2, 0]);
    at(b, 179 * S);
    expect([early.statusReplicas, early.readyReplicas, late.statusReplicas, late.readyReplicas]).toEqual([1, 0, 2, 0]);
    at(b, 180 * S);
    expect([early.readyReplicas, late.readyReplicas, v1.readyReplicas]).toEqual([1, 2, 2]);
    expect(podLog(b.trace, early.pods[0]!.name).map(([t, p]) => `${t} ${p}`)).toEqual(['0 Created', '1 Available', '60 NotReady', '180 Available']);
  });
});

describe('slowStart', () => {
  it('containers started while active take start-up × factor + extra (5 s × 3 + 10 s = 25 s); others keep 5 s', () => {
    const b = bench(5 * S);
    b.install(fault('slowStart', 10 * S, 60 * S, { factor: 3, extra: 10 * S }));
    const before = b.rs('web-v2a', V2, 1);
    const v1 = b.cluster.createReplicaSet('web-v1', 'v1', template(V1), 0);
    const v2 = b.cluster.createReplicaSet('web-v2', 'v2', template(V2), 0);
    b.kernel.schedule(20 * S, Priority.world, 'scale', () => {
      b.cluster.scale(v1, 1);
      b.cluster.scale(v2, 1);
    });
    const after = b.cluster.createReplicaSet('web-v2c', 'v2c', template(V2), 0);
    b.kernel.schedule(70 * S, Priority.world, 'scale', () => b.cluster.scale(after, 1));
    at(b, 120 * S);
    const readyAt = (rs: ReplicaSet): number => podLog(b.trace, rs.pods[0]!.name).find(([, p]) => p === 'Available')![0];
    expect([readyAt(before), readyAt(v1), readyAt(v2), readyAt(after)]).toEqual([5, 25, 45, 75]);
    expect(podLog(b.trace, v2.pods[0]!.name)[0]![2]).toEqual({ readyInMs: 25_000 });
  });
});

describe('oomKill under load', () => {
  it('kills every ready pod of the version when requests per ready pod-second exceed the threshold, measured each window', () => {
    const b = bench(S);
    b.install(fault('oomKill', 0, undefined, { threshold: 50, window: 15 * S }));
    const v2 = b.rs('web-v2', V2, 2);
    // The traffic model's scrape ticks: 80 rps for v2 until 60 s (40 per pod), then 150 rps.
    for (let t = 15 * S; t <= 120 * S; t += 15 * S) {
      b.kernel.schedule(t, Priority.observe, 'tick', () => {
        const c = b.counters.get(v2) ?? { requests: 0 };
        c.requests += (t <= 60 * S ? 80 : 150) * 15;
        b.counters.set(v2, c);
      });
    }
    at(b, 60 * S);
    expect(v2.readyReplicas).toBe(2);
    // Tick 75 s: 2250 requests over 2 ready pods × 15 s = 75 per pod-second > 50: both killed.
    at(b, 75 * S);
    const applied = ofTrace(b.trace, 'fault').filter((e) => e.phase === 'applied');
    expect(applied.map((e) => [e.t / S, e.requestsPerPodSecond, e.pods])).toEqual([[75, 75, ['web-v2-00000', 'web-v2-00001']]]);
    expect(podLog(b.trace, 'web-v2-00000').filter(([t]) => t === 75).map(([, p, x]) => [p, x.reason ?? null])).toEqual([
      ['Terminated', 'OOMKilled'],
      ['Restarted', null],
    ]);
    // Restarted at once, ready at 76 s; at 90 s: 2250 requests over 2 × 14 s = 80.36 per pod-second: killed
    // again, now with a 10 s back-off (restart 100 s, ready 101 s); at 105 s: 2250 / (2 × 4 s) = 281.25,
    // killed a third time, back-off 20 s: the restart at 125 s is still ahead at 120 s.
    at(b, 120 * S);
    expect(applied.length).toBe(1);
    const all = ofTrace(b.trace, 'fault').filter((e) => e.phase === 'applied');
    expect(all.map((e) => [e.t / S, e.requestsPerPodSecond])).toEqual([
      [75, 75],
      [90, 80.357],
      [105, 281.25],
    ]);
    expect(v2.pods.map((p) => [p.restartCount, p.phase])).toEqual([
      [2, 'CrashLoopBackOff'],
      [2, 'CrashLoopBackOff'],
    ]);
  });
});

function ofTrace(trace: TraceRecorder, type: string): TraceEntry[] {
  return trace.entries.filter((e) => e.type === type);
}

describe('eviction and nodeLoss', () => {
  it('eviction deletes ceil(share × n) pods of the target at `at`; the ReplicaSet replaces them, ready after start-up', () => {
    const b = bench(5 * S);
    b.install(fault('eviction', 60 * S, undefined, { share: 0.5 }));
    const v1 = b.rs('web-v1', V1, 2);
    const v2 = b.rs('web-v2', V2, 4);
    at(b, 60 * S);
    expect([v2.statusReplicas, v2.readyReplicas, v1.readyReplicas]).toEqual([4, 2, 2]);
    const evicted = podLog(b.trace).filter(([, p, x]) => p === 'Deleted' && x.reason === 'Evicted');
    expect(evicted).toHaveLength(2);
    expect(podLog(b.trace).filter(([t, p]) => t === 60 && p === 'Created')).toHaveLength(2);
    at(b, 65 * S);
    expect([v2.statusReplicas, v2.readyReplicas]).toEqual([4, 4]);
    // The same seed evicts the same pods; without a target every version is eligible.
    const again = bench(5 * S);
    again.install(fault('eviction', 60 * S, undefined, { share: 0.5 }));
    again.rs('web-v1', V1, 2);
    again.rs('web-v2', V2, 4);
    at(again, 60 * S);
    expect(ofTrace(again.trace, 'fault').find((e) => e.phase === 'applied')!.pods).toEqual(ofTrace(b.trace, 'fault').find((e) => e.phase === 'applied')!.pods);
    const all = bench(5 * S);
    all.install(fault('eviction', 60 * S, undefined, { share: 1 }, null));
    const a1 = all.rs('web-v1', V1, 2);
    const a2 = all.rs('web-v2', V2, 1);
    at(all, 60 * S);
    expect([a1.readyReplicas, a2.readyReplicas, a1.statusReplicas, a2.statusReplicas]).toEqual([0, 0, 2, 1]);
  });

  it('nodeLoss: pods stay ready until the node is marked NotReady (40 s), are deleted 300 s later and replaced', () => {
    const b = bench(S);
    b.install(fault('nodeLoss', 60 * S, undefined, { share: 0.33 }, null));
    const rs = b.rs('web-v1', V1, 3);
    at(b, 99 * S);
    expect(rs.readyReplicas).toBe(3);
    at(b, 100 * S);
    expect([rs.statusReplicas, rs.readyReplicas]).toEqual([3, 2]);
    const lost = ofTrace(b.trace, 'fault').find((e) => e.phase === 'applied')!.pods as string[];
    expect(lost).toHaveLength(1);
    at(b, 399 * S);
    expect([rs.statusReplicas, rs.readyReplicas]).toEqual([3, 2]);
    at(b, 400 * S);
    expect(podLog(b.trace, lost[0]).map(([t, p]) => `${t} ${p}`)).toEqual(['0 Created', '1 Available', '100 NotReady', '400 Deleted']);
    expect([rs.statusReplicas, rs.readyReplicas]).toEqual([3, 2]); // the replacement is starting
    at(b, 401 * S);
    expect(rs.readyReplicas).toBe(3);
  });
});

describe('imagePullFailure', () => {
  it('new pods stay Pending, retried 10, 20, 40, 80, 160 s apart; the first pull after the fault ends starts them', () => {
    const b = bench(S);
    b.install(fault('imagePullFailure', 0, 5 * MIN));
    const v1 = b.rs('web-v1', V1, 1);
    const v2 = b.rs('web-v2', V2, 2);
    at(b, 309 * S);
    expect([v2.statusReplicas, v2.readyReplicas, v1.readyReplicas]).toEqual([2, 0, 1]);
    expect(v2.pods.map((p) => [p.phase, p.reason])).toEqual([
      ['Pending', 'ImagePullBackOff'],
      ['Pending', 'ImagePullBackOff'],
    ]);
    const log = podLog(b.trace, v2.pods[0]!.name);
    expect(log.filter(([, p]) => p === 'ErrImagePull').map(([t, , x]) => [t, (x.retryInMs as number) / S])).toEqual([
      [0, 10],
      [10, 20],
      [30, 40],
      [70, 80],
      [150, 160],
    ]);
    at(b, 311 * S);
    expect(log.length).toBeLessThan(podLog(b.trace, v2.pods[0]!.name).length);
    expect(podLog(b.trace, v2.pods[0]!.name).slice(-2).map(([t, p]) => `${t} ${p}`)).toEqual(['310 Pulled', '311 Available']);
    expect(v2.readyReplicas).toBe(2);
  });

  it('a scale-down deletes Pending pods first (ActivePodsWithRanks: Pending before Running)', () => {
    const b = bench(S);
    b.install(fault('imagePullFailure', 30 * S, undefined, {}, V1));
    const rs = b.rs('web-v1', V1, 2);
    b.kernel.schedule(40 * S, Priority.world, 'up', () => b.cluster.scale(rs, 3));
    b.kernel.schedule(50 * S, Priority.world, 'down', () => b.cluster.scale(rs, 2));
    at(b, 60 * S);
    expect(rs.pods.map((p) => p.phase)).toEqual(['Available', 'Available']);
  });
});

describe('scenario parameters', () => {
  const parse = (entry: string) =>
    parseScenario('drill.yaml', `apiVersion: rehearse.dev/v1alpha1\nkind: Scenario\nmetadata: { name: x }\nspec:\n  manifests: [m]\n  until: 1h\n  faults:\n    - ${entry}\n`);

  it('every pod kind parses its own example with all its parameters', () => {
    const kinds = [...FAULT_KINDS.values()].filter((k) => k.category === 'pods');
    expect(kinds.map((k) => k.kind)).toEqual(['crashLoop', 'neverReady', 'slowStart', 'oomKill', 'eviction', 'nodeLoss', 'imagePullFailure']);
    for (const k of kinds) {
      const s = parse(k.example);
      expect(s.faults[0]!.kind).toBe(k.kind);
      expect(Object.keys(s.faults[0]!.params).sort()).toEqual(Object.keys(k.params).sort());
    }
    expect(parse('{ at: 1m, kind: crashLoop, target: a:v2, runFor: 20s }').faults[0]!.params).toEqual({ runFor: 20_000, reason: 'Error' });
    expect(parse('{ at: 5m, kind: nodeLoss, share: 33% }').faults[0]!.params).toEqual({ share: 0.33, notReadyAfter: 40_000, evictAfter: 300_000 });
  });

  it('refuses a missing target, a missing share or threshold', () => {
    expect(() => parse('{ at: 1m, kind: crashLoop }')).toThrow(/needs `target:`/);
    expect(() => parse('{ at: 1m, kind: eviction }')).toThrow(/needs `share`/);
    expect(() => parse('{ at: 1m, kind: oomKill, target: a:v2 }')).toThrow(/needs `threshold`/);
    expect(() => parse('{ at: 1m, kind: slowStart, factor: -1 }')).toThrow(/factor between 0/);
  });
});

// ── End to end: a real Rollout ───────────────────────────────────────────────────────────────
describe('end to end: a crash-looping canary', () => {
  const canary = 'maxSurge: 1\nmaxUnavailable: 0\nsteps:\n  - setWeight: 25\n  - pause: {duration: 30s}\n  - setWeight: 50\n  - pause: {duration: 30s}';
  const manifests = (abort: boolean): string[] => {
    const yaml = rolloutYaml({ replicas: 4, progressDeadlineSeconds: 120, canary });
    return [abort ? yaml.replace('  progressDeadlineSeconds: 120\n', '  progressDeadlineSeconds: 120\n  progressDeadlineAbort: true\n') : yaml];
  };
  const drill = (abort: boolean, faults: FaultSpec[]): RunResult =>
    runScenario({ ...world({ untilMs: 15 * MIN, rps: 50 }), faults }, loadManifests(manifests(abort).map((text, i) => ({ name: `inline-${i}.yaml`, text }))));

  it('without the fault the canary is promoted', () => {
    const r = drill(true, []);
    expect(r.outcome).toBe('promoted');
  });

  it('the canary pod crash-loops and is never available: the rollout stalls at step 0, degraded after the deadline', () => {
    const r = drill(false, [fault('crashLoop', 0, undefined, { runFor: 0 })]);
    expect(r.outcome).toBe('progressing');
    expect(r.finalStepIndex).toBe(0);
    expect(r.maxActualCanaryWeight).toBe(0);
    const canaryPods = ofType(r, 'pod').filter((e) => e.phase === 'Created' && e.t >= 60_000);
    expect(canaryPods).toHaveLength(1); // kept by its ReplicaSet, never replaced
    const restarts = ofType(r, 'pod').filter((e) => e.pod === canaryPods[0]!.pod && e.phase === 'Restarted');
    // Change at 60 s; the canary pod is created at once: restarts at 60, 70, 90, 130, 210, 370, 670 s …
    expect(restarts.slice(0, 7).map((e) => e.t / S)).toEqual([60, 70, 90, 130, 210, 370, 670]);
    expect(r.finalStatus.phase).toBe('Degraded');
    expect(r.finalStatus.message).toMatch(/ProgressDeadlineExceeded/);
    expect(events(r).some((e) => e.reason === 'RolloutAborted')).toBe(false);
  });

  it('with progressDeadlineAbort the stalled rollout is aborted (digest §7.3), and the canary scaled away', () => {
    const r = drill(true, [fault('crashLoop', 0, undefined, { runFor: 0 })]);
    expect(r.outcome).toBe('aborted');
    expect(r.decidedAt).not.toBeNull();
    const took = r.decidedAt! - r.changeAt!;
    // No progress after the canary ReplicaSet was scaled up at the change (crashes and restarts are
    // not progress): progressDeadlineSeconds 120 + the 1 s of the stuck-progress requeue (digest §7.2).
    expect(took).toBe(121 * S);
    expect(events(r, r.changeAt!).map((e) => `${e.t / S} ${e.reason}`)).toEqual([
      '60 RolloutUpdated',
      '60 NewReplicaSetCreated',
      '60 RolloutNotCompleted',
      '60 ScalingReplicaSet',
      '181 RolloutAborted',
      '181 ScalingReplicaSet',
      '181 RolloutAborted',
    ]);
    expect([...podsAt(r, 15 * MIN).values()]).toEqual([4, 0]);
    // The controller set weight 25 (the step in force); no request ever reached the canary.
    expect([r.maxCanaryWeight, r.maxActualCanaryWeight]).toEqual([25, 0]);
    const abortedAt = events(r).find((e) => e.reason === 'RolloutAborted')!;
    expect(abortedAt.t).toBe(r.decidedAt);
  });
});
