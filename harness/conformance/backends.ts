// Finds the cluster backend for `--cluster local|kind|kubeconfig`. The backends live in
// harness/cluster/ (their own work); the runner depends only on the ClusterBackend interface, so
// it looks them up by module and accepts any export that is a backend of the wanted kind, or a
// no-argument factory of one.
import type { ClusterBackend, ClusterKind } from '../cluster/backend.js';

const CANDIDATE_MODULES: Readonly<Record<ClusterKind, readonly string[]>> = {
  local: ['../cluster/local.js', '../cluster/localBackend.js', '../cluster/local/index.js', '../cluster/index.js'],
  kind: ['../cluster/kind.js', '../cluster/kindBackend.js', '../cluster/kind/index.js', '../cluster/index.js'],
  kubeconfig: ['../cluster/kubeconfig.js', '../cluster/kubeconfigBackend.js', '../cluster/kubeconfig/index.js', '../cluster/index.js'],
};

function isBackend(x: unknown, kind: ClusterKind): x is ClusterBackend {
  return typeof x === 'object' && x !== null && (x as ClusterBackend).kind === kind && typeof (x as ClusterBackend).start === 'function';
}

/** The backend of that kind, or undefined when no module provides one (yet). */
export async function findBackend(kind: ClusterKind): Promise<ClusterBackend | undefined> {
  for (const path of CANDIDATE_MODULES[kind]) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(path)) as Record<string, unknown>;
    } catch {
      continue;
    }
    for (const value of Object.values(mod)) {
      if (isBackend(value, kind)) return value;
      if (typeof value === 'function' && value.length === 0 && /backend/i.test(value.name)) {
        try {
          const made: unknown = (value as () => unknown)();
          if (isBackend(made, kind)) return made;
        } catch {
          // not a factory
        }
      }
    }
  }
  return undefined;
}
