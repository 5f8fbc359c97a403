// The NGINX router's own events on the Rollout (rollout/trafficrouting/nginx/nginx.go
// SetWeightPerIngress): CreatingCanaryIngress when the canary Ingress `<rollout>-<stable>-canary`
// does not exist yet, PatchingCanaryIngress before each patch that changes it, nothing when the
// desired canary Ingress equals the existing one. SetWeight runs inside reconcileTrafficRouting
// before the TrafficWeightUpdated event (rollout/trafficrouting.go), so the router's event comes first.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../sim/manifests/load.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { NginxCanaryIngresses, canaryIngressName, nginxStableIngresses } from '../../sim/traffic/nginxCanaryIngress.js';
import { events, rolloutYaml, serviceYaml, world } from '../helpers/sim.js';

const ROUTER_EVENTS = new Set(['CreatingCanaryIngress', 'PatchingCanaryIngress', 'TrafficWeightUpdated']);

function run(nginx: string, steps: string): RunResult {
  const canary = `canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  nginx:
${nginx}
steps:
${steps}`;
  const docs = [rolloutYaml({ replicas: 4, canary }), serviceYaml('demo-canary'), serviceYaml('demo-stable')];
  return runScenario(world({ untilMs: 600_000 }), loadManifests(docs.map((text, i) => ({ name: `inline-${i}.yaml`, text }))));
}

function routerEvents(r: RunResult): string[] {
  return events(r)
    .filter((e) => ROUTER_EVENTS.has(e.reason))
    .map((e) => `${e.reason}: ${e.message}`);
}

const STEPS = `  - setWeight: 25
  - pause: {duration: 10s}
  - setWeight: 50
  - pause: {duration: 10s}`;

describe('NGINX router events', () => {
  it('replicas 4, setWeight 25 / pause / setWeight 50: created at weight 0, then patched to 25, 50, 100 and back to 0, each before its TrafficWeightUpdated', () => {
    const r = run('    stableIngress: web', STEPS);
    expect(routerEvents(r)).toEqual([
      // The initial revision: the first traffic-routing reconcile with the stable available creates the canary Ingress at 0.
      'CreatingCanaryIngress: Creating canary ingress `demo-web-canary` with weight `0`',
      'TrafficWeightUpdated: Traffic weight updated to 0',
      // The update: the new hash alone changes the status weights, not the Ingress.
      'TrafficWeightUpdated: Traffic weight updated ',
      "PatchingCanaryIngress: Updating Ingress `demo-web-canary` to desiredWeight '25'",
      'TrafficWeightUpdated: Traffic weight updated from 0 to 25',
      "PatchingCanaryIngress: Updating Ingress `demo-web-canary` to desiredWeight '50'",
      'TrafficWeightUpdated: Traffic weight updated from 25 to 50',
      // Past the last step the canary takes all the traffic, then the promoted stable does.
      "PatchingCanaryIngress: Updating Ingress `demo-web-canary` to desiredWeight '100'",
      'TrafficWeightUpdated: Traffic weight updated from 50 to 100',
      "PatchingCanaryIngress: Updating Ingress `demo-web-canary` to desiredWeight '0'",
      'TrafficWeightUpdated: Traffic weight updated from 100 to 0',
    ]);
  });

  it('stableIngresses: one canary Ingress per stable Ingress, in list order', () => {
    const r = run('    stableIngresses: [web, api]', STEPS);
    const nginxEvents = routerEvents(r).filter((e) => !e.startsWith('TrafficWeightUpdated'));
    expect(nginxEvents.slice(0, 4)).toEqual([
      'CreatingCanaryIngress: Creating canary ingress `demo-web-canary` with weight `0`',
      'CreatingCanaryIngress: Creating canary ingress `demo-api-canary` with weight `0`',
      "PatchingCanaryIngress: Updating Ingress `demo-web-canary` to desiredWeight '25'",
      "PatchingCanaryIngress: Updating Ingress `demo-api-canary` to desiredWeight '25'",
    ]);
    expect(nginxEvents).toHaveLength(10);
  });

  it('an Istio-routed canary records no NGINX events', () => {
    const canary = `canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  istio:
    virtualService: {name: demo, routes: [primary]}
steps:
${STEPS}`;
    const docs = [rolloutYaml({ replicas: 4, canary }), serviceYaml('demo-canary'), serviceYaml('demo-stable')];
    const r = runScenario(world({ untilMs: 600_000 }), loadManifests(docs.map((text, i) => ({ name: `inline-${i}.yaml`, text }))));
    expect(routerEvents(r).filter((e) => !e.startsWith('TrafficWeightUpdated'))).toEqual([]);
    expect(routerEvents(r)).toContain('TrafficWeightUpdated: Traffic weight updated from 25 to 50');
  });
});

describe('NginxCanaryIngresses', () => {
  it('creates once, patches only on a weight change, skips an unchanged weight', () => {
    const ingresses = new NginxCanaryIngresses();
    expect(ingresses.setWeight('web', ['main'], 0).map((e) => e.reason)).toEqual(['CreatingCanaryIngress']);
    expect(ingresses.setWeight('web', ['main'], 0)).toEqual([]);
    expect(ingresses.setWeight('web', ['main'], 30)).toEqual([{ reason: 'PatchingCanaryIngress', message: "Updating Ingress `web-main-canary` to desiredWeight '30'" }]);
    expect(ingresses.weightOf('web-main-canary')).toBe(30);
    expect(ingresses.weightOf('web-other-canary')).toBeUndefined();
  });

  it('names the canary Ingress <rollout>-<stable>-canary and reads stableIngresses before stableIngress', () => {
    expect(canaryIngressName('web', 'main')).toBe('web-main-canary');
    expect(nginxStableIngresses({ nginx: { stableIngress: 'main' } })).toEqual(['main']);
    expect(nginxStableIngresses({ nginx: { stableIngresses: ['a', 'b'] } })).toEqual(['a', 'b']);
    expect(nginxStableIngresses({ istio: {} })).toBeUndefined();
    expect(nginxStableIngresses(undefined)).toBeUndefined();
  });
});
