// setHeaderRoute / setMirrorRoute end to end: the controller sets the current step's managed route
// once the stable has its pods and removes every managed route when the rollout is promoted,
// aborted or its canary has no available pod (rollout/trafficrouting.go reconcileTrafficRouting;
// rollout/trafficrouting/istio/istio.go SetHeaderRoute, SetMirrorRoute, RemoveManagedRoutes).
// The traffic model sends the header-matched cohort (spec.traffic.headerShare) to the canary while
// a header route is in force, and copies the mirrored share to the canary without counting the
// copies as user requests.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../sim/manifests/load.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { analysisTemplateYaml, events, faultSpecs, ofType, rolloutYaml, serviceYaml, statusAt, V2, world, type FaultInput } from '../helpers/sim.js';

const ROUTED = `canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  managedRoutes:
    - name: beta
    - name: shadow
  istio:
    virtualService: {name: demo, routes: [primary]}`;

const HEADER = `  - setHeaderRoute:
      name: beta
      match:
        - headerName: x-beta
          headerValue: {exact: "true"}`;

const MIRROR = `  - setMirrorRoute:
      name: shadow
      percentage: 50
      match:
        - method: {exact: GET}`;

interface Options {
  readonly headerShare?: number;
  readonly mirrorShare?: number;
  readonly v2ErrorRatio?: number;
  readonly untilMs?: number;
  readonly faults?: readonly FaultInput[];
  readonly more?: readonly string[];
  readonly replicas?: number;
}

function runRoutes(steps: string, o: Options = {}): RunResult {
  const w = world({ rps: 200, untilMs: o.untilMs ?? 600_000, v2ErrorRatio: o.v2ErrorRatio ?? 0 });
  const scenario = {
    ...w,
    traffic: { ...w.traffic, headerShare: o.headerShare, mirrorShare: o.mirrorShare },
    faults: faultSpecs(o.faults ?? []),
  };
  const docs = [rolloutYaml({ replicas: o.replicas ?? 4, canary: `${ROUTED}\nsteps:\n${steps}` }), serviceYaml('demo-canary'), serviceYaml('demo-stable'), ...(o.more ?? [])];
  return runScenario(scenario, loadManifests(docs.map((text, i) => ({ name: `inline-${i}.yaml`, text }))));
}

/** User requests and mirrored copies per revision from the 'traffic' trace entries in [from, to). */
function served(r: RunResult, from: number, to: number): { canary: number; total: number; mirrored: number } {
  const canaryRs = Object.values(r.requests.byVersion).find((v) => v.revision === 2)!;
  const canaryName = `demo-${canaryRs.podTemplateHash}`;
  let canary = 0;
  let total = 0;
  let mirrored = 0;
  for (const e of ofType(r, 'traffic')) {
    if (e.t <= from || e.t > to) continue;
    total += e.requests as number;
    for (const x of e.byReplicaSet as { replicaSet: string; requests: number }[]) if (x.replicaSet === canaryName) canary += x.requests;
    for (const x of (e.mirrored ?? []) as { replicaSet: string; requests: number }[]) if (x.replicaSet === canaryName) mirrored += x.requests;
  }
  return { canary, total, mirrored };
}

const routes = (r: RunResult) => ofType(r, 'route').map((e) => [e.kind, e.name, e.action, e.percentage ?? null]);

describe('setHeaderRoute', () => {
  // One canary pod, then the header route, then an indefinite pause: weight 0 throughout.
  const r = runRoutes(`  - setCanaryScale: {replicas: 1}\n${HEADER}\n  - pause: {}`, { headerShare: 0.1 });

  it('sends the whole header share (10 %) to the canary while the weight stays 0', () => {
    expect(statusAt(r, Infinity)!.weights).toEqual({ canary: 0, stable: 100 });
    const setAt = ofType(r, 'route')[0]!.t;
    const s = served(r, setAt + 15_000, 600_000);
    expect(s.canary / s.total).toBeGreaterThan(0.09);
    expect(s.canary / s.total).toBeLessThan(0.11);
    expect(r.maxCanaryWeight).toBe(0);
  });

  it('the step completes in one reconcile and the route stays in force through the pause', () => {
    expect(events(r).filter((e) => e.reason === 'RolloutStepCompleted').map((e) => e.message)).toEqual([
      'Rollout step 1/3 completed (setCanaryScale{replicas: 1})',
      'Rollout step 2/3 completed (setHeaderRoute: beta)',
    ]);
    expect(routes(r)).toEqual([['header', 'beta', 'set', null]]);
  });

  it('no header share in the scenario: nothing reaches the canary, and the run warns about the missing key', () => {
    const none = runRoutes(`  - setCanaryScale: {replicas: 1}\n${HEADER}\n  - pause: {}`);
    expect(served(none, 120_000, 600_000).canary).toBe(0);
    expect(none.warnings.some((w) => w.includes('spec.traffic.headerShare'))).toBe(true);
  });

  it('is removed at promotion', () => {
    const p = runRoutes(`  - setCanaryScale: {replicas: 1}\n${HEADER}\n  - pause: {duration: 1m}`, { headerShare: 0.1 });
    expect(p.outcome).toBe('promoted');
    const promoted = events(p).find((e) => e.reason === 'RolloutCompleted' && e.t > 60_000)!.t;
    const removed = ofType(p, 'route').find((e) => e.action === 'removed')!;
    expect(removed.t).toBeGreaterThanOrEqual(promoted);
    expect(removed.t - promoted).toBeLessThan(1_000);
  });

  it('is removed on abort, and the header share goes back to the stable', () => {
    const failing = analysisTemplateYaml('fails', [{ name: 'bad', query: 'vector(1)', fields: 'successCondition: result[0] < 0' }]);
    const a = runRoutes(`  - setCanaryScale: {replicas: 1}\n${HEADER}\n  - pause: {duration: 1m}\n  - analysis:\n      templates: [{templateName: fails}]`, { headerShare: 0.1, more: [failing] });
    expect(a.outcome).toBe('aborted');
    const abortedAt = events(a).find((e) => e.reason === 'RolloutAborted')!.t;
    expect(routes(a)).toEqual([
      ['header', 'beta', 'set', null],
      ['header', 'beta', 'removed', null],
    ]);
    expect(ofType(a, 'route')[1]!.t).toBe(abortedAt);
    expect(served(a, abortedAt + 15_000, 600_000).canary).toBe(0);
  });

  it('without a canary pod the route is set by its step and removed by the next reconcile (upstream removes managed routes while the canary has no available pod)', () => {
    const n = runRoutes(`${HEADER}\n  - pause: {}`, { headerShare: 0.1 });
    const rs = ofType(n, 'route');
    expect(rs.map((e) => e.action)).toEqual(['set', 'removed']);
    expect(rs[1]!.t).toBe(rs[0]!.t);
    expect(served(n, 0, 600_000).canary).toBe(0);
  });

  it('a matchTrafficWeight step before any setWeight scales the canary to 0 (weight 0) and so drops the header route', () => {
    const m = runRoutes(`  - setCanaryScale: {replicas: 1}\n${HEADER}\n  - pause: {duration: 1m}\n  - setCanaryScale: {matchTrafficWeight: true}\n  - pause: {}`, { headerShare: 0.1 });
    const rs = ofType(m, 'route');
    expect(rs.map((e) => e.action)).toEqual(['set', 'removed']);
    expect(events(m, rs[1]!.t - 1).some((e) => e.reason === 'ScalingReplicaSet' && /revision 2\) from 1 to 0$/.test(e.message))).toBe(true);
  });

  it('with a weight, header traffic adds to it: weight 25 % and a 10 % cohort give 10 % + 90 % × 25 % = 32.5 %', () => {
    const w = runRoutes(`  - setWeight: 25\n${HEADER}\n  - pause: {}`, { headerShare: 0.1 });
    const setAt = ofType(w, 'route')[0]!.t;
    const s = served(w, setAt + 15_000, 600_000);
    expect(s.canary / s.total).toBeGreaterThan(0.31);
    expect(s.canary / s.total).toBeLessThan(0.34);
  });

  it('headerMatchedErrors fails the header cohort where the header route sends it: on the canary only', () => {
    const f = runRoutes(`  - setCanaryScale: {replicas: 1}\n${HEADER}\n  - pause: {}`, {
      headerShare: 0.1,
      faults: [{ kind: 'headerMatchedErrors', atMs: 0, image: V2, params: { errorRate: 0.5 } }],
    });
    const v2 = Object.values(f.requests.byVersion).find((v) => v.revision === 2)!;
    const v1 = Object.values(f.requests.byVersion).find((v) => v.revision === 1)!;
    // Every request the canary serves at weight 0 is header-matched: half of them fail.
    expect(v2.failed / v2.total).toBeGreaterThan(0.45);
    expect(v2.failed / v2.total).toBeLessThan(0.55);
    expect(v1.failed).toBe(0);
  });
});

describe('headerMatchedErrors and the header cohort', () => {
  const steps = `  - setCanaryScale: {replicas: 1}\n${HEADER}\n  - pause: {}`;
  const fault = (params: Record<string, number>): FaultInput => ({ kind: 'headerMatchedErrors', atMs: 0, image: V2, params: { errorRate: 0.5, ...params } });

  it('a fault share that differs from spec.traffic.headerShare is an input error (the cohort is defined once)', () => {
    expect(() => runRoutes(steps, { headerShare: 0.1, faults: [fault({ share: 0.2 })] })).toThrow(/share 0\.2 but spec\.traffic\.headerShare is 0\.1/);
  });

  it('neither a fault share nor spec.traffic.headerShare is an input error', () => {
    expect(() => runRoutes(steps, { faults: [fault({})] })).toThrow(/needs `share`.*or spec\.traffic\.headerShare/);
  });

  it('the same share in both places is accepted', () => {
    expect(runRoutes(steps, { headerShare: 0.1, faults: [fault({ share: 0.1 })], untilMs: 120_000 }).outcome).toBe('paused');
  });
});

describe('setMirrorRoute', () => {
  // mirrorShare 100 %, percentage 50: half of all requests are copied to the canary.
  const r = runRoutes(`  - setCanaryScale: {replicas: 1}\n${MIRROR}\n  - pause: {}`, { mirrorShare: 1, v2ErrorRatio: 1 });

  it('copies percentage × mirrorShare of the requests to the canary, none of them user requests', () => {
    const setAt = ofType(r, 'route')[0]!.t;
    const s = served(r, setAt + 15_000, 600_000);
    expect(s.canary).toBe(0);
    expect(s.mirrored / s.total).toBeGreaterThan(0.48);
    expect(s.mirrored / s.total).toBeLessThan(0.52);
    expect(routes(r)).toEqual([['mirror', 'shadow', 'set', 50]]);
  });

  it('a canary failing every request fails no user: mirrored failures stay out of the user-facing totals', () => {
    const v2 = Object.values(r.requests.byVersion).find((v) => v.revision === 2)!;
    expect(v2.total).toBe(0);
    expect(v2.mirrored).toBeGreaterThan(0);
    expect(v2.mirroredFailed).toBe(v2.mirrored);
    expect(r.requests.failed).toBe(0);
  });

  it('the mirrored copies reach the canary metrics, so an analysis of the canary sees them', () => {
    const analysis = analysisTemplateYaml('canary-errors', [
      { name: 'errors', query: 'sum(rate(http_requests_total{service="demo-canary",code="500"}[1m]))', fields: 'successCondition: len(result) == 0 || result[0] == 0' },
    ]);
    const a = runRoutes(`  - setCanaryScale: {replicas: 1}\n${MIRROR}\n  - pause: {duration: 2m}\n  - analysis:\n      templates: [{templateName: canary-errors}]`, {
      mirrorShare: 1,
      v2ErrorRatio: 1,
      more: [analysis],
    });
    expect(a.outcome).toBe('aborted');
    expect(a.requests.failed).toBe(0);
  });

  it('is drawn from its own random stream: the user traffic realisation is that of the same run without mirroring', () => {
    const plain = runRoutes(`  - setCanaryScale: {replicas: 1}\n${MIRROR}\n  - pause: {}`, { v2ErrorRatio: 1 });
    const userTicks = (x: RunResult) => ofType(x, 'traffic').map((e) => [e.t, e.requests, e.byReplicaSet]);
    expect(userTicks(r)).toEqual(userTicks(plain));
  });
});

describe('validation', () => {
  const load = (canary: string) => loadManifests([{ name: 'r.yaml', text: rolloutYaml({ replicas: 2, canary }) }]);

  it('a route name missing from managedRoutes is an InvalidSpec error naming the step', () => {
    expect(() => load(`${ROUTED}\nsteps:\n  - setHeaderRoute: {name: gamma, match: [{headerName: x, headerValue: {exact: beta}}]}`)).toThrow(
      /steps\[0\]\.setHeaderRoute\.name.*Steps define a route that does not exist in spec\.strategy\.canary\.trafficRouting\.managedRoutes: "gamma"/s,
    );
  });

  it('setMirrorRoute needs Istio; setHeaderRoute is refused with NGINX', () => {
    const nginx = 'canaryService: c\nstableService: s\ntrafficRouting:\n  managedRoutes: [{name: beta}]\n  nginx: {stableIngress: web}\nsteps:\n';
    expect(() => load(`${nginx}  - setMirrorRoute: {name: beta, match: [{method: {exact: GET}}]}`)).toThrow(/SetMirrorRoute requires TrafficRouting, supports Istio only/);
    expect(() => load(`${nginx}  - setHeaderRoute: {name: beta, match: [{headerName: x, headerValue: {exact: beta}}]}`)).toThrow(/SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix/);
  });

  it('a header value needs exactly one of exact, prefix, regex', () => {
    expect(() => load(`${ROUTED}\nsteps:\n  - setHeaderRoute: {name: beta, match: [{headerName: x, headerValue: {exact: beta, prefix: be}}]}`)).toThrow(
      /StringMatch match value must have exactly one of the following: exact, regex, prefix/,
    );
  });
});
