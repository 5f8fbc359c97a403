// The kubeconfig the local control plane's clients share (the harness through client-node,
// kube-controller-manager, the Argo Rollouts controller): one cluster, one token user, one
// context. Rendered as YAML text so the Go components read exactly what the harness reads.
import { stringify } from 'yaml';

export interface KubeconfigSpec {
  readonly server: string;
  /** PEM CA bundle the server certificate chains to. */
  readonly caPem: string;
  readonly token: string;
  readonly clusterName?: string;
  readonly userName?: string;
  readonly contextName?: string;
  readonly namespace?: string;
}

export function renderKubeconfig(spec: KubeconfigSpec): string {
  if (!/^https:\/\//.test(spec.server)) throw new Error(`kubeconfig server must be an https URL, got ${spec.server}`);
  if (!spec.caPem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('kubeconfig CA is not a PEM certificate');
  const cluster = spec.clusterName ?? 'rehearse';
  const user = spec.userName ?? 'rehearse-admin';
  const context = spec.contextName ?? 'rehearse';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: { server: spec.server, 'certificate-authority-data': Buffer.from(spec.caPem).toString('base64') },
      },
    ],
    users: [{ name: user, user: { token: spec.token } }],
    contexts: [{ name: context, context: { cluster, user, ...(spec.namespace ? { namespace: spec.namespace } : {}) } }],
    'current-context': context,
    preferences: {},
  });
}
