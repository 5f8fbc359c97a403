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

/** Why a scenario cannot run in the simulator yet (matched by file name). */
export const PENDING: Readonly<Record<string, string>> = {
  'pause-then-promote.yaml': 'needs operator actions in scenarios (spec.actions)',
  'promote-full.yaml': 'needs operator actions in scenarios (spec.actions)',
  'abort-then-retry.yaml': 'needs operator actions in scenarios (spec.actions)',
  'set-canary-scale.yaml': 'needs setCanaryScale steps in the simulator',
  'bluegreen-prepromotion-pass.yaml': 'needs the blueGreen strategy in the simulator',
  'bluegreen-prepromotion-fail.yaml': 'needs the blueGreen strategy in the simulator',
};

export interface SuiteEntry {
  readonly file: string;
  readonly name: string;
  /** Why the simulator may refuse it for now; undefined when it must run. */
  readonly pendingReason: string | undefined;
}

/** The suite's scenario files (runnable ones, then those in .pending/), each group sorted by name. */
export function suiteEntries(dir: string = SUITE_DIR): SuiteEntry[] {
  const files = (d: string): string[] => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.yaml')).sort() : []);
  const pendingDir = join(dir, '.pending');
  return [
    ...files(dir).map((f) => ({ file: join(dir, f), name: f.replace(/\.yaml$/, ''), pendingReason: PENDING[f] })),
    ...files(pendingDir).map((f) => ({ file: join(pendingDir, f), name: f.replace(/\.yaml$/, ''), pendingReason: PENDING[f] ?? 'in .pending/ without a reason' })),
  ];
}
