// PromQL parser: the official lezer grammar (`@prometheus-io/lezer-promql`, a Prometheus 3.x
// grammar) delimits the syntax; this module turns its tree into our AST (ast.ts) and applies the
// checks Prometheus does in its grammar actions and in `promql/parser/parse.go: checkAST`, with
// Prometheus' messages. The grammar reports syntax errors only as positions, so the lexical
// errors Prometheus' hand-written lexer raises (`promql/parser/lex.go`: unclosed parentheses,
// stray brackets, unterminated strings, bad characters) are found by a small scan of our own;
// other syntax errors get an "unexpected <token>" message at the grammar's error position.
// Syntax Prometheus 2.42 lacks is refused in 2.x mode; constructs rehearse does not evaluate yet
// (subqueries, `@`, duration expressions, unimplemented functions) are refused by name.

import { parser as lezerParser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { METRIC_NAME } from '../store.js';
import {
  documentedType,
  isComparison,
  isSetOp,
  typeOf,
  type AggregateOp,
  type AtModifier,
  type Subquery,
  type BinaryOp,
  type Expr,
  type LabelMatcher,
  type MatchType,
  type PosRange,
  type ValueType,
  type VectorMatching,
  type VectorSelector,
} from './ast.js';
import { parseError, PromqlError, unsupported } from './errors.js';
import { lookupFunction } from './functions.js';
import { looksLikeDuration, parseDuration, parseNumber, unquoteString } from './literals.js';
import { newLabelMatcher } from './matchers.js';

export interface ParseOptions {
  /** Which Prometheus' syntax and semantics to follow (default 3). */
  readonly prometheusVersion?: 2 | 3;
}

export interface ParsedQuery {
  readonly expr: Expr;
  readonly text: string;
  readonly selectors: readonly VectorSelector[];
  readonly prometheusVersion: 2 | 3;
}

const BINARY_OPS: Readonly<Record<string, BinaryOp>> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
  Atan2: 'atan2',
};

const AGGREGATE_OPS: ReadonlySet<string> = new Set([
  'sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile',
  'count_values', 'limitk', 'limit_ratio',
]);

/** Aggregations the engine evaluates. */
const IMPLEMENTED_AGGREGATIONS: ReadonlySet<string> = new Set([
  'sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values',
]);

/** Go `math.Round`: half away from zero. */
function goRound(x: number): number {
  const a = Math.round(Math.abs(x));
  return x < 0 ? -a : a;
}

/** Go `fmt` `%f` of a float64 (6 decimals; `+Inf`, `-Inf`, `NaN`). */
function goPercentF(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return x.toFixed(6);
}

/** Parses and checks a query; throws PromqlError (kind 'parse' or 'unsupported'). */
export function parseQuery(text: string, opts: ParseOptions = {}): ParsedQuery {
  const version = opts.prometheusVersion ?? 3;
  const tree = lezerParser.parse(text);
  const top = tree.topNode;

  if (isBlankQuery(text)) throw parseError(text, 0, 'no expression found in input');
  const syntaxError = firstSyntaxError(top);
  const lexError = scanLexicalError(text);
  if (syntaxError !== undefined || lexError !== undefined) {
    const unknownFn = syntaxError !== undefined ? unknownFunctionAt(text, syntaxError) : undefined;
    if (lexError !== undefined && (syntaxError === undefined || lexError.offset <= syntaxError.from || unknownFn !== undefined)) {
      throw parseError(text, lexError.offset, lexError.message);
    }
    if (unknownFn !== undefined) throw unknownFunctionError(text, unknownFn, version);
    const se = syntaxError as SyntaxNode;
    throw parseError(text, tokenStart(text, se.from), describeUnexpected(text, se.from));
  }

  const exprs = children(top).filter((c) => c.name !== 'LineComment');
  const first = exprs[0];
  if (first === undefined) throw parseError(text, 0, 'no expression found in input');
  const b = new Builder(text, version);
  const expr = b.build(first);
  b.check(expr);
  if (b.errors.length > 0) throw b.errors[0] as PromqlError;
  return { expr, text, selectors: b.selectors, prometheusVersion: version };
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

/** Only whitespace and `#` comments. */
function isBlankQuery(text: string): boolean {
  return text.split('\n').every((l) => /^\s*(#.*)?$/.test(l));
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling) out.push(c);
  return out;
}

function firstSyntaxError(top: SyntaxNode): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  const cursor = top.cursor();
  do {
    if (cursor.type.isError) {
      if (found === undefined || cursor.from < found.from) found = cursor.node;
    }
  } while (cursor.next());
  return found;
}

function tokenStart(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

/**
 * An unknown function name makes the grammar read an identifier followed by an error at "(".
 * Returns the identifier's range when that is the case.
 */
function unknownFunctionAt(text: string, err: SyntaxNode): PosRange | undefined {
  const at = tokenStart(text, err.from);
  if (text[at] !== '(') return undefined;
  let s = at;
  while (s > 0 && /\s/.test(text[s - 1] as string)) s--;
  const end = s;
  while (s > 0 && /[A-Za-z0-9_:]/.test(text[s - 1] as string)) s--;
  if (s === end || !/^[A-Za-z_]/.test(text[s] as string)) return undefined;
  return { start: s, end };
}

function unknownFunctionError(text: string, r: PosRange, version: 2 | 3): PromqlError {
  const name = text.slice(r.start, r.end);
  // A function of this Prometheus version that the grammar does not know (holt_winters in 2.x).
  if (lookupFunction(name, version) !== undefined) {
    return unsupported(text, r.start, `function ${JSON.stringify(name)} is not supported by rehearse yet`);
  }
  return parseError(text, r.start, `unknown function with name ${JSON.stringify(name)}`);
}

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'atan2']);

/** Prometheus-like description of the token at `offset` (`lex.go: Item.desc`). */
function describeUnexpected(text: string, offset: number): string {
  const at = tokenStart(text, offset);
  if (at >= text.length) return 'unexpected end of input';
  const rest = text.slice(at);
  let m: RegExpExecArray | null;
  if ((m = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest)) !== null) {
    const w = m[0];
    const lw = w.toLowerCase();
    if (KEYWORDS.has(lw)) return `unexpected <${lw}>`;
    if (AGGREGATE_OPS.has(lw)) return `unexpected <aggr:${lw}>`;
    return `unexpected identifier ${JSON.stringify(w)}`;
  }
  if ((m = /^[0-9.][0-9A-Za-z_.]*/.exec(rest)) !== null) {
    const w = m[0];
    return looksLikeDuration(w) ? `unexpected duration ${JSON.stringify(w)}` : `unexpected number ${JSON.stringify(w)}`;
  }
  if ((m = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)/.exec(rest)) !== null) {
    return `unexpected string ${JSON.stringify(m[0])}`;
  }
  if ((m = /^(==|!=|>=|<=|=~|!~|[-+*/%^<>])/.exec(rest)) !== null) return `unexpected <op:${m[0]}>`;
  return `unexpected ${JSON.stringify(rest[0])}`;
}

/** Go's %q of a rune. */
function quoteRune(c: string): string {
  return c === "'" ? "'\\''" : c === '\\' ? "'\\\\'" : `'${c}'`;
}

interface LexError {
  readonly offset: number;
  readonly message: string;
}

/** The lexical errors of `lex.go` that the grammar cannot word: first one, if any. */
export function scanLexicalError(text: string): LexError | undefined {
  let parenDepth = 0;
  let bracketOpen = false;
  let braceOpen = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const start = i;
      i++;
      let closed = false;
      while (i < n) {
        const d = text[i] as string;
        if (c !== '`' && d === '\\') {
          i += 2;
          continue;
        }
        if (c !== '`' && d === '\n') break;
        i++;
        if (d === c) {
          closed = true;
          break;
        }
      }
      if (!closed) return { offset: start, message: c === '`' ? 'unterminated raw string' : 'unterminated quoted string' };
      continue;
    }
    if (braceOpen) {
      if (c === '}') braceOpen = false;
      else if (c === '{') return { offset: i, message: `unexpected left brace ${quoteRune(c)}` };
      i++;
      continue;
    }
    switch (c) {
      case '(':
        parenDepth++;
        break;
      case ')':
        parenDepth--;
        if (parenDepth < 0) return { offset: i, message: `unexpected right parenthesis ${quoteRune(c)}` };
        break;
      case '[':
        if (bracketOpen) return { offset: i, message: `unexpected left bracket ${quoteRune(c)}` };
        bracketOpen = true;
        break;
      case ']':
        if (!bracketOpen) return { offset: i, message: `unexpected right bracket ${quoteRune(c)}` };
        bracketOpen = false;
        break;
      case '{':
        braceOpen = true;
        break;
      case '!':
        if (text[i + 1] !== '=') {
          return { offset: i, message: `unexpected character after '!': ${quoteRune(text[i + 1] ?? '')}` };
        }
        i++;
        break;
      default:
        if (!/[\sA-Za-z0-9_:.,*/%+\-^=<>@}]/.test(c)) {
          return { offset: i, message: `unexpected character: ${quoteRune(c)}` };
        }
    }
    i++;
  }
  if (braceOpen) return { offset: n, message: 'unexpected end of input inside braces' };
  if (parenDepth !== 0) return { offset: n, message: 'unclosed left parenthesis' };
  if (bracketOpen) return { offset: n, message: 'unclosed left bracket' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Tree -> AST

class Builder {
  readonly errors: PromqlError[] = [];
  readonly selectors: VectorSelector[] = [];

  constructor(
    private readonly text: string,
    private readonly version: 2 | 3,
  ) {}

  private src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  private fail(offset: number, msg: string): never {
    throw parseError(this.text, offset, msg);
  }

  private refuse(offset: number, what: string): never {
    throw unsupported(this.text, offset, `${what} is not supported by rehearse yet`);
  }

  build(node: SyntaxNode): Expr {
    const pos = { start: node.from, end: node.to };
    switch (node.name) {
      case 'NumberDurationLiteral':
        return { kind: 'number', value: this.number(node), pos };
      case 'StringLiteral':
        return { kind: 'string', value: this.string(node), pos };
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'MatrixSelector':
        return this.matrixSelector(node);
      case 'OffsetExpr':
        return this.offset(node);
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'UnaryExpr': {
        const [opNode, operand] = children(node);
        if (opNode === undefined || operand === undefined) this.fail(node.from, 'unexpected end of input');
        const op = this.src(opNode) === '-' ? '-' : '+';
        const inner = this.build(operand);
        // Prometheus folds a sign into a number literal directly below it (generated_parser.y: unary_expr).
        if (inner.kind === 'number') {
          return { kind: 'number', value: op === '-' ? -inner.value : inner.value, pos };
        }
        return { kind: 'unary', op, expr: inner, pos };
      }
      case 'ParenExpr': {
        const inner = children(node)[0];
        if (inner === undefined) this.fail(node.to, 'unexpected end of input');
        return { kind: 'paren', expr: this.build(inner), pos };
      }
      case 'SubqueryExpr':
        return this.subquery(node);
      case 'StepInvariantExpr':
        return this.atModifier(node);
      case 'AnchoredExpr':
        return this.refuse(node.from, 'the anchored modifier');
      case 'SmoothedExpr':
        return this.refuse(node.from, 'the smoothed modifier');
      default:
        return this.refuse(node.from, `PromQL construct ${node.name}`);
    }
  }

  private number(node: SyntaxNode): number {
    const raw = this.src(node).replace(/^([+-])\s+/, '$1');
    const unsigned = raw.replace(/^[+-]/, '');
    if (looksLikeDuration(unsigned)) {
      if (this.version === 2) this.fail(node.from, `unexpected duration ${JSON.stringify(unsigned)}`);
      this.refuse(node.from, 'a duration used as a number');
    }
    if (this.version === 2 && unsigned.includes('_')) {
      this.fail(node.from, `bad number or duration syntax: ${JSON.stringify(unsigned)}`);
    }
    const r = parseNumber(raw);
    if (!r.ok) this.fail(node.from, r.error);
    return r.value;
  }

  private string(node: SyntaxNode): string {
    const raw = this.src(node);
    const r = unquoteString(raw);
    if (!r.ok) this.fail(node.from, `error unquoting string ${JSON.stringify(raw)}: ${r.error}`);
    return r.value;
  }

  private vectorSelector(node: SyntaxNode): VectorSelector {
    let name: string | undefined;
    const matchers: LabelMatcher[] = [];
    for (const c of children(node)) {
      if (c.name === 'Identifier' || c.name === 'MetricName') {
        name = this.src(c);
      } else if (c.name === 'LabelMatchers') {
        for (const m of children(c)) {
          if (m.name === 'UnquotedLabelMatcher' || m.name === 'QuotedLabelMatcher') {
            matchers.push(this.labelMatcher(m));
          } else if (m.name === 'QuotedLabelName') {
            // `{"metric.name"}`: a quoted metric name (Prometheus 3 UTF-8 names).
            if (this.version === 2) this.fail(m.from, `unexpected string ${JSON.stringify(this.src(m))} in label matching, expected label matching operator`);
            const lit = m.getChild('StringLiteral');
            const v = lit === null ? '' : this.string(lit);
            matchers.push(this.makeMatcher(m.from, '=', METRIC_NAME, v));
          }
        }
      }
    }
    if (name !== undefined) matchers.push(this.makeMatcher(node.from, '=', METRIC_NAME, name));
    const vs: VectorSelector = {
      kind: 'vectorSelector',
      name,
      matchers,
      offsetMs: 0,
      hasOffset: false,
      at: undefined,
      selectorIndex: this.selectors.length,
      text: this.src(node),
      pos: { start: node.from, end: node.to },
    };
    this.selectors.push(vs);
    return vs;
  }

  private labelMatcher(node: SyntaxNode): LabelMatcher {
    let labelName = '';
    let op: MatchType = '=';
    let value = '';
    for (const c of children(node)) {
      if (c.name === 'LabelName') labelName = this.src(c);
      else if (c.name === 'QuotedLabelName') {
        if (this.version === 2) this.fail(c.from, `unexpected string ${JSON.stringify(this.src(c))} in label matching, expected identifier or "}"`);
        const lit = c.getChild('StringLiteral');
        labelName = lit === null ? '' : this.string(lit);
      } else if (c.name === 'MatchOp') op = this.src(c) as MatchType;
      else if (c.name === 'StringLiteral') value = this.string(c);
    }
    return this.makeMatcher(node.from, op, labelName, value);
  }

  private makeMatcher(offset: number, op: MatchType, name: string, value: string): LabelMatcher {
    const r = newLabelMatcher(op, name, value, this.version);
    if (!r.ok) this.fail(offset, r.error);
    return r.matcher;
  }

  /**
   * A duration in ms. Ranges and subquery steps must be positive ("duration must be greater than 0":
   * 2.42 parse.go parseDuration for every duration, offsets included; 3.x generated_parser.y
   * positive_duration_expr for ranges and steps only).
   */
  private duration(node: SyntaxNode, positive: boolean): number {
    const ms = this.durationValue(node);
    if (ms === 0 && (positive || this.version === 2)) this.fail(node.from, 'duration must be greater than 0');
    return ms;
  }

  private durationValue(node: SyntaxNode): number {
    // DurationExpr / OffsetDurationExpr with a single literal child; anything else is a
    // Prometheus 3 duration expression.
    const kids = children(node);
    const lit = kids[0];
    if (kids.length === 1 && lit !== undefined && lit.name === 'NumberDurationLiteralInDurationContext') {
      const text = this.src(lit);
      if (/^[0-9]+$/.test(text) && text !== '0') {
        if (this.version === 2) this.fail(lit.from, 'missing unit character in duration');
        return Number(text) * 1000; // Prometheus 3: a bare number in a range is seconds.
      }
      const r = parseDuration(text);
      if (!r.ok) {
        if (this.version === 3 && /^[0-9]*\.[0-9]+$|^[0-9]+\.[0-9]*$/.test(text)) this.refuse(lit.from, 'a fractional duration');
        this.fail(lit.from, r.error);
      }
      return r.value;
    }
    this.refuse(node.from, 'a duration expression');
  }

  /**
   * The grammar attaches postfix modifiers (`[range]`, `offset`) to a whole binary or unary
   * expression on their left, while Prometheus gives them the highest precedence
   * (generated_parser.y: `%nonassoc OFFSET`, `%right LEFT_BRACKET`): `a - b[5m]` is `a - (b[5m])`.
   * So the modifier is applied to the rightmost operand.
   */
  private onRightmost(e: Expr, f: (operand: Expr) => Expr): Expr {
    if (e.kind === 'binary') return { ...e, rhs: this.onRightmost(e.rhs, f) };
    if (e.kind === 'unary') return { ...e, expr: this.onRightmost(e.expr, f) };
    return f(e);
  }

  private matrixSelector(node: SyntaxNode): Expr {
    const [inner, dur] = children(node);
    if (inner === undefined || dur === undefined) this.fail(node.to, 'unexpected end of input');
    const built = this.build(inner);
    const rangeMs = this.duration(dur, true);
    const bracket = this.text.lastIndexOf('[', dur.from);
    return this.onRightmost(built, (operand) => {
      if (operand.kind !== 'vectorSelector') this.fail(bracket, 'ranges only allowed for vector selectors');
      if (operand.hasOffset) this.fail(bracket, 'no offset modifiers allowed before range');
      if (operand.at !== undefined) this.fail(bracket, 'no @ modifiers allowed before range');
      return { kind: 'matrixSelector', selector: operand, rangeMs, pos: { start: operand.pos.start, end: node.to } };
    });
  }

  private offset(node: SyntaxNode): Expr {
    const kids = children(node);
    const inner = kids[0];
    const durNode = kids.find((k) => k.name === 'OffsetDurationExpr');
    if (inner === undefined || durNode === undefined) this.fail(node.to, 'unexpected end of input');
    const built = this.build(inner);
    // `offset -5m`: OffsetDurationExpr(UnaryOp "-", OffsetDurationExpr).
    let sign = 1;
    let d = durNode;
    const dk = children(durNode);
    if (dk.length === 2 && dk[0]?.name === 'UnaryOp' && dk[1]?.name === 'OffsetDurationExpr') {
      sign = this.src(dk[0]) === '-' ? -1 : 1;
      d = dk[1];
    }
    const ms = sign * this.duration(d, false);
    return this.onRightmost(built, (operand) => {
      let vs: VectorSelector | Subquery;
      if (operand.kind === 'vectorSelector' || operand.kind === 'subquery') vs = operand;
      else if (operand.kind === 'matrixSelector') vs = operand.selector;
      else this.fail(operand.pos.start, 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
      if (vs.hasOffset) this.fail(operand.pos.start, 'offset may not be set multiple times');
      vs.offsetMs = ms;
      vs.hasOffset = true;
      operand.pos = { start: operand.pos.start, end: node.to };
      return operand;
    });
  }

  /**
   * `expr[range:step]` (generated_parser.y: subquery_expr). The grammar gives `[` the highest
   * precedence, so in `a - b[5m:1m]` the subquery is over `b` (see onRightmost).
   */
  private subquery(node: SyntaxNode): Expr {
    const kids = children(node).filter((c) => c.name !== 'LineComment');
    const inner = kids[0];
    const rangeNode = kids[1];
    const stepNode = kids[2];
    if (inner === undefined || rangeNode === undefined) this.fail(node.to, 'unexpected end of input');
    const built = this.build(inner);
    const rangeMs = this.duration(rangeNode, true);
    const stepMs = stepNode === undefined ? 0 : this.duration(stepNode, true);
    return this.onRightmost(built, (operand) => ({
      kind: 'subquery',
      expr: operand,
      rangeMs,
      stepMs,
      offsetMs: 0,
      hasOffset: false,
      at: undefined,
      pos: { start: operand.pos.start, end: node.to },
    }));
  }

  /** `expr @ <number>` / `@ start()` / `@ end()` (parse.go: setTimestamp, setAtModifierPreprocessor, getAtModifierVars). */
  private atModifier(node: SyntaxNode): Expr {
    const kids = children(node).filter((c) => c.name !== 'LineComment');
    const inner = kids[0];
    const atIdx = kids.findIndex((k) => k.name === 'At');
    const arg = kids[atIdx + 1];
    if (inner === undefined || atIdx < 0 || arg === undefined) this.fail(node.to, 'unexpected end of input');
    const built = this.build(inner);
    let at: AtModifier;
    if (arg.name === 'AtModifierPreprocessors') {
      at = arg.getChild('AtStart') !== null ? { kind: 'start' } : { kind: 'end' };
    } else {
      const text = this.src(arg).replace(/^[+-]\s*/, '');
      if (looksLikeDuration(text)) {
        if (this.version === 2) this.fail(arg.from, `unexpected duration ${JSON.stringify(text)} in @, expected timestamp`);
        this.refuse(arg.from, 'a duration as @ timestamp');
      }
      const ts = this.number(arg);
      if (!Number.isFinite(ts) || ts >= 2 ** 63 || ts <= -(2 ** 63)) {
        this.fail(node.from, `timestamp out of bounds for @ modifier: ${goPercentF(ts)}`);
      }
      at = { kind: 'time', ms: goRound(ts * 1000) };
    }
    return this.onRightmost(built, (operand) => {
      let target: VectorSelector | Subquery;
      if (operand.kind === 'vectorSelector' || operand.kind === 'subquery') target = operand;
      else if (operand.kind === 'matrixSelector') target = operand.selector;
      else this.fail(operand.pos.start, '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery');
      if (target.at !== undefined) this.fail(operand.pos.start, '@ <timestamp> may not be set multiple times');
      target.at = at;
      operand.pos = { start: operand.pos.start, end: node.to };
      return operand;
    });
  }

  private call(node: SyntaxNode): Expr {
    const ident = node.getChild('FunctionIdentifier');
    const body = node.getChild('FunctionCallBody');
    if (ident === null || body === null) this.fail(node.from, 'unexpected end of input');
    const name = this.src(ident);
    const def = lookupFunction(name, this.version);
    // A function of the other major version is unknown to this one, as in Prometheus.
    if (def === undefined) this.fail(ident.from, `unknown function with name ${JSON.stringify(name)}`);
    if (!def.implemented) this.refuse(ident.from, `function ${JSON.stringify(name)}`);
    const args = children(body).filter((c) => c.name !== 'LineComment').map((c) => this.build(c));
    return { kind: 'call', func: def, args, pos: { start: node.from, end: node.to } };
  }

  private grouping(node: SyntaxNode): string[] {
    const out: string[] = [];
    const gl = node.name === 'GroupingLabels' ? node : node.getChild('GroupingLabels');
    if (gl === null) return out;
    for (const c of children(gl)) {
      if (c.name === 'LabelName') out.push(this.src(c));
      else if (c.name === 'QuotedLabelName') {
        if (this.version === 2) this.fail(c.from, `unexpected string ${JSON.stringify(this.src(c))} in grouping opts, expected label`);
        const lit = c.getChild('StringLiteral');
        out.push(lit === null ? '' : this.string(lit));
      }
    }
    return out;
  }

  private aggregate(node: SyntaxNode): Expr {
    const opNode = node.getChild('AggregateOp');
    const body = node.getChild('FunctionCallBody');
    const modifier = node.getChild('AggregateModifier');
    if (opNode === null || body === null) this.fail(node.from, 'unexpected end of input');
    const op = this.src(opNode).toLowerCase();
    if (!AGGREGATE_OPS.has(op) || !IMPLEMENTED_AGGREGATIONS.has(op)) this.refuse(opNode.from, `aggregation ${JSON.stringify(op)}`);
    const args = children(body).filter((c) => c.name !== 'LineComment').map((c) => this.build(c));
    const pos = { start: node.from, end: node.to };
    const desired = op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values' ? 2 : 1;
    if (args.length !== desired) {
      this.fail(node.from, `wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`);
    }
    const without = modifier !== null && modifier.getChild('Without') !== null;
    return {
      kind: 'aggregate',
      op: op as AggregateOp,
      expr: args[desired - 1] as Expr,
      param: desired === 2 ? args[0] : undefined,
      grouping: modifier === null ? [] : this.grouping(modifier),
      without,
      hasGrouping: modifier !== null,
      pos,
    };
  }

  private binary(node: SyntaxNode): Expr {
    const kids = children(node);
    const lhsNode = kids[0];
    const rhsNode = kids[kids.length - 1];
    const opNode = kids[1];
    if (lhsNode === undefined || rhsNode === undefined || opNode === undefined || kids.length < 3) {
      this.fail(node.to, 'unexpected end of input');
    }
    const op = BINARY_OPS[opNode.name];
    if (op === undefined) this.refuse(opNode.from, `binary operator ${JSON.stringify(this.src(opNode))}`);
    if (op === 'atan2') this.refuse(opNode.from, 'binary operator "atan2"');
    const lhsText = this.src(lhsNode);
    if (op === '^' && lhsNode.name === 'NumberDurationLiteral' && /^[+-]/.test(lhsText)) {
      // The grammar lexes `-2` in `-2 ^ 2` as one literal, but in Prometheus a unary sign binds
      // less tightly than `^` (generated_parser.y: `unary_expr: unary_op expr %prec MUL`):
      // the query means -(2 ^ 2).
      const digitsAt = lhsNode.from + (/^[+-]\s*/.exec(lhsText)?.[0].length ?? 1);
      const unsignedValue = parseNumber(lhsText.slice(digitsAt - lhsNode.from));
      if (!unsignedValue.ok) this.fail(lhsNode.from, unsignedValue.error);
      const inner: Expr = {
        kind: 'binary',
        op,
        lhs: { kind: 'number', value: unsignedValue.value, pos: { start: digitsAt, end: lhsNode.to } },
        rhs: this.build(rhsNode),
        returnBool: false,
        matching: { card: 'one-to-one', matchingLabels: [], on: false, include: [] },
        pos: { start: digitsAt, end: node.to },
        opPos: { start: opNode.from, end: opNode.to },
      };
      const pos = { start: node.from, end: node.to };
      return lhsText.startsWith('-') ? { kind: 'unary', op: '-', expr: inner, pos } : { kind: 'unary', op: '+', expr: inner, pos };
    }
    const lhs = this.build(lhsNode);
    let returnBool = false;
    let matching: VectorMatching = { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
    for (const c of kids.slice(2, -1)) {
      if (c.name === 'BoolModifier') returnBool = true;
      else if (c.name === 'MatchingModifierClause') {
        const on = c.getChild('On') !== null;
        const labelsNodes = c.getChildren('GroupingLabels');
        const matchingLabels = labelsNodes[0] === undefined ? [] : this.grouping(labelsNodes[0]);
        const include = labelsNodes[1] === undefined ? [] : this.grouping(labelsNodes[1]);
        const card = c.getChild('GroupLeft') !== null ? 'many-to-one' : c.getChild('GroupRight') !== null ? 'one-to-many' : 'one-to-one';
        matching = { card, matchingLabels, on, include };
      } else if (c.name === 'FillModifier') {
        this.refuse(c.from, 'the fill modifier');
      }
    }
    const rhs = this.build(rhsNode);
    return {
      kind: 'binary',
      op,
      lhs,
      rhs,
      returnBool,
      matching,
      pos: { start: node.from, end: node.to },
      opPos: { start: opNode.from, end: opNode.to },
    };
  }

  // -------------------------------------------------------------------------------------------
  // checkAST (parse.go): type checks after a successful parse. Errors are collected in
  // Prometheus' order (children first); the first one is reported.

  private err(offset: number, msg: string): void {
    this.errors.push(parseError(this.text, offset, msg));
  }

  private expectType(e: Expr, want: ValueType, context: string): void {
    const t = this.check(e);
    if (t !== want) this.err(e.pos.start, `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`);
  }

  check(e: Expr): ValueType {
    const typ = typeOf(e);
    switch (e.kind) {
      case 'aggregate':
        this.expectType(e.expr, 'vector', 'aggregation expression');
        if (e.param !== undefined) {
          this.expectType(e.param, e.op === 'count_values' ? 'string' : 'scalar', 'aggregation parameter');
        }
        break;
      case 'binary': {
        const lt = this.check(e.lhs);
        const rt = this.check(e.rhs);
        const m = e.matching;
        if (e.returnBool && !isComparison(e.op)) {
          this.err(e.opPos.start, 'bool modifier can only be used on comparison operators');
        }
        if (isComparison(e.op) && !e.returnBool && lt === 'scalar' && rt === 'scalar') {
          this.err(e.opPos.start, 'comparisons between scalars must use BOOL modifier');
        }
        if (m !== undefined && isSetOp(e.op) && m.card === 'one-to-one') m.card = 'many-to-many';
        if (m !== undefined && m.on) {
          for (const l of m.matchingLabels) {
            if (m.include.includes(l)) this.err(e.opPos.start, `label ${JSON.stringify(l)} must not occur in ON and GROUP clause at once`);
          }
        }
        if (lt !== 'scalar' && lt !== 'vector') this.err(e.lhs.pos.start, 'binary expression must contain only scalar and instant vector types');
        if (rt !== 'scalar' && rt !== 'vector') this.err(e.rhs.pos.start, 'binary expression must contain only scalar and instant vector types');
        if ((lt !== 'vector' || rt !== 'vector') && m !== undefined) {
          if (m.matchingLabels.length > 0 || m.on) this.err(e.pos.start, 'vector matching only allowed between instant vectors');
          e.matching = undefined;
        } else if (m !== undefined && isSetOp(e.op)) {
          if (m.card === 'one-to-many' || m.card === 'many-to-one') this.err(e.pos.start, `no grouping allowed for ${JSON.stringify(e.op)} operation`);
        }
        if ((lt === 'scalar' || rt === 'scalar') && isSetOp(e.op)) {
          this.err(e.pos.start, `set operator ${JSON.stringify(e.op)} not allowed in binary scalar expression`);
        }
        break;
      }
      case 'call': {
        const f = e.func;
        const nargs = f.argTypes.length;
        if (f.variadic === 0) {
          if (nargs !== e.args.length) this.err(e.pos.start, `expected ${nargs} argument(s) in call to ${JSON.stringify(f.name)}, got ${e.args.length}`);
        } else {
          const na = nargs - 1;
          if (na > e.args.length) this.err(e.pos.start, `expected at least ${na} argument(s) in call to ${JSON.stringify(f.name)}, got ${e.args.length}`);
          else if (f.variadic > 0 && na + f.variadic < e.args.length) {
            this.err(e.pos.start, `expected at most ${na + f.variadic} argument(s) in call to ${JSON.stringify(f.name)}, got ${e.args.length}`);
          }
        }
        e.args.forEach((arg, i) => {
          let k = i;
          if (k >= nargs) {
            if (f.variadic === 0) return;
            k = nargs - 1;
          }
          const want = f.argTypes[k] as ValueType;
          const t = this.check(arg);
          if (t !== want) this.err(arg.pos.start, `expected type ${documentedType(want)} in call to function ${JSON.stringify(f.name)}, got ${documentedType(t)}`);
        });
        break;
      }
      case 'paren':
        this.check(e.expr);
        break;
      case 'unary': {
        const t = this.check(e.expr);
        if (t !== 'scalar' && t !== 'vector') {
          this.err(e.pos.start, `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(documentedType(t))}`);
        }
        break;
      }
      case 'matrixSelector':
        this.check(e.selector);
        break;
      case 'subquery': {
        // parse.go checkAST: "subquery is only allowed on instant vector, got %s instead" (the raw ValueType).
        const t = this.check(e.expr);
        if (t !== 'vector') this.err(e.pos.start, `subquery is only allowed on instant vector, got ${t} instead`);
        break;
      }
      case 'vectorSelector': {
        if (e.name !== undefined) {
          for (const m of e.matchers.slice(0, -1)) {
            if (m.name === METRIC_NAME) this.err(e.pos.start, `metric name must not be set twice: ${JSON.stringify(e.name)} or ${JSON.stringify(m.value)}`);
          }
          break;
        }
        if (!e.matchers.some((m) => !m.matches(''))) {
          this.err(e.pos.start, 'vector selector must contain at least one non-empty matcher');
        }
        break;
      }
      case 'number':
      case 'string':
        break;
    }
    return typ;
  }
}
