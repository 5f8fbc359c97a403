// Turns the CLI's SCENARIO arguments into what one run needs: a scenario file (kind: Scenario) and
// the manifests it names, or bare manifests (files, folders, `-` for stdin) rehearsed in the
// default world — a healthy previous revision as stable, the manifests' pod template as the new
// release behaving the same, the generic metric preset, constant traffic.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../sim/diagnostics.js';
import { loadManifests } from '../sim/manifests/load.js';
import type { ManifestSet } from '../sim/manifests/types.js';
import { SCENARIO_DEFAULTS } from '../sim/scenario/defaults.js';
import { parseScenario } from '../sim/scenario/parse.js';
import type { ScenarioSpec } from '../sim/scenario/types.js';
import { readManifestSources } from './manifestSources.js';

export interface RunInputs {
  readonly scenario: ScenarioSpec;
  readonly manifests: ManifestSet;
  /** The arguments that reproduce this input on the command line. */
  readonly args: readonly string[];
}

/** Whether a path is a scenario file (a single YAML document with `kind: Scenario`). */
export function isScenarioFile(path: string): boolean {
  if (path === '-' || !existsSync(path) || !statSync(path).isFile()) return false;
  try {
    const doc = parseYaml(readFileSync(path, 'utf8')) as unknown;
    return typeof doc === 'object' && doc !== null && (doc as { kind?: unknown }).kind === 'Scenario';
  } catch {
    return false;
  }
}

/**
 * `manifestsOverride` (--manifests: a file, folder or "-") replaces the scenario's own manifests,
 * to rehearse the manifests of a change under review with the scenario's world and expectations.
 */
export function loadScenarioFile(path: string, readStdin?: () => string, manifestsOverride?: string): RunInputs {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError([{ severity: 'error', file: path, line: 0, column: 0, field: '', message: `cannot read the scenario file: ${(e as Error).message}` }]);
  }
  const scenario = parseScenario(path, text);
  const base = dirname(path);
  const paths = manifestsOverride !== undefined ? [manifestsOverride] : scenario.manifests.map((m) => (m === '-' ? '-' : resolve(base, m)));
  const manifests = loadManifests(readManifestSources(paths, readStdin ? { readStdin } : {}));
  return { scenario, manifests, args: [path] };
}

/** The default world around bare manifests. */
export function defaultScenario(paths: readonly string[]): ScenarioSpec {
  const d = SCENARIO_DEFAULTS;
  return {
    name: `default world for ${paths.join(' ')}`,
    file: '<default>',
    manifests: paths,
    seed: d.seed,
    untilMs: d.untilMs,
    prometheusVersion: d.prometheusVersion,
    exprVersion: d.exprVersion,
    podStartup: d.podStartup,
    initialRevisionReady: d.initialRevisionReady,
    traffic: { rps: d.traffic.rps, steps: [], service: undefined },
    metrics: { preset: 'generic', scrapeIntervalMs: d.metrics.scrapeIntervalMs, errorCode: d.metrics.errorCode },
    versions: new Map(),
    defaultVersion: d.version,
    change: { atMs: d.changeAtMs, image: undefined, container: undefined },
    expect: { outcome: undefined, withinMs: undefined, maxCanaryWeight: undefined, maxFailedRequestRatio: undefined },
    faults: [],
    actions: [],
    positions: new Map(),
  };
}

export function loadRunInputs(args: readonly string[], readStdin?: () => string, manifestsOverride?: string): RunInputs {
  if (args.length === 1 && isScenarioFile(args[0]!)) return loadScenarioFile(args[0]!, readStdin, manifestsOverride);
  if (manifestsOverride !== undefined) {
    throw new InputError([{ severity: 'error', file: '<command line>', line: 0, column: 0, field: '', message: '--manifests replaces the manifests of a scenario file: give one scenario file (kind: Scenario), or pass the manifests themselves instead.' }]);
  }
  const manifests = loadManifests(readManifestSources(args, readStdin ? { readStdin } : {}));
  return { scenario: defaultScenario(args), manifests, args };
}
