// Conformance reports: the console diff, a Markdown page and a JSON document, from the results of
// `rehearse conform` (harness/conformance/conform.ts).
import type { ScenarioConformance } from '../harness/conformance/conform.js';
import type { Divergence } from '../harness/conformance/diff.js';

export interface ConformanceRun {
  readonly cluster: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly results: readonly ScenarioConformance[];
  readonly wallMs: number;
}

/** agrees: no divergence at all; known: only known differences (knownDifferences.ts); diverges: anything else. */
export function verdictOf(r: ScenarioConformance): 'agrees' | 'known' | 'diverges' | 'failed' {
  if (r.status === 'failed') return 'failed';
  if (r.diff.agree) return 'agrees';
  return r.classified.unexplained.length === 0 ? 'known' : 'diverges';
}

const VERDICT_TEXT = { agrees: 'agrees', known: 'agrees but for known differences', diverges: 'diverges' } as const;

/** Whether the run should exit 1: any divergence that is not a known difference, or a failed run. */
export function anyDivergence(run: ConformanceRun): boolean {
  return run.results.some((r) => verdictOf(r) === 'diverges' || verdictOf(r) === 'failed');
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

function divergenceLines(d: Divergence, indent: string): string[] {
  const out = [`${indent}✗ [${d.section}/${d.kind}] ${d.summary}`];
  if (d.simulated !== null) out.push(`${indent}    simulated: ${d.simulated}`);
  if (d.real !== null) out.push(`${indent}    real:      ${d.real}`);
  if (d.context.simulated.length > 0) out.push(`${indent}    simulated context:`, ...d.context.simulated.map((l) => `${indent}      ${l}`));
  if (d.context.real.length > 0) out.push(`${indent}    real context:`, ...d.context.real.map((l) => `${indent}      ${l}`));
  return out;
}

export function renderConformanceText(run: ConformanceRun): string[] {
  const out: string[] = [];
  for (const r of run.results) {
    const v = verdictOf(r);
    if (r.status === 'failed') out.push(`✗ ${r.name}: the real run failed: ${r.error}`);
    else {
      const mark = v === 'agrees' ? '✓' : v === 'known' ? '~' : '✗';
      out.push(`${mark} ${r.name}: simulated ${r.simulated.outcome}, real ${r.real.outcome} · ${r.diff.compared.events} events, ${r.diff.compared.decisions} decisions, ${r.diff.compared.analysis} AnalysisRuns compared · ${r.diff.divergences.length} divergence(s), ${r.classified.known.length} of them known · ${seconds(r.wallMs)}`);
      for (const d of r.classified.unexplained) out.push(...divergenceLines(d, '    '));
      const knownIds = [...new Set(r.classified.known.map((k) => k.id))];
      for (const id of knownIds) {
        const ks = r.classified.known.filter((k) => k.id === id);
        out.push(`    known difference ${id} (${ks.length}×): ${ks[0]!.reason}`, ...ks.map((k) => `      ${k.divergence.summary}`));
      }
      for (const n of r.diff.notes) out.push(`    note: ${n}`);
      for (const w of r.warnings) out.push(`    warning: ${w}`);
      if (r.eventSource !== 'controller log') out.push(`    note: events read from ${r.eventSource}, which client-go throttles (25 per object, then 1 per 5 minutes): missing late events may be that`);
    }
  }
  const compared = run.results.filter((r) => r.status === 'compared');
  const agree = run.results.filter((r) => verdictOf(r) === 'agrees').length;
  const known = run.results.filter((r) => verdictOf(r) === 'known').length;
  const tol = compared[0]?.status === 'compared' ? compared[0].diff.tolerance : undefined;
  out.push('', `${agree} of ${compared.length} scenarios agree exactly${known ? `, ${known} but for known differences` : ''} · cluster ${run.cluster} · wall time ${seconds(run.wallMs)}${tol ? ` · time tolerance max(${tol.absoluteMs / 1000}s, ${tol.relative * 100}%)` : ''}`);
  return out;
}

export function renderConformanceMarkdown(run: ConformanceRun): string {
  const out: string[] = ['# rehearse conformance', ''];
  out.push(`Cluster: \`${run.cluster}\` · ${Object.entries(run.versions).map(([k, v]) => `${k} ${v}`).join(' · ') || 'versions unknown'} · wall time ${seconds(run.wallMs)}`, '');
  out.push('Decisions (outcome, step sequence, pauses, aborts), event-reason sequences, AnalysisRuns and router weights must match exactly; times (relative to the change) within max(2 s, 10 %) of the simulated time.', '');
  out.push('| scenario | simulated | real | divergences | wall time | verdict |', '|---|---|---|---|---|---|');
  for (const r of run.results) {
    if (r.status === 'compared') {
      const v = verdictOf(r);
      out.push(`| \`${r.name}\` | ${r.simulated.outcome} | ${r.real.outcome} | ${r.diff.divergences.length} (${r.classified.known.length} known) | ${seconds(r.wallMs)} | ${v === 'agrees' ? '✅' : v === 'known' ? '🟡' : '❌'} ${VERDICT_TEXT[v as keyof typeof VERDICT_TEXT]} |`);
    }
    else out.push(`| \`${r.name}\` | — | — | — | — | ❌ failed: ${r.error.replace(/\|/g, '\\|')} |`);
  }
  for (const r of run.results) {
    if (r.status !== 'compared' || (r.diff.agree && r.diff.notes.length === 0 && r.warnings.length === 0)) continue;
    out.push('', `## ${r.name}`, '');
    for (const d of r.classified.unexplained) out.push('```', ...divergenceLines(d, ''), '```');
    for (const k of r.classified.known) out.push(`- known difference \`${k.id}\`: ${k.divergence.summary} — ${k.reason}`);
    for (const n of r.diff.notes) out.push(`- note: ${n}`);
    for (const w of r.warnings) out.push(`- warning: ${w}`);
  }
  return out.join('\n') + '\n';
}

export function conformanceJson(run: ConformanceRun): Record<string, unknown> {
  return {
    cluster: run.cluster,
    versions: run.versions,
    wallMs: run.wallMs,
    agree: run.results.filter((r) => verdictOf(r) === 'agrees').length,
    agreeButKnown: run.results.filter((r) => verdictOf(r) === 'known').length,
    compared: run.results.filter((r) => r.status === 'compared').length,
    results: run.results.map((r) => ({ verdict: verdictOf(r), ...r })),
  };
}
