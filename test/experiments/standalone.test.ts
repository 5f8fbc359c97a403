// A standalone Experiment among the manifests runs from t=0 beside the Rollout
// (experiments/experiment.go), and invariants of experiment steps over many shapes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analysisTemplateYaml, ofType, podsAt, rolloutYaml, run } from '../helpers/sim.js';

const ok = analysisTemplateYaml('compare', [{ name: 'm', query: 'vector(0)', fields: 'successCondition: result[0] < 1' }]);

const experiment = (spec: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Experiment
metadata: { name: ab, namespace: default }
spec:
${spec}`;

const abTemplates = `  templates:
    - name: a
      replicas: 2
      selector: { matchLabels: { app: ab, variant: a } }
      template:
        metadata: { labels: { app: ab, variant: a } }
        spec: { containers: [{ name: app, image: "app:v1" }] }
    - name: b
      selector: { matchLabels: { app: ab, variant: b } }
      template:
        metadata: { labels: { app: ab, variant: b } }
        spec: { containers: [{ name: app, image: "app:v2" }] }`;

describe('a standalone Experiment', () => {
  const r = run(
    [
      rolloutYaml({ replicas: 2, canary: 'steps:\n  - setWeight: 50\n  - pause: {}' }),
      experiment(`  duration: 3m\n${abTemplates}\n  analyses:\n    - { name: check, templateName: compare, args: [] }`),
      ok,
    ],
    { untilMs: 6 * 60_000, changeAtMs: null, startupMs: 2000 },
  );
  const phases = ofType(r, 'event')
    .filter((e) => e.object === 'Experiment/ab' && String(e.reason).startsWith('Experiment'))
    .map((e) => [e.t, e.reason]);

  it('runs its templates (2 and, by default, 1 replica) and succeeds 3 minutes after it became available', () => {
    expect(podsAt(r, 60_000).get('ab-a')).toBe(2);
    expect(podsAt(r, 60_000).get('ab-b')).toBe(1);
    expect(phases).toEqual([
      [0, 'ExperimentPending'],
      [2000, 'ExperimentRunning'],
      [2000 + 3 * 60_000 + 1, 'ExperimentSuccessful'],
    ]);
    expect(r.analysisRuns.map((a) => [a.name, a.type, a.phase])).toEqual([['ab-check', 'Experiment', 'Successful']]);
  });

  it('scales down 30 s after it finished; the Rollout is not affected', () => {
    // Successful at 182.001 s: deadline = 182 s (whole second) + 30 s.
    expect(podsAt(r, 211_999).get('ab-a')).toBe(2);
    expect(podsAt(r, 212_000).get('ab-a')).toBe(0);
    expect(r.trace.filter((e) => e.type === 'event' && e.object === 'Rollout/demo' && String(e.reason).startsWith('Experiment'))).toHaveLength(0);
  });
});

describe("an Experiment's measurementRetention", () => {
  // experiments/experiment.go reconcileAnalysisRun passes spec.measurementRetention into every
  // AnalysisRun; a rule that matches no metric is a spec error of the run
  // (utils/analysis/helpers.go GetMeasurementRetentionMetrics).
  const withRetention = (metricName: string) =>
    run(
      [
        rolloutYaml({ replicas: 1, canary: 'steps:\n  - pause: {}' }),
        experiment(`  duration: 1m\n  measurementRetention: [{ metricName: ${metricName}, limit: 20 }]\n${abTemplates}\n  analyses:\n    - { name: check, templateName: compare, args: [] }`),
        ok,
      ],
      { untilMs: 3 * 60_000, changeAtMs: null, startupMs: 2000 },
    );

  it('reaches the AnalysisRun: a rule for metric m is accepted and the run succeeds', () => {
    expect(withRetention('m').analysisRuns.map((a) => [a.name, a.phase])).toEqual([['ab-check', 'Successful']]);
  });

  it("a rule matching no metric errors the AnalysisRun with upstream's message", () => {
    const runs = withRetention('nomatch').analysisRuns;
    expect(runs.map((a) => a.name)).toEqual(['ab-check']);
    expect(runs[0]!.phase).toBe('Error');
    expect(runs[0]!.message).toMatch(/measurementRetention\[0\]: Rule didn't match any metric name\(s\)/);
  });
});

describe('a template that never becomes available', () => {
  // progressDeadlineSeconds 60, pods take 90 s: the template fails at lastTransitionTime + 60 s.
  const r = run(
    [rolloutYaml({ replicas: 1, canary: 'steps:\n  - pause: {}' }), experiment(`  progressDeadlineSeconds: 60\n${abTemplates}`), ok],
    { untilMs: 4 * 60_000, changeAtMs: null, startupMs: 90_000 },
  );
  it('fails the template and the experiment with the upstream message', () => {
    const failed = ofType(r, 'event').filter((e) => e.object === 'Experiment/ab' && e.reason === 'TemplateFailed');
    expect(failed.map((e) => e.message)).toEqual([
      "Template 'a' transitioned from Progressing -> Failed: Template 'a' exceeded its progressDeadlineSeconds (60)",
      "Template 'b' transitioned from Progressing -> Failed: Template 'b' exceeded its progressDeadlineSeconds (60)",
    ]);
    expect(failed[0]!.t).toBe(60_001);
    const phase = ofType(r, 'experiment').at(-1)!;
    expect(phase.phase).toBe('Failed');
    // The first of equally bad templates gives the message (assessTemplates: strictly worse only).
    expect(phase.message).toBe("Template 'a' exceeded its progressDeadlineSeconds (60)");
  });
});

describe('invariants of experiment steps', () => {
  it('with a passing analysis the step completes just after availableAt + duration and every experiment pod is gone 30 s later', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 4 }), (canaryReplicas, baselineReplicas, minutes) => {
        const r = run(
          [
            rolloutYaml({
              replicas: 4,
              canary: `
steps:
  - setWeight: 25
  - experiment:
      duration: ${minutes}m
      templates:
        - {name: baseline, specRef: stable, replicas: ${baselineReplicas}}
        - {name: canary, specRef: canary, replicas: ${canaryReplicas}}
      analyses: [{name: compare, templateName: compare}]`,
            }),
            ok,
          ],
          { untilMs: 10 * 60_000, startupMs: 1000 },
        );
        const ev = ofType(r, 'event');
        const running = ev.find((e) => e.reason === 'ExperimentRunning')!;
        const done = ev.find((e) => String(e.message).endsWith('completed (experiment)'))!;
        expect(done.t).toBe(Math.floor(running.t / 1000) * 1000 + minutes * 60_000 + 1);
        const pods = podsAt(r, Math.floor(done.t / 1000) * 1000 + 30_000);
        for (const [rs, n] of pods) if (rs.includes('-baseline') || rs.endsWith('-canary')) expect(n).toBe(0);
        expect(r.outcome).toBe('promoted');
      }),
      { numRuns: 12, seed: 7 },
    );
  });
});

describe('a controller restart stops the experiment controller too (same process)', () => {
  // Experiment step of 1m, available at 62 s: it would end at 122.001 s. The process is down from
  // 100 s to 160 s, so the requeue for the duration is lost and the new process finishes it at 160 s.
  const r = run(
    [
      rolloutYaml({
        replicas: 4,
        canary: `
steps:
  - setWeight: 25
  - experiment:
      duration: 1m
      templates:
        - {name: canary, specRef: canary, replicas: 1}`,
      }),
    ],
    { untilMs: 5 * 60_000, startupMs: 1000, faults: [{ kind: 'controllerRestart', atMs: 100_000, params: { downtime: 60_000 } }] },
  );
  it('ends the experiment when the new process starts', () => {
    const done = ofType(r, 'event').find((e) => e.reason === 'ExperimentSuccessful')!;
    expect(done.t).toBe(160_000);
    expect(ofType(r, 'event').find((e) => String(e.message).endsWith('completed (experiment)'))!.t).toBe(160_000);
  });
});

describe('a template with a service (e2e TestExperimentWithServiceAndScaleDownDelay)', () => {
  const withService = `  duration: 1m
  templates:
    - name: test
      service: {}
      selector: { matchLabels: { app: ab } }
      template:
        metadata: { labels: { app: ab } }
        spec: { containers: [{ name: app, image: "app:v1", ports: [{ containerPort: 8080 }] }] }`;
  const r = run([rolloutYaml({ replicas: 1, canary: 'steps:\n  - pause: {}' }), experiment(withService)], { untilMs: 4 * 60_000, changeAtMs: null, startupMs: 1000 });
  const services = ofType(r, 'experiment')
    .filter((e) => e.phase !== 'Created')
    .map((e) => [e.t, e.phase, (e.templates as { service?: string }[])[0]!.service ?? null]);
  it('gets a Service named after its ReplicaSet while it runs, deleted once the ReplicaSet has no available pod', () => {
    expect(services.find(([, , svc]) => svc !== null)).toEqual([0, 'Pending', 'ab-test']);
    expect(services.find(([, phase]) => phase === 'Successful')![2]).toBe('ab-test');
    // Successful at 61.001 s; scaled down at 91 s; the Service goes in the reconcile that sees 0 available.
    expect(services.at(-1)).toEqual([91_000, 'Successful', null]);
  });
});
