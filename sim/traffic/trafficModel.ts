// The traffic model: requests as counts per tick, never one event per request (DESIGN.md
// principle 4). Between ticks it integrates the routing over time (shares × milliseconds, no
// random draws), so a routing change mid-tick is honoured exactly and the random draws happen
// only on the fixed tick grid — the traffic realisation does not depend on how many other events
// (reconciles, analysis measurements) happen in between.
//
// Per tick: arrivals ~ Poisson(∫rate), a multinomial split over the time-averaged routes, then per
// ReplicaSet errors ~ Binomial(n, errorRatio) and latency-bucket counts ~ Multinomial(n, bucket
// probabilities); the latency sum uses the normal approximation of a sum of n lognormals.
//
// Two hook points let faults change the world without touching the draws' order or cost:
// - rate modifiers (load.ts `RateModifier`) multiply the load profile's rate over a window; the
//   tick's expected arrivals stay an exact integral (step changes and sinusoids alike);
// - behaviour modifiers `(behaviour, ctx) => behaviour` change what a ReplicaSet's pods answer,
//   applied in installation order, once per ReplicaSet per tick, before that ReplicaSet's draws.
//   They see the tick [fromMs, toMs) and the offered load per ready pod of the tick, and draw
//   nothing: a tick's behaviour is one error ratio and one latency distribution, so anything that
//   varies within a tick (a ramp) is evaluated at tick granularity by the modifier.
// With no modifier in force over a tick, the tick is computed exactly as without the hooks.
import type { RandomStream } from '../engine/random.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import { expectedArrivalsModified, modifiedRateAt, type LoadProfile, type RateModifier } from './load.js';
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
  /** Mirrored copies served by the canary (not user-facing: neither in `total` nor in `failed`). */
  mirrored: number;
  /** Mirrored copies the canary answered with an error (never seen by a user). */
  mirroredFailed: number;
}

/** Per ReplicaSet: user requests served and failed, and mirrored copies (counted apart). */
export interface ServedCounts {
  requests: number;
  errors: number;
  mirrored: number;
  mirroredErrors: number;
}

export interface TickRecord {
  readonly total: number;
  readonly byReplicaSet: readonly { readonly replicaSet: string; readonly requests: number; readonly errors: number }[];
  readonly unrouted: number;
  /** Mirrored copies per ReplicaSet (absent when none were made). */
  readonly mirrored?: readonly { readonly replicaSet: string; readonly requests: number; readonly errors: number }[];
}

/** What a behaviour modifier knows about the tick in which a ReplicaSet serves its requests. */
export interface ServeContext {
  readonly replicaSet: ReplicaSet;
  /** The tick: requests arrived in [fromMs, toMs). */
  readonly fromMs: number;
  readonly toMs: number;
  /**
   * Offered load on the ReplicaSet's ready pods over the tick, in requests per second per pod:
   * the expected arrivals routed to it (the tick's integral of rate × route share, before the
   * Poisson draw) divided by its ready pod-seconds in the tick. The expectation rather than the
   * realised count, so a load threshold is a property of the load, not of sampling noise.
   */
  readonly requestsPerPodSecond: number;
  /**
   * Share of the ReplicaSet's user requests in the tick that are header-matched (the scenario's
   * spec.traffic.headerShare cohort); undefined when the scenario has no header cohort. 0 for
   * mirrored copies, which are served in their own call.
   */
  readonly headerMatched?: number | undefined;
  /** True while serving mirrored copies. */
  readonly mirrored?: boolean;
}

export type BehaviourModifier = (behaviour: VersionBehaviour, ctx: ServeContext) => VersionBehaviour;

export interface TrafficModelOptions {
  readonly random: RandomStream;
  readonly load: LoadProfile;
  readonly bucketsSeconds: readonly number[];
  readonly behaviourOf: (rs: ReplicaSet) => VersionBehaviour;
  readonly routes: () => RouteShare[];
  /**
   * A second source of requests (blue-green preview traffic) shares the pods' counters (what
   * /metrics exposes) and the behaviour modifiers (release faults) of this model, and keeps its own
   * arrivals, routes, random stream and totals.
   */
  readonly shareWith?: TrafficModel;
  /** Mirrored copies per ReplicaSet, as shares of the entry rate (setMirrorRoute); default none. */
  readonly mirrorRoutes?: () => RouteShare[];
  /** The scenario's header-matched cohort (spec.traffic.headerShare), for faults that target it. */
  readonly headerShare?: number | undefined;
  /** Draws of mirrored copies: a stream of their own, so mirroring never shifts the user traffic's draws. */
  readonly mirrorRandom?: RandomStream;
}

export class TrafficModel {
  readonly counters: Map<ReplicaSet, ReplicaSetCounters>;
  readonly totals: TrafficTotals = { total: 0, failed: 0, unrouted: 0, mirrored: 0, mirroredFailed: 0 };
  readonly perReplicaSet = new Map<ReplicaSet, ServedCounts>();
  private shares: RouteShare[] = [];
  private mirrorShares: RouteShare[] = [];
  private readonly integralMs = new Map<ReplicaSet | null, number>();
  /** ∫ header-matched share dt per target this tick (only when routes carry a header cohort). */
  private readonly headerIntegralMs = new Map<ReplicaSet | null, number>();
  private readonly mirrorIntegralMs = new Map<ReplicaSet, number>();
  /** Ready pods of each routed ReplicaSet since the last routing change, and their ∫ dt this tick. */
  private readyPods = new Map<ReplicaSet, number>();
  private readonly podMs = new Map<ReplicaSet, number>();
  private readonly rateModifiers: RateModifier[] = [];
  private readonly behaviourModifiers: BehaviourModifier[] = [];
  private lastSyncMs = 0;
  private tickStartMs = 0;
  /** The latency model of each ReplicaSet's last behaviour (rebuilt only when p50/p99 change). */
  private readonly latencyModels = new Map<ReplicaSet, { readonly p50: number; readonly p99: number; readonly model: LatencyModel }>();
  private readonly routeProbabilities: number[] = [];
  private readonly routeCounts: number[] = [];
  private bucketCounts: Float64Array;

  constructor(private readonly o: TrafficModelOptions) {
    this.bucketCounts = new Float64Array(o.bucketsSeconds.length + 1);
    this.counters = o.shareWith?.counters ?? new Map();
  }

  /** The scenario's header-matched share of requests (undefined: no header cohort). */
  get headerShare(): number | undefined {
    return this.o.headerShare;
  }

  /** Accounts the routing in force since the last call, then reads the new routing. */
  routingChanged(nowMs: number): void {
    this.integrate(nowMs);
    this.shares = this.o.routes();
    this.mirrorShares = this.o.mirrorRoutes?.() ?? [];
    this.readyPods = new Map();
    for (const r of this.shares) if (r.target) this.readyPods.set(r.target, r.target.readyReplicas);
    for (const r of this.mirrorShares) if (r.target) this.readyPods.set(r.target, r.target.readyReplicas);
  }

  /** Multiplies the load profile's rate over a window (traffic faults). */
  addRateModifier(m: RateModifier): void {
    this.rateModifiers.push(m);
  }

  /** Changes the behaviour of ReplicaSets' pods from the next tick on (release faults). */
  addBehaviourModifier(m: BehaviourModifier): void {
    this.behaviourModifiers.push(m);
  }

  /** Entry request rate (requests/s) at `tMs`: the load profile times the rate modifiers. */
  rateAt(tMs: number): number {
    return modifiedRateAt(this.o.load, this.rateModifiers, tMs);
  }

  /** Expected arrivals in [fromMs, toMs): the exact integral of `rateAt`. */
  expectedArrivals(fromMs: number, toMs: number): number {
    return expectedArrivalsModified(this.o.load, this.rateModifiers, fromMs, toMs);
  }

  private integrate(nowMs: number): void {
    const dt = nowMs - this.lastSyncMs;
    if (dt > 0) {
      for (const r of this.shares) {
        this.integralMs.set(r.target, (this.integralMs.get(r.target) ?? 0) + r.share * dt);
        if (r.headerShare !== undefined) this.headerIntegralMs.set(r.target, (this.headerIntegralMs.get(r.target) ?? 0) + r.headerShare * dt);
      }
      for (const r of this.mirrorShares) if (r.target) this.mirrorIntegralMs.set(r.target, (this.mirrorIntegralMs.get(r.target) ?? 0) + r.share * dt);
      for (const [rs, ready] of this.readyPods) this.podMs.set(rs, (this.podMs.get(rs) ?? 0) + ready * dt);
    }
    this.lastSyncMs = nowMs;
  }

  /** Draws the requests of [last tick, now) and adds them to the counters. */
  tick(nowMs: number): TickRecord {
    this.integrate(nowMs);
    const spanMs = nowMs - this.tickStartMs;
    const expected = spanMs > 0 ? this.expectedArrivals(this.tickStartMs, nowMs) : 0;
    const arrivals = spanMs > 0 ? this.o.random.poisson(expected) : 0;
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
      const header = this.headerIntegralMs.get(rs);
      const headerMatched = header === undefined ? undefined : header / this.integralMs.get(rs)!;
      const errors = this.serve(rs, n, this.behaviourFor(rs, nowMs, expected * this.routeProbabilities[i]!, headerMatched, false), this.o.random, false);
      byReplicaSet.push({ replicaSet: rs.name, requests: n, errors });
    }
    this.totals.total += arrivals;
    this.totals.unrouted += unrouted;
    this.totals.failed += unrouted;
    const mirrored = spanMs > 0 && this.mirrorIntegralMs.size > 0 ? this.serveMirrored(nowMs, spanMs, expected) : undefined;
    this.integralMs.clear();
    this.headerIntegralMs.clear();
    this.mirrorIntegralMs.clear();
    this.podMs.clear();
    this.tickStartMs = nowMs;
    return mirrored === undefined ? { total: arrivals, byReplicaSet, unrouted } : { total: arrivals, byReplicaSet, unrouted, mirrored };
  }

  /**
   * Mirrored copies of the tick: per canary ReplicaSet, Poisson(expected arrivals × its mirrored
   * share), served like requests (they load the pods and count in their metrics) from the mirror
   * stream, and kept out of the user-facing totals.
   */
  private serveMirrored(nowMs: number, spanMs: number, expected: number): { replicaSet: string; requests: number; errors: number }[] {
    const random = this.o.mirrorRandom ?? this.o.random;
    const out: { replicaSet: string; requests: number; errors: number }[] = [];
    const targets = [...this.mirrorIntegralMs.keys()].sort((a, b) => a.createdSeq - b.createdSeq);
    for (const rs of targets) {
      const mean = (expected * this.mirrorIntegralMs.get(rs)!) / spanMs;
      const n = random.poisson(mean);
      if (n === 0) continue;
      const errors = this.serve(rs, n, this.behaviourFor(rs, nowMs, mean, 0, true), random, true);
      out.push({ replicaSet: rs.name, requests: n, errors });
    }
    return out;
  }

  /** The ReplicaSet's behaviour in the tick [tickStart, nowMs), after the behaviour modifiers. */
  private behaviourFor(rs: ReplicaSet, nowMs: number, expectedRequests: number, headerMatched: number | undefined, mirrored: boolean): VersionBehaviour {
    let behaviour = this.o.behaviourOf(rs);
    const modifiers = (this.o.shareWith ?? this).behaviourModifiers;
    if (modifiers.length === 0) return behaviour;
    const podSeconds = (this.podMs.get(rs) ?? 0) / 1000;
    const ctx: ServeContext = {
      replicaSet: rs,
      fromMs: this.tickStartMs,
      toMs: nowMs,
      requestsPerPodSecond: podSeconds > 0 ? expectedRequests / podSeconds : 0,
      ...(headerMatched !== undefined ? { headerMatched } : {}),
      ...(mirrored ? { mirrored } : {}),
    };
    for (const m of modifiers) behaviour = m(behaviour, ctx);
    return behaviour;
  }

  private serve(rs: ReplicaSet, n: number, behaviour: VersionBehaviour, random: RandomStream, mirrored: boolean): number {
    let cached = this.latencyModels.get(rs);
    if (!cached || cached.p50 !== behaviour.latencyP50Ms || cached.p99 !== behaviour.latencyP99Ms) {
      cached = { p50: behaviour.latencyP50Ms, p99: behaviour.latencyP99Ms, model: latencyModel(behaviour, this.o.bucketsSeconds) };
      this.latencyModels.set(rs, cached);
    }
    const model = cached.model;
    const errors = random.binomial(n, behaviour.errorRatio);
    let c = this.counters.get(rs);
    if (!c) {
      c = { requests: 0, errors: 0, cumulativeBuckets: new Float64Array(this.o.bucketsSeconds.length + 1), latencySumSeconds: 0 };
      this.counters.set(rs, c);
    }
    c.requests += n;
    c.errors += errors;
    random.multinomial(n, model.bucketProbabilities, this.bucketCounts);
    let cumulative = 0;
    for (let b = 0; b < this.bucketCounts.length; b++) {
      cumulative += this.bucketCounts[b]!;
      c.cumulativeBuckets[b] = c.cumulativeBuckets[b]! + cumulative;
    }
    const sum = n * model.meanSeconds + Math.sqrt(n * model.varianceSeconds2) * random.normal();
    c.latencySumSeconds += Math.max(0, sum);
    const per = this.perReplicaSet.get(rs) ?? { requests: 0, errors: 0, mirrored: 0, mirroredErrors: 0 };
    if (mirrored) {
      per.mirrored += n;
      per.mirroredErrors += errors;
      this.totals.mirrored += n;
      this.totals.mirroredFailed += errors;
    } else {
      per.requests += n;
      per.errors += errors;
      this.totals.failed += errors;
    }
    this.perReplicaSet.set(rs, per);
    return errors;
  }

  /** A ReplicaSet whose pods are all gone loses its counters: new pods start from zero. */
  resetCounters(rs: ReplicaSet): void {
    this.counters.delete(rs);
  }
}
