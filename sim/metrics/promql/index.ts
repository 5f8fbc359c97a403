// Public API of rehearse's PromQL: compile once, evaluate many times against a SeriesStore.
// Package split as in Prometheus: parser.ts (syntax + checks, like promql/parser) apart from
// evaluate.ts (the engine, like promql/engine.go).

import { compareLabels, Labels, type SeriesStore } from '../store.js';
import type { Expr, ValueType } from './ast.js';
import { documentedType, typeOf } from './ast.js';
import { PromqlError, positionOf, type SourcePos } from './errors.js';
import { DEFAULT_SUBQUERY_STEP_MS, evaluate, newContext, QueryCache, type EvalContext, type MatrixSeries } from './evaluate.js';
import { parseQuery } from './parser.js';

export { PromqlError, type PromqlErrorKind, type SourcePos } from './errors.js';
export { formatPromScalar, formatPromValue } from './format.js';
export { newLabelMatcher } from './matchers.js';

/** Prometheus' default `--query.lookback-delta` (engine.go `defaultLookbackDelta`). */
export const DEFAULT_LOOKBACK_DELTA_MS = 5 * 60 * 1000;

export interface CompileOptions {
  /** Syntax and semantics of this Prometheus major version (default 3). */
  readonly prometheusVersion?: 2 | 3;
}

export interface EvaluateOptions {
  /** Defaults to the version the query was compiled for. */
  readonly prometheusVersion?: 2 | 3;
  /** Default 5 minutes. */
  readonly lookbackDeltaMs?: number;
  /** Step of subqueries written without one (`x[5m:]`); default 1 minute, Prometheus' default evaluation_interval. */
  readonly subqueryStepMs?: number;
  /**
   * Unix time (ms) of virtual time 0 (default 0: virtual time is Unix time). Evaluation and sample
   * times stay virtual; what shows or reads absolute time uses it: `time()`, `timestamp()`,
   * `@ <unix seconds>`, the date functions (`hour()`, `day_of_week()`, ...) and the absolute step
   * grid of subqueries.
   */
  readonly epochMs?: number;
}

/** Prometheus' limit on range query points (web/api/v1/api.go `queryRange`). */
export const MAX_RANGE_POINTS = 11_000;

/** A parsed, checked query. Reuse it: it also caches selector results per store. */
export interface CompiledQuery {
  readonly text: string;
  readonly prometheusVersion: 2 | 3;
  /** Result type of the whole query. */
  readonly resultType: ValueType;
  readonly expr: Expr;
  /** The query's vector selectors, in query order, with their text and position. */
  readonly selectors: readonly { readonly text: string; readonly position: SourcePos }[];
  /** @internal */
  readonly cache: QueryCache;
}

export interface ResultSample {
  readonly labels: Record<string, string>;
  readonly value: number;
}

export interface ResultSeries {
  readonly labels: Record<string, string>;
  /** Sample times (ms) and values, oldest first. */
  readonly points: readonly { readonly t: number; readonly value: number }[];
}

export interface UnmatchedSelector {
  readonly text: string;
  readonly position: SourcePos;
}

interface ResultNotes {
  /** Annotations Prometheus would return as `warnings`. */
  readonly warnings: readonly string[];
  /** Annotations Prometheus 3 would return as `infos`. */
  readonly infos: readonly string[];
  /**
   * Selectors that matched no series at all in the store (rehearse's own report: a query on a
   * metric or label the simulated app does not emit is a common cause of failed analyses).
   */
  readonly unmatchedSelectors: readonly UnmatchedSelector[];
}

export type QueryResult = ResultNotes &
  (
    | { readonly resultType: 'vector'; readonly samples: readonly ResultSample[] }
    | { readonly resultType: 'scalar'; readonly value: number }
    | { readonly resultType: 'matrix'; readonly series: readonly ResultSeries[] }
    | { readonly resultType: 'string'; readonly value: string }
  );

/** Parses and checks `text`; throws PromqlError (`kind` 'parse' or 'unsupported') with `.position`. */
export function compileQuery(text: string, opts: CompileOptions = {}): CompiledQuery {
  const parsed = parseQuery(text, opts);
  return {
    text,
    prometheusVersion: parsed.prometheusVersion,
    resultType: typeOf(parsed.expr),
    expr: parsed.expr,
    selectors: parsed.selectors.map((s) => ({ text: s.text, position: positionOf(text, s.pos.start) })),
    cache: new QueryCache(),
  };
}

/** Evaluates an instant query at `timeMs`; throws PromqlError (`kind` 'execution') on runtime errors. */
export function evaluateInstant(
  q: CompiledQuery,
  store: SeriesStore,
  timeMs: number,
  opts: EvaluateOptions = {},
): QueryResult {
  const version = opts.prometheusVersion ?? q.prometheusVersion;
  const ctx = newContext(
    store,
    timeMs,
    opts.lookbackDeltaMs ?? DEFAULT_LOOKBACK_DELTA_MS,
    version,
    q.cache,
    undefined,
    opts.subqueryStepMs ?? DEFAULT_SUBQUERY_STEP_MS,
    opts.epochMs ?? 0,
    q.expr,
  );
  const v = evaluate(q.expr, ctx);
  const notes = notesOf(q, ctx);
  switch (v.type) {
    case 'scalar':
      return { ...notes, resultType: 'scalar', value: v.value };
    case 'string':
      return { ...notes, resultType: 'string', value: v.value };
    case 'vector':
      return { ...notes, resultType: 'vector', samples: v.samples.map((s) => ({ labels: s.labels.toRecord(), value: s.value })) };
    case 'matrix':
      return {
        ...notes,
        resultType: 'matrix',
        series: v.series.map((s: MatrixSeries) => ({
          labels: s.labels.toRecord(),
          points: s.t.map((t, i) => ({ t, value: s.v[i] as number })),
        })),
      };
  }
}

function notesOf(q: CompiledQuery, ctx: EvalContext): ResultNotes {
  const unmatchedSelectors = [...ctx.unmatched]
    .sort((a, b) => a.pos.start - b.pos.start)
    .map((s) => ({ text: s.text, position: positionOf(q.text, s.pos.start) }));
  return { warnings: [], infos: [...new Set(ctx.infos)], unmatchedSelectors };
}

export type RangeResult = ResultNotes & {
  readonly resultType: 'matrix';
  /** Sorted by label set (engine.go `exec`: sort.Sort(mat)); points oldest first. */
  readonly series: readonly ResultSeries[];
};

/**
 * Evaluates a range query like Prometheus' `/api/v1/query_range`: at `startMs`, `startMs + stepMs`,
 * ... `<= endMs`; the result matrix is sorted by label set, a scalar query gives one series `{}`.
 * Throws PromqlError kind 'parse' without position (HTTP bad_data) for a query that is not a
 * scalar or instant vector (engine.go `NewRangeQuery`) and for the API's range checks (end before
 * start, non-positive step, more than 11,000 points), kind 'execution' for runtime errors.
 */
export function evaluateRange(
  q: CompiledQuery,
  store: SeriesStore,
  startMs: number,
  endMs: number,
  stepMs: number,
  opts: EvaluateOptions = {},
): RangeResult {
  if (q.resultType !== 'vector' && q.resultType !== 'scalar') {
    throw new PromqlError(
      'parse',
      `invalid expression type ${JSON.stringify(documentedType(q.resultType))} for range query, must be Scalar or instant Vector`,
    );
  }
  if (endMs < startMs) throw new PromqlError('parse', 'end timestamp must not be before start time');
  if (!(stepMs > 0)) {
    throw new PromqlError('parse', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
  }
  if (Math.trunc((endMs - startMs) / stepMs) > MAX_RANGE_POINTS) {
    throw new PromqlError(
      'parse',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
  }
  const version = opts.prometheusVersion ?? q.prometheusVersion;
  const base = newContext(
    store,
    startMs,
    opts.lookbackDeltaMs ?? DEFAULT_LOOKBACK_DELTA_MS,
    version,
    q.cache,
    { startMs, endMs },
    opts.subqueryStepMs ?? DEFAULT_SUBQUERY_STEP_MS,
    opts.epochMs ?? 0,
    q.expr,
  );
  const byKey = new Map<string, { labels: Labels; points: { t: number; value: number }[] }>();
  const add = (labels: Labels, t: number, value: number): void => {
    let s = byKey.get(labels.key);
    if (s === undefined) {
      s = { labels, points: [] };
      byKey.set(labels.key, s);
    }
    s.points.push({ t, value });
  };
  for (let t = startMs; t <= endMs; t += stepMs) {
    const v = evaluate(q.expr, t === startMs ? base : { ...base, t });
    if (v.type === 'scalar') add(Labels.EMPTY, t, v.value);
    else if (v.type === 'vector') for (const s of v.samples) add(s.labels, t, s.value);
  }
  const series = [...byKey.values()]
    .sort((a, b) => compareLabels(a.labels, b.labels))
    .map((s) => ({ labels: s.labels.toRecord(), points: s.points }));
  return { ...notesOf(q, base), resultType: 'matrix', series };
}
