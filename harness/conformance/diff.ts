// Diffing a simulated run against a real one (both normalised, normalise.ts). Decisions must match
// exactly: the outcome, the sequence of step indices, pauses, resumes and aborts, the sequence of
// event reasons per object, the AnalysisRuns created with their phases and measurement results,
// and the router weights. Times must match within a tolerance (below). Every divergence is listed
// with both sides' neighbouring entries, so a reader sees where the two runs parted. Pure.
import type { Decision, NormalisedAnalysisRun, NormalisedEvent, NormalisedTrace, WeightChange } from './normalise.js';

/**
 * Time tolerance: |t_real − t_sim| ≤ max(absoluteMs, relative × t_sim), times relative to the
 * change. Why max(2 s, 10 %): on a real cluster every decision waits for informer delivery and
 * the controller's work queue (tens to hundreds of ms per hop, and a chain of hops — ReplicaSet
 * scaled → pods created → readiness patched → ReplicaSet status → Rollout reconciled — before a
 * step completes), and the analysis controller schedules each measurement from the wall-clock
 * time the previous one finished, so per-measurement latency accumulates over an analysis; 2 s
 * covers a few hops, and 10 % covers that accumulation over a longer run without hiding a missed
 * pause (a pause ending at 10 s instead of 5 s is still a divergence).
 */
export interface Tolerance {
  readonly absoluteMs: number;
  readonly relative: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { absoluteMs: 2000, relative: 0.1 };

export function allowedSkewMs(simT: number, tolerance: Tolerance): number {
  return Math.max(tolerance.absoluteMs, Math.round(Math.abs(simT) * tolerance.relative));
}

export type Section = 'outcome' | 'decisions' | 'events' | 'analysis' | 'router';
export type DivergenceKind = 'mismatch' | 'missing' | 'extra' | 'reordered' | 'timing' | 'message';

export interface Divergence {
  readonly section: Section;
  readonly kind: DivergenceKind;
  /** One line: what differs. */
  readonly summary: string;
  readonly simulated: string | null;
  readonly real: string | null;
  /** Neighbouring entries on each side (formatted), to show where the runs parted. */
  readonly context: { readonly simulated: readonly string[]; readonly real: readonly string[] };
}

export interface DiffResult {
  readonly tolerance: Tolerance;
  readonly divergences: readonly Divergence[];
  /** Counts of what was compared, for the report. */
  readonly compared: Readonly<Record<Section, number>>;
  /** Things not compared, and why (e.g. event kinds the simulator does not model). */
  readonly notes: readonly string[];
  readonly agree: boolean;
}

export interface DiffOptions {
  readonly tolerance?: Tolerance;
  /**
   * Object kinds whose events are compared. Default: the kinds the simulated trace has events
   * for, plus Rollout; events of other kinds on the real side are counted in `notes`.
   */
  readonly eventKinds?: readonly string[];
}

/** `+12.345s` */
export function formatRel(t: number): string {
  const sign = t < 0 ? '-' : '+';
  return `${sign}${(Math.abs(t) / 1000).toFixed(3)}s`;
}

/** Longest common subsequence alignment of two key sequences: matched index pairs, in order. */
export function align(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

interface Timed {
  readonly t: number;
}

/**
 * Compares two timed sequences by key: unmatched items are missing (simulated only) or extra
 * (real only) — or, when the same key is unmatched on both sides, reordered; matched items are
 * checked for time (and, through `detail`, for content).
 */
function compareSequences<T extends Timed>(
  section: Section,
  sim: readonly T[],
  real: readonly T[],
  key: (x: T) => string,
  format: (x: T) => string,
  tolerance: Tolerance,
  /** Items unmatched on both sides with the same coarse key differ in content only (e.g. an event's message). */
  coarseKey?: (x: T) => string,
): Divergence[] {
  const out: Divergence[] = [];
  const simKeys = sim.map(key);
  const realKeys = real.map(key);
  const pairs = align(simKeys, realKeys);
  const matchedSim = new Set(pairs.map(([i]) => i));
  const matchedReal = new Set(pairs.map(([, j]) => j));
  const ctx = (xs: readonly T[], i: number): string[] => xs.slice(Math.max(0, i - 2), i + 3).map((x, k) => `${Math.max(0, i - 2) + k === i ? '→ ' : '  '}${format(x)}`);
  // Where would an unmatched item sit on the other side? Just after the last matched predecessor.
  const partnerIndex = (i: number, fromSim: boolean): number => {
    let p = 0;
    for (const [si, rj] of pairs) {
      if ((fromSim ? si : rj) < i) p = (fromSim ? rj : si) + 1;
      else break;
    }
    return p;
  };
  const unmatchedReal = new Map<string, number[]>();
  realKeys.forEach((k, j) => {
    if (!matchedReal.has(j)) unmatchedReal.set(k, [...(unmatchedReal.get(k) ?? []), j]);
  });
  const reorderedReal = new Set<number>();
  const pairedSim = new Set<number>();
  if (coarseKey) {
    // Unmatched on both sides, same coarse key, in the same gap between matched items: the same
    // thing with different content (an event's message), not one missing and one extra.
    const gapOf = (idx: number, fromSim: boolean): number => pairs.filter((p) => (fromSim ? p[0] : p[1]) < idx).length;
    simKeys.forEach((k, i) => {
      if (matchedSim.has(i) || unmatchedReal.get(k)?.length) return;
      const gap = gapOf(i, true);
      const j = realKeys.findIndex((_, jj) => !matchedReal.has(jj) && !reorderedReal.has(jj) && gapOf(jj, false) === gap && coarseKey(real[jj]!) === coarseKey(sim[i]!));
      if (j < 0) return;
      reorderedReal.add(j);
      pairedSim.add(i);
      out.push({
        section,
        kind: 'message',
        summary: `${coarseKey(sim[i]!)}: content differs (simulated ${formatRel(sim[i]!.t)}, real ${formatRel(real[j]!.t)})`,
        simulated: format(sim[i]!),
        real: format(real[j]!),
        context: { simulated: ctx(sim, i), real: ctx(real, j) },
      });
    });
  }
  simKeys.forEach((k, i) => {
    if (matchedSim.has(i) || pairedSim.has(i)) return;
    const candidates = unmatchedReal.get(k);
    const j = candidates?.shift();
    if (j !== undefined) {
      reorderedReal.add(j);
      out.push({
        section,
        kind: 'reordered',
        summary: `${k}: in another order (simulated #${i + 1} at ${formatRel(sim[i]!.t)}, real #${j + 1} at ${formatRel(real[j]!.t)})`,
        simulated: format(sim[i]!),
        real: format(real[j]!),
        context: { simulated: ctx(sim, i), real: ctx(real, j) },
      });
      return;
    }
    out.push({
      section,
      kind: 'missing',
      summary: `${k}: simulated at ${formatRel(sim[i]!.t)}, never on the real cluster`,
      simulated: format(sim[i]!),
      real: null,
      context: { simulated: ctx(sim, i), real: ctx(real, partnerIndex(i, true)) },
    });
  });
  realKeys.forEach((k, j) => {
    if (matchedReal.has(j) || reorderedReal.has(j)) return;
    out.push({
      section,
      kind: 'extra',
      summary: `${k}: on the real cluster at ${formatRel(real[j]!.t)}, never simulated`,
      simulated: null,
      real: format(real[j]!),
      context: { simulated: ctx(sim, partnerIndex(j, false)), real: ctx(real, j) },
    });
  });
  for (const [i, j] of pairs) {
    const s = sim[i]!;
    const r = real[j]!;
    const skew = r.t - s.t;
    if (Math.abs(skew) > allowedSkewMs(s.t, tolerance)) {
      out.push({
        section,
        kind: 'timing',
        summary: `${simKeys[i]}: real ${formatRel(r.t)} vs simulated ${formatRel(s.t)} (${skew > 0 ? 'late' : 'early'} by ${(Math.abs(skew) / 1000).toFixed(3)}s; allowed ${(allowedSkewMs(s.t, tolerance) / 1000).toFixed(3)}s)`,
        simulated: format(s),
        real: format(r),
        context: { simulated: ctx(sim, i), real: ctx(real, j) },
      });
    }
  }
  return out;
}

const fmtDecision = (d: Decision): string => `${formatRel(d.t)} ${d.kind}${d.value === '' ? '' : ` ${d.value}`}`;
const fmtEvent = (e: NormalisedEvent): string => `${formatRel(e.t)} ${e.object} ${e.reason}: ${e.message}`;
const fmtWeight = (w: WeightChange): string => `${formatRel(w.t)} canary weight ${w.canaryWeight}`;

function compareRuns(sim: readonly NormalisedAnalysisRun[], real: readonly NormalisedAnalysisRun[], tolerance: Tolerance): Divergence[] {
  const out: Divergence[] = [];
  const realByName = new Map(real.map((r) => [r.name, r]));
  const simByName = new Map(sim.map((r) => [r.name, r]));
  const names = (xs: readonly NormalisedAnalysisRun[]): string[] => xs.map((r) => `${formatRel(r.createdAt)} ${r.name}`);
  for (const s of sim) {
    const r = realByName.get(s.name);
    if (!r) {
      out.push({ section: 'analysis', kind: 'missing', summary: `AnalysisRun ${s.name}: simulated (created ${formatRel(s.createdAt)}), never created on the real cluster`, simulated: s.name, real: null, context: { simulated: names(sim), real: names(real) } });
      continue;
    }
    if (Math.abs(r.createdAt - s.createdAt) > allowedSkewMs(s.createdAt, tolerance)) {
      out.push({ section: 'analysis', kind: 'timing', summary: `AnalysisRun ${s.name} created: real ${formatRel(r.createdAt)} vs simulated ${formatRel(s.createdAt)}`, simulated: formatRel(s.createdAt), real: formatRel(r.createdAt), context: { simulated: names(sim), real: names(real) } });
    }
    const tag = <T extends { t: number }>(x: T, f: (y: T) => string): string => `${formatRel(x.t)} ${s.name} ${f(x)}`;
    out.push(
      ...compareSequences('analysis', s.phases, r.phases, (p) => `${s.name} phase ${p.phase}`, (p) => tag(p, (y) => `phase ${y.phase}`), tolerance),
      ...compareSequences(
        'analysis',
        s.measurements,
        r.measurements,
        (m) => `${s.name} ${m.metric} → ${m.phase}`,
        (m) => tag(m, (y) => `measurement ${y.metric} → ${y.phase}`),
        tolerance,
      ),
    );
  }
  for (const r of real) {
    if (simByName.has(r.name)) continue;
    out.push({ section: 'analysis', kind: 'extra', summary: `AnalysisRun ${r.name}: created on the real cluster at ${formatRel(r.createdAt)}, never simulated`, simulated: null, real: r.name, context: { simulated: names(sim), real: names(real) } });
  }
  return out;
}

export function diffTraces(sim: NormalisedTrace, real: NormalisedTrace, options: DiffOptions = {}): DiffResult {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const kindOf = (e: NormalisedEvent): string => e.object.split('/')[0] ?? '';
  const kinds = new Set(options.eventKinds ?? ['Rollout', ...sim.events.map(kindOf)]);
  const notes: string[] = [];
  const skipped = new Map<string, number>();
  for (const e of real.events) if (!kinds.has(kindOf(e))) skipped.set(kindOf(e), (skipped.get(kindOf(e)) ?? 0) + 1);
  for (const [kind, n] of [...skipped].sort()) notes.push(`${n} real event(s) on ${kind} objects not compared: the simulator does not emit events for ${kind}`);
  const simEvents = sim.events.filter((e) => kinds.has(kindOf(e)));
  const realEvents = real.events.filter((e) => kinds.has(kindOf(e)));

  const divergences: Divergence[] = [];
  if (sim.outcome !== real.outcome) {
    divergences.push({
      section: 'outcome',
      kind: 'mismatch',
      summary: `outcome: simulated ${sim.outcome}, real ${real.outcome}`,
      simulated: sim.outcome,
      real: real.outcome,
      context: { simulated: sim.decisions.slice(-3).map(fmtDecision), real: real.decisions.slice(-3).map(fmtDecision) },
    });
  }
  divergences.push(
    ...compareSequences('decisions', sim.decisions, real.decisions, (d) => `${d.kind}${d.value === '' ? '' : ` ${d.value}`}`, fmtDecision, tolerance),
    ...compareSequences('events', simEvents, realEvents, (e) => `${e.object} ${e.reason}: ${e.message}`, fmtEvent, tolerance, (e) => `${e.object} ${e.reason}`),
    ...compareRuns(sim.analysisRuns, real.analysisRuns, tolerance),
    ...compareSequences('router', sim.routerWeights, real.routerWeights, (w) => `canary weight ${w.canaryWeight}`, fmtWeight, tolerance),
  );
  return {
    tolerance,
    divergences,
    compared: {
      outcome: 1,
      decisions: sim.decisions.length,
      events: simEvents.length,
      analysis: sim.analysisRuns.length,
      router: sim.routerWeights.length,
    },
    notes,
    agree: divergences.length === 0,
  };
}
