import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ControlPlaneInstall } from '../../../harness/cluster/binaries.js';
import { LocalBackend, etcdArgs, kubeApiserverArgs, kubeControllerManagerArgs, rolloutsControllerArgs } from '../../../harness/cluster/local.js';

const dir = mkdtempSync(join(tmpdir(), 'rehearse-local-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function clusterDirs(): string[] {
  return readdirSync(tmpdir()).filter((d) => d.startsWith('rehearse-cluster-'));
}

describe('local backend start-up failures', () => {
  it('an etcd that dies at start fails start() with its log tail, and nothing is left behind', async () => {
    mkdirSync(join(dir, 'crds'), { recursive: true });
    const bad = script('etcd', 'echo "etcd: flag provided but not defined: -unsafe-no-fsync" >&2; exit 2');
    const never = script('never', 'exit 99');
    const install: ControlPlaneInstall = {
      dir,
      bin: { etcd: bad, 'kube-apiserver': never, 'kube-controller-manager': never, 'rollouts-controller': never },
      crdFiles: [],
      versions: {},
    };
    const before = clusterDirs();
    const lines: string[] = [];
    await expect(new LocalBackend({ install, componentTimeoutMs: 20_000 }).start({ log: (l) => lines.push(l) })).rejects.toThrow(
      /etcd exited unexpectedly \(exit code 2\)\. Last lines of its log:\netcd: flag provided but not defined: -unsafe-no-fsync/,
    );
    expect(lines).toEqual([]);
    expect(clusterDirs()).toEqual(before);
  });

  it('names the build command when the binaries are missing', async () => {
    const backend = new LocalBackend();
    const env = process.env.REHEARSE_CACHE;
    process.env.REHEARSE_CACHE = join(dir, 'empty-cache');
    try {
      await expect(backend.start({ log: () => undefined })).rejects.toThrow(/local cluster: .*etcd is not built \(run `npm run setup:conformance`\)/);
    } finally {
      if (env === undefined) delete process.env.REHEARSE_CACHE;
      else process.env.REHEARSE_CACHE = env;
    }
  });
});

describe('local backend flags', () => {
  it('etcd: loopback client and peer URLs, one-member cluster, no fsync', () => {
    expect(etcdArgs('/d', 2379, 2380)).toEqual([
      '--name=default',
      '--data-dir=/d',
      '--listen-client-urls=http://127.0.0.1:2379',
      '--advertise-client-urls=http://127.0.0.1:2379',
      '--listen-peer-urls=http://127.0.0.1:2380',
      '--initial-advertise-peer-urls=http://127.0.0.1:2380',
      '--initial-cluster=default=http://127.0.0.1:2380',
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ]);
  });

  it('kube-apiserver: bound to 127.0.0.1, no endpoint reconciler, no ServiceAccount admission, token auth', () => {
    const args = kubeApiserverArgs(2379, 6443, { certDir: '/p', saPublicKey: '/p/sa.pub', saPrivateKey: '/p/sa.key', tokenFile: '/p/t.csv' }, '192.0.2.2');
    expect(args).toContain('--bind-address=127.0.0.1');
    expect(args).toContain('--advertise-address=192.0.2.2');
    expect(args).toContain('--endpoint-reconciler-type=none');
    expect(args).toContain('--disable-admission-plugins=ServiceAccount');
    expect(args).toContain('--token-auth-file=/p/t.csv');
    expect(args).toContain('--etcd-servers=http://127.0.0.1:2379');
    expect(kubeApiserverArgs(1, 2, { certDir: '', saPublicKey: '', saPrivateKey: '', tokenFile: '' }).some((a) => a.startsWith('--advertise-address'))).toBe(false);
  });

  it('kube-controller-manager without the node lifecycle controller and leader election', () => {
    const args = kubeControllerManagerArgs('/k', 10257);
    expect(args).toContain('--controllers=*,-node-lifecycle-controller');
    expect(args).toContain('--leader-elect=false');
    expect(args).toContain('--bind-address=127.0.0.1');
  });

  it('rollouts-controller: no leader election, fixed ingress API, debug JSON logs', () => {
    expect(rolloutsControllerArgs('/k', 1, 2)).toEqual([
      '--kubeconfig=/k',
      '--leader-elect=false',
      '--metricsPort=1',
      '--healthzPort=2',
      '--ingress-api-version=networking/v1',
      '--loglevel=debug',
      '--logformat=json',
    ]);
  });
});
