import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { kubeTime, kubeletPodStatus } from '../../../harness/cluster/kubelet.js';
import { REHEARSE_READINESS_GATE, readinessGatePatch } from '../../../harness/cluster/readinessGate.js';

const pod: V1Pod = {
  metadata: { name: 'demo-abc', uid: 'u-1' },
  spec: { containers: [{ name: 'app', image: 'demo:1' }, { name: 'sidecar', image: 'proxy:2' }] },
};

describe('harness kubelet pod status', () => {
  it('a started, not yet ready pod: Running, Ready/ContainersReady False, containers running not ready', () => {
    const s = kubeletPodStatus({ pod, ready: false, podIP: '10.244.0.2', hostIP: '127.0.0.1', readyTransition: '2026-01-01T00:00:05Z', startTime: '2026-01-01T00:00:05Z' });
    expect(s.phase).toBe('Running');
    expect(s.podIP).toBe('10.244.0.2');
    const byType = Object.fromEntries(s.conditions.map((c) => [c.type, c.status]));
    expect(byType).toEqual({ PodReadyToStartContainers: 'True', Initialized: 'True', ContainersReady: 'False', Ready: 'False', PodScheduled: 'True' });
    expect(s.containerStatuses).toEqual([
      expect.objectContaining({ name: 'app', image: 'demo:1', ready: false, started: true, restartCount: 0 }),
      expect.objectContaining({ name: 'sidecar', image: 'proxy:2', ready: false, started: true }),
    ]);
  });

  it('ready: Ready and ContainersReady True since the transition time minReadySeconds counts from', () => {
    const s = kubeletPodStatus({ pod, ready: true, podIP: '10.244.0.2', hostIP: '127.0.0.1', readyTransition: '2026-01-01T00:00:30Z', startTime: '2026-01-01T00:00:05Z' });
    const ready = s.conditions.find((c) => c.type === 'Ready');
    expect(ready).toEqual({ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:30Z' });
    expect(s.conditions.find((c) => c.type === 'PodScheduled')?.lastTransitionTime).toBe('2026-01-01T00:00:05Z');
    expect((s.containerStatuses as { ready: boolean }[]).every((c) => c.ready)).toBe(true);
  });

  it('timestamps have second precision, as the API server stores them', () => {
    expect(kubeTime(new Date(Date.UTC(2026, 10, 25, 20, 1, 2, 789)))).toBe('2026-11-25T20:01:02Z');
  });
});

describe('readiness gate patch', () => {
  it('sets only the gate condition (strategic merge by type keeps the kubelet conditions)', () => {
    expect(readinessGatePatch(true, new Date(Date.UTC(2026, 0, 1)))).toEqual({
      status: { conditions: [{ type: REHEARSE_READINESS_GATE, status: 'True', reason: 'RehearseReady', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    });
    expect(readinessGatePatch(false, new Date(0), 'x.io/g').status.conditions[0]).toMatchObject({ type: 'x.io/g', status: 'False' });
  });
});
