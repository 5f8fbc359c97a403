// Runtime value model of the condition language, mirroring the Go values expr works with.
//
//   float64            -> JS number
//   int (Go int/int64) -> JS bigint, always kept within int64 (BigInt.asIntN(64, …))
//   bool / string      -> JS boolean / string
//   nil                -> null
//   []interface {}     -> plain JS array (array literals, filter/map results, JSON arrays)
//   []float64 / []int  -> GoSlice (Prometheus vector results, `a..b` ranges)
//   map[string]interface {} -> plain JS object (map literals, JSON objects)
//
// JSON numbers are float64, as encoding/json decodes them into interface{}.

/** A typed Go slice (`[]float64` or `[]int`); plain arrays stand for `[]interface {}`. */
export class GoSlice {
  constructor(
    readonly elem: 'float64' | 'int',
    readonly items: readonly (number | bigint)[],
  ) {}
}

export type GoMap = { readonly [key: string]: Value };

export type Value = null | boolean | number | bigint | string | GoSlice | readonly Value[] | GoMap;

/** Internal: a runtime failure with expr's message; turned into `{ok: false}` by the public API. */
export class EvalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}

export function isGoMap(v: Value): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoSlice);
}

/** Go's `%T` of a runtime value. */
export function typeNameOf(v: Value): string {
  switch (typeof v) {
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    default:
      if (v === null) return '<nil>';
      if (v instanceof GoSlice) return `[]${v.elem}`;
      if (Array.isArray(v)) return '[]interface {}';
      return 'map[string]interface {}';
  }
}

/** Go's reflect.Kind name (used in a few builtin messages such as `cannot sum bool`). */
export function kindNameOf(v: Value): string {
  if (v instanceof GoSlice || Array.isArray(v)) return 'slice';
  if (isGoMap(v)) return 'map';
  const t = typeNameOf(v);
  return t === '<nil>' ? 'invalid' : t;
}

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

export function wrapInt(x: bigint): bigint {
  return BigInt.asIntN(64, x);
}

/**
 * Go's float64 -> int conversion as done on amd64 (CVTTSD2SQ): truncation toward zero,
 * and the "integer indefinite" value −2⁶³ for NaN, ±Inf and out-of-range inputs.
 * (`asInt(NaN)` = −9223372036854775808, reference §5.1.)
 */
export function floatToInt(f: number): bigint {
  if (!Number.isFinite(f)) return INT64_MIN;
  const t = Math.trunc(f);
  if (t >= 9223372036854775808 || t < -9223372036854775808) return INT64_MIN;
  return BigInt(t);
}

/** Length of a slice-like value, or -1. */
export function sliceLen(v: Value): number {
  if (v instanceof GoSlice) return v.items.length;
  if (Array.isArray(v)) return v.length;
  return -1;
}

/** Element i of a slice-like value (caller checks bounds). */
export function sliceAt(v: GoSlice | readonly Value[], i: number): Value {
  if (v instanceof GoSlice) return v.items[i] as Value;
  return v[i] as Value;
}

// ---------------------------------------------------------------------------------------------
// Formatting with Go's fmt `%v` (used by string(), error messages such as `invalid operation: int(x)`)

/** fmt's %v of a float64: shortest digits, %e form when the exponent is < -4 or >= 6 (fmt/format.go fmtFloat). */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // JS toExponential() without an argument gives the shortest round-tripping digits, like Go's -1.
  const e = f.toExponential();
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(e);
  if (!m) return String(f);
  const sign = m[1] ?? '';
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const exp = Number(m[4]);
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** fmt.Sprintf("%v", v). */
export function formatGoValue(v: Value): string {
  switch (typeof v) {
    case 'number':
      return formatGoFloat(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return v;
    default: {
      if (v === null) return '<nil>';
      if (v instanceof GoSlice) return `[${v.items.map((x) => formatGoValue(x)).join(' ')}]`;
      if (Array.isArray(v)) return `[${(v as readonly Value[]).map((x) => formatGoValue(x)).join(' ')}]`;
      // fmt prints maps with sorted keys.
      const m = v as GoMap;
      const keys = Object.keys(m).sort();
      return `map[${keys.map((k) => `${k}:${formatGoValue(m[k] ?? null)}`).join(' ')}]`;
    }
  }
}
