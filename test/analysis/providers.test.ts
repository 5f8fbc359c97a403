// Worked examples for dryRun, consecutiveSuccessLimit, the web and job providers, fixtures and
// secretKeyRef arguments (semantics digest §1.3, §4; analysis/analysis.go, metricproviders/*),
// through the whole run: inline manifests, pods ready 1 s after creation, the change at 60 s, so
// the setWeight step completes at 61 s and the analysis step starts then.
import { describe, expect, it } from 'vitest';
import type { ProvidersSpec } from '../../sim/analysis/providers/spec.js';
import { findResults, parseJsonPath } from '../../sim/analysis/providers/jsonPath.js';
import { goJsonMarshal } from '../../sim/analysis/providers/goJson.js';
import { loadManifests } from '../../sim/manifests/load.js';
import { AnalysisRun } from '../../sim/analysis/analysisRun.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { analysisTemplateYaml, rolloutYaml, world, type WorldOptions } from '../helpers/sim.js';

const STEPS = 'steps:\n  - setWeight: 50\n  - analysis:\n      templates: [{templateName: t}]\n  - setWeight: 100';

function runWith(docs: readonly string[], providers: Partial<ProvidersSpec> = {}, w: WorldOptions = {}): RunResult {
  const set = loadManifests(docs.map((text, i) => ({ name: `inline-${i}.yaml`, text })));
  const spec: ProvidersSpec = { web: [], job: [], fixtures: new Map(), ...providers };
  return runScenario({ ...world({ untilMs: 15 * 60_000, ...w }), providers: spec }, set);
}

const stepRun = (r: RunResult) => r.analysisRuns.find((a) => a.type === 'Step')!;

function template(metrics: string, extra = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: t, namespace: default}
spec:
${extra}  metrics:
${metrics}`;
}

describe('dryRun (analysis.go assessRunStatus)', () => {
  it('count 5, interval 1m, failureLimit 2, dryRun on the failing metric: run Successful, dryRunSummary {count 1, failed 1}', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: `steps:\n  - setWeight: 50\n  - analysis:\n      templates: [{templateName: t}]\n      dryRun: [{metricName: fail}]\n  - setWeight: 100` }),
      analysisTemplateYaml('t', [{ name: 'always-fails', fields: 'interval: 1m\ncount: 5\nfailureLimit: 2\nsuccessCondition: result[0] < 0', query: 'vector(1)' }]),
    ]);
    const ar = stepRun(r);
    expect(ar.phase).toBe('Successful');
    expect(ar.dryRunSummary).toEqual({ count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    // failed (3) > failureLimit (2) at the third measurement: 61 s, 121.001 s, 181.002 s.
    expect(ar.measurements.map((m) => [m.t, m.phase])).toEqual([
      [61_000, 'Failed'],
      [121_001, 'Failed'],
      [181_002, 'Failed'],
    ]);
    expect(r.outcome).toBe('promoted');
  });

  it('a dryRun rule that matches no metric makes the run Error: Analysis spec invalid', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: `steps:\n  - setWeight: 50\n  - analysis:\n      templates: [{templateName: t}]\n      dryRun: [{metricName: nothing-like-this}]` }),
      analysisTemplateYaml('t', [{ name: 'ok', query: 'vector(1)' }]),
    ]);
    expect(stepRun(r).phase).toBe('Error');
    expect(stepRun(r).message).toBe("Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)");
    expect(r.outcome).toBe('aborted');
  });
});

describe('consecutiveSuccessLimit (assessMetricStatus)', () => {
  it('count 5, consecutiveSuccessLimit 3: Successful after the third consecutive success, before the count', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      analysisTemplateYaml('t', [{ name: 'ok', fields: 'interval: 1m\ncount: 5\nconsecutiveSuccessLimit: 3\nsuccessCondition: result[0] == 1', query: 'vector(1)' }]),
    ]);
    expect(stepRun(r).measurements.map((m) => m.t)).toEqual([61_000, 121_001, 181_002]);
    expect(stepRun(r).phase).toBe('Successful');
  });

  it('count 3, consecutiveSuccessLimit 2, failureLimit 1, pattern fail-ok-fail: the second failure exceeds failureLimit before the count ⇒ Failed', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      template(`    - name: flaky
      interval: 1m
      count: 3
      failureLimit: 1
      consecutiveSuccessLimit: 2
      successCondition: result > 0.5
      provider: { datadog: { query: "avg:x" } }
`),
    ], {
      fixtures: new Map([['flaky', [{ version: undefined, values: [{ fromMs: 0, value: 0 }, { fromMs: 100_000, value: 1 }, { fromMs: 150_000, value: 0 }] }]]]),
    });
    expect(stepRun(r).measurements.map((m) => m.phase)).toEqual(['Failed', 'Successful', 'Failed']);
    expect(stepRun(r).phase).toBe('Failed');
    expect(stepRun(r).message).toBe('Metric "flaky" assessed Failed due to failed (2) > failureLimit (1)');
  });
});

describe('web provider (metricproviders/webmetric)', () => {
  const webTemplate = (jsonPath: string, cond = 'result == true') =>
    template(`    - name: smoke
      successCondition: ${cond}
      provider:
        web:
          url: http://smoke.default.svc/check
          jsonPath: "${jsonPath}"
`);

  it('jsonPath {$.data.ok} on {"data":{"ok":true}} ⇒ value true, Successful', () => {
    const r = runWith([rolloutYaml({ replicas: 2, canary: STEPS }), webTemplate('{$.data.ok}')], {
      web: [{ url: 'http://smoke.default.svc/check', fromMs: 0, version: undefined, status: 200, body: { data: { ok: true } }, latencyMs: 0 }],
    });
    expect(stepRun(r).measurements).toEqual([{ t: 61_000, metric: 'smoke', phase: 'Successful', value: 'true', message: null }]);
    expect(r.outcome).toBe('promoted');
  });

  it('a 503 is an Error "received non 2xx response code: 503"; five in a row (10 s apart) end the run in Error', () => {
    const r = runWith([rolloutYaml({ replicas: 2, canary: STEPS }), webTemplate('{$.data.ok}')], {
      web: [{ url: 'http://smoke.default.svc/check', fromMs: 0, version: undefined, status: 503, body: 'unavailable', latencyMs: 0 }],
    });
    const ms = stepRun(r).measurements;
    expect(ms.map((m) => m.t)).toEqual([61_000, 71_001, 81_002, 91_003, 101_004]);
    expect(ms.every((m) => m.phase === 'Error' && m.message === 'received non 2xx response code: 503')).toBe(true);
    expect(r.outcome).toBe('aborted');
  });

  it('a body that is not JSON is Successful whatever the condition says', () => {
    const r = runWith([rolloutYaml({ replicas: 2, canary: STEPS }), webTemplate('{$.data.ok}', 'result == false')], {
      web: [{ url: 'http://smoke.default.svc/check', fromMs: 0, version: undefined, status: 200, body: 'OK', latencyMs: 0 }],
    });
    expect(stepRun(r).measurements[0]).toMatchObject({ phase: 'Successful', value: 'OK' });
  });

  it('an answer slower than timeoutSeconds (default 10) is an Error at the timeout', () => {
    const r = runWith([rolloutYaml({ replicas: 2, canary: STEPS }), webTemplate('{$.data.ok}')], {
      web: [{ url: 'http://smoke.default.svc/check', fromMs: 0, version: undefined, status: 200, body: { data: { ok: true } }, latencyMs: 12_000 }],
    });
    expect(stepRun(r).measurements[0]).toMatchObject({
      t: 71_000,
      phase: 'Error',
      message: 'Get "http://smoke.default.svc/check": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
    });
  });

  it('a JSONPath field that is not there: "Could not find JSONPath in body: data is not found"', () => {
    const r = runWith([rolloutYaml({ replicas: 2, canary: STEPS }), webTemplate('{$.data.ok}')], {
      web: [{ url: 'http://smoke.default.svc/check', fromMs: 0, version: undefined, status: 200, body: { other: 1 }, latencyMs: 0 }],
    });
    expect(stepRun(r).measurements[0]).toMatchObject({ phase: 'Error', message: 'Could not find JSONPath in body: data is not found' });
  });

  it('JSONPath subset: fields, quoted keys, indexes and [*]', () => {
    const data = { a: { 'b-c': [{ v: 1 }, { v: 2 }] } };
    expect(findResults(parseJsonPath("{$.a['b-c'][1].v}"), data)).toEqual([2]);
    expect(findResults(parseJsonPath('{.a.b-c[*].v}'), data)).toEqual([1, 2]);
    expect(() => findResults(parseJsonPath('{$.a.b-c[5]}'), data)).toThrow('array index out of bounds: index 5, length 2');
    expect(() => parseJsonPath('{$..v}')).toThrow(/not simulated/);
  });
});

describe('job provider (metricproviders/job)', () => {
  it('a Job failing after 30 s ⇒ measurement Failed 30 s after it started; the step analysis aborts the rollout', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      template(`    - name: smoke-test
      provider:
        job:
          spec:
            backoffLimit: 0
            template:
              spec:
                restartPolicy: Never
                containers: [{name: smoke, image: "smoke:1"}]
`),
    ], { job: [{ metric: 'smoke-test', version: 'app:v2', afterMs: 30_000, outcome: 'Failed' }] });
    const ar = stepRun(r);
    expect(ar.measurements.map((m) => [m.t, m.phase])).toEqual([
      [61_000, 'Running'],
      [91_000, 'Failed'],
    ]);
    expect(ar.phase).toBe('Failed');
    expect(ar.message).toBe('Metric "smoke-test" assessed Failed due to failed (1) > failureLimit (0)');
    expect(r.outcome).toBe('aborted');
  });
});

describe('arguments from Secrets (analysis.go resolveArgs)', () => {
  const secret = `apiVersion: v1
kind: Secret
metadata: {name: smoke-token, namespace: default}
data: {token: czNjcjN0}
`;
  const tmpl = (secretName: string) =>
    template(
      `    - name: smoke
      successCondition: result == true
      provider:
        web:
          url: "http://smoke.default.svc/check?token={{args.token}}"
          jsonPath: "{$.ok}"
`,
      `  args:\n    - name: token\n      valueFrom:\n        secretKeyRef: {name: ${secretName}, key: token}\n`,
    );

  it('the decoded secret value is substituted into the URL', () => {
    const r = runWith([rolloutYaml({ replicas: 2, canary: STEPS }), tmpl('smoke-token'), secret], {
      web: [{ url: 'http://smoke.default.svc/check?token=s3cr3t', fromMs: 0, version: undefined, status: 200, body: { ok: true }, latencyMs: 0 }],
    });
    expect(stepRun(r).measurements[0]).toMatchObject({ phase: 'Successful', value: 'true' });
  });

  it('a Secret that does not exist: run Error "Unable to resolve metric arguments: secrets \\"x\\" not found"', () => {
    const r = runWith([rolloutYaml({ replicas: 2, canary: STEPS }), tmpl('missing'), secret]);
    expect(stepRun(r).phase).toBe('Error');
    expect(stepRun(r).message).toBe('Unable to resolve metric arguments: secrets "missing" not found');
  });
});

describe('fixtures shaped per provider', () => {
  it('datadog: float64 from the traffic error ratio; wavefront %.2f; graphite [%f]', () => {
    const metric = (name: string, provider: string, cond: string) => `    - name: ${name}\n      successCondition: "${cond}"\n      provider: { ${provider}: { query: "q" } }\n`;
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      template(metric('dd', 'datadog', 'result < 0.01') + metric('wf', 'wavefront', 'result > 0.5') + metric('gr', 'graphite', 'result[0] == 0.25')),
    ], {
      fixtures: new Map([
        ['dd', [{ version: undefined, values: [{ fromMs: 0, value: { $traffic: { of: 'errorRatio', version: 'canary', windowMs: 60_000, quantile: 0.99 } } }] }]],
        ['wf', [{ version: undefined, values: [{ fromMs: 0, value: 0.987 }] }]],
        ['gr', [{ version: undefined, values: [{ fromMs: 0, value: [0.25, null, 0.5] }] }]],
      ]),
    });
    const byMetric = Object.fromEntries(stepRun(r).measurements.map((m) => [m.metric, m]));
    expect(byMetric.wf).toMatchObject({ phase: 'Successful', value: '0.99' });
    expect(byMetric.gr).toMatchObject({ phase: 'Successful', value: '[0.250000,0.500000]' });
    // No errors are simulated in this world and the canary has served for 1 s: 0/N = 0, or no data.
    expect(['0', '[]']).toContain(byMetric.dd!.value);
  });
});

describe('several templates, nested templates, ClusterAnalysisTemplates (getAnalysisTemplatesFromRefs)', () => {
  const cluster = `apiVersion: argoproj.io/v1alpha1
kind: ClusterAnalysisTemplate
metadata: {name: shared}
spec:
  metrics:
    - name: shared-check
      provider: { prometheus: { query: "vector(1)" } }
`;
  it('a template nesting a ClusterAnalysisTemplate: its metrics first, then the nested ones', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      template(`    - name: own-check\n      provider: { prometheus: { query: "vector(1)" } }\n`, '  templates: [{templateName: shared, clusterScope: true}]\n'),
      cluster,
    ]);
    expect(stepRun(r).measurements.map((m) => m.metric)).toEqual(['own-check', 'shared-check']);
    expect(stepRun(r).phase).toBe('Successful');
  });

  it('two templates with a metric of the same name: load error as upstream words it', () => {
    expect(() =>
      loadManifests([
        { name: 'r.yaml', text: rolloutYaml({ replicas: 2, canary: 'steps:\n  - setWeight: 50\n  - analysis:\n      templates: [{templateName: t}, {templateName: shared, clusterScope: true}]' }) },
        { name: 't.yaml', text: template(`    - name: shared-check\n      provider: { prometheus: { query: "vector(1)" } }\n`) },
        { name: 'c.yaml', text: cluster },
      ]),
    ).toThrow(/templateNames: \[t shared\]: two metrics have the same name 'shared-check'/);
  });
});

describe('fieldRef outside metadata (extractValueFromRollout)', () => {
  it('spec.template.spec.containers[0].image is the image of the rollout being analysed', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: 'steps:\n  - setWeight: 50\n  - analysis:\n      templates: [{templateName: t}]\n      args: [{name: image, valueFrom: {fieldRef: {fieldPath: "spec.template.spec.containers[0].image"}}}]' }),
      template(`    - name: smoke\n      provider: { web: { url: "http://smoke/{{args.image}}" } }\n`, '  args: [{name: image}]\n'),
    ], { web: [{ url: 'http://smoke/app:v2', fromMs: 0, version: undefined, status: 200, body: 'fine', latencyMs: 0 }] });
    expect(stepRun(r).measurements[0]).toMatchObject({ phase: 'Successful', value: 'fine' });
  });
});

describe('termination of in-flight Jobs (runMeasurements: Terminate)', () => {
  it('a failing metric terminates the run; the still-running Job is marked Successful "Metric Terminated"', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      template(`    - name: e2e
      provider: { job: { spec: { template: { spec: { containers: [{name: e2e, image: "e2e:1"}] } } } } }
    - name: bad
      successCondition: result[0] < 0
      provider: { prometheus: { query: "vector(1)" } }
`),
    ], { job: [{ metric: 'e2e', version: undefined, afterMs: 600_000, outcome: 'Complete' }] });
    const e2e = stepRun(r).measurements.filter((m) => m.metric === 'e2e');
    expect(e2e.map((m) => [m.t, m.phase, m.message])).toEqual([
      [61_000, 'Running', null],
      [61_000, 'Successful', 'Metric Terminated'],
    ]);
    expect(stepRun(r).phase).toBe('Failed');
  });
});

describe('kayenta through fixtures', () => {
  it('score 80 with threshold pass 90, marginal 75 ⇒ Inconclusive ⇒ the rollout pauses', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      template(`    - name: judge\n      provider: { kayenta: { threshold: { pass: 90, marginal: 75 } } }\n`),
    ], { fixtures: new Map([['judge', [{ version: undefined, values: [{ fromMs: 0, value: 80 }] }]]]) });
    expect(stepRun(r).measurements[0]).toMatchObject({ phase: 'Inconclusive', value: '80' });
    expect(r.outcome).toBe('paused');
  });
});

describe('run history limits (FilterAnalysisRunsToDelete)', () => {
  it('successfulRunHistoryLimit 2: of six Successful step runs, the oldest are deleted once they are not current', () => {
    const steps = ['setWeight: 50', ...Array.from({ length: 6 }, () => 'analysis: {templates: [{templateName: t}]}'), 'setWeight: 100'].map((s) => `  - ${s}`).join('\n');
    const manifest = rolloutYaml({ replicas: 2, canary: `steps:\n${steps}` }).replace('spec:\n  replicas: 2', 'spec:\n  replicas: 2\n  analysis: {successfulRunHistoryLimit: 2}');
    const r = runWith([manifest, analysisTemplateYaml('t', [{ name: 'ok', query: 'vector(1)' }])]);
    const deleted = r.trace.filter((e) => e.type === 'analysisRun' && e.phase === 'Deleted').map((e) => e.run);
    // Runs of steps 1..6 (names end in -<revision>-<step index>). While step k's run is current the
    // others are 1..k-1, newest two kept; once step 6 is done no run is current: 5 and 6 are kept.
    expect(deleted.map((n) => String(n).replace(/^demo-[a-z0-9]+-/, ''))).toEqual(['2-1', '2-2', '2-3', '2-4']);
    expect(r.outcome).toBe('promoted');
  });
});

describe('measurement values as encoding/json writes them', () => {
  it('map keys sorted, HTML characters escaped, Go float forms', () => {
    expect(goJsonMarshal({ b: 1, a: '<x&y>' })).toBe('{"a":"\\u003cx\\u0026y\\u003e","b":1}');
    expect(goJsonMarshal([1e-7, 1e21, 0.5, 100])).toBe('[1e-07,1e+21,0.5,100]');
  });

  it('a web result map is stored with sorted keys and read by the condition as a map', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      template(`    - name: smoke\n      successCondition: result.ok && result.count > 2\n      provider: { web: { url: "http://s/x", jsonPath: "{$.data}" } }\n`),
    ], { web: [{ url: 'http://s/x', fromMs: 0, version: undefined, status: 200, body: { data: { ok: true, count: 3 } }, latencyMs: 0 }] });
    expect(stepRun(r).measurements[0]).toMatchObject({ phase: 'Successful', value: '{"count":3,"ok":true}' });
  });

  it('body and jsonBody on a GET: the measurement is an Error as upstream words it', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      template(`    - name: smoke\n      provider: { web: { url: "http://s/x", jsonBody: { a: 1 } } }\n`),
    ], { web: [{ url: 'http://s/x', fromMs: 0, version: undefined, status: 200, body: 'ok', latencyMs: 0 }] });
    expect(stepRun(r).measurements[0]).toMatchObject({ phase: 'Error', message: 'Body/JSONBody can only be used with POST or PUT WebMetric Method types' });
  });
});

describe('measurementRetention (garbageCollectMeasurements)', () => {
  it('a rule with limit 3 keeps the newest 3 measurements of the matching metric; others keep 10', () => {
    const metric = (name: string) => ({
      name,
      intervalMs: 1000,
      initialDelayMs: undefined,
      effectiveCount: 12,
      successCondition: undefined,
      failureCondition: undefined,
      failureLimit: 0,
      inconclusiveLimit: 0,
      consecutiveErrorLimit: 4,
      consecutiveSuccessLimit: 0,
      provider: { kind: 'prometheus' as const, query: 'vector(1)', address: undefined, timeoutSeconds: 30 },
      dryRun: false,
    });
    const run = new AnalysisRun('r', { rolloutType: 'Step', stepIndex: 1, podTemplateHash: 'h' }, [metric('kept'), metric('default')], 0, undefined, {
      retention: new Map([['kept', 3]]),
    });
    const provider = { run: (_m: unknown, now: number) => ({ phase: 'Successful' as const, startedAt: now, finishedAt: now, value: '[1]', message: undefined }) };
    let t: number | undefined = 0;
    while (t !== undefined) t = run.reconcile(t, provider);
    expect(run.phase).toBe('Successful');
    expect(run.results.get('kept')!.measurements.map((m) => m.startedAt)).toEqual([9009, 10010, 11011]);
    expect(run.results.get('kept')!.count).toBe(12);
    expect(run.results.get('default')!.measurements).toHaveLength(10);
  });

  it('rules match anywhere in the name (regexp.MatchString): "error" matches "http-error-rate"', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: `steps:\n  - setWeight: 50\n  - analysis:\n      templates: [{templateName: t}]\n      dryRun: [{metricName: error}]` }),
      analysisTemplateYaml('t', [{ name: 'http-error-rate', fields: 'successCondition: result[0] < 0', query: 'vector(1)' }]),
    ]);
    expect(stepRun(r).phase).toBe('Successful');
    expect(stepRun(r).dryRunSummary).toEqual({ count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
  });
});

describe('web answers per version and over time, with $traffic', () => {
  it('the answer for the analysed version from its `from` time; the body carries the canary error ratio', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      template(`    - name: smoke\n      interval: 30s\n      count: 3\n      failureLimit: 2\n      successCondition: result.ok\n      provider: { web: { url: "http://s/x", jsonPath: "{$}" } }\n`),
    ], {
      web: [
        { url: 'http://s/x', fromMs: 0, version: undefined, status: 200, body: { ok: true, err: { $traffic: { of: 'errorRatio', version: 'canary', windowMs: 60_000, quantile: 0.99 } } }, latencyMs: 0 },
        { url: 'http://s/x', fromMs: 90_000, version: 'app:v2', status: 200, body: { ok: false }, latencyMs: 0 },
        { url: 'http://s/x', fromMs: 90_000, version: 'app:v9', status: 500, body: 'never', latencyMs: 0 },
      ],
    });
    expect(stepRun(r).measurements.map((m) => [m.t, m.phase])).toEqual([
      [61_000, 'Successful'],
      [91_001, 'Failed'],
      [121_002, 'Failed'],
    ]);
    expect(stepRun(r).measurements[0]!.value).toMatch(/^\{"err":(null|0),"ok":true\}$/);
  });
});

describe('$traffic: values computed from the simulated traffic', () => {
  it('datadog fixture = canary error ratio over 1m: v2 fails 30% of 200 req/s ⇒ ≈ 0.3, Failed against < 0.05', () => {
    const r = runWith([
      rolloutYaml({ replicas: 2, canary: STEPS }),
      template(`    - name: dd-errors\n      initialDelay: 2m\n      successCondition: result < 0.05\n      provider: { datadog: { query: "q" } }\n`),
    ], {
      fixtures: new Map([['dd-errors', [{ version: undefined, values: [{ fromMs: 0, value: { $traffic: { of: 'errorRatio', version: 'canary', windowMs: 60_000, quantile: 0.99 } } }] }]]]),
    }, { rps: 200, v2ErrorRatio: 0.3 });
    const m = stepRun(r).measurements[0]!;
    expect(m.phase).toBe('Failed');
    expect(Number(m.value)).toBeGreaterThan(0.25);
    expect(Number(m.value)).toBeLessThan(0.35);
    expect(r.outcome).toBe('aborted');
  });
});

describe('load-time checks for arguments', () => {
  it('a fieldRef path into the spec that does not exist is a load error with upstream text', () => {
    expect(() =>
      loadManifests([
        { name: 'r.yaml', text: rolloutYaml({ replicas: 2, canary: 'steps:\n  - setWeight: 50\n  - analysis:\n      templates: [{templateName: t}]\n      args: [{name: x, valueFrom: {fieldRef: {fieldPath: "spec.template.spec.containers[3].image"}}}]' }) },
        { name: 't.yaml', text: template(`    - name: m\n      provider: { prometheus: { query: "vector(1)" } }\n`, '  args: [{name: x}]\n') },
      ]),
    ).toThrow(/index 3 out of range: the Rollout could not create this AnalysisRun/);
  });

  it('a secretKeyRef to a Secret that is not among the manifests is a warning naming the run error to come', () => {
    const set = loadManifests([
      { name: 't.yaml', text: template(`    - name: m\n      provider: { prometheus: { query: "vector(1)" } }\n`, '  args: [{name: x, valueFrom: {secretKeyRef: {name: nope, key: k}}}]\n') },
    ]);
    expect(set.warnings.map((w) => [w.field, w.message])).toEqual([
      ['spec.args[0].valueFrom.secretKeyRef', expect.stringContaining('Unable to resolve metric arguments: secrets "nope" not found')],
    ]);
  });
});

describe('consecutiveSuccessLimit at the count (assessMetricStatus, v1.9)', () => {
  // Measurements at 61 s, 121.001 s, 181.002 s, 241.003 s answer 1, 0, 1, 1: a streak of 2 at the count.
  const pattern = new Map([['streak', [{ version: undefined, values: [{ fromMs: 0, value: 1 }, { fromMs: 100_000, value: 0 }, { fromMs: 150_000, value: 1 }] }]]]);
  const metric = (failureLimit: number) =>
    template(`    - name: streak\n      interval: 1m\n      count: 4\n      failureLimit: ${failureLimit}\n      consecutiveSuccessLimit: 3\n      successCondition: result > 0.5\n      provider: { datadog: { query: "q" } }\n`);

  it('failureLimit 1 not exceeded, streak 2 < 3 at count 4 ⇒ Inconclusive ⇒ the rollout pauses', () => {
    const r = runWith([rolloutYaml({ replicas: 2, canary: STEPS }), metric(1)], { fixtures: pattern });
    expect(stepRun(r).measurements.map((m) => m.phase)).toEqual(['Successful', 'Failed', 'Successful', 'Successful']);
    expect(stepRun(r).phase).toBe('Inconclusive');
    expect(r.outcome).toBe('paused');
  });

  it('failureLimit -1 (only the streak counts), streak 2 < 3 at count 4 ⇒ Failed', () => {
    const r = runWith([rolloutYaml({ replicas: 2, canary: STEPS }), metric(-1)], { fixtures: pattern });
    expect(stepRun(r).phase).toBe('Failed');
    // No limit was exceeded, so the run message is empty and the abort message has no suffix (§11.6).
    expect(stepRun(r).message).toBe('');
    expect(r.outcome).toBe('aborted');
  });
});
