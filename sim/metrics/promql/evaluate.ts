// The PromQL engine for instant queries, against our SeriesStore. Follows Prometheus'
// `promql/engine.go` (v2.42.0 and v3.14.0) for selection, staleness, vector matching and
// aggregation, and `promql/functions.go` / `promql/quantile.go` for the functions. Where the
// two versions differ (reference table 1.16 rows 1-7 and 9), `version` picks the behaviour.
// Float results are bit-identical to Go's as long as Go's operation order is kept, which the
// code below does deliberately (see the comments citing the Go functions).

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
  type Binary,
  type BinaryOp,
  type Call,
  type Expr,
  type MatrixSelector,
  type VectorMatching,
  type VectorSelector,
} from './ast.js';
import { executionError } from './errors.js';

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
}

const scratch = new SampleBuffer(256);

export function newContext(
  store: SeriesStore,
  t: number,
  lookbackMs: number,
  version: 2 | 3,
  cache: QueryCache,
): EvalContext {
  return { store, t, lookbackMs, version, cache, buf: scratch, unmatched: new Set(), infos: [] };
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
        // engine.go (UnaryExpr): negate and drop the metric name.
        return { type: 'vector', samples: v.samples.map((s) => ({ labels: dropName(s.labels), value: -s.value })) };
      }
      throw executionError(`unexpected operand of unary minus: ${v.type}`);
    }
    case 'call':
      return evalCall(e, ctx);
    case 'aggregate':
      return { type: 'vector', samples: checkUnique(evalAggregate(e, ctx)) };
    case 'binary':
      return evalBinary(e, ctx);
  }
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
function evalVectorSelector(vs: VectorSelector, ctx: EvalContext): Sample[] {
  const handles = selectSeries(vs, ctx);
  const ref = ctx.t - vs.offsetMs;
  const out: Sample[] = [];
  const buf = ctx.buf;
  const leftOpen = ctx.version === 3;
  for (const h of handles) {
    if (h.latest(ref, ctx.lookbackMs, leftOpen, buf)) out.push({ labels: h.labels, value: buf.v[0] as number });
  }
  return out;
}

/** engine.go `matrixIterSlice`: window `[ref-range, ref]` (2.42) or `(ref-range, ref]` (3.x), stale markers dropped. */
function evalMatrixSelector(ms: MatrixSelector, ctx: EvalContext): MatrixSeries[] {
  const vs = ms.selector;
  const handles = selectSeries(vs, ctx);
  const ref = ctx.t - vs.offsetMs;
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

type RangeFn = (buf: SampleBuffer, rangeStart: number, rangeEnd: number, rangeMs: number, version: 2 | 3) => number | undefined;

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

const INSTANT_FUNCTIONS: Readonly<Record<string, InstantFn>> = {
  abs: (args) => mapSamples(args, Math.abs),
  ceil: (args) => mapSamples(args, Math.ceil),
  floor: (args) => mapSamples(args, Math.floor),
  sqrt: (args) => mapSamples(args, Math.sqrt),
  // Go math.Max/Min propagate NaN like Math.max/min.
  clamp_min: (args) => {
    const min = scalarArg(args[1]);
    return mapSamples(args, (v) => Math.max(min, v));
  },
  clamp_max: (args) => {
    const max = scalarArg(args[1]);
    return mapSamples(args, (v) => Math.min(max, v));
  },
  clamp: (args) => {
    const min = scalarArg(args[1]);
    const max = scalarArg(args[2]);
    if (max < min) return { type: 'vector', samples: [] };
    return mapSamples(args, (v) => Math.max(min, Math.min(max, v)));
  },
  vector: (args) => ({ type: 'vector', samples: [{ labels: Labels.EMPTY, value: scalarArg(args[0]) }] }),
  scalar: (args) => {
    const s = vectorArg(args[0]);
    return { type: 'scalar', value: s.length === 1 ? (s[0] as Sample).value : Number.NaN };
  },
  time: (_args, _call, ctx) => ({ type: 'scalar', value: ctx.t / 1000 }),
  // functions.go funcAbsent / createLabelsForAbsentFunction: labels from the `=` matchers of a
  // plain selector argument, except the name and labels given more than once.
  absent: (args, call) => {
    if (vectorArg(args[0]).length > 0) return { type: 'vector', samples: [] };
    const arg = call.args[0];
    let labels = Labels.EMPTY;
    if (arg !== undefined && arg.kind === 'vectorSelector') {
      const rec: Record<string, string> = {};
      const seen = new Set<string>();
      const dup = new Set<string>();
      for (const m of arg.matchers) {
        if (m.name === METRIC_NAME) continue;
        if (seen.has(m.name)) dup.add(m.name);
        seen.add(m.name);
        if (m.type === '=') rec[m.name] = m.value;
      }
      for (const d of dup) delete rec[d];
      labels = Labels.from(rec);
    }
    return { type: 'vector', samples: [{ labels, value: 1 }] };
  },
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
export const IMPLEMENTED_FUNCTIONS: readonly string[] = [...Object.keys(RANGE_FUNCTIONS), ...Object.keys(INSTANT_FUNCTIONS)];

function evalCall(call: Call, ctx: EvalContext): Value {
  const name = call.func.name;
  const rangeFn = RANGE_FUNCTIONS[name];
  if (rangeFn !== undefined) {
    let arg = call.args[0];
    while (arg !== undefined && arg.kind === 'paren') arg = arg.expr;
    if (arg === undefined || arg.kind !== 'matrixSelector') throw executionError(`${name}: expected a range vector selector`);
    const vs = arg.selector;
    const handles = selectSeries(vs, ctx);
    const ref = ctx.t - vs.offsetMs;
    const rangeStart = ref - arg.rangeMs;
    const buf = ctx.buf;
    const leftOpen = ctx.version === 3;
    const out: Sample[] = [];
    for (const h of handles) {
      if (h.readRange(rangeStart, ref, leftOpen, buf) === 0) continue;
      const v = rangeFn(buf, rangeStart, ref, arg.rangeMs, ctx.version);
      // last_over_time keeps the metric name (functions.go funcLastOverTime).
      if (v !== undefined) out.push({ labels: name === 'last_over_time' ? h.labels : dropName(h.labels), value: v });
    }
    return { type: 'vector', samples: checkUnique(out) };
  }
  const fn = INSTANT_FUNCTIONS[name];
  if (fn === undefined) throw executionError(`function ${JSON.stringify(name)} is not supported by rehearse yet`);
  const args = call.args.map((a) => evaluate(a, ctx));
  const r = fn(args, call, ctx);
  if (r.type === 'vector') checkUnique(r.samples);
  return r;
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
}

function evalAggregate(e: Aggregate, ctx: EvalContext): Sample[] {
  const input = evaluate(e.expr, ctx);
  const samples = vectorArg(input);
  const op = e.op;
  const v2 = ctx.version === 2;
  const groups = new Map<string, Group>();
  const order: Group[] = [];
  const dropLabels = e.without ? [...e.grouping, METRIC_NAME] : [];
  for (const s of samples) {
    let gl: Labels;
    if (e.without) gl = s.labels.without(dropLabels);
    else if (e.grouping.length > 0) gl = s.labels.keep(e.grouping);
    else gl = Labels.EMPTY;
    const key = gl.key;
    const f = s.value;
    let g = groups.get(key);
    if (g === undefined) {
      g = { labels: gl, value: f, mean: f, comp: 0, count: 1, incrementalMean: false };
      if (op === 'group') g.value = 1;
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

/** engine.go `shouldDropMetricName`: arithmetic drops the name, comparisons keep it. */
function dropsName(op: BinaryOp): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^';
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
    return { type: 'vector', samples: checkUnique(vectorScalar(e, lv.samples, rv.value, false)) };
  }
  if (lv.type === 'scalar' && rv.type === 'vector') {
    return { type: 'vector', samples: checkUnique(vectorScalar(e, rv.samples, lv.value, true)) };
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
        return { type: 'vector', samples: checkUnique(vectorBinop(e, lv.samples, rv.samples, m)) };
    }
  }
  throw executionError(`binary expression must contain only scalar and instant vector types`);
}

/** engine.go `VectorscalarBinop`. */
function vectorScalar(e: Binary, vec: Sample[], scalar: number, swap: boolean): Sample[] {
  const out: Sample[] = [];
  const cmp = isComparison(e.op);
  const drop = dropsName(e.op) || e.returnBool;
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
function vectorBinop(e: Binary, lhsIn: Sample[], rhsIn: Sample[], m: VectorMatching): Sample[] {
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
      throw executionError(
        `found duplicate series for the match group ${goLabelsString(matched)} on the ${oneToMany ? 'left' : 'right'} hand-side of the operation: [${goLabelsString(rs.labels)}, ${goLabelsString(dup.labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
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
    if (e.returnBool) {
      value = keep ? 1 : 0;
    } else if (!keep) {
      continue;
    }
    let metric = resultMetric(ls.labels, rs.labels, e.op, m);
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
    out.push({ labels: metric, value });
  }
  return out;
}

/** engine.go `resultMetric`. */
function resultMetric(lhs: Labels, rhs: Labels, op: BinaryOp, m: VectorMatching): Labels {
  let l = lhs;
  if (dropsName(op)) l = dropName(l);
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
