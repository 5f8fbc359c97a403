// A metric preset maps the simulated counters of one scrape target to the series a real exporter
// would expose, with the metric and label names real AnalysisTemplates query. The layout of a
// target's series is computed once; each scrape only reads values (the hot path allocates nothing).
import type { ReplicaSetCounters } from '../../traffic/trafficModel.js';

export interface ScrapeTarget {
  readonly namespace: string;
  readonly service: string;
  readonly podTemplateHash: string;
  readonly bucketsSeconds: readonly number[];
  readonly errorCode: number;
}

export interface PresetSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** The series' value from the target's counters, or undefined while the series does not exist yet. */
  readonly value: (c: ReplicaSetCounters) => number | undefined;
}

export interface MetricPreset {
  readonly name: string;
  layout(target: ScrapeTarget): readonly PresetSeries[];
}
