// The conformance suite: the short scenarios under scenarios/conformance/ that are played both in
// the simulator and against a real cluster (DESIGN.md "Real-cluster conformance"). Some need
// simulator features other work is adding: those live in scenarios/conformance/.pending/ (so that
// `rehearse drill scenarios/`, which skips dot folders, does not trip over them), are listed here
// with the reason, and stay pending only while the simulator refuses them (an InputError) — once
// it runs them they light up; then move them up a folder and drop them from PENDING.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this module with a package.json (source or dist/). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const SUITE_DIR = join(repositoryRoot(), 'scenarios', 'conformance');

export interface SuiteEntry {
  readonly file: string;
  readonly name: string;
}

/** The suite's scenario files, sorted by name. */
export function suiteEntries(dir: string = SUITE_DIR): SuiteEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ file: join(dir, f), name: f.replace(/\.yaml$/, '') }));
}
