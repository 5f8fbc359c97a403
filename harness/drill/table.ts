// The terminal report of `rehearse drill`: one row per scenario, then, for each scenario that did
// not hold, what failed (expected vs actual) and the one command that reproduces it.
import { failureLines, formatDecision, formatFailed, formatOutcomes, formatResult } from './format.js';
import type { DrillReport } from './types.js';

export function renderDrillTable(report: DrillReport): string[] {
  const header = ['scenario', 'seeds', 'outcomes', 'decision p50 / p90', 'failed requests p50 / max', 'result'];
  const rows = report.scenarios.map((r) => [r.name, String(r.seeds.length), formatOutcomes(r), formatDecision(r.decision, r.seeds.length), formatFailed(r.failedRatio), formatResult(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 1 ? c.padStart(widths[i]!) : i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const r of report.scenarios) {
    if (r.passed) continue;
    const [first, ...rest] = failureLines(r);
    out.push('', `✗ ${first}`, ...rest.map((l) => `    ${l}`));
  }
  for (const r of report.scenarios) for (const w of r.warnings) out.push(`warning  ${r.name}: ${w}`);
  return out;
}
