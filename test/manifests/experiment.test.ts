// Loading experiment steps and Experiment manifests: every field upstream defines
// (types.go RolloutExperimentStep, experiment_types.go ExperimentSpec) is read or refused, and the
// checks the controllers would make (VerifyExperimentSpec, GetExperimentFromTemplate's specRef,
// a missing AnalysisTemplate) are load errors with file, line and field.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../sim/diagnostics.js';
import { InputError } from '../../sim/diagnostics.js';
import { loadManifests } from '../../sim/manifests/load.js';

function errorsOf(text: string): readonly Diagnostic[] {
  try {
    loadManifests([{ name: 'bad.yaml', text }]);
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected the load to fail');
}

const template = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: compare }
spec:
  metrics:
    - name: m
      provider: { prometheus: { query: "vector(1)" } }
`;

function rollout(experiment: string): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: example/web:1
  strategy:
    canary:
      steps:
        - setWeight: 20
        - experiment:
${experiment}
---
${template}`;
}

const experimentManifest = (spec: string): string => `apiVersion: argoproj.io/v1alpha1
kind: Experiment
metadata: { name: ab }
spec:
${spec}
---
${template}`;

describe('experiment steps', () => {
  it('loads templates, duration, analyses (with requiredForCompletion and args), dryRun and scaleDownDelaySeconds', () => {
    const set = loadManifests([
      {
        name: 'r.yaml',
        text: rollout(`            duration: 10m
            scaleDownDelaySeconds: 5
            dryRun: [{ metricName: m }]
            analysisRunMetadata: { labels: { team: a } }
            templates:
              - { name: baseline, specRef: stable, replicas: 2, metadata: { labels: { variant: baseline } } }
              - { name: canary, specRef: canary, selector: { matchLabels: { app: web } } }
            analyses:
              - name: compare
                templateName: compare
                requiredForCompletion: true
                args: [{ name: hash, valueFrom: { podTemplateHashValue: Latest } }]`),
      },
    ]);
    const step = set.rollouts[0]!.spec.strategy.canary.steps![1]!;
    expect(step.kind).toBe('experiment');
    if (step.kind !== 'experiment') return;
    expect(step.experiment).toEqual({
      templates: [
        { name: 'baseline', specRef: 'stable', replicas: 2, metadata: { labels: { variant: 'baseline' }, annotations: {} }, selector: undefined, weight: undefined },
        { name: 'canary', specRef: 'canary', replicas: undefined, metadata: { labels: {}, annotations: {} }, selector: { matchLabels: { app: 'web' } }, weight: undefined },
      ],
      duration: '10m',
      analyses: [
        {
          name: 'compare',
          templateName: 'compare',
          clusterScope: false,
          requiredForCompletion: true,
          args: [{ name: 'hash', value: undefined, valueFrom: { podTemplateHashValue: 'Latest' } }],
        },
      ],
      dryRun: [{ metricName: 'm' }],
      scaleDownDelaySeconds: 5,
    });
  });

  it('rejects a specRef other than stable or canary, with the upstream message', () => {
    const errors = errorsOf(rollout(`            templates:\n              - { name: b, specRef: baseline }`));
    expect(errors).toEqual([
      expect.objectContaining({
        field: 'spec.strategy.canary.steps[1].experiment.templates[0].specRef',
        line: 22,
        column: 37,
        message: 'Invalid template step SpecRef: must be canary or stable, got "baseline".',
      }),
    ]);
  });

  it('names a missing AnalysisTemplate and suggests the closest one', () => {
    const errors = errorsOf(rollout(`            templates: [{ name: c, specRef: canary }]\n            analyses: [{ name: a, templateName: compar }]`));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe('spec.strategy.canary.steps[1].experiment.analyses[0].templateName');
    expect(errors[0]!.message).toContain('AnalysisTemplate "compar" not found');
    expect(errors[0]!.message).toContain('Did you mean "compare"?');
  });

  it('refuses a template weight without traffic routing, with the upstream message', () => {
    const errors = errorsOf(rollout(`            templates:\n              - { name: c, specRef: canary, weight: 10, service: { name: c } }`));
    expect(errors).toEqual([
      expect.objectContaining({
        field: 'spec.strategy.canary.steps[1].experiment.templates[0].weight',
        message: 'Experiment template weight cannot be set unless TrafficRouting is enabled.',
      }),
    ]);
  });

  it('refuses a template weight with a router other than SMI, ALB, Istio or plugins, and without container ports', () => {
    const withRouting = (router: string): string =>
      rollout(`            templates:\n              - { name: c, specRef: canary, weight: 10 }`).replace(
        '      steps:\n',
        `      canaryService: web-canary\n      stableService: web-stable\n      trafficRouting:\n${router}      steps:\n`,
      );
    const nginx = errorsOf(withRouting('        nginx: { stableIngress: web }\n'));
    expect(nginx.map((e) => e.message)).toContain('Experiment template weight is only available for TrafficRouting with SMI, ALB, Istio and Plugins at this time.');
    const istio = errorsOf(withRouting('        istio: { virtualService: { name: web } }\n'));
    expect(istio.find((e) => e.field.endsWith('.weight'))!.message).toMatch(/declares no container ports, so the experiment creates no Service/);
  });

  it('rejects a duration that is not a Go duration (the experiment would never end)', () => {
    const errors = errorsOf(rollout(`            duration: five minutes\n            templates: [{ name: c, specRef: canary }]`));
    expect(errors).toEqual([expect.objectContaining({ field: 'spec.strategy.canary.steps[1].experiment.duration' })]);
    expect(errors[0]!.message).toBe('"five minutes" is not a Go duration (e.g. "30s", "5m", "1h"): the Experiment would never reach its duration.');
  });

  it('reports repeated template names once the other fields are fine', () => {
    const errors = errorsOf(rollout(`            templates:\n              - { name: c, specRef: canary }\n              - { name: c, specRef: stable }`));
    expect(errors).toEqual([expect.objectContaining({ field: 'spec.strategy.canary.steps[1].experiment.templates[1].name' })]);
    expect(errors[0]!.message).toMatch(/repeated template name 'c'/);
  });

  it('still rejects a step with two kinds', () => {
    const errors = errorsOf(rollout(`            templates: []\n          pause: {}`));
    expect(errors[0]!.message).toMatch(/this step has pause and experiment/);
  });
});

describe('Experiment manifests', () => {
  it('loads a standalone Experiment', () => {
    const set = loadManifests([
      {
        name: 'e.yaml',
        text: experimentManifest(`  duration: 1h
  progressDeadlineSeconds: 120
  templates:
    - name: baseline
      replicas: 1
      selector: { matchLabels: { app: ab, v: "1" } }
      template:
        metadata: { labels: { app: ab, v: "1" } }
        spec: { containers: [{ name: app, image: "app:v1" }] }
  analyses:
    - { name: compare, templateName: compare, args: [{ name: hash, value: "{{templates.baseline.podTemplateHash}}" }] }`),
      },
    ]);
    expect(set.experiments).toHaveLength(1);
    const e = set.experiments![0]!;
    expect(e.metadata.name).toBe('ab');
    expect(e.spec.duration).toBe('1h');
    expect(e.spec.progressDeadlineSeconds).toBe(120);
    expect(e.spec.templates[0]!.template.containers).toEqual([{ name: 'app', image: 'app:v1' }]);
    expect(e.spec.analyses[0]!.args[0]!.value).toBe('{{templates.baseline.podTemplateHash}}');
  });

  it('requires selectors that match the template labels, and refuses what is not simulated', () => {
    const missing = errorsOf(experimentManifest(`  templates:\n    - name: b\n      template: { spec: { containers: [{ name: a, image: x }] } }`));
    expect(missing.map((e) => e.message)).toContain("Experiment has missing field '.spec.templates[].selector'");
    const mismatch = errorsOf(
      experimentManifest(`  templates:
    - name: b
      selector: { matchLabels: { app: foo } }
      template: { metadata: { labels: { app: bar } }, spec: { containers: [{ name: a, image: x }] } }`),
    );
    expect(mismatch[0]!.message).toMatch(/`selector` does not match template `labels`: missing or different: app=foo/);
    const matchExpressions = errorsOf(
      experimentManifest(`  templates:
    - name: b
      selector: { matchExpressions: [{ key: app, operator: In, values: [b] }] }
      template: { metadata: { labels: { app: b } }, spec: { containers: [{ name: a, image: x }] } }`),
    );
    expect(matchExpressions.map((e) => e.message)).toContainEqual(expect.stringMatching(/`spec.templates\[\].selector.matchExpressions` is not simulated by rehearse yet/));
  });
});
