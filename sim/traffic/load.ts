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
