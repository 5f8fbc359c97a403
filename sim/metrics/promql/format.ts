// Number formatting exactly as Prometheus' HTTP API writes sample values (reference §4.3):
// vector/matrix values use `util/jsonutil/marshal.go: MarshalValue` = Go
// `strconv.FormatFloat(v, 'e' if 0 < |v| < 1e-6 or |v| >= 1e21 else 'f', -1, 64)`; scalars use
// `FormatFloat(v, 'f', -1, 64)` (never an exponent). JS `String(v)` produces the same shortest
// digits and switches to exponent form at the same thresholds, so only the exponent spelling
// (`1e-07`, `1e+21`), infinities (`+Inf`), and negative zero (`-0`) need rewriting.

/** Go's spelling of the values JS prints differently: NaN, ±Inf and negative zero. */
function specialValue(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  return undefined;
}

/** Value text of a vector/matrix sample ("V" format). */
export function formatPromValue(v: number): string {
  const special = specialValue(v);
  if (special !== undefined) return special;
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  // Go writes at least two exponent digits: 1e-07, 1e+21, 1.5e+300.
  const mant = s.slice(0, e);
  const sign = s[e + 1] as string;
  const digits = s.slice(e + 2);
  return `${mant}e${sign}${digits.length < 2 ? `0${digits}` : digits}`;
}

/** Value text of a scalar result ("S" format): plain decimal, never an exponent. */
export function formatPromScalar(v: number): string {
  const special = specialValue(v);
  if (special !== undefined) return special;
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  const neg = s.startsWith('-');
  const mant = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mant.indexOf('.');
  const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  // Position of the decimal point relative to the start of `digits`.
  const point = (dot < 0 ? mant.length : dot) + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${out}` : out;
}

/**
 * Timestamp of vector/matrix samples in the HTTP API ("A" format, `util/jsonutil/marshal.go:
 * MarshalTimestamp`): integer seconds, then `.` and exactly three digits when the ms part is not 0.
 */
export function formatPromTimestamp(ms: number): string {
  let t = Math.round(ms);
  let sign = '';
  if (t < 0) {
    sign = '-';
    t = -t;
  }
  const sec = Math.trunc(t / 1000);
  const frac = t % 1000;
  return frac === 0 ? `${sign}${sec}` : `${sign}${sec}.${String(frac).padStart(3, '0')}`;
}

/** Timestamp of scalar/string results ("B" format: Go encoding/json of ms/1000 as float64). */
export function formatScalarTimestamp(ms: number): string {
  return JSON.stringify(ms / 1000);
}
