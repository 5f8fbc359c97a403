import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderKubeconfig } from '../../../harness/cluster/kubeconfigFile.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('renderKubeconfig', () => {
  it('writes one cluster, one token user and one current context that client-node loads', () => {
    const text = renderKubeconfig({ server: 'https://127.0.0.1:6443', caPem: CA, token: 'secret', namespace: 'rehearse-1' });
    const doc = parse(text) as Record<string, unknown>;
    expect(doc.kind).toBe('Config');
    expect(doc['current-context']).toBe('rehearse');
    const kc = new KubeConfig();
    kc.loadFromString(text);
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(kc.getCurrentCluster()?.caData).toBe(Buffer.from(CA).toString('base64'));
    expect(kc.getCurrentUser()?.token).toBe('secret');
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe('rehearse-1');
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBeFalsy();
  });

  it('names can be chosen; no namespace key without a namespace', () => {
    const text = renderKubeconfig({ server: 'https://127.0.0.1:1', caPem: CA, token: 't', clusterName: 'c', userName: 'u', contextName: 'x' });
    const doc = parse(text) as { contexts: { name: string; context: Record<string, string> }[] };
    expect(doc.contexts).toEqual([{ name: 'x', context: { cluster: 'c', user: 'u' } }]);
  });

  it('refuses a plain-http server and a CA that is not PEM', () => {
    expect(() => renderKubeconfig({ server: 'http://127.0.0.1:8080', caPem: CA, token: 't' })).toThrow(/must be an https URL/);
    expect(() => renderKubeconfig({ server: 'https://127.0.0.1:1', caPem: 'nope', token: 't' })).toThrow(/not a PEM certificate/);
  });
});
