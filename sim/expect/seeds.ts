// Expectations over seeds: `seeds: 200` with `atLeast: 99%` runs seeds spec.seed … spec.seed+199
// and passes when every other expectation held on at least 99% of them. A drill that holds on
// some seeds and not on enough of them is flaky, and the verdict says so with the distribution.
import { formatPercent } from './format.js';
import type { Expectations, ExpectationResult } from './types.js';

/** The seeds a drill runs: `count` consecutive seeds from `base` (count: --seeds, else expect.seeds, else 1). */
export function drillSeeds(x: Expectations, base: number, countOverride?: number): number[] {
  const count = countOverride ?? x.seeds ?? 1;
  return Array.from({ length: count }, (_, i) => base + i);
}

export interface SeedRun {
  readonly seed: number;
  readonly expectations: readonly ExpectationResult[];
}

export interface ExpectationOverSeeds {
  readonly name: string;
  readonly expected: string;
  readonly held: number;
  readonly total: number;
  /** The first seed on which it did not hold, with the actual value then. */
  readonly firstFailure: { readonly seed: number; readonly actual: string } | undefined;
  /** The actual value on the first seed (shown when it held everywhere). */
  readonly firstActual: string;
}

export interface SeedsVerdict {
  readonly total: number;
  /** Seeds on which every expectation held. */
  readonly held: number;
  /** Share of seeds that must hold (expect.atLeast; 1 = all). */
  readonly atLeast: number;
  readonly passed: boolean;
  /** Failed, yet held on some seeds: the drill's result depends on luck. */
  readonly flaky: boolean;
  readonly failingSeeds: readonly number[];
  readonly expectations: readonly ExpectationOverSeeds[];
  /** One line: "held on 67 of 200 seeds (33.5%), needs ≥ 99% — flaky". */
  readonly description: string;
}

export function judgeOverSeeds(x: Expectations, runs: readonly SeedRun[]): SeedsVerdict {
  const atLeast = x.atLeast ?? 1;
  const total = runs.length;
  const failingSeeds = runs.filter((r) => r.expectations.some((e) => !e.ok)).map((r) => r.seed);
  const held = total - failingSeeds.length;
  // Integer comparison, so that 99% of 200 is exactly 198 whatever the float rounding.
  const needed = Math.ceil(atLeast * total - 1e-9);
  const passed = total > 0 && held >= needed;
  const flaky = !passed && held > 0;
  const byName = new Map<string, { expected: string; held: number; total: number; firstFailure: ExpectationOverSeeds['firstFailure']; firstActual: string }>();
  for (const run of runs) {
    for (const e of run.expectations) {
      let s = byName.get(e.name);
      if (!s) byName.set(e.name, (s = { expected: e.expected, held: 0, total: 0, firstFailure: undefined, firstActual: e.actual }));
      s.total++;
      if (e.ok) s.held++;
      else if (!s.firstFailure) s.firstFailure = { seed: run.seed, actual: e.actual };
    }
  }
  const expectations = [...byName].map(([name, s]) => ({ name, ...s }));
  const share = total > 0 ? held / total : 0;
  const need = atLeast >= 1 ? 'needs all' : `needs ≥ ${formatPercent(atLeast)}`;
  const description =
    total === 1
      ? held === 1
        ? 'held'
        : 'did not hold'
      : `held on ${held} of ${total} seeds (${formatPercent(share)}), ${need}${flaky ? ' — flaky: the result depends on the seed' : ''}`;
  return { total, held, atLeast, passed, flaky, failingSeeds, expectations, description };
}
