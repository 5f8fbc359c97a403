// The closing summary of a run in the terminal: outcome and when it was decided, weights reached,
// requests per version, analysis runs, expectations, warnings, and how to reproduce the run.
import type { RunResult } from '../sim/world.js';
import { formatDuration } from '../sim/world.js';
import { formatClock } from './timeline.js';

function pct(n: number, d: number): string {
  return d === 0 ? '0%' : `${((100 * n) / d).toFixed(2)}%`;
}

function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

export function renderSummary(r: RunResult, extra: { traceSha256: string; reproduce: string }): string[] {
  const out: string[] = [];
  const decided =
    r.decidedAt === null
      ? ''
      : ` at ${formatClock(r.decidedAt)}${r.changeAt !== null ? ` (${formatDuration(r.decidedAt - r.changeAt)} after the change)` : ''}`;
  const step = r.finalStepIndex === null ? '' : ` · step ${r.finalStepIndex}/${r.steps}`;
  out.push(`outcome    ${r.outcome === 'rolledBack' ? 'ROLLED BACK' : r.outcome.toUpperCase()}${decided}${step} · phase ${r.finalStatus.phase}${r.finalStatus.message ? ` (${r.finalStatus.message})` : ''}`);
  out.push(`weights    highest canary weight set ${r.maxCanaryWeight}% · highest share actually served by the new revision ${r.maxActualCanaryWeight}%`);
  const q = r.requests;
  out.push(`requests   ${thousands(q.total)} total · ${thousands(q.failed)} failed (${pct(q.failed, q.total)})${q.unrouted > 0 ? ` · ${thousands(q.unrouted)} found no ready pod` : ''}`);
  for (const [name, v] of Object.entries(q.byVersion)) {
    // Revision 0: an Experiment's ReplicaSet (the Rollout numbers its own from 1).
    const of = v.revision === 0 ? 'experiment' : `revision ${v.revision}`;
    // Mirrored copies (setMirrorRoute) are shown apart: they are not user requests.
    const mirrored = v.mirrored ? ` · ${thousands(v.mirrored)} mirrored copies, ${thousands(v.mirroredFailed ?? 0)} failed (not user-facing)` : '';
    out.push(`           ${name} (${of}): ${thousands(v.total)} served, ${thousands(v.failed)} failed (${pct(v.failed, v.total)})${mirrored}`);
  }
  if (q.preview) {
    out.push(`preview    ${thousands(q.preview.total)} preview requests (not user-facing, not counted above) · ${thousands(q.preview.failed)} failed (${pct(q.preview.failed, q.preview.total)})${q.preview.unrouted > 0 ? `, of which ${thousands(q.preview.unrouted)} found no ready pod` : ''}`);
  }
  for (const run of r.analysisRuns) {
    out.push(`analysis   ${run.name} [${run.type}] ${run.phase || 'Pending'} · ${run.measurements.length} measurements${run.message ? ` · ${run.message}` : ''}`);
  }
  for (const e of r.experiments ?? []) {
    const available = e.availableAt === null ? 'never available' : `available at ${formatClock(e.availableAt)}`;
    out.push(`experiment ${e.name} ${e.phase || 'Pending'} · ${available}${e.message ? ` · ${e.message}` : ''}`);
  }
  for (const x of r.expectations) out.push(`expect     ${x.ok ? '✓' : '✗'} ${x.name}: expected ${x.expected}, got ${x.actual}`);
  for (const w of r.warnings) out.push(`warning    ${w}`);
  out.push(`seed       ${r.seed} · PromQL ${r.prometheusVersion}.x semantics · trace sha256 ${extra.traceSha256.slice(0, 16)}…`);
  out.push(`reproduce  ${extra.reproduce}`);
  return out;
}
