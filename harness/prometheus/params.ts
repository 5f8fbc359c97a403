// Request parameters read exactly as Prometheus reads them (Go's net/http form handling and the
// helpers of web/api/v1/api.go), so a rehearsal answers malformed requests with the same error a
// real Prometheus would. Behaviour is restated from the Go sources, not copied:
// - form values: net/http `Request.ParseForm` / `parsePostForm` (POST/PUT/PATCH bodies of type
//   application/x-www-form-urlencoded, at most 10 MiB, come first, then the URL query) and
//   net/url `ParseQuery` / `QueryUnescape` (error texts `invalid URL escape "%zz"`,
//   `invalid semicolon separator in query`);
// - times: api.go `parseTime` (float seconds via math.Modf + math.Round to ms, or RFC 3339 via
//   Go's time.Parse(RFC3339Nano), whose ms are floored by timestamp.FromTime) and
//   `parseTimeParam` (`Invalid time value for '<name>': …`, lower-case `invalid` since v3.2);
// - durations: api.go `parseDuration` (float seconds → int64 ns, or prometheus/common
//   model.ParseDuration); `parseLimitParam` (3.x, strconv.Atoi messages);
// - `match[]`: api.go `parseMatchersParam` (promql/parser ParseMetricSelector, then "at least one
//   non-empty matcher").

import { compileQuery, PromqlError } from '../../sim/metrics/promql/index.js';
import type { LabelMatcher } from '../../sim/metrics/promql/ast.js';
import { parseDuration as parseModelDuration } from '../../sim/metrics/promql/literals.js';

/** Go's `http.maxFormSize` for url-encoded bodies (net/http request.go: 10 << 20). */
export const GO_MAX_FORM_BYTES = 10 << 20;

/** Form values in Go's order: body values first, then URL query values, per key. */
export class FormValues {
  private readonly values = new Map<string, string[]>();

  add(key: string, value: string): void {
    const list = this.values.get(key);
    if (list === undefined) this.values.set(key, [value]);
    else list.push(value);
  }

  /** `Request.FormValue`: the first value, or "". */
  get(key: string): string {
    return this.values.get(key)?.[0] ?? '';
  }

  /** `Request.Form[key]`. */
  getAll(key: string): readonly string[] {
    return this.values.get(key) ?? [];
  }

  merge(other: FormValues): void {
    for (const [k, vs] of other.values) for (const v of vs) this.add(k, v);
  }
}

/**
 * `url.ParseQuery` over text whose characters are bytes (latin1): pairs split on "&", a pair
 * containing ";" is an error, "+" is a space, "%XX" a byte; decoded bytes are read as UTF-8.
 * Bad pairs are skipped; the first error is returned beside the good pairs.
 */
export function parseGoQuery(raw: string, into: FormValues): string | undefined {
  let err: string | undefined;
  for (const pair of raw.split('&')) {
    if (pair.includes(';')) {
      err ??= 'invalid semicolon separator in query';
      continue;
    }
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = queryUnescape(eq < 0 ? pair : pair.slice(0, eq));
    if (typeof key !== 'string') {
      err ??= key.error;
      continue;
    }
    const value = queryUnescape(eq < 0 ? '' : pair.slice(eq + 1));
    if (typeof value !== 'string') {
      err ??= value.error;
      continue;
    }
    into.add(key, value);
  }
  return err;
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);

/** `url.QueryUnescape` (net/url unescape in encodeQueryComponent mode). */
function queryUnescape(s: string): string | { error: string } {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) {
        return { error: `invalid URL escape ${goQuote(s.slice(i, i + 3))}` };
      }
      i += 2;
    }
  }
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '%') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '+') {
      bytes.push(0x20);
    } else {
      const code = c.charCodeAt(0);
      if (code < 0x100) bytes.push(code);
      else for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Go's `strconv.Quote` (what `%q` prints). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else if (c !== 0x20 && /[\p{C}\p{Z}]/u.test(ch)) out += c > 0xffff ? `\\U${c.toString(16).padStart(8, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

// ---------------------------------------------------------------------------------------------
// Times

/** api.go `MinTime`/`MaxTime`: the defaults of optional start/end, beyond any sample. */
export const MIN_TIME_MS = Number.NEGATIVE_INFINITY;
export const MAX_TIME_MS = Number.POSITIVE_INFINITY;
/** `MinTime.Format(time.RFC3339Nano)` and `MaxTime…`, which client_golang sends for "unbounded". */
const MIN_TIME_FORMATTED = '-292273086-05-16T16:47:06Z';
const MAX_TIME_FORMATTED = '292277026596-12-04T15:30:07.999999999Z';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Go `strconv.ParseFloat(s, 64)` for decimal text and Inf/NaN spellings; undefined when Go would
 * fail (including out-of-range values such as 1e400). Hexadecimal floats and digit-separating
 * underscores, which Go also accepts, are not recognised.
 */
export function goParseFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[+-]?nan$/i.test(s)) return Number.NaN;
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** Go's `math.Round`: half away from zero. */
function goRound(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/** api.go `parseTime`, as Unix ms (what `timestamp.FromTime` makes of the result). */
export function parseTime(s: string): Parsed<number> {
  const f = goParseFloat(s);
  if (f !== undefined && Number.isFinite(f)) {
    // s, ns := math.Modf(t); ns = math.Round(ns*1000)/1000; time.Unix(int64(s), int64(ns*1e9))
    const whole = Math.trunc(f);
    const frac = goRound((f - whole) * 1000) / 1000;
    const ns = Math.trunc(frac * 1e9);
    return { ok: true, value: whole * 1000 + Math.floor(ns / 1e6) };
  }
  // Go would turn ±Inf/NaN into int64 garbage (platform dependent); rehearse refuses them below.
  const rfc = parseRfc3339Ms(s);
  if (rfc !== undefined) return { ok: true, value: rfc };
  if (s === MIN_TIME_FORMATTED) return { ok: true, value: MIN_TIME_MS };
  if (s === MAX_TIME_FORMATTED) return { ok: true, value: MAX_TIME_MS };
  return { ok: false, error: `cannot parse ${goQuote(s)} to a valid timestamp` };
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Go `time.Parse(time.RFC3339Nano, s)` → Unix ms floored (timestamp.FromTime); undefined if invalid. */
export function parseRfc3339Ms(s: string): number | undefined {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})$/.exec(s);
  if (m === null) return undefined;
  const [year, month, day, hour, min, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || min > 59 || sec > 59) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, min, sec, 0);
  let ms = d.getTime();
  // Go keeps at most 9 fraction digits (ns); FromTime floors ns to ms: the first 3 digits.
  ms += Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const zone = m[8] as string;
  if (zone !== 'Z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 23 || zm > 59) return undefined;
    const offsetMs = (zh * 60 + zm) * 60_000;
    ms -= zone.startsWith('-') ? -offsetMs : offsetMs;
  }
  return ms;
}

/** api.go `parseTimeParam`: "" → the default; errors wrapped with the parameter name. */
export function parseTimeParam(form: FormValues, name: string, defaultMs: number, version: 2 | 3): Parsed<number> {
  const val = form.get(name);
  if (val === '') return { ok: true, value: defaultMs };
  const r = parseTime(val);
  if (r.ok) return r;
  // "Invalid" until v3.1, "invalid" from v3.2 (rehearse's 3 follows the newest 3.x).
  return { ok: false, error: `${version === 2 ? 'Invalid' : 'invalid'} time value for '${name}': ${r.error}` };
}

const NS_PER_MS = 1_000_000n;
const INT64_MAX_AS_FLOAT = 2 ** 63;

/** api.go `parseDuration`, as int64 nanoseconds. */
export function parseApiDuration(s: string): Parsed<bigint> {
  const f = goParseFloat(s);
  if (f !== undefined) {
    const ns = f * 1e9;
    if (ns > INT64_MAX_AS_FLOAT || ns < -INT64_MAX_AS_FLOAT) {
      return { ok: false, error: `cannot parse ${goQuote(s)} to a valid duration. It overflows int64` };
    }
    // time.Duration(NaN) and time.Duration(2^63) are math.MinInt64 on amd64.
    if (Number.isNaN(ns) || ns === INT64_MAX_AS_FLOAT) return { ok: true, value: -(2n ** 63n) };
    return { ok: true, value: BigInt(Math.trunc(ns)) };
  }
  const d = parseModelDuration(s);
  if (d.ok) return { ok: true, value: BigInt(d.value) * NS_PER_MS };
  return { ok: false, error: `cannot parse ${goQuote(s)} to a valid duration` };
}

/** api.go `parseLimitParam` (3.x): "" → 0 (no limit); `strconv.Atoi` messages. */
export function parseLimitParam(s: string): Parsed<number> {
  if (s === '') return { ok: true, value: 0 };
  if (!/^[+-]?[0-9]+$/.test(s)) return { ok: false, error: `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax` };
  const big = BigInt(s);
  if (big > 2n ** 63n - 1n || big < -(2n ** 63n)) return { ok: false, error: `strconv.Atoi: parsing ${goQuote(s)}: value out of range` };
  if (big < 0n) return { ok: false, error: 'limit must be non-negative' };
  return { ok: true, value: big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big) };
}

// ---------------------------------------------------------------------------------------------
// Label names and match[]

/**
 * `/api/v1/label/<name>/values`: 2.42 accepts `model.LabelNameRE` names only; 3.x first undoes
 * the `U__` escaping (model.UnescapeName, ValueEncodingEscaping) and accepts any non-empty name.
 */
export function labelNameParam(raw: string, version: 2 | 3): Parsed<string> {
  let name = raw;
  if (version === 3 && name.startsWith('U__')) name = unescapeName(name);
  const valid = version === 2 ? /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) : name.length > 0;
  return valid ? { ok: true, value: name } : { ok: false, error: `invalid label name: ${goQuote(name)}` };
}

/** model.UnescapeName for ValueEncodingEscaping: `U__` then `__` = "_", `_<hex>_` = a code point. */
function unescapeName(name: string): string {
  const s = name.slice(3);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '_') {
      if (!/[a-zA-Z0-9]/.test(c)) return name;
      out += c;
      continue;
    }
    if (s[i + 1] === '_') {
      out += '_';
      i++;
      continue;
    }
    const end = s.indexOf('_', i + 1);
    const hex = end < 0 ? '' : s.slice(i + 1, end);
    if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) return name;
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return name;
    out += String.fromCodePoint(cp);
    i = end;
  }
  return out;
}

/**
 * api.go `parseMatchersParam`: each `match[]` must be a bare series selector (`name`,
 * `name{…}`, `{…}`; no offset, no functions) and contain a matcher that does not match "".
 * Parsed with rehearse's PromQL parser; syntax errors in something that is not a selector get
 * an approximate "unexpected …" message (Prometheus' selector grammar words them its own way).
 */
export function parseMatchersParam(inputs: readonly string[], version: 2 | 3): Parsed<LabelMatcher[][]> {
  const sets: LabelMatcher[][] = [];
  for (const input of inputs) {
    const r = parseSeriesSelector(input, version);
    if (!r.ok) return r;
    sets.push(r.value);
  }
  for (const set of sets) {
    if (!set.some((m) => !m.matches(''))) return { ok: false, error: 'match[] must contain at least one non-empty matcher' };
  }
  return { ok: true, value: sets };
}

const EMPTY_MATCHER_CHECK = 'vector selector must contain at least one non-empty matcher';

function parseSeriesSelector(input: string, version: 2 | 3): Parsed<LabelMatcher[]> {
  const selectorEnd = selectorPrefixEnd(input);
  const isBare = selectorEnd !== undefined && input.slice(selectorEnd).trim() === '';
  try {
    const q = compileQuery(input, { prometheusVersion: version });
    if (q.expr.kind === 'vectorSelector' && !q.expr.hasOffset) return { ok: true, value: [...q.expr.matchers] };
  } catch (e) {
    if (!(e instanceof PromqlError)) throw e;
    // ParseMetricSelector skips parse.go's checkAST, so `{a=""}` parses and is refused later by
    // parseMatchersParam's own check: report that message instead of checkAST's.
    // (An empty matcher list is what parseMatchersParam then refuses with its own message.)
    if (isBare && e.detail === EMPTY_MATCHER_CHECK) return { ok: true, value: [] };
    if (e.kind === 'parse') return { ok: false, error: e.message };
  }
  let at = selectorEnd ?? 0;
  while (at < input.length && /\s/.test(input[at] as string)) at++;
  return { ok: false, error: `${positionText(input, at)}: parse error: ${describeToken(input, at)}` };
}

/** End offset of a leading series selector (`name`, `name{…}`, `{…}`), if the text starts with one. */
function selectorPrefixEnd(s: string): number | undefined {
  let i = 0;
  const skipSpace = (): void => {
    while (i < s.length && /\s/.test(s[i] as string)) i++;
  };
  skipSpace();
  const name = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(s.slice(i));
  if (name !== null) i += name[0].length;
  const afterName = i;
  skipSpace();
  if (s[i] !== '{') return name === null ? undefined : afterName;
  i++;
  while (i < s.length && s[i] !== '}') {
    const c = s[i] as string;
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < s.length && s[i] !== c) i += s[i] === '\\' && c !== '`' ? 2 : 1;
    }
    i++;
  }
  return i < s.length ? i + 1 : undefined;
}

function positionText(s: string, offset: number): string {
  const before = s.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${col}`;
}

function describeToken(s: string, offset: number): string {
  const rest = s.slice(offset);
  if (rest === '') return 'unexpected end of input';
  const word = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest);
  if (word !== null) return word[0] === 'offset' ? 'unexpected <offset>' : `unexpected identifier ${JSON.stringify(word[0])}`;
  if (rest[0] === '[') return 'unexpected "["';
  return `unexpected character ${JSON.stringify(rest[0])}`;
}
