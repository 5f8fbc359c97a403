// encoding/json's Marshal of a decoded JSON value (interface{}), for measurement values as upstream
// stores them: map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped (HTML-safe by default),
// float64 in strconv's shortest form with Go's exponent rule (exponent form below 1e-6 and from 1e21).
export function goJsonMarshal(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'string') return goString(v);
  if (Array.isArray(v)) return `[${v.map(goJsonMarshal).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${goString(k)}:${goJsonMarshal(o[k])}`)
    .join(',')}}`;
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `encoding/json` floatEncoder: 'f' format unless abs < 1e-6 or ≥ 1e21, then 'e' with a 2-digit minimum exponent. */
function goFloat(f: number): string {
  // NaN and ±Inf make Marshal fail; a JSON body cannot hold them, so this is never reached from one.
  if (!Number.isFinite(f)) return 'null';
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const e = f.toExponential();
    // JS "1e-7" → Go "1e-07"
    return e.replace(/e([+-])(\d)$/, 'e$10$2');
  }
  const s = String(f);
  if (!s.includes('e')) return s;
  // JS switches to exponent form at 1e21 as Go does, and below 1e-6 — both handled above.
  return s;
}
