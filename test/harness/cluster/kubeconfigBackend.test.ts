import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KubeconfigBackend, loadKubeconfigContext } from '../../../harness/cluster/kubeconfigBackend.js';

const dir = mkdtempSync(join(tmpdir(), 'rehearse-kc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const path = join(dir, 'config');
writeFileSync(
  path,
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'kind-test', cluster: { server: 'https://127.0.0.1:1' } },
      { name: 'eks-production', cluster: { server: 'https://127.0.0.1:2' } },
    ],
    users: [{ name: 'u', user: { token: 't' } }],
    contexts: [
      { name: 'kind-test', context: { cluster: 'kind-test', user: 'u' } },
      { name: 'prod-eu', context: { cluster: 'kind-test', user: 'u' } },
      { name: 'admin', context: { cluster: 'eks-production', user: 'u' } },
    ],
    'current-context': 'prod-eu',
  }),
);

describe('kubeconfig backend: context selection', () => {
  it('uses exactly the context asked for, not the current-context', () => {
    const kc = loadKubeconfigContext(path, 'kind-test', false);
    expect(kc.getCurrentContext()).toBe('kind-test');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:1');
  });

  it('demands an explicit context', () => {
    expect(() => loadKubeconfigContext(path, undefined, false)).toThrow(/needs an explicit --context/);
  });

  it('names the contexts there are when the one asked for does not exist', () => {
    expect(() => loadKubeconfigContext(path, 'minikube', false)).toThrow(/context "minikube" not found .*it has: kind-test, prod-eu, admin/);
  });

  it('refuses a production-looking context name or cluster name unless forced', () => {
    expect(() => loadKubeconfigContext(path, 'prod-eu', false)).toThrow(/refusing kubeconfig context "prod-eu"/);
    expect(() => loadKubeconfigContext(path, 'admin', false)).toThrow(/refusing kubeconfig cluster "eks-production"/);
    expect(loadKubeconfigContext(path, 'prod-eu', true).getCurrentContext()).toBe('prod-eu');
  });

  it('start() refuses before touching any cluster', async () => {
    const lines: string[] = [];
    await expect(new KubeconfigBackend().start({ log: (l) => lines.push(l), kubeconfigPath: path, context: 'prod-eu' })).rejects.toThrow(/refusing/);
    expect(lines).toEqual([]);
  });

  it('a kubeconfig that cannot be read is named in the error', () => {
    expect(() => loadKubeconfigContext(join(dir, 'nope'), 'x', false)).toThrow(/cannot read kubeconfig .*nope/);
  });
});

describe('clusterBackend', () => {
  it('gives the backend of each kind', async () => {
    const { clusterBackend, CLUSTER_KINDS } = await import('../../../harness/cluster/backends.js');
    expect(CLUSTER_KINDS.map((k) => clusterBackend(k).kind)).toEqual(['local', 'kind', 'kubeconfig']);
  });
});
