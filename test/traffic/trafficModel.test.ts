// The traffic model: arrivals integrate the load profile, routing changes are integrated over time
// (no draws), and each route's requests, errors and latency buckets have the right distribution.
import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../sim/cluster/replicaSet.js';
import { RandomStream } from '../../sim/engine/random.js';
import { DEFAULT_BUCKETS_SECONDS, latencyModel } from '../../sim/traffic/behaviour.js';
import { expectedArrivals, rateAt, type LoadProfile } from '../../sim/traffic/load.js';
import type { RouteShare } from '../../sim/traffic/routing.js';
import { TrafficModel } from '../../sim/traffic/trafficModel.js';

const rs = (name: string, createdSeq: number): ReplicaSet => ({ name, createdSeq }) as unknown as ReplicaSet;

describe('load profiles', () => {
  const steps: LoadProfile = { kind: 'steps', rps: 100, steps: [{ atMs: 10_000, rps: 400 }, { atMs: 20_000, rps: 0 }] };
  it('integrates piecewise-constant rates exactly', () => {
    expect(expectedArrivals({ kind: 'constant', rps: 1000 }, 0, 15_000)).toBe(15_000);
    expect(expectedArrivals(steps, 5_000, 25_000)).toBe(100 * 5 + 400 * 10);
    expect(expectedArrivals(steps, 12_000, 12_000)).toBe(0);
    expect([rateAt(steps, 9_999), rateAt(steps, 10_000), rateAt(steps, 30_000)]).toEqual([100, 400, 0]);
  });
});

describe('latency model', () => {
  it('bucket probabilities follow the lognormal fitted to p50 and p99', () => {
    const m = latencyModel({ errorRatio: 0, latencyP50Ms: 50, latencyP99Ms: 1000 }, DEFAULT_BUCKETS_SECONDS);
    const cumulative = (le: number): number => {
      let c = 0;
      for (let i = 0; i < DEFAULT_BUCKETS_SECONDS.length && DEFAULT_BUCKETS_SECONDS[i]! <= le; i++) c += m.bucketProbabilities[i]!;
      return c;
    };
    expect(cumulative(0.05)).toBeCloseTo(0.5, 6);
    expect(cumulative(1)).toBeCloseTo(0.99, 6);
    expect([...m.bucketProbabilities].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('TrafficModel', () => {
  function model(routes: () => RouteShare[], errorRatio = 0.05, seed = 9): TrafficModel {
    return new TrafficModel({
      random: new RandomStream(seed, 'traffic'),
      load: { kind: 'constant', rps: 1000 },
      bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
      behaviourOf: () => ({ errorRatio, latencyP50Ms: 40, latencyP99Ms: 250 }),
      routes,
    });
  }

  it('splits by the time-averaged routing within a tick and counts errors per ReplicaSet', () => {
    const a = rs('a', 0);
    const b = rs('b', 1);
    let shares: RouteShare[] = [{ target: a, share: 1 }];
    const m = model(() => shares);
    m.routingChanged(0);
    // All to a for 10 s, then 50/50 for 10 s: a gets 75 %, b 25 % of the 20 s tick.
    shares = [
      { target: a, share: 0.5 },
      { target: b, share: 0.5 },
    ];
    m.routingChanged(10_000);
    const tick = m.tick(20_000);
    const byName = Object.fromEntries(tick.byReplicaSet.map((x) => [x.replicaSet, x]));
    expect(Math.abs(tick.total - 20_000)).toBeLessThan(5 * Math.sqrt(20_000));
    expect(byName.a!.requests / tick.total).toBeCloseTo(0.75, 1);
    expect(byName.b!.requests / tick.total).toBeCloseTo(0.25, 1);
    expect(byName.a!.errors / byName.a!.requests).toBeCloseTo(0.05, 1);
    const c = m.counters.get(a)!;
    expect(c.cumulativeBuckets.at(-1)).toBe(c.requests);
    expect(m.totals.failed).toBe(byName.a!.errors + byName.b!.errors);
  });

  it('requests that find no endpoint are unrouted and count as failed', () => {
    const m = model(() => [{ target: null, share: 1 }], 0);
    m.routingChanged(0);
    const tick = m.tick(15_000);
    expect(tick.unrouted).toBe(tick.total);
    expect(m.totals.failed).toBe(tick.total);
  });

  it('the realisation does not depend on how often routing is re-read within a tick', () => {
    const a = rs('a', 0);
    const m1 = model(() => [{ target: a, share: 1 }]);
    const m2 = model(() => [{ target: a, share: 1 }]);
    m1.routingChanged(0);
    m2.routingChanged(0);
    for (let t = 1_000; t < 15_000; t += 1_000) m2.routingChanged(t);
    expect(m1.tick(15_000)).toEqual(m2.tick(15_000));
  });
});
