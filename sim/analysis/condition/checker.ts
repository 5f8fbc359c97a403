// Static type checker, a port of the rules of expr's checker (expr v1.15.5 checker/checker.go:
// UnaryNode, BinaryNode, MemberNode, SliceNode, functionReturnType/checkArguments, BuiltinNode,
// ClosureNode, PointerNode, ConditionalNode, ArrayNode; builtin/builtin.go Validate functions).
// Like expr with `expr.Env(env)`, the environment is typed by the actual Go types of its values.
import { RE2JS } from 're2js';
import { fail, type Loc } from './errors.js';
import type { ExprVersion } from './lexer.js';
import type { Node } from './parser.js';
import {
  T_ANY, T_ARRAY, T_BOOL, T_FLOAT, T_INT, T_INT64, T_INT_SLICE, T_MAP, T_NIL, T_STRING,
  assignableTo, combined, isAny, isArray, isBool, isComparable, isFloat, isInteger, isMap,
  isNumber, isString, orAny, typeName, type GoType,
} from './types.js';

/** Argo's condition environment (utils/evaluate/evaluate.go `EvalCondition`). */
export const ENV_FUNCS: Readonly<Record<string, GoType & { k: 'func' }>> = {
  isNaN: { k: 'func', params: [T_FLOAT], out: T_BOOL },
  isInf: { k: 'func', params: [T_FLOAT], out: T_BOOL },
  asInt: { k: 'func', params: [T_ANY], out: T_INT64 },
  asFloat: { k: 'func', params: [T_ANY], out: T_FLOAT },
  isNil: { k: 'func', params: [T_ANY], out: T_BOOL },
  default: { k: 'func', params: [T_ANY, T_ANY], out: T_ANY },
};

/** Builtins this implementation evaluates; other expr builtins are refused at compile time. */
export const SUPPORTED_BUILTINS: ReadonlySet<string> = new Set([
  'all', 'none', 'any', 'one', 'filter', 'map', 'count', 'find', 'findIndex', 'findLast', 'findLastIndex',
  'len', 'abs', 'ceil', 'floor', 'round', 'int', 'float', 'string', 'max', 'min', 'sum', 'mean', 'median',
  'first', 'last', 'upper', 'lower', 'trim', 'type',
]);

interface Info {
  /** element type of an array literal whose items all have the same kind */
  readonly elem?: GoType;
}

interface Scope {
  readonly collection: GoType;
  readonly withIndex: boolean;
}

export interface Checked {
  readonly types: Map<Node, GoType>;
  /** pre-compiled literal regexps of `matches` */
  readonly regexps: Map<Node, RE2JS>;
  readonly type: GoType;
}

export function compileRegexp(pattern: string): RE2JS | string {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    return (e as Error).message;
  }
}

class Checker {
  readonly types = new Map<Node, GoType>();
  readonly regexps = new Map<Node, RE2JS>();
  private readonly scopes: Scope[] = [];
  private readonly vars: { name: string; type: GoType }[] = [];
  private readonly nilName: string;

  constructor(
    private readonly resultType: GoType,
    private readonly version: ExprVersion,
  ) {
    this.nilName = version === '1.17' ? 'unknown' : '<nil>';
  }

  private n(t: GoType): string {
    return typeName(t, this.nilName);
  }

  private err(at: Loc, message: string): never {
    fail(message, at);
  }

  visit(node: Node): GoType {
    const [t] = this.visitInfo(node);
    return t;
  }

  visitInfo(node: Node): [GoType, Info] {
    const r = this.dispatch(node);
    this.types.set(node, r[0]);
    return r;
  }

  /**
   * The type of a collection operand. v1.17.8 types an array literal whose items share a kind as
   * `[]interface {}` whose element nature is that kind (checker.go `arrayNode`, nature.go
   * `MakeArrayOf`/`Elem`), so `#` in a predicate over it and `[i]` on it are typed.
   */
  private collection(node: Node): GoType {
    const [t, info] = this.visitInfo(node);
    if (this.version === '1.17' && t.k === 'slice' && info.elem !== undefined) return { k: 'slice', elem: info.elem };
    return t;
  }

  private dispatch(node: Node): [GoType, Info] {
    switch (node.t) {
      case 'nil':
        return [T_NIL, {}];
      case 'bool':
        return [T_BOOL, {}];
      case 'int':
        return [T_INT, {}];
      case 'float':
        return [T_FLOAT, {}];
      case 'string':
        return [T_STRING, {}];
      case 'ident':
        return [this.ident(node), {}];
      case 'unary':
        return [this.unary(node), {}];
      case 'binary':
        return [this.binary(node), {}];
      case 'member':
        return [this.member(node), {}];
      case 'slice':
        return [this.slice(node), {}];
      case 'call':
        return [this.call(node), {}];
      case 'builtin':
        return [this.builtin(node), {}];
      case 'closure': {
        const out = this.visit(node.node);
        if (out.k === 'nil') this.err(node.node, 'closure cannot be nil');
        return [{ k: 'closure', out }, {}];
      }
      case 'pointer':
        return [this.pointer(node), {}];
      case 'cond': {
        const c = this.visit(node.cond);
        if (!isBool(c) && !isAny(c)) this.err(node.cond, `non-bool expression (type ${this.n(c)}) used as condition`);
        const a = this.visit(node.a);
        const b = this.visit(node.b);
        if (a.k === 'nil' && b.k !== 'nil') return [b, {}];
        if (a.k !== 'nil' && b.k === 'nil') return [a, {}];
        if (a.k === 'nil' && b.k === 'nil') return [T_NIL, {}];
        return [assignableTo(a, b) ? a : T_ANY, {}];
      }
      case 'array': {
        let prev: GoType | undefined;
        let same = true;
        node.items.forEach((item, i) => {
          const cur = this.visit(item);
          if (i > 0 && (cur.k === 'nil' || prev === undefined || prev.k === 'nil' || cur.k !== prev.k)) same = false;
          prev = cur;
        });
        return [T_ARRAY, same && prev !== undefined && prev.k !== 'nil' ? { elem: prev } : {}];
      }
      case 'map':
        for (const p of node.pairs) {
          this.visit(p.key);
          this.visit(p.value);
        }
        return [T_MAP, {}];
      case 'let': {
        if (node.name === 'result' || ENV_FUNCS[node.name] !== undefined) this.err(node, `cannot redeclare ${node.name}`);
        if (this.vars.some((v) => v.name === node.name)) this.err(node, `cannot redeclare variable ${node.name}`);
        const vt = this.visit(node.value);
        this.vars.push({ name: node.name, type: vt });
        const t = this.visitInfo(node.body);
        this.vars.pop();
        return t;
      }
      case 'seq': {
        let t: [GoType, Info] = [T_NIL, {}];
        for (const n of node.nodes) t = this.visitInfo(n);
        return t;
      }
    }
  }

  private ident(node: Node & { t: 'ident' }, asCallee = false): GoType {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i];
      if (v !== undefined && v.name === node.name) return v.type;
    }
    if (node.name === 'result') return this.resultType;
    const fn = ENV_FUNCS[node.name];
    if (fn !== undefined) {
      if (!asCallee) this.err(node, `rehearse: function ${node.name} can only be called`);
      return fn;
    }
    if (node.name === '$env') this.err(node, 'rehearse: $env is not supported');
    return this.err(node, `unknown name ${node.name}`);
  }

  private unary(node: Node & { t: 'unary' }): GoType {
    const t = this.visit(node.node);
    if (node.op === '!' || node.op === 'not') {
      if (isBool(t) || isAny(t)) return T_BOOL;
    } else if (isNumber(t)) {
      return t;
    } else if (isAny(t)) {
      return T_ANY;
    }
    return this.err(node, `invalid operation: ${node.op} (mismatched type ${this.n(t)})`);
  }

  private binary(node: Node & { t: 'binary' }): GoType {
    const l = this.visit(node.left);
    const [r, ri] = this.visitInfo(node.right);
    const op = node.op;
    switch (op) {
      case '==':
      case '!=':
        if (isComparable(l, r)) return T_BOOL;
        break;
      case 'or':
      case '||':
      case 'and':
      case '&&':
        if ((isBool(l) && isBool(r)) || orAny(l, r, isBool)) return T_BOOL;
        break;
      case '<':
      case '>':
      case '<=':
      case '>=':
        if ((isNumber(l) && isNumber(r)) || (isString(l) && isString(r)) || orAny(l, r, isNumber, isString)) {
          return T_BOOL;
        }
        break;
      case '-':
      case '*':
        if (isNumber(l) && isNumber(r)) return combined(l, r);
        if (orAny(l, r, isNumber)) return T_ANY;
        break;
      case '/':
      case '**':
      case '^':
        if ((isNumber(l) && isNumber(r)) || orAny(l, r, isNumber)) return T_FLOAT;
        break;
      case '%':
        if (isInteger(l) && isInteger(r)) {
          // expr's constant folding (optimizer/fold.go) evaluates `%` of two literals at compile
          // time, so `7 % 0` is a compile-time "integer divide by zero".
          if (node.left.t === 'int' && node.right.t === 'int' && node.right.v === 0n) {
            this.err(node, 'integer divide by zero');
          }
          return combined(l, r);
        }
        if (orAny(l, r, isInteger)) return T_ANY;
        break;
      case '+':
        if (isNumber(l) && isNumber(r)) return combined(l, r);
        if (isString(l) && isString(r)) return T_STRING;
        if (orAny(l, r, isNumber, isString)) return T_ANY;
        break;
      case 'in':
        if (isMap(r)) {
          if (l.k === 'nil') return T_BOOL;
          if (!isAny(l) && !isString(l)) this.err(node, `cannot use ${this.n(l)} as type string in map key`);
          return T_BOOL;
        }
        if (isArray(r) && r.k === 'slice') {
          if (l.k === 'nil') return T_BOOL;
          if (!isComparable(l, r.elem)) this.err(node, `cannot use ${this.n(l)} as type ${this.n(r.elem)} in array`);
          if (ri.elem !== undefined && !isComparable(l, ri.elem)) {
            this.err(node, `cannot use ${this.n(l)} as type ${this.n(ri.elem)} in array`);
          }
          return T_BOOL;
        }
        if (isAny(l) && (isString(r) || isArray(r) || isMap(r))) return T_BOOL;
        if (isAny(r)) return T_BOOL;
        break;
      case 'matches':
        if (node.right.t === 'string') {
          const re = compileRegexp(node.right.v);
          if (typeof re === 'string') this.err(node, re);
          this.regexps.set(node, re);
        }
        if ((isString(l) && isString(r)) || orAny(l, r, isString)) return T_BOOL;
        break;
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        if ((isString(l) && isString(r)) || orAny(l, r, isString)) return T_BOOL;
        break;
      case '..':
        if ((isInteger(l) && isInteger(r)) || orAny(l, r, isInteger)) return T_INT_SLICE;
        break;
      case '??':
        if (l.k === 'nil' && r.k !== 'nil') return r;
        if (l.k !== 'nil' && r.k === 'nil') return l;
        if (l.k === 'nil' && r.k === 'nil') return T_NIL;
        return assignableTo(r, l) ? l : T_ANY;
      default:
        return this.err(node, `unknown operator (${op})`);
    }
    return this.err(node, `invalid operation: ${op} (mismatched types ${this.n(l)} and ${this.n(r)})`);
  }

  private member(node: Node & { t: 'member' }): GoType {
    const base = this.collection(node.node);
    const prop = this.visit(node.prop);
    if (node.prop.t === 'string' && base.k === 'nil') {
      this.err(node, `type ${this.version === '1.17' ? 'nil' : this.n(base)} has no field ${node.prop.v}`);
    }
    switch (base.k) {
      case 'any':
        return T_ANY;
      case 'map':
        if (prop.k !== 'nil' && !isString(prop) && !isAny(prop)) {
          this.err(node.prop, `cannot use ${this.n(prop)} to get an element from ${this.n(base)}`);
        }
        return base.elem;
      case 'slice':
        if (!isInteger(prop) && !isAny(prop)) {
          this.err(node.prop, `array elements can only be selected using an integer (got ${this.n(prop)})`);
        }
        return base.elem;
      default:
        if (this.version === '1.17' && node.prop.t === 'string') {
          this.err(node, `type ${this.n(base)} has no field ${node.prop.v}`);
        }
        return this.err(node, `type ${this.n(base)}[${this.n(prop)}] is undefined`);
    }
  }

  private slice(node: Node & { t: 'slice' }): GoType {
    const t = this.visit(node.node);
    if (!(isAny(t) || isString(t) || isArray(t))) this.err(node, `cannot slice ${this.n(t)}`);
    for (const idx of [node.from, node.to]) {
      if (idx === undefined) continue;
      const it = this.visit(idx);
      if (!isInteger(it) && !isAny(it)) this.err(idx, `non-integer slice index ${this.n(it)}`);
    }
    return t;
  }

  private call(node: Node & { t: 'call' }): GoType {
    const fn = node.callee.t === 'ident' ? this.ident(node.callee, true) : this.visit(node.callee);
    this.types.set(node.callee, fn);
    let name = 'function';
    if (node.callee.t === 'ident') name = node.callee.name;
    else if (node.callee.t === 'member' && node.callee.prop.t === 'string') name = node.callee.prop.v;
    if (fn.k === 'nil') this.err(node, `${name} is nil; cannot call nil as function`);
    if (fn.k === 'any') {
      for (const a of node.args) this.visit(a);
      return T_ANY;
    }
    if (fn.k !== 'func') return this.err(node, `${this.n(fn)} is not callable`);
    return this.checkArguments(name, fn.params, fn.out, node.args, node);
  }

  /** checker.go `checkArguments` for a non-variadic function type. */
  private checkArguments(name: string, params: readonly GoType[], out: GoType, args: Node[], at: Loc): GoType {
    if (args.length > params.length) this.err(at, `too many arguments to call ${name}`);
    if (args.length < params.length) this.err(at, `not enough arguments to call ${name}`);
    args.forEach((arg, i) => {
      const t = this.visit(arg);
      const want = params[i] ?? T_ANY;
      if (isFloat(want) && isInteger(t)) {
        // Integer literals (also inside unary and + - * trees) are rewritten to float64 literals
        // (checker.go traverseAndReplaceIntegerNodesWithFloatNodes); other ints fail at run time.
        args[i] = intLiteralsToFloat(arg);
        return;
      }
      if (t.k === 'nil' || isAny(t)) return;
      if (!assignableTo(t, want)) {
        this.err(arg, `cannot use ${this.n(t)} as argument (type ${this.n(want)}) to call ${name} `);
      }
    });
    return out;
  }

  private withScope(collection: GoType, withIndex: boolean, closure: Node): GoType {
    this.scopes.push({ collection, withIndex });
    const t = this.visit(closure);
    this.scopes.pop();
    return t;
  }

  private pointer(node: Node & { t: 'pointer' }): GoType {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope === undefined) return this.err(node, 'cannot use pointer accessor outside closure');
    if (node.name === '') {
      if (scope.collection.k === 'any') return T_ANY;
      if (scope.collection.k === 'slice') return scope.collection.elem;
      return this.err(node, `cannot use ${this.n(scope.collection)} as array`);
    }
    if (node.name === 'index' && scope.withIndex) return T_INT;
    return this.err(node, `unknown pointer #${node.name}`);
  }

  private builtin(node: Node & { t: 'builtin' }): GoType {
    const name = node.name;
    if (!SUPPORTED_BUILTINS.has(name)) this.err(node, `rehearse: builtin ${name} is not supported`);
    const args = node.args;
    switch (name) {
      case 'all':
      case 'none':
      case 'any':
      case 'one':
      case 'filter':
      case 'map':
      case 'count':
      case 'find':
      case 'findIndex':
      case 'findLast':
      case 'findLastIndex': {
        const [collNode, closureNode] = args;
        if (collNode === undefined || closureNode === undefined) return this.err(node, `invalid number of arguments for ${name}`);
        const coll = this.collection(collNode);
        if (!isArray(coll) && !isAny(coll)) this.err(collNode, `builtin ${name} takes only array (got ${this.n(coll)})`);
        const closure = this.withScope(coll, name === 'map', closureNode);
        if (closure.k !== 'closure') return this.err(closureNode, 'predicate should has one input and one output param');
        if (name === 'map') return { k: 'slice', elem: closure.out };
        if (!isBool(closure.out) && !isAny(closure.out)) {
          this.err(closureNode, `predicate should return boolean (got ${this.n(closure.out)})`);
        }
        const elem = coll.k === 'slice' ? coll.elem : T_ANY;
        if (name === 'filter') return coll.k === 'slice' ? { k: 'slice', elem } : T_ARRAY;
        if (name === 'count' || name === 'findIndex' || name === 'findLastIndex') return T_INT;
        if (name === 'find' || name === 'findLast') return elem;
        return T_BOOL;
      }
      case 'sum': {
        if (this.version !== '1.17') break;
        // v1.17.8 checker.go builtinNode "sum": a predicate builtin (parser.go `predicates`) over
        // one collection; the type is the element's. The optional predicate form is not modelled.
        const [collNode] = args;
        if (collNode === undefined) return this.err(node, 'expected at least 2 arguments');
        if (args.length > 1) this.err(args[1]!, 'rehearse: sum with a predicate is not supported');
        const coll = this.collection(collNode);
        if (coll.k === 'slice') return coll.elem;
        if (isAny(coll)) return T_ANY;
        return this.err(collNode, `builtin sum takes only array (got ${this.n(coll)})`);
      }
      case 'string':
        return this.checkArguments(name, [T_ANY], T_STRING, args, node);
      case 'upper':
      case 'lower':
      case 'trim':
        if (args.length !== 1) this.err(node, `rehearse: ${name} takes exactly one argument`);
        return this.checkArguments(name, [T_STRING], T_STRING, args, node);
    }
    // Builtins with a Validate function: all arguments are visited first.
    const ts = args.map((a) => this.visit(a));
    const one = (): GoType => {
      if (ts.length !== 1) this.err(node, `invalid number of arguments (expected 1, got ${ts.length})`);
      return ts[0] ?? T_ANY;
    };
    switch (name) {
      case 'len': {
        const t = one();
        if (isArray(t) || isMap(t) || isString(t) || isAny(t)) return T_INT;
        return this.err(node, `invalid argument for len (type ${this.n(t)})`);
      }
      case 'type':
        one();
        return T_STRING;
      case 'abs': {
        const t = one();
        if (isNumber(t) || isAny(t)) return t;
        return this.err(node, `invalid argument for abs (type ${this.n(t)})`);
      }
      case 'ceil':
      case 'floor':
      case 'round': {
        const t = one();
        if (isNumber(t) || isAny(t)) return T_FLOAT;
        // v1.15.5's Validate of `round` reports itself as "floor".
        const shown = name === 'round' && this.version === '1.15' ? 'floor' : name;
        return this.err(node, `invalid argument for ${shown} (type ${this.n(t)})`);
      }
      case 'int':
      case 'float': {
        const t = one();
        if (isNumber(t) || isAny(t) || isString(t)) return name === 'int' ? T_INT : T_FLOAT;
        return this.err(node, `invalid argument for ${name} (type ${this.n(t)})`);
      }
      case 'max':
      case 'min':
        return this.aggregate(name, ts, node, true);
      case 'sum':
      case 'mean':
      case 'median': {
        if (this.version === '1.17') return this.aggregate(name, ts, node, false);
        const t = one();
        if (isAny(t) || isArray(t)) return name === 'sum' ? T_ANY : T_FLOAT;
        return this.err(node, `cannot ${name === 'mean' ? 'avg' : name} ${this.n(t)}`);
      }
      case 'first':
      case 'last': {
        const t = one();
        if (isAny(t)) return T_ANY;
        if (t.k === 'slice') return t.elem;
        return this.err(node, `cannot get ${name} element from ${this.n(t)}`);
      }
    }
    return this.err(node, `rehearse: builtin ${name} is not supported`);
  }

  /** v1.15.5 max/min Validate; v1.17.8 builtin/validation.go `validateAggregateFunc`. */
  private aggregate(name: string, ts: GoType[], at: Loc, minMax: boolean): GoType {
    if (ts.length === 0) this.err(at, `not enough arguments to call ${name}`);
    for (const t of ts) {
      if (isAny(t)) return T_ANY;
      if (this.version === '1.17' && isArray(t)) return T_ANY;
      if (!isNumber(t)) this.err(at, `invalid argument for ${name} (type ${this.n(t)})`);
    }
    if (!minMax) return name === 'sum' ? (ts[0] ?? T_ANY) : T_FLOAT;
    return ts[0] ?? T_ANY;
  }
}

export function check(node: Node, resultType: GoType, version: ExprVersion): Checked {
  const c = new Checker(resultType, version);
  const type = c.visit(node);
  return { types: c.types, regexps: c.regexps, type };
}


function intLiteralsToFloat(node: Node): Node {
  switch (node.t) {
    case 'int':
      return { t: 'float', v: Number(node.v), line: node.line, col: node.col };
    case 'unary':
      return { ...node, node: intLiteralsToFloat(node.node) };
    case 'binary':
      if (node.op === '+' || node.op === '-' || node.op === '*') {
        return { ...node, left: intLiteralsToFloat(node.left), right: intLiteralsToFloat(node.right) };
      }
      return node;
    default:
      return node;
  }
}
