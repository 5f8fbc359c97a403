// Four places where the shared RolloutContext (sim/rollouts/sync.ts) once deviated from argo-rollouts
// v1.9.1; each worked example failed before its fix. Pods are ready 1 s after creation and the
// change to app:v2 is applied at 60 s (test/helpers/sim.ts world()).
import { describe, expect, it } from 'vitest';
import type { ProvidersSpec } from '../../sim/analysis/providers/spec.js';
import { loadManifests } from '../../sim/manifests/load.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { world, type WorldOptions } from '../helpers/sim.js';
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
