// The cluster backend for a name given on the command line (`--cluster local|kind|kubeconfig`).
import type { ClusterBackend, ClusterKind } from './backend.js';
import { KindBackend } from './kind.js';
import { KubeconfigBackend } from './kubeconfigBackend.js';
import { LocalBackend } from './local.js';

export const CLUSTER_KINDS: readonly ClusterKind[] = ['local', 'kind', 'kubeconfig'];

export function clusterBackend(kind: ClusterKind): ClusterBackend {
  switch (kind) {
    case 'local':
      return new LocalBackend();
    case 'kind':
      return new KindBackend();
    case 'kubeconfig':
      return new KubeconfigBackend();
  }
}
