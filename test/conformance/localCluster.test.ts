// Boots the `local` backend (real etcd, kube-apiserver, kube-controller-manager and Argo Rollouts
// v1.9.1 controller; the harness as kubelet) and checks the real controller drives a basic canary:
// first deployment → stable ReplicaSet of 2 ready pods → Rollout Healthy; then a new image →
// setWeight 50 on 2 replicas without traffic routing → canary 1 pod, stable 1 pod, Paused at the
// indefinite pause (rollout/canary.go: reconcileCanaryReplicaSets;
// utils/replicaset/canary.go: CalculateReplicaCountsForBasicCanary).
// Skips when the binaries are not built (npm run setup:conformance) unless
// CONFORMANCE_REQUIRE_BINARIES=1, where that is a failure.
import { AppsV1Api, CustomObjectsApi, PatchStrategy, setHeaderOptions, type V1ReplicaSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodLifecycleDriver, RunningCluster } from '../../harness/cluster/backend.js';
import { findControlPlane } from '../../harness/cluster/binaries.js';
import { LocalBackend } from '../../harness/cluster/local.js';
import { waitUntil } from '../../harness/cluster/wait.js';

const install = findControlPlane();
const missing = 'missing' in install ? install.missing : undefined;
const required = process.env.CONFORMANCE_REQUIRE_BINARIES === '1';

if (missing && !required) {
  console.warn(`[conformance] local cluster tests skipped: ${missing}. Set CONFORMANCE_REQUIRE_BINARIES=1 to fail instead.`);
}

const ROLLOUT = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'rollouts',
};

function rollout(image: string): Record<string, unknown> {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'demo' } },
      template: {
        metadata: { labels: { app: 'demo' } },
        spec: { containers: [{ name: 'app', image }] },
      },
      strategy: { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } },
    },
  };
}

interface RolloutStatus {
  phase?: string;
  currentStepIndex?: number;
  stableRS?: string;
  currentPodHash?: string;
  message?: string;
}

describe.skipIf(missing !== undefined && !required)(`local backend${missing ? ` (${missing})` : ''}`, () => {
  let cluster: RunningCluster | undefined;
  let pods: PodLifecycleDriver | undefined;
  const lines: string[] = [];
  const log = (line: string): void => {
    lines.push(line);
    console.log(`[local cluster] ${line}`);
  };

  beforeAll(async () => {
    if (missing) throw new Error(`CONFORMANCE_REQUIRE_BINARIES=1 but ${missing}`);
    const t0 = Date.now();
    cluster = await new LocalBackend().start({ log });
    log(`start-up took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    pods = await cluster.pods();
    // The simulated data plane would decide; here every pod becomes ready as soon as it starts.
    pods.onPodStarted((pod) => {
      const name = pod.metadata?.name ?? '';
      pods?.setReady(name, true).catch((err: unknown) => log(`setReady ${name} failed: ${String(err)}`));
    });
  });

  afterAll(async () => {
    await pods?.stop();
    await cluster?.stop();
  });

  async function readRollout(): Promise<RolloutStatus> {
    const api = cluster!.kubeConfig.makeApiClient(CustomObjectsApi);
    const obj = (await api.getNamespacedCustomObject({ ...ROLLOUT, namespace: cluster!.namespace, name: 'demo' })) as { status?: RolloutStatus };
    return obj.status ?? {};
  }

  async function replicaSets(): Promise<V1ReplicaSet[]> {
    const api = cluster!.kubeConfig.makeApiClient(AppsV1Api);
    return (await api.listNamespacedReplicaSet({ namespace: cluster!.namespace })).items;
  }

  const hash = (rs: V1ReplicaSet): string => rs.metadata?.labels?.['rollouts-pod-template-hash'] ?? '';

  it('reports the versions it runs', () => {
    expect(cluster!.versions.kubernetes).toMatch(/^v1\.34\.\d+$/);
    expect(cluster!.versions.argoRollouts).toBe('v1.9.1');
    expect(cluster!.prometheusAddress(9090)).toBe('http://127.0.0.1:9090');
  });

  it('a first deployment: the real controller makes a stable ReplicaSet of 2, the harness kubelet makes its pods ready, the Rollout is Healthy', async () => {
    const api = cluster!.kubeConfig.makeApiClient(CustomObjectsApi);
    await api.createNamespacedCustomObject({ ...ROLLOUT, namespace: cluster!.namespace, body: rollout('registry.invalid/demo:1') });
    let last: RolloutStatus = {};
    await waitUntil(
      'the Rollout to be Healthy',
      async () => {
        cluster!.assertHealthy();
        last = await readRollout();
        return last.phase === 'Healthy';
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last status ${JSON.stringify(last)}`);
    });
    const sets = await replicaSets();
    expect(sets).toHaveLength(1);
    const stable = sets[0]!;
    expect(stable.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Rollout', name: 'demo' });
    expect(stable.spec?.replicas).toBe(2);
    expect(stable.status?.readyReplicas).toBe(2);
    expect(stable.status?.availableReplicas).toBe(2);
    expect(last.stableRS).toBe(hash(stable));
  });

  it('a new image: setWeight 50 on 2 replicas without traffic routing → canary 1 pod, stable 1 pod, Paused', async () => {
    const api = cluster!.kubeConfig.makeApiClient(CustomObjectsApi);
    const before = await readRollout();
    await api.patchNamespacedCustomObject(
      { ...ROLLOUT, namespace: cluster!.namespace, name: 'demo', body: [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.invalid/demo:2' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    let state = '';
    await waitUntil(
      'canary 1 ready / stable 1 / Rollout Paused at step 1',
      async () => {
        cluster!.assertHealthy();
        const status = await readRollout();
        const sets = await replicaSets();
        const stable = sets.find((rs) => hash(rs) === before.stableRS);
        const canary = sets.find((rs) => hash(rs) !== before.stableRS);
        state = JSON.stringify({
          status,
          stable: stable && { replicas: stable.spec?.replicas, ready: stable.status?.readyReplicas },
          canary: canary && { replicas: canary.spec?.replicas, ready: canary.status?.readyReplicas },
        });
        return (
          status.phase === 'Paused' &&
          status.currentStepIndex === 1 &&
          canary?.spec?.replicas === 1 &&
          canary.status?.readyReplicas === 1 &&
          stable?.spec?.replicas === 1 &&
          (stable.status?.readyReplicas ?? 0) === 1
        );
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last state ${state}`);
    });
  });
});
