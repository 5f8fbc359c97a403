import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateServiceAccountKeys, generateToken, pemCertificates, renderTokenAuthFile } from '../../../harness/cluster/credentials.js';

describe('credentials', () => {
  it('makes an RSA key pair whose public half verifies what the private half signs', () => {
    const keys = generateServiceAccountKeys();
    expect(keys.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(keys.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const priv = createPrivateKey(keys.privateKeyPem);
    expect(priv.asymmetricKeyType).toBe('rsa');
    expect(priv.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const sig = sign('sha256', Buffer.from('jwt'), priv);
    expect(verify('sha256', Buffer.from('jwt'), createPublicKey(keys.publicKeyPem), sig)).toBe(true);
  });

  it('tokens are 64 hex characters and differ between calls', () => {
    const a = generateToken();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateToken()).not.toBe(a);
  });

  it('renders the static token file kube-apiserver reads: token,user,uid,"groups"', () => {
    expect(
      renderTokenAuthFile([
        { token: 't1', user: 'admin', uid: 'u1', groups: ['system:masters'] },
        { token: 't2', user: 'viewer', uid: 'u2', groups: ['a', 'b'] },
      ]),
    ).toBe('t1,admin,u1,"system:masters"\nt2,viewer,u2,"a,b"\n');
  });

  it('refuses fields that would break the CSV line', () => {
    expect(() => renderTokenAuthFile([{ token: 'a,b', user: 'x', uid: 'y', groups: [] }])).toThrow(/"a,b" contains a comma/);
    expect(() => renderTokenAuthFile([{ token: 't', user: 'x', uid: 'y', groups: ['g"'] }])).toThrow(/quote/);
  });

  it('splits a PEM bundle into its certificates, in order', () => {
    const one = '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----';
    const two = '-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----';
    expect(pemCertificates(`${one}\n${two}\n`)).toEqual([one, two]);
    expect(pemCertificates('-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----')).toEqual([]);
  });
});
