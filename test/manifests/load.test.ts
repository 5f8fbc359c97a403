import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../sim/diagnostics.js';
import { InputError } from '../../sim/diagnostics.js';
import { loadManifests } from '../../sim/manifests/load.js';
import type { ManifestSource } from '../../sim/manifests/load.js';
import { FIELD_SUPPORT } from '../../sim/manifests/schema.js';

const FIXTURES = 'test/manifests/fixtures';

function fixture(dir: string): ManifestSource[] {
  return readdirSync(`${FIXTURES}/${dir}`)
    .sort()
    .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(`${FIXTURES}/${dir}/${f}`, 'utf8') }));
}

/** Loads text expected to fail; returns every diagnostic. */
function errorsOf(text: string, name = 'bad.yaml'): readonly Diagnostic[] {
  try {
    loadManifests([{ name, text }]);
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected the load to fail');
}

/** A minimal valid Rollout with `steps` and extra canary fields spliced in (4-space indented). */
function rollout(opts: { steps?: string; canary?: string; spec?: string; labels?: string } = {}): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  replicas: 3
${opts.spec ?? ''}  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        ${opts.labels ?? 'app: web'}
    spec:
      containers:
        - name: web
          image: example/web:1
  strategy:
    canary:
${opts.canary ?? ''}      steps:
${opts.steps ?? '        - setWeight: 20\n        - pause: {duration: 1m}\n'}`;
}

describe('valid manifests', () => {
  it('loads a canary with step and background analysis, templates and services', () => {
    const set = loadManifests(fixture('canary-analysis'));
    expect(set.rollouts).toHaveLength(1);
    const r = set.rollouts[0]!;
    expect(r.metadata).toEqual({ name: 'checkout', namespace: 'shop', labels: { team: 'payments' }, annotations: {} });
    expect(r.spec.replicas).toBe(8);
    expect(r.spec.progressDeadlineSeconds).toBe(900);
    expect(r.spec.minReadySeconds).toBeUndefined();
    expect(r.spec.selector.matchLabels).toEqual({ app: 'checkout' });
    expect(r.spec.template.containers).toEqual([{ name: 'app', image: 'registry.example.com/checkout:1.4.0' }]);
    expect(r.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    const canary = r.spec.strategy.canary;
    expect(canary.maxSurge).toBe('25%');
    expect(canary.maxUnavailable).toBe(0);
    expect(canary.trafficRouting).toBeUndefined();
    expect(canary.steps?.map((s) => s.kind)).toEqual(['setWeight', 'pause', 'setWeight', 'analysis', 'setWeight', 'pause', 'setWeight']);
    const step3 = canary.steps?.[3];
    expect(step3?.kind === 'analysis' && step3.analysis.templates).toEqual([{ templateName: 'checkout-latency', clusterScope: false }]);
    expect(step3?.position).toEqual({ file: 'canary-analysis/rollout.yaml', line: 51, column: 11 });
    expect(canary.steps?.[1]).toMatchObject({ kind: 'pause', pause: { duration: '2m' } });
    expect(canary.steps?.[5]).toMatchObject({ kind: 'pause', pause: { duration: 90 } });
    expect(canary.analysis?.startingStep).toBe(1);
    expect(canary.analysis?.args).toEqual([{ name: 'service', value: 'checkout', valueFrom: undefined }]);

    expect(set.analysisTemplates.map((t) => t.metadata.name)).toEqual(['checkout-error-rate', 'checkout-latency']);
    const latency = set.analysisTemplates[1]!.spec.metrics[0]!;
    expect(latency).toMatchObject({ name: 'p99-latency', interval: '30s', count: 5, failureLimit: 1, initialDelay: '15s' });
    expect(latency.provider.prometheus?.timeout).toBe(20);
    expect(latency.provider.prometheus?.query).toContain('histogram_quantile({{args.quantile}}');
    expect(latency.position).toEqual({ file: 'canary-analysis/analysis.yaml', line: 34, column: 7 });

    expect(set.services.map((s) => s.metadata.name)).toEqual(['checkout-stable', 'checkout-canary']);
    expect(set.ignored).toEqual([{ kind: 'Ingress', name: 'checkout', file: 'canary-analysis/services.yaml', line: 28 }]);
    expect(set.warnings).toEqual([]);
  });

  it('loads a traffic-routed Istio canary and warns about a Service given elsewhere', () => {
    const set = loadManifests(fixture('istio'));
    const canary = set.rollouts[0]!.spec.strategy.canary;
    expect(canary.trafficRouting?.routers).toEqual(['istio']);
    expect(canary.trafficRouting?.maxTrafficWeight).toBeUndefined();
    expect(canary.steps?.map((s) => (s.kind === 'pause' ? s.pause.duration ?? 'indefinite' : s.kind))).toEqual([
      'setWeight', 'indefinite', 'setWeight', '1h', 'setWeight', '30',
    ]);
    expect(set.ignored.map((i) => i.kind)).toEqual(['VirtualService']);
    expect(set.warnings).toHaveLength(1);
    expect(set.warnings[0]).toMatchObject({ severity: 'warning', field: 'spec.strategy.canary.canaryService', line: 18 });
    expect(set.warnings[0]!.message).toContain('Service "reviews-canary" is not in the manifests');
  });

  it('reads kind: List items and reports their errors under items[i]', () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: { name: a }
    spec: { selector: { app: a } }
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: legacy }
  - apiVersion: v1
    kind: Service
    metadata: { name: b }
    spec: { selector: { app: b } }
`;
    const set = loadManifests([{ name: 'list.yaml', text }]);
    expect(set.services.map((s) => s.metadata.name)).toEqual(['a', 'b']);
    expect(set.ignored).toEqual([{ kind: 'Deployment', name: 'legacy', file: 'list.yaml', line: 8 }]);

    const bad = errorsOf(text.replace('spec: { selector: { app: b } }', 'spec: { selector: { app: 3 } }'));
    expect(bad).toEqual([
      expect.objectContaining({ file: 'bad.yaml', line: 14, column: 30, field: 'items[2].spec.selector.app' }),
    ]);
    expect(bad[0]!.message).toMatch(/expected a string value, got the number 3\. Quote it \("3"\)/);
  });

  it('skips empty documents and accepts YAML anchors and merge keys', () => {
    const text = `---\n---\n# nothing\n---\n${rollout({ canary: '      canaryService: web-canary\n' })}---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: { name: &svc web-canary }
    spec:
      selector: &sel { app: web }
  - apiVersion: v1
    kind: Service
    metadata: { name: web-stable, labels: { copy-of: *svc } }
    spec:
      selector:
        <<: *sel
`;
    const set = loadManifests([{ name: 'x.yaml', text }]);
    expect(set.rollouts[0]!.spec.strategy.canary.canaryService).toBe('web-canary');
    expect(set.services.map((s) => [s.metadata.name, s.spec.selector])).toEqual([
      ['web-canary', { app: 'web' }],
      ['web-stable', { app: 'web' }],
    ]);
    expect(set.services[1]!.metadata.labels).toEqual({ 'copy-of': 'web-canary' });
  });
});

describe('unknown fields', () => {
  it('reports a typo with file, line, column, path and a suggestion', () => {
    const errors = errorsOf(rollout({ steps: '        - setWeight: 20\n        - pause: {duration: 1m}\n        - setWieght: 40\n' }), 'app/rollout.yaml');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toEqual({
      severity: 'error',
      file: 'app/rollout.yaml',
      line: 23,
      column: 11,
      field: 'spec.strategy.canary.steps[2].setWieght',
      message:
        'unknown field `setWieght` in spec.strategy.canary.steps[2] (a CanaryStep). Did you mean `setWeight`? Known fields: setWeight, pause, experiment, analysis, setCanaryScale, setHeaderRoute, setMirrorRoute, plugin.',
    });
  });

  it('suggests across kinds and depths', () => {
    const errors = errorsOf(rollout({ canary: '      stableSevice: web\n', spec: '  minReadySecond: 5\n' }));
    expect(errors.map((e) => [e.field, e.message.match(/Did you mean `(\w+)`/)?.[1]])).toEqual([
      ['spec.minReadySecond', 'minReadySeconds'],
      ['spec.strategy.canary.stableSevice', 'stableService'],
    ]);
  });

  it('gives no suggestion when nothing is close', () => {
    const [e] = errorsOf(rollout({ canary: '      colour: blue\n' }));
    expect(e!.message).not.toContain('Did you mean');
    expect(e!.message).toContain('Known fields: canaryService, stableService');
  });

  it('accepts other pod-spec, container and Service fields silently', () => {
    const text = rollout().replace('          image: example/web:1', '          image: example/web:1\n          imagePullPolicy: Always\n          env: [{ name: A, value: "1" }]');
    expect(loadManifests([{ name: 'r.yaml', text }]).rollouts).toHaveLength(1);
  });
});

describe('fields upstream defines that rehearse does not simulate', () => {
  it.each<[string, string, string]>([
    ['canary', '      pingPong: { pingService: a, pongService: b }\n', 'spec.strategy.canary.pingPong'],
    ['canary', '      canaryMetadata: { labels: { role: canary } }\n', 'spec.strategy.canary.canaryMetadata'],
    ['steps', '        - plugin: { name: x }\n', 'spec.strategy.canary.steps[0].plugin'],
    [
      'steps',
      '        - experiment: { templates: [{ name: c, specRef: canary, selector: { matchExpressions: [] } }] }\n',
      'spec.strategy.canary.steps[0].experiment.templates[0].selector.matchExpressions',
    ],
    ['spec', '  workloadRef: { kind: Deployment, name: web }\n', 'spec.workloadRef'],
  ])('%s %j', (where, snippet, field) => {
    const errors = errorsOf(rollout({ [where]: snippet }));
    const e = errors.find((d) => d.field === field);
    expect(e).toBeDefined();
    expect(e!.message).toMatch(/is not simulated by rehearse yet/);
    expect(e!.line).toBeGreaterThan(0);
  });

  it('rejects both strategies at once, and Prometheus range queries', () => {
    const bg = errorsOf(rollout().replace('    canary:\n      steps:', '    blueGreen:\n      activeService: x\n    canary:\n      steps:'));
    expect(bg[0]).toMatchObject({ field: 'spec.strategy', line: 19, column: 5 });
    expect(bg[0]!.message).toBe('Multiple Strategies can not be listed (blueGreen: true canary: true): give either spec.strategy.canary or spec.strategy.blueGreen.');
    // Every provider is simulated now (docs/analysis.md); Prometheus range queries are not yet.
    const range = errorsOf(`apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: t }
spec:
  metrics:
    - name: m
      provider:
        prometheus: { query: "up", rangeQuery: { step: 1m } }
`);
    expect(range).toEqual([expect.objectContaining({ field: 'spec.metrics[0].provider.prometheus.rangeQuery', line: 8, column: 36 })]);
    expect(range[0]!.message).toContain('`spec.metrics[].provider.prometheus.rangeQuery` is not simulated by rehearse yet');
  });

  it('keeps every entry of the support table under a kind and a path', () => {
    for (const [key, entry] of FIELD_SUPPORT) {
      expect(key).toMatch(/^(Rollout|AnalysisTemplate|Experiment) [A-Za-z.[\]]+$/);
      expect(['notSimulated', 'noEffect']).toContain(entry.support);
    }
  });
});

describe('types and required fields', () => {
  it('reports each bad type with what was expected', () => {
    const errors = errorsOf(
      rollout({
        spec: '  paused: "yes"\n  progressDeadlineSeconds: 10m\n',
        steps: '        - setWeight: "20"\n        - pause: {duration: [1]}\n        - analysis: { templates: { templateName: x } }\n',
      }),
    );
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      ['spec.paused', 'expected true or false, got the string "yes".'],
      ['spec.progressDeadlineSeconds', 'expected an integer, got the string "10m".'],
      ['spec.strategy.canary.steps[0].setWeight', 'expected an integer, got the string "20".'],
      ['spec.strategy.canary.steps[1].pause.duration', 'expected a number of seconds or a duration string such as "30s" or "1h", got a list.'],
      ['spec.strategy.canary.steps[2].analysis.templates', 'expected a list of AnalysisTemplateRef, got a mapping.'],
    ]);
  });

  it('reads unquoted on/yes as booleans, like Kubernetes', () => {
    const [e] = errorsOf(rollout({ labels: 'app: web\n        canary: on' }));
    expect(e).toMatchObject({ field: 'spec.template.metadata.labels.canary' });
    expect(e!.message).toContain('the boolean true');
  });

  it('reports missing required fields', () => {
    const errors = errorsOf(`apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { namespace: x }
spec:
  template:
    spec:
      containers:
        - name: a
  strategy: { canary: {} }
`);
    expect(errors.map((e) => e.field)).toEqual(['metadata.name', 'spec.template.spec.containers[0].image', 'spec.selector']);
    expect(errors[2]!.message).toBe("Rollout has missing field '.spec.selector'");
  });

  it('reports missing kind and apiVersion, and YAML syntax errors with a position', () => {
    expect(errorsOf('metadata: { name: a }\n')[0]!.message).toContain('needs a kind');
    expect(errorsOf('kind: Rollout\nmetadata: { name: a }\n')[0]!.message).toContain('apiVersion: argoproj.io/v1alpha1');
    const [syntax] = errorsOf('apiVersion: v1\nkind: Service\nmetadata:\n  name: [a\n');
    expect(syntax).toMatchObject({ file: 'bad.yaml', field: '' });
    expect(syntax!.line).toBeGreaterThan(0);
    expect(syntax!.message).toMatch(/^YAML syntax error: /);
    const [dup] = errorsOf('apiVersion: v1\nkind: Service\nkind: Service\n');
    expect(dup).toMatchObject({ line: 3, column: 1 });
  });

  it('reports duplicate objects', () => {
    const errors = errorsOf(`${rollout()}---\n${rollout()}`);
    expect(errors).toEqual([expect.objectContaining({ field: 'metadata.name', line: 27 })]);
    expect(errors[0]!.message).toContain('duplicate Rollout "web": also defined at bad.yaml:1:1');
  });
});

describe('upstream validation (InvalidSpec at load time)', () => {
  it('selector must match template labels', () => {
    const [e] = errorsOf(rollout({ labels: 'app: webapp' }));
    expect(e).toMatchObject({ field: 'spec.template.metadata.labels', line: 13, column: 9 });
    expect(e!.message).toContain('`selector` does not match template `labels`');
    expect(e!.message).toContain('app=web');
  });

  it('setWeight within 0..maxTrafficWeight', () => {
    expect(errorsOf(rollout({ steps: '        - setWeight: 120\n' }))[0]!.message).toBe('SetWeight needs to be between 0 and 100, got 120.');
    const nginx = `      canaryService: c\n      stableService: s\n      trafficRouting:\n        maxTrafficWeight: 1000\n        nginx: { stableIngress: web }\n`;
    const errors = errorsOf(rollout({ canary: nginx, steps: '        - setWeight: 500\n        - setWeight: 1001\n' }));
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      ['spec.strategy.canary.steps[1].setWeight', 'SetWeight needs to be between 0 and 1000, got 1001.'],
    ]);
  });

  it('exactly one step kind per step', () => {
    const [e] = errorsOf(rollout({ steps: '        - setWeight: 10\n          pause: {}\n' }));
    expect(e!.field).toBe('spec.strategy.canary.steps[0]');
    expect(e!.message).toContain('this step has setWeight and pause');
  });

  it('pause durations', () => {
    const ok = loadManifests([{ name: 'r', text: rollout({ steps: '        - pause: {duration: "1h"}\n        - pause: {duration: 30}\n        - pause: {duration: "30"}\n        - pause: {duration: 500ms}\n' }) }]);
    expect(ok.rollouts[0]!.spec.strategy.canary.steps).toHaveLength(4);
    const [e] = errorsOf(rollout({ steps: '        - pause: {duration: abc}\n' }));
    expect(e).toMatchObject({ field: 'spec.strategy.canary.steps[0].pause.duration', line: 21, column: 29 });
    expect(e!.message).toMatch(/^Duration needs to be greater than 0: "abc" is neither/);
    expect(errorsOf(rollout({ steps: '        - pause: {duration: -5}\n' }))[0]!.field).toBe('spec.strategy.canary.steps[0].pause.duration');
  });

  it('progressDeadlineSeconds must exceed minReadySeconds; maxSurge and maxUnavailable not both zero', () => {
    const errors = errorsOf(rollout({ spec: '  minReadySeconds: 600\n', canary: '      maxSurge: 0\n      maxUnavailable: "0%"\n' }));
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      ['spec.minReadySeconds', 'progressDeadlineSeconds (600, the default) must be greater than minReadySeconds (600).'],
      ['spec.strategy.canary.maxSurge', 'MaxSurge and MaxUnavailable both can not be zero.'],
    ]);
  });

  it('traffic routing needs canary and stable services', () => {
    const errors = errorsOf(rollout({ canary: '      trafficRouting:\n        smi: {}\n' }));
    expect(errors.map((e) => e.field)).toEqual(['spec.strategy.canary.stableService', 'spec.strategy.canary.canaryService']);
    expect(errors[0]!.message).toContain('Canary service and Stable service must to be set to use Traffic Routing');
  });

  it('validates metrics like ValidateMetric', () => {
    const template = (metric: string): string => `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: t }
spec:
  metrics:
    - name: m
${metric}      provider:
        prometheus: { query: up }
`;
    const msg = (metric: string): string => errorsOf(template(metric))[0]!.message;
    expect(msg('      count: 3\n')).toBe('metrics[0]: interval must be specified when count > 1.');
    expect(msg('      count: 2\n      interval: 1m\n      failureLimit: 3\n')).toBe(
      'metrics[0]: count (2) must be >= failureLimit + consecutiveSuccessLimit (3 + 0) if both >= 0.',
    );
    expect(msg('      failureLimit: -1\n')).toBe('metrics[0]: failureLimit and consecutiveSuccessLimit cannot both be disabled.');
    expect(msg('      failureLimit: -2\n')).toBe('metrics[0]: failureLimit must be >= 0, or -1 to be disabled.');
    expect(msg('      interval: 1x\n')).toBe('metrics[0]: invalid interval string: time: unknown unit "x" in duration "1x".');
    expect(msg('      initialDelay: "5"\n')).toBe('metrics[0]: invalid startDelay string: time: missing unit in duration "5".');
    // Placeholders are unknown until a Rollout supplies its arguments.
    expect(() => loadManifests([{ name: 't', text: template('      count: "{{args.n}}"\n      interval: "{{args.every}}"\n') }])).not.toThrow();
    const noProvider = errorsOf(template('').replace('        prometheus: { query: up }\n', '        {}\n'));
    expect(noProvider[0]!.message).toBe('metrics[0]: no provider specified.');
  });

  it('resolves template references, args, and unbounded metrics in analysis steps', () => {
    const templates = `---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: forever }
spec:
  metrics:
    - name: m
      interval: 1m
      provider: { prometheus: { query: up } }
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: needs-arg }
spec:
  args: [{ name: svc }]
  metrics:
    - name: needs
      provider: { prometheus: { query: 'up{svc="{{args.svc}}"}' } }
`;
    const steps = '        - analysis: { templates: [{ templateName: forever }] }\n        - analysis: { templates: [{ templateName: needs-arg }] }\n        - analysis: { templates: [{ templateName: forver }] }\n';
    const errors = errorsOf(rollout({ steps, canary: '      analysis: { templates: [{ templateName: forever }] }\n' }) + templates);
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      [
        'spec.strategy.canary.steps[0].analysis.templates',
        'AnalysisTemplate forever has metric m which runs indefinitely. Invalid value for count: <nil>. Analysis steps wait for their AnalysisRun to finish, so every metric needs a count when it has an interval.',
      ],
      ['spec.strategy.canary.steps[1].analysis.templates', 'templateNames: [needs-arg]: args.svc was not resolved.'],
      [
        'spec.strategy.canary.steps[2].analysis.templates[0].templateName',
        'AnalysisTemplate "forver" not found: no AnalysisTemplate with that name is in the manifests given to rehearse. Did you mean "forever"?',
      ],
    ]);
    // Background analysis may run unbounded; supplying the argument resolves the second template.
    const fixedSteps = '        - analysis: { templates: [{ templateName: needs-arg }], args: [{ name: svc, value: web }] }\n';
    const ok = rollout({ steps: fixedSteps, canary: '      analysis: { templates: [{ templateName: forever }] }\n' }) + templates;
    expect(() => loadManifests([{ name: 'r', text: ok }])).not.toThrow();
  });

  it('a Service selector must match the pod template labels', () => {
    const svc = `---\napiVersion: v1\nkind: Service\nmetadata: { name: web-canary }\nspec: { selector: { app: web, track: canary } }\n`;
    const [e] = errorsOf(rollout({ canary: '      canaryService: web-canary\n' }) + svc);
    expect(e).toMatchObject({ field: 'spec.strategy.canary.canaryService' });
    expect(e!.message).toContain('Service "web-canary" has unmatch label "track" in rollout');
  });
});

describe('robustness', () => {
  it('never throws anything but InputError on arbitrary YAML-ish text (property)', () => {
    const fragments = [
      'apiVersion: argoproj.io/v1alpha1\n', 'apiVersion: v1\n', 'kind: Rollout\n', 'kind: AnalysisTemplate\n', 'kind: Service\n', 'kind: List\n',
      'metadata:\n  name: x\n', 'spec:\n', '  steps:\n', '  - setWeight: 5\n', '  - pause: {duration: 1h}\n', '  strategy:\n    canary:\n',
      'items:\n  - kind: Service\n', '---\n', '- a\n', ': :\n', '&a [*a]\n', '<<: *a\n', '"unterminated\n', '  metrics: [{name: m}]\n',
      '\t\n', 'selector: {matchLabels: {a: b}}\n', 'template: {spec: {containers: [{name: a, image: b}]}}\n', '{{args.x}}\n', 'null\n',
    ];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 12 })), { maxLength: 20 }), (parts) => {
        try {
          loadManifests([{ name: 'fuzz.yaml', text: parts.join('') }]);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          for (const d of (e as InputError).diagnostics) {
            expect(d.file).toBe('fuzz.yaml');
            expect(d.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 1500, seed: 1234 },
    );
  });

  it('survives alias bombs', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const text = `apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec:\n  selector: {}\n  bomb:\n${lines.map((l) => `    ${l}`).join('\n')}\n`;
    expect(() => loadManifests([{ name: 'bomb.yaml', text }])).not.toThrow(/stack|memory/);
  });
});
