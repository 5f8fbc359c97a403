// Figures of a drill report as every writer (terminal table, JUnit, Markdown) prints them.
import { formatDuration, formatPercent } from '../../sim/expect/format.js';
import type { Distribution, ScenarioReport } from './types.js';

/** "aborted 198 · promoted 2" */
export function formatOutcomes(r: ScenarioReport): string {
  return Object.entries(r.outcomes)
    .map(([o, n]) => `${o} ${n}`)
    .join(' · ');
}

const seconds = (ms: number): string => formatDuration(Math.round(ms / 1000) * 1000);

/** "2m41s / 3m12s" (median / p90); "—" when no seed was decided. */
export function formatDecision(d: Distribution, seeds: number): string {
  if (d.count === 0) return 'not decided';
  const undecided = seeds - d.count;
  return `${seconds(d.p50!)} / ${seconds(d.p90!)}${undecided > 0 ? ` (${undecided} undecided)` : ''}`;
}

/** "0.14% / 0.2%" (median / max over seeds). */
export function formatFailed(d: Distribution): string {
  return d.count === 0 ? '—' : `${formatPercent(d.p50!)} / ${formatPercent(d.max!)}`;
}

export function formatResult(r: ScenarioReport): string {
  if (r.passed) return r.verdict.held === r.verdict.total ? 'pass' : `pass (${r.verdict.held}/${r.verdict.total})`;
  return r.verdict.flaky ? `FLAKY (${r.verdict.held}/${r.verdict.total})` : 'FAIL';
}

/** The lines explaining a failed scenario: each expectation that did not hold, and the reproduce command. */
export function failureLines(r: ScenarioReport): string[] {
  const lines = [`${r.name} (${r.file}): ${r.verdict.description}`];
  for (const x of r.verdict.expectations) {
    if (!x.firstFailure) continue;
    const share = x.total > 1 ? ` — failed on ${x.total - x.held} of ${x.total} seeds, first on seed ${x.firstFailure.seed}` : '';
    lines.push(`✗ ${x.name}: expected ${x.expected}, got ${x.firstFailure.actual}${share}`);
  }
  lines.push(`reproduce: ${r.reproduce}`);
  return lines;
}
