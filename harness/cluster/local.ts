// The `local` cluster backend: etcd, kube-apiserver, kube-controller-manager and the Argo Rollouts
// controller built by scripts/build-control-plane.sh, run as supervised child processes on
// 127.0.0.1, with the harness itself as scheduler and kubelet (kubelet.ts). Flags follow envtest's
// control plane (controller-runtime pkg/internal/testing/controlplane) with the corrections in
// docs/conformance.md.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import type { ClusterBackend, ClusterStartOptions, PodLifecycleDriver, RunningCluster } from './backend.js';
import { findControlPlane, type ControlPlaneInstall } from './binaries.js';
import { generateServiceAccountKeys, generateToken, pemCertificates, renderTokenAuthFile } from './credentials.js';
import { HarnessKubelet } from './kubelet.js';
import { createNamespace, installCrds, isNotFound, readCrdFiles, runNamespaceName } from './kubeApi.js';
import { renderKubeconfig } from './kubeconfigFile.js';
import { freePorts } from './ports.js';
import { Supervisor } from './supervisor.js';
import { httpGet, waitUntil } from './wait.js';

/** Namespace the Argo Rollouts controller reads its ConfigMap from (POD_NAMESPACE). */
export const ARGO_NAMESPACE = 'argo-rollouts';
/** Log line the controller prints once all informer caches synced (controller/controller.go: Run). */
export const ROLLOUTS_STARTED_LINE = 'Started controller';

export interface LocalBackendOptions {
  /** Where the binaries are (default: the build script's cache). */
  readonly install?: ControlPlaneInstall;
  /** Per-component start timeout, ms (default 120 s: this is a shared 2-core machine). */
  readonly componentTimeoutMs?: number;
}

/** A non-loopback IPv4 of this host, for --advertise-address (never listened on), or undefined. */
function advertiseAddress(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export function etcdArgs(dataDir: string, clientPort: number, peerPort: number): string[] {
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return [
    '--name=default',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=default=${peer}`,
    // A test store: durability does not matter, speed does (envtest does the same).
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export interface ApiserverPaths {
  readonly certDir: string;
  readonly saPublicKey: string;
  readonly saPrivateKey: string;
  readonly tokenFile: string;
}

export function kubeApiserverArgs(etcdPort: number, securePort: number, paths: ApiserverPaths, advertise?: string): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    `--cert-dir=${paths.certDir}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${securePort}`,
    // Only advertised (and with the reconciler off, written nowhere); never listened on.
    ...(advertise ? [`--advertise-address=${advertise}`] : []),
    '--endpoint-reconciler-type=none',
    '--service-cluster-ip-range=10.96.0.0/16',
    '--allow-privileged=true',
    '--authorization-mode=RBAC',
    // No controller creates ServiceAccount tokens here; pods need no service account.
    '--disable-admission-plugins=ServiceAccount',
    `--service-account-issuer=https://127.0.0.1:${securePort}`,
    `--service-account-key-file=${paths.saPublicKey}`,
    `--service-account-signing-key-file=${paths.saPrivateKey}`,
    `--token-auth-file=${paths.tokenFile}`,
  ];
}

export function kubeControllerManagerArgs(kubeconfig: string, securePort: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    `--secure-port=${securePort}`,
    // The fake Node sends no heartbeats: without this the node lifecycle controller would mark it
    // NotReady and evict its pods.
    '--controllers=*,-node-lifecycle-controller',
    '--use-service-account-credentials=false',
  ];
}

export function rolloutsControllerArgs(kubeconfig: string, metricsPort: number, healthzPort: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    `--metricsPort=${metricsPort}`,
    `--healthzPort=${healthzPort}`,
    // Do not depend on /version parsing (utils/ingress/ingress.go: DetermineIngressMode).
    '--ingress-api-version=networking/v1',
    '--loglevel=debug',
    '--logformat=json',
  ];
}

function seconds(startMs: number): string {
  return `${((Date.now() - startMs) / 1000).toFixed(1)} s`;
}

export class LocalBackend implements ClusterBackend {
  readonly kind = 'local' as const;

  constructor(private readonly backendOptions: LocalBackendOptions = {}) {}

  async start(options: ClusterStartOptions): Promise<RunningCluster> {
    const install = this.backendOptions.install ?? findControlPlane();
    if ('missing' in install) throw new Error(`local cluster: ${install.missing}`);
    const timeoutMs = this.backendOptions.componentTimeoutMs ?? 120_000;
    const { log } = options;
    const t0 = Date.now();

    const dir = mkdtempSync(join(tmpdir(), 'rehearse-cluster-'));
    const logDir = join(dir, 'logs');
    mkdirSync(logDir);
    // With keepArtifacts the run directory survives even the process-exit safety net.
    const supervisor = new Supervisor({ logDir, removeOnStop: options.keepArtifacts ? [] : [dir] });
    const health = (): void => supervisor.assertHealthy();
    let kubelet: HarnessKubelet | undefined;

    const stop = async (): Promise<void> => {
      await kubelet?.stop().catch(() => undefined);
      await supervisor.stop(options.keepArtifacts ?? false);
      if (options.keepArtifacts) log(`local cluster: logs and data kept in ${dir}`);
    };

    try {
      const [etcdPort, etcdPeerPort, apiPort, kcmPort] = (await freePorts(4)) as [number, number, number, number];
      // The Rollouts controller's metrics and healthz servers listen on all interfaces (hard-coded
      // in controller/controller.go), so their ports must be free there.
      const [metricsPort, healthzPort] = (await freePorts(2, '0.0.0.0')) as [number, number];

      // Credentials.
      const pki = join(dir, 'pki');
      mkdirSync(pki);
      const sa = generateServiceAccountKeys();
      const paths: ApiserverPaths = {
        certDir: pki,
        saPublicKey: join(pki, 'sa.pub'),
        saPrivateKey: join(pki, 'sa.key'),
        tokenFile: join(pki, 'tokens.csv'),
      };
      writeFileSync(paths.saPublicKey, sa.publicKeyPem);
      writeFileSync(paths.saPrivateKey, sa.privateKeyPem, { mode: 0o600 });
      const token = generateToken();
      writeFileSync(paths.tokenFile, renderTokenAuthFile([{ token, user: 'rehearse-admin', uid: 'rehearse-admin', groups: ['system:masters'] }]), { mode: 0o600 });

      // etcd.
      let t = Date.now();
      supervisor.start({ name: 'etcd', command: install.bin.etcd, args: etcdArgs(join(dir, 'etcd'), etcdPort, etcdPeerPort) });
      await waitUntil(
        'etcd /health',
        async () => {
          const res = await httpGet(`http://127.0.0.1:${etcdPort}/health`);
          return res.status === 200 && /"health":\s*"true"/.test(res.body);
        },
        { timeoutMs, health },
      );
      log(`etcd ready in ${seconds(t)}`);

      // kube-apiserver.
      t = Date.now();
      supervisor.start({ name: 'kube-apiserver', command: install.bin['kube-apiserver'], args: kubeApiserverArgs(etcdPort, apiPort, paths, advertiseAddress()) });
      const certFile = join(pki, 'apiserver.crt');
      await waitUntil('kube-apiserver to write its self-signed certificate', async () => existsSync(certFile) && pemCertificates(readFileSync(certFile, 'utf8')).length > 0, { timeoutMs, health });
      const caPem = pemCertificates(readFileSync(certFile, 'utf8')).join('\n') + '\n';
      const server = `https://127.0.0.1:${apiPort}`;
      await waitUntil(
        'kube-apiserver /readyz',
        async () => (await httpGet(`${server}/readyz`, { ca: caPem, token })).status === 200,
        { timeoutMs, health },
      );
      log(`kube-apiserver ready in ${seconds(t)}`);

      const kubeconfigText = renderKubeconfig({ server, caPem, token });
      const kubeconfigPath = join(dir, 'kubeconfig');
      writeFileSync(kubeconfigPath, kubeconfigText, { mode: 0o600 });
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromString(kubeconfigText);
      const core = kubeConfig.makeApiClient(CoreV1Api);

      // kube-controller-manager: it runs once the service account controller made `default`'s SA.
      t = Date.now();
      supervisor.start({ name: 'kube-controller-manager', command: install.bin['kube-controller-manager'], args: kubeControllerManagerArgs(kubeconfigPath, kcmPort) });
      await waitUntil(
        'kube-controller-manager (the default ServiceAccount in namespace default)',
        async () => {
          try {
            await core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
            return true;
          } catch (err) {
            if (isNotFound(err)) return false;
            throw err;
          }
        },
        { timeoutMs, health },
      );
      log(`kube-controller-manager ready in ${seconds(t)}`);

      // Argo Rollouts CRDs and namespace, then the controller.
      t = Date.now();
      await installCrds(kubeConfig, readCrdFiles(install.crdFiles), { timeoutMs, health });
      await createNamespace(kubeConfig, ARGO_NAMESPACE);
      log(`Argo Rollouts CRDs established in ${seconds(t)}`);

      t = Date.now();
      const rollouts = supervisor.start({
        name: 'rollouts-controller',
        command: install.bin['rollouts-controller'],
        args: rolloutsControllerArgs(kubeconfigPath, metricsPort, healthzPort),
        env: { POD_NAMESPACE: ARGO_NAMESPACE },
      });
      await waitUntil('the Argo Rollouts controller to log "Started controller"', async () => readFileSync(rollouts.logPath, 'utf8').includes(ROLLOUTS_STARTED_LINE), {
        timeoutMs,
        health,
        intervalMs: 250,
      });
      log(`rollouts-controller ready in ${seconds(t)}`);

      const namespace = runNamespaceName();
      await createNamespace(kubeConfig, namespace);
      const serverVersion = await kubeConfig.makeApiClient(VersionApi).getCode();
      const versions: Record<string, string> = {
        kubernetes: serverVersion.gitVersion,
        ...(install.versions.ETCD ? { etcd: install.versions.ETCD } : {}),
        ...(install.versions.ARGO_ROLLOUTS ? { argoRollouts: install.versions.ARGO_ROLLOUTS } : {}),
      };
      log(`local control plane up in ${seconds(t0)} (namespace ${namespace}; logs in ${logDir})`);

      let driver: Promise<PodLifecycleDriver> | undefined;
      return {
        kind: 'local',
        kubeConfig,
        namespace,
        versions,
        prometheusListenHost: '127.0.0.1',
        prometheusAddress: (port: number) => `http://127.0.0.1:${port}`,
        pods: () =>
          (driver ??= (async () => {
            kubelet = new HarnessKubelet({ kubeConfig, namespace, log });
            await kubelet.start();
            return kubelet;
          })()),
        assertHealthy: health,
        // Everything lives in the run's etcd, which goes away with it: no namespace deletion needed.
        stop,
      };
    } catch (err) {
      const failure = supervisor.firstFailure();
      await stop();
      throw failure ?? err;
    }
  }
}
