// A metric preset maps the simulated counters of one scrape target to the series a real exporter
// would expose, with the metric and label names real AnalysisTemplates query. The layout of a
// target's series is computed once; each scrape only reads values (the hot path allocates nothing).
import type { ReplicaSetCounters } from '../../traffic/trafficModel.js';

export interface ScrapeTarget {
  readonly namespace: string;
  /** The Service the series are labelled with (see MetricPreset.targetPerReplicaSet). */
  readonly service: string;
  readonly podTemplateHash: string;
  /** Latency bucket upper bounds in seconds, as the traffic model counts them. */
  readonly bucketsSeconds: readonly number[];
  readonly errorCode: number;
  /** The Rollout's name; the ReplicaSet's name; the pods' labels. */
  readonly rollout?: string;
  readonly replicaSet?: string;
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Every Service selecting the ReplicaSet's pods now, sorted. */
  readonly selectingServices?: readonly string[];
  /** The Rollout's canary and stable Services and (NGINX) its stable Ingress, when named. */
  readonly canaryService?: string;
  readonly stableService?: string;
  /** A blue-green Rollout's active and preview Services, when named. */
  readonly activeService?: string;
  readonly previewService?: string;
  readonly ingress?: string;
}

export interface PresetSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** The series' value from the target's counters, or undefined while the series does not exist yet. */
  readonly value: (c: ReplicaSetCounters) => number | undefined;
}

export interface MetricPreset {
  readonly name: string;
  layout(target: ScrapeTarget): readonly PresetSeries[];
  /**
   * Latency bucket upper bounds in seconds that this exporter uses (the traffic model counts
   * requests into exactly these); undefined: the Prometheus client libraries' defaults.
   */
  readonly bucketsSeconds?: readonly number[];
  /**
   * True for exporters that count each request once where it is served (a mesh sidecar, an
   * ingress controller): one target per ReplicaSet, labelled with one Service (the stable Service
   * when several select the pods, as in steady state both do). False (the default) for the
   * application's own /metrics scraped through every Service that selects it, as a ServiceMonitor
   * per Service would.
   */
  readonly targetPerReplicaSet?: boolean;
  /**
   * True when targets may write the same series (labels without a per-ReplicaSet identity): a
   * series is then the sum of its targets' counters, kept monotonic (Scraper.scrapeAggregated).
   */
  readonly aggregate?: boolean;
  /**
   * With aggregate: the exporter outlives the pods (an ingress controller, a gateway), so
   * a series keeps its last value after the pods that fed it are gone instead of going stale.
   */
  readonly persistentSeries?: boolean;
}

/** The value of a counter that exists once the ReplicaSet served a request (histogram parts). */
export const whenServed = (v: number, c: { readonly requests: number }): number | undefined => (c.requests > 0 ? v : undefined);

/** A counter that exists only once it was incremented (a status-code series of a client library). */
export const positive = (v: number): number | undefined => (v > 0 ? v : undefined);

/**
 * Classic-histogram series `<base>_bucket{le}`, `_sum`, `_count` over the counters' buckets, with
 * `le` written in the exporter's unit (`scale` = units per second: 1000 for milliseconds).
 * `boundsInUnit` are the bounds as the exporter prints them (so "0.5", not "0.49999999").
 */
export function histogramSeries(
  base: string,
  labels: Readonly<Record<string, string>>,
  boundsInUnit: readonly number[],
  scale: number,
): PresetSeries[] {
  const out: PresetSeries[] = [];
  boundsInUnit.forEach((le, i) => {
    out.push({ labels: { __name__: `${base}_bucket`, ...labels, le: String(le) }, value: (c) => whenServed(c.cumulativeBuckets[i]!, c) });
  });
  out.push(
    { labels: { __name__: `${base}_bucket`, ...labels, le: '+Inf' }, value: (c) => whenServed(c.requests, c) },
    { labels: { __name__: `${base}_sum`, ...labels }, value: (c) => whenServed(c.latencySumSeconds * scale, c) },
    { labels: { __name__: `${base}_count`, ...labels }, value: (c) => whenServed(c.requests, c) },
  );
  return out;
}

/** Successes and errors as two status-code series (created lazily, as exporters do). */
export function statusSeries(
  name: string,
  labels: Readonly<Record<string, string>>,
  codeLabel: string,
  okCode: string,
  errorCode: string,
): PresetSeries[] {
  return [
    { labels: { __name__: name, ...labels, [codeLabel]: okCode }, value: (c) => positive(c.requests - c.errors) },
    { labels: { __name__: name, ...labels, [codeLabel]: errorCode }, value: (c) => positive(c.errors) },
  ];
}
