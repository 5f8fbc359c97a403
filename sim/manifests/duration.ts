// Durations and integers exactly as the Go code that reads Argo Rollouts manifests parses them.
//
// - `parseGoDuration`: Go's `time.ParseDuration` (used for AnalysisTemplate `interval`,
//   `initialDelay`, and pause strings), returning NANOSECONDS as a bigint so that no precision is
//   lost: Go durations are int64 nanoseconds and 2^63 does not fit in a double.
// - `pauseDurationSeconds`: `RolloutPause.DurationSeconds` (pkg/apis/rollouts/v1alpha1/types.go).
// - `parseGoInt32` / `intOrStringIntValue`: `strconv.ParseInt(s, 10, 32)` and
//   `intstr.IntOrString.IntValue()` from k8s.io/apimachinery.
//
// Ported from the behaviour of Go's standard library (src/time/format.go: ParseDuration,
// leadingInt, leadingFraction; src/strconv/atoi.go), not from its text.

import type { IntOrString } from './types.js';

/** A string that Go's `time.ParseDuration` rejects. `message` mirrors Go's error text. */
export class DurationError extends Error {
  readonly input: string;
  constructor(message: string, input: string) {
    super(message);
    this.name = 'DurationError';
    this.input = input;
  }
}

const NANOS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n], // U+00B5 micro sign
  ['\u03bcs', 1_000n], // U+03BC Greek small letter mu
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

const TWO_POW_63 = 1n << 63n;
const MAX_INT64 = TWO_POW_63 - 1n;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** Go's `strconv.Quote` for the printable ASCII we expect here; JSON quoting is close enough. */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * Parses a Go duration string ("300ms", "-1.5h", "2h45m", "0") into nanoseconds.
 * Accepts exactly what Go's `time.ParseDuration` accepts: an optional sign, then one or more
 * decimal numbers each followed by a unit (ns, us, µs, ms, s, m, h); a bare "0" is allowed; the
 * total must fit in int64 nanoseconds. Throws `DurationError` (and nothing else) otherwise.
 */
export function parseGoDuration(text: string): bigint {
  const invalid = (): DurationError => new DurationError(`time: invalid duration ${goQuote(text)}`, text);
  let s = text;
  let negative = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();
    // Integer part (Go: leadingInt; overflow past 2^63 is an error).
    let i = 0;
    let whole = 0n;
    while (isDigit(s[i])) {
      if (whole > TWO_POW_63 / 10n) throw invalid();
      whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
      if (whole > TWO_POW_63) throw invalid();
      i++;
    }
    const hasWhole = i > 0;
    s = s.slice(i);
    // Fraction part (Go: leadingFraction; digits past int64 precision are dropped, not errors).
    let fraction = 0n;
    let scale = 1;
    let hasFraction = false;
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (isDigit(s[j])) {
        if (!overflow) {
          if (fraction > MAX_INT64 / 10n) {
            overflow = true;
          } else {
            const next = fraction * 10n + BigInt(s.charCodeAt(j) - 48);
            if (next > TWO_POW_63) overflow = true;
            else {
              fraction = next;
              scale *= 10;
            }
          }
        }
        j++;
      }
      hasFraction = j > 0;
      s = s.slice(j);
    }
    if (!hasWhole && !hasFraction) throw invalid(); // "." or ".s"
    let u = 0;
    while (u < s.length && !(s[u] === '.' || isDigit(s[u]))) u++;
    if (u === 0) throw new DurationError(`time: missing unit in duration ${goQuote(text)}`, text);
    const unitText = s.slice(0, u);
    s = s.slice(u);
    const unit = NANOS_PER_UNIT.get(unitText);
    if (unit === undefined) {
      throw new DurationError(`time: unknown unit ${goQuote(unitText)} in duration ${goQuote(text)}`, text);
    }
    if (whole > TWO_POW_63 / unit) throw invalid();
    let v = whole * unit;
    if (fraction > 0n) {
      // Go: v += uint64(float64(f) * (float64(unit) / scale)) — done in float64 on purpose.
      v += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (v > TWO_POW_63) throw invalid();
    }
    total += v;
    if (total > TWO_POW_63) throw invalid();
  }
  if (negative) return -total;
  if (total > MAX_INT64) throw invalid();
  return total;
}

/** Nanoseconds → whole milliseconds, truncated toward zero (the simulator's clock unit). */
export function nanosToMs(nanos: bigint): number {
  return Number(nanos / 1_000_000n);
}

/** `parseGoDuration` in whole milliseconds (sub-millisecond parts truncated toward zero). */
export function parseGoDurationMs(text: string): number {
  return nanosToMs(parseGoDuration(text));
}

/** Whether `text` is a valid Go duration. */
export function isGoDuration(text: string): boolean {
  try {
    parseGoDuration(text);
    return true;
  } catch {
    return false;
  }
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * Go `strconv.ParseInt(s, 10, 32)`: optional sign, then ASCII digits only (no underscores, no
 * spaces), within int32. Returns undefined where Go returns an error.
 */
export function parseGoInt32(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  if (value < INT32_MIN || value > INT32_MAX) return undefined;
  return value === 0 ? 0 : value; // normalise -0
}

/**
 * `intstr.IntOrString.IntValue()`: a number as is; a string through `strconv.Atoi`, whose error is
 * ignored upstream, so any non-integer string (including "25%" and "{{args.count}}") is 0.
 * Out-of-range digit strings saturate as Go's Atoi does.
 */
export function intOrStringIntValue(value: IntOrString): number {
  if (typeof value === 'number') return value;
  if (!/^[+-]?[0-9]+$/.test(value)) return 0;
  const n = Number(value);
  const max = Number(MAX_INT64); // 2^63 as a double: saturation, like Go's Atoi on 64-bit
  if (n >= max) return max;
  if (n <= -max) return -max;
  return n === 0 ? 0 : n;
}

/**
 * `RolloutPause.DurationSeconds()` (pkg/apis/rollouts/v1alpha1/types.go): absent ⇒ 0; an int ⇒
 * itself; a string that `strconv.ParseInt(s, 10, 32)` accepts ⇒ that many seconds; otherwise a Go
 * duration truncated toward zero to whole seconds ("500ms" ⇒ 0, "1m30s" ⇒ 90); unparseable ⇒ -1,
 * which upstream validation reports as InvalidSpec. Upstream converts the float seconds to int32
 * with Go's implementation-defined overflow; we report any result outside int32 as -1 (invalid).
 * Note: absent duration (`pause: {}`) means "pause indefinitely" — callers must check for
 * `undefined` before calling this, as the controller does.
 */
export function pauseDurationSeconds(duration: IntOrString | undefined): number {
  if (duration === undefined) return 0;
  if (typeof duration === 'number') return duration;
  const asInt = parseGoInt32(duration);
  if (asInt !== undefined) return asInt;
  let nanos: bigint;
  try {
    nanos = parseGoDuration(duration);
  } catch {
    return -1;
  }
  const seconds = Number(nanos / 1_000_000_000n); // bigint division truncates toward zero
  if (seconds < INT32_MIN || seconds > INT32_MAX) return -1;
  return seconds === 0 ? 0 : seconds;
}
