// Boots the `kind` backend (needs a Docker engine, or the kind CLI, and network access to pull
// kindest/node and the Argo Rollouts image) and checks that Argo Rollouts v1.9.1 runs there and a
// pod gated by rehearse's readiness gate becomes Ready only when rehearse says so.
// Skips with a message where no Docker engine answers.
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCluster } from '../../harness/cluster/backend.js';
import { KindBackend, dockerUnavailable } from '../../harness/cluster/kind.js';
import { waitUntil } from '../../harness/cluster/wait.js';

const unavailable = await dockerUnavailable();
if (unavailable) console.warn(`[conformance] kind cluster tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== undefined)(`kind backend${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let cluster: RunningCluster | undefined;

  beforeAll(async () => {
    cluster = await new KindBackend().start({ log: (l) => console.log(`[kind] ${l}`) });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('runs Argo Rollouts v1.9.1 on Kubernetes 1.34', () => {
    expect(cluster!.versions.argoRollouts).toBe('v1.9.1');
    expect(cluster!.versions.kubernetes).toMatch(/^v1\.34\./);
  });

  it('a pod with the rehearse readiness gate is Ready only after setReady', async () => {
    const core = cluster!.kubeConfig.makeApiClient(CoreV1Api);
    const pods = await cluster!.pods();
    const started: string[] = [];
    pods.onPodStarted((p) => started.push(p.metadata?.name ?? ''));
    await core.createNamespacedPod({
      namespace: cluster!.namespace,
      body: {
        metadata: { name: 'gated' },
        spec: {
          readinessGates: [{ conditionType: cluster!.readinessGate! }],
          containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', imagePullPolicy: 'IfNotPresent' }],
        },
      },
    });
    await waitUntil('the pod to start', async () => started.includes('gated'), { timeoutMs: 120_000 });
    const ready = async (): Promise<boolean> =>
      ((await core.readNamespacedPod({ name: 'gated', namespace: cluster!.namespace })).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    await waitUntil('containers running', async () => (await core.readNamespacedPod({ name: 'gated', namespace: cluster!.namespace })).status?.phase === 'Running', { timeoutMs: 120_000 });
    expect(await ready()).toBe(false);
    await pods.setReady('gated', true);
    await waitUntil('the pod to be Ready', ready, { timeoutMs: 60_000 });
  });
});
