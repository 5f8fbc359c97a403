// Dynamic operations with Go/expr semantics (expr v1.15.5 vm/runtime/runtime.go: Fetch, Slice, In,
// Negate, Exponent, MakeRange; vm/runtime/generated.go: Equal, Less, More, …, Add, Divide, Modulo;
// v1.17.8 vm/runtime/helpers[generated].go for the slice-aware Equal).
import type { ExprVersion } from './lexer.js';
import {
  EvalError, GoSlice, floatToInt, isGoMap, sliceAt, sliceLen, typeNameOf, wrapInt, type Value,
} from './values.js';

const invalid = (a: Value, op: string, b: Value): EvalError =>
  new EvalError(`invalid operation: ${typeNameOf(a)} ${op} ${typeNameOf(b)}`);

/** Message of a failed Go type assertion `x.(T)` on an interface{} value. */
export function conversionError(v: Value, want: string): EvalError {
  return new EvalError(`interface conversion: interface {} is ${v === null ? 'nil' : typeNameOf(v)}, not ${want}`);
}

export function asBool(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  throw conversionError(v, 'bool');
}

export function asString(v: Value): string {
  if (typeof v === 'string') return v;
  throw conversionError(v, 'string');
}

export function add(a: Value, b: Value): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') return wrapInt(a + b);
  if (typeof a === 'number' || typeof a === 'bigint') {
    if (typeof b === 'number' || typeof b === 'bigint') return Number(a) + Number(b);
  }
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  throw invalid(a, '+', b);
}

export function sub(a: Value, b: Value): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') return wrapInt(a - b);
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return Number(a) - Number(b);
  }
  throw invalid(a, '-', b);
}

export function mul(a: Value, b: Value): Value {
  if (typeof a === 'bigint' && typeof b === 'bigint') return wrapInt(a * b);
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return Number(a) * Number(b);
  }
  throw invalid(a, '*', b);
}

/** `/` always yields float64 (generated.go `Divide`). */
export function div(a: Value, b: Value): number {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return Number(a) / Number(b);
  }
  throw invalid(a, '/', b);
}

/** `%` is defined on integers only (generated.go `Modulo`); Go's remainder truncates. */
export function mod(a: Value, b: Value): bigint {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if (b === 0n) throw new EvalError('integer divide by zero');
    return wrapInt(a % b);
  }
  throw invalid(a, '%', b);
}

/** Go's math.Pow special cases that differ from JS Math.pow. */
export function goPow(x: number, y: number): number {
  if (y === 0) return 1;
  if (x === 1) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

export function toFloat(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new EvalError(`invalid operation: ${what}(${typeNameOf(v)})`);
}

export function pow(a: Value, b: Value): number {
  return goPow(toFloat(a, 'float'), toFloat(b, 'float'));
}

export function negate(a: Value): Value {
  if (typeof a === 'number') return -a;
  if (typeof a === 'bigint') return wrapInt(-a);
  throw new EvalError(`invalid operation: - ${typeNameOf(a)}`);
}

/** Ordered comparison; `op` is one of < > <= >=. NaN compares false. */
export function compare(op: string, a: Value, b: Value): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    return op === '<' ? a < b : op === '>' ? a > b : op === '<=' ? a <= b : a >= b;
  }
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    const x = Number(a);
    const y = Number(b);
    return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    // Go compares strings bytewise; compare UTF-8 encodings to match for non-ASCII text.
    const c = a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
    return op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0;
  }
  throw invalid(a, op, b);
}

/** reflect.DeepEqual on our value model (Go types must match exactly; NaN ≠ NaN). */
function deepEqual(a: Value, b: Value): boolean {
  if (typeNameOf(a) !== typeNameOf(b)) return false;
  if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') return a === b;
  if ((a instanceof GoSlice || Array.isArray(a)) && (b instanceof GoSlice || Array.isArray(b))) {
    const n = sliceLen(a);
    if (n !== sliceLen(b)) return false;
    for (let i = 0; i < n; i++) if (!deepEqual(sliceAt(a, i), sliceAt(b, i))) return false;
    return true;
  }
  if (isGoMap(a) && isGoMap(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k] ?? null, b[k] ?? null));
  }
  return false;
}

/** generated.go `Equal`: numbers by value across int/float, then nil, then DeepEqual. */
export function equal(a: Value, b: Value, version: ExprVersion): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return Number(a) === Number(b);
  }
  if (typeof a === 'string' || typeof a === 'boolean') return a === b;
  if (a === null && b === null) return true;
  if (version === '1.17') {
    // v1.17: a slice equals another slice element-wise when either is []interface {} or both
    // have the same element type.
    const sa = a instanceof GoSlice || Array.isArray(a);
    const sb = b instanceof GoSlice || Array.isArray(b);
    if (sa && sb) {
      const ea = a instanceof GoSlice ? a.elem : 'any';
      const eb = b instanceof GoSlice ? b.elem : 'any';
      if (ea === 'any' || eb === 'any' || ea === eb) {
        const n = sliceLen(a);
        if (n !== sliceLen(b)) return false;
        for (let i = 0; i < n; i++) {
          if (!equal(sliceAt(a as GoSlice, i), sliceAt(b as GoSlice, i), version)) return false;
        }
        return true;
      }
    }
  }
  return deepEqual(a, b);
}

function toIndex(i: Value): number {
  if (typeof i === 'bigint') return Number(i);
  if (typeof i === 'number') return Number(floatToInt(i));
  throw new EvalError(`invalid operation: int(${typeNameOf(i)})`);
}

function utf8(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/** runtime.go `Fetch`: a[i] on slices (negative from the end), strings (bytes) and maps. */
export function fetch(from: Value, i: Value, version: ExprVersion): Value {
  if (from instanceof GoSlice || Array.isArray(from) || typeof from === 'string') {
    let idx = toIndex(i);
    const bytes = typeof from === 'string' ? utf8(from) : undefined;
    const n = bytes !== undefined ? bytes.length : sliceLen(from);
    if (idx < 0) idx = n + idx;
    if (idx < 0 || idx >= n) {
      if (version === '1.17') throw new EvalError(`index out of range: ${idx} (array length is ${n})`);
      throw new EvalError(`reflect: ${bytes !== undefined ? 'string' : 'slice'} index out of range`);
    }
    // A string element is a byte (uint8), which we model as an int.
    if (bytes !== undefined) return BigInt(bytes[idx] ?? 0);
    return sliceAt(from as GoSlice, idx);
  }
  if (isGoMap(from)) {
    if (i === null) return Object.prototype.hasOwnProperty.call(from, '') ? (from[''] ?? null) : null;
    if (typeof i !== 'string') {
      throw new EvalError(`reflect.Value.MapIndex: value of type ${typeNameOf(i)} is not assignable to type string`);
    }
    return Object.prototype.hasOwnProperty.call(from, i) ? (from[i] ?? null) : null;
  }
  throw new EvalError(`cannot fetch ${fmtPlain(i)} from ${typeNameOf(from)}`);
}

function fmtPlain(v: Value): string {
  return typeof v === 'string' ? v : typeof v === 'bigint' ? v.toString() : String(v);
}

/** runtime.go `Slice`: bounds are clamped, never out of range. */
export function sliceOp(v: Value, from: Value | undefined, to: Value | undefined): Value {
  const isStr = typeof v === 'string';
  if (!(isStr || v instanceof GoSlice || Array.isArray(v))) throw new EvalError(`cannot slice ${fmtPlain(from ?? null)}`);
  const bytes = isStr ? utf8(v) : undefined;
  const length = bytes !== undefined ? bytes.length : sliceLen(v);
  let a = from === undefined ? 0 : toIndex(from);
  let b = to === undefined ? length : toIndex(to);
  if (a < 0) a = length + a;
  if (a < 0) a = 0;
  if (b < 0) b = length + b;
  if (b < 0) b = 0;
  if (b > length) b = length;
  if (a > b) a = b;
  if (bytes !== undefined) return bytes.subarray(a, b).toString('utf8');
  if (v instanceof GoSlice) return new GoSlice(v.elem, v.items.slice(a, b));
  return (v as readonly Value[]).slice(a, b);
}

/** runtime.go `In`. */
export function inOp(needle: Value, haystack: Value, version: ExprVersion): boolean {
  if (haystack === null) return false;
  if (haystack instanceof GoSlice || Array.isArray(haystack)) {
    const n = sliceLen(haystack);
    for (let i = 0; i < n; i++) if (equal(sliceAt(haystack as GoSlice, i), needle, version)) return true;
    return false;
  }
  if (isGoMap(haystack)) {
    if (needle === null) return Object.prototype.hasOwnProperty.call(haystack, '');
    if (typeof needle !== 'string') {
      throw new EvalError(`reflect.Value.MapIndex: value of type ${typeNameOf(needle)} is not assignable to type string`);
    }
    return Object.prototype.hasOwnProperty.call(haystack, needle);
  }
  throw new EvalError(`operator "in" not defined on ${typeNameOf(haystack)}`);
}

/** runtime.go `MakeRange`. */
export function makeRange(a: Value, b: Value): GoSlice {
  if (typeof a !== 'bigint') throw conversionError(a, 'int');
  if (typeof b !== 'bigint') throw conversionError(b, 'int');
  const size = b - a + 1n;
  if (size <= 0n) return new GoSlice('int', []);
  if (size > 10_000_000n) throw new EvalError('rehearse: range too large');
  const items: bigint[] = [];
  for (let x = a; x <= b; x++) items.push(x);
  return new GoSlice('int', items);
}

/** Length as the `len` builtin computes it (strings: bytes in v1.15, runes in v1.17). */
export function length(v: Value, version: ExprVersion): bigint {
  if (typeof v === 'string') return BigInt(version === '1.17' ? Array.from(v).length : utf8(v).length);
  if (v instanceof GoSlice || Array.isArray(v)) return BigInt(sliceLen(v));
  if (isGoMap(v)) return BigInt(Object.keys(v).length);
  throw new EvalError(`invalid argument for len (type ${typeNameOf(v)})`);
}
