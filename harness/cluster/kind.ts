// The `kind` cluster backend, for users with Docker: one kindest/node container brought up the way
// kind and dajudge/kindcontainer do it (privileged, systemd as init, `kubeadm init` inside, kind's
// own CNI manifest), on testcontainers' GenericContainer — so Ryuk removes it even when the harness
// dies. When the `kind` CLI is on PATH it is used instead (most robust bootstrap; then teardown is
// explicit). Argo Rollouts v1.9.1 is installed from its release install.yaml; the pods really run
// (pause image), and rehearse gates their readiness (readinessGate.ts).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppsV1Api, KubeConfig, KubernetesObjectApi, VersionApi } from '@kubernetes/client-node';
import { GenericContainer, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import type { ClusterBackend, ClusterStartOptions, RunningCluster } from './backend.js';
import { createNamespace, deleteNamespace, isAlreadyExists, runNamespaceName } from './kubeApi.js';
import {
  ARGO_ROLLOUTS_INSTALL_URL,
  KIND_KUBERNETES_VERSION,
  KIND_NODE_IMAGE,
  KIND_POD_SUBNET,
  kindPrometheusEndpoint,
  parseManifests,
  renderKindCni,
  renderKubeadmConfig,
} from './kindConfig.js';
import { lazyReadinessGateDriver, REHEARSE_READINESS_GATE } from './readinessGate.js';
import { waitUntil } from './wait.js';

const run = promisify(execFile);

/** Why no Docker engine can be used, or undefined when one answers. */
export async function dockerUnavailable(): Promise<string | undefined> {
  try {
    // Resolves only once a runtime strategy has answered a ping.
    await getContainerRuntimeClient();
    return undefined;
  } catch (err) {
    return `no Docker engine answers (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
  }
}

async function onPath(command: string): Promise<boolean> {
  try {
    await run(command, ['version']);
    return true;
  } catch {
    return false;
  }
}

/** A kindest/node container with systemd as init, as kind's docker provider creates it. */
class KindNodeContainer extends GenericContainer {
  constructor(image: string) {
    super(image);
    this.withPrivilegedMode()
      .withEntrypoint(['/usr/local/bin/entrypoint', '/sbin/init'])
      .withTmpFs({ '/run': 'rw', '/tmp': 'rw' })
      .withBindMounts([{ source: '/lib/modules', target: '/lib/modules', mode: 'ro' }])
      .withEnvironment({ KUBECONFIG: '/etc/kubernetes/admin.conf', container: 'docker' })
      .withSecurityOpt('seccomp=unconfined', 'apparmor=unconfined')
      .withExposedPorts(6443)
      // systemd's signal that the node is booted (kind pkg/cluster/internal/providers/common/cgroups.go).
      .withWaitStrategy(Wait.forLogMessage(/Reached target .*(Multi-User System|multi-user\.target)/))
      .withStartupTimeout(180_000);
    // kind runs nodes in a private cgroup namespace (providers/docker/provision.go).
    // (dockerode's HostConfig type predates the field; the Engine API has it since 1.41.)
    (this.hostConfig as { CgroupnsMode?: string }).CgroupnsMode = 'private';
  }
}

async function exec(container: StartedTestContainer, command: string[], what: string): Promise<string> {
  const res = await container.exec(command);
  if (res.exitCode !== 0) throw new Error(`kind node: ${what} failed (exit ${res.exitCode}):\n${res.output.split('\n').slice(-30).join('\n')}`);
  return res.stdout;
}

/** Boots one kindest/node container into a single-node cluster; returns the admin kubeconfig text. */
async function bootNodeContainer(log: (line: string) => void): Promise<{ container: StartedTestContainer; kubeconfig: string; gateway: string | undefined }> {
  const container = await new KindNodeContainer(KIND_NODE_IMAGE).start();
  try {
    const ip = (await exec(container, ['sh', '-c', "ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1"], 'reading the node IP')).trim();
    const gateway = (await exec(container, ['sh', '-c', "ip route | awk '/^default/ {print $3; exit}'"], 'reading the gateway')).trim() || undefined;
    await container.copyContentToContainer([
      {
        content: renderKubeadmConfig({ kubernetesVersion: KIND_KUBERNETES_VERSION, advertiseAddress: ip, certSANs: [container.getHost()] }),
        target: '/kind/rehearse-kubeadm.yaml',
      },
    ]);
    log('kind node: kubeadm init');
    await exec(container, ['kubeadm', 'init', '--skip-phases=preflight', '--config=/kind/rehearse-kubeadm.yaml', '--skip-token-print', '-v=2'], 'kubeadm init');
    const cni = renderKindCni(await exec(container, ['cat', '/kind/manifests/default-cni.yaml'], 'reading the CNI manifest'), KIND_POD_SUBNET);
    await container.copyContentToContainer([{ content: cni, target: '/kind/rehearse-cni.yaml' }]);
    await exec(container, ['kubectl', 'apply', '-f', '/kind/rehearse-cni.yaml'], 'installing the CNI');
    await exec(container, ['kubectl', 'apply', '-f', '/kind/manifests/default-storage.yaml'], 'installing the storage class');
    await exec(container, ['kubectl', 'taint', 'nodes', '--all', 'node-role.kubernetes.io/control-plane-'], 'removing the control-plane taint');
    const adminConf = await exec(container, ['cat', '/etc/kubernetes/admin.conf'], 'reading admin.conf');
    const kubeconfig = adminConf.replace(/server: https:\/\/[^\s]+/, `server: https://${container.getHost()}:${container.getMappedPort(6443)}`);
    return { container, kubeconfig, gateway };
  } catch (err) {
    await container.stop().catch(() => undefined);
    throw err;
  }
}

/** Boots a cluster with the kind CLI; returns the kubeconfig text and the teardown. */
async function bootWithKindCli(log: (line: string) => void): Promise<{ kubeconfig: string; gateway: string | undefined; destroy: () => Promise<void> }> {
  const name = `rehearse-${randomBytes(3).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'rehearse-kind-'));
  const path = join(dir, 'kubeconfig');
  const destroy = async (): Promise<void> => {
    await run('kind', ['delete', 'cluster', '--name', name]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    log(`kind CLI: creating cluster ${name}`);
    await run('kind', ['create', 'cluster', '--name', name, '--image', KIND_NODE_IMAGE, '--kubeconfig', path, '--wait', '180s'], { maxBuffer: 16 << 20 });
    const { stdout } = await run('docker', ['network', 'inspect', 'kind', '--format', '{{range .IPAM.Config}}{{.Gateway}} {{end}}']);
    const gateway = stdout.split(/\s+/).find((g) => /^\d+\.\d+\.\d+\.\d+$/.test(g));
    return { kubeconfig: readFileSync(path, 'utf8'), gateway, destroy };
  } catch (err) {
    await destroy();
    throw err;
  }
}

/** Creates every object of Argo Rollouts' release install.yaml and waits for the controller. */
async function installArgoRollouts(kc: KubeConfig, log: (line: string) => void): Promise<string> {
  const res = await fetch(ARGO_ROLLOUTS_INSTALL_URL);
  if (!res.ok) throw new Error(`downloading ${ARGO_ROLLOUTS_INSTALL_URL}: HTTP ${res.status}`);
  const objects = parseManifests(await res.text());
  await createNamespace(kc, 'argo-rollouts');
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const obj of objects) {
    const namespaced = obj.kind !== 'CustomResourceDefinition' && obj.kind !== 'ClusterRole' && obj.kind !== 'ClusterRoleBinding';
    const body = namespaced ? { ...obj, metadata: { ...obj.metadata, namespace: obj.metadata.namespace ?? 'argo-rollouts' } } : obj;
    try {
      await api.create(body);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  const apps = kc.makeApiClient(AppsV1Api);
  await waitUntil(
    'the argo-rollouts Deployment to be Available',
    async () => {
      const dep = await apps.readNamespacedDeployment({ name: 'argo-rollouts', namespace: 'argo-rollouts' });
      return (dep.status?.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');
    },
    { timeoutMs: 300_000, intervalMs: 1_000 },
  );
  const dep = await apps.readNamespacedDeployment({ name: 'argo-rollouts', namespace: 'argo-rollouts' });
  const image = dep.spec?.template.spec?.containers[0]?.image ?? '';
  log(`Argo Rollouts controller running (${image})`);
  return image.slice(image.lastIndexOf(':') + 1);
}

export class KindBackend implements ClusterBackend {
  readonly kind = 'kind' as const;

  async start(options: ClusterStartOptions): Promise<RunningCluster> {
    const { log } = options;
    const unavailable = await dockerUnavailable();
    if (unavailable && !(await onPath('kind'))) throw new Error(`kind backend: ${unavailable}`);
    const t0 = Date.now();
    let teardown: () => Promise<void>;
    let kubeconfig: string;
    let gateway: string | undefined;
    if (await onPath('kind')) {
      const booted = await bootWithKindCli(log);
      ({ kubeconfig, gateway } = booted);
      teardown = booted.destroy;
    } else {
      const booted = await bootNodeContainer(log);
      ({ kubeconfig, gateway } = booted);
      teardown = async () => {
        await booted.container.stop();
      };
    }
    try {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromString(kubeconfig);
      const argo = await installArgoRollouts(kubeConfig, log);
      const namespace = runNamespaceName();
      await createNamespace(kubeConfig, namespace);
      const server = await kubeConfig.makeApiClient(VersionApi).getCode();
      const endpoint = kindPrometheusEndpoint(process.platform, gateway);
      log(`kind cluster up in ${((Date.now() - t0) / 1000).toFixed(1)} s (Kubernetes ${server.gitVersion}; namespace ${namespace})`);
      const driver = lazyReadinessGateDriver(kubeConfig, namespace, log);
      return {
        kind: 'kind',
        kubeConfig,
        namespace,
        versions: { kubernetes: server.gitVersion, argoRollouts: argo },
        prometheusListenHost: endpoint.listenHost,
        prometheusAddress: (port: number) => `http://${endpoint.host}:${port}`,
        readinessGate: REHEARSE_READINESS_GATE,
        pods: driver.pods,
        assertHealthy: () => undefined,
        stop: async () => {
          await driver.stop();
          await deleteNamespace(kubeConfig, namespace).catch(() => undefined);
          await teardown();
        },
      };
    } catch (err) {
      await teardown();
      throw err;
    }
  }
}
