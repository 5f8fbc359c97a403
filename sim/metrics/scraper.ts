// The scrape model: every scrape interval, each ReplicaSet with pods is scraped through each
// Service that selects it, and the preset's series are appended to the store. A series that was
// scraped before but is not any more (pods gone, Service re-pointed) gets a stale marker, as
// Prometheus writes one when a target or series disappears.
import type { Cluster } from '../cluster/cluster.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import type { TrafficModel } from '../traffic/trafficModel.js';
import type { MetricPreset, PresetSeries } from './presets/preset.js';
import type { SeriesHandle, SeriesStore } from './store.js';

export interface ScraperOptions {
  readonly store: SeriesStore;
  readonly cluster: Cluster;
  readonly traffic: TrafficModel;
  readonly preset: MetricPreset;
  readonly namespace: string;
  /** Service label for pods no Service selects (the rollout's name). */
  readonly fallbackService: string;
  readonly bucketsSeconds: readonly number[];
  readonly errorCode: number;
}

interface TargetSeries {
  readonly layout: readonly PresetSeries[];
  readonly handles: (SeriesHandle | undefined)[];
}

export class Scraper {
  private active = new Set<SeriesHandle>();
  private readonly targets = new Map<string, TargetSeries>();

  constructor(private readonly o: ScraperOptions) {}

  scrape(nowMs: number): void {
    const seen = new Set<SeriesHandle>();
    for (const rs of this.o.cluster.replicaSets) {
      if (rs.statusReplicas === 0) continue;
      const counters = this.o.traffic.counters.get(rs);
      if (!counters) continue;
      for (const service of this.servicesOf(rs)) {
        const t = this.target(rs, service);
        for (let i = 0; i < t.layout.length; i++) {
          const v = t.layout[i]!.value(counters);
          if (v === undefined) continue;
          let h = t.handles[i];
          if (!h) {
            h = this.o.store.series(t.layout[i]!.labels);
            t.handles[i] = h;
          }
          h.append(nowMs, v);
          seen.add(h);
        }
      }
    }
    for (const h of this.active) if (!seen.has(h)) h.appendStale(nowMs);
    this.active = seen;
  }

  private target(rs: ReplicaSet, service: string): TargetSeries {
    const key = `${rs.name}\u0000${service}`;
    let t = this.targets.get(key);
    if (!t) {
      const layout = this.o.preset.layout({
        namespace: this.o.namespace,
        service,
        podTemplateHash: rs.podTemplateHash,
        bucketsSeconds: this.o.bucketsSeconds,
        errorCode: this.o.errorCode,
      });
      t = { layout, handles: new Array<SeriesHandle | undefined>(layout.length) };
      this.targets.set(key, t);
    }
    return t;
  }

  private servicesOf(rs: ReplicaSet): string[] {
    const names: string[] = [];
    for (const svc of this.o.cluster.services.values()) if (svc.selects(rs.podLabels)) names.push(svc.name);
    if (names.length === 0) names.push(this.o.fallbackService);
    return names.sort();
  }
}
