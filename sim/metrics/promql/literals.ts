// Decoding of PromQL literal text the lezer grammar only delimits: numbers (Go `strconv.ParseInt`
// with base 0, then `strconv.ParseFloat`, as `promql/parser/parse.go: number`), durations
// (`model.ParseDuration` of prometheus/common) and quoted strings (`util/strutil/quote.go:
// Unquote`, Go escape rules). Each returns a value or an error message (no throwing).

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Decoded<T> => ({ ok: true, value });
const fail = <T>(error: string): Decoded<T> => ({ ok: false, error });

const DEC_INT = /^[0-9]+(_[0-9]+)*$/;
const HEX_INT = /^0[xX]_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/;
const OCT_INT = /^0[oO]?_?[0-7]+(_[0-7]+)*$/;
const BIN_INT = /^0[bB]_?[01]+(_[01]+)*$/;
const DEC_FLOAT = /^(([0-9]+(_[0-9]+)*)?\.?[0-9]*(_[0-9]+)*)([eE][+-]?[0-9]+(_[0-9]+)*)?$/;
const INF_NAN = /^(inf|infinity|nan)$/i;

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/**
 * A PromQL number literal: Go `ParseInt(s, 0, 64)` first (so `0x1f`, `0o17`, and also `017`
 * (octal!) are integers), else `ParseFloat(s, 64)` (decimal, exponent, Inf, NaN).
 */
export function parseNumber(text: string): Decoded<number> {
  let s = text;
  let sign = 1;
  if (s.startsWith('+') || s.startsWith('-')) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1);
  }
  if (s === '') return fail(`error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
  const asInt = (digits: string, prefix: string): number | undefined => {
    const big = BigInt(prefix + digits.replace(/_/g, '')) * BigInt(sign);
    if (big > INT64_MAX || big < INT64_MIN) return undefined; // falls through to ParseFloat
    return Number(big);
  };
  let v: number | undefined;
  if (HEX_INT.test(s)) v = asInt(s.slice(2), '0x');
  else if (BIN_INT.test(s)) v = asInt(s.slice(2), '0b');
  else if (OCT_INT.test(s) && s.length > 1) v = asInt(s.replace(/^0[oO]?/, ''), '0o');
  else if (DEC_INT.test(s)) v = asInt(s, '');
  if (v !== undefined) return ok(v === 0 && sign < 0 ? 0 : v); // int64 has no negative zero
  if (INF_NAN.test(s)) return ok(/^nan$/i.test(s) ? Number.NaN : sign * Number.POSITIVE_INFINITY);
  if (DEC_FLOAT.test(s) && /[0-9]/.test(s)) {
    // JS Number() rounds decimal text correctly, like Go's ParseFloat.
    const f = Number(s.replace(/_/g, ''));
    if (!Number.isNaN(f)) return ok(sign * f);
  }
  return fail(`error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`);
}

const DURATION_UNITS: readonly [string, number][] = [
  ['y', 365 * 24 * 3600_000],
  ['w', 7 * 24 * 3600_000],
  ['d', 24 * 3600_000],
  ['h', 3600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];
const DURATION_RE = /^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/;

/** True if the text has the shape of a duration with units (`5m`, `1h30m`). */
export function looksLikeDuration(text: string): boolean {
  return /^[0-9]+(ms|[smhdwy])/.test(text) && DURATION_RE.test(text);
}

/** `model.ParseDuration`: integer + unit groups in descending order, result in ms. */
export function parseDuration(text: string): Decoded<number> {
  if (text === '') return fail('empty duration string');
  if (text === '0') return ok(0);
  const m = DURATION_RE.exec(text);
  if (m === null) return fail(`not a valid duration string: ${JSON.stringify(text)}`);
  let total = 0;
  for (let i = 0; i < DURATION_UNITS.length; i++) {
    const g = m[i + 1];
    if (g === undefined) continue;
    const unit = (DURATION_UNITS[i] as [string, number])[1];
    total += Number(g) * unit;
    if (!Number.isSafeInteger(total) || total > Number.MAX_SAFE_INTEGER / 1e6) {
      return fail('duration out of range');
    }
  }
  return ok(total);
}

/** Go-style unquoting of a PromQL string literal ("…", '…' or `…`). */
export function unquoteString(text: string): Decoded<string> {
  const invalid = fail<string>('invalid syntax');
  if (text.length < 2) return invalid;
  const quote = text[0];
  if (quote !== text[text.length - 1]) return invalid;
  const body = text.slice(1, -1);
  if (quote === '`') {
    if (body.includes('`')) return invalid;
    return ok(body.replace(/\r/g, ''));
  }
  if (quote !== '"' && quote !== "'") return invalid;
  if (body.includes('\n')) return invalid;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === quote) return invalid;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    const e = body[i];
    if (e === undefined) return invalid;
    switch (e) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case "'":
      case '"':
        if (e !== quote) return invalid;
        out += e;
        break;
      case 'x': {
        const h = body.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(h)) return invalid;
        // A \xNN escape is one byte; bytes >= 0x80 would make invalid UTF-8 that JS strings
        // cannot hold, so only ASCII is accepted.
        const code = parseInt(h, 16);
        if (code >= 0x80) return fail('non-ASCII \\x escapes are not supported');
        out += String.fromCharCode(code);
        i += 2;
        break;
      }
      case 'u':
      case 'U': {
        const n = e === 'u' ? 4 : 8;
        const h = body.slice(i + 1, i + 1 + n);
        if (h.length !== n || !/^[0-9a-fA-F]+$/.test(h)) return invalid;
        const code = parseInt(h, 16);
        if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) return invalid;
        out += String.fromCodePoint(code);
        i += n;
        break;
      }
      default: {
        if (e >= '0' && e <= '7') {
          const o = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(o)) return invalid;
          const code = parseInt(o, 8);
          if (code > 255) return invalid;
          if (code >= 0x80) return fail('non-ASCII octal escapes are not supported');
          out += String.fromCharCode(code);
          i += 2;
          break;
        }
        return invalid;
      }
    }
  }
  return ok(out);
}
