// The `prometheus` metric provider against the simulated store: an instant query at the virtual
// "now", the result shaped as Argo's provider shapes it, then the success/failure conditions.
// argo-rollouts metricproviders/prometheus/prometheus.go (v1.9.1) `Run` and `processResponse`:
// scalar ⇒ float64; vector ⇒ []float64 of the sample values in response order (empty vector ⇒
// `[]`, on which `result[0]` is an error); matrix ⇒ all values flattened; string ⇒ Error. The
// stored value text is `[v1,v2]` with Go's FormatFloat(v, 'f', -1).
//
// Query hooks (`addQueryHook`) are where metrics-pipeline faults act on a query: a transport error
// instead of an answer, extra latency (and the provider's timeout), an answer computed as if no
// series existed, or NaN sample values. Upstream's `Run` blocks for the whole query
// (`p.api.Query(ctx, …)` with `context.WithTimeout(…, p.timeout)`), so a slow query yields a
// measurement with finishedAt = startedAt + latency, or an Error at startedAt + timeout.
import { assessMeasurement, type ConditionValue, type ExprVersion } from '../condition/index.js';
import { compileQuery, evaluateInstant, formatPromScalar, PromqlError, type CompiledQuery, type QueryResult } from '../../metrics/promql/index.js';
import { SeriesStore } from '../../metrics/store.js';
import type { MeasurementProvider } from '../analysisRun.js';
import type { PrometheusMetric, ResolvedMetric } from '../metric.js';
import type { Measurement } from '../types.js';

export interface PrometheusProviderOptions {
  readonly store: SeriesStore;
  readonly prometheusVersion: 2 | 3;
  readonly exprVersion: ExprVersion;
}

/** What a query hook does to one query (see `QueryHook`). */
export type QueryAlteration =
  /** No HTTP answer at all: the measurement is an Error with this message, at once. */
  | { readonly kind: 'transportError'; readonly message: string }
  /** The answer arrives this much later (adds up over hooks; past the timeout it is an Error). */
  | { readonly kind: 'latency'; readonly ms: number }
  /** Prometheus evaluates the query as if no series existed (renamed, not scraped yet). */
  | { readonly kind: 'noSeries' }
  /** Every sample value of the answer is NaN. */
  | { readonly kind: 'nan' };

export interface QueryHook {
  /** Consulted when a query starts; undefined leaves the query alone. */
  alter(metric: PrometheusMetric, nowMs: number): QueryAlteration | undefined;
}

/**
 * The URL client_golang posts an instant query to: the address with `/api/v1/query` joined onto its
 * path (api/client.go `URL`: `path.Join(endpoint.Path, ep)`).
 */
export function queryUrl(address: string | undefined): string {
  const a = address ?? '';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*)([^?#]*)/.exec(a);
  const origin = m ? m[1]! : a;
  const path = ((m ? m[2]! : '') + '/api/v1/query').replace(/\/+/g, '/');
  return `${origin}${path}`;
}

/** Go's `%q` for a URL of printable ASCII (what url.Error prints). */
function goQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The error text client_golang returns (and Argo stores as the measurement message) when the
 * request fails below HTTP: net/http wraps it in a *url.Error, printed `Post "<url>": <err>`
 * (Argo posts first, `DoGetFallback`).
 */
export function transportErrorMessage(address: string | undefined, err: string): string {
  return `Post ${goQuote(queryUrl(address))}: ${err}`;
}

/** Per query: whether any of its selectors ever matched a series, for the "matched nothing" report. */
export interface QueryCoverage {
  readonly query: string;
  readonly metric: string;
  evaluations: number;
  /** Selector texts that matched no series in every evaluation so far. */
  neverMatched: Set<string> | undefined;
}

/**
 * Compiled queries shared by every run in this thread (a sweep runs the same templates thousands of
 * times). A compiled query's selector cache is keyed by store, so sharing it across runs is safe.
 */
const compiledQueries: Record<2 | 3, Map<string, CompiledQuery | PromqlError>> = { 2: new Map(), 3: new Map() };
const COMPILED_QUERY_LIMIT = 1024;

export class PrometheusProvider implements MeasurementProvider {
  readonly coverage = new Map<string, QueryCoverage>();
  private readonly hooks: QueryHook[] = [];
  private emptyStore: SeriesStore | undefined;

  constructor(private readonly o: PrometheusProviderOptions) {}

  /** Installs a query hook (faults); hooks are consulted in installation order. */
  addQueryHook(hook: QueryHook): void {
    this.hooks.push(hook);
  }

  run(resolved: ResolvedMetric, nowMs: number): Measurement {
    if (resolved.provider.kind !== 'prometheus') throw new Error(`PrometheusProvider asked to run a ${resolved.provider.kind} metric`);
    const metric = resolved as PrometheusMetric;
    let latencyMs = 0;
    let noSeries = false;
    let nan = false;
    for (const h of this.hooks) {
      const a = h.alter(metric, nowMs);
      if (!a) continue;
      switch (a.kind) {
        case 'transportError':
          // A refused connection fails within milliseconds: the measurement ends where it began.
          return { startedAt: nowMs, finishedAt: nowMs, phase: 'Error', value: undefined, message: a.message };
        case 'latency':
          latencyMs += a.ms;
          break;
        case 'noSeries':
          noSeries = true;
          break;
        case 'nan':
          nan = true;
          break;
      }
    }
    const timeoutMs = metric.provider.timeoutSeconds * 1000;
    if (latencyMs > 0 && latencyMs >= timeoutMs) {
      // context.WithTimeout(…, p.timeout) expires before the answer: net/http returns
      // `Post "<url>": context deadline exceeded` and MarkMeasurementError sets finishedAt then.
      return {
        startedAt: nowMs,
        finishedAt: nowMs + timeoutMs,
        phase: 'Error',
        value: undefined,
        message: transportErrorMessage(metric.provider.address, 'context deadline exceeded'),
      };
    }
    // Argo sends `time=<now>` with the request, so the query is evaluated at its start whatever
    // the latency; only the measurement's finish moves.
    const m = this.evaluate(metric, nowMs, noSeries, nan);
    return latencyMs > 0 ? { ...m, finishedAt: nowMs + latencyMs } : m;
  }

  private evaluate(metric: PrometheusMetric, nowMs: number, noSeries: boolean, nan: boolean): Measurement {
    const base = { startedAt: nowMs, finishedAt: nowMs };
    const q = this.compile(metric.provider.query);
    if (q instanceof PromqlError) {
      // The server answers 400 bad_data; client_golang reports "<errorType>: <message>".
      return { ...base, phase: 'Error', value: undefined, message: `bad_data: invalid parameter "query": ${q.message}` };
    }
    let result;
    try {
      const store = noSeries ? (this.emptyStore ??= new SeriesStore()) : this.o.store;
      result = evaluateInstant(q, store, nowMs, { prometheusVersion: this.o.prometheusVersion });
    } catch (e) {
      if (!(e instanceof PromqlError)) throw e;
      return { ...base, phase: 'Error', value: undefined, message: `execution: ${e.message}` };
    }
    // Coverage reports selectors that never match the simulated series; a fault hiding the series
    // says nothing about the query's names.
    if (!noSeries) this.noteCoverage(metric, result.unmatchedSelectors.map((s) => s.text));
    if (nan) result = withNaNValues(result);
    let value: ConditionValue;
    let text: string;
    switch (result.resultType) {
      case 'scalar':
        value = result.value;
        text = formatPromScalar(result.value);
        break;
      case 'vector': {
        const values = result.samples.map((s) => s.value);
        value = values;
        text = `[${values.map(formatPromScalar).join(',')}]`;
        break;
      }
      case 'matrix': {
        const values = result.series.flatMap((s) => s.points.map((p) => p.value));
        value = values;
        text = `[${values.map(formatPromScalar).join(',')}]`;
        break;
      }
      case 'string':
        return { ...base, phase: 'Error', value: undefined, message: 'Prometheus metric type not supported' };
    }
    const outcome = assessMeasurement(metric.successCondition, metric.failureCondition, value, {
      exprVersion: this.o.exprVersion,
      resultType: result.resultType === 'scalar' ? 'float64' : '[]float64',
    });
    return { ...base, phase: outcome.phase, value: text, message: outcome.message };
  }

  private compile(query: string): CompiledQuery | PromqlError {
    // One map per Prometheus version, keyed by the query text itself: a key built by concatenation
    // would be a new string to hash at every measurement, the query's own string hashes once.
    const cache = compiledQueries[this.o.prometheusVersion];
    let q = cache.get(query);
    if (!q) {
      try {
        q = compileQuery(query, { prometheusVersion: this.o.prometheusVersion });
      } catch (e) {
        if (!(e instanceof PromqlError)) throw e;
        q = e;
      }
      if (cache.size >= COMPILED_QUERY_LIMIT) cache.clear();
      cache.set(query, q);
    }
    return q;
  }

  private noteCoverage(metric: PrometheusMetric, unmatched: readonly string[]): void {
    const key = `${metric.name}\u0000${metric.provider.query}`;
    let c = this.coverage.get(key);
    if (!c) {
      c = { query: metric.provider.query, metric: metric.name, evaluations: 0, neverMatched: undefined };
      this.coverage.set(key, c);
    }
    c.evaluations++;
    if (c.neverMatched === undefined) c.neverMatched = new Set(unmatched);
    else if (c.neverMatched.size > 0) {
      for (const s of c.neverMatched) if (!unmatched.includes(s)) c.neverMatched.delete(s);
    }
  }
}

/** The same answer with every sample value NaN (a NaN-producing pipeline: 0/0 ratios, bad recording rules). */
function withNaNValues(result: QueryResult): QueryResult {
  switch (result.resultType) {
    case 'scalar':
      return { ...result, value: NaN };
    case 'vector':
      return { ...result, samples: result.samples.map((s) => ({ ...s, value: NaN })) };
    case 'matrix':
      return { ...result, series: result.series.map((s) => ({ ...s, points: s.points.map((p) => ({ ...p, value: NaN })) })) };
    default:
      return result;
  }
}
