// The data-plane cluster: start-up latency, readiness, minReadySeconds, and the ReplicaSet
// controller's pod deletion order.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../sim/cluster/cluster.js';
import { KUBELET_BACKOFF_INITIAL_MS, KUBELET_BACKOFF_MAX_MS, isInBackOffSince, isInBackOffSinceUpdate, nextBackOff, type BackOffEntry } from '../../sim/cluster/backoff.js';
import { LognormalStartup } from '../../sim/cluster/podModel.js';
import { podsToDelete, type Pod } from '../../sim/cluster/replicaSet.js';
import { SimService } from '../../sim/cluster/service.js';
import { Kernel } from '../../sim/engine/kernel.js';
import { RandomStream } from '../../sim/engine/random.js';
import { TraceRecorder } from '../../sim/engine/trace.js';
import type { PodTemplateSpec } from '../../sim/manifests/types.js';

const template: PodTemplateSpec = {
  metadata: { labels: { app: 'web' }, annotations: {} },
  containers: [{ name: 'web', image: 'web:1' }],
  raw: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
};

function cluster(startupMs: number): { kernel: Kernel; cluster: Cluster; trace: TraceRecorder } {
  const kernel = new Kernel();
  const trace = new TraceRecorder(kernel);
  const startup = { drawStartupMs: () => startupMs };
  return { kernel, trace, cluster: new Cluster({ kernel, trace, podRandom: new RandomStream(1, 'pods'), startupFor: () => startup }) };
}

describe('pod start-up model', () => {
  it('a lognormal fitted to median 8 s and p99 30 s reproduces both quantiles', () => {
    const model = new LognormalStartup(8_000, 30_000);
    const r = new RandomStream(3, 'pods');
    const xs = Array.from({ length: 100_000 }, () => model.drawStartupMs(r)).sort((a, b) => a - b);
    expect(xs[50_000]! / 8_000).toBeGreaterThan(0.98);
    expect(xs[50_000]! / 8_000).toBeLessThan(1.02);
    expect(xs[99_000]! / 30_000).toBeGreaterThan(0.95);
    expect(xs[99_000]! / 30_000).toBeLessThan(1.05);
  });

  it('median == p99 gives a fixed start-up and draws nothing', () => {
    const r = new RandomStream(3, 'pods');
    const before = new RandomStream(3, 'pods').uniform();
    expect(new LognormalStartup(1_000, 1_000).drawStartupMs(r)).toBe(1_000);
    expect(r.uniform()).toBe(before);
  });
});

describe('ReplicaSet status counts', () => {
  it('pods are created at once, ready after start-up, available after minReadySeconds', () => {
    const { kernel, cluster: c } = cluster(5_000);
    const rs = c.createReplicaSet('web-abc', 'abc', template, 10);
    c.scale(rs, 3);
    expect([rs.specReplicas, rs.statusReplicas]).toEqual([3, 0]); // the ReplicaSet controller has not acted yet
    kernel.run(0);
    expect([rs.statusReplicas, rs.readyReplicas, rs.availableReplicas]).toEqual([3, 0, 0]);
    kernel.run(5_000);
    expect([rs.statusReplicas, rs.readyReplicas, rs.availableReplicas]).toEqual([3, 3, 0]);
    kernel.run(14_999);
    expect(rs.availableReplicas).toBe(0);
    kernel.run(15_000);
    expect(rs.availableReplicas).toBe(3);
  });

  it('scale-down removes pods in the same instant; a pod deleted before it was ready never becomes ready', () => {
    const { kernel, cluster: c } = cluster(5_000);
    const rs = c.createReplicaSet('web-abc', 'abc', template, 0);
    c.scale(rs, 2);
    kernel.run(1_000);
    c.scale(rs, 1);
    kernel.run(1_000);
    expect(rs.statusReplicas).toBe(1);
    kernel.run(10_000);
    expect([rs.statusReplicas, rs.readyReplicas]).toEqual([1, 1]);
  });

  it('a Service selects ready pods by labels, including the pod-template-hash the controller adds', () => {
    const { kernel, cluster: c } = cluster(0);
    const a = c.createReplicaSet('web-a', 'a', template, 0);
    const b = c.createReplicaSet('web-b', 'b', template, 0);
    c.scale(a, 2);
    c.scale(b, 1);
    kernel.run(1);
    const svc = new SimService('web', { app: 'web' });
    c.addService(svc);
    expect(c.endpointsOf(svc).map((e) => [e.rs.name, e.ready])).toEqual([['web-a', 2], ['web-b', 1]]);
    c.switchServiceSelector(svc, 'b');
    expect(c.endpointsOf(svc).map((e) => [e.rs.name, e.ready])).toEqual([['web-b', 1]]);
    expect(new SimService('none', {}).selects({ app: 'web' })).toBe(false);
  });
});

describe('kubelet back-off (client-go flowcontrol.Backoff, 10 s doubling to 5 min)', () => {
  it('crash restarts: at once, then 10, 20, 40, 80, 160, 300, 300 s after each exit; reset after 10 min', () => {
    let entry: BackOffEntry | undefined;
    let t = 0;
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const wait = isInBackOffSince(entry, t, t) ? entry!.backoffMs : 0;
      waits.push(wait / 1000);
      entry = nextBackOff(entry, t, t + wait);
      t += wait; // the restarted container exits at once
    }
    expect(waits).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
    expect(isInBackOffSince(entry, t + 600_001, t + 600_001)).toBe(false);
    expect(nextBackOff(entry, t + 600_001, t + 600_001).backoffMs).toBe(KUBELET_BACKOFF_INITIAL_MS);
    expect(nextBackOff(entry, t + 600_000, t + 600_000).backoffMs).toBe(KUBELET_BACKOFF_MAX_MS);
  });

  it('image pulls: in back-off until lastUpdate + backoff', () => {
    const e = nextBackOff(undefined, 0, 0);
    expect([isInBackOffSinceUpdate(e, 9_999), isInBackOffSinceUpdate(e, 10_000)]).toEqual([true, false]);
  });
});

describe('podsToDelete (kubernetes ActivePodsWithRanks order)', () => {
  const pod = (name: string, createdAtMs: number, readyAtMs?: number): Pod => ({
    name,
    createdAtMs,
    phase: readyAtMs === undefined ? 'Starting' : 'Available',
    readyAtMs,
    restartCount: 0,
    reason: undefined,
  });

  it('Pending pods first, then crash-looping (not ready) ones; among equals more restarts first', () => {
    const pending: Pod = { ...pod('pending', 0), phase: 'Pending', reason: 'ImagePullBackOff' };
    const crashing: Pod = { ...pod('crashing', 30), phase: 'CrashLoopBackOff', restartCount: 5 };
    const restarted: Pod = { ...pod('restarted', 0, 1_000), restartCount: 2 };
    const steady = pod('steady', 10, 1_000);
    expect(podsToDelete([steady, restarted, crashing, pending], 4).map((p) => p.name)).toEqual(['pending', 'crashing', 'restarted', 'steady']);
  });

  it('deletes not-ready pods first, then the most recently ready, then the newest', () => {
    const pods = [pod('old-ready', 0, 1_000), pod('new-ready', 10, 9_000), pod('starting-old', 5), pod('starting-new', 20)];
    expect(podsToDelete(pods, 4).map((p) => p.name)).toEqual(['starting-new', 'starting-old', 'new-ready', 'old-ready']);
    expect(podsToDelete(pods, 1).map((p) => p.name)).toEqual(['starting-new']);
    expect(podsToDelete(pods, 0)).toEqual([]);
  });
});
