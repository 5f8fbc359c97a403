// From per-seed results to the drill's report: per scenario, the outcome distribution, time to
// decision and failed requests (median, p90, max), the verdict over seeds, and the one command
// that reproduces the first failing seed.
import { judgeOverSeeds } from '../../sim/expect/seeds.js';
import type { ScenarioSpec } from '../../sim/scenario/types.js';
import type { DrillReport, DrillScenario, Distribution, ScenarioReport, SeedResult } from './types.js';

const OUTCOME_ORDER = ['promoted', 'aborted', 'paused', 'progressing', 'rolledBack'];

/** Nearest-rank percentiles (no interpolation: every figure is a value some seed produced). */
export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number | null => (sorted.length === 0 ? null : sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!);
  return { count: sorted.length, p50: rank(0.5), p90: rank(0.9), max: rank(1) };
}

export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** `rehearse run <scenario> --seed <n>`, plus `--manifests` when the drill replaced the manifests. */
export function reproduceCommand(file: string, seed: number, manifests: string | undefined): string {
  const parts = ['rehearse', 'run', shellQuote(file), '--seed', String(seed)];
  if (manifests !== undefined) parts.push('--manifests', shellQuote(manifests));
  return parts.join(' ');
}

export function buildReport(
  scenarios: readonly DrillScenario[],
  specs: readonly ScenarioSpec[],
  results: readonly SeedResult[],
  manifests: string | undefined,
): DrillReport {
  const reports: ScenarioReport[] = scenarios.map((s, index) => {
    const spec = specs[index]!;
    const mine = results.filter((r) => r.scenario === index);
    const outcomes: Record<string, number> = {};
    for (const o of OUTCOME_ORDER) {
      const n = mine.filter((r) => r.outcome === o).length;
      if (n > 0) outcomes[o] = n;
    }
    const verdict = judgeOverSeeds(spec.expect, mine);
    const reproduceSeed = verdict.failingSeeds[0] ?? mine[0]?.seed ?? spec.seed;
    const warnings = [...new Set(mine.flatMap((r) => r.warnings))];
    return {
      file: s.file,
      name: spec.name,
      seeds: mine.map((r) => r.seed),
      outcomes,
      decision: distribution(mine.flatMap((r) => (r.decidedAfterMs === null ? [] : [r.decidedAfterMs]))),
      failedRatio: distribution(mine.map((r) => (r.requests.total > 0 ? r.requests.failed / r.requests.total : 0))),
      maxCanaryWeight: distribution(mine.map((r) => r.maxCanaryWeight)),
      verdict,
      passed: verdict.passed,
      reproduce: reproduceCommand(s.file, reproduceSeed, manifests),
      warnings,
    };
  });
  const passed = reports.filter((r) => r.passed).length;
  return { scenarios: reports, runs: results.length, passed, failed: reports.length - passed, manifests };
}
