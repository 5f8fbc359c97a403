// The scrape model: every scrape interval, each ReplicaSet with pods is scraped through each
// Service that selects it, and the preset's series are appended to the store. When a target
// disappears (pods gone, Service re-pointed) its series get a stale marker, as Prometheus writes
// one when a target or series disappears. Targets and their series handles are resolved once and
// reused, so a scrape allocates nothing on the hot path.
//
// Scrape hooks (`addHook`) are where metrics-pipeline faults act: a hook may skip whole scrapes
// (Prometheus down or overloaded: nothing is appended and no stale markers are written, so series
// keep their last sample until the lookback window passes them), or stop exposing some series
// (renamed metric, dropped target): Prometheus writes a stale marker for a series that vanishes
// from its target's scrape (scrape/scrape.go, `forEachStale` after each append) and then nothing.
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
  /** The Rollout and the Services/Ingress it names (labels of the mesh and ingress presets). */
  readonly rollout?: string;
  readonly canaryService?: string;
  readonly stableService?: string;
  /** A blue-green Rollout's active and preview Services (it has no canary/stable ones). */
  readonly activeService?: string;
  readonly previewService?: string;
  readonly ingress?: string;
}

export interface ScrapeHook {
  /** True: no scrape happens at this instant at all. */
  skipsScrape?(nowMs: number): boolean;
  /** Whether the hook hides series now (evaluated once per scrape). */
  hidesSeries?(nowMs: number): boolean;
  /** While `hidesSeries`: whether this series of this ReplicaSet's target is not exposed. */
  hides?(rs: ReplicaSet, labels: Readonly<Record<string, string>>): boolean;
  /** Told what the hook caused at a scrape: a skipped scrape, or stale markers for hidden series. */
  onEffect?(
    effect: { readonly kind: 'skipped' } | { readonly kind: 'hidden'; readonly series: number } | { readonly kind: 'staleMarkers'; readonly series: number },
    nowMs: number,
  ): void;
}

interface Target {
  readonly rs: ReplicaSet;
  readonly layout: readonly PresetSeries[];
  readonly handles: (SeriesHandle | undefined)[];
  /** The scrape number this target was last scraped in. */
  lastScrape: number;
  /** Per series: whether the last scrape of the target wrote it (a series that vanishes gets a stale marker). */
  readonly written: Uint8Array;
  /** Per series: 0 exposed, else 1 + the index of the hook that hides it; valid for `hiddenEpoch`. */
  hidden: Uint16Array | undefined;
  hiddenEpoch: number;
  /** Per series: the value this target contributed at its last scrape (aggregated presets). */
  readonly lastValue: Float64Array;
}

/** One series fed by several targets (aggregated presets): see Scraper.scrapeAggregated. */
interface Aggregate {
  readonly handle: SeriesHandle;
  /** The scrape number in which `sum` was last reset. */
  touched: number;
  /** Sum of the contributions of this scrape. */
  sum: number;
  /** What contributors that went away or restarted had counted. */
  retired: number;
  exposed: boolean;
}

export class Scraper {
  private readonly targets = new Map<string, Target>();
  /** Per ReplicaSet: its targets, valid while the Services' selectors have not changed. */
  private readonly targetsByRs = new Map<ReplicaSet, { epoch: number; targets: Target[] }>();
  private active: Target[] = [];
  private scrapeNumber = 0;
  private readonly hooks: ScrapeHook[] = [];
  /** Which hooks hid series at the last scrape, and a counter bumped whenever that changes. */
  private hidingKey = '';
  private hidingEpoch = 0;
  private hiding: boolean[] = [];
  private readonly staleByHook: number[] = [];
  /** Per hook: series newly hidden at this scrape (a target's mask computed for the first time under it). */
  private readonly hiddenByHook: number[] = [];
  /** Aggregated presets: per series, its contributors' sum; in creation order (deterministic). */
  private readonly aggregateOf = new Map<SeriesHandle, Aggregate>();
  private readonly aggregates: Aggregate[] = [];

  constructor(private readonly o: ScraperOptions) {}

  /** Installs a scrape hook (faults); see ScrapeHook. */
  addHook(hook: ScrapeHook): void {
    this.hooks.push(hook);
  }

  scrape(nowMs: number): void {
    for (const hook of this.hooks) {
      if (hook.skipsScrape?.(nowMs)) {
        hook.onEffect?.({ kind: 'skipped' }, nowMs);
        return;
      }
    }
    this.updateHiding(nowMs);
    if (this.o.preset.aggregate === true) {
      this.scrapeAggregated(nowMs);
      this.reportHookEffects(nowMs);
      return;
    }
    const n = ++this.scrapeNumber;
    const scraped: Target[] = [];
    for (const rs of this.o.cluster.replicaSets) {
      if (rs.statusReplicas === 0) continue;
      const counters = this.o.traffic.counters.get(rs);
      if (!counters) continue;
      for (const t of this.targetsOf(rs)) {
        const hidden = this.hiddenOf(t);
        for (let i = 0; i < t.layout.length; i++) {
          const v = hidden !== undefined && hidden[i] !== 0 ? undefined : t.layout[i]!.value(counters);
          if (v === undefined) {
            // A series the target exposed last time and not now (hidden, or a counter that
            // restarted from zero and has not been incremented yet) gets a stale marker.
            if (t.written[i] === 1) {
              t.handles[i]!.appendStale(nowMs);
              t.written[i] = 0;
              if (hidden !== undefined && hidden[i] !== 0) this.staleByHook[hidden[i]! - 1]!++;
            }
            continue;
          }
          let h = t.handles[i];
          if (!h) {
            h = this.o.store.series(t.layout[i]!.labels);
            t.handles[i] = h;
          }
          h.append(nowMs, v);
          t.written[i] = 1;
        }
        t.lastScrape = n;
        scraped.push(t);
      }
    }
    for (const t of this.active) {
      if (t.lastScrape === n) continue;
      for (let i = 0; i < t.handles.length; i++) {
        if (t.written[i] === 1) t.handles[i]!.appendStale(nowMs);
        t.written[i] = 0;
      }
    }
    this.active = scraped;
    this.reportHookEffects(nowMs);
  }

  /**
   * A scrape for exporters that count requests where they are served (mesh sidecars, ingress
   * controllers, gateways): several ReplicaSets may feed one series (NGINX counts every stable
   * request under one label set whichever ReplicaSet served it), so a series' value is the sum of
   * its contributors' counters, and stays monotonic when a contributor goes away or restarts from
   * zero: its last value is carried into the series' `retired` part, as the exporter's own counter
   * would have kept it. A series nobody feeds any more gets a stale marker (its proxy or pod is gone)
   * — unless the preset's exporter outlives the pods (`persistentSeries`), which keeps exposing the
   * counter's last value.
   */
  private scrapeAggregated(nowMs: number): void {
    const n = ++this.scrapeNumber;
    const scraped: Target[] = [];
    const retire = (t: Target, i: number): void => {
      this.aggregate(t.handles[i]!).retired += t.lastValue[i]!;
      t.written[i] = 0;
    };
    for (const rs of this.o.cluster.replicaSets) {
      if (rs.statusReplicas === 0) continue;
      const counters = this.o.traffic.counters.get(rs);
      if (!counters) continue;
      for (const t of this.targetsOf(rs)) {
        const hidden = this.hiddenOf(t);
        for (let i = 0; i < t.layout.length; i++) {
          const v = hidden !== undefined && hidden[i] !== 0 ? undefined : t.layout[i]!.value(counters);
          if (v === undefined) {
            if (t.written[i] === 1) {
              retire(t, i);
              if (hidden !== undefined && hidden[i] !== 0) this.staleByHook[hidden[i]! - 1]!++;
            }
            continue;
          }
          let h = t.handles[i];
          if (!h) {
            h = this.o.store.series(t.layout[i]!.labels);
            t.handles[i] = h;
          }
          const a = this.aggregate(h);
          if (t.written[i] === 1 && v < t.lastValue[i]!) a.retired += t.lastValue[i]!;
          if (a.touched !== n) {
            a.touched = n;
            a.sum = 0;
          }
          a.sum += v;
          t.lastValue[i] = v;
          t.written[i] = 1;
        }
        t.lastScrape = n;
        scraped.push(t);
      }
    }
    for (const t of this.active) {
      if (t.lastScrape === n) continue;
      for (let i = 0; i < t.handles.length; i++) if (t.written[i] === 1) retire(t, i);
    }
    this.active = scraped;
    const persistent = this.o.preset.persistentSeries === true;
    for (const a of this.aggregates) {
      if (a.touched === n) {
        a.handle.append(nowMs, a.retired + a.sum);
        a.exposed = true;
      } else if (a.exposed && persistent) {
        a.handle.append(nowMs, a.retired);
      } else if (a.exposed) {
        a.handle.appendStale(nowMs);
        a.exposed = false;
        // The exporter that kept this counter is gone; a new one starts from zero.
        a.retired = 0;
      }
    }
  }

  private aggregate(h: SeriesHandle): Aggregate {
    let a = this.aggregateOf.get(h);
    if (!a) {
      a = { handle: h, touched: 0, sum: 0, retired: 0, exposed: false };
      this.aggregateOf.set(h, a);
      this.aggregates.push(a);
    }
    return a;
  }

  private reportHookEffects(nowMs: number): void {
    for (let k = 0; k < this.staleByHook.length; k++) {
      if (this.hiddenByHook[k]! > 0) this.hooks[k]!.onEffect?.({ kind: 'hidden', series: this.hiddenByHook[k]! }, nowMs);
      if (this.staleByHook[k]! > 0) this.hooks[k]!.onEffect?.({ kind: 'staleMarkers', series: this.staleByHook[k]! }, nowMs);
      this.staleByHook[k] = 0;
      this.hiddenByHook[k] = 0;
    }
  }

  /** Which hooks hide series at this scrape; a change invalidates every target's hidden mask. */
  private updateHiding(nowMs: number): void {
    let key = '';
    for (let k = 0; k < this.hooks.length; k++) {
      const on = this.hooks[k]!.hidesSeries?.(nowMs) ?? false;
      this.hiding[k] = on;
      this.staleByHook[k] ??= 0;
      this.hiddenByHook[k] ??= 0;
      key += on ? '1' : '0';
    }
    if (key !== this.hidingKey) {
      this.hidingKey = key;
      this.hidingEpoch++;
    }
  }

  /** The target's hidden-series mask under the hooks hiding now (undefined: nothing hidden). */
  private hiddenOf(t: Target): Uint16Array | undefined {
    if (!this.hidingKey.includes('1')) return undefined;
    if (t.hidden !== undefined && t.hiddenEpoch === this.hidingEpoch) return t.hidden;
    const mask = new Uint16Array(t.layout.length);
    for (let i = 0; i < t.layout.length; i++) {
      for (let k = 0; k < this.hooks.length; k++) {
        if (this.hiding[k] && this.hooks[k]!.hides?.(t.rs, t.layout[i]!.labels)) {
          mask[i] = k + 1;
          this.hiddenByHook[k]!++;
          break;
        }
      }
    }
    t.hidden = mask;
    t.hiddenEpoch = this.hidingEpoch;
    return mask;
  }

  private targetsOf(rs: ReplicaSet): Target[] {
    const epoch = this.o.cluster.selectorEpoch;
    const cached = this.targetsByRs.get(rs);
    if (cached && cached.epoch === epoch) return cached.targets;
    const names: string[] = [];
    for (const svc of this.o.cluster.services.values()) if (svc.selects(rs.podLabels)) names.push(svc.name);
    if (names.length === 0) names.push(this.o.fallbackService);
    names.sort();
    const targets = this.o.preset.targetPerReplicaSet ? [this.target(rs, this.servingService(names), names)] : names.map((service) => this.target(rs, service, names));
    this.targetsByRs.set(rs, { epoch, targets });
    return targets;
  }

  /**
   * For exporters that count a request once where it is served: the Service a request reaching
   * these pods was addressed to. In steady state the controller points both Services at the same
   * pods and the router sends everything to the stable one. Blue-green likewise: users reach the
   * active Service, so pods it selects are counted under it, and pods only the preview Service
   * selects (the new revision before promotion) under the preview Service.
   */
  private servingService(names: readonly string[]): string {
    const { stableService, canaryService, activeService, previewService } = this.o;
    for (const svc of [stableService, activeService, canaryService, previewService]) if (svc !== undefined && names.includes(svc)) return svc;
    return names[0]!;
  }

  private target(rs: ReplicaSet, service: string, selecting: readonly string[]): Target {
    const perRs = this.o.preset.targetPerReplicaSet === true;
    // A per-ReplicaSet target's labels may depend on every selecting Service (NGINX's canary label).
    const key = perRs ? `${rs.name}\u0000${selecting.join('\u0000')}` : `${rs.name}\u0000${service}`;
    let t = this.targets.get(key);
    if (!t) {
      const presetLayout = this.o.preset.layout({
        namespace: this.o.namespace,
        service,
        podTemplateHash: rs.podTemplateHash,
        bucketsSeconds: this.o.bucketsSeconds,
        errorCode: this.o.errorCode,
        replicaSet: rs.name,
        podLabels: rs.podLabels,
        selectingServices: selecting,
        ...(this.o.rollout !== undefined ? { rollout: this.o.rollout } : {}),
        ...(this.o.canaryService !== undefined ? { canaryService: this.o.canaryService } : {}),
        ...(this.o.stableService !== undefined ? { stableService: this.o.stableService } : {}),
        ...(this.o.activeService !== undefined ? { activeService: this.o.activeService } : {}),
        ...(this.o.previewService !== undefined ? { previewService: this.o.previewService } : {}),
        ...(this.o.ingress !== undefined ? { ingress: this.o.ingress } : {}),
      });
      // An Experiment's pods carry the same labels (and pod-template hash) as the Rollout's pods
      // they were cut from; on a cluster only their `pod` label tells them apart, so their
      // series carry `pod` = the ReplicaSet's name (match them with pod=~"<experiment>-<template>.*").
      const layout = rs.owner === undefined ? presetLayout : presetLayout.map((p) => ({ ...p, labels: { ...p.labels, pod: rs.name } }));
      t = {
        rs,
        layout,
        handles: new Array<SeriesHandle | undefined>(layout.length),
        lastScrape: 0,
        written: new Uint8Array(layout.length),
        hidden: undefined,
        hiddenEpoch: 0,
        lastValue: new Float64Array(layout.length),
      };
      this.targets.set(key, t);
    }
    return t;
  }
}
