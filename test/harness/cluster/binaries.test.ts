import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROL_PLANE_BINARIES, controlPlaneDir, findControlPlane, parseVersionsEnv } from '../../../harness/cluster/binaries.js';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function fakeInstall(skip?: string): string {
  dir = mkdtempSync(join(tmpdir(), 'rehearse-cp-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'crds'));
  for (const b of CONTROL_PLANE_BINARIES) {
    if (b === skip) continue;
    writeFileSync(join(dir, 'bin', b), '#!/bin/sh\n');
    chmodSync(join(dir, 'bin', b), 0o755);
  }
  writeFileSync(join(dir, 'crds', 'rollout-crd.yaml'), 'kind: CustomResourceDefinition\n');
  writeFileSync(join(dir, 'crds', 'analysis-run-crd.yaml'), 'kind: CustomResourceDefinition\n');
  writeFileSync(join(dir, 'versions.env'), 'ETCD=v3.6.16\nKUBERNETES=v1.34.4\nARGO_ROLLOUTS=v1.9.1\n');
  return dir;
}

describe('findControlPlane', () => {
  it('finds the four binaries, the CRDs (sorted) and the versions', () => {
    const d = fakeInstall();
    const found = findControlPlane(d);
    if ('missing' in found) throw new Error(found.missing);
    expect(found.bin['kube-apiserver']).toBe(join(d, 'bin', 'kube-apiserver'));
    expect(found.crdFiles).toEqual([join(d, 'crds', 'analysis-run-crd.yaml'), join(d, 'crds', 'rollout-crd.yaml')]);
    expect(found.versions).toEqual({ ETCD: 'v3.6.16', KUBERNETES: 'v1.34.4', ARGO_ROLLOUTS: 'v1.9.1' });
  });

  it('names the first missing binary and the command that builds it', () => {
    const d = fakeInstall('kube-controller-manager');
    expect(findControlPlane(d)).toEqual({ missing: `${join(d, 'bin', 'kube-controller-manager')} is not built (run \`npm run setup:conformance\`)` });
  });

  it('lives under REHEARSE_CACHE when set', () => {
    expect(controlPlaneDir({ REHEARSE_CACHE: '/x/cache' })).toBe('/x/cache/control-plane');
  });

  it('parses KEY=value lines and ignores the rest', () => {
    expect(parseVersionsEnv('A=1\n# comment\nlower=x\nB_C=v2=3\n')).toEqual({ A: '1', B_C: 'v2=3' });
  });
});
