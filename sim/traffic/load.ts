// Request-rate profiles: how many requests per second arrive at the entry point over virtual time.
// The traffic model only needs the expected number of arrivals in an interval (the integral of
// the rate), from which it draws a Poisson count — never one event per request.

export type LoadProfile =
  | { readonly kind: 'constant'; readonly rps: number }
  /** Piecewise-constant: `rps` until the first step, then each step's rate from its time on. */
  | { readonly kind: 'steps'; readonly rps: number; readonly steps: readonly { readonly atMs: number; readonly rps: number }[] };

/** Rate in requests per second at virtual time `tMs`. */
export function rateAt(profile: LoadProfile, tMs: number): number {
  if (profile.kind === 'constant') return profile.rps;
  let rps = profile.rps;
  for (const s of profile.steps) {
    if (s.atMs <= tMs) rps = s.rps;
    else break;
  }
  return rps;
}

/** Expected arrivals in [fromMs, toMs): the integral of the rate. */
export function expectedArrivals(profile: LoadProfile, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  if (profile.kind === 'constant') return (profile.rps * (toMs - fromMs)) / 1000;
  let total = 0;
  let t = fromMs;
  let rps = rateAt(profile, fromMs);
  for (const s of profile.steps) {
    if (s.atMs <= t) continue;
    if (s.atMs >= toMs) break;
    total += (rps * (s.atMs - t)) / 1000;
    t = s.atMs;
    rps = s.rps;
  }
  total += (rps * (toMs - t)) / 1000;
  return total;
}

// ── Rate modifiers (traffic faults) ────────────────────────────────────────────────────────────
// A modifier multiplies the profile's rate inside a window by a sum of cosine terms
// c·cos(ω·t + φ) (ω = 0, φ = 0: the constant c). Declared as data rather than as a function of
// time so that the expected arrivals of a tick stay an exact integral whatever the modifiers:
// products of cosine sums are cosine sums (cos A · cos B = ½cos(A−B) + ½cos(A+B)), and each term
// integrates in closed form over a piece where the profile's rate is constant.

/** c · cos(ω·t + φ), t in virtual ms. */
export interface RateTerm {
  readonly c: number;
  /** Angular frequency in radians per ms (0: a constant term). */
  readonly omegaPerMs: number;
  readonly phase: number;
}

export interface RateModifier {
  /** The window [fromMs, toMs) in which the multiplier applies; outside it the rate is unchanged. */
  readonly fromMs: number;
  readonly toMs: number;
  /** The rate multiplier inside the window, a sum of terms (empty: zero, no requests). */
  readonly terms: readonly RateTerm[];
}

/** A constant multiplier over a window (a spike: factor > 1; a drop to zero: factor 0). */
export function constantRateModifier(fromMs: number, toMs: number, factor: number): RateModifier {
  return { fromMs, toMs, terms: factor === 0 ? [] : [{ c: factor, omegaPerMs: 0, phase: 0 }] };
}

/**
 * A sinusoidal multiplier: `peak` at tMs = peakAtMs (mod period), `trough` half a period later,
 * i.e. mid + amp·cos(2π(t − peakAt)/period) with mid = (peak+trough)/2, amp = (peak−trough)/2.
 */
export function sinusoidalRateModifier(fromMs: number, toMs: number, trough: number, peak: number, periodMs: number, peakAtMs: number): RateModifier {
  const omega = (2 * Math.PI) / periodMs;
  // Reduce the phase modulo 2π so that large peakAt values keep full precision.
  const phase = -omega * (peakAtMs % periodMs);
  return {
    fromMs,
    toMs,
    terms: [
      { c: (peak + trough) / 2, omegaPerMs: 0, phase: 0 },
      { c: (peak - trough) / 2, omegaPerMs: omega, phase },
    ],
  };
}

function multiplyTerms(a: readonly RateTerm[], b: readonly RateTerm[]): RateTerm[] {
  const out: RateTerm[] = [];
  for (const x of a) {
    for (const y of b) {
      if (y.omegaPerMs === 0 && y.phase === 0) out.push({ c: x.c * y.c, omegaPerMs: x.omegaPerMs, phase: x.phase });
      else if (x.omegaPerMs === 0 && x.phase === 0) out.push({ c: x.c * y.c, omegaPerMs: y.omegaPerMs, phase: y.phase });
      else {
        out.push({ c: (x.c * y.c) / 2, omegaPerMs: x.omegaPerMs - y.omegaPerMs, phase: x.phase - y.phase });
        out.push({ c: (x.c * y.c) / 2, omegaPerMs: x.omegaPerMs + y.omegaPerMs, phase: x.phase + y.phase });
      }
    }
  }
  return out;
}

/** ∫ Σ c·cos(ωt+φ) dt over [a, b), in ms. */
function integrateTerms(terms: readonly RateTerm[], a: number, b: number): number {
  let total = 0;
  for (const t of terms) {
    if (t.omegaPerMs === 0) total += t.c * Math.cos(t.phase) * (b - a);
    // sin(ωb+φ) − sin(ωa+φ) = 2·cos(ω(a+b)/2 + φ)·sin(ω(b−a)/2): no cancellation over short pieces.
    else total += ((2 * t.c) / t.omegaPerMs) * Math.cos((t.omegaPerMs * (a + b)) / 2 + t.phase) * Math.sin((t.omegaPerMs * (b - a)) / 2);
  }
  return total;
}

function evaluateTerms(terms: readonly RateTerm[], tMs: number): number {
  let v = 0;
  for (const t of terms) v += t.c * Math.cos(t.omegaPerMs * tMs + t.phase);
  return v;
}

const ONE: readonly RateTerm[] = [{ c: 1, omegaPerMs: 0, phase: 0 }];

/** Rate in requests per second at `tMs`, with modifiers (never negative). */
export function modifiedRateAt(profile: LoadProfile, modifiers: readonly RateModifier[], tMs: number): number {
  let rps = rateAt(profile, tMs);
  for (const m of modifiers) if (tMs >= m.fromMs && tMs < m.toMs) rps *= evaluateTerms(m.terms, tMs);
  return Math.max(0, rps);
}

/**
 * Expected arrivals in [fromMs, toMs) with modifiers: exact — the interval is cut wherever the
 * profile steps or a modifier's window opens or closes, and each piece's product of cosine sums
 * is integrated in closed form. When no modifier's window overlaps the interval this is
 * `expectedArrivals` itself, so a fault changes no draw of the ticks before it.
 */
export function expectedArrivalsModified(profile: LoadProfile, modifiers: readonly RateModifier[], fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  const overlapping = modifiers.filter((m) => m.fromMs < toMs && m.toMs > fromMs);
  if (overlapping.length === 0) return expectedArrivals(profile, fromMs, toMs);
  const cuts = new Set<number>([fromMs, toMs]);
  if (profile.kind === 'steps') for (const s of profile.steps) if (s.atMs > fromMs && s.atMs < toMs) cuts.add(s.atMs);
  for (const m of overlapping) {
    if (m.fromMs > fromMs) cuts.add(m.fromMs);
    if (m.toMs < toMs) cuts.add(m.toMs);
  }
  const points = [...cuts].sort((a, b) => a - b);
  let total = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    let terms = ONE;
    for (const m of overlapping) if (a >= m.fromMs && a < m.toMs) terms = multiplyTerms(terms, m.terms);
    // Multipliers are never negative (the faults' parameter bounds), so this only absorbs rounding.
    total += Math.max(0, (rateAt(profile, a) * integrateTerms(terms, a, b)) / 1000);
  }
  return total;
}
