// The scrape model: every scrape interval, each ReplicaSet with pods is scraped through each
// Service that selects it, and the preset's series are appended to the store. When a target
// disappears (pods gone, Service re-pointed) its series get a stale marker, as Prometheus writes
// one when a target or series disappears. Targets and their series handles are resolved once and
// reused, so a scrape allocates nothing on the hot path.
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

interface Target {
  readonly layout: readonly PresetSeries[];
  readonly handles: (SeriesHandle | undefined)[];
  /** The scrape number this target was last scraped in. */
  lastScrape: number;
}

export class Scraper {
  private readonly targets = new Map<string, Target>();
  /** Per ReplicaSet: its targets, valid while the Services' selectors have not changed. */
  private readonly targetsByRs = new Map<ReplicaSet, { epoch: number; targets: Target[] }>();
  private active: Target[] = [];
  private scrapeNumber = 0;

  constructor(private readonly o: ScraperOptions) {}

  scrape(nowMs: number): void {
    const n = ++this.scrapeNumber;
    const scraped: Target[] = [];
    for (const rs of this.o.cluster.replicaSets) {
      if (rs.statusReplicas === 0) continue;
      const counters = this.o.traffic.counters.get(rs);
      if (!counters) continue;
      for (const t of this.targetsOf(rs)) {
        for (let i = 0; i < t.layout.length; i++) {
          const v = t.layout[i]!.value(counters);
          if (v === undefined) continue;
          let h = t.handles[i];
          if (!h) {
            h = this.o.store.series(t.layout[i]!.labels);
            t.handles[i] = h;
          }
          h.append(nowMs, v);
        }
        t.lastScrape = n;
        scraped.push(t);
      }
    }
    for (const t of this.active) {
      if (t.lastScrape === n) continue;
      for (const h of t.handles) if (h) h.appendStale(nowMs);
    }
    this.active = scraped;
  }

  private targetsOf(rs: ReplicaSet): Target[] {
    const epoch = this.o.cluster.selectorEpoch;
    const cached = this.targetsByRs.get(rs);
    if (cached && cached.epoch === epoch) return cached.targets;
    const names: string[] = [];
    for (const svc of this.o.cluster.services.values()) if (svc.selects(rs.podLabels)) names.push(svc.name);
    if (names.length === 0) names.push(this.o.fallbackService);
    const targets = names.sort().map((service) => this.target(rs, service));
    this.targetsByRs.set(rs, { epoch, targets });
    return targets;
  }

  private target(rs: ReplicaSet, service: string): Target {
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
      t = { layout, handles: new Array<SeriesHandle | undefined>(layout.length), lastScrape: 0 };
      this.targets.set(key, t);
    }
    return t;
  }
}
