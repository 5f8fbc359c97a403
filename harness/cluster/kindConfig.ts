// Pure parts of the `kind` backend, unit-tested without Docker: the pinned images and URLs, the
// kubeadm configuration a kindest/node container is initialised with (the approach of
// dajudge/kindcontainer's KindContainer and of kind itself: kind pkg/cluster/internal/kubeadm/config.go
// uses kubeadm.k8s.io/v1beta3 for 1.23 ≤ Kubernetes < 1.36), the CNI manifest templating, and
// where the in-cluster Argo controller can reach the harness's Prometheus API server.
import { stringify } from 'yaml';
import { loadManifests } from './kubeApi.js';

/** kindest/node for Kubernetes 1.34 as published with kind v0.30.0 (tag and digest from its release notes). */
export const KIND_NODE_IMAGE = 'kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a';
export const KIND_KUBERNETES_VERSION = 'v1.34.0';
/** The release asset: unlike manifests/install.yaml at the tag, it pins the controller image to v1.9.1. */
export const ARGO_ROLLOUTS_INSTALL_URL = 'https://github.com/argoproj/argo-rollouts/releases/download/v1.9.1/install.yaml';
export const KIND_POD_SUBNET = '10.244.0.0/16';
export const KIND_SERVICE_SUBNET = '10.96.0.0/16';
export const KIND_NODE_NAME = 'rehearse-control-plane';

export interface KubeadmConfigInput {
  readonly kubernetesVersion: string;
  /** The node container's IP on its Docker network. */
  readonly advertiseAddress: string;
  /** Extra names/IPs the API server certificate must carry (the Docker host, localhost). */
  readonly certSANs: readonly string[];
  readonly podSubnet?: string;
  readonly serviceSubnet?: string;
  readonly nodeName?: string;
}

/** The multi-document kubeadm config for `kubeadm init --config` inside the node container. */
export function renderKubeadmConfig(input: KubeadmConfigInput): string {
  if (!/^v1\.(2[3-9]|3[0-5])\.\d+$/.test(input.kubernetesVersion)) {
    throw new Error(`kubeadm v1beta3 config covers Kubernetes 1.23–1.35; got ${input.kubernetesVersion} (1.36+ needs v1beta4)`);
  }
  const nodeName = input.nodeName ?? KIND_NODE_NAME;
  const sans = [...new Set([input.advertiseAddress, 'localhost', '127.0.0.1', ...input.certSANs])];
  const docs = [
    {
      apiVersion: 'kubeadm.k8s.io/v1beta3',
      kind: 'ClusterConfiguration',
      clusterName: 'rehearse',
      kubernetesVersion: input.kubernetesVersion,
      controlPlaneEndpoint: `${input.advertiseAddress}:6443`,
      apiServer: { certSANs: sans },
      networking: { podSubnet: input.podSubnet ?? KIND_POD_SUBNET, serviceSubnet: input.serviceSubnet ?? KIND_SERVICE_SUBNET },
    },
    {
      apiVersion: 'kubeadm.k8s.io/v1beta3',
      kind: 'InitConfiguration',
      localAPIEndpoint: { advertiseAddress: input.advertiseAddress, bindPort: 6443 },
      nodeRegistration: {
        name: nodeName,
        criSocket: 'unix:///run/containerd/containerd.sock',
        kubeletExtraArgs: { 'node-ip': input.advertiseAddress },
      },
    },
    {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      cgroupDriver: 'systemd',
      cgroupRoot: '/kubelet',
      failSwapOn: false,
      // As kind: a developer laptop's disk must not evict the test pods.
      imageGCHighThresholdPercent: 100,
      evictionHard: { 'nodefs.available': '0%', 'nodefs.inodesFree': '0%', 'imagefs.available': '0%' },
    },
    {
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'iptables',
      conntrack: { maxPerCore: 0 },
    },
  ];
  return docs.map((d) => stringify(d)).join('---\n');
}

/** kind's /kind/manifests/default-cni.yaml is a Go template over the pod subnet. */
export function renderKindCni(template: string, podSubnet = KIND_POD_SUBNET): string {
  if (!template.includes('{{ .PodSubnet }}')) throw new Error('the node image CNI manifest has no {{ .PodSubnet }} placeholder: unsupported kindest/node layout');
  return template.replaceAll('{{ .PodSubnet }}', podSubnet);
}

/** Where the harness's Prometheus API server listens and how a pod in the kind cluster reaches it. */
export function kindPrometheusEndpoint(platform: NodeJS.Platform, dockerGateway: string | undefined): { listenHost: string; host: string } {
  // Docker Desktop (macOS, Windows): host.docker.internal resolves for containers and, through
  // kind's DNS passthrough, for pods (kubernetes-sigs/kind#2405).
  if (platform === 'darwin' || platform === 'win32') return { listenHost: '0.0.0.0', host: 'host.docker.internal' };
  // Linux: the gateway of the node container's network is this host; listen there only.
  if (!dockerGateway) throw new Error('cannot find the Docker network gateway of the kind node: the in-cluster controller could not reach the Prometheus API');
  return { listenHost: dockerGateway, host: dockerGateway };
}

/**
 * The Kubernetes objects of a multi-document manifest (empty documents dropped), in client-node's
 * model form (loadManifests), so that KubernetesObjectApi serialises every field back — a plain YAML
 * parse loses keys such as `x-kubernetes-int-or-string` in CRD schemas.
 */
export function parseManifests(text: string): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }[] {
  const out: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }[] = [];
  for (const obj of loadManifests(text) as { apiVersion?: string; kind?: string; metadata?: { name?: string } }[]) {
    if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) throw new Error(`manifest document without apiVersion/kind/metadata.name: ${JSON.stringify(obj).slice(0, 120)}`);
    out.push(obj as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } });
  }
  return out;
}
