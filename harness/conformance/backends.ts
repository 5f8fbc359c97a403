// The cluster backend for `--cluster local|kind|kubeconfig` (harness/cluster/): the runner itself
// depends only on the ClusterBackend interface.
import type { ClusterBackend, ClusterKind } from '../cluster/backend.js';
import { KindBackend } from '../cluster/kind.js';
import { KubeconfigBackend } from '../cluster/kubeconfigBackend.js';
import { LocalBackend } from '../cluster/local.js';

export function findBackend(kind: ClusterKind): Promise<ClusterBackend | undefined> {
  switch (kind) {
    case 'local':
      return Promise.resolve(new LocalBackend());
    case 'kind':
      return Promise.resolve(new KindBackend());
    case 'kubeconfig':
      return Promise.resolve(new KubeconfigBackend());
  }
}
