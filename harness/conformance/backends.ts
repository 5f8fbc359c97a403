// Finds the cluster backend for `--cluster local|kind|kubeconfig` (harness/cluster/). The runner
// depends only on the ClusterBackend interface; `local` is LocalBackend, the others are looked up
// by module (they are being added) — any export that is a backend of that kind, or a class or
// no-argument factory making one.
import type { ClusterBackend, ClusterKind } from '../cluster/backend.js';
import { LocalBackend } from '../cluster/local.js';

const CANDIDATE_MODULES: Readonly<Record<Exclude<ClusterKind, 'local'>, readonly string[]>> = {
  kind: ['../cluster/kind.js', '../cluster/kindBackend.js'],
  kubeconfig: ['../cluster/kubeconfig.js', '../cluster/kubeconfigBackend.js'],
};

function isBackend(x: unknown, kind: ClusterKind): x is ClusterBackend {
  return typeof x === 'object' && x !== null && (x as ClusterBackend).kind === kind && typeof (x as ClusterBackend).start === 'function';
}

function make(value: unknown): unknown {
  if (typeof value !== 'function' || !/backend/i.test(value.name)) return value;
  try {
    return new (value as new () => unknown)();
  } catch {
    try {
      return (value as () => unknown)();
    } catch {
      return undefined;
    }
  }
}

/** The backend of that kind, or undefined when no module provides one (yet). */
export async function findBackend(kind: ClusterKind): Promise<ClusterBackend | undefined> {
  if (kind === 'local') return new LocalBackend();
  for (const path of CANDIDATE_MODULES[kind]) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(path)) as Record<string, unknown>;
    } catch {
      continue;
    }
    for (const value of Object.values(mod)) {
      const made = make(value);
      if (isBackend(made, kind)) return made;
    }
  }
  return undefined;
}
