// The traffic model: requests as counts per tick, never one event per request (DESIGN.md
// principle 4). Between ticks it integrates the routing over time (shares × milliseconds, no
// random draws), so a routing change mid-tick is honoured exactly and the random draws happen
// only on the fixed tick grid — the traffic realisation does not depend on how many other events
// (reconciles, analysis measurements) happen in between.
//
// Per tick: arrivals ~ Poisson(∫rate), a multinomial split over the time-averaged routes, then per
// ReplicaSet errors ~ Binomial(n, errorRatio) and latency-bucket counts ~ Multinomial(n, bucket
// probabilities); the latency sum uses the normal approximation of a sum of n lognormals.
import type { RandomStream } from '../engine/random.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import { expectedArrivals, type LoadProfile } from './load.js';
import { latencyModel, type LatencyModel, type VersionBehaviour } from './behaviour.js';
import type { RouteShare } from './routing.js';

/** Cumulative counters of one ReplicaSet's pods, as their /metrics endpoints would report them. */
export interface ReplicaSetCounters {
  requests: number;
  errors: number;
  /** Cumulative count per bucket upper bound (same order as the bucket list), then +Inf. */
  readonly cumulativeBuckets: Float64Array;
  latencySumSeconds: number;
}

export interface TrafficTotals {
  total: number;
  failed: number;
  /** Requests that found no ready endpoint (answered 503 by the proxy). */
  unrouted: number;
}

export interface TickRecord {
  readonly total: number;
  readonly byReplicaSet: readonly { readonly replicaSet: string; readonly requests: number; readonly errors: number }[];
  readonly unrouted: number;
}

export interface TrafficModelOptions {
  readonly random: RandomStream;
  readonly load: LoadProfile;
  readonly bucketsSeconds: readonly number[];
  readonly behaviourOf: (rs: ReplicaSet) => VersionBehaviour;
  readonly routes: () => RouteShare[];
}

export class TrafficModel {
  readonly counters = new Map<ReplicaSet, ReplicaSetCounters>();
  readonly totals: TrafficTotals = { total: 0, failed: 0, unrouted: 0 };
  readonly perReplicaSet = new Map<ReplicaSet, { requests: number; errors: number }>();
  private shares: RouteShare[] = [];
  private readonly integralMs = new Map<ReplicaSet | null, number>();
  private lastSyncMs = 0;
  private tickStartMs = 0;
  private readonly latencyModels = new Map<ReplicaSet, LatencyModel>();
  private readonly routeProbabilities: number[] = [];
  private readonly routeCounts: number[] = [];
  private bucketCounts: Float64Array;

  constructor(private readonly o: TrafficModelOptions) {
    this.bucketCounts = new Float64Array(o.bucketsSeconds.length + 1);
  }

  /** Accounts the routing in force since the last call, then reads the new routing. */
  routingChanged(nowMs: number): void {
    this.integrate(nowMs);
    this.shares = this.o.routes();
  }

  private integrate(nowMs: number): void {
    const dt = nowMs - this.lastSyncMs;
    if (dt > 0) {
      for (const r of this.shares) this.integralMs.set(r.target, (this.integralMs.get(r.target) ?? 0) + r.share * dt);
    }
    this.lastSyncMs = nowMs;
  }

  /** Draws the requests of [last tick, now) and adds them to the counters. */
  tick(nowMs: number): TickRecord {
    this.integrate(nowMs);
    const spanMs = nowMs - this.tickStartMs;
    const arrivals = spanMs > 0 ? this.o.random.poisson(expectedArrivals(this.o.load, this.tickStartMs, nowMs)) : 0;
    // Routes in a stable order: ReplicaSets by creation, "no endpoint" last.
    const targets = [...this.integralMs.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a.createdSeq - b.createdSeq));
    this.routeProbabilities.length = targets.length;
    this.routeCounts.length = targets.length;
    let routed = 0;
    for (let i = 0; i < targets.length; i++) {
      const p = spanMs > 0 ? this.integralMs.get(targets[i]!)! / spanMs : 0;
      this.routeProbabilities[i] = p;
      routed += p;
    }
    // Time not covered by any route (e.g. before the first pods were ready) finds no endpoint.
    targets.push(null);
    this.routeProbabilities.push(Math.max(0, 1 - routed));
    this.routeCounts.push(0);
    this.o.random.multinomial(arrivals, this.routeProbabilities, this.routeCounts);

    const byReplicaSet: { replicaSet: string; requests: number; errors: number }[] = [];
    let unrouted = 0;
    for (let i = 0; i < targets.length; i++) {
      const n = this.routeCounts[i]!;
      const rs = targets[i]!;
      if (rs === null) {
        unrouted += n;
        continue;
      }
      if (n === 0) continue;
      const errors = this.serve(rs, n);
      byReplicaSet.push({ replicaSet: rs.name, requests: n, errors });
    }
    this.totals.total += arrivals;
    this.totals.unrouted += unrouted;
    this.totals.failed += unrouted;
    this.integralMs.clear();
    this.tickStartMs = nowMs;
    return { total: arrivals, byReplicaSet, unrouted };
  }

  private serve(rs: ReplicaSet, n: number): number {
    const behaviour = this.o.behaviourOf(rs);
    let model = this.latencyModels.get(rs);
    if (!model) {
      model = latencyModel(behaviour, this.o.bucketsSeconds);
      this.latencyModels.set(rs, model);
    }
    const errors = this.o.random.binomial(n, behaviour.errorRatio);
    let c = this.counters.get(rs);
    if (!c) {
      c = { requests: 0, errors: 0, cumulativeBuckets: new Float64Array(this.o.bucketsSeconds.length + 1), latencySumSeconds: 0 };
      this.counters.set(rs, c);
    }
    c.requests += n;
    c.errors += errors;
    this.o.random.multinomial(n, model.bucketProbabilities, this.bucketCounts);
    let cumulative = 0;
    for (let b = 0; b < this.bucketCounts.length; b++) {
      cumulative += this.bucketCounts[b]!;
      c.cumulativeBuckets[b] = c.cumulativeBuckets[b]! + cumulative;
    }
    const sum = n * model.meanSeconds + Math.sqrt(n * model.varianceSeconds2) * this.o.random.normal();
    c.latencySumSeconds += Math.max(0, sum);
    const per = this.perReplicaSet.get(rs) ?? { requests: 0, errors: 0 };
    per.requests += n;
    per.errors += errors;
    this.perReplicaSet.set(rs, per);
    this.totals.failed += errors;
    return errors;
  }

  /** A ReplicaSet whose pods are all gone loses its counters: new pods start from zero. */
  resetCounters(rs: ReplicaSet): void {
    this.counters.delete(rs);
  }
}
