// Traffic faults (sim/faults/traffic.ts) and the rate modifiers behind them (sim/traffic/load.ts):
// expected arrivals per tick with worked numbers, exactness against numeric integration (steps,
// sinusoids and their products), the realised requests per tick, determinism before a fault, and
// a whole run where a traffic drop starves the canary analysis of requests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../sim/cluster/replicaSet.js';
import { RandomStream } from '../../sim/engine/random.js';
import { FAULT_KINDS } from '../../sim/faults/catalogue.js';
import type { FaultParamValue, FaultSpec, WorldHandles } from '../../sim/faults/types.js';
import { DEFAULT_BUCKETS_SECONDS } from '../../sim/traffic/behaviour.js';
import {
  constantRateModifier,
  expectedArrivals,
  expectedArrivalsModified,
  modifiedRateAt,
  sinusoidalRateModifier,
  type LoadProfile,
  type RateModifier,
} from '../../sim/traffic/load.js';
import { TrafficModel, type TickRecord } from '../../sim/traffic/trafficModel.js';
import { loadManifests } from '../../sim/manifests/load.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { ofType, rolloutYaml, run, world } from '../helpers/sim.js';

const TICK = 15_000;
const HOUR = 3_600_000;

function fault(kind: string, atMs: number, forMs: number | undefined, params: Record<string, FaultParamValue> = {}): FaultSpec {
  const defaults: Record<string, FaultParamValue> = {};
  for (const [name, spec] of Object.entries(FAULT_KINDS.get(kind)!.params)) if (spec.default !== undefined) defaults[name] = spec.default;
  return { kind, index: 0, atMs, forMs, image: undefined, params: { ...defaults, ...params } };
}

/** A traffic model at `rps` (constant, or the given profile) with every request to one ReplicaSet. */
function model(load: LoadProfile, faults: readonly FaultSpec[] = [], seed = 3): TrafficModel {
  const rs = { name: 'app-1', createdSeq: 0, template: { containers: [{ name: 'app', image: 'app:v1' }] }, readyReplicas: 4 } as unknown as ReplicaSet;
  const m = new TrafficModel({
    random: new RandomStream(seed, 'traffic'),
    load,
    bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
    behaviourOf: () => ({ errorRatio: 0.01, latencyP50Ms: 40, latencyP99Ms: 250 }),
    routes: () => [{ target: rs, share: 1 }],
  });
  m.routingChanged(0);
  for (const f of faults) FAULT_KINDS.get(f.kind)!.install(f, { traffic: m } as unknown as WorldHandles);
  return m;
}

function ticks(m: TrafficModel, untilMs: number): TickRecord[] {
  const out: TickRecord[] = [];
  for (let t = TICK; t <= untilMs; t += TICK) out.push(m.tick(t));
  return out;
}

/**
 * Composite midpoint rule with pieces of `hMs` — the reference the closed forms are checked
 * against. Every step and window edge must fall on the grid, so the rule sees no jump inside a
 * piece and its error is the smooth part's (b − a)·h²/24·max|f''|.
 */
function numeric(profile: LoadProfile, mods: readonly RateModifier[], from: number, to: number, hMs = 1): number {
  const h = hMs;
  const n = Math.round((to - from) / h);
  let s = 0;
  for (let i = 0; i < n; i++) s += modifiedRateAt(profile, mods, from + (i + 0.5) * h);
  return (s * h) / 1000;
}

describe('trafficSpike', () => {
  const constant100: LoadProfile = { kind: 'constant', rps: 100 };

  it('multiplies the rate in its window; a tick that straddles an edge integrates exactly', () => {
    const m = model(constant100, [fault('trafficSpike', 20_000, 30_000, { factor: 4 })]);
    expect([m.rateAt(19_999), m.rateAt(20_000), m.rateAt(49_999), m.rateAt(50_000)]).toEqual([100, 400, 400, 100]);
    // [15 s, 30 s): 5 s × 100 + 10 s × 400 = 4 500. [45 s, 60 s): 5 s × 400 + 10 s × 100 = 3 000.
    expect(m.expectedArrivals(15_000, 30_000)).toBe(4_500);
    expect(m.expectedArrivals(30_000, 45_000)).toBe(6_000);
    expect(m.expectedArrivals(45_000, 60_000)).toBe(3_000);
    expect(m.expectedArrivals(0, 15_000)).toBe(1_500);
  });

  it('realised requests per tick follow: ≈ 1 500, 4 500, 6 000, 3 000, 1 500', () => {
    const t = ticks(model(constant100, [fault('trafficSpike', 20_000, 30_000, { factor: 4 })]), 75_000).map((x) => x.total);
    [1_500, 4_500, 6_000, 3_000, 1_500].forEach((mean, i) => expect(Math.abs(t[i]! - mean)).toBeLessThan(5 * Math.sqrt(mean)));
  });

  it('changes no draw before it starts', () => {
    const a = ticks(model(constant100), 300_000);
    const b = ticks(model(constant100, [fault('trafficSpike', 150_000, 60_000, { factor: 3 })]), 300_000);
    expect(b.slice(0, 10)).toEqual(a.slice(0, 10));
    expect(b[10]!.total).toBeGreaterThan(3 * 1_500 - 5 * Math.sqrt(4_500));
  });
});

describe('diurnalTraffic', () => {
  // 100 rps × (0.6 + 0.4·cos(2π t / 1 h)): peak 1.0 at t = 0, trough 0.2 at 30 m.
  const diurnal = fault('diurnalTraffic', 0, undefined, { trough: 0.2, peak: 1, period: HOUR, peakAt: 0 });

  it('peaks at peakAt and bottoms out half a period later', () => {
    const m = model({ kind: 'constant', rps: 100 }, [diurnal]);
    expect(m.rateAt(0)).toBeCloseTo(100, 9);
    expect(m.rateAt(HOUR / 4)).toBeCloseTo(60, 9);
    expect(m.rateAt(HOUR / 2)).toBeCloseTo(20, 9);
    expect(m.rateAt(HOUR)).toBeCloseTo(100, 9);
  });

  it('integrates the sinusoid in closed form', () => {
    const m = model({ kind: 'constant', rps: 100 }, [diurnal]);
    // ∫₀^15m 100·(0.6 + 0.4 cos(2πt/3600 s)) dt = 100·(0.6·900 + 0.4·3600/(2π)·sin(π/2))
    //   = 100·(540 + 229.183) = 76 918.3 requests.
    expect(m.expectedArrivals(0, HOUR / 4)).toBeCloseTo(100 * (540 + (0.4 * 3600) / (2 * Math.PI)), 6);
    // A whole period averages the midpoint: 0.6 × 100 rps × 3 600 s.
    expect(m.expectedArrivals(0, HOUR)).toBeCloseTo(216_000, 6);
    // One tick at the trough: ≈ 20 rps × 15 s.
    expect(m.expectedArrivals(HOUR / 2 - 7_500, HOUR / 2 + 7_500)).toBeCloseTo(300, 1);
  });

  it('realised requests follow the curve: the quarter-hour around the trough gets ≈ 1/3 of the one around the peak', () => {
    const t = ticks(model({ kind: 'constant', rps: 100 }, [diurnal]), HOUR);
    const sum = (from: number, to: number): number => t.slice(from / TICK, to / TICK).reduce((a, x) => a + x.total, 0);
    const peak = sum(0, 7.5 * 60_000) + sum(52.5 * 60_000, HOUR);
    const trough = sum(22.5 * 60_000, 37.5 * 60_000);
    // Expected: around the peak 100·(0.6·900 + 0.4·(3600/π)·sin(π/4)) = 86 413; trough 21 587.
    expect(peak).toBeCloseTo(86_413, -3);
    expect(trough).toBeCloseTo(21_587, -3);
  });
});

describe('trafficDrop', () => {
  it('no requests in its window; the ticks at its edges keep their outside part', () => {
    const m = model({ kind: 'constant', rps: 200 }, [fault('trafficDrop', 250_000, 180_000)]);
    // Window [250 s, 430 s). Tick [240, 255): 10 s × 200 = 2 000. Tick [420, 435): 5 s × 200 = 1 000.
    expect(m.expectedArrivals(240_000, 255_000)).toBe(2_000);
    expect(m.expectedArrivals(420_000, 435_000)).toBe(1_000);
    const t = ticks(m, 600_000);
    const inside = t.slice(255_000 / TICK - 1 + 1, 420_000 / TICK);
    expect(inside.length).toBe(11);
    expect(inside.every((x) => x.total === 0 && x.byReplicaSet.length === 0)).toBe(true);
    expect(Math.abs(t[255_000 / TICK - 1]!.total - 2_000)).toBeLessThan(5 * Math.sqrt(2_000));
    expect(Math.abs(t[435_000 / TICK - 1]!.total - 1_000)).toBeLessThan(5 * Math.sqrt(1_000));
  });

  it('in a whole run: the canary analysis sees no requests, the rollout does not promote while it lasts', () => {
    const manifests = [rolloutYaml({ replicas: 4, canary: 'steps:\n  - setWeight: 25\n  - pause: {duration: 2m}' })];
    const r = run(manifests, { rps: 40, untilMs: 600_000, seed: 4 });
    const base = r.trace.filter((e) => e.type === 'traffic');
    expect(base.every((e) => (e.requests as number) > 0)).toBe(true);
    // The same run with a drop from 2 m to 5 m: requests per tick are 0 exactly inside it.
    const scenarioFault = fault('trafficDrop', 120_000, 180_000);
    const withDrop = runWithFaults(manifests, [scenarioFault]);
    const traffic = ofType(withDrop, 'traffic');
    const inWindow = traffic.filter((e) => e.t > 120_000 && e.t <= 300_000);
    expect(inWindow).toHaveLength(12);
    expect(inWindow.every((e) => e.requests === 0)).toBe(true);
    // Before the drop the traffic draws are those of the run without it.
    expect(traffic.filter((e) => e.t <= 120_000)).toEqual(base.filter((e) => e.t <= 120_000));
  });
});

/** `run` from the helpers, with faults added to its scenario. */
function runWithFaults(manifests: readonly string[], faults: readonly FaultSpec[]): RunResult {
  const set = loadManifests(manifests.map((text, i) => ({ name: `inline-${i}.yaml`, text })));
  return runScenario({ ...world({ rps: 40, untilMs: 600_000, seed: 4 }), faults }, set);
}

describe('rate modifiers: exact integrals', () => {
  const steps: LoadProfile = { kind: 'steps', rps: 100, steps: [{ atMs: 100_000, rps: 300 }, { atMs: 700_000, rps: 50 }] };

  it('without a modifier over the interval, the integral is the profile’s own, bit for bit', () => {
    const mods = [constantRateModifier(1_000_000, 2_000_000, 5)];
    for (const [a, b] of [
      [0, 15_000],
      [90_000, 105_000],
      [600_000, 1_000_000],
    ] as const) {
      expect(expectedArrivalsModified(steps, mods, a, b)).toBe(expectedArrivals(steps, a, b));
    }
  });

  it('spike × diurnal × a second diurnal on a stepped profile match numeric integration', () => {
    const mods = [
      sinusoidalRateModifier(0, Infinity, 0.3, 1.2, HOUR, 600_000),
      constantRateModifier(200_000, 500_000, 2.5),
      sinusoidalRateModifier(50_000, 900_000, 0.5, 1, 300_000, 0),
      constantRateModifier(800_000, 850_000, 0),
    ];
    for (const [a, b] of [
      [0, 1_000_000],
      [95_000, 110_000],
      [490_000, 505_000],
      [845_000, 860_000],
    ] as const) {
      const exact = expectedArrivalsModified(steps, mods, a, b);
      expect(Math.abs(exact - numeric(steps, mods, a, b))).toBeLessThan(1e-6 * Math.max(1, exact));
    }
  });

  it('property: for random diurnal parameters and intervals, the closed form matches numeric integration', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.integer({ min: 60_000, max: 86_400_000 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        fc.integer({ min: 0, max: 36_000 }),
        fc.integer({ min: 1, max: 600 }),
        (trough, peak, period, peakAt, fromS, spanUnits) => {
          // Edges on a 100 ms grid (span a multiple of 6 s, so span/3 and span/2 are too).
          const from = fromS * 1000;
          const span = spanUnits * 6000;
          const mods = [sinusoidalRateModifier(0, Infinity, trough, peak, period, peakAt), constantRateModifier(from + span / 3, from + span / 2, 3)];
          const profile: LoadProfile = { kind: 'constant', rps: 250 };
          const exact = expectedArrivalsModified(profile, mods, from, from + span);
          // Midpoint error with h = 100 ms and a period ≥ 60 s: ≤ (hω)²/24 ≈ 5e-6 of the amplitude.
          const approx = numeric(profile, mods, from, from + span, 100);
          return Math.abs(exact - approx) <= 2e-5 * Math.max(1, exact);
        },
      ),
      { numRuns: 60, seed: 11 },
    );
  });
});

describe('every traffic kind', () => {
  it('takes no target and documents its parameters', () => {
    const kinds = [...FAULT_KINDS.values()].filter((k) => k.category === 'traffic');
    expect(kinds.map((k) => k.kind)).toEqual(['trafficSpike', 'diurnalTraffic', 'trafficDrop']);
    for (const k of kinds) {
      expect(k.target).toBe('none');
      expect(k.description.length).toBeGreaterThan(40);
      expect(k.example).toMatch(new RegExp(`^- kind: ${k.kind}\\n  at: `));
      const example = k.example
        .split('\n')
        .map((l) => '    ' + l)
        .join('\n');
      const parsed = parseScenario('drill.yaml', `apiVersion: rehearse.dev/v1alpha1\nkind: Scenario\nmetadata: { name: x }\nspec:\n  manifests: [m]\n  faults:\n${example}\n`);
      expect(parsed.faults.map((f) => f.kind)).toEqual([k.kind]);
    }
  });
});
