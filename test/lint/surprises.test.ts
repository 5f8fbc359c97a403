// Known surprises (digest §10/§11) per rule: the manifests that trigger each one get a warning at
// the right place with the upstream issue, and the nearest manifests that do not, get none.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../sim/manifests/load.js';
import type { ManifestSet, Rollout } from '../../sim/manifests/types.js';
import { lintSurprises, type Surprise } from '../../sim/lint/surprises.js';
import { analysisTemplateYaml, podsAt, rolloutYaml, run, serviceYaml, statusAt, world } from '../helpers/sim.js';
import { blueGreenRolloutYaml } from '../helpers/blueGreen.js';
import { runScenario } from '../../sim/world.js';
import type { OperatorAction } from '../../sim/actions/types.js';

function lint(...docs: string[]): Surprise[] {
  return lintSurprises(loadManifests(docs.map((text, i) => ({ name: `m${i}.yaml`, text }))));
}

const rules = (s: readonly Surprise[]): string[] => s.map((x) => x.rule);
const TR = 'canaryService: demo-canary\nstableService: demo-stable\ntrafficRouting:\n  istio:\n    virtualService: {name: demo, routes: [primary]}\n';

describe('setweight-zero-pods and setweight-rounding (basic canary weighs by pods; #2281, PR #1759)', () => {
  it('replicas 1, setWeight 20, maxSurge 0: 0 canary pods', () => {
    const s = lint(rolloutYaml({ replicas: 1, canary: 'maxSurge: 0\nmaxUnavailable: 1\nsteps:\n  - setWeight: 20\n  - pause: {}' }));
    expect(rules(s)).toEqual(['setweight-zero-pods']);
    expect(s[0]!.field).toBe('spec.strategy.canary.steps[0].setWeight');
    expect(s[0]!.message).toMatch(/setWeight 20 without traffic routing runs 0 canary pods with 1 replicas \(maxSurge 0\)/);
    expect(s[0]!.link).toBe('https://github.com/argoproj/argo-rollouts/pull/1759');
  });

  it('replicas 10, setWeight 4, maxSurge 0: 1 canary and 9 stable pods serve 10%', () => {
    const s = lint(rolloutYaml({ replicas: 10, canary: 'maxSurge: 0\nmaxUnavailable: 1\nsteps:\n  - setWeight: 4\n  - pause: {}' }));
    expect(rules(s)).toEqual(['setweight-rounding']);
    expect(s[0]!.message).toMatch(/1 canary and 9 stable of 10 replicas, so the canary serves about 10% of requests, not 4%/);
  });

  it('replicas 3, setWeight 10: 1 canary and 3 stable pods serve 25%, not 10%', () => {
    const s = lint(rolloutYaml({ replicas: 3, canary: 'steps:\n  - setWeight: 10\n  - pause: {}' }));
    expect(rules(s)).toEqual(['setweight-rounding']);
    expect(s[0]!.message).toMatch(/1 canary and 3 stable of 3 replicas, so the canary serves about 25% of requests, not 10%/);
    expect(s[0]!.line).toBeGreaterThan(0);
  });

  it('replicas 10, setWeight 20 (2 canary, 8 stable) is exact: no warning', () => {
    expect(lint(rolloutYaml({ replicas: 10, canary: 'steps:\n  - setWeight: 20\n  - pause: {}' }))).toEqual([]);
  });

  it('a traffic-routed canary sets exact weights: no warning', () => {
    expect(lint(rolloutYaml({ replicas: 3, canary: `${TR}steps:\n  - setWeight: 10\n  - pause: {}` }), serviceYaml('demo-canary'), serviceYaml('demo-stable'))).toEqual([]);
  });
});

describe('empty-result-index (#1466, #2101)', () => {
  const q = 'sum(rate(http_requests_total{code=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))';
  it('result[0] over a status-selecting query without a fallback', () => {
    const s = lint(analysisTemplateYaml('t', [{ name: 'errors', query: q, fields: 'successCondition: result[0] < 0.01' }]));
    expect(rules(s)).toEqual(['empty-result-index']);
    expect(s[0]!.field).toBe('spec.metrics[0].successCondition');
    expect(s[0]!.link).toBe('https://github.com/argoproj/argo-rollouts/issues/1466');
  });

  it('no warning with a len(result) guard, an `or vector(0)` fallback, or no status selector', () => {
    expect(lint(analysisTemplateYaml('t', [{ name: 'errors', query: q, fields: 'successCondition: len(result) == 0 || result[0] < 0.01' }]))).toEqual([]);
    expect(lint(analysisTemplateYaml('t', [{ name: 'errors', query: `(${q}) or vector(0)`, fields: 'successCondition: result[0] < 0.01' }]))).toEqual([]);
    expect(lint(analysisTemplateYaml('t', [{ name: 'rate', query: 'sum(rate(http_requests_total[1m]))', fields: 'successCondition: result[0] > 1' }]))).toEqual([]);
  });

  it('and the run shows why: the empty vector errors every measurement', () => {
    const r = run([
      rolloutYaml({ replicas: 2, canary: 'steps:\n  - setWeight: 50\n  - analysis:\n      templates: [{templateName: t}]' }),
      analysisTemplateYaml('t', [{ name: 'errors', query: q, fields: 'successCondition: result[0] < 0.01' }]),
    ]);
    expect(r.warnings[0]).toMatch(/^inline-1\.yaml:\d+:\d+: warning \(field spec\.metrics\[0\]\.successCondition\): AnalysisTemplate t metric "errors"/);
    expect(r.outcome).toBe('aborted');
  });
});

describe('failing-metric-terminates-others (#2158)', () => {
  it('metrics on different schedules', () => {
    const s = lint(
      analysisTemplateYaml('t', [
        { name: 'a', query: 'vector(1)', fields: 'interval: 30s\ncount: 2' },
        { name: 'b', query: 'vector(1)', fields: 'interval: 1m\ncount: 10' },
      ]),
    );
    expect(rules(s)).toEqual(['failing-metric-terminates-others']);
    expect(s[0]!.message).toMatch(/when one of its 2 metrics fails, the metrics still measuring \("a", "b"\) are terminated and reported Successful/);
  });

  it('metrics in lockstep or a single metric: no warning', () => {
    const lockstep = [
      { name: 'a', query: 'vector(1)', fields: 'interval: 30s\ncount: 2' },
      { name: 'b', query: 'vector(1)', fields: 'interval: 30s\ncount: 2' },
    ];
    expect(lint(analysisTemplateYaml('t', lockstep))).toEqual([]);
    expect(lint(analysisTemplateYaml('t', [lockstep[0]!]))).toEqual([]);
  });
});

describe('quoted-int-or-percent (digest §11.8)', () => {
  it('maxUnavailable "1" with 10 replicas is 1% → 0 pods', () => {
    const s = lint(rolloutYaml({ replicas: 10, canary: 'maxUnavailable: "1"\nsteps:\n  - setWeight: 20' }));
    expect(rules(s)).toEqual(['quoted-int-or-percent']);
    expect(s[0]!.message).toMatch(/maxUnavailable "1" is a string, which Kubernetes reads as 1% — 0 pods of 10, not 1/);
  });

  it('"25%" and 1 are what they say: no warning', () => {
    expect(lint(rolloutYaml({ replicas: 10, canary: 'maxUnavailable: "25%"\nmaxSurge: 1\nsteps:\n  - setWeight: 20' }))).toEqual([]);
  });
});

describe('consecutive-analysis-steps (#3220, #1203)', () => {
  it('two analysis steps in a row', () => {
    const s = lint(
      rolloutYaml({ replicas: 10, canary: 'steps:\n  - setWeight: 20\n  - analysis:\n      templates: [{templateName: a}]\n  - analysis:\n      templates: [{templateName: b}]' }),
      analysisTemplateYaml('a', [{ name: 'm', query: 'vector(1)' }]),
      analysisTemplateYaml('b', [{ name: 'm', query: 'vector(1)' }]),
    );
    expect(rules(s)).toEqual(['consecutive-analysis-steps']);
    expect(s[0]!.field).toBe('spec.strategy.canary.steps[2].analysis');
  });
});

describe('deadline-without-abort (#1593)', () => {
  it('progressDeadlineSeconds without progressDeadlineAbort', () => {
    const s = lint(rolloutYaml({ replicas: 10, progressDeadlineSeconds: 120, canary: 'steps:\n  - setWeight: 20' }));
    expect(rules(s)).toEqual(['deadline-without-abort']);
    expect(s[0]!.link).toBe('https://github.com/argoproj/argo-rollouts/issues/1593');
  });
});

describe('scale-down-delay-zero (#1992)', () => {
  it('scaleDownDelaySeconds: 0 with traffic routing (read from the strategy once the field is modelled)', () => {
    const base = loadManifests([
      { name: 'r.yaml', text: rolloutYaml({ replicas: 4, canary: `${TR}steps:\n  - setWeight: 20` }) },
      { name: 's.yaml', text: serviceYaml('demo-canary') + '---\n' + serviceYaml('demo-stable') },
    ]);
    const r = base.rollouts[0]!;
    const withDelay = (delay: number): ManifestSet => {
      const rollout: Rollout = { ...r, spec: { ...r.spec, strategy: { canary: { ...r.spec.strategy.canary, scaleDownDelaySeconds: delay } as Rollout['spec']['strategy']['canary'] } } };
      return { ...base, rollouts: [rollout] };
    };
    expect(rules(lintSurprises(withDelay(0)))).toEqual(['scale-down-delay-zero']);
    expect(rules(lintSurprises(withDelay(30)))).toEqual([]);
  });
});

describe('hpa-with-traffic-routing (#2857)', () => {
  const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: demo, namespace: default}\nspec:\n  scaleTargetRef: {apiVersion: argoproj.io/v1alpha1, kind: Rollout, name: demo}\n  minReplicas: 2\n  maxReplicas: 10\n';
  it('an HPA next to a traffic-routed Rollout', () => {
    const s = lint(rolloutYaml({ replicas: 4, canary: `${TR}steps:\n  - setWeight: 20` }), serviceYaml('demo-canary'), serviceYaml('demo-stable'), hpa);
    expect(rules(s)).toEqual(['hpa-with-traffic-routing']);
    expect(s[0]!.file).toBe('m3.yaml');
  });
  it('an HPA next to a basic canary: no warning', () => {
    expect(lint(rolloutYaml({ replicas: 4, canary: 'steps:\n  - setWeight: 25' }), hpa)).toEqual([]);
  });
});

describe('blue-green surprises, each reproduced by the model', () => {
  const BG = 'activeService: demo-active\npreviewService: demo-preview\n';
  const svc = [serviceYaml('demo-active'), serviceYaml('demo-preview')];
  const failing = analysisTemplateYaml('fails', [{ name: 'bad', query: 'vector(1)', fields: 'successCondition: result[0] < 0' }]);
  const passing = analysisTemplateYaml('ok', [{ name: 'fine', query: 'vector(1)', fields: 'successCondition: result[0] > 0' }]);

  it('bluegreen-scale-down-delay-zero (#1992): the old ReplicaSet keeps its 2 pods 10 minutes after the switch', () => {
    const yaml = blueGreenRolloutYaml({ replicas: 2, blueGreen: BG + 'scaleDownDelaySeconds: 0' });
    const s = lint(yaml, ...svc);
    expect(rules(s)).toEqual(['bluegreen-scale-down-delay-zero']);
    expect(s[0]!.link).toBe('https://github.com/argoproj/argo-rollouts/issues/1992');
    const r = run([yaml, ...svc], { untilMs: 11 * 60_000 });
    expect(r.outcome).toBe('promoted');
    expect(podsAt(r, 11 * 60_000).get('demo-6xw5sn4rp8')).toBe(2);
    expect(lint(blueGreenRolloutYaml({ replicas: 2, blueGreen: BG + 'scaleDownDelaySeconds: 1' }), ...svc)).toEqual([]);
  });

  it('bluegreen-retry-after-prepromotion-abort (#2824): default abortScaleDownDelaySeconds warns; 0 does not', () => {
    const s = lint(blueGreenRolloutYaml({ blueGreen: BG + 'prePromotionAnalysis: {templates: [{templateName: fails}]}' }), ...svc, failing);
    expect(rules(s)).toEqual(['bluegreen-retry-after-prepromotion-abort']);
    expect(s[0]!.field).toBe('spec.strategy.blueGreen.prePromotionAnalysis');
    expect(lint(blueGreenRolloutYaml({ blueGreen: BG + 'abortScaleDownDelaySeconds: 0\nprePromotionAnalysis: {templates: [{templateName: fails}]}' }), ...svc, failing)).toEqual([]);
    // The run: test/actions/blueGreenActions.test.ts ("retry after a failed pre-promotion analysis…").
  });

  it('bluegreen-rollback-window-stuck (#3304): with prePromotionAnalysis, an undo to v1 within the window never switches the active Service; promote --full does', () => {
    const yaml = blueGreenRolloutYaml({ replicas: 2, extraSpec: 'rollbackWindow: {revisions: 2}', blueGreen: BG + 'prePromotionAnalysis: {templates: [{templateName: ok}]}' });
    const s = lint(yaml, ...svc, passing);
    expect(rules(s)).toEqual(['bluegreen-retry-after-prepromotion-abort', 'bluegreen-rollback-window-stuck']);
    expect(s[1]!.message).toMatch(/pre-promotion analysis is skipped but still required/);
    const set = loadManifests([yaml, ...svc, passing].map((text, i) => ({ name: `m${i}.yaml`, text })));
    const base = { ...world({ untilMs: 15 * 60_000 }) };
    const withActions = (actions: OperatorAction[]) => runScenario({ ...base, actions }, set);
    const stuck = withActions([{ index: 0, atMs: 5 * 60_000, kind: 'undo', toRevision: 0 }]);
    expect(statusAt(stuck, 15 * 60_000)).toMatchObject({ activeSelector: 'sft22nkhkp', currentPodHash: '6xw5sn4rp8' });
    const freed = withActions([
      { index: 0, atMs: 5 * 60_000, kind: 'undo', toRevision: 0 },
      { index: 1, atMs: 10 * 60_000, kind: 'promote', full: true },
    ]);
    expect(statusAt(freed, 15 * 60_000)).toMatchObject({ activeSelector: '6xw5sn4rp8', stableRS: '6xw5sn4rp8' });
    // Auto-promotion without analysis is not affected: no warning.
    expect(lint(blueGreenRolloutYaml({ extraSpec: 'rollbackWindow: {revisions: 2}', blueGreen: BG }), ...svc)).toEqual([]);
  });
});
