// Our typed PromQL AST, independent of the lezer tree it is built from. Shapes follow
// Prometheus' `promql/parser/ast.go` (VectorSelector, MatrixSelector, Call, AggregateExpr,
// BinaryExpr with VectorMatching, UnaryExpr, ParenExpr, literals). Positions are UTF-16 offsets
// into the query text, `[start, end)`.

import type { SeriesMatcher } from '../store.js';
import type { FunctionDef } from './functions.js';

/** Prometheus' value types (`parser/value.go`); `DocumentedType` names are in `documentedType`. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export function documentedType(t: ValueType): string {
  switch (t) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return t;
  }
}

export interface PosRange {
  readonly start: number;
  readonly end: number;
}

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher extends SeriesMatcher {
  readonly type: MatchType;
  readonly value: string;
}

export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
  readonly pos: PosRange;
}

export interface StringLiteral {
  readonly kind: 'string';
  readonly value: string;
  readonly pos: PosRange;
}

export interface VectorSelector {
  readonly kind: 'vectorSelector';
  /** Metric name written before the braces, if any. */
  readonly name: string | undefined;
  /** All matchers, including the one for a name written before the braces. */
  readonly matchers: readonly LabelMatcher[];
  /** Offset in ms (may be negative). */
  offsetMs: number;
  /** Whether an `offset` modifier was written (to reject a second one). */
  hasOffset: boolean;
  /** The `@` modifier, if any (engine.go resolves `start()`/`end()` to the query range). */
  at: AtModifier | undefined;
  /** Index among the query's selectors (for per-query caches and "matched no series" reports). */
  readonly selectorIndex: number;
  /** Query text of the selector, for reports. */
  readonly text: string;
  pos: PosRange;
}

export interface MatrixSelector {
  readonly kind: 'matrixSelector';
  readonly selector: VectorSelector;
  readonly rangeMs: number;
  pos: PosRange;
}

/** `@ <unix seconds>` (kept in ms, `timestamp.FromFloatSeconds`), `@ start()` or `@ end()`. */
export type AtModifier = { readonly kind: 'time'; readonly ms: number } | { readonly kind: 'start' } | { readonly kind: 'end' };

/** `expr[range:step]` (parser.SubqueryExpr); `stepMs` 0 = the default subquery step. */
export interface Subquery {
  readonly kind: 'subquery';
  readonly expr: Expr;
  readonly rangeMs: number;
  readonly stepMs: number;
  offsetMs: number;
  hasOffset: boolean;
  at: AtModifier | undefined;
  pos: PosRange;
}

export interface Call {
  readonly kind: 'call';
  readonly func: FunctionDef;
  readonly args: readonly Expr[];
  readonly pos: PosRange;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';

export interface Aggregate {
  readonly kind: 'aggregate';
  readonly op: AggregateOp;
  readonly expr: Expr;
  readonly param: Expr | undefined;
  readonly grouping: readonly string[];
  readonly without: boolean;
  /** True when a `by`/`without` clause was written (even if empty). */
  readonly hasGrouping: boolean;
  readonly pos: PosRange;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export function isComparison(op: BinaryOp): op is ComparisonOp {
  return op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=';
}

export function isSetOp(op: BinaryOp): op is SetOp {
  return op === 'and' || op === 'or' || op === 'unless';
}

export type Cardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

/** `parser.VectorMatching`. */
export interface VectorMatching {
  card: Cardinality;
  /** Labels of `on(...)` / `ignoring(...)`. */
  readonly matchingLabels: readonly string[];
  /** True for `on`, false for `ignoring` (or no clause). */
  readonly on: boolean;
  /** Labels of `group_left(...)` / `group_right(...)`. */
  readonly include: readonly string[];
}

export interface Binary {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  readonly returnBool: boolean;
  /** Undefined unless both sides are instant vectors. */
  matching: VectorMatching | undefined;
  readonly pos: PosRange;
  /** Position of the operator (for error messages). */
  readonly opPos: PosRange;
}

export interface Unary {
  readonly kind: 'unary';
  readonly op: '-' | '+';
  readonly expr: Expr;
  readonly pos: PosRange;
}

export interface Paren {
  readonly kind: 'paren';
  readonly expr: Expr;
  readonly pos: PosRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Call
  | Aggregate
  | Binary
  | Unary
  | Paren
  | Subquery;

/** `Expr.Type()` in Prometheus' ast.go. */
export function typeOf(e: Expr): ValueType {
  switch (e.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vectorSelector':
      return 'vector';
    case 'matrixSelector':
    case 'subquery':
      return 'matrix';
    case 'call':
      return e.func.returnType;
    case 'aggregate':
      return 'vector';
    case 'binary':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return typeOf(e.expr);
  }
}
