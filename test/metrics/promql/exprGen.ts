// Random PromQL expressions with a known tree (for the operator-precedence property test), and an
// S-expression printer for parsed ASTs in the same notation. The notation is also what a small
// one-off Go program printing Prometheus' own `parser.ParseExpr` trees would produce, which is how
// the precedence rules were cross-checked against the real parser.
import seedrandom from 'seedrandom';
import type { Expr } from '../../../sim/metrics/promql/ast.js';

/** A generated expression: its text and the S-expression of the tree Prometheus builds for it. */
export interface GenExpr {
  readonly text: string;
  readonly sx: string;
}

interface Node {
  readonly text: string;
  readonly sx: string;
  /** Binding strength of the outermost construct: binary levels 1..6, unary 5.5, atoms 9. */
  readonly prec: number;
  /** For binary nodes: the operator (to decide associativity). */
  readonly op?: string;
  readonly unary?: boolean;
}

// generated_parser.y: `%left LOR`, `%left LAND LUNLESS`, `%left EQLC GTE GTR LSS LTE NEQ`,
// `%left ADD SUB`, `%left MUL DIV MOD ATAN2`, `%right POW`.
const LEVELS: readonly (readonly string[])[] = [
  ['or'],
  ['and', 'unless'],
  ['==', '!=', '>', '<', '>=', '<='],
  ['+', '-'],
  ['*', '/', '%'],
  ['^'],
];

function levelOf(op: string): number {
  return LEVELS.findIndex((l) => l.includes(op)) + 1;
}

const ATOM = 9;
const UNARY = 5;

export class ExprGenerator {
  private readonly rnd: () => number;

  constructor(seed: string, private readonly ops: readonly string[] = LEVELS.flat()) {
    this.rnd = seedrandom(seed);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)] as T;
  }

  private chance(p: number): boolean {
    return this.rnd() < p;
  }

  generate(depth = 4): GenExpr {
    const n = this.expr(depth);
    return { text: n.text, sx: n.sx };
  }

  private paren(n: Node): Node {
    return { text: `(${n.text})`, sx: `(paren ${n.sx})`, prec: ATOM };
  }

  /** Postfix modifiers on a selector, in random order: `offset`, `@`. */
  private modifiers(): { text: string; offsetMs: number; at: string } {
    let text = '';
    let offsetMs = 0;
    let at = '-';
    const mods: string[] = [];
    if (this.chance(0.4)) mods.push('offset');
    if (this.chance(0.25)) mods.push('at');
    if (mods.length === 2 && this.chance(0.5)) mods.reverse();
    for (const m of mods) {
      if (m === 'offset') {
        const [t, ms] = this.pick([['5m', 300_000], ['1h', 3_600_000], ['-1m', -60_000], ['30s', 30_000]] as const);
        text += ` offset ${t}`;
        offsetMs = ms;
      } else {
        const [t, v] = this.pick([['100', '100000'], ['start()', 'start'], ['end()', 'end'], ['1700000000.5', '1700000000500']] as const);
        text += ` @ ${t}`;
        at = v;
      }
    }
    return { text, offsetMs, at };
  }

  private leaf(depth: number): Node {
    const name = this.pick(['a', 'b', 'c', 'd']);
    const kind = depth <= 0 ? 0 : Math.floor(this.rnd() * 6);
    if (kind <= 2) {
      const m = this.modifiers();
      return { text: name + m.text, sx: `sel:${name}:${m.offsetMs}:${m.at}`, prec: ATOM };
    }
    if (kind === 3) {
      const m = this.modifiers();
      return { text: `rate(${name}[5m]${m.text})`, sx: `(call rate (range 300000 sel:${name}:${m.offsetMs}:${m.at}))`, prec: ATOM };
    }
    if (kind === 4) {
      // A subquery over a whole expression: its operand is parenthesized unless it is an atom.
      let inner = this.expr(depth - 1);
      if (inner.prec !== ATOM) inner = this.paren(inner);
      const m = this.modifiers();
      return {
        text: `max_over_time(${inner.text}[10m:1m]${m.text})`,
        sx: `(call max_over_time (subq 600000 60000 ${m.offsetMs} ${m.at} ${inner.sx}))`,
        prec: ATOM,
      };
    }
    const inner = this.expr(depth - 1);
    return { text: `sum by (x) (${inner.text})`, sx: `(agg sum without=false [x] ${inner.sx})`, prec: ATOM };
  }

  private expr(depth: number): Node {
    const r = this.rnd();
    if (depth <= 0 || r < 0.25) return this.leaf(depth);
    if (r < 0.35) return this.unaryNode(depth);
    if (r < 0.4) return this.paren(this.expr(depth - 1));
    return this.binaryNode(depth);
  }

  private unaryNode(depth: number): Node {
    const op = this.pick(['-', '+']);
    let inner = this.expr(depth - 1);
    // `-x ^ y` is `-(x ^ y)`; anything binding less tightly than the sign needs parentheses.
    if (inner.prec <= UNARY) inner = this.paren(inner);
    return { text: `${op}${this.chance(0.5) ? ' ' : ''}${inner.text}`, sx: `(${op} ${inner.sx})`, prec: UNARY + 0.5, unary: true };
  }

  private binaryNode(depth: number): Node {
    const op = this.pick(this.ops);
    const level = levelOf(op);
    const setOp = level <= 2;
    let lhs = this.expr(depth - 1);
    let rhs = this.expr(depth - 1);
    const rightAssoc = op === '^';
    // Left operand: must bind tighter (or equally, for left-associative operators). A unary
    // operand binds like `*`, so it needs parentheses only below `^`.
    const lhsPrec = lhs.unary === true ? UNARY : lhs.prec;
    if (lhsPrec < level || (lhsPrec === level && rightAssoc)) lhs = this.paren(lhs);
    // Right operand: a sign starts a new operand there, so a unary one never needs parentheses.
    if (rhs.unary !== true && (rhs.prec < level || (rhs.prec === level && !rightAssoc))) rhs = this.paren(rhs);
    let mod = '';
    let returnBool = false;
    if (level === 3 && this.chance(0.3)) {
      mod += ' bool';
      returnBool = true;
    }
    let card = setOp ? 'many-to-many' : 'one-to-one';
    let on = false;
    let labels: string[] = [];
    let include: string[] = [];
    const m = this.rnd();
    if (m < 0.35) {
      on = this.chance(0.5);
      labels = this.pick([[], ['x'], ['x', 'y']]);
      mod += ` ${on ? 'on' : 'ignoring'}(${labels.join(', ')})`;
      if (!setOp && this.chance(0.3)) {
        const left = this.chance(0.5);
        card = left ? 'many-to-one' : 'one-to-many';
        include = this.pick([[], ['z']]);
        // `group_left (x)` reads `(x)` as the label list, so a parenthesized right operand needs one.
        const list = include.length > 0 || rhs.text.startsWith('(') || this.chance(0.5);
        mod += ` ${left ? 'group_left' : 'group_right'}${list ? `(${include.join(',')})` : ''}`;
      }
    }
    return {
      text: `${lhs.text} ${op}${mod} ${rhs.text}`,
      sx: `(${op} bool=${returnBool} ${card} on=${on} [${labels.join(',')}] [${include.join(',')}] ${lhs.sx} ${rhs.sx})`,
      prec: level,
      op,
    };
  }
}

function atOf(at: { kind: 'time'; ms: number } | { kind: 'start' } | { kind: 'end' } | undefined): string {
  if (at === undefined) return '-';
  return at.kind === 'time' ? String(at.ms) : at.kind;
}

function num(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** The S-expression of one of our ASTs (same notation as GenExpr.sx). */
export function sexpr(e: Expr): string {
  switch (e.kind) {
    case 'binary': {
      const m = e.matching;
      const ms = m === undefined ? '' : ` ${m.card} on=${m.on} [${m.matchingLabels.join(',')}] [${m.include.join(',')}]`;
      return `(${e.op} bool=${e.returnBool}${ms} ${sexpr(e.lhs)} ${sexpr(e.rhs)})`;
    }
    case 'unary':
      return `(${e.op} ${sexpr(e.expr)})`;
    case 'paren':
      return `(paren ${sexpr(e.expr)})`;
    case 'number':
      return `num:${num(e.value)}`;
    case 'string':
      return JSON.stringify(e.value);
    case 'vectorSelector':
      return `sel:${e.name ?? ''}:${e.offsetMs}:${atOf(e.at)}`;
    case 'matrixSelector':
      return `(range ${e.rangeMs} ${sexpr(e.selector)})`;
    case 'subquery':
      return `(subq ${e.rangeMs} ${e.stepMs} ${e.offsetMs} ${atOf(e.at)} ${sexpr(e.expr)})`;
    case 'call':
      return `(call ${e.func.name}${e.args.map((a) => ' ' + sexpr(a)).join('')})`;
    case 'aggregate':
      return `(agg ${e.op} without=${e.without} [${e.grouping.join(',')}]${e.param === undefined ? '' : ' ' + sexpr(e.param)} ${sexpr(e.expr)})`;
  }
}
