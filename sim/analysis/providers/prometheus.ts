// The `prometheus` metric provider against the simulated store: an instant query at the virtual
// "now", the result shaped as Argo's provider shapes it, then the success/failure conditions.
// argo-rollouts metricproviders/prometheus/prometheus.go (v1.9.1) `Run` and `processResponse`:
// scalar ⇒ float64; vector ⇒ []float64 of the sample values in response order (empty vector ⇒
// `[]`, on which `result[0]` is an error); matrix ⇒ all values flattened; string ⇒ Error. The
// stored value text is `[v1,v2]` with Go's FormatFloat(v, 'f', -1).
import { assessMeasurement, type ConditionValue, type ExprVersion } from '../condition/index.js';
import { compileQuery, evaluateInstant, formatPromScalar, PromqlError, type CompiledQuery } from '../../metrics/promql/index.js';
import type { SeriesStore } from '../../metrics/store.js';
import type { MeasurementProvider } from '../analysisRun.js';
import type { ResolvedMetric } from '../metric.js';
import type { Measurement } from '../types.js';

export interface PrometheusProviderOptions {
  readonly store: SeriesStore;
  readonly prometheusVersion: 2 | 3;
  readonly exprVersion: ExprVersion;
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
const compiledQueries = new Map<string, CompiledQuery | PromqlError>();
const COMPILED_QUERY_LIMIT = 1024;

export class PrometheusProvider implements MeasurementProvider {
  readonly coverage = new Map<string, QueryCoverage>();

  constructor(private readonly o: PrometheusProviderOptions) {}

  run(metric: ResolvedMetric, nowMs: number): Measurement {
    const base = { startedAt: nowMs, finishedAt: nowMs };
    const q = this.compile(metric.provider.query);
    if (q instanceof PromqlError) {
      // The server answers 400 bad_data; client_golang reports "<errorType>: <message>".
      return { ...base, phase: 'Error', value: undefined, message: `bad_data: invalid parameter "query": ${q.message}` };
    }
    let result;
    try {
      result = evaluateInstant(q, this.o.store, nowMs, { prometheusVersion: this.o.prometheusVersion });
    } catch (e) {
      if (!(e instanceof PromqlError)) throw e;
      return { ...base, phase: 'Error', value: undefined, message: `execution: ${e.message}` };
    }
    this.noteCoverage(metric, result.unmatchedSelectors.map((s) => s.text));
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
    const key = `${this.o.prometheusVersion}\u0000${query}`;
    let q = compiledQueries.get(key);
    if (!q) {
      try {
        q = compileQuery(query, { prometheusVersion: this.o.prometheusVersion });
      } catch (e) {
        if (!(e instanceof PromqlError)) throw e;
        q = e;
      }
      if (compiledQueries.size >= COMPILED_QUERY_LIMIT) compiledQueries.clear();
      compiledQueries.set(key, q);
    }
    return q;
  }

  private noteCoverage(metric: ResolvedMetric, unmatched: readonly string[]): void {
    const key = `${metric.name}\u0000${metric.provider.query}`;
    let c = this.coverage.get(key);
    if (!c) {
      c = { query: metric.provider.query, metric: metric.name, evaluations: 0, neverMatched: undefined };
      this.coverage.set(key, c);
    }
    c.evaluations++;
    const now = new Set(unmatched);
    if (c.neverMatched === undefined) c.neverMatched = now;
    else for (const s of c.neverMatched) if (!now.has(s)) c.neverMatched.delete(s);
  }
}
