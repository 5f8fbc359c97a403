// How the Prometheus API server maps the times in requests (Unix time, as Prometheus and Argo's
// client_golang speak it) onto the rehearsal's virtual clock (ms since the start of the run), and
// back for the timestamps it answers with. Times cross this interface as integer Unix
// MILLISECONDS: Prometheus itself rounds every request time to ms before evaluating
// (web/api/v1/api.go: parseTime; timestamp.FromTime), so nothing finer ever reaches the engine.
//
// Two mappings:
// - `fixedClock`: virtual 0 is a chosen Unix instant (the "epoch") and "now" is a fixed virtual
//   time, normally the end of a finished run. Same run, same epoch → same answers, always.
// - `liveClock`: virtual time advances with the wall clock from a start instant, optionally
//   scaled (scale 2 = two virtual seconds per wall second); "now" is the wall clock. This is what a
//   real Argo Rollouts controller needs, since it always asks for `time=<its time.Now()>`.

/** Maps API times (Unix ms) to virtual ms and back; supplies "now" for requests without `time`. */
export interface PromApiClock {
  /** Virtual ms at API time `unixMs` (an integer; ±Infinity passes through). */
  toVirtualMs(unixMs: number): number;
  /** API time (Unix ms, integer) of virtual time `virtualMs`. */
  toUnixMs(virtualMs: number): number;
  /** Unix ms a request without `time` is evaluated at (Prometheus: its wall clock). */
  nowUnixMs(): number;
  /** Virtual ms per API ms (1 unless a live clock is scaled). */
  readonly scale: number;
  /** One line for people: which Unix time virtual 0 is, and what "now" is. */
  describe(): string;
}

export interface FixedClockOptions {
  /** Unix ms that virtual time 0 maps to. */
  readonly epochUnixMs: number;
  /** Virtual ms used as "now" (requests without `time`); usually the end of the run. */
  readonly nowVirtualMs: number;
}

/** Virtual 0 ↔ `epochUnixMs`; now = `nowVirtualMs`. A pure translation, so exact both ways. */
export function fixedClock(opts: FixedClockOptions): PromApiClock {
  const { epochUnixMs, nowVirtualMs } = opts;
  requireInteger('epochUnixMs', epochUnixMs);
  requireInteger('nowVirtualMs', nowVirtualMs);
  return {
    scale: 1,
    toVirtualMs: (unixMs) => unixMs - epochUnixMs,
    toUnixMs: (virtualMs) => virtualMs + epochUnixMs,
    nowUnixMs: () => nowVirtualMs + epochUnixMs,
    describe: () =>
      `virtual 0 = ${isoTime(epochUnixMs)} (Unix ${epochUnixMs / 1000}); requests without time= are evaluated at ` +
      `virtual ${formatVirtual(nowVirtualMs)} = ${isoTime(nowVirtualMs + epochUnixMs)} (Unix ${(nowVirtualMs + epochUnixMs) / 1000})`,
  };
}

export interface LiveClockOptions {
  /** Wall-clock Unix ms at which virtual time was `startVirtualMs`. Default: now. */
  readonly startUnixMs?: number;
  /** Default 0. */
  readonly startVirtualMs?: number;
  /** Virtual ms per wall ms. Default 1. */
  readonly scale?: number;
  /** The wall clock (tests pass their own). Default `Date.now`. */
  readonly wallNowMs?: () => number;
}

export interface LiveClock extends PromApiClock {
  /** Virtual ms corresponding to the wall clock right now. */
  virtualNowMs(): number;
}

/** Virtual time = startVirtualMs + (unixMs - startUnixMs) × scale, rounded to whole ms. */
export function liveClock(opts: LiveClockOptions = {}): LiveClock {
  const wallNowMs = opts.wallNowMs ?? Date.now;
  const startUnixMs = opts.startUnixMs ?? wallNowMs();
  const startVirtualMs = opts.startVirtualMs ?? 0;
  const scale = opts.scale ?? 1;
  requireInteger('startUnixMs', startUnixMs);
  requireInteger('startVirtualMs', startVirtualMs);
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`liveClock: scale must be a positive number, got ${scale}`);
  const toVirtualMs = (unixMs: number): number => startVirtualMs + Math.round((unixMs - startUnixMs) * scale);
  return {
    scale,
    toVirtualMs,
    toUnixMs: (virtualMs) => startUnixMs + Math.round((virtualMs - startVirtualMs) / scale),
    nowUnixMs: () => Math.floor(wallNowMs()),
    virtualNowMs: () => toVirtualMs(Math.floor(wallNowMs())),
    describe: () =>
      `live: virtual ${formatVirtual(startVirtualMs)} = ${isoTime(startUnixMs)} (Unix ${startUnixMs / 1000}), ` +
      `advancing ${scale === 1 ? 'with the wall clock' : `${scale}× as fast as the wall clock`}; requests without time= use the wall clock`,
  };
}

function requireInteger(name: string, v: number): void {
  if (!Number.isSafeInteger(v)) throw new RangeError(`clock: ${name} must be an integer number of ms, got ${v}`);
}

/** RFC 3339 UTC with ms only when needed: 2023-11-14T22:13:20Z, 2023-11-14T22:13:20.5Z. */
export function isoTime(unixMs: number): string {
  return new Date(unixMs).toISOString().replace(/\.000Z$/, 'Z');
}

/** Virtual ms as a Prometheus-style duration: 0s, 1h2m3s, 1m0.5s. */
export function formatVirtual(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = rest / 1000;
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}
