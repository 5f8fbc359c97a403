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
import { parseError, parseErrorWithoutQuery, PromqlError, unsupported } from './errors.js';
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

/** Binary operator precedence levels of generated_parser.y (higher binds tighter). */
const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  Or: 1,
  And: 2,
  Unless: 2,
  Eql: 3,
  Neq: 3,
  Gtr: 3,
  Lss: 3,
  Gte: 3,
  Lte: 3,
  TrimUpper: 3,
  TrimLower: 3,
  Add: 4,
  Sub: 4,
  Mul: 5,
  Div: 5,
  Mod: 5,
  Atan2: 5,
  Pow: 6,
};

/** `unary_expr: unary_op expr %prec MUL`. */
const UNARY_PRECEDENCE = 5;

/** A token (or operand) of the flattened operator structure (Builder.build). */
type Piece =
  | { readonly t: 'operand'; readonly node: SyntaxNode }
  | { readonly t: 'number'; readonly node: SyntaxNode; readonly from: number }
  | { readonly t: 'prefix'; readonly op: '-' | '+'; readonly from: number }
  | { readonly t: 'postfix'; readonly node: SyntaxNode }
  | { readonly t: 'binop'; readonly op: SyntaxNode; readonly modifiers: readonly SyntaxNode[] };

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

  if (text === '' && version === 3) throw parseErrorWithoutQuery('no expression found in input');
  if (isBlankQuery(text)) throw parseError(text, 0, 'no expression found in input');
  const syntaxError = firstSyntaxError(top);
  const lexError = scanLexicalError(text);
  if (syntaxError !== undefined || lexError !== undefined) {
    // `group_left (max(x))` reads `max` as a label: an error in grouping labels is never a call.
    const unknownFn = syntaxError !== undefined && syntaxError.parent?.name !== 'GroupingLabels' ? unknownFunctionAt(text, syntaxError) : undefined;
    if (lexError !== undefined && (syntaxError === undefined || lexError.offset <= syntaxError.from || unknownFn !== undefined)) {
      throw parseError(text, lexError.offset, lexError.message);
    }
    if (unknownFn !== undefined) throw unknownFunctionError(text, unknownFn, version);
    const se = syntaxError as SyntaxNode;
    throw parseError(text, tokenStart(text, se.from), describeUnexpected(text, se.from) + errorContext(text, se));
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

/**
 * The "in <context>, expected <what>" tail of the grammar's error productions that we can place
 * from the error's position in the tree: generated_parser.y grouping_label_list / grouping_label
 * (`sum by (a b)`: expected "," or ")"; after "(" or ",": expected label).
 */
function errorContext(text: string, err: SyntaxNode): string {
  if (err.parent?.name !== 'GroupingLabels') return '';
  let i = tokenStart(text, err.from) - 1;
  while (i >= 0 && /\s/.test(text[i] as string)) i--;
  const prev = text[i];
  return prev === '(' || prev === ',' ? ' in grouping opts, expected label' : ' in grouping opts, expected "," or ")"';
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

  /**
   * Builds the expression of a lezer node. The lezer grammar gives postfix modifiers (`offset`,
   * `@`, `[range]`, `[range:step]`) no precedence, so its trees can attach them to a whole
   * binary expression (`a or b > c offset 1h unless d` comes out as `((a or (b > c)) offset 1h)
   * unless d`). Only the token order of such trees is trusted: binary, unary and postfix nodes
   * are flattened back into their token sequence, which is then parsed again with the operator
   * precedences of Prometheus' yacc grammar (generated_parser.y, the `%left`/`%right`/`%nonassoc`
   * declarations; see parseSequence).
   */
  build(node: SyntaxNode): Expr {
    const pieces: Piece[] = [];
    this.flatten(node, pieces);
    const state = { pos: 0 };
    const e = this.parseSequence(pieces, state, 0);
    if (state.pos !== pieces.length) this.fail(node.to, 'unexpected end of input');
    return e;
  }

  /** In-order token sequence of the operator structure of `node` (see build). */
  private flatten(node: SyntaxNode, out: Piece[]): void {
    switch (node.name) {
      case 'BinaryExpr': {
        const kids = children(node).filter((c) => c.name !== 'LineComment');
        const lhs = kids[0];
        const rhs = kids[kids.length - 1];
        const op = kids[1];
        if (lhs === undefined || rhs === undefined || op === undefined || kids.length < 3) this.fail(node.to, 'unexpected end of input');
        this.flatten(lhs, out);
        out.push({ t: 'binop', op, modifiers: kids.slice(2, -1) });
        this.flatten(rhs, out);
        return;
      }
      case 'UnaryExpr': {
        const kids = children(node).filter((c) => c.name !== 'LineComment');
        const [opNode, operand] = kids;
        if (opNode === undefined || operand === undefined) this.fail(node.from, 'unexpected end of input');
        out.push({ t: 'prefix', op: this.src(opNode) === '-' ? '-' : '+', from: opNode.from });
        this.flatten(operand, out);
        return;
      }
      case 'NumberDurationLiteral': {
        // The grammar may lex a sign into the literal (`-2`); Prometheus' lexer never does: the
        // sign is a unary operator (generated_parser.y: unary_expr), which matters for `-2 ^ 2`
        // (= -(2 ^ 2)) and for `-0` (the literal 0 times -1 is -0).
        const text = this.src(node);
        const m = /^[+-]\s*/.exec(text);
        if (m !== null) {
          out.push({ t: 'prefix', op: text.startsWith('-') ? '-' : '+', from: node.from });
          out.push({ t: 'number', node, from: node.from + m[0].length });
        } else {
          out.push({ t: 'operand', node });
        }
        return;
      }
      case 'OffsetExpr':
      case 'StepInvariantExpr':
      case 'MatrixSelector':
      case 'SubqueryExpr':
      case 'AnchoredExpr':
      case 'SmoothedExpr': {
        const inner = children(node).find((c) => c.name !== 'LineComment');
        if (inner === undefined) this.fail(node.to, 'unexpected end of input');
        this.flatten(inner, out);
        out.push({ t: 'postfix', node });
        return;
      }
      default:
        out.push({ t: 'operand', node });
    }
  }

  /**
   * Operator-precedence parse of a flattened sequence, with the resolution yacc gives
   * Prometheus' grammar (generated_parser.y): binary operators by `%left LOR` < `LAND LUNLESS` <
   * comparisons < `ADD SUB` < `MUL DIV MOD ATAN2` < `%right POW`; a unary sign is `%prec MUL`;
   * postfix modifiers always bind to the operand right before them (`OFFSET` and `LEFT_BRACKET`
   * outrank every operator, `AT` has no precedence so yacc shifts it), applied left to right.
   */
  private parseSequence(pieces: readonly Piece[], state: { pos: number }, minPrec: number): Expr {
    let lhs = this.parseOperand(pieces, state);
    for (;;) {
      const p = pieces[state.pos];
      if (p === undefined || p.t !== 'binop') return lhs;
      const prec = BINARY_PRECEDENCE[p.op.name] ?? 0;
      if (prec < minPrec) return lhs;
      state.pos++;
      const rhs = this.parseSequence(pieces, state, p.op.name === 'Pow' ? prec : prec + 1);
      lhs = this.binary(lhs, p.op, p.modifiers, rhs);
    }
  }

  private parseOperand(pieces: readonly Piece[], state: { pos: number }): Expr {
    const p = pieces[state.pos];
    if (p === undefined) this.fail(this.text.length, 'unexpected end of input');
    state.pos++;
    if (p.t === 'prefix') {
      const operand = this.parseSequence(pieces, state, UNARY_PRECEDENCE + 1);
      return this.unary(p.op, p.from, operand);
    }
    let e: Expr;
    if (p.t === 'operand') e = this.atom(p.node);
    else if (p.t === 'number') e = { kind: 'number', value: this.number(p.node, p.from), pos: { start: p.from, end: p.node.to } };
    else this.fail(p.t === 'binop' ? p.op.from : p.node.from, 'unexpected end of input');
    for (let q = pieces[state.pos]; q !== undefined && q.t === 'postfix'; q = pieces[state.pos]) {
      state.pos++;
      e = this.postfix(e, q.node);
    }
    return e;
  }

  /** generated_parser.y unary_expr: a sign directly on a number literal is folded into it. */
  private unary(op: '-' | '+', from: number, inner: Expr): Expr {
    if (inner.kind === 'number') {
      return { kind: 'number', value: op === '-' ? inner.value * -1 : inner.value, pos: { start: from, end: inner.pos.end } };
    }
    return { kind: 'unary', op, expr: inner, pos: { start: from, end: inner.pos.end } };
  }

  private postfix(e: Expr, node: SyntaxNode): Expr {
    switch (node.name) {
      case 'OffsetExpr':
        return this.offset(e, node);
      case 'StepInvariantExpr':
        return this.atModifier(e, node);
      case 'MatrixSelector':
        return this.matrixSelector(e, node);
      case 'SubqueryExpr':
        return this.subquery(e, node);
      case 'AnchoredExpr':
        return this.refuse(node.from, 'the anchored modifier');
      default:
        return this.refuse(node.from, 'the smoothed modifier');
    }
  }

  /** An expression without operators or postfix modifiers at its top. */
  private atom(node: SyntaxNode): Expr {
    const pos = { start: node.from, end: node.to };
    switch (node.name) {
      case 'NumberDurationLiteral':
        return { kind: 'number', value: this.number(node, node.from), pos };
      case 'StringLiteral':
        return { kind: 'string', value: this.string(node), pos };
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'ParenExpr': {
        const inner = children(node).find((c) => c.name !== 'LineComment');
        if (inner === undefined) this.fail(node.to, 'unexpected end of input');
        return { kind: 'paren', expr: this.build(inner), pos };
      }
      default:
        return this.refuse(node.from, `PromQL construct ${node.name}`);
    }
  }

  /** The number literal `node`, read from `from` (after a sign split off by flatten). */
  private number(node: SyntaxNode, from: number): number {
    const raw = this.text.slice(from, node.to).replace(/^([+-])\s+/, '$1');
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

  /** `expr[range]` (generated_parser.y: matrix_selector). */
  private matrixSelector(operand: Expr, node: SyntaxNode): Expr {
    const dur = children(node).filter((c) => c.name !== 'LineComment')[1];
    if (dur === undefined) this.fail(node.to, 'unexpected end of input');
    const rangeMs = this.duration(dur, true);
    const bracket = this.text.lastIndexOf('[', dur.from);
    if (operand.kind !== 'vectorSelector') this.fail(bracket, 'ranges only allowed for vector selectors');
    if (operand.hasOffset) this.fail(bracket, 'no offset modifiers allowed before range');
    if (operand.at !== undefined) this.fail(bracket, 'no @ modifiers allowed before range');
    return { kind: 'matrixSelector', selector: operand, rangeMs, pos: { start: operand.pos.start, end: node.to } };
  }

  /** `expr offset d` (generated_parser.y: offset_expr; parse.go: addOffset). */
  private offset(operand: Expr, node: SyntaxNode): Expr {
    const durNode = children(node).find((k) => k.name === 'OffsetDurationExpr');
    if (durNode === undefined) this.fail(node.to, 'unexpected end of input');
    // `offset -5m`: OffsetDurationExpr(UnaryOp "-", OffsetDurationExpr).
    let sign = 1;
    let d = durNode;
    const dk = children(durNode);
    if (dk.length === 2 && dk[0]?.name === 'UnaryOp' && dk[1]?.name === 'OffsetDurationExpr') {
      sign = this.src(dk[0]) === '-' ? -1 : 1;
      d = dk[1];
    }
    const ms = sign * this.duration(d, false);
    let vs: VectorSelector | Subquery;
    if (operand.kind === 'vectorSelector' || operand.kind === 'subquery') vs = operand;
    else if (operand.kind === 'matrixSelector') vs = operand.selector;
    else this.fail(operand.pos.start, 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    if (vs.hasOffset) this.fail(operand.pos.start, 'offset may not be set multiple times');
    vs.offsetMs = ms;
    vs.hasOffset = true;
    operand.pos = { start: operand.pos.start, end: node.to };
    return operand;
  }

  /** `expr[range:step]` (generated_parser.y: subquery_expr). */
  private subquery(operand: Expr, node: SyntaxNode): Expr {
    const kids = children(node).filter((c) => c.name !== 'LineComment');
    const rangeNode = kids[1];
    const stepNode = kids[2];
    if (rangeNode === undefined) this.fail(node.to, 'unexpected end of input');
    const rangeMs = this.duration(rangeNode, true);
    const stepMs = stepNode === undefined ? 0 : this.duration(stepNode, true);
    return {
      kind: 'subquery',
      expr: operand,
      rangeMs,
      stepMs,
      offsetMs: 0,
      hasOffset: false,
      at: undefined,
      pos: { start: operand.pos.start, end: node.to },
    };
  }

  /** `expr @ <number>` / `@ start()` / `@ end()` (parse.go: setTimestamp, setAtModifierPreprocessor, getAtModifierVars). */
  private atModifier(operand: Expr, node: SyntaxNode): Expr {
    const kids = children(node).filter((c) => c.name !== 'LineComment');
    const atIdx = kids.findIndex((k) => k.name === 'At');
    const arg = kids[atIdx + 1];
    if (atIdx < 0 || arg === undefined) this.fail(node.to, 'unexpected end of input');
    let at: AtModifier;
    if (arg.name === 'AtModifierPreprocessors') {
      at = arg.getChild('AtStart') !== null ? { kind: 'start' } : { kind: 'end' };
    } else {
      const text = this.src(arg).replace(/^[+-]\s*/, '');
      if (looksLikeDuration(text)) {
        if (this.version === 2) this.fail(arg.from, `unexpected duration ${JSON.stringify(text)} in @, expected timestamp`);
        this.refuse(arg.from, 'a duration as @ timestamp');
      }
      const ts = this.number(arg, arg.from);
      if (!Number.isFinite(ts) || ts >= 2 ** 63 || ts <= -(2 ** 63)) {
        this.fail(operand.pos.start, `timestamp out of bounds for @ modifier: ${goPercentF(ts)}`);
      }
      at = { kind: 'time', ms: goRound(ts * 1000) };
    }
    let target: VectorSelector | Subquery;
    if (operand.kind === 'vectorSelector' || operand.kind === 'subquery') target = operand;
    else if (operand.kind === 'matrixSelector') target = operand.selector;
    else this.fail(operand.pos.start, '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery');
    if (target.at !== undefined) this.fail(operand.pos.start, '@ <timestamp> may not be set multiple times');
    target.at = at;
    operand.pos = { start: operand.pos.start, end: node.to };
    return operand;
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

  /** generated_parser.y binary_expr / bin_modifier: `lhs <op> [bool] [on|ignoring(...) [group_x(...)]] rhs`. */
  private binary(lhs: Expr, opNode: SyntaxNode, modifiers: readonly SyntaxNode[], rhs: Expr): Expr {
    const op = BINARY_OPS[opNode.name];
    if (op === undefined) this.refuse(opNode.from, `binary operator ${JSON.stringify(this.src(opNode))}`);
    let returnBool = false;
    let matching: VectorMatching = { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
    for (const c of modifiers) {
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
    return {
      kind: 'binary',
      op,
      lhs,
      rhs,
      returnBool,
      matching,
      pos: { start: lhs.pos.start, end: rhs.pos.end },
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
          // parse.go checkAST: only a non-empty label list is an error (`1 / on() x` is fine).
          if (m.matchingLabels.length > 0) this.err(e.pos.start, 'vector matching only allowed between instant vectors');
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
