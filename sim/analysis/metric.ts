// A metric of an AnalysisRun after argument substitution, with its limits resolved to numbers and
// its durations to milliseconds — everything the run loop needs, resolved once at creation.
import { intOrStringIntValue, parseGoDurationMs } from '../manifests/duration.js';
import { effectiveCount, resolveMetric as resolveMetricArgs } from '../manifests/metricValidation.js';
import type { IntOrString, Metric } from '../manifests/types.js';
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
  readonly provider: { readonly kind: 'prometheus'; readonly query: string; readonly address: string | undefined; readonly timeoutSeconds: number };
  readonly dryRun: boolean;
}

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
  const prometheus = m.provider.prometheus;
  if (!prometheus) throw new ArgumentError(`metric "${m.name}" has no simulated provider`);
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
    provider: {
      kind: 'prometheus',
      query: prometheus.query,
      address: prometheus.address,
      timeoutSeconds: prometheus.timeout ?? DefaultPrometheusTimeoutSeconds,
    },
    dryRun,
  };
}
