// How long after the change a conformance run records: until the simulated run's last decision
// (its last controller event, status change, analysis or router entry) plus a margin for the real
// controller's latency — the same max(2 s, 10 %) the time tolerance allows, plus a few seconds so
// that a real decision that comes late but within tolerance is still seen. Pure.
import type { TraceEntry } from '../../sim/engine/trace.js';

const DECISION_TYPES = new Set(['event', 'status', 'analysisRun', 'measurement', 'router', 'replicaSet']);

/** Settling margin beyond the tolerance (ms). */
export const HORIZON_MARGIN_MS = 3000;

export function recordingHorizonMs(simTrace: readonly TraceEntry[], tolerance = { absoluteMs: 2000, relative: 0.1 }): number {
  const change = simTrace.find((e) => e.type === 'change');
  const changeAt = change?.t ?? 0;
  let last = 0;
  for (const e of simTrace) if (DECISION_TYPES.has(e.type) && e.t >= changeAt) last = Math.max(last, e.t - changeAt);
  return last + Math.max(tolerance.absoluteMs, Math.round(last * tolerance.relative)) + HORIZON_MARGIN_MS;
}
