// Release faults (sim/faults/release.ts): each kind's effect on one version's errors and latency,
// with worked numbers — read from a spy behaviour modifier installed after the fault (the exact
// behaviour of each tick) and from the realised counts — plus an end-to-end drill where an error
// step on the checkout canary makes the shipped analysis abort, and the determinism guarantee that
// a fault changes no draw before it starts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReplicaSet } from '../../sim/cluster/replicaSet.js';
import { InputError } from '../../sim/diagnostics.js';
import { RandomStream } from '../../sim/engine/random.js';
import { TraceRecorder } from '../../sim/engine/trace.js';
import { FAULT_KINDS } from '../../sim/faults/catalogue.js';
import { combineErrorRatios } from '../../sim/faults/release.js';
import type { FaultParamValue, FaultSpec, WorldHandles } from '../../sim/faults/types.js';
import { loadManifests } from '../../sim/manifests/load.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import { DEFAULT_BUCKETS_SECONDS, latencyModel, type VersionBehaviour } from '../../sim/traffic/behaviour.js';
import type { RouteShare } from '../../sim/traffic/routing.js';
import { TrafficModel, type TickRecord } from '../../sim/traffic/trafficModel.js';
import { runScenario, type RunResult } from '../../sim/world.js';

const V1 = 'shop/checkout:1.4.0';
const V2 = 'shop/checkout:1.5.0';
const TICK = 15_000;

/** A ReplicaSet as the traffic model and the faults see it: a name, an image, ready pods. */
const replicaSet = (name: string, createdSeq: number, image: string, readyReplicas: number): ReplicaSet =>
  ({ name, createdSeq, template: { containers: [{ name: 'app', image }] }, readyReplicas }) as unknown as ReplicaSet;

function fault(kind: string, atMs: number, forMs: number | undefined, params: Record<string, FaultParamValue>, image: string | undefined = V2): FaultSpec {
  const defaults: Record<string, FaultParamValue> = {};
  for (const [name, spec] of Object.entries(FAULT_KINDS.get(kind)!.params)) if (spec.default !== undefined) defaults[name] = spec.default;
  return { kind, index: 0, atMs, forMs, image, params: { ...defaults, ...params } };
}

interface Bench {
  readonly traffic: TrafficModel;
  readonly clock: { nowMs: number };
  readonly trace: TraceRecorder;
  readonly v1: ReplicaSet;
  readonly v2: ReplicaSet;
  /** The behaviour each ReplicaSet served each tick with (after all faults), keyed by tick end. */
  readonly seen: { rs: string; toMs: number; b: VersionBehaviour; perPod: number }[];
  install(f: FaultSpec): void;
  /** Runs ticks up to `untilMs`, returning them. */
  run(untilMs: number): TickRecord[];
}

/**
 * 1000 rps (unless given), 80 % to v1 on 8 ready pods and 20 % to v2 on 2 ready pods; v1 and v2
 * fail 0 % and 0.1 % of requests, latency p50 40 ms / p99 250 ms.
 */
function bench(o: { rps?: number; v2Share?: number; seed?: number } = {}): Bench {
  const v1 = replicaSet('checkout-v1', 0, V1, 8);
  const v2 = replicaSet('checkout-v2', 1, V2, 2);
  const share = o.v2Share ?? 0.2;
  const routes: RouteShare[] = [
    { target: v1, share: 1 - share },
    { target: v2, share },
  ];
  const clock = { nowMs: 0 };
  const trace = new TraceRecorder(clock);
  const traffic = new TrafficModel({
    random: new RandomStream(o.seed ?? 7, 'traffic'),
    load: { kind: 'constant', rps: o.rps ?? 1000 },
    bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
    behaviourOf: (rs) => ({ errorRatio: rs === v2 ? 0.001 : 0, latencyP50Ms: 40, latencyP99Ms: 250 }),
    routes: () => routes,
  });
  traffic.routingChanged(0);
  const seen: Bench['seen'] = [];
  let spyInstalled = false;
  const installSpy = (): void => {
    if (spyInstalled) return;
    spyInstalled = true;
    traffic.addBehaviourModifier((b, ctx) => {
      seen.push({ rs: ctx.replicaSet.name, toMs: ctx.toMs, b, perPod: ctx.requestsPerPodSecond });
      return b;
    });
  };
  const pending: FaultSpec[] = [];
  return {
    traffic,
    clock,
    trace,
    v1,
    v2,
    seen,
    install(f) {
      pending.push(f);
    },
    run(untilMs) {
      // Faults first, the spy last, so it sees the behaviour after every fault.
      for (const f of pending.splice(0)) FAULT_KINDS.get(f.kind)!.install(f, { traffic, trace } as unknown as WorldHandles);
      installSpy();
      const ticks: TickRecord[] = [];
      for (let t = clock.nowMs + TICK; t <= untilMs; t += TICK) {
        clock.nowMs = t;
        ticks.push(traffic.tick(t));
      }
      return ticks;
    },
  };
}

const seenAt = (b: Bench, rs: string, toMs: number): { b: VersionBehaviour; perPod: number } => {
  const s = b.seen.find((x) => x.rs === rs && x.toMs === toMs);
  if (!s) throw new Error(`no tick of ${rs} ending at ${toMs}`);
  return s;
};

function sumOf(ticks: readonly TickRecord[], rs: string): { requests: number; errors: number } {
  let requests = 0;
  let errors = 0;
  for (const t of ticks) {
    for (const x of t.byReplicaSet) {
      if (x.replicaSet !== rs) continue;
      requests += x.requests;
      errors += x.errors;
    }
  }
  return { requests, errors };
}

/** |observed − p| within 5 binomial standard deviations. */
function expectRatio(errors: number, requests: number, p: number): void {
  expect(Math.abs(errors / requests - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / requests) + 1e-12);
}

describe('errorStep', () => {
  it('adds errorRate to the target version only, as an independent cause, from `at` on', () => {
    const b = bench();
    b.install(fault('errorStep', 60_000, undefined, { errorRate: 0.05 }));
    const ticks = b.run(600_000);
    // Before 60 s the canary fails its own 0.1 %; after, 1 − 0.999 × 0.95 = 5.095 %.
    expect(seenAt(b, 'checkout-v2', 60_000).b.errorRatio).toBe(0.001);
    expect(seenAt(b, 'checkout-v2', 75_000).b.errorRatio).toBeCloseTo(0.05095, 12);
    expect(seenAt(b, 'checkout-v1', 75_000).b.errorRatio).toBe(0);
    // 36 ticks × 15 s × 200 rps ≈ 108 000 canary requests after the step: ≈ 5 503 errors.
    const after = sumOf(ticks.slice(4), 'checkout-v2');
    expect(after.requests).toBeGreaterThan(100_000);
    expectRatio(after.errors, after.requests, 0.05095);
    expect(sumOf(ticks, 'checkout-v1').errors).toBe(0);
  });

  it('a tick that straddles the start gets the step in proportion: 5 s of 15 s ⇒ 1/3 of 6 %', () => {
    const b = bench();
    b.install(fault('errorStep', 70_000, 20_000, { errorRate: 0.06 }));
    b.run(120_000);
    // [60 s, 75 s): 5 s inside ⇒ 2 % added; [75, 90): all inside ⇒ 6 %; [90, 105): after the end.
    expect(seenAt(b, 'checkout-v2', 75_000).b.errorRatio).toBeCloseTo(combineErrorRatios(0.001, 0.02), 12);
    expect(seenAt(b, 'checkout-v2', 90_000).b.errorRatio).toBeCloseTo(combineErrorRatios(0.001, 0.06), 12);
    expect(seenAt(b, 'checkout-v2', 105_000).b.errorRatio).toBe(0.001);
  });

  it('changes no draw before it starts: ticks up to `at` equal those of a run without the fault', () => {
    const without = bench();
    const withFault = bench();
    withFault.install(fault('errorStep', 300_000, undefined, { errorRate: 0.05 }));
    const a = without.run(600_000);
    const c = withFault.run(600_000);
    expect(c.slice(0, 20)).toEqual(a.slice(0, 20));
    expect(c.slice(20)).not.toEqual(a.slice(20));
  });
});

describe('errorRamp', () => {
  it('grows linearly, evaluated at the midpoint of each tick, then holds at `to`', () => {
    const b = bench();
    b.install(fault('errorRamp', 180_000, 900_000, { from: 0, to: 0.2, over: 600_000 }));
    const ticks = b.run(1_200_000);
    const added = (toMs: number): number => 1 - (1 - seenAt(b, 'checkout-v2', toMs).b.errorRatio) / 0.999;
    expect(added(180_000)).toBeCloseTo(0, 12);
    // Tick [300 s, 315 s): midpoint 307.5 s, (307.5 − 180) / 600 = 0.2125 of the way ⇒ 4.25 %.
    expect(added(315_000)).toBeCloseTo(0.0425, 12);
    // Tick [600 s, 615 s): (607.5 − 180) / 600 = 0.7125 ⇒ 14.25 %.
    expect(added(615_000)).toBeCloseTo(0.1425, 12);
    // After 180 + 600 = 780 s it holds at 20 % until the fault ends at 1080 s.
    expect(added(900_000)).toBeCloseTo(0.2, 12);
    expect(added(1_095_000)).toBeCloseTo(0, 12);
    // Realised: ticks ending in (780 s, 1080 s] fail 1 − 0.999 × 0.8 = 20.08 %.
    const plateau = sumOf(
      ticks.filter((_, i) => (i + 1) * TICK > 780_000 && (i + 1) * TICK <= 1_080_000),
      'checkout-v2',
    );
    expectRatio(plateau.errors, plateau.requests, 0.2008);
  });

  it('without `for` or `over` the run refuses it with a clear error', () => {
    const b = bench();
    b.install(fault('errorRamp', 0, undefined, { to: 0.1 }));
    expect(() => b.run(TICK)).toThrow(InputError);
    expect(() => FAULT_KINDS.get('errorRamp')!.install(fault('errorRamp', 0, undefined, { to: 0.1 }), { traffic: b.traffic } as unknown as WorldHandles)).toThrow(
      /give it `for:` .* or `over:`/,
    );
  });
});

/** Share of a ReplicaSet's requests at or below `le` seconds, from its cumulative counters. */
function shareAtOrBelow(traffic: TrafficModel, rs: ReplicaSet, le: number): number {
  const c = traffic.counters.get(rs)!;
  return c.cumulativeBuckets[DEFAULT_BUCKETS_SECONDS.indexOf(le)]! / c.requests;
}

describe('latencyShift', () => {
  it('multiplies or replaces p50/p99 and the buckets follow the refitted lognormal', () => {
    const b = bench();
    b.install(fault('latencyShift', 0, undefined, { p50Factor: 2, p99: 900 }));
    b.run(600_000);
    expect(seenAt(b, 'checkout-v2', 15_000).b).toMatchObject({ latencyP50Ms: 80, latencyP99Ms: 900 });
    expect(seenAt(b, 'checkout-v1', 15_000).b).toMatchObject({ latencyP50Ms: 40, latencyP99Ms: 250 });
    // Lognormal through (p50, p99): σ = ln(p99/p50)/2.3263. v1: σ = ln(6.25)/2.3263 = 0.7878,
    // P(≤ 50 ms) = Φ(ln(50/40)/0.7878) = Φ(0.2833) = 0.6115. v2 shifted: σ = ln(11.25)/2.3263 =
    // 1.0405, P(≤ 50 ms) = Φ(ln(50/80)/1.0405) = Φ(−0.452) = 0.326.
    const p = (p50: number, p99: number): number => {
      const m = latencyModel({ errorRatio: 0, latencyP50Ms: p50, latencyP99Ms: p99 }, DEFAULT_BUCKETS_SECONDS);
      return m.bucketProbabilities.slice(0, 4).reduce((x, y) => x + y, 0);
    };
    expect(p(40, 250)).toBeCloseTo(0.6115, 3);
    expect(p(80, 900)).toBeCloseTo(0.326, 3);
    // 40 ticks × 15 s × 200 rps = 120 000 canary requests: σ of the share ≈ 0.0014.
    expect(shareAtOrBelow(b.traffic, b.v2, 0.05)).toBeCloseTo(0.326, 2);
    expect(shareAtOrBelow(b.traffic, b.v1, 0.05)).toBeCloseTo(0.611, 2);
  });

  it('applies to the ticks whose midpoint lies in the window', () => {
    const b = bench();
    b.install(fault('latencyShift', 65_000, 30_000, { p99Factor: 3 }));
    b.run(120_000);
    const p99 = (toMs: number): number => seenAt(b, 'checkout-v2', toMs).b.latencyP99Ms;
    // Window [65 s, 95 s): midpoints 52.5 (out), 67.5, 82.5 (in), 97.5 (out).
    expect([p99(60_000), p99(75_000), p99(90_000), p99(105_000)]).toEqual([250, 750, 750, 250]);
  });
});

describe('latencyRamp', () => {
  it('moves linearly from the version’s own latency to the shifted one over the window', () => {
    const b = bench();
    b.install(fault('latencyRamp', 60_000, 600_000, { p50Factor: 2, p99Factor: 4 }));
    b.run(720_000);
    // Tick [352.5 s … ): take [345 s, 360 s): midpoint 352.5 s, (352.5 − 60)/600 = 0.4875 ⇒
    // p50 = 40 + 40 × 0.4875 = 59.5 ms, p99 = 250 + 750 × 0.4875 = 615.625 ms.
    const mid = seenAt(b, 'checkout-v2', 360_000).b;
    expect(mid.latencyP50Ms).toBeCloseTo(59.5, 9);
    expect(mid.latencyP99Ms).toBeCloseTo(615.625, 9);
    // Last tick inside: [645 s, 660 s), 0.9875 ⇒ p99 990.625 ms; after the window: back to 250.
    expect(seenAt(b, 'checkout-v2', 660_000).b.latencyP99Ms).toBeCloseTo(990.625, 9);
    expect(seenAt(b, 'checkout-v2', 675_000).b.latencyP99Ms).toBe(250);
  });
});

describe('headerMatchedErrors', () => {
  it('fails errorRate of the header-carrying share only: 10 % × 50 % = 5 % more errors', () => {
    const b = bench();
    b.install(fault('headerMatchedErrors', 0, undefined, { share: 0.1, errorRate: 0.5, header: 'x-cohort: beta' }));
    const ticks = b.run(600_000);
    expect(seenAt(b, 'checkout-v2', 15_000).b.errorRatio).toBeCloseTo(combineErrorRatios(0.001, 0.05), 12);
    const v2 = sumOf(ticks, 'checkout-v2');
    expectRatio(v2.errors, v2.requests, 0.05095);
    expect(sumOf(ticks, 'checkout-v1').errors).toBe(0);
  });
});

describe('errorsUnderLoad', () => {
  it('fails requests only in ticks whose load per ready pod exceeds the threshold, and traces the crossings', () => {
    // 400 rps, half to v2's 2 ready pods: 100 rps per pod. A ×2 spike from 2 m to 4 m makes it
    // 200 rps per pod, above the 150 threshold.
    const b = bench({ rps: 400, v2Share: 0.5 });
    b.install(fault('errorsUnderLoad', 0, undefined, { threshold: 150, errorRate: 0.2 }));
    b.install(fault('trafficSpike', 120_000, 120_000, { factor: 2 }, undefined));
    const ticks = b.run(360_000);
    expect(seenAt(b, 'checkout-v2', 120_000)).toMatchObject({ perPod: 100, b: { errorRatio: 0.001 } });
    expect(seenAt(b, 'checkout-v2', 135_000).perPod).toBe(200);
    expect(seenAt(b, 'checkout-v2', 135_000).b.errorRatio).toBeCloseTo(combineErrorRatios(0.001, 0.2), 12);
    expect(seenAt(b, 'checkout-v2', 255_000)).toMatchObject({ perPod: 100, b: { errorRatio: 0.001 } });
    // v1: 200 rps over 8 pods = 25 rps per pod (50 in the spike) — never above the threshold,
    // and not the target anyway.
    expect(seenAt(b, 'checkout-v1', 135_000)).toMatchObject({ perPod: 50, b: { errorRatio: 0 } });
    // The spike's 8 ticks: 8 × 15 s × 400 rps = 48 000 canary requests, 20.08 % failing.
    const spike = sumOf(ticks.slice(8, 16), 'checkout-v2');
    expectRatio(spike.errors, spike.requests, 0.2008);
    const crossings = b.trace.entries.map((e) => [e.t, e.phase, e.replicaSet, e.requestsPerPodSecond]);
    expect(crossings).toEqual([
      [135_000, 'overloaded', 'checkout-v2', 200],
      [255_000, 'recovered', 'checkout-v2', 100],
    ]);
  });
});

describe('every release kind', () => {
  it('has a description, typed parameters and an example the scenario parser accepts', () => {
    const kinds = [...FAULT_KINDS.values()].filter((k) => k.category === 'release');
    expect(kinds.map((k) => k.kind)).toEqual(['errorStep', 'errorRamp', 'latencyShift', 'latencyRamp', 'headerMatchedErrors', 'errorsUnderLoad']);
    for (const k of kinds) {
      expect(k.description.length).toBeGreaterThan(40);
      expect(k.target).toBe('required');
      const example = k.example
        .split('\n')
        .map((l) => '    ' + l)
        .join('\n');
      const s = parseScenario('drill.yaml', `apiVersion: rehearse.dev/v1alpha1\nkind: Scenario\nmetadata: { name: x }\nspec:\n  manifests: [m]\n  until: 1h\n  faults:\n${example}\n`);
      expect(s.faults).toHaveLength(1);
      expect(s.faults[0]!.kind).toBe(k.kind);
      expect(Object.keys(s.faults[0]!.params).sort()).toEqual(Object.keys(k.params).sort());
    }
  });

  it('the parser refuses out-of-range parameters and a missing target', () => {
    const parse = (entry: string): unknown => parseScenario('drill.yaml', `apiVersion: rehearse.dev/v1alpha1\nkind: Scenario\nmetadata: { name: x }\nspec:\n  manifests: [m]\n  faults:\n    - ${entry}\n`);
    expect(() => parse(`{ kind: errorStep, at: 1m, target: ${V2}, errorRate: 150% }`)).toThrow(/errorRate/);
    expect(() => parse(`{ kind: latencyShift, at: 1m, target: ${V2}, p50Factor: 0 }`)).toThrow(/p50Factor between 0.01 and 1000/);
    expect(() => parse('{ kind: errorStep, at: 1m, errorRate: 5% }')).toThrow(/needs `target:`/);
  });
});

// ── End to end: the shipped checkout manifests and analysis ───────────────────────────────────
const CHECKOUT = join(import.meta.dirname, '..', '..', 'scenarios', 'manifests', 'checkout');
const checkoutManifests = loadManifests(
  readdirSync(CHECKOUT)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: join(CHECKOUT, f), text: readFileSync(join(CHECKOUT, f), 'utf8') })),
);

/** checkout 1.4.0 → 1.5.0 at 1 m; both healthy by their versions: entries — only a fault can hurt. */
function drill(faults: string): RunResult {
  const text = `apiVersion: rehearse.dev/v1alpha1
kind: Scenario
metadata: { name: checkout-error-step }
spec:
  manifests: [../manifests/checkout]
  seed: 42
  until: 30m
  cluster: { podStartup: { median: 8s, p99: 30s } }
  traffic: { rps: 1000, service: checkout }
  metrics: { preset: generic, scrapeInterval: 15s }
  versions:
    registry.example.com/shop/checkout:1.4.0: { errorRate: 0.1%, latency: { p50: 40ms, p99: 250ms } }
    registry.example.com/shop/checkout:1.5.0: { errorRate: 0.1%, latency: { p50: 40ms, p99: 250ms } }
  change: { at: 1m, image: registry.example.com/shop/checkout:1.5.0 }
${faults}`;
  return runScenario(parseScenario('checkout-error-step.yaml', text), checkoutManifests);
}

describe('end to end: an error step on the checkout canary', () => {
  const healthy = drill('');
  const faulty = drill(`  faults:
    - kind: errorStep
      at: 2m
      target: registry.example.com/shop/checkout:1.5.0
      errorRate: 5%
`);

  it('without the fault the release is promoted; with it the success-rate analysis fails and the rollout aborts at 20 %', () => {
    expect(healthy.outcome).toBe('promoted');
    expect(faulty.outcome).toBe('aborted');
    expect(faulty.maxCanaryWeight).toBe(20);
    const failedRun = faulty.analysisRuns.find((r) => r.phase === 'Failed')!;
    expect(failedRun.measurements.some((m) => m.metric === 'success-rate' && m.phase === 'Failed')).toBe(true);
    // Canary requests after 2 m fail 1 − 0.999 × 0.95 = 5.095 %; the stable version keeps 0.1 %.
    const byImage = Object.values(faulty.requests.byVersion);
    const hashOf = (tag: string): string => byImage.find((v) => v.image.endsWith(tag))!.podTemplateHash;
    const servedAfter2m = (hash: string): { requests: number; errors: number } => {
      let requests = 0;
      let errors = 0;
      for (const e of faulty.trace) {
        if (e.type !== 'traffic' || e.t <= 120_000) continue;
        for (const x of e.byReplicaSet as { replicaSet: string; requests: number; errors: number }[]) {
          if (!x.replicaSet.endsWith(hash)) continue;
          requests += x.requests;
          errors += x.errors;
        }
      }
      return { requests, errors };
    };
    const canary = servedAfter2m(hashOf(':1.5.0'));
    expect(canary.requests).toBeGreaterThan(10_000);
    expectRatio(canary.errors, canary.requests, 0.05095);
    const stable = servedAfter2m(hashOf(':1.4.0'));
    expectRatio(stable.errors, stable.requests, 0.001);
  });

  it('the fault changes nothing before it starts: every trace entry before 2 m is the same', () => {
    const before = (r: RunResult): string => JSON.stringify(r.trace.filter((e) => e.t < 120_000));
    expect(before(faulty)).toBe(before(healthy));
    // The tick ending at 2 m covers [1m45s, 2m), before the fault: the same draws too.
    const trafficAt = (r: RunResult, t: number): unknown => r.trace.find((e) => e.type === 'traffic' && e.t === t);
    expect(trafficAt(faulty, 120_000)).toEqual(trafficAt(healthy, 120_000));
    expect(faulty.trace.find((e) => e.type === 'fault')).toMatchObject({ t: 120_000, kind: 'errorStep', phase: 'started', image: 'registry.example.com/shop/checkout:1.5.0' });
  });
});
