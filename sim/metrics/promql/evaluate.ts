// The PromQL engine for instant queries, against our SeriesStore. Follows Prometheus'
// `promql/engine.go` (v2.42.0 and v3.14.0) for selection, staleness, vector matching and
// aggregation, and `promql/functions.go` / `promql/quantile.go` for the functions. Where the
// two versions differ (reference table 1.16 rows 1-7 and 9), `version` picks the behaviour.
// Float results are bit-identical to Go's as long as Go's operation order is kept, which the
// code below does deliberately (see the comments citing the Go functions).

import { RE2JS } from 're2js';
import { almostEqual } from './almost.js';
import {
  Labels,
  METRIC_NAME,
  SampleBuffer,
  type SeriesHandle,
  type SeriesStore,
} from '../store.js';
import {
  isComparison,
  type Aggregate,
  type AtModifier,
  type Subquery,
  type Binary,
  type BinaryOp,
  type Call,
  type Expr,
  type LabelMatcher,
  type MatrixSelector,
  type VectorMatching,
  type VectorSelector,
} from './ast.js';
import { executionError, PromqlError } from './errors.js';
import { formatPromScalar, formatPromValue } from './format.js';

export interface Sample {
  readonly labels: Labels;
  readonly value: number;
}

export interface MatrixSeries {
  readonly labels: Labels;
  readonly t: readonly number[];
  readonly v: readonly number[];
}

export type Value =
  | { readonly type: 'scalar'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'vector'; readonly samples: Sample[] }
  | { readonly type: 'matrix'; readonly series: MatrixSeries[] };

interface SelectorCacheEntry {
  store: SeriesStore;
  generation: number;
  handles: SeriesHandle[];
}

/** Per-query state kept between evaluations (selector results per store generation). */
export class QueryCache {
  readonly selectors: (SelectorCacheEntry | undefined)[] = [];
}

export interface EvalContext {
  readonly store: SeriesStore;
  /** Evaluation time, ms. */
  readonly t: number;
  readonly lookbackMs: number;
  readonly version: 2 | 3;
  readonly cache: QueryCache;
  readonly buf: SampleBuffer;
  /** Selectors that matched no series at all. */
  readonly unmatched: Set<VectorSelector>;
  readonly infos: string[];
  /** The query's range (ms) for `@ start()` / `@ end()`; both equal `t` for instant queries. */
  readonly startMs: number;
  readonly endMs: number;
  /** Step of a subquery written without one (Prometheus: the global evaluation_interval, default 1m). */
  readonly subqueryStepMs: number;
  /**
   * Unix ms of virtual time 0. Evaluation and sample times are virtual ms; everything that shows
   * or reads absolute time (time(), timestamp(), `@ <t>`, the date functions, the absolute grid
   * of subquery steps) adds this.
   */
  readonly epochMs: number;
  /** The whole query (for Prometheus 3's storage-dependent matcher order, see absentLabels). */
  readonly root: Expr | undefined;
}

/** Default step of subqueries without one: Prometheus' default `global.evaluation_interval` (1m). */
export const DEFAULT_SUBQUERY_STEP_MS = 60_000;

const scratch = new SampleBuffer(256);

export function newContext(
  store: SeriesStore,
  t: number,
  lookbackMs: number,
  version: 2 | 3,
  cache: QueryCache,
  range?: { readonly startMs: number; readonly endMs: number },
  subqueryStepMs: number = DEFAULT_SUBQUERY_STEP_MS,
  epochMs = 0,
  root?: Expr,
): EvalContext {
  return {
    store,
    t,
    lookbackMs,
    version,
    cache,
    buf: scratch,
    unmatched: new Set(),
    infos: [],
    startMs: range?.startMs ?? t,
    endMs: range?.endMs ?? t,
    subqueryStepMs,
    epochMs,
    root,
  };
}

export function evaluate(e: Expr, ctx: EvalContext): Value {
  switch (e.kind) {
    case 'number':
      return { type: 'scalar', value: e.value };
    case 'string':
      return { type: 'string', value: e.value };
    case 'paren':
      return evaluate(e.expr, ctx);
    case 'vectorSelector':
      return { type: 'vector', samples: evalVectorSelector(e, ctx) };
    case 'matrixSelector':
      return { type: 'matrix', series: evalMatrixSelector(e, ctx) };
    case 'unary': {
      const v = evaluate(e.expr, ctx);
      if (e.op === '+') return v;
      if (v.type === 'scalar') return { type: 'scalar', value: -v.value };
      if (v.type === 'vector') {
        // engine.go (UnaryExpr): negate and drop the metric name; series that become equal are an
        // error ("vector cannot contain metrics with the same labelset": 2.42 ContainsSameLabelset,
        // 3.x mergeSeriesWithSameLabelset at one instant). Found by test/differential/promql.
        return { type: 'vector', samples: checkUnique(v.samples.map((s) => ({ labels: dropName(s.labels), value: -s.value }))) };
      }
      throw executionError(`unexpected operand of unary minus: ${v.type}`);
    }
    case 'call':
      return evalCall(e, ctx);
    case 'aggregate':
      return { type: 'vector', samples: checkUnique(evalAggregate(e, ctx)) };
    case 'binary':
      return evalBinary(e, ctx);
    case 'subquery':
      return { type: 'matrix', series: evalSubquery(e, ctx) };
  }
}

/**
 * The time a selector or subquery reads at: the `@` time if any (engine.go: setOffsetForAtModifier
 * turns `@` into an offset from the evaluation time; `start()`/`end()` are the query's range,
 * PreprocessExpr), minus its offset.
 */
function refTime(at: AtModifier | undefined, offsetMs: number, ctx: EvalContext): number {
  return atBase(at, ctx) - offsetMs;
}

/** The evaluation time a selector or subquery sees: its `@` time (Unix ms, made virtual) or ctx.t. */
function atBase(at: AtModifier | undefined, ctx: EvalContext): number {
  return at === undefined ? ctx.t : at.kind === 'time' ? at.ms - ctx.epochMs : at.kind === 'start' ? ctx.startMs : ctx.endMs;
}

/**
 * A subquery `expr[range:step]` at the evaluation time: the inner expression evaluated at every
 * multiple of the step in the window (engine.go v2.42 `eval` case SubqueryExpr: first aligned time
 * >= ref - range, i.e. a closed window; v3.x `runSubquery`: > ref - range, left-open), Go's
 * truncating integer division kept for the alignment. Evaluating at each outer step separately
 * gives the same points as Prometheus' single evaluation over a range query, since the inner
 * steps are on the same absolute grid.
 */
function evalSubquery(sq: Subquery, ctx: EvalContext): MatrixSeries[] {
  const ref = refTime(sq.at, sq.offsetMs, ctx);
  const interval = sq.stepMs > 0 ? sq.stepMs : ctx.subqueryStepMs;
  // The step grid is absolute: multiples of the step in Unix ms.
  const lo = ref - sq.rangeMs + ctx.epochMs;
  let start = interval * Math.trunc(lo / interval);
  if (ctx.version === 2 ? start < lo : start <= lo) start += interval;
  start -= ctx.epochMs;
  const byKey = new Map<string, { labels: Labels; t: number[]; v: number[] }>();
  for (let ts = start; ts <= ref; ts += interval) {
    const v = evaluate(sq.expr, { ...ctx, t: ts });
    if (v.type !== 'vector') throw executionError(`subquery is only allowed on instant vector, got ${v.type} instead`);
    for (const s of v.samples) {
      const k = s.labels.key;
      let ser = byKey.get(k);
      if (ser === undefined) {
        ser = { labels: s.labels, t: [], v: [] };
        byKey.set(k, ser);
      }
      ser.t.push(ts);
      ser.v.push(s.value);
    }
  }
  return [...byKey.values()];
}

// ---------------------------------------------------------------------------------------------
// Selectors

const withoutNameCache = new WeakMap<Labels, Labels>();

/** Labels without `__name__`, cached per label set (selectors return the same Labels objects). */
export function dropName(l: Labels): Labels {
  let r = withoutNameCache.get(l);
  if (r === undefined) {
    r = l.withoutName();
    withoutNameCache.set(l, r);
  }
  return r;
}

function selectSeries(vs: VectorSelector, ctx: EvalContext): SeriesHandle[] {
  const cached = ctx.cache.selectors[vs.selectorIndex];
  let handles: SeriesHandle[];
  if (cached !== undefined && cached.store === ctx.store && cached.generation === ctx.store.generation) {
    handles = cached.handles;
  } else {
    handles = ctx.store.select(vs.matchers);
    ctx.cache.selectors[vs.selectorIndex] = { store: ctx.store, generation: ctx.store.generation, handles };
  }
  if (handles.length === 0) ctx.unmatched.add(vs);
  return handles;
}

/**
 * engine.go `vectorSelectorSingle`: the newest sample at or before `t - offset`, if not stale and
 * within the lookback window (closed `[ref-δ, ref]` in 2.42, left-open `(ref-δ, ref]` in 3.x).
 */
function evalVectorSelector(vs: VectorSelector, ctx: EvalContext, sampleTimes?: number[]): Sample[] {
  const handles = selectSeries(vs, ctx);
  const ref = refTime(vs.at, vs.offsetMs, ctx);
  const out: Sample[] = [];
  const buf = ctx.buf;
  const leftOpen = ctx.version === 3;
  for (const h of handles) {
    if (h.latest(ref, ctx.lookbackMs, leftOpen, buf)) {
      out.push({ labels: h.labels, value: buf.v[0] as number });
      if (sampleTimes !== undefined) sampleTimes.push(buf.t[0] as number);
    }
  }
  return out;
}

/** engine.go `matrixIterSlice`: window `[ref-range, ref]` (2.42) or `(ref-range, ref]` (3.x), stale markers dropped. */
function evalMatrixSelector(ms: MatrixSelector, ctx: EvalContext): MatrixSeries[] {
  const vs = ms.selector;
  const handles = selectSeries(vs, ctx);
  const ref = refTime(vs.at, vs.offsetMs, ctx);
  const out: MatrixSeries[] = [];
  const buf = ctx.buf;
  for (const h of handles) {
    const n = h.readRange(ref - ms.rangeMs, ref, ctx.version === 3, buf);
    if (n === 0) continue;
    out.push({ labels: h.labels, t: Array.from(buf.t.subarray(0, n)), v: Array.from(buf.v.subarray(0, n)) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Functions

/** Go `time.Duration.Seconds()` of a duration given in ms. */
function durationSeconds(ms: number): number {
  const sec = Math.trunc(ms / 1000);
  const nsec = (ms - sec * 1000) * 1e6;
  return sec + nsec / 1e9;
}

/** A function over one series' window; `param` is quantile_over_time's q. Undefined = no output. */
type RangeFn = (
  buf: SampleBuffer,
  rangeStart: number,
  rangeEnd: number,
  rangeMs: number,
  version: 2 | 3,
  param: number,
  /** The evaluation time (virtual ms), regardless of offset and `@` (`enh.Ts`). */
  evalT: number,
) => number | undefined;

/** v2.42 functions.go `kahanSumInc` (Kahan-Neumaier step, no overflow case). */
function kahanInc2(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** The Kahan step of the version: 2.42 `kahanSumInc`, 3.x `util/kahansum.Inc`. */
function kahanFor(version: 2 | 3): (inc: number, sum: number, c: number) => [number, number] {
  return version === 2 ? kahanInc2 : kahanInc;
}

/** functions.go `funcSumOverTime`: compensated sum (the compensation dropped when the sum is infinite). */
function sumOverTime(buf: SampleBuffer, version: 2 | 3): number {
  const inc = kahanFor(version);
  let sum = 0;
  let c = 0;
  for (let i = 0; i < buf.n; i++) [sum, c] = inc(buf.v[i] as number, sum, c);
  return isInf(sum) ? sum : sum + c;
}

/**
 * functions.go `funcAvgOverTime`. 2.42: compensated incremental mean that keeps an infinite mean;
 * 3.x: compensated sum divided at the end, switching to an incremental mean on overflow.
 */
function avgOverTime(buf: SampleBuffer, version: 2 | 3): number {
  const n = buf.n;
  const vs = buf.v;
  if (version === 2) {
    let mean = 0;
    let count = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      const v = vs[i] as number;
      count++;
      if (isInf(mean)) {
        if (isInf(v) && mean > 0 === v > 0) continue;
        if (!isInf(v) && !Number.isNaN(v)) continue;
      }
      [mean, c] = kahanInc2(v / count - mean / count, mean, c);
    }
    return isInf(mean) ? mean : mean + c;
  }
  let sum = vs[0] as number;
  let count = 1;
  let mean = 0;
  let kahanC = 0;
  let incrementalMean = false;
  for (let i = 1; i < n; i++) {
    const f = vs[i] as number;
    count = i + 1;
    if (!incrementalMean) {
      const [newSum, newC] = kahanInc(f, sum, kahanC);
      if (!isInf(newSum)) {
        sum = newSum;
        kahanC = newC;
        continue;
      }
      incrementalMean = true;
      mean = sum / (count - 1);
      kahanC /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, kahanC] = kahanInc(f / count, q * mean, q * kahanC);
  }
  if (incrementalMean) return mean + kahanC;
  return sum / count + kahanC / count;
}

/** functions.go `funcStdvarOverTime` / `varianceOverTime`: Welford with compensated mean and sum of squares. */
function varianceOverTime(buf: SampleBuffer, version: 2 | 3): number {
  const inc = kahanFor(version);
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = 0; i < buf.n; i++) {
    const v = buf.v[i] as number;
    count++;
    const delta = v - (mean + cMean);
    [mean, cMean] = inc(delta / count, mean, cMean);
    [aux, cAux] = inc(delta * (v - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

/** functions.go `linearRegression` (Kahan-compensated sums, x in seconds from `interceptTime`). */
function linearRegression(buf: SampleBuffer, interceptTime: number, version: 2 | 3): [number, number] {
  const inc = kahanFor(version);
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = buf.v[0] as number;
  let constY = true;
  for (let i = 0; i < buf.n; i++) {
    const v = buf.v[i] as number;
    if (constY && i > 0 && v !== initY) constY = false;
    n += 1;
    const x = ((buf.t[i] as number) - interceptTime) / 1e3;
    [sumX, cX] = inc(x, sumX, cX);
    [sumY, cY] = inc(v, sumY, cY);
    [sumXY, cXY] = inc(x * v, sumXY, cXY);
    [sumX2, cX2] = inc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (isInf(initY)) return [Number.NaN, Number.NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

/** Ascending with NaN first: the order `sort.Sort(vectorByValueHeap)` gives values (quantile.go `quantile`). */
function compareValuesNaNFirst(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** quantile.go `quantile` (used by `quantile` and `quantile_over_time`); sorts `values` in place. */
export function goQuantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  values.sort(compareValuesNaNFirst);
  const n = values.length;
  const rank = q * (n - 1);
  const lowerIndex = Math.max(0, Math.floor(rank));
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - Math.floor(rank);
  return (values[lowerIndex] as number) * (1 - weight) + (values[upperIndex] as number) * weight;
}

/**
 * functions.go `extrapolatedRate` (rate, increase, delta). 2.42 clamps the extrapolation to the
 * counter's zero point before the 1.1x-average threshold test; 3.x (since 2.51) applies the
 * threshold first and the zero clamp may only shorten (reference 1.6 and table 1.16 row 4).
 */
function extrapolatedRate(isCounter: boolean, isRate: boolean): RangeFn {
  return (buf, rangeStart, rangeEnd, rangeMs, version) => {
    const n = buf.n;
    if (n < 2) return undefined;
    const ts = buf.t;
    const vs = buf.v;
    const first = vs[0] as number;
    const last = vs[n - 1] as number;
    let result = last - first;
    if (isCounter) {
      let prev = first;
      for (let i = 1; i < n; i++) {
        const cur = vs[i] as number;
        if (cur < prev) result += prev;
        prev = cur;
      }
    }
    const firstT = ts[0] as number;
    const lastT = ts[n - 1] as number;
    let durationToStart = (firstT - rangeStart) / 1000;
    let durationToEnd = (rangeEnd - lastT) / 1000;
    const sampledInterval = (lastT - firstT) / 1000;
    const averageDurationBetweenSamples = sampledInterval / (n - 1);
    const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    let factor: number;
    if (version === 2) {
      if (isCounter && result > 0 && first >= 0) {
        const durationToZero = sampledInterval * (first / result);
        if (durationToZero < durationToStart) durationToStart = durationToZero;
      }
      let extrapolateToInterval = sampledInterval;
      extrapolateToInterval += durationToStart < extrapolationThreshold ? durationToStart : averageDurationBetweenSamples / 2;
      extrapolateToInterval += durationToEnd < extrapolationThreshold ? durationToEnd : averageDurationBetweenSamples / 2;
      factor = extrapolateToInterval / sampledInterval;
    } else {
      if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
      if (isCounter) {
        let durationToZero = durationToStart;
        if (result > 0 && first >= 0) durationToZero = sampledInterval * (first / result);
        if (durationToZero < durationToStart) durationToStart = durationToZero;
      }
      if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
      factor = 1.0;
      if (sampledInterval !== 0) factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    }
    if (isRate) factor /= durationSeconds(rangeMs);
    return result * factor;
  };
}

/** functions.go `instantValue` (irate, idelta): the last two samples only. */
function instantValue(isRate: boolean): RangeFn {
  return (buf) => {
    const n = buf.n;
    if (n < 2) return undefined;
    const last = buf.v[n - 1] as number;
    const prev = buf.v[n - 2] as number;
    const interval = (buf.t[n - 1] as number) - (buf.t[n - 2] as number);
    if (interval === 0) return undefined;
    let result: number;
    if (isRate && last < prev) result = last; // counter reset
    else result = last - prev;
    if (isRate) result /= interval / 1000;
    return result;
  };
}

const RANGE_FUNCTIONS: Readonly<Record<string, RangeFn>> = {
  rate: extrapolatedRate(true, true),
  increase: extrapolatedRate(true, false),
  delta: extrapolatedRate(false, false),
  irate: instantValue(true),
  idelta: instantValue(false),
  count_over_time: (buf) => buf.n,
  last_over_time: (buf) => buf.v[buf.n - 1],
  // functions.go funcMaxOverTime/funcMinOverTime: NaN is replaced by any later non-NaN value.
  max_over_time: (buf) => {
    let m = buf.v[0] as number;
    for (let i = 1; i < buf.n; i++) {
      const v = buf.v[i] as number;
      if (v > m || Number.isNaN(m)) m = v;
    }
    return m;
  },
  min_over_time: (buf) => {
    let m = buf.v[0] as number;
    for (let i = 1; i < buf.n; i++) {
      const v = buf.v[i] as number;
      if (v < m || Number.isNaN(m)) m = v;
    }
    return m;
  },
  sum_over_time: (buf, _s, _e, _r, version) => sumOverTime(buf, version),
  avg_over_time: (buf, _s, _e, _r, version) => avgOverTime(buf, version),
  stdvar_over_time: (buf, _s, _e, _r, version) => varianceOverTime(buf, version),
  stddev_over_time: (buf, _s, _e, _r, version) => Math.sqrt(varianceOverTime(buf, version)),
  quantile_over_time: (buf, _s, _e, _r, _v, q) => goQuantile(q, Array.from(buf.v.subarray(0, buf.n))),
  present_over_time: () => 1,
  // functions.go funcChanges: NaN to NaN is no change.
  changes: (buf) => {
    let changes = 0;
    let prev = buf.v[0] as number;
    for (let i = 1; i < buf.n; i++) {
      const cur = buf.v[i] as number;
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
      prev = cur;
    }
    return changes;
  },
  // functions.go funcResets: any decrease.
  resets: (buf) => {
    let resets = 0;
    let prev = buf.v[0] as number;
    for (let i = 1; i < buf.n; i++) {
      const cur = buf.v[i] as number;
      if (cur < prev) resets++;
      prev = cur;
    }
    return resets;
  },
  // functions.go funcDeriv: least-squares slope, x relative to the first sample; needs 2 samples.
  deriv: (buf, _s, _e, _r, version) => (buf.n < 2 ? undefined : linearRegression(buf, buf.t[0] as number, version)[0]),
  // functions.go funcPredictLinear: regression with the intercept at the evaluation time (not the
  // offset one), extrapolated by `param` seconds.
  predict_linear: (buf, _s, _e, _r, version, param, evalT) => {
    if (buf.n < 2) return undefined;
    const [slope, intercept] = linearRegression(buf, evalT, version);
    return slope * param + intercept;
  },
  // functions.go (3.x) funcFirstOverTime: the oldest sample of the window.
  first_over_time: (buf) => buf.v[0],
};

type InstantFn = (args: Value[], call: Call, ctx: EvalContext) => Value;

function vectorArg(v: Value | undefined): Sample[] {
  if (v === undefined || v.type !== 'vector') throw executionError('expected an instant vector argument');
  return v.samples;
}

function scalarArg(v: Value | undefined): number {
  if (v === undefined || v.type !== 'scalar') throw executionError('expected a scalar argument');
  return v.value;
}

function mapSamples(args: Value[], f: (v: number) => number): Value {
  return { type: 'vector', samples: vectorArg(args[0]).map((s) => ({ labels: dropName(s.labels), value: f(s.value) })) };
}

/** Go `strconv.ParseFloat` for `le` label values (decimal, exponent, Inf/Infinity/NaN; no hex floats). */
function parseGoFloat(s: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(s)) return Number.NaN;
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return Number(s);
  return undefined;
}

interface Bucket {
  upperBound: number;
  count: number;
}

/**
 * quantile.go `bucketQuantile` (2.42) / `BucketQuantile` (3.x). 3.x first treats count
 * differences within relative 1e-12 between neighbours as equal (`ensureMonotonicAndIgnoreSmallDeltas`).
 */
function bucketQuantile(q: number, buckets: Bucket[], version: 2 | 3): { value: number; forcedMonotonic: boolean } {
  let forcedMonotonic = false;
  if (Number.isNaN(q)) return { value: Number.NaN, forcedMonotonic };
  if (q < 0) return { value: -Infinity, forcedMonotonic };
  if (q > 1) return { value: Infinity, forcedMonotonic };
  buckets.sort((a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
  if ((buckets[buckets.length - 1] as Bucket).upperBound !== Infinity) return { value: Number.NaN, forcedMonotonic };
  // coalesceBuckets: merge equal upper bounds.
  const bs: Bucket[] = [];
  for (const b of buckets) {
    const last = bs[bs.length - 1];
    if (last !== undefined && last.upperBound === b.upperBound) last.count += b.count;
    else bs.push({ upperBound: b.upperBound, count: b.count });
  }
  if (version === 2) {
    // ensureMonotonic
    let max = (bs[0] as Bucket).count;
    for (let i = 1; i < bs.length; i++) {
      const b = bs[i] as Bucket;
      if (b.count > max) max = b.count;
      else if (b.count < max) {
        b.count = max;
        forcedMonotonic = true;
      }
    }
  } else {
    let prev = (bs[0] as Bucket).count;
    for (let i = 1; i < bs.length; i++) {
      const b = bs[i] as Bucket;
      const curr = b.count;
      if (curr === prev) continue;
      if (almostEqual(prev, curr, 1e-12)) {
        b.count = prev;
        continue;
      }
      if (curr < prev) {
        b.count = prev;
        forcedMonotonic = true;
        continue;
      }
      prev = curr;
    }
  }
  if (bs.length < 2) return { value: Number.NaN, forcedMonotonic };
  const observations = (bs[bs.length - 1] as Bucket).count;
  if (observations === 0) return { value: Number.NaN, forcedMonotonic };
  let rank = q * observations;
  // sort.Search over all buckets but the last: first index with count >= rank.
  let lo = 0;
  let hi = bs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bs[mid] as Bucket).count >= rank) hi = mid;
    else lo = mid + 1;
  }
  const b = lo;
  if (b === bs.length - 1) return { value: (bs[bs.length - 2] as Bucket).upperBound, forcedMonotonic };
  if (b === 0 && (bs[0] as Bucket).upperBound <= 0) return { value: (bs[0] as Bucket).upperBound, forcedMonotonic };
  let bucketStart = 0;
  const bucketEnd = (bs[b] as Bucket).upperBound;
  let count = (bs[b] as Bucket).count;
  if (b > 0) {
    const p = bs[b - 1] as Bucket;
    bucketStart = p.upperBound;
    count -= p.count;
    rank -= p.count;
  }
  return { value: bucketStart + (bucketEnd - bucketStart) * (rank / count), forcedMonotonic };
}

/**
 * Go's math.Max (src/math/dim.go): +Inf if either argument is +Inf — even when the other is NaN —
 * then NaN if either is NaN; Math.max gives NaN for (NaN, +Inf). Found by test/differential/promql
 * (`clamp_min(+Inf sample, NaN)` is +Inf in Prometheus 2.42).
 */
function goMax(x: number, y: number): number {
  if (x === Number.POSITIVE_INFINITY || y === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return Math.max(x, y);
}

/** Go's math.Min: -Inf wins over NaN, then NaN propagates (as goMax). */
function goMin(x: number, y: number): number {
  if (x === Number.NEGATIVE_INFINITY || y === Number.NEGATIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  return Math.min(x, y);
}

const INSTANT_FUNCTIONS: Readonly<Record<string, InstantFn>> = {
  abs: (args) => mapSamples(args, Math.abs),
  ceil: (args) => mapSamples(args, Math.ceil),
  floor: (args) => mapSamples(args, Math.floor),
  sqrt: (args) => mapSamples(args, Math.sqrt),
  // Go's math.Max/Min, not Math.max/min: an infinity wins over NaN (see goMax).
  clamp_min: (args) => {
    const min = scalarArg(args[1]);
    return mapSamples(args, (v) => goMax(min, v));
  },
  clamp_max: (args) => {
    const max = scalarArg(args[1]);
    return mapSamples(args, (v) => goMin(max, v));
  },
  clamp: (args) => {
    const min = scalarArg(args[1]);
    const max = scalarArg(args[2]);
    if (max < min) return { type: 'vector', samples: [] };
    return mapSamples(args, (v) => goMax(min, goMin(max, v)));
  },
  vector: (args) => ({ type: 'vector', samples: [{ labels: Labels.EMPTY, value: scalarArg(args[0]) }] }),
  scalar: (args) => {
    const s = vectorArg(args[0]);
    return { type: 'scalar', value: s.length === 1 ? (s[0] as Sample).value : Number.NaN };
  },
  time: (_args, _call, ctx) => ({ type: 'scalar', value: (ctx.t + ctx.epochMs) / 1000 }),
  // functions.go funcAbsent / createLabelsForAbsentFunction: labels from the `=` matchers of a
  // plain selector argument, except the name and labels given more than once.
  absent: (args, call, ctx) => {
    if (vectorArg(args[0]).length > 0) return { type: 'vector', samples: [] };
    return { type: 'vector', samples: [{ labels: absentLabels(call.args[0], ctx), value: 1 }] };
  },
  exp: (args) => mapSamples(args, Math.exp),
  // functions.go funcSgn: -1, 1, or the value itself (±0, NaN).
  sgn: (args) => mapSamples(args, (v) => (v < 0 ? -1 : v > 0 ? 1 : v)),
  // functions.go funcDeg / funcRad / funcPi (same operation order: v*180/π, v*π/180).
  deg: (args) => mapSamples(args, (v) => (v * 180) / Math.PI),
  rad: (args) => mapSamples(args, (v) => (v * Math.PI) / 180),
  pi: () => ({ type: 'scalar', value: Math.PI }),
  sin: (args) => mapSamples(args, goTrig('sin', Math.sin)),
  cos: (args) => mapSamples(args, goTrig('cos', Math.cos)),
  tan: (args) => mapSamples(args, goTrig('tan', Math.tan)),
  asin: (args) => mapSamples(args, Math.asin),
  acos: (args) => mapSamples(args, Math.acos),
  atan: (args) => mapSamples(args, Math.atan),
  sinh: (args) => mapSamples(args, goSinh),
  cosh: (args) => mapSamples(args, goCosh),
  tanh: (args) => mapSamples(args, Math.tanh),
  asinh: (args) => mapSamples(args, Math.asinh),
  acosh: (args) => mapSamples(args, Math.acosh),
  atanh: (args) => mapSamples(args, Math.atanh),
  day_of_month: dateFunction('day_of_month', (d) => d.day),
  day_of_week: dateFunction('day_of_week', (d) => d.weekday),
  day_of_year: dateFunction('day_of_year', (d) => d.yday),
  days_in_month: dateFunction('days_in_month', (d) => d.daysInMonth),
  hour: dateFunction('hour', (d) => d.hour),
  minute: dateFunction('minute', (d) => d.minute),
  month: dateFunction('month', (d) => d.month),
  year: dateFunction('year', (d) => d.year),
  ln: (args) => mapSamples(args, goLog),
  log2: (args) => mapSamples(args, goLog2),
  log10: (args) => mapSamples(args, goLog10),
  // functions.go funcRound: floor(v * (1/to) + 0.5) / (1/to); ties round up.
  round: (args) => {
    const toNearest = args.length >= 2 ? scalarArg(args[1]) : 1;
    const inv = 1.0 / toNearest;
    return mapSamples(args, (v) => Math.floor(v * inv + 0.5) / inv);
  },
  // functions.go funcTimestamp: the sample's time when the argument is a vector selector
  // (engine.go evaluates that case specially), else the evaluation time; the name is dropped.
  timestamp: (_args, call, ctx) => {
    const arg = unwrapParens(call.args[0] as Expr);
    if (arg.kind === 'vectorSelector') {
      const times: number[] = [];
      const samples = evalVectorSelector(arg, ctx, times);
      return { type: 'vector', samples: samples.map((s, i) => ({ labels: dropName(s.labels), value: ((times[i] as number) + ctx.epochMs) / 1000 })) };
    }
    const v = evaluate(arg, ctx);
    return { type: 'vector', samples: vectorArg(v).map((s) => ({ labels: dropName(s.labels), value: (ctx.t + ctx.epochMs) / 1000 })) };
  },
  // functions.go funcSort / funcSortDesc: sort.Sort(sort.Reverse(heap)); NaN sorts last.
  sort: (args) => ({ type: 'vector', samples: goSort(vectorArg(args[0]).slice(), (x, y) => Number.isNaN(y.value) || y.value > x.value) }),
  sort_desc: (args) => ({ type: 'vector', samples: goSort(vectorArg(args[0]).slice(), (x, y) => Number.isNaN(y.value) || y.value < x.value) }),
  label_replace: (args, call, ctx) => labelReplace(args, call, ctx),
  label_join: (args, call, ctx) => labelJoin(args, call, ctx),
  histogram_quantile: (args, _call, ctx) => {
    const q = scalarArg(args[0]);
    const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
    for (const s of vectorArg(args[1])) {
      const ub = parseGoFloat(s.labels.get('le'));
      if (ub === undefined) continue;
      const key = s.labels.without(['le']).key;
      let g = groups.get(key);
      if (g === undefined) {
        g = { labels: s.labels.without([METRIC_NAME, 'le']), buckets: [] };
        groups.set(key, g);
      }
      g.buckets.push({ upperBound: ub, count: s.value });
    }
    // Prometheus emits the groups in Go map order (unspecified); we use first appearance.
    const out: Sample[] = [];
    for (const g of groups.values()) {
      const r = bucketQuantile(q, g.buckets, ctx.version);
      if (r.forcedMonotonic && ctx.version === 3) {
        ctx.infos.push('PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)');
      }
      out.push({ labels: g.labels, value: r.value });
    }
    return { type: 'vector', samples: out };
  },
};

/** Names of the implemented functions, for the table-consistency test. */
export const IMPLEMENTED_FUNCTIONS: readonly string[] = [
  ...Object.keys(RANGE_FUNCTIONS),
  ...Object.keys(INSTANT_FUNCTIONS),
  'absent_over_time',
];

function unwrapParens(e: Expr): Expr {
  while (e.kind === 'paren') e = e.expr;
  return e;
}

/**
 * functions.go `createLabelsForAbsentFunction`: the `=` matchers of a (range) vector selector
 * argument, except the name; a later matcher on a label already set, or any non-`=` matcher,
 * removes the label. In Prometheus 3 the matchers are seen in the order the storage left them:
 * tsdb/querier.go `PostingsForMatchers` stably sorts the selector's matcher slice in place
 * (intersecting matchers before subtracting ones) when the selector is queried, before the
 * function runs, so `absent(x{job!="a",job="a"})` gives `{}` in 3.x and `{job="a"}` in 2.42.
 * That happens only when the storage opens a block or head querier for the query's time range
 * (tsdb/db.go `DB.Querier`; otherwise the querier is a no-op one that never sees the matchers):
 * when the range ends at or after the oldest stored sample (storeReaches).
 */
function absentLabels(arg: Expr | undefined, ctx: EvalContext): Labels {
  if (arg === undefined) return Labels.EMPTY;
  const a = unwrapParens(arg);
  const vs = a.kind === 'vectorSelector' ? a : a.kind === 'matrixSelector' ? a.selector : undefined;
  if (vs === undefined) return Labels.EMPTY;
  const written = labelsOfMatchers(vs.matchers);
  if (ctx.version === 2) return written;
  const sorted = labelsOfMatchers(storageMatcherOrder(vs.matchers));
  if (sorted.key === written.key) return written;
  const range = querierRange(ctx.root ?? arg, ctx);
  return range !== undefined && storeReaches(ctx.store, range[1], ctx.buf) ? sorted : written;
}

function labelsOfMatchers(ms: readonly LabelMatcher[]): Labels {
  const rec: Record<string, string> = {};
  const has = new Set<string>();
  for (const m of ms) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === '=' && !has.has(m.name)) {
      rec[m.name] = m.value;
      has.add(m.name);
    } else {
      delete rec[m.name];
    }
  }
  return Labels.from(rec);
}

/**
 * tsdb/querier.go `PostingsForMatchers` (Prometheus 3): a matcher is "subtracting" when no
 * matcher of the selector requires its label to be non-empty, or when it is a `!=`/`!~` matcher
 * that matches the empty string; `slices.SortStableFunc` moves the others first. Its comparator
 * only ever reports "less" for (intersecting, subtracting), so the result is a stable partition.
 */
function storageMatcherOrder(ms: readonly LabelMatcher[]): readonly LabelMatcher[] {
  const mustBeSet = new Set<string>();
  for (const m of ms) if (!m.matches('')) mustBeSet.add(m.name);
  const subtracting = (m: LabelMatcher): boolean => !mustBeSet.has(m.name) || ((m.type === '!=' || m.type === '!~') && m.matches(''));
  return [...ms.filter((m) => !subtracting(m)), ...ms.filter(subtracting)];
}

/**
 * engine.go (3.x) `FindMinMaxTime` with `getTimeRangesForSelector` and `subqueryTimes`: the
 * closed range [mint, maxt] (virtual ms) the query's storage querier is opened for; undefined
 * when the query has no selector.
 */
function querierRange(root: Expr, ctx: EvalContext): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  const walk = (e: Expr, subqueries: readonly Subquery[], evalRange: number): void => {
    switch (e.kind) {
      case 'vectorSelector': {
        let start = ctx.startMs;
        let end = ctx.endMs;
        let sqOffset = 0;
        let sqRange = 0;
        for (const sq of subqueries) {
          sqOffset += sq.offsetMs;
          sqRange += sq.rangeMs;
          if (sq.at !== undefined) {
            // An @ on a subquery resets what the enclosing ones added.
            sqOffset = sq.offsetMs;
            sqRange = sq.rangeMs;
            start = end = atBase(sq.at, ctx);
          }
        }
        if (e.at !== undefined) {
          start = end = atBase(e.at, ctx);
        } else {
          start -= sqOffset + sqRange;
          end -= sqOffset;
        }
        start -= evalRange === 0 ? ctx.lookbackMs - 1 : evalRange - 1;
        start -= e.offsetMs;
        end -= e.offsetMs;
        if (start < min) min = start;
        if (end > max) max = end;
        return;
      }
      case 'matrixSelector':
        return walk(e.selector, subqueries, e.rangeMs);
      case 'subquery':
        return walk(e.expr, [...subqueries, e], 0);
      case 'paren':
      case 'unary':
        return walk(e.expr, subqueries, 0);
      case 'binary':
        walk(e.lhs, subqueries, 0);
        return walk(e.rhs, subqueries, 0);
      case 'aggregate':
        if (e.param !== undefined) walk(e.param, subqueries, 0);
        return walk(e.expr, subqueries, 0);
      case 'call':
        for (const a of e.args) walk(a, subqueries, 0);
        return;
      case 'number':
      case 'string':
        return;
    }
  };
  walk(root, [], 0);
  return max === -Infinity ? undefined : [min, max];
}

/**
 * Whether Prometheus' storage opens a querier on data for the closed range [mint, maxt]
 * (tsdb/db.go `DB.Querier`): a block overlapping it, or the head when `maxt >= head.MinTime()`.
 * The head starts at the oldest sample it holds, or right after the newest block once blocks
 * exist (db.go reload truncates the head to the last block's MaxTime), so either way the answer
 * is: some sample at or before `maxt`. Only used on the rare path of absentLabels.
 */
function storeReaches(store: SeriesStore, maxt: number, buf: SampleBuffer): boolean {
  for (const h of store.select([])) {
    if (h.latest(maxt, Number.MAX_SAFE_INTEGER, false, buf) || h.readRange(-Number.MAX_SAFE_INTEGER, maxt, false, buf) > 0) return true;
  }
  return false;
}

function evalCall(call: Call, ctx: EvalContext): Value {
  const name = call.func.name;
  const rangeFn = RANGE_FUNCTIONS[name];
  if (rangeFn !== undefined || name === 'absent_over_time') {
    // engine.go (Call): the matrix argument is a range selector or a subquery; parentheses around
    // arguments are removed first.
    const matrixIndex = call.func.argTypes.indexOf('matrix');
    const paramIndex = name === 'quantile_over_time' ? 0 : name === 'predict_linear' ? 1 : -1;
    const param = paramIndex >= 0 ? scalarArg(evaluate(call.args[paramIndex] as Expr, ctx)) : Number.NaN;
    const arg = unwrapParens(call.args[matrixIndex] as Expr);
    const out: Sample[] = [];
    // engine.go: last_over_time (and 3.x first_over_time) keep the metric name.
    const keepName = name === 'last_over_time' || name === 'first_over_time';
    const buf = ctx.buf;
    const leftOpen = ctx.version === 3;
    let anySeries = false;
    if (arg.kind === 'matrixSelector') {
      const vs = arg.selector;
      const handles = selectSeries(vs, ctx);
      const ref = refTime(vs.at, vs.offsetMs, ctx);
      const rangeStart = ref - arg.rangeMs;
      for (const h of handles) {
        if (h.readRange(rangeStart, ref, leftOpen, buf) === 0) continue;
        anySeries = true;
        if (rangeFn === undefined) break;
        const v = rangeFn(buf, rangeStart, ref, arg.rangeMs, ctx.version, param, ctx.t);
        if (v !== undefined) out.push({ labels: keepName ? h.labels : dropName(h.labels), value: v });
      }
    } else if (arg.kind === 'subquery') {
      const series = evalSubquery(arg, ctx);
      const ref = refTime(arg.at, arg.offsetMs, ctx);
      const rangeStart = ref - arg.rangeMs;
      for (const s of series) {
        const n = s.t.length;
        if (n === 0) continue;
        anySeries = true;
        if (rangeFn === undefined) break;
        buf.ensure(n);
        for (let i = 0; i < n; i++) {
          buf.t[i] = s.t[i] as number;
          buf.v[i] = s.v[i] as number;
        }
        buf.n = n;
        const v = rangeFn(buf, rangeStart, ref, arg.rangeMs, ctx.version, param, ctx.t);
        if (v !== undefined) out.push({ labels: keepName ? s.labels : dropName(s.labels), value: v });
      }
    } else {
      throw executionError(`${name}: expected a range vector selector or subquery`);
    }
    if (rangeFn === undefined) {
      // absent_over_time: one sample when no series has a sample in the window.
      return { type: 'vector', samples: anySeries ? [] : [{ labels: absentLabels(arg, ctx), value: 1 }] };
    }
    return { type: 'vector', samples: checkUnique(out) };
  }
  const fn = INSTANT_FUNCTIONS[name];
  if (fn === undefined) throw executionError(`function ${JSON.stringify(name)} is not supported by rehearse yet`);
  const args = name === 'timestamp' ? [] : call.args.map((a) => evaluate(a, ctx));
  const r = fn(args, call, ctx);
  if (r.type === 'vector') checkUnique(r.samples);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Date functions

interface CivilTime {
  readonly year: number;
  /** 1..12 */
  readonly month: number;
  /** 1..31 */
  readonly day: number;
  /** 1..366 */
  readonly yday: number;
  /** 0 = Sunday */
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
  readonly daysInMonth: number;
}

/** Largest |seconds| we convert: beyond it Go's int64 conversion and time arithmetic wrap. */
const MAX_DATE_SECONDS = Number.MAX_SAFE_INTEGER;

/**
 * UTC calendar fields of Unix seconds `sec` (an integer), proleptic Gregorian as Go's `time`
 * package (days-to-civil by eras of 400 years).
 */
function civilTime(sec: number): CivilTime {
  let r = sec % 86400;
  if (r < 0) r += 86400;
  const days = (sec - r) / 86400;
  const z = days + 719468; // days since 0000-03-01
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][month - 1] as number;
  const yday = before + day + (leap && month > 2 ? 1 : 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  let weekday = (days + 4) % 7; // 1970-01-01 was a Thursday
  if (weekday < 0) weekday += 7;
  return { year, month, day, yday, weekday, hour: Math.floor(r / 3600), minute: Math.floor((r % 3600) / 60), daysInMonth };
}

/**
 * functions.go `dateWrapper`: without an argument, the evaluation time (`time.Unix(enh.Ts/1000, 0)`,
 * integer division); else each sample's value as Unix seconds (`int64(v)`, truncated), metric
 * name dropped. Values Go's int64 conversion cannot hold exactly are refused.
 */
function dateFunction(name: string, f: (c: CivilTime) => number): InstantFn {
  return (args, _call, ctx) => {
    if (args.length === 0) {
      return { type: 'vector', samples: [{ labels: Labels.EMPTY, value: f(civilTime(Math.trunc((ctx.t + ctx.epochMs) / 1000))) }] };
    }
    return mapSamples(args, (v) => {
      const sec = Math.trunc(v);
      if (!(Math.abs(sec) <= MAX_DATE_SECONDS)) {
        throw new PromqlError('unsupported', `${name}() of ${formatPromValue(v)} (beyond ±2^53 seconds) is not supported by rehearse yet`);
      }
      return f(civilTime(sec));
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Go's math and sort behaviours that JS does not share

/**
 * Go `math.Sinh` / `math.Cosh` (math/sinh.go): above |x| = 21 they compute Exp(|x|) * 0.5, which
 * overflows to ±Inf for |x| > ~709.78 where JS' sinh/cosh are still finite; (e^x ∓ e^-x)/2 above
 * 0.5. Below that, a rational approximation that agrees with Math.sinh to the last bits.
 */
function goSinh(x: number): number {
  const a = Math.abs(x);
  let r: number;
  if (a > 21) r = Math.exp(a) * 0.5;
  else if (a > 0.5) {
    const ex = Math.exp(a);
    r = (ex - 1 / ex) * 0.5;
  } else return Math.sinh(x);
  return x < 0 ? -r : r;
}

/**
 * Go's `math.Sin`/`Cos`/`Tan` (math/sin.go, math/tan.go) reduce arguments below 2^29 with a
 * three-part π/4 (Cody-Waite) whose products stop being exact from about 2^26·π/4: there Go's
 * results drift from the correctly reduced ones JS gives, by far more than an ulp. We refuse that
 * band instead of answering differently; at and above 2^29 Go reduces exactly (trigReduce).
 */
function goTrig(name: string, f: (x: number) => number): (x: number) => number {
  return (x) => {
    const a = Math.abs(x);
    if (a >= 2 ** 25 && a < 2 ** 29) {
      throw new PromqlError('unsupported', `${name}() of ${formatPromValue(x)} (|x| in [2^25, 2^29), where Go's argument reduction is inexact) is not supported by rehearse yet`);
    }
    return f(x);
  };
}

function goCosh(x: number): number {
  const a = Math.abs(x);
  if (a > 21) return Math.exp(a) * 0.5;
  if (Number.isNaN(a)) return a;
  const ex = Math.exp(a);
  return (ex + 1 / ex) * 0.5;
}

/** Go `math.Frexp` for finite non-zero x: x = frac * 2^exp with |frac| in [0.5, 1). */
function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let exp = Math.floor(Math.log2(Math.abs(x))) + 1;
  let frac = x / 2 ** exp;
  if (!Number.isFinite(frac) || frac === 0) {
    // 2^exp under/overflowed (subnormal or huge x): scale in two steps.
    const half = Math.trunc(exp / 2);
    frac = x / 2 ** half / 2 ** (exp - half);
  }
  while (Math.abs(frac) >= 1) {
    frac /= 2;
    exp++;
  }
  while (Math.abs(frac) < 0.5) {
    frac *= 2;
    exp--;
  }
  return [frac, exp];
}

/**
 * Go `math.Log` (src/math/log.go, the algorithm of FreeBSD's e_log.c with Go's own Frexp-based
 * reduction; log_amd64.s computes the same steps). V8's Math.log rounds differently in the last
 * bit for some inputs (golang/go#9546: Log(0.6023203277884887) is -0.5069658692305488 in Go,
 * -0.5069658692305486 in C), so PromQL's ln/log2/log10 use this.
 */
export function goLog(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x < 0) return Number.NaN;
  if (x === 0) return -Infinity;
  const Ln2Hi = 6.93147180369123816490e-1;
  const Ln2Lo = 1.90821492927058770002e-10;
  const L1 = 6.666666666666735130e-1;
  const L2 = 3.999999999940941908e-1;
  const L3 = 2.857142874366239149e-1;
  const L4 = 2.222219843214978396e-1;
  const L5 = 1.818357216161805012e-1;
  const L6 = 1.531383769920937332e-1;
  const L7 = 1.479819860511658591e-1;
  let [f1, ki] = frexp(x);
  if (f1 < Math.SQRT2 / 2) {
    f1 *= 2;
    ki--;
  }
  const f = f1 - 1;
  const k = ki;
  const s = f / (2 + f);
  const s2 = s * s;
  const s4 = s2 * s2;
  const t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
  const t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
  const R = t1 + t2;
  const hfsq = 0.5 * f * f;
  return k * Ln2Hi - (hfsq - (s * (hfsq + R) + k * Ln2Lo) - f);
}

/** Go `math.Log2`: exact for powers of two, else Log(frac)*(1/Ln2) + exp (differs from JS Math.log2). */
export function goLog2(x: number): number {
  const [frac, exp] = frexp(x);
  if (frac === 0.5) return exp - 1;
  return goLog(frac) * Math.LOG2E + exp;
}

/** Go `math.Log10`: Log(x) * (1/Ln10) (not JS Math.log10, which is exact for powers of ten). */
export function goLog10(x: number): number {
  return goLog(x) * Math.LOG10E;
}

/**
 * Go `sort.Sort` with the given Less. For up to 12 elements Go's pdqsort is an insertion sort
 * (exact, including the order of ties); longer inputs use a stable sort here, so the order of
 * equal values may differ from Go's unstable pdqsort.
 */
export function goSort<T>(a: T[], less: (x: T, y: T) => boolean): T[] {
  const n = a.length;
  if (n <= 12) {
    for (let i = 1; i < n; i++) {
      for (let j = i; j > 0 && less(a[j] as T, a[j - 1] as T); j--) {
        const tmp = a[j] as T;
        a[j] = a[j - 1] as T;
        a[j - 1] = tmp;
      }
    }
    return a;
  }
  return a.sort((x, y) => (less(x, y) ? -1 : less(y, x) ? 1 : 0));
}

// container/heap on a slice with a Less (heap.Push, heap.Pop, heap.Fix).
function heapUp<T>(h: T[], j: number, less: (x: T, y: T) => boolean): void {
  for (;;) {
    const i = Math.trunc((j - 1) / 2);
    if (i === j || !less(h[j] as T, h[i] as T)) break;
    const tmp = h[i] as T;
    h[i] = h[j] as T;
    h[j] = tmp;
    j = i;
  }
}

function heapDown<T>(h: T[], i0: number, n: number, less: (x: T, y: T) => boolean): boolean {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n || j1 < 0) break;
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && less(h[j2] as T, h[j1] as T)) j = j2;
    if (!less(h[j] as T, h[i] as T)) break;
    const tmp = h[i] as T;
    h[i] = h[j] as T;
    h[j] = tmp;
    i = j;
  }
  return i > i0;
}

function heapPush<T>(h: T[], x: T, less: (x: T, y: T) => boolean): void {
  h.push(x);
  heapUp(h, h.length - 1, less);
}

function heapPop<T>(h: T[], less: (x: T, y: T) => boolean): void {
  const n = h.length - 1;
  const tmp = h[0] as T;
  h[0] = h[n] as T;
  h[n] = tmp;
  heapDown(h, 0, n, less);
  h.pop();
}

function heapFix<T>(h: T[], i: number, less: (x: T, y: T) => boolean): void {
  if (!heapDown(h, i, h.length, less)) heapUp(h, i, less);
}

// ---------------------------------------------------------------------------------------------
// label_replace / label_join (functions.go funcLabelReplace, funcLabelJoin; 3.x evalLabelReplace, evalLabelJoin)

function stringArg(e: Expr | undefined): string {
  const a = e === undefined ? undefined : unwrapParens(e);
  if (a === undefined || a.kind !== 'string') throw executionError('expected a string literal argument');
  return a.value;
}

/** v2.42 `model.LabelName.IsValid`; 3.x accepts any non-empty UTF-8 name. */
function validLabelName(name: string, version: 2 | 3): boolean {
  return version === 2 ? /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) : name.length > 0;
}

const labelReplaceRegexps = new WeakMap<Call, RE2JS>();

/**
 * Go `regexp.Regexp.ExpandString`: `$name`, `${name}` (longest run of letters, digits and `_`),
 * numbers are group indexes, unknown groups expand to "", `$$` is a `$`, a malformed `$` is kept.
 */
function goExpand(template: string, groups: (string | null)[], named: Record<string, number>): string {
  let out = '';
  let t = template;
  for (;;) {
    const d = t.indexOf('$');
    if (d < 0) break;
    out += t.slice(0, d);
    t = t.slice(d + 1);
    if (t.startsWith('$')) {
      out += '$';
      t = t.slice(1);
      continue;
    }
    const brace = t.startsWith('{');
    const m = /^[\p{L}\p{Nd}_]+/u.exec(brace ? t.slice(1) : t);
    if (m === null || (brace && t[1 + m[0].length] !== '}')) {
      out += '$';
      continue;
    }
    const name = m[0];
    t = t.slice(name.length + (brace ? 2 : 0));
    let num = 0;
    for (const ch of name) {
      if (ch < '0' || ch > '9' || num >= 1e8) {
        num = -1;
        break;
      }
      num = num * 10 + (ch.charCodeAt(0) - 48);
    }
    if (name[0] === '0' && name.length > 1) num = -1;
    const idx = num >= 0 ? num : named[name];
    if (idx !== undefined && idx < groups.length) out += groups[idx] ?? '';
  }
  return out + t;
}

function labelReplace(args: Value[], call: Call, ctx: EvalContext): Value {
  const dst = stringArg(call.args[1]);
  const repl = stringArg(call.args[2]);
  const src = stringArg(call.args[3]);
  const regexStr = stringArg(call.args[4]);
  let re = labelReplaceRegexps.get(call);
  if (re === undefined) {
    try {
      // 2.42 compiles "^(?:re)$"; 3.x "^(?s:re)$" (`.` matches a newline).
      re = RE2JS.compile(ctx.version === 2 ? `^(?:${regexStr})$` : `^(?s:${regexStr})$`);
    } catch {
      throw executionError(`invalid regular expression in label_replace(): ${regexStr}`);
    }
    labelReplaceRegexps.set(call, re);
  }
  if (!validLabelName(dst, ctx.version)) throw executionError(`invalid destination label name in label_replace(): ${dst}`);
  const named = re.namedGroups() as Record<string, number>;
  const groupCount = re.groupCount();
  const out: Sample[] = [];
  for (const s of vectorArg(args[0])) {
    const srcVal = s.labels.get(src);
    const m = re.matcher(srcVal);
    if (!m.matches()) {
      out.push(s);
      continue;
    }
    const groups: (string | null)[] = [];
    for (let g = 0; g <= groupCount; g++) groups.push(m.group(g));
    const res = goExpand(repl, groups, named);
    out.push({ labels: s.labels.with(dst, res), value: s.value });
  }
  return { type: 'vector', samples: out };
}

function labelJoin(args: Value[], call: Call, ctx: EvalContext): Value {
  const dst = stringArg(call.args[1]);
  const sep = stringArg(call.args[2]);
  const srcLabels: string[] = [];
  for (let i = 3; i < call.args.length; i++) {
    const src = stringArg(call.args[i]);
    if (!validLabelName(src, ctx.version)) throw executionError(`invalid source label name in label_join(): ${src}`);
    srcLabels.push(src);
  }
  if (!validLabelName(dst, ctx.version)) throw executionError(`invalid destination label name in label_join(): ${dst}`);
  const out: Sample[] = [];
  for (const s of vectorArg(args[0])) {
    const joined = srcLabels.map((l) => s.labels.get(l)).join(sep);
    out.push({ labels: s.labels.with(dst, joined), value: s.value });
  }
  return { type: 'vector', samples: out };
}

/** engine.go: "vector cannot contain metrics with the same labelset". */
function checkUnique(samples: Sample[]): Sample[] {
  if (samples.length < 2) return samples;
  const seen = new Set<string>();
  for (const s of samples) {
    const k = s.labels.key;
    if (seen.has(k)) throw executionError('vector cannot contain metrics with the same labelset');
    seen.add(k);
  }
  return samples;
}

// ---------------------------------------------------------------------------------------------
// Aggregation (engine.go `aggregation`)

/** util/kahansum `Inc` (Kahan-Neumaier step), returns [sum, compensation]. */
function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (t > Number.MAX_VALUE || t < -Number.MAX_VALUE) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

interface Group {
  labels: Labels;
  value: number;
  mean: number;
  comp: number;
  count: number;
  incrementalMean: boolean;
  /** quantile's values. */
  values: number[] | undefined;
}

/** Labels of the group a sample belongs to (engine.go generateGroupingKey / generateGroupingLabels). */
function groupLabels(l: Labels, e: Aggregate, grouping: readonly string[], dropLabels: readonly string[]): Labels {
  if (e.without) return l.without(dropLabels);
  if (grouping.length > 0) return l.keep(grouping);
  return Labels.EMPTY;
}

/** Go's `%v` of a float64 in error messages (shortest form, exponent from 1e21). */
function goFloatV(f: number): string {
  return formatPromValue(f);
}

/** float64(math.MaxInt64) and float64(math.MinInt64) = ±2^63. */
const MAX_INT64 = 2 ** 63;
const MIN_INT64 = -(2 ** 63);

/**
 * topk / bottomk. 2.42 (engine.go `aggregation`): a heap per group, popping then pushing when full;
 * 3.x (`aggregationK`): replacing the heap top then heap.Fix. Each group's heap is then sorted with
 * sort.Sort(sort.Reverse(heap)); the way ties end up ordered depends on these steps, so both are kept.
 */
function evalTopBottomK(e: Aggregate, samples: Sample[], kParam: number, version: 2 | 3): Sample[] {
  const top = e.op === 'topk';
  if (version === 2) {
    if (!(kParam <= MAX_INT64 && kParam >= MIN_INT64)) throw executionError(`Scalar value ${goFloatV(kParam)} overflows int64`);
  } else {
    if (kParam < 1) return [];
    if (Number.isNaN(kParam)) throw executionError('Parameter value is NaN');
    if (kParam <= MIN_INT64) throw executionError(`Scalar value ${goFloatV(kParam)} underflows int64`);
    if (kParam >= MAX_INT64) throw executionError(`Scalar value ${goFloatV(kParam)} overflows int64`);
  }
  const k = Math.trunc(kParam);
  if (k < 1) return [];
  // vectorByValueHeap.Less / vectorByReverseValueHeap.Less.
  const less = top
    ? (x: Sample, y: Sample): boolean => Number.isNaN(x.value) || x.value < y.value
    : (x: Sample, y: Sample): boolean => Number.isNaN(x.value) || x.value > y.value;
  const better = top ? (h: number, v: number): boolean => h < v : (h: number, v: number): boolean => h > v;
  const groups = new Map<string, Sample[]>();
  const dropLabels = e.without ? [...e.grouping, METRIC_NAME] : [];
  for (const s of samples) {
    const key = groupLabels(s.labels, e, e.grouping, dropLabels).key;
    const h = groups.get(key);
    if (h === undefined) {
      groups.set(key, [s]);
      continue;
    }
    const h0 = (h[0] as Sample).value;
    if (version === 2) {
      if (h.length < k || better(h0, s.value) || Number.isNaN(h0)) {
        if (h.length === k) {
          if (k === 1) {
            h[0] = s;
            continue;
          }
          heapPop(h, less);
        }
        heapPush(h, s, less);
      }
    } else if (h.length < k) {
      heapPush(h, s, less);
    } else if (better(h0, s.value) || (Number.isNaN(h0) && !Number.isNaN(s.value))) {
      h[0] = s;
      if (k > 1) heapFix(h, 0, less);
    }
  }
  const out: Sample[] = [];
  for (const h of groups.values()) {
    if (h.length > 1) goSort(h, (x, y) => less(y, x));
    for (const s of h) out.push(s);
  }
  return out;
}

/**
 * count_values: the value (Go FormatFloat 'f', -1) becomes label `param`; with `by` that label is
 * added to the grouping. Groups in order of first appearance (2.42; 3.x emits Go map order, which
 * is unspecified).
 */
function evalCountValues(e: Aggregate, samples: Sample[], valueLabel: string, version: 2 | 3): Sample[] {
  if (!validLabelName(valueLabel, version)) {
    throw executionError(`invalid label name ${JSON.stringify(valueLabel)}`);
  }
  const grouping = e.without ? e.grouping : [...e.grouping, valueLabel];
  const dropLabels = e.without ? [...e.grouping, METRIC_NAME] : [];
  const groups = new Map<string, { labels: Labels; count: number }>();
  for (const s of samples) {
    const metric = s.labels.with(valueLabel, formatPromScalar(s.value));
    const gl = groupLabels(metric, e, grouping, dropLabels);
    const g = groups.get(gl.key);
    if (g === undefined) groups.set(gl.key, { labels: gl, count: 1 });
    else g.count++;
  }
  return [...groups.values()].map((g) => ({ labels: g.labels, value: g.count }));
}

function evalAggregate(e: Aggregate, ctx: EvalContext): Sample[] {
  const op = e.op;
  const v2 = ctx.version === 2;
  // engine.go evaluates the parameter before the expression.
  const paramValue = e.param === undefined ? undefined : evaluate(e.param, ctx);
  const input = evaluate(e.expr, ctx);
  const samples = vectorArg(input);
  if (op === 'topk' || op === 'bottomk') return evalTopBottomK(e, samples, scalarArg(paramValue), ctx.version);
  if (op === 'count_values') {
    if (paramValue === undefined || paramValue.type !== 'string') throw executionError('count_values: expected a string parameter');
    return evalCountValues(e, samples, paramValue.value, ctx.version);
  }
  const q = op === 'quantile' ? scalarArg(paramValue) : Number.NaN;
  const groups = new Map<string, Group>();
  const order: Group[] = [];
  const dropLabels = e.without ? [...e.grouping, METRIC_NAME] : [];
  for (const s of samples) {
    const gl = groupLabels(s.labels, e, e.grouping, dropLabels);
    const key = gl.key;
    const f = s.value;
    let g = groups.get(key);
    if (g === undefined) {
      g = { labels: gl, value: f, mean: f, comp: 0, count: 1, incrementalMean: false, values: undefined };
      if (op === 'group') g.value = 1;
      else if (op === 'stddev' || op === 'stdvar') {
        // 2.42 starts at 0; 3.x starts at NaN for a NaN or infinite first value.
        g.value = !v2 && (Number.isNaN(f) || isInf(f)) ? Number.NaN : 0;
      } else if (op === 'quantile') g.values = [f];
      groups.set(key, g);
      order.push(g);
      continue;
    }
    switch (op) {
      case 'sum':
        if (v2) g.value += f;
        else [g.value, g.comp] = kahanInc(f, g.value, g.comp);
        break;
      case 'avg':
        g.count++;
        if (v2) {
          // 2.42: incremental mean, keeping an infinite mean when it cannot change.
          if (isInf(g.mean)) {
            if (isInf(f) && g.mean > 0 === f > 0) break;
            if (!isInf(f) && !Number.isNaN(f)) break;
          }
          g.mean += f / g.count - g.mean / g.count;
        } else {
          // 3.x: Kahan sum of values while it does not overflow, then incremental mean.
          if (!g.incrementalMean) {
            const [nv, nc] = kahanInc(f, g.value, g.comp);
            if (!isInf(nv)) {
              g.value = nv;
              g.comp = nc;
              break;
            }
            g.incrementalMean = true;
            g.mean = g.value / (g.count - 1);
            g.comp /= g.count - 1;
          }
          const q = (g.count - 1) / g.count;
          [g.mean, g.comp] = kahanInc(f / g.count, q * g.mean, q * g.comp);
        }
        break;
      case 'max':
        if (g.value < f || Number.isNaN(g.value)) g.value = f;
        break;
      case 'min':
        if (g.value > f || Number.isNaN(g.value)) g.value = f;
        break;
      case 'count':
        g.count++;
        break;
      case 'group':
        break;
      case 'stddev':
      case 'stdvar': {
        // Welford, as engine.go does it.
        g.count++;
        const delta = f - g.mean;
        g.mean += delta / g.count;
        g.value += delta * (f - g.mean);
        break;
      }
      case 'quantile':
        (g.values as number[]).push(f);
        break;
      default:
        throw executionError(`aggregation ${JSON.stringify(op)} is not supported by rehearse yet`);
    }
  }
  const out: Sample[] = [];
  for (const g of order) {
    let value = g.value;
    switch (op) {
      case 'avg':
        if (v2) value = g.mean;
        else if (g.incrementalMean) value = g.mean + g.comp;
        else value = g.value / g.count + g.comp / g.count;
        break;
      case 'count':
        value = g.count;
        break;
      case 'stdvar':
        value = g.value / g.count;
        break;
      case 'stddev':
        value = Math.sqrt(g.value / g.count);
        break;
      case 'quantile':
        value = goQuantile(q, g.values as number[]);
        break;
      case 'sum':
        if (!v2) value = g.value + g.comp;
        break;
      default:
        break;
    }
    out.push({ labels: g.labels, value });
  }
  return out;
}

function isInf(x: number): boolean {
  return x === Infinity || x === -Infinity;
}

// ---------------------------------------------------------------------------------------------
// Binary operators

/** Go `math.Pow` special cases (differ from JS `**` for Pow(1, NaN), Pow(-1, ±Inf)); other values via `**`. */
function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (isInf(y) && x === -1) return 1;
  return x ** y;
}

/** engine.go `scalarBinop` / `vectorElemBinop`: [value, keep]. */
function elemBinop(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+':
      return [l + r, true];
    case '-':
      return [l - r, true];
    case '*':
      return [l * r, true];
    case '/':
      return [l / r, true];
    case '%':
      return [l % r, true]; // math.Mod == JS % (sign of dividend, x%0 = NaN)
    case '^':
      return [goPow(l, r), true];
    case 'atan2':
      return [Math.atan2(l, r), true];
    case '==':
      return [l, l === r];
    case '!=':
      return [l, l !== r];
    case '>':
      return [l, l > r];
    case '<':
      return [l, l < r];
    case '>=':
      return [l, l >= r];
    case '<=':
      return [l, l <= r];
    default:
      throw executionError(`operator ${JSON.stringify(op)} not allowed for scalar operations`);
  }
}

/**
 * Arithmetic drops the name, comparisons keep it (2.42 engine.go `shouldDropMetricName`, 3.x
 * `changesMetricSchema`); `atan2` keeps it in 2.42 and drops it in 3.x.
 */
function dropsName(op: BinaryOp, version: 2 | 3): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^' || (op === 'atan2' && version === 3);
}

function evalBinary(e: Binary, ctx: EvalContext): Value {
  const lv = evaluate(e.lhs, ctx);
  const rv = evaluate(e.rhs, ctx);
  if (lv.type === 'scalar' && rv.type === 'scalar') {
    const [value, keep] = elemBinop(e.op, lv.value, rv.value);
    // scalarBinop: comparisons give 0/1 (only legal with bool).
    return { type: 'scalar', value: isComparison(e.op) ? (keep ? 1 : 0) : value };
  }
  if (lv.type === 'vector' && rv.type === 'scalar') {
    return { type: 'vector', samples: checkUnique(vectorScalar(e, lv.samples, rv.value, false, ctx.version)) };
  }
  if (lv.type === 'scalar' && rv.type === 'vector') {
    return { type: 'vector', samples: checkUnique(vectorScalar(e, rv.samples, lv.value, true, ctx.version)) };
  }
  if (lv.type === 'vector' && rv.type === 'vector') {
    const m = e.matching ?? { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
    switch (e.op) {
      case 'and':
        return { type: 'vector', samples: vectorAnd(lv.samples, rv.samples, m) };
      case 'or':
        return { type: 'vector', samples: vectorOr(lv.samples, rv.samples, m) };
      case 'unless':
        return { type: 'vector', samples: vectorUnless(lv.samples, rv.samples, m) };
      default:
        return { type: 'vector', samples: checkUnique(vectorBinop(e, lv.samples, rv.samples, m, ctx.version)) };
    }
  }
  throw executionError(`binary expression must contain only scalar and instant vector types`);
}

/** engine.go `VectorscalarBinop`. */
function vectorScalar(e: Binary, vec: Sample[], scalar: number, swap: boolean, version: 2 | 3): Sample[] {
  const out: Sample[] = [];
  const cmp = isComparison(e.op);
  const drop = dropsName(e.op, version) || e.returnBool;
  for (const s of vec) {
    const l = swap ? scalar : s.value;
    const r = swap ? s.value : scalar;
    let [value, keep] = elemBinop(e.op, l, r);
    // The vector element's value is kept for comparisons, even when the scalar is on the left.
    if (cmp && swap) value = r;
    if (e.returnBool) {
      value = keep ? 1 : 0;
      keep = true;
    }
    if (keep) out.push({ labels: drop ? dropName(s.labels) : s.labels, value });
  }
  return out;
}

/** engine.go `signatureFunc`: identity of the labels vector matching looks at. */
function signature(l: Labels, m: VectorMatching): string {
  return m.on ? l.keep(m.matchingLabels).key : l.without([METRIC_NAME, ...m.matchingLabels]).key;
}

/** Go `labels.Labels.String()`: `{a="b", c="d"}`. */
function goLabelsString(l: Labels): string {
  const parts: string[] = [];
  for (let i = 0; i < l.names.length; i++) parts.push(`${l.names[i] as string}=${JSON.stringify(l.values[i] as string)}`);
  return `{${parts.join(', ')}}`;
}

/** engine.go `VectorBinop`: one-to-one and many-to-one/one-to-many matching. */
function vectorBinop(e: Binary, lhsIn: Sample[], rhsIn: Sample[], m: VectorMatching, version: 2 | 3): Sample[] {
  if (lhsIn.length === 0 || rhsIn.length === 0) return [];
  const oneToMany = m.card === 'one-to-many';
  const lhs = oneToMany ? rhsIn : lhsIn;
  const rhs = oneToMany ? lhsIn : rhsIn;
  const rightSigs = new Map<string, Sample>();
  for (const rs of rhs) {
    const sig = signature(rs.labels, m);
    const dup = rightSigs.get(sig);
    if (dup !== undefined) {
      // labels.MatchLabels: with `on` the listed labels, else all but them and the name.
      const matched = m.on ? rs.labels.keep(m.matchingLabels) : rs.labels.without([METRIC_NAME, ...m.matchingLabels]);
      // 2.42 names the current series first; 3.x orders the two strings ("make the error message
      // consistent between runs", engine.go VectorBinop at v3.15.1). Found by test/differential/promql.
      let [dupl1, dupl2] = [goLabelsString(rs.labels), goLabelsString(dup.labels)];
      if (version === 3 && dupl1 > dupl2) [dupl1, dupl2] = [dupl2, dupl1];
      throw executionError(
        `found duplicate series for the match group ${goLabelsString(matched)} on the ${oneToMany ? 'left' : 'right'} hand-side of the operation: [${dupl1}, ${dupl2}];many-to-many matching not allowed: matching labels must be unique on one side`,
      );
    }
    rightSigs.set(sig, rs);
  }
  const matchedSigs = new Map<string, Set<string> | null>();
  const out: Sample[] = [];
  for (const ls of lhs) {
    const sig = signature(ls.labels, m);
    const rs = rightSigs.get(sig);
    if (rs === undefined) continue;
    const vl = oneToMany ? rs.value : ls.value;
    const vr = oneToMany ? ls.value : rs.value;
    const [raw, keep] = elemBinop(e.op, vl, vr);
    let value = raw;
    // 2.42 drops a false comparison before checking that matches are unique; 3.x checks first
    // (engine.go VectorBinop doBinOp at v3.15.1), so a filtered duplicate is still an error there.
    // Found by test/differential/promql.
    if (e.returnBool) {
      value = keep ? 1 : 0;
    } else if (!keep && version === 2) {
      continue;
    }
    let metric = resultMetric(ls.labels, rs.labels, e.op, m, version);
    if (e.returnBool) metric = dropName(metric);
    const inserted = matchedSigs.get(sig);
    if (m.card === 'one-to-one') {
      if (inserted !== undefined) {
        throw executionError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
      }
      matchedSigs.set(sig, null);
    } else {
      const insertSig = metric.key;
      let set = inserted ?? undefined;
      if (set === undefined) {
        set = new Set();
        matchedSigs.set(sig, set);
      } else if (set.has(insertSig)) {
        throw executionError('multiple matches for labels: grouping labels must ensure unique matches');
      }
      set.add(insertSig);
    }
    if (!keep && !e.returnBool) continue;
    out.push({ labels: metric, value });
  }
  return out;
}

/** engine.go `resultMetric`. */
function resultMetric(lhs: Labels, rhs: Labels, op: BinaryOp, m: VectorMatching, version: 2 | 3): Labels {
  let l = lhs;
  if (dropsName(op, version)) l = dropName(l);
  if (m.card === 'one-to-one') {
    l = m.on ? l.keep(m.matchingLabels) : l.without(m.matchingLabels);
  }
  for (const name of m.include) l = l.with(name, rhs.get(name));
  return l;
}

function vectorAnd(lhs: Sample[], rhs: Sample[], m: VectorMatching): Sample[] {
  if (lhs.length === 0 || rhs.length === 0) return [];
  const right = new Set(rhs.map((s) => signature(s.labels, m)));
  return lhs.filter((s) => right.has(signature(s.labels, m)));
}

function vectorOr(lhs: Sample[], rhs: Sample[], m: VectorMatching): Sample[] {
  if (lhs.length === 0) return rhs.slice();
  if (rhs.length === 0) return lhs.slice();
  const left = new Set(lhs.map((s) => signature(s.labels, m)));
  return [...lhs, ...rhs.filter((s) => !left.has(signature(s.labels, m)))];
}

function vectorUnless(lhs: Sample[], rhs: Sample[], m: VectorMatching): Sample[] {
  if (lhs.length === 0 || rhs.length === 0) return lhs.slice();
  const right = new Set(rhs.map((s) => signature(s.labels, m)));
  return lhs.filter((s) => !right.has(signature(s.labels, m)));
}
