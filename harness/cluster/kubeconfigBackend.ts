// The `kubeconfig` cluster backend: an existing cluster with Argo Rollouts installed, reached through
// an explicit kubeconfig context (never the current-context by default). rehearse works only in a
// namespace it creates for the run and deletes on stop, and refuses production-looking contexts
// unless forced (productionGuard.ts). Real kubelets run the pods; readiness goes through a
// readiness gate (readinessGate.ts).
import { networkInterfaces } from 'node:os';
import { ApiextensionsV1Api, AppsV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { ClusterBackend, ClusterStartOptions, RunningCluster } from './backend.js';
import { createNamespace, deleteNamespace, isNotFound, runNamespaceName } from './kubeApi.js';
import { assertNotProduction } from './productionGuard.js';
import { lazyReadinessGateDriver, REHEARSE_READINESS_GATE } from './readinessGate.js';

/** Loads the kubeconfig and selects `context`, with a clear error for each way that can fail. */
export function loadKubeconfigContext(path: string | undefined, context: string | undefined, force: boolean): KubeConfig {
  if (!context) {
    throw new Error('the kubeconfig backend needs an explicit --context (rehearse never uses the current context by default)');
  }
  const kc = new KubeConfig();
  try {
    if (path) kc.loadFromFile(path);
    else kc.loadFromDefault();
  } catch (err) {
    throw new Error(`cannot read kubeconfig ${path ?? '(default: $KUBECONFIG or ~/.kube/config)'}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const ctx = kc.getContextObject(context);
  if (!ctx) {
    const known = kc.getContexts().map((c) => c.name);
    throw new Error(`kubeconfig context "${context}" not found in ${path ?? 'the default kubeconfig'}; it has: ${known.length ? known.join(', ') : '(no contexts)'}`);
  }
  assertNotProduction(context, ctx.cluster, force);
  kc.setCurrentContext(context);
  return kc;
}

/** The image tag of the argo-rollouts Deployment, if it is installed the standard way. */
async function argoVersion(kc: KubeConfig): Promise<string | undefined> {
  try {
    const dep = await kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ name: 'argo-rollouts', namespace: 'argo-rollouts' });
    const image = dep.spec?.template.spec?.containers[0]?.image ?? '';
    return image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** A non-loopback IPv4 of this host: what a controller in a nearby cluster can reach. */
function hostAddress(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export class KubeconfigBackend implements ClusterBackend {
  readonly kind = 'kubeconfig' as const;

  async start(options: ClusterStartOptions): Promise<RunningCluster> {
    const kubeConfig = loadKubeconfigContext(options.kubeconfigPath, options.context, options.force ?? false);
    const { log } = options;
    try {
      await kubeConfig.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: 'rollouts.argoproj.io' });
    } catch (err) {
      if (isNotFound(err)) throw new Error(`Argo Rollouts is not installed in context "${options.context}" (no CRD rollouts.argoproj.io)`);
      throw new Error(`cannot reach the cluster of context "${options.context}": ${err instanceof Error ? err.message : String(err)}`);
    }
    const server = await kubeConfig.makeApiClient(VersionApi).getCode();
    const argo = await argoVersion(kubeConfig);
    const namespace = runNamespaceName();
    await createNamespace(kubeConfig, namespace);
    log(`kubeconfig context ${options.context}: Kubernetes ${server.gitVersion}, Argo Rollouts ${argo ?? 'unknown'}; namespace ${namespace}`);
    const host = hostAddress();
    const driver = lazyReadinessGateDriver(kubeConfig, namespace, log);
    return {
      kind: 'kubeconfig',
      kubeConfig,
      namespace,
      versions: { kubernetes: server.gitVersion, ...(argo ? { argoRollouts: argo } : {}) },
      // The controller runs in that cluster: it must reach the harness over the network.
      prometheusListenHost: '0.0.0.0',
      prometheusAddress: (port: number) => `http://${host}:${port}`,
      readinessGate: REHEARSE_READINESS_GATE,
      pods: driver.pods,
      assertHealthy: () => undefined,
      stop: async () => {
        await driver.stop();
        await deleteNamespace(kubeConfig, namespace);
      },
    };
  }
}
