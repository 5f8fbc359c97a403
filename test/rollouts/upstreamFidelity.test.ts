// Four places where the shared RolloutContext (sim/rollouts/sync.ts) once deviated from argo-rollouts
// v1.9.1; each worked example failed before its fix. Pods are ready 1 s after creation and the
// change to app:v2 is applied at 60 s (test/helpers/sim.ts world()).
import { describe, expect, it } from 'vitest';
import type { ProvidersSpec } from '../../sim/analysis/providers/spec.js';
import { loadManifests } from '../../sim/manifests/load.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { analysisTemplateYaml, events, rolloutYaml, run, scalings, serviceYaml, statusAt, world, type WorldOptions } from '../helpers/sim.js';
import { changedTemplate } from '../../sim/rollouts/templates.js';
import { SCALE_DOWN_DEADLINE } from '../../sim/rollouts/sync.js';
import { blueGreenRolloutYaml, SERVICES } from '../helpers/blueGreen.js';

function runWith(docs: readonly string[], providers: Partial<ProvidersSpec> = {}, w: WorldOptions = {}): RunResult {
  const set = loadManifests(docs.map((text, i) => ({ name: `inline-${i}.yaml`, text })));
  const spec: ProvidersSpec = { web: [], job: [], fixtures: new Map(), ...providers };
  return runScenario({ ...world({ untilMs: 15 * 60_000, ...w }), providers: spec }, set);
}

const smokeTemplate = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: smoke, namespace: default}
spec:
  args: [{name: team}, {name: image}]
  metrics:
    - name: smoke
      provider: { web: { url: "http://smoke/{{args.team}}/{{args.image}}" } }
`;

describe('blue-green analysis args from the rollout (rollout/analysis.go: BuildArgumentsForRolloutAnalysisRun for every run type)', () => {
  const args = 'args: [{name: team, valueFrom: {fieldRef: {fieldPath: "metadata.labels[\'team\']"}}}, {name: image, valueFrom: {fieldRef: {fieldPath: "spec.template.spec.containers[0].image"}}}]';
  const rollout = (analysisField: string) =>
    blueGreenRolloutYaml({ replicas: 2, blueGreen: `activeService: demo-active\n${analysisField}: {templates: [{templateName: smoke}], ${args}}` }).replace(
      '  namespace: default\n',
      '  namespace: default\n  labels: {team: payments}\n',
    );
  const web = [{ url: 'http://smoke/payments/app:v2', fromMs: 0, version: undefined, status: 200, body: 'fine', latencyMs: 0 }];

  it('pre-promotion: label team=payments and image app:v2 reach the URL http://smoke/payments/app:v2', () => {
    const r = runWith([rollout('prePromotionAnalysis'), ...SERVICES, smokeTemplate], { web });
    const pre = r.analysisRuns.find((a) => a.type === 'PrePromotion')!;
    expect(pre.measurements[0]).toMatchObject({ phase: 'Successful', value: 'fine' });
    expect(pre.phase).toBe('Successful');
  });

  it('post-promotion: the same args resolve', () => {
    const r = runWith([rollout('postPromotionAnalysis'), ...SERVICES, smokeTemplate], { web });
    const post = r.analysisRuns.find((a) => a.type === 'PostPromotion')!;
    expect(post.measurements[0]).toMatchObject({ phase: 'Successful', value: 'fine' });
  });
});

const ISTIO = `canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  istio:
    virtualService: {name: demo, routes: [primary]}`;
const V1_RS = 'demo-6xw5sn4rp8';

describe('canary full scale-down drops the scale-down deadline (rollout/sync.go scaleReplicaSet: fullScaleDown && !shouldDelayScaleDownOnAbort)', () => {
  // replicas 2, istio, progressDeadlineSeconds 60, one setWeight 50 step: v2 at 60 s promotes, the
  // v1 RS keeps its pods for scaleDownDelaySeconds (30 s) and is then scaled to 0, losing its
  // deadline. At 200 s the operator updates to app:v3, whose pods never become ready: nothing waits
  // for a scale-down any more (sync.go isWaitingForReplicaSetScaleDown is false), so the progress
  // deadline expires 60 s later.
  let deadlineBeforeUpdate: string | undefined = 'not inspected';
  const r = run(
    [
      rolloutYaml({ replicas: 2, progressDeadlineSeconds: 60, canary: `${ISTIO}\nsteps:\n  - setWeight: 50` }),
      serviceYaml('demo-canary'),
      serviceYaml('demo-stable'),
    ],
    { untilMs: 600_000, faults: [{ kind: 'neverReady', atMs: 0, image: 'app:v3' }] },
    {
      onWorld: ({ kernel, rollout, controller, cluster }) => {
        kernel.schedule(199_999, 0, 'inspect v1 RS', () => {
          deadlineBeforeUpdate = cluster.replicaSets.find((rs) => rs.name === V1_RS)?.annotations.get(SCALE_DOWN_DEADLINE);
        });
        kernel.schedule(200_000, 0, 'update to v3', () => {
          rollout.updateSpec({ template: changedTemplate(rollout.template, 'app:v3') });
          controller.enqueue();
        });
      },
    },
  );

  it('the v1 RS is scaled 2 → 0 after its 30 s delay and no longer carries a deadline', () => {
    expect(scalings(r, 60_000)).toContain(`Scaled down ReplicaSet ${V1_RS} (revision 1) from 2 to 0`);
    expect(deadlineBeforeUpdate).toBeUndefined();
  });

  it('the stuck v3 update times out: Degraded (ProgressDeadlineExceeded) once 60 s pass without progress', () => {
    expect(statusAt(r, 199_999)!.phase).toBe('Healthy');
    expect(statusAt(r, 300_000)).toMatchObject({ phase: 'Degraded' });
    expect(String(statusAt(r, 300_000)!.message)).toMatch(/^ProgressDeadlineExceeded: ReplicaSet "demo-\w+" has timed out progressing\.$/);
  });
});

describe('canary: writing an old RS its scale-down deadline requeues the rollout (rollout/replicaset.go addScaleDownDelay patches the RS; the RS informer enqueues its owner)', () => {
  // replicas 2, istio, one setWeight 50 step: v2 at 60 s, its pods ready at 61 s, promoted at 62 s;
  // the reconcile at 62 s that writes the v1 RS's deadline (62 s + 30 s) changes no status, so only
  // the RS patch brings the next reconcile, at the same instant.
  const afterDeadline: number[] = [];
  run([rolloutYaml({ replicas: 2, canary: `${ISTIO}\nsteps:\n  - setWeight: 50` }), serviceYaml('demo-canary'), serviceYaml('demo-stable')], { untilMs: 200_000 }, {
    onWorld: ({ controller, cluster, kernel }) => {
      // Observe each reconcile: record the ones that start with the v1 RS already carrying a deadline.
      const c = controller as unknown as { reconcile: () => void };
      const reconcile = c.reconcile.bind(c);
      c.reconcile = () => {
        if (cluster.replicaSets.find((rs) => rs.name === V1_RS)?.annotations.has(SCALE_DOWN_DEADLINE)) afterDeadline.push(kernel.nowMs);
        reconcile();
      };
    },
  });

  it('the v1 RS gets deadline 92 s at 62 s and the rollout is reconciled again at 62 s, then at 92 s', () => {
    expect(afterDeadline).toEqual([62_000, 92_000]);
  });
});

describe('canary abortScaleDownDelaySeconds over the resync period (rollout/replicaset.go reconcileNewReplicaSet)', () => {
  // replicas 4, istio, setWeight 25 (canary 1 pod) then a failing analysis: the abort writes the
  // canary RS's deadline and the RS patch requeues the rollout. Upstream returns early only while
  // the remaining delay is under the 15-minute resync period; otherwise it goes on to scale the
  // canary to its aborted count, 0 — so a delay of 1000 s scales it down at once, while 600 s waits.
  const abortRun = (delaySeconds: number) =>
    run(
      [
        rolloutYaml({ replicas: 4, canary: `${ISTIO}\nabortScaleDownDelaySeconds: ${delaySeconds}\nsteps:\n  - setWeight: 25\n  - analysis:\n      templates: [{templateName: always-fails}]` }),
        serviceYaml('demo-canary'),
        serviceYaml('demo-stable'),
        analysisTemplateYaml('always-fails', [{ name: 'never-good', query: 'vector(1)', fields: 'successCondition: result[0] < 0' }]),
      ],
      { untilMs: 1_500_000 },
    );
  const canaryScaleDown = (r: RunResult) => {
    const abortedAt = events(r).find((e) => e.reason === 'RolloutAborted')!.t;
    const down = events(r, abortedAt).find((e) => e.reason === 'ScalingReplicaSet' && /from 1 to 0$/.test(e.message))!;
    return { abortedAt, downAt: down.t };
  };

  it('abortScaleDownDelaySeconds 1000 (over 900): the canary is scaled 1 → 0 at the abort instant', () => {
    const { abortedAt, downAt } = canaryScaleDown(abortRun(1000));
    expect(downAt).toBe(abortedAt);
  });

  it('abortScaleDownDelaySeconds 600 (under 900): the canary keeps its pod for 600 s from the whole second', () => {
    const { abortedAt, downAt } = canaryScaleDown(abortRun(600));
    expect(downAt).toBe(Math.floor(abortedAt / 1000) * 1000 + 600_000);
  });
});
