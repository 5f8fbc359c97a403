// The Markdown report of a drill, for GitHub step summaries ($GITHUB_STEP_SUMMARY) and
// merge-request comments: a headline verdict, one table row per scenario, and for each scenario
// that did not hold, what failed and the command that reproduces it.
import { failureLines, formatDecision, formatFailed, formatOutcomes, formatResult } from '../harness/drill/format.js';
import type { DrillReport } from '../harness/drill/types.js';

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(report: DrillReport): string {
  const n = report.scenarios.length;
  const out: string[] = [];
  out.push(
    report.failed === 0
      ? `## ✅ rehearse drill: all ${n} scenario${n === 1 ? '' : 's'} hold`
      : `## ❌ rehearse drill: ${report.failed} of ${n} scenario${n === 1 ? '' : 's'} failed`,
    '',
  );
  out.push(`${report.runs} run${report.runs === 1 ? '' : 's'}${report.manifests !== undefined ? ` against the manifests of \`${cell(report.manifests)}\`` : ''}.`, '');
  out.push('| | scenario | seeds | outcomes | decision p50 / p90 | failed requests p50 / max | result |', '|---|---|---:|---|---|---|---|');
  for (const r of report.scenarios) {
    out.push(
      `| ${r.passed ? '✅' : '❌'} | \`${cell(r.name)}\` | ${r.seeds.length} | ${cell(formatOutcomes(r))} | ${cell(formatDecision(r.decision, r.seeds.length))} | ${cell(formatFailed(r.failedRatio))} | ${cell(formatResult(r))} |`,
    );
  }
  for (const r of report.scenarios) {
    if (r.passed) continue;
    const [first, ...rest] = failureLines(r);
    const reproduce = rest.pop()!.replace(/^reproduce: /, '');
    out.push('', `### ❌ ${first}`, '', ...rest.map((l) => `- ${l.replace(/^✗ /, '')}`), '', 'Reproduce:', '', '```sh', reproduce, '```');
  }
  return out.join('\n') + '\n';
}
