// Normalising a trace for comparison. The simulator and the real-cluster recorder both write the
// simulator's trace schema (sim/engine/trace.ts: `event`, `status`, `replicaSet`, `router`,
// `analysisRun`, `measurement`, `change`, ...). The two sides cannot agree on names or absolute
// times, so this turns either into the same comparable form:
// - times are relative to the `change` entry (the update that starts the rollout), and only what
//   happens from the change on is kept;
// - pod-template hashes differ (the real API server fills defaults into the template before it is
//   hashed), so every hash becomes its revision, numbered by first appearance of its ReplicaSet
//   (`rev1` the revision deployed first, `rev2` the change...), everywhere it occurs in a name or a
//   message: `payments-pj2xwh7sch-2-3` → `payments-rev2-2-3`;
// - the status stream is reduced to its decisions: step index changes, pauses (with their
//   reasons), resumes, aborts, phase changes; replica counts are left to the events.
// Pure: no I/O, no clock.
import type { TraceEntry } from '../../sim/engine/trace.js';
import type { Outcome } from '../../sim/scenario/types.js';

export type Side = 'simulated' | 'real';

export interface NormalisedEvent {
  readonly t: number;
  /** `Kind/name`, names normalised. */
  readonly object: string;
  readonly reason: string;
  readonly message: string;
}

export type DecisionKind = 'step' | 'paused' | 'resumed' | 'aborted' | 'phase';

export interface Decision {
  readonly t: number;
  readonly kind: DecisionKind;
  /** step: the new index; paused: the pause reasons; phase: the new phase; aborted: 'true'/'false'. */
  readonly value: string;
}

export interface NormalisedMeasurement {
  readonly t: number;
  readonly metric: string;
  readonly phase: string;
}

export interface NormalisedAnalysisRun {
  readonly name: string;
  readonly createdAt: number;
  /** Phase changes after creation, in order. */
  readonly phases: readonly { readonly t: number; readonly phase: string }[];
  readonly measurements: readonly NormalisedMeasurement[];
}

export interface WeightChange {
  readonly t: number;
  readonly canaryWeight: number;
}

export interface NormalisedTrace {
  readonly side: Side;
  /** The time of the change in the original trace (ms), so a report can point back into it. */
  readonly changeAt: number;
  readonly outcome: Outcome;
  readonly decisions: readonly Decision[];
  readonly events: readonly NormalisedEvent[];
  readonly analysisRuns: readonly NormalisedAnalysisRun[];
  /** Weights the traffic router carried (VirtualService, Ingress, TrafficSplit), in order. */
  readonly routerWeights: readonly WeightChange[];
  /** Hash → revision label used (for the report). */
  readonly revisions: Readonly<Record<string, string>>;
}

export interface NormaliseOptions {
  readonly side: Side;
  /** Keep only what happens at most this long after the change (ms); default: everything. */
  readonly horizonMs?: number;
}

/** Revision labels by first appearance of each pod-template hash in `replicaSet` entries. */
export function revisionLabels(entries: readonly TraceEntry[]): Map<string, string> {
  const labels = new Map<string, string>();
  const note = (hash: unknown): void => {
    if (typeof hash === 'string' && hash !== '' && !labels.has(hash)) labels.set(hash, `rev${labels.size + 1}`);
  };
  for (const e of entries) {
    if (e.type === 'replicaSet') note(e.podTemplateHash);
    if (e.type === 'change') note(e.podTemplateHash);
  }
  return labels;
}

/** Replaces every occurrence of a known hash by its revision label. */
export function renameHashes(text: string, labels: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [hash, label] of labels) if (out.includes(hash)) out = out.split(hash).join(label);
  return out;
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/**
 * The outcome as the simulator's summary decides it (sim/world.ts `summarise`), from the last
 * status entry: promoted when the change's revision became stable, aborted, paused, progressing.
 */
export function outcomeOf(entries: readonly TraceEntry[], changeHash: string): Outcome {
  let last: TraceEntry | undefined;
  for (const e of entries) if (e.type === 'status') last = e;
  if (!last) return 'progressing';
  if (last.stableRS === changeHash && last.currentPodHash === changeHash) return 'promoted';
  if (last.abort === true) return 'aborted';
  if (last.phase === 'Paused') return 'paused';
  return 'progressing';
}

export function normaliseTrace(entries: readonly TraceEntry[], options: NormaliseOptions): NormalisedTrace {
  const change = entries.find((e) => e.type === 'change');
  const changeAt = change ? change.t : 0;
  const changeHash = change ? str(change.podTemplateHash) : '';
  const horizon = options.horizonMs ?? Number.POSITIVE_INFINITY;
  const labels = revisionLabels(entries);
  const rename = (s: unknown): string => renameHashes(str(s), labels);
  const kept = entries.filter((e) => e.t >= changeAt && e.t - changeAt <= horizon);
  const rel = (e: TraceEntry): number => e.t - changeAt;

  // Decisions: compare each status entry with the previous one (including the last one before the change).
  const decisions: Decision[] = [];
  let prev: TraceEntry | undefined;
  for (const e of entries) {
    if (e.type !== 'status') continue;
    if (e.t < changeAt) {
      prev = e;
      continue;
    }
    if (e.t - changeAt > horizon) break;
    const t = rel(e);
    if (str(e.phase) !== str(prev?.phase)) decisions.push({ t, kind: 'phase', value: str(e.phase) });
    if (e.step !== prev?.step && e.step !== null && e.step !== undefined) decisions.push({ t, kind: 'step', value: str(e.step) });
    const pauses = ((e.pauseConditions as readonly string[] | undefined) ?? []).join(',');
    const prevPauses = ((prev?.pauseConditions as readonly string[] | undefined) ?? []).join(',');
    if (pauses !== prevPauses) decisions.push(pauses === '' ? { t, kind: 'resumed', value: '' } : { t, kind: 'paused', value: pauses });
    if (Boolean(e.abort) !== Boolean(prev?.abort)) decisions.push({ t, kind: 'aborted', value: String(Boolean(e.abort)) });
    prev = e;
  }

  const events: NormalisedEvent[] = kept
    .filter((e) => e.type === 'event')
    .map((e) => ({ t: rel(e), object: rename(e.object), reason: str(e.reason), message: rename(e.message) }));

  const runs = new Map<string, { name: string; createdAt: number; phases: { t: number; phase: string }[]; measurements: NormalisedMeasurement[] }>();
  for (const e of kept) {
    if (e.type !== 'analysisRun' && e.type !== 'measurement') continue;
    const name = rename(e.run);
    let run = runs.get(name);
    if (!run) {
      run = { name, createdAt: rel(e), phases: [], measurements: [] };
      runs.set(name, run);
    }
    if (e.type === 'measurement') run.measurements.push({ t: rel(e), metric: str(e.metric), phase: str(e.phase) });
    // `Pending` is the real AnalysisRun between creation and its first reconcile; the simulator
    // reconciles a new run at once, so it is no decision either side makes.
    else if (e.phase !== 'Created' && e.phase !== 'Pending') run.phases.push({ t: rel(e), phase: str(e.phase) });
  }

  // Router weights: changes only, starting from the weight in force when the change was applied.
  const routerWeights: WeightChange[] = [];
  let weight: number | undefined;
  for (const e of entries) {
    if (e.type !== 'router' || e.t - changeAt > horizon) continue;
    const w = Number(e.canaryWeight);
    if (w === weight) continue;
    weight = w;
    if (e.t >= changeAt) routerWeights.push({ t: rel(e), canaryWeight: w });
  }

  const upToHorizon = entries.filter((e) => e.t - changeAt <= horizon);
  return {
    side: options.side,
    changeAt,
    outcome: outcomeOf(upToHorizon, changeHash),
    decisions,
    events,
    analysisRuns: [...runs.values()],
    routerWeights,
    revisions: Object.fromEntries(labels),
  };
}
