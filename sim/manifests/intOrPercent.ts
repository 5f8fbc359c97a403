// Kubernetes IntOrString arithmetic exactly as Argo Rollouts v1.9.1 uses it.
//
// Argo resolves maxSurge / maxUnavailable with the *legacy* helper
// `GetValueFromIntOrPercent` of k8s.io/apimachinery (v0.34.1, `pkg/util/intstr/intstr.go`,
// together with its private `getIntOrPercentValue`), not with the newer
// `GetScaledValueFromIntOrPercent`. The legacy rules, which this file mirrors:
//   * a number is an absolute count and is never scaled;
//   * ANY string is a percentage: every `%` in it is removed and the rest must parse as a base-10
//     integer (Go `strconv.Atoi`: optional sign, digits only). So `"1"` means 1 %, not one pod;
//   * the percentage is scaled as float64(value) * float64(total) / 100 and rounded up or down;
//   * a string that does not parse is an error (Argo's callers ignore that error and use 0 —
//     see sim/rollouts/replicaMath.ts: resolveFenceposts).
// `intOrStringIntValue` mirrors `IntOrString.IntValue()`, used for analysis limits and counts.

import type { IntOrString } from './types.js';

/** Result of resolving an IntOrString: errors are values, as in the Go. */
export type IntOrPercentResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

type AtoiResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly syntax: boolean; readonly clamped: number };

/** Go `strconv.Atoi` on a 64-bit platform: optional sign, decimal digits, int64 range. */
function atoi(s: string): AtoiResult {
  if (!/^[+-]?[0-9]+$/.test(s)) return { ok: false, syntax: true, clamped: 0 };
  const big = BigInt(s);
  if (big > INT64_MAX) return { ok: false, syntax: false, clamped: Number(INT64_MAX) };
  if (big < INT64_MIN) return { ok: false, syntax: false, clamped: Number(INT64_MIN) };
  return { ok: true, value: Number(big) };
}

/**
 * The int half of an IntOrString must be an int32 (that is what JSON decoding into
 * `intstr.IntOrString` accepts); a fractional or out-of-range number never reaches the controller.
 */
function checkInt(value: number): string | undefined {
  if (!Number.isInteger(value)) return `invalid value for IntOrString: ${value} is not an integer`;
  if (value < INT32_MIN || value > INT32_MAX) return `invalid value for IntOrString: ${value} does not fit in int32`;
  return undefined;
}

/**
 * k8s `intstr.GetValueFromIntOrPercent` (legacy, deprecated upstream but still what Argo calls).
 * `value` undefined mirrors the Go nil pointer, which is an error.
 */
export function getValueFromIntOrPercent(value: IntOrString | undefined, total: number, roundUp: boolean): IntOrPercentResult {
  if (value === undefined) return { ok: false, error: 'nil value for IntOrString' };
  if (typeof value === 'number') {
    const bad = checkInt(value);
    return bad === undefined ? { ok: true, value } : { ok: false, error: bad };
  }
  // getIntOrPercentValue: strings.Replace(s, "%", "", -1) then strconv.Atoi; always a percentage.
  const parsed = atoi(value.split('%').join(''));
  if (!parsed.ok) {
    const why = parsed.syntax ? 'invalid syntax' : 'value out of range';
    return { ok: false, error: `invalid value for IntOrString: invalid value ${JSON.stringify(value)}: ${why}` };
  }
  const scaled = (parsed.value * total) / 100;
  return { ok: true, value: roundUp ? Math.ceil(scaled) : Math.floor(scaled) };
}

/**
 * k8s `IntOrString.IntValue()`: an int as is; a string through `strconv.Atoi` with the error
 * ignored (so `"25%"` or `"abc"` give 0, an out-of-range string gives the clamped int64).
 */
export function intOrStringIntValue(value: IntOrString): number {
  if (typeof value === 'number') return value;
  const parsed = atoi(value);
  return parsed.ok ? parsed.value : parsed.clamped;
}
