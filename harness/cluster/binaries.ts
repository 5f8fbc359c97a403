// Where scripts/build-control-plane.sh put the control-plane binaries and the Argo Rollouts CRDs:
// ${REHEARSE_CACHE:-~/.cache/rehearse}/control-plane/{bin,crds,versions.env}.
import { accessSync, constants, existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CONTROL_PLANE_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'rollouts-controller'] as const;
export type ControlPlaneBinary = (typeof CONTROL_PLANE_BINARIES)[number];

export interface ControlPlaneInstall {
  readonly dir: string;
  readonly bin: Readonly<Record<ControlPlaneBinary, string>>;
  /** The CRD manifests (one file per CRD). */
  readonly crdFiles: readonly string[];
  /** ETCD, KUBERNETES, ARGO_ROLLOUTS, GO → version, from versions.env. */
  readonly versions: Readonly<Record<string, string>>;
}

export function controlPlaneDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.REHEARSE_CACHE ?? join(homedir(), '.cache', 'rehearse');
  return join(cache, 'control-plane');
}

export function parseVersionsEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

/** The installed control plane, or a sentence saying what is missing (never throws). */
export function findControlPlane(dir = controlPlaneDir()): ControlPlaneInstall | { missing: string } {
  const bin = {} as Record<ControlPlaneBinary, string>;
  for (const name of CONTROL_PLANE_BINARIES) {
    const path = join(dir, 'bin', name);
    try {
      accessSync(path, constants.X_OK);
    } catch {
      return { missing: `${path} is not built (run \`npm run setup:conformance\`)` };
    }
    bin[name] = path;
  }
  const crdDir = join(dir, 'crds');
  const crdFiles = existsSync(crdDir) ? readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(crdDir, f)) : [];
  if (crdFiles.length === 0) return { missing: `no Argo Rollouts CRDs in ${crdDir} (run \`npm run setup:conformance\`)` };
  const versionsPath = join(dir, 'versions.env');
  const versions = existsSync(versionsPath) ? parseVersionsEnv(readFileSync(versionsPath, 'utf8')) : {};
  return { dir, bin, crdFiles, versions };
}
