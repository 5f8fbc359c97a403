// Projections of recorded API objects (as the v1.9.1 controller writes them) onto the simulator's
// trace schema.
import { describe, expect, it } from 'vitest';
import { analysisRunEntries, eventCount, eventEntry, replicaSetEntry, rolloutStatusEntry } from '../../../harness/conformance/observe.js';

const rollout = {
  metadata: { name: 'web', namespace: 'rehearse-1' },
  spec: { strategy: { canary: { steps: [{ setWeight: 25 }, { pause: {} }] } } },
  status: {
    phase: 'Paused',
    message: 'CanaryPauseStep',
    currentStepIndex: 1,
    stableRS: '6d4f8c9b7',
    currentPodHash: '5b7c9d8f6',
    pauseConditions: [{ reason: 'CanaryPauseStep', startTime: '2026-11-25T20:00:00Z' }],
    canary: { weights: { canary: { weight: 25, podTemplateHash: '5b7c9d8f6' }, stable: { weight: 75, podTemplateHash: '6d4f8c9b7' } } },
    replicas: 5,
    updatedReplicas: 1,
    readyReplicas: 5,
    availableReplicas: 5,
  },
};

describe('rolloutStatusEntry', () => {
  it('maps status onto the simulated `status` entry', () => {
    expect(rolloutStatusEntry(rollout)).toEqual({
      type: 'status',
      rollout: 'web',
      phase: 'Paused',
      message: 'CanaryPauseStep',
      step: 1,
      steps: 2,
      stableRS: '6d4f8c9b7',
      currentPodHash: '5b7c9d8f6',
      abort: false,
      pauseConditions: ['CanaryPauseStep'],
      weights: { canary: 25, stable: 75 },
      replicas: 5,
      updatedReplicas: 1,
      readyReplicas: 5,
      availableReplicas: 5,
    });
  });

  it('a Rollout without status yet has no step and no weights', () => {
    expect(rolloutStatusEntry({ metadata: { name: 'web' }, spec: { strategy: { canary: {} } } })).toMatchObject({ step: null, steps: 0, weights: null, phase: '' });
  });
});

describe('replicaSetEntry, eventEntry', () => {
  it('ReplicaSet: name, hash label, first image', () => {
    const rs = { metadata: { name: 'web-5b7c9d8f6', labels: { app: 'web', 'rollouts-pod-template-hash': '5b7c9d8f6' } }, spec: { template: { spec: { containers: [{ name: 'web', image: 'app:2' }] } } } };
    expect(replicaSetEntry(rs)).toEqual({ type: 'replicaSet', replicaSet: 'web-5b7c9d8f6', podTemplateHash: '5b7c9d8f6', image: 'app:2' });
  });

  it('Event: object, reason, message without the aggregation prefix; count', () => {
    const e = { involvedObject: { kind: 'Rollout', name: 'web' }, reason: 'ScalingReplicaSet', message: '(combined from similar events): Scaled up ReplicaSet web-5b7c9d8f6 (revision 2) from 0 to 1', type: 'Normal', count: 3 };
    expect(eventEntry(e)).toEqual({ type: 'event', object: 'Rollout/web', reason: 'ScalingReplicaSet', message: 'Scaled up ReplicaSet web-5b7c9d8f6 (revision 2) from 0 to 1', eventType: 'Normal' });
    expect(eventCount(e)).toBe(3);
    expect(eventCount({})).toBe(1);
  });
});

describe('analysisRunEntries', () => {
  const run = (phase: string, measurements: { phase: string; startedAt: string; finishedAt?: string; value?: string }[]) => ({
    metadata: { name: 'web-5b7c9d8f6-2-2', labels: { 'rollout-type': 'Step', 'step-index': '2' } },
    status: { phase, metricResults: [{ name: 'error-ratio', measurements }] },
  });

  it('creation, finished measurements once each, phase changes', () => {
    const first = analysisRunEntries(run('', []), undefined);
    expect(first.entries).toEqual([{ type: 'analysisRun', run: 'web-5b7c9d8f6-2-2', phase: 'Created', rolloutType: 'Step', stepIndex: 2 }]);
    const m1 = { phase: 'Successful', startedAt: '2026-11-25T20:00:01Z', finishedAt: '2026-11-25T20:00:01Z', value: '[0.01]' };
    const second = analysisRunEntries(run('Running', [m1, { phase: 'Running', startedAt: '2026-11-25T20:00:04Z' }]), first.seen);
    expect(second.entries).toEqual([
      { type: 'measurement', run: 'web-5b7c9d8f6-2-2', metric: 'error-ratio', phase: 'Successful', value: '[0.01]', message: null },
      { type: 'analysisRun', run: 'web-5b7c9d8f6-2-2', phase: 'Running', message: '' },
    ]);
    const m2 = { phase: 'Failed', startedAt: '2026-11-25T20:00:04Z', finishedAt: '2026-11-25T20:00:04Z', value: '[0.2]' };
    const third = analysisRunEntries(run('Failed', [m1, m2]), second.seen);
    expect(third.entries.map((e) => `${e.type} ${String(e.phase)}`)).toEqual(['measurement Failed', 'analysisRun Failed']);
  });
});
