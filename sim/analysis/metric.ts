// A metric of an AnalysisRun after argument substitution, with its limits resolved to numbers and
// its durations to milliseconds — everything the run loop needs, resolved once at creation.
import { intOrStringIntValue, parseGoDurationMs } from '../manifests/duration.js';
import { effectiveCount, resolveMetric as resolveMetricArgs } from '../manifests/metricValidation.js';
import type { FixtureProviderKind, IntOrString, Metric } from '../manifests/types.js';
import {
  DefaultConsecutiveErrorLimit,
  DefaultFailureLimit,
  DefaultInconclusiveLimit,
  DefaultPrometheusTimeoutSeconds,
} from '../rollouts/defaults.js';

export interface ResolvedMetric {
  readonly name: string;
  readonly intervalMs: number | undefined;
  readonly initialDelayMs: number | undefined;
  /** `Metric.EffectiveCount`: undefined means unbounded. */
  readonly effectiveCount: number | undefined;
  readonly successCondition: string | undefined;
  readonly failureCondition: string | undefined;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly consecutiveErrorLimit: number;
  readonly consecutiveSuccessLimit: number;
  readonly provider: MetricSource;
  readonly dryRun: boolean;
}

export interface PrometheusSource {
  readonly kind: 'prometheus';
  readonly query: string;
  readonly address: string | undefined;
  readonly timeoutSeconds: number;
}

/** `web` after argument substitution (metricproviders/webmetric). */
export interface WebSource {
  readonly kind: 'web';
  readonly method: string;
  readonly url: string;
  readonly timeoutSeconds: number;
  /** As written; `{$}` when unset (`NewWebMetricJsonParser`). */
  readonly jsonPath: string;
  readonly hasBody: boolean;
  /** Both body and jsonBody written (an Error upstream). */
  readonly bothBodies: boolean;
}

export interface JobSource {
  readonly kind: 'job';
  readonly images: readonly string[];
}

export interface FixtureSource {
  readonly kind: 'fixture';
  readonly provider: FixtureProviderKind;
  readonly raw: unknown;
}

/** Which provider answers a metric, with what it needs. */
export type MetricSource = PrometheusSource | WebSource | JobSource | FixtureSource;

/** A metric answered by the Prometheus provider (what query hooks see). */
export type PrometheusMetric = ResolvedMetric & { readonly provider: PrometheusSource };

/** Argument resolution failed: the run goes to phase Error, as upstream's does. */
export class ArgumentError extends Error {}

const orDefault = (v: IntOrString | undefined, d: number): number => (v === undefined ? d : intOrStringIntValue(v));

/**
 * Resolves one template metric for a run: `{{args.x}}` everywhere upstream substitutes it, then
 * the defaults of utils/defaults (failureLimit 0, inconclusiveLimit 0, consecutiveErrorLimit 4,
 * consecutiveSuccessLimit 0) and `Metric.EffectiveCount`.
 */
export function resolveMetric(metric: Metric, args: ReadonlyMap<string, string>, dryRun: boolean): ResolvedMetric {
  const { metric: m, unresolved } = resolveMetricArgs(metric, args);
  if (unresolved !== undefined) throw new ArgumentError(`failed to resolve ${unresolved}`);
  const provider = sourceOf(m);
  const count = effectiveCount(m);
  return {
    name: m.name,
    intervalMs: m.interval ? parseGoDurationMs(m.interval) : undefined,
    initialDelayMs: m.initialDelay ? parseGoDurationMs(m.initialDelay) : undefined,
    effectiveCount: count === undefined ? undefined : intOrStringIntValue(count),
    successCondition: m.successCondition,
    failureCondition: m.failureCondition,
    failureLimit: orDefault(m.failureLimit, DefaultFailureLimit),
    inconclusiveLimit: orDefault(m.inconclusiveLimit, DefaultInconclusiveLimit),
    consecutiveErrorLimit: orDefault(m.consecutiveErrorLimit, DefaultConsecutiveErrorLimit),
    consecutiveSuccessLimit: orDefault(m.consecutiveSuccessLimit, 0),
    provider,
    dryRun,
  };
}

/** Upstream web timeout when `timeoutSeconds` is unset or ≤ 0 (`NewWebMetricHttpClient`). */
const DefaultWebTimeoutSeconds = 10;

function sourceOf(m: Metric): MetricSource {
  const { prometheus, web, job, fixture } = m.provider;
  if (prometheus) return { kind: 'prometheus', query: prometheus.query, address: prometheus.address, timeoutSeconds: prometheus.timeout ?? DefaultPrometheusTimeoutSeconds };
  if (web) {
    return {
      kind: 'web',
      method: web.method === undefined || web.method === '' ? 'GET' : web.method,
      url: web.url,
      timeoutSeconds: web.timeoutSeconds === undefined || web.timeoutSeconds <= 0 ? DefaultWebTimeoutSeconds : web.timeoutSeconds,
      jsonPath: web.jsonPath === undefined || web.jsonPath === '' ? '{$}' : web.jsonPath,
      hasBody: (web.body !== undefined && web.body !== '') || (web.jsonBody !== undefined && web.jsonBody !== null),
      bothBodies: web.body !== undefined && web.body !== '' && web.jsonBody !== undefined && web.jsonBody !== null,
    };
  }
  if (job) return { kind: 'job', images: job.images };
  if (fixture) return { kind: 'fixture', provider: fixture.kind, raw: fixture.raw };
  throw new ArgumentError(`metric "${m.name}" has no simulated provider`);
}
