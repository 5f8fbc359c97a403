// Turns a checked AST into a tree of JS closures (no eval / new Function). Evaluation allocates
// only for values the expression itself builds (array literals, filter/map results, ranges).
import type { RE2JS } from 're2js';
import { compileRegexp } from './checker.js';
import type { ExprVersion } from './lexer.js';
import type { Node } from './parser.js';
import {
  add, asBool, asString, compare, conversionError, div, equal, fetch, goPow, inOp, length, makeRange,
  mod, mul, negate, sliceOp, sub, toFloat,
} from './runtime.js';
import {
  EvalError, GoSlice, floatToInt, formatGoValue, kindNameOf, sliceAt, sliceLen, typeNameOf, wrapInt,
  type Value,
} from './values.js';

/** Per-evaluation state. */
export interface Frame {
  result: Value;
  /** current element / index of the innermost predicate */
  ptr: Value;
  index: number;
  vars: Value[];
}

export type Fn = (f: Frame) => Value;

/** Thrown through an optional chain (`a?.b.c`) when a `?.` base is nil. */
const CHAIN_NIL: unique symbol = Symbol('chain-nil');

const regexCache = new Map<string, RE2JS>();
function runtimeRegexp(pattern: string): RE2JS {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    const r = compileRegexp(pattern);
    if (typeof r === 'string') throw new EvalError(r);
    re = r;
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** Go strconv.Atoi / ParseInt(s, 10, 64). */
function parseGoInt(s: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n === wrapInt(n) ? n : undefined;
}

/** Go strconv.ParseFloat(s, 64) for the decimal forms and inf/nan. */
function parseGoFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (!/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const f = Number(s.replace(/_/g, ''));
  return Number.isFinite(f) ? f : undefined;
}

/** Argo's asInt / asFloat panic message for unsupported inputs (`%v %v` of reflect.TypeOf and value). */
function unsupported(fn: string, v: Value): EvalError {
  return new EvalError(`${fn}() not supported on ${typeNameOf(v)} ${formatGoValue(v)}`);
}

function goRound(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

function numberArg(fn: string, v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new EvalError(`invalid argument for ${fn} (type ${typeNameOf(v)})`);
}

export class Compiler {
  constructor(
    private readonly regexps: Map<Node, RE2JS>,
    private readonly version: ExprVersion,
  ) {}

  private varSlots: string[] = [];

  compile(node: Node): Fn {
    return this.c(node);
  }

  private c(node: Node, chainRoot = true): Fn {
    const v = this.version;
    switch (node.t) {
      case 'nil':
        return () => null;
      case 'bool': {
        const x = node.v;
        return () => x;
      }
      case 'int': {
        const x = node.v;
        return () => x;
      }
      case 'float': {
        const x = node.v;
        return () => x;
      }
      case 'string': {
        const x = node.v;
        return () => x;
      }
      case 'ident': {
        const slot = this.varSlots.lastIndexOf(node.name);
        if (slot >= 0) return (f) => f.vars[slot] ?? null;
        if (node.name === 'result') return (f) => f.result;
        throw new EvalError(`rehearse: ${node.name} cannot be used as a value`);
      }
      case 'unary': {
        const x = this.c(node.node);
        if (node.op === '!' || node.op === 'not') return (f) => !asBool(x(f));
        if (node.op === '-') return (f) => negate(x(f));
        return x;
      }
      case 'binary':
        return this.binary(node);
      case 'member': {
        const base = this.c(node.node, false);
        const prop = this.c(node.prop);
        const optional = node.optional;
        const get: Fn = optional
          ? (f) => {
              const b = base(f);
              if (b === null) throw CHAIN_NIL;
              return fetch(b, prop(f), v);
            }
          : (f) => fetch(base(f), prop(f), v);
        return chainRoot && hasOptional(node) ? catchChain(get) : get;
      }
      case 'slice': {
        const base = this.c(node.node);
        const from = node.from === undefined ? undefined : this.c(node.from);
        const to = node.to === undefined ? undefined : this.c(node.to);
        return (f) => sliceOp(base(f), from?.(f), to?.(f));
      }
      case 'call':
        return this.call(node);
      case 'builtin':
        return this.builtin(node);
      case 'closure':
        return this.c(node.node);
      case 'pointer':
        if (node.name === 'index') return (f) => BigInt(f.index);
        return (f) => f.ptr;
      case 'cond': {
        const c = this.c(node.cond);
        const a = this.c(node.a);
        const b = this.c(node.b);
        return (f) => (asBool(c(f)) ? a(f) : b(f));
      }
      case 'array': {
        const items = node.items.map((n) => this.c(n));
        return (f) => items.map((g) => g(f));
      }
      case 'map': {
        const pairs = node.pairs.map((p) => [this.c(p.key), this.c(p.value)] as const);
        return (f) => {
          const m: Record<string, Value> = {};
          for (const [k, val] of pairs) m[asString(k(f))] = val(f);
          return m;
        };
      }
      case 'let': {
        const value = this.c(node.value);
        const slot = this.varSlots.length;
        this.varSlots.push(node.name);
        const body = this.c(node.body);
        this.varSlots.pop();
        return (f) => {
          f.vars[slot] = value(f);
          return body(f);
        };
      }
      case 'seq': {
        const parts = node.nodes.map((n) => this.c(n));
        return (f) => {
          let r: Value = null;
          for (const p of parts) r = p(f);
          return r;
        };
      }
    }
  }

  private binary(node: Node & { t: 'binary' }): Fn {
    const l = this.c(node.left);
    const r = this.c(node.right);
    const v = this.version;
    switch (node.op) {
      case '==':
        return (f) => equal(l(f), r(f), v);
      case '!=':
        return (f) => !equal(l(f), r(f), v);
      // The VM only asserts the left operand (OpJumpIfFalse / OpJumpIfTrue); the right operand's
      // value is the result as-is, so `true && x` yields an interface{} x unchanged.
      case '&&':
      case 'and':
      case '||':
      case 'or': {
        // optimizer/fold.go folds `x and false` to false and `x or true` to true (both versions):
        // x is then never evaluated, so its runtime errors vanish.
        const folded = foldedBool(node);
        if (folded !== undefined) return () => folded;
        if (node.op === '&&' || node.op === 'and') return (f) => (asBool(l(f)) ? r(f) : false);
        return (f) => (asBool(l(f)) ? true : r(f));
      }
      case '<':
      case '>':
      case '<=':
      case '>=': {
        const op = node.op;
        return (f) => compare(op, l(f), r(f));
      }
      case '+':
        return (f) => add(l(f), r(f));
      case '-':
        return (f) => sub(l(f), r(f));
      case '*':
        return (f) => mul(l(f), r(f));
      case '/':
        return (f) => div(l(f), r(f));
      case '%':
        return (f) => mod(l(f), r(f));
      case '**':
      case '^':
        return (f) => goPow(toFloat(l(f), 'float'), toFloat(r(f), 'float'));
      case 'in': {
        // optimizer/in_array.go (both versions): `x in ['a', 'b']` becomes a lookup in a
        // map[string]struct{} (vm/runtime In: reflect MapIndex), so nil looks up "" and any other
        // non-string is an error.
        const items = node.right.t === 'array' ? node.right.items : [];
        if (items.length > 0 && items.every((i) => i.t === 'string')) {
          const set = new Set(items.map((i) => (i as Node & { t: 'string' }).v));
          return (f) => {
            const x = l(f);
            if (x === null) return set.has('');
            if (typeof x === 'string') return set.has(x);
            throw new EvalError(`reflect.Value.MapIndex: value of type ${typeNameOf(x)} is not assignable to type string`);
          };
        }
        return (f) => inOp(l(f), r(f), v);
      }
      // v1.17.8 vm.go OpMatches/OpMatchesConst/OpContains/OpStartsWith/OpEndsWith: a nil operand
      // gives false (both operands are evaluated first); v1.15.5 asserts string and fails.
      case 'matches': {
        const re = this.regexps.get(node);
        if (re !== undefined) {
          if (v === '1.17') {
            return (f) => {
              const a = l(f);
              return a === null ? false : re.matcher(asString(a)).find();
            };
          }
          return (f) => re.matcher(asString(l(f))).find();
        }
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (v === '1.17' && (a === null || b === null)) return false;
          const s = asString(a);
          return runtimeRegexp(asString(b)).matcher(s).find();
        };
      }
      case 'contains':
      case 'startsWith':
      case 'endsWith': {
        const test =
          node.op === 'contains'
            ? (a: string, b: string): boolean => a.includes(b)
            : node.op === 'startsWith'
              ? (a: string, b: string): boolean => a.startsWith(b)
              : (a: string, b: string): boolean => a.endsWith(b);
        return (f) => {
          const a = l(f);
          const b = r(f);
          if (v === '1.17' && (a === null || b === null)) return false;
          return test(asString(a), asString(b));
        };
      }
      case '..':
        return (f) => makeRange(l(f), r(f));
      case '??':
        return (f) => {
          const a = l(f);
          return a === null ? r(f) : a;
        };
    }
    throw new EvalError(`unknown operator (${node.op})`);
  }

  private call(node: Node & { t: 'call' }): Fn {
    if (node.callee.t !== 'ident') {
      return () => {
        throw new EvalError('rehearse: calling methods of values is not supported');
      };
    }
    const args = node.args.map((a) => this.c(a));
    const a0 = args[0] ?? ((): Value => null);
    const a1 = args[1] ?? ((): Value => null);
    // Only integer literals were converted to float64 by the checker; any other value must be a
    // float64 at run time (the typed call does `arg.(float64)`). asInt returns an int64.
    const intName = node.args[0]?.t === 'call' && node.args[0].callee.t === 'ident' && node.args[0].callee.name === 'asInt'
      ? 'int64'
      : 'int';
    const floatParam = (x: Value): number => {
      if (typeof x === 'number') return x;
      if (typeof x === 'bigint') throw new EvalError(`interface conversion: interface {} is ${intName}, not float64`);
      throw conversionError(x, 'float64');
    };
    switch (node.callee.name) {
      case 'isNaN':
        return (f) => Number.isNaN(floatParam(a0(f)));
      case 'isInf':
        return (f) => {
          const x = floatParam(a0(f));
          return x === Infinity || x === -Infinity;
        };
      case 'asInt':
        return (f) => {
          const x = a0(f);
          if (typeof x === 'number') return floatToInt(x);
          if (typeof x === 'bigint') return x;
          if (typeof x === 'string') {
            const n = parseGoInt(x);
            if (n === undefined) {
              const why = /^[+-]?\d+$/.test(x) ? 'value out of range' : 'invalid syntax';
              throw new EvalError(`strconv.ParseInt: parsing ${JSON.stringify(x)}: ${why}`);
            }
            return n;
          }
          throw unsupported('asInt', x);
        };
      case 'asFloat':
        return (f) => {
          const x = a0(f);
          if (typeof x === 'number') return x;
          if (typeof x === 'bigint') return Number(x);
          if (typeof x === 'string') {
            const n = parseGoFloat(x);
            if (n === undefined) throw new EvalError(`strconv.ParseFloat: parsing ${JSON.stringify(x)}: invalid syntax`);
            return n;
          }
          throw unsupported('asFloat', x);
        };
      // Argo quirk: isNil/default ignore their first argument and test the whole `result`.
      case 'isNil':
        return (f) => {
          a0(f);
          return f.result === null;
        };
      case 'default':
        return (f) => {
          a0(f);
          const d = a1(f);
          return f.result === null ? d : f.result;
        };
    }
    throw new EvalError(`rehearse: cannot call ${node.callee.name}`);
  }

  private builtin(node: Node & { t: 'builtin' }): Fn {
    const args = node.args.map((a) => this.c(a));
    const a0 = args[0] ?? ((): Value => null);
    const v = this.version;
    const name = node.name;
    switch (name) {
      case 'all':
      case 'none':
      case 'any':
      case 'one':
      case 'count':
      case 'filter':
      case 'map':
      case 'find':
      case 'findIndex':
      case 'findLast':
      case 'findLastIndex':
        return this.predicate(name, a0, args[1] ?? ((): Value => null));
      case 'len':
        return (f) => length(a0(f), v);
      case 'type':
        return (f) => goTypeBuiltin(a0(f));
      case 'abs':
        return (f) => {
          const x = a0(f);
          if (typeof x === 'number') return Math.abs(x);
          if (typeof x === 'bigint') return x < 0n ? wrapInt(-x) : x;
          throw new EvalError(`invalid argument for abs (type ${typeNameOf(x)})`);
        };
      case 'ceil':
        return (f) => Math.ceil(numberArg('ceil', a0(f)));
      case 'floor':
        return (f) => Math.floor(numberArg('floor', a0(f)));
      case 'round':
        return (f) => goRound(numberArg('round', a0(f)));
      case 'int':
        return (f) => {
          const x = a0(f);
          if (typeof x === 'bigint') return x;
          if (typeof x === 'number') return floatToInt(x);
          if (typeof x === 'string') {
            const n = parseGoInt(x);
            if (n === undefined) throw new EvalError(`invalid operation: int(${x})`);
            return n;
          }
          throw new EvalError(`invalid operation: int(${typeNameOf(x)})`);
        };
      case 'float':
        return (f) => {
          const x = a0(f);
          if (typeof x === 'number') return x;
          if (typeof x === 'bigint') return Number(x);
          if (typeof x === 'string') {
            const n = parseGoFloat(x);
            if (n === undefined) throw new EvalError(`invalid operation: float(${x})`);
            return n;
          }
          throw new EvalError(`invalid operation: float(${typeNameOf(x)})`);
        };
      case 'string':
        return (f) => formatGoValue(a0(f));
      case 'upper':
        return (f) => asString(a0(f)).toUpperCase();
      case 'lower':
        return (f) => asString(a0(f)).toLowerCase();
      case 'trim':
        return (f) => asString(a0(f)).replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
      case 'max':
      case 'min': {
        const better = name === 'max' ? '<' : '>';
        return (f) => {
          let best: Value = null;
          const consider = (x: Value): void => {
            if (best === null || compare(better, best, x)) best = x;
          };
          // v1.17.8 builtin/lib.go minMax: arrays are walked recursively; inside them anything
          // but a number is an error.
          const walk = (x: Value): void => {
            const n = sliceLen(x as GoSlice);
            for (let i = 0; i < n; i++) {
              const e = sliceAt(x as GoSlice, i);
              if (e instanceof GoSlice || Array.isArray(e)) walk(e);
              else if (typeof e === 'number' || typeof e === 'bigint') consider(e);
              else throw new EvalError(`invalid argument for ${name} (type ${e === null ? '<nil>' : typeNameOf(e)})`);
            }
          };
          for (const g of args) {
            const x = g(f);
            if (v === '1.17' && (x instanceof GoSlice || Array.isArray(x))) walk(x);
            else consider(x);
          }
          return best;
        };
      }
      case 'sum':
        // v1.17.8 compiler.go "sum": acc := 0 (int); for each element, acc = element + acc.
        if (v === '1.17') {
          return (f) => {
            const c = a0(f);
            if (!(c instanceof GoSlice || Array.isArray(c))) throw new EvalError(`cannot use ${typeNameOf(c)} as array`);
            let acc: Value = 0n;
            const n = sliceLen(c);
            for (let i = 0; i < n; i++) acc = add(sliceAt(c as GoSlice, i), acc);
            return acc;
          };
        }
        return (f) => aggregate(name, args.map((g) => g(f)), v);
      case 'mean':
      case 'median':
        return (f) => aggregate(name, args.map((g) => g(f)), v);
      case 'first':
      case 'last': {
        const first = name === 'first';
        return (f) => {
          const x = a0(f);
          try {
            return fetch(x, first ? 0n : -1n, v);
          } catch {
            return null;
          }
        };
      }
    }
    throw new EvalError(`rehearse: builtin ${name} is not supported`);
  }

  private predicate(name: string, coll: Fn, pred: Fn): Fn {
    return (f) => {
      const c = coll(f);
      if (!(c instanceof GoSlice || Array.isArray(c))) {
        throw new EvalError(`cannot use ${typeNameOf(c)} as array`);
      }
      const n = sliceLen(c);
      const savedPtr = f.ptr;
      const savedIndex = f.index;
      try {
        const test = (i: number): boolean => {
          f.ptr = sliceAt(c as GoSlice, i);
          f.index = i;
          return asBool(pred(f));
        };
        switch (name) {
          case 'all':
            for (let i = 0; i < n; i++) if (!test(i)) return false;
            return true;
          case 'none':
            for (let i = 0; i < n; i++) if (test(i)) return false;
            return true;
          case 'any':
            for (let i = 0; i < n; i++) if (test(i)) return true;
            return false;
          case 'one': {
            let k = 0;
            for (let i = 0; i < n; i++) if (test(i)) k++;
            return k === 1;
          }
          case 'count': {
            let k = 0n;
            for (let i = 0; i < n; i++) if (test(i)) k++;
            return k;
          }
          case 'filter': {
            const out: Value[] = [];
            for (let i = 0; i < n; i++) if (test(i)) out.push(sliceAt(c as GoSlice, i));
            return out;
          }
          case 'map': {
            const out: Value[] = [];
            for (let i = 0; i < n; i++) {
              f.ptr = sliceAt(c as GoSlice, i);
              f.index = i;
              out.push(pred(f));
            }
            return out;
          }
          case 'find':
            for (let i = 0; i < n; i++) if (test(i)) return sliceAt(c as GoSlice, i);
            return null;
          case 'findIndex':
            for (let i = 0; i < n; i++) if (test(i)) return BigInt(i);
            return null;
          case 'findLast':
            for (let i = n - 1; i >= 0; i--) if (test(i)) return sliceAt(c as GoSlice, i);
            return null;
          default:
            for (let i = n - 1; i >= 0; i--) if (test(i)) return BigInt(i);
            return null;
        }
      } finally {
        f.ptr = savedPtr;
        f.index = savedIndex;
      }
    };
  }
}

function hasOptional(node: Node): boolean {
  for (let n: Node = node; ; ) {
    if (n.t === 'member') {
      if (n.optional) return true;
      n = n.node;
    } else if (n.t === 'call') {
      n = n.callee;
    } else return false;
  }
}

function catchChain(get: Fn): Fn {
  return (f) => {
    try {
      return get(f);
    } catch (e) {
      if (e === CHAIN_NIL) return null;
      throw e;
    }
  };
}

/** builtin.go `type`. */
function goTypeBuiltin(x: Value): string {
  if (x === null) return 'nil';
  switch (typeof x) {
    case 'number':
      return 'float';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    default:
      return x instanceof GoSlice || Array.isArray(x) ? 'array' : 'map';
  }
}

/** The constant a bool sub-expression folds to in optimizer/fold.go (literals, not, and, or). */
function foldedBool(node: Node): boolean | undefined {
  switch (node.t) {
    case 'bool':
      return node.v;
    case 'unary': {
      if (node.op !== '!' && node.op !== 'not') return undefined;
      const x = foldedBool(node.node);
      return x === undefined ? undefined : !x;
    }
    case 'binary': {
      const and = node.op === '&&' || node.op === 'and';
      if (!and && node.op !== '||' && node.op !== 'or') return undefined;
      const a = foldedBool(node.left);
      const b = foldedBool(node.right);
      if (and) {
        if (a === false || b === false) return false;
        if (a === true) return b;
        if (b === true) return a;
        return undefined;
      }
      if (a === true || b === true) return true;
      if (a === false) return b;
      if (b === false) return a;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** sum / mean / median (v1.15.5 builtin.go; v1.17 also accepts several arguments and nested arrays). */
function aggregate(name: string, args: Value[], version: ExprVersion): Value {
  const nums: Value[] = [];
  const verb = name === 'mean' && version === '1.15' ? 'mean' : name;
  const collect = (x: Value, depth: number): void => {
    if (x instanceof GoSlice || Array.isArray(x)) {
      if (version === '1.15' && depth > 0) throw new EvalError(`cannot ${verb} ${kindNameOf(x)}`);
      const n = sliceLen(x);
      for (let i = 0; i < n; i++) collect(sliceAt(x as GoSlice, i), depth + 1);
    } else if (typeof x === 'number' || typeof x === 'bigint') {
      if (version === '1.15' && depth === 0) throw new EvalError(`cannot ${verb} ${kindNameOf(x)}`);
      nums.push(x);
    } else {
      throw new EvalError(`cannot ${verb} ${kindNameOf(x)}`);
    }
  };
  for (const a of args) collect(a, 0);
  if (name === 'sum') {
    let i = 0n;
    let isFloat = false;
    let fl = 0;
    for (const x of nums) {
      if (!isFloat && typeof x === 'bigint') i = wrapInt(i + x);
      else {
        if (!isFloat) {
          isFloat = true;
          fl = Number(i);
        }
        fl += Number(x);
      }
    }
    return isFloat ? fl : i;
  }
  if (nums.length === 0) return 0;
  const fs = nums.map((x) => Number(x));
  if (name === 'mean') return fs.reduce((s, x) => s + x, 0) / fs.length;
  // sort.Float64s: ascending with NaNs first.
  fs.sort((a, b) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a < b ? -1 : a > b ? 1 : 0));
  const m = fs.length >> 1;
  return fs.length % 2 === 0 ? ((fs[m - 1] ?? 0) + (fs[m] ?? 0)) / 2 : (fs[m] ?? 0);
}

