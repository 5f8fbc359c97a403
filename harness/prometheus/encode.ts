// Byte-exact JSON of Prometheus' HTTP API (reference promql-and-conditions.md §4.2–4.3).
// Prometheus writes its responses with json-iterator in standard-library-compatible mode plus
// hand-written encoders, and the two Prometheus lines differ in how they escape label strings:
// - timestamps of vector/matrix samples: util/jsonutil/marshal.go `MarshalTimestamp` — integer
//   seconds, then "." and exactly three digits when the ms part is not zero (`formatSampleTime`);
// - timestamps of scalar/string results: promql/value.go `Scalar.MarshalJSON` / `String.MarshalJSON`
//   — encoding/json of float64(ms)/1000, the shortest decimal (`formatResultTime`);
// - sample values: jsonutil `MarshalValue`/`MarshalFloat` (formatPromValue), scalar values:
//   strconv.FormatFloat(v,'f',-1,64) (formatPromScalar) — both in sim/metrics/promql/format.ts;
// - strings (error text, warnings, label names and values in /labels and /label/…/values) go
//   through jsoniter's HTML-escaping string encoder: `<`, `>`, `&`, U+2028, U+2029 become \u…;
// - label sets: 2.42 uses `labels.Labels.MarshalJSON` (encoding/json of a map: keys sorted,
//   HTML-escaped), 3.x web/api/v1/json_codec.go `marshalLabelsJSON` (jsoniter WriteString: no
//   HTML escaping) — `labelsJson`.

import { compareStrings } from '../../sim/metrics/store.js';

export interface StringEscaping {
  /** Escape <, >, & and U+2028/U+2029 (encoding/json, jsoniter's HTML-escaping encoder). */
  readonly html: boolean;
  /** Write \b and \f as such (encoding/json since Go 1.22) instead of \u0008 / \u000c. */
  readonly shortBF?: boolean;
}

const HTML_ESCAPED: StringEscaping = { html: true };
const HEX = '0123456789abcdef';

/** A JSON string literal as Go's encoders write it. */
export function goJsonString(s: string, esc: StringEscaping = HTML_ESCAPED): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = '\\\\';
    else if (c < 0x20) {
      if (c === 0x0a) rep = '\\n';
      else if (c === 0x0d) rep = '\\r';
      else if (c === 0x09) rep = '\\t';
      else if (esc.shortBF === true && c === 0x08) rep = '\\b';
      else if (esc.shortBF === true && c === 0x0c) rep = '\\f';
      else rep = `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
    } else if (esc.html && (c === 0x3c || c === 0x3e || c === 0x26)) {
      rep = `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
    } else if (esc.html && (c === 0x2028 || c === 0x2029)) {
      rep = `\\u${c.toString(16)}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // A surrogate pair is one code point (kept); a lone surrogate is invalid UTF-8 → U+FFFD.
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      rep = esc.html ? '\\ufffd' : '\ufffd';
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return `${out}${s.slice(start)}"`;
}

/** `jsonutil.MarshalTimestamp`: 1700000900, 1700000912.500, 0.001, -1.500. */
export function formatSampleTime(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`sample time must be an integer number of ms, got ${ms}`);
  const neg = ms < 0;
  const abs = Math.abs(ms);
  const whole = Math.floor(abs / 1000);
  const frac = abs % 1000;
  return `${neg ? '-' : ''}${whole}${frac === 0 ? '' : `.${String(frac).padStart(3, '0')}`}`;
}

/** encoding/json of float64(ms)/1000: the shortest decimal (JS `String` agrees for these values). */
export function formatResultTime(ms: number): string {
  return String(ms / 1000);
}

/** A label set as a JSON object, keys in byte order, escaped as the given version does. */
export function labelsJson(labels: Readonly<Record<string, string>>, version: 2 | 3): string {
  const esc: StringEscaping = { html: version === 2 };
  const keys = Object.keys(labels).sort(compareStrings);
  return `{${keys.map((k) => `${goJsonString(k, esc)}:${goJsonString(labels[k] as string, esc)}`).join(',')}}`;
}

/** A JSON array of strings (jsoniter, HTML-escaped). */
export function stringArrayJson(values: readonly string[]): string {
  return `[${values.map((v) => goJsonString(v)).join(',')}]`;
}

/** The success envelope (api.go `Response`: status, data, then warnings/infos when non-empty). */
export function successJson(dataJson: string, warnings: readonly string[], infos: readonly string[]): string {
  let out = `{"status":"success","data":${dataJson}`;
  if (warnings.length > 0) out += `,"warnings":${stringArrayJson(warnings)}`;
  if (infos.length > 0) out += `,"infos":${stringArrayJson(infos)}`;
  return `${out}}`;
}

/** The error envelope (api.go `respondError`). */
export function errorJson(errorType: string, message: string): string {
  return `{"status":"error","errorType":${goJsonString(errorType)},"error":${goJsonString(message)}}`;
}
