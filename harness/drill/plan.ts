// What a drill runs: the scenario files under the given paths (folders searched recursively for
// YAML files with `kind: Scenario`, sorted), each with its manifests — its own, or those of
// --manifests — read once here, and the (scenario, seed) work items. Every problem in every file
// is collected and reported together, before anything runs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError, type Diagnostic } from '../../sim/diagnostics.js';
import { drillSeeds } from '../../sim/expect/seeds.js';
import { loadManifests, type ManifestSource } from '../../sim/manifests/load.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import type { ScenarioSpec } from '../../sim/scenario/types.js';
import { readManifestSources } from '../manifestSources.js';
import { isScenarioFile } from '../runInputs.js';
import type { DrillScenario, WorkItem } from './types.js';

const YAML_FILE = /\.ya?ml$/i;
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function problem(file: string, message: string): Diagnostic {
  return { severity: 'error', file, line: 0, column: 0, field: '', message };
}

/** Scenario files under `paths`: files as given, folders searched recursively (no dot folders, no node_modules). */
export function findScenarioFiles(paths: readonly string[]): string[] {
  const found = new Set<string>();
  const problems: Diagnostic[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir).sort(byCodeUnits)) {
      if (name.startsWith('.') || name === 'node_modules') continue;
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) visit(path);
      else if (YAML_FILE.test(name) && isScenarioFile(path)) found.add(path);
    }
  };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      problems.push(problem(path, 'no such file or folder.'));
      continue;
    }
    if (stat.isDirectory()) {
      const before = found.size;
      visit(path);
      if (found.size === before) problems.push(problem(path, 'this folder holds no scenario files (YAML with `kind: Scenario`).'));
    } else if (isScenarioFile(path)) found.add(join(path));
    else problems.push(problem(path, 'not a scenario file: a drill runs YAML files with `kind: Scenario` (bare manifests go to `rehearse run` or to --manifests).'));
  }
  if (problems.length > 0) throw new InputError(problems);
  return [...found].sort(byCodeUnits);
}

export interface DrillPlan {
  readonly scenarios: readonly DrillScenario[];
  readonly specs: readonly ScenarioSpec[];
  readonly items: readonly WorkItem[];
  /** Manifest warnings, once per distinct manifest set. */
  readonly warnings: readonly Diagnostic[];
}

export interface PlanOptions {
  /** --manifests: a file, folder, or "-" for standard input, replacing every scenario's manifests. */
  readonly manifests?: string | undefined;
  readonly seed?: number | undefined;
  readonly seeds?: number | undefined;
  readonly readStdin?: (() => string) | undefined;
}

export function planDrill(files: readonly string[], options: PlanOptions = {}): DrillPlan {
  const problems: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  // Standard input can be read once; every reader gets the same text.
  let stdin: string | undefined;
  const readStdin = (): string => (stdin ??= (options.readStdin ?? (() => readFileSync(0, 'utf8')))());
  const cache = new Map<string, ManifestSource[]>();
  const sourcesOf = (paths: readonly string[]): ManifestSource[] => {
    const key = JSON.stringify(paths);
    let sources = cache.get(key);
    if (!sources) {
      sources = readManifestSources(paths, { readStdin });
      // Validated here so that every problem is reported before anything runs.
      warnings.push(...loadManifests(sources).warnings);
      cache.set(key, sources);
    }
    return sources;
  };
  const scenarios: DrillScenario[] = [];
  const specs: ScenarioSpec[] = [];
  for (const file of files) {
    try {
      const text = readFileSync(file, 'utf8');
      const spec = parseScenario(file, text);
      const paths = options.manifests !== undefined ? [options.manifests] : spec.manifests.map((m) => (m === '-' ? '-' : resolve(dirname(file), m)));
      scenarios.push({ file, text, manifestSources: sourcesOf(paths) });
      specs.push(spec);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      for (const d of e.diagnostics) if (!problems.some((p) => JSON.stringify(p) === JSON.stringify(d))) problems.push(d);
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  const items: WorkItem[] = [];
  specs.forEach((spec, scenario) => {
    for (const seed of drillSeeds(spec.expect, options.seed ?? spec.seed, options.seeds)) items.push({ scenario, seed });
  });
  return { scenarios, specs, items, warnings };
}
