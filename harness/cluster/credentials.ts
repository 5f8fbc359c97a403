// Credentials of a local control plane, all generated in-process with node:crypto:
// * the ServiceAccount token signing key pair (kube-apiserver --service-account-key-file and
//   --service-account-signing-key-file);
// * one bearer token for an admin user in system:masters, in kube-apiserver's static token file
//   format (--token-auth-file: `token,user,uid,"group1,group2"`). The harness, the
//   kube-controller-manager and the Argo Rollouts controller all use it.
// Serving certificates are not made here: kube-apiserver bound to 127.0.0.1 writes a self-signed
// CA + serving certificate with that IP into --cert-dir (k8s.io/apiserver
// pkg/server/options/serving.go: MaybeDefaultWithSelfSignedCerts), which the kubeconfig trusts.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export interface ServiceAccountKeys {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export function generateServiceAccountKeys(): ServiceAccountKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** A random bearer token (hex, 64 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

export interface StaticTokenUser {
  readonly token: string;
  readonly user: string;
  readonly uid: string;
  readonly groups: readonly string[];
}

/** One line per user in kube-apiserver's --token-auth-file CSV format. */
export function renderTokenAuthFile(users: readonly StaticTokenUser[]): string {
  return users
    .map((u) => {
      for (const field of [u.token, u.user, u.uid, ...u.groups]) {
        if (/[",\n]/.test(field)) throw new Error(`token file field ${JSON.stringify(field)} contains a comma, quote or newline`);
      }
      return `${u.token},${u.user},${u.uid},"${u.groups.join(',')}"`;
    })
    .join('\n')
    .concat('\n');
}

/** Every PEM certificate block of `pem`, in order (apiserver.crt holds the serving cert, then its CA). */
export function pemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
