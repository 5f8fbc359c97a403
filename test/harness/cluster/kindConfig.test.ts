import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  ARGO_ROLLOUTS_INSTALL_URL,
  KIND_NODE_IMAGE,
  kindPrometheusEndpoint,
  parseManifests,
  renderKindCni,
  renderKubeadmConfig,
} from '../../../harness/cluster/kindConfig.js';

describe('kind: kubeadm config', () => {
  const docs = parseAllDocuments(renderKubeadmConfig({ kubernetesVersion: 'v1.34.0', advertiseAddress: '172.18.0.2', certSANs: ['localhost', 'docker-host'] })).map(
    (d) => d.toJS() as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  );

  it('has the four kubeadm documents, v1beta3 for Kubernetes 1.34', () => {
    expect(docs.map((d) => `${d.apiVersion} ${d.kind}`)).toEqual([
      'kubeadm.k8s.io/v1beta3 ClusterConfiguration',
      'kubeadm.k8s.io/v1beta3 InitConfiguration',
      'kubelet.config.k8s.io/v1beta1 KubeletConfiguration',
      'kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration',
    ]);
  });

  it('advertises the node IP and puts it, the Docker host and loopback in the certificate (once each)', () => {
    const [cluster, init] = docs as [Record<string, any>, Record<string, any>]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(cluster.kubernetesVersion).toBe('v1.34.0');
    expect(cluster.controlPlaneEndpoint).toBe('172.18.0.2:6443');
    expect(cluster.apiServer.certSANs).toEqual(['172.18.0.2', 'localhost', '127.0.0.1', 'docker-host']);
    expect(cluster.networking).toEqual({ podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' });
    expect(init.localAPIEndpoint).toEqual({ advertiseAddress: '172.18.0.2', bindPort: 6443 });
    expect(init.nodeRegistration.criSocket).toBe('unix:///run/containerd/containerd.sock');
  });

  it('uses the systemd cgroup driver and disables disk-pressure eviction, as kind does', () => {
    const kubelet = docs[2]!;
    expect(kubelet.cgroupDriver).toBe('systemd');
    expect(kubelet.evictionHard['nodefs.available']).toBe('0%');
  });

  it('refuses Kubernetes versions whose kubeadm wants another config API', () => {
    expect(() => renderKubeadmConfig({ kubernetesVersion: 'v1.36.1', advertiseAddress: '1.2.3.4', certSANs: [] })).toThrow(/1\.36\+ needs v1beta4/);
    expect(() => renderKubeadmConfig({ kubernetesVersion: '1.34', advertiseAddress: '1.2.3.4', certSANs: [] })).toThrow(/got 1\.34/);
  });
});

describe('kind: CNI, images, Prometheus address, manifests', () => {
  it('fills the pod subnet into kind’s CNI template and refuses an unknown layout', () => {
    expect(renderKindCni('env:\n- name: POD_SUBNET\n  value: {{ .PodSubnet }}\n')).toBe('env:\n- name: POD_SUBNET\n  value: 10.244.0.0/16\n');
    expect(() => renderKindCni('no placeholder')).toThrow(/unsupported kindest\/node layout/);
  });

  it('pins the node image by digest and the Argo install manifest by release', () => {
    expect(KIND_NODE_IMAGE).toMatch(/^kindest\/node:v1\.34\.\d+@sha256:[0-9a-f]{64}$/);
    expect(ARGO_ROLLOUTS_INSTALL_URL).toContain('/releases/download/v1.9.1/install.yaml');
  });

  it('Linux: listen on and advertise the Docker gateway; Docker Desktop: host.docker.internal', () => {
    expect(kindPrometheusEndpoint('linux', '172.18.0.1')).toEqual({ listenHost: '172.18.0.1', host: '172.18.0.1' });
    expect(kindPrometheusEndpoint('darwin', undefined)).toEqual({ listenHost: '0.0.0.0', host: 'host.docker.internal' });
    expect(() => kindPrometheusEndpoint('linux', undefined)).toThrow(/Docker network gateway/);
  });

  it('splits a multi-document manifest, dropping empty documents, refusing nameless objects', () => {
    const objs = parseManifests('---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: argo-rollouts\n---\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: argo-rollouts\n');
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/argo-rollouts', 'Deployment/argo-rollouts']);
    expect(() => parseManifests('apiVersion: v1\nkind: Service\n')).toThrow(/without apiVersion\/kind\/metadata.name/);
  });
});
