// Aborts after a failed analysis: basic canary (canary drained within maxSurge/maxUnavailable,
// canary Service back to stable) and traffic-routed canary (weight 0 at once, canary pods kept
// for abortScaleDownDelaySeconds after the stable ReplicaSet is fully available — with the
// canary Service flapping meanwhile, as upstream does: argo-rollouts issue #3078).
// Sources: rollout/replicaset.go reconcileNewReplicaSet + shouldDelayScaleDownOnAbort,
// rollout/trafficrouting.go reconcileTrafficRouting (aborted branch), rollout/service.go
// reconcileStableAndCanaryService; semantics digest §6.1.
import { describe, expect, it } from 'vitest';
import { analysisTemplateYaml, events, rolloutYaml, run, scalings, serviceYaml } from '../helpers/sim.js';

const failing = analysisTemplateYaml('always-fails', [{ name: 'never-good', query: 'vector(1)', fields: 'successCondition: result[0] < 0' }]);

describe('abort of a traffic-routed canary', () => {
  const r = run(
    [
      rolloutYaml({
        replicas: 4,
        canary: `
canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  istio:
    virtualService: {name: demo, routes: [primary]}
steps:
  - setWeight: 25
  - analysis:
      templates: [{templateName: always-fails}]`,
      }),
      serviceYaml('demo-canary'),
      serviceYaml('demo-stable'),
      failing,
    ],
    { untilMs: 300_000 },
  );
  const abortedAt = events(r).find((e) => e.reason === 'RolloutAborted')!.t;

  it('aborts on the failed step analysis and sets the weight back to 0 at once', () => {
    expect(r.outcome).toBe('aborted');
    // The step completed (weight 0 → 25) and the analysis failed within the same virtual instant.
    const all = events(r);
    const after = all.slice(all.findIndex((e) => e.reason === 'RolloutAborted')).filter((e) => e.reason === 'TrafficWeightUpdated');
    expect(after[0]!.message).toBe('Traffic weight updated from 25 to 0');
    expect(after[0]!.t).toBe(abortedAt);
  });

  it('keeps the canary pods for abortScaleDownDelaySeconds (30 s, from the whole second) then scales to 0', () => {
    const downs = scalings(r, abortedAt);
    expect(downs).toHaveLength(1);
    const scaleDown = events(r, abortedAt).find((e) => e.reason === 'ScalingReplicaSet')!;
    expect(scaleDown.message).toMatch(/from 1 to 0$/);
    expect(scaleDown.t).toBe(Math.floor(abortedAt / 1000) * 1000 + 30_000);
  });

  it('flaps the canary Service between the canary and stable ReplicaSets while canary pods remain (#3078)', () => {
    const switches = events(r, abortedAt).filter((e) => e.reason === 'SwitchService' && e.t < abortedAt + 30_000);
    expect(switches.length).toBeGreaterThanOrEqual(2);
    expect(switches.every((e) => e.message.startsWith("Switched selector for service 'demo-canary'"))).toBe(true);
  });
});

describe('abort of a basic canary', () => {
  const r = run(
    [
      rolloutYaml({
        replicas: 4,
        canary: `
canaryService: demo-canary
steps:
  - setWeight: 25
  - analysis:
      templates: [{templateName: always-fails}]`,
      }),
      serviceYaml('demo-canary'),
      failing,
    ],
    { untilMs: 300_000 },
  );
  const abortedAt = events(r).find((e) => e.reason === 'RolloutAborted')!.t;

  it('points the canary Service back at stable and drains the canary without delay', () => {
    const after = events(r, abortedAt);
    expect(after.find((e) => e.reason === 'SwitchService')!.message).toMatch(/^Switched selector for service 'demo-canary' from '\w+' to '\w+'$/);
    const lastScale = after.filter((e) => e.reason === 'ScalingReplicaSet').at(-1)!;
    expect(lastScale.message).toMatch(/from 1 to 0$/);
    expect(lastScale.t - abortedAt).toBeLessThan(5_000);
    expect(r.finalStatus.phase).toBe('Degraded');
    expect(r.finalStatus.message).toMatch(/^RolloutAborted: Rollout aborted update to revision 2: Step-based analysis phase error\/failed: Metric "never-good" assessed Failed due to failed \(1\) > failureLimit \(0\)$/);
  });
});
