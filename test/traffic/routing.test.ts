// Properties of the route shares with a header cohort and mirroring (sim/traffic/routing.ts): the
// user shares always add up to the whole entry traffic, the header-matched parts to the cohort, and
// a header route in force moves exactly the cohort's weighted-away part to the canary.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../sim/cluster/cluster.js';
import type { ReplicaSet } from '../../sim/cluster/replicaSet.js';
import { SimService } from '../../sim/cluster/service.js';
import { TraceRecorder } from '../../sim/engine/trace.js';
import { TrafficRouter } from '../../sim/traffic/router.js';
import { currentMirrorRoutes, currentRoutes, type Routing } from '../../sim/traffic/routing.js';

const canaryRs = { name: 'app-new', readyReplicas: 0 } as unknown as ReplicaSet;
const stableRs = { name: 'app-old', readyReplicas: 0 } as unknown as ReplicaSet;

function setup(canaryReady: number, stableReady: number, weight: number, headerShare: number | undefined, headerRoute: boolean, mirrorShare?: number) {
  const canarySvc = new SimService('app-canary', { app: 'x' });
  const stableSvc = new SimService('app-stable', { app: 'x' });
  const cluster = {
    endpointsOf: (svc: SimService) => {
      const [rs, ready] = svc === canarySvc ? [canaryRs, canaryReady] : [stableRs, stableReady];
      return ready > 0 ? [{ rs, ready }] : [];
    },
  } as unknown as Cluster;
  const router = new TrafficRouter(['istio'], 100, new TraceRecorder({ nowMs: 0 }));
  router.setWeight(weight);
  if (headerRoute) router.setHeaderRoute('beta', true);
  const routing: Routing = { kind: 'weighted', router, canaryService: canarySvc, stableService: stableSvc, headerShare, mirrorShare };
  return { cluster, routing, router };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('currentRoutes with a header cohort', () => {
  it('shares add up to 1, header parts to the cohort; a header route sends cohort + (1 − cohort) × w to the canary', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), fc.integer({ min: 1, max: 5 }), (w, cohort, on, ready) => {
        const { cluster, routing } = setup(ready, 3, w, cohort, on);
        const routes = currentRoutes(cluster, routing);
        expect(sum(routes.map((r) => r.share))).toBeCloseTo(1, 12);
        expect(sum(routes.map((r) => r.headerShare ?? 0))).toBeCloseTo(cohort, 12);
        const toCanary = sum(routes.filter((r) => r.target === canaryRs).map((r) => r.share));
        const expected = on ? cohort + (1 - cohort) * (w / 100) : w / 100;
        if (expected > 0) expect(toCanary).toBeCloseTo(expected, 12);
      }),
    );
  });

  it('without a cohort the shares are exactly those of plain weights (traces of scenarios without headerShare do not move)', () => {
    const { cluster, routing } = setup(2, 3, 30, undefined, true);
    expect(currentRoutes(cluster, routing)).toEqual([
      { target: canaryRs, share: (0.3 * 2) / 2 },
      { target: stableRs, share: ((1 - 0.3) * 3) / 3 },
    ]);
  });

  it('header traffic meeting a canary without ready pods finds no endpoint', () => {
    const { cluster, routing } = setup(0, 3, 0, 0.1, true);
    expect(currentRoutes(cluster, routing)).toEqual([
      { target: null, share: 0.1, headerShare: 0.1 },
      { target: stableRs, share: 0.9, headerShare: 0 },
    ]);
  });
});

describe('currentMirrorRoutes', () => {
  it('mirrorShare × percentage of the first mirror route in managedRoutes order, on the canary pods; none without a route', () => {
    const { cluster, routing, router } = setup(2, 3, 10, undefined, false, 0.5);
    expect(currentMirrorRoutes(cluster, routing, ['a', 'b'])).toEqual([]);
    router.setMirrorRoute('b', 40);
    router.setMirrorRoute('a', 20);
    expect(currentMirrorRoutes(cluster, routing, ['a', 'b'])).toEqual([{ target: canaryRs, share: 0.1 }]);
    expect(currentMirrorRoutes(cluster, routing, ['b', 'a'])).toEqual([{ target: canaryRs, share: 0.2 }]);
    router.removeManagedRoutes();
    expect(currentMirrorRoutes(cluster, routing, ['a', 'b'])).toEqual([]);
  });
});
