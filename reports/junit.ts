// JUnit XML of a drill, in the shape CI systems render (GitHub Actions test reporters, GitLab's
// `artifacts:reports:junit`, Jenkins): one <testsuite> per scenario file, one <testcase> per
// scenario, each expectation as a <property> (✓/✗, expected vs actual, seeds held), and a
// <failure> whose text says what was expected, what happened and the command that reproduces it.
// No wall-clock times: the same drill writes the same file.
import { failureLines, formatDecision, formatFailed, formatOutcomes } from '../harness/drill/format.js';
import type { DrillReport, ScenarioReport } from '../harness/drill/types.js';

/** Escapes text for XML content and attributes; drops characters XML 1.0 cannot carry. */
export function xmlEscape(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const attr = (pairs: Record<string, string | number>): string =>
  Object.entries(pairs)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

function seedRange(seeds: readonly number[]): string {
  if (seeds.length === 0) return '';
  return seeds.length === 1 ? String(seeds[0]) : `${seeds[0]}..${seeds[seeds.length - 1]} (${seeds.length} seeds)`;
}

function testcase(r: ScenarioReport): string[] {
  const props: [string, string][] = [
    ['file', r.file],
    ['seeds', seedRange(r.seeds)],
    ['outcomes', formatOutcomes(r)],
    ['decision p50 / p90', formatDecision(r.decision, r.seeds.length)],
    ['failed requests p50 / max', formatFailed(r.failedRatio)],
    ['verdict', r.verdict.description],
    ...r.verdict.expectations.map((x): [string, string] => [
      `expect.${x.name}`,
      `${x.held === x.total ? '✓' : '✗'} expected ${x.expected}, got ${x.firstFailure?.actual ?? x.firstActual}${x.total > 1 ? ` (held on ${x.held} of ${x.total} seeds)` : ''}`,
    ]),
    ['reproduce', r.reproduce],
  ];
  const out = [`    <testcase${attr({ classname: r.file, name: r.name })}>`, '      <properties>'];
  for (const [name, value] of props) out.push(`        <property${attr({ name, value })}/>`);
  out.push('      </properties>');
  if (!r.passed) {
    const lines = failureLines(r);
    const firstFailed = r.verdict.expectations.find((x) => x.firstFailure);
    const message = firstFailed ? `${firstFailed.name}: expected ${firstFailed.expected}, got ${firstFailed.firstFailure!.actual}` : r.verdict.description;
    out.push(`      <failure${attr({ type: r.verdict.flaky ? 'FlakyDrill' : 'ExpectationFailed', message })}>${xmlEscape(lines.join('\n'))}</failure>`);
  }
  out.push(`      <system-out>${xmlEscape(`reproduce: ${r.reproduce}`)}</system-out>`, '    </testcase>');
  return out;
}

export function renderJUnit(report: DrillReport): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attr({ name: 'rehearse drill', tests: report.scenarios.length, failures: report.failed, errors: 0 })}>`);
  for (const r of report.scenarios) {
    out.push(`  <testsuite${attr({ name: r.file, tests: 1, failures: r.passed ? 0 : 1, errors: 0, skipped: 0 })}>`);
    out.push(...testcase(r));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
