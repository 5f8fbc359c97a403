// parseScenario: defaults, value forms (durations, ratios, rates), checks across fields, and the
// errors a user sees — every problem at once, each with file:line:column and the field path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../sim/diagnostics.js';
import { SCENARIO_DEFAULTS } from '../../sim/scenario/defaults.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import type { ScenarioSpec } from '../../sim/scenario/types.js';

const HEAD = `apiVersion: rehearse.dev/v1alpha1
kind: Scenario
metadata:
  name: drill
spec:
  manifests: [manifests/app]
`;

/** A scenario: the fixed head (6 lines) plus `spec` lines, each written with 2-space indentation. */
const scenario = (specLines = ''): string => HEAD + specLines;

function parse(text: string): ScenarioSpec {
  return parseScenario('drill.yaml', text);
}

function errorsOf(text: string): readonly Diagnostic[] {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected parseScenario to reject the document');
}

/** The one error of a document; fails if there are more. */
function errorOf(text: string): Diagnostic {
  const errors = errorsOf(text);
  expect(errors, errors.map((e) => e.message).join('\n')).toHaveLength(1);
  return errors[0]!;
}

describe('defaults', () => {
  const d = SCENARIO_DEFAULTS;
  const s = parse(scenario());

  it('come from SCENARIO_DEFAULTS for every key left out', () => {
    expect(s.name).toBe('drill');
    expect(s.file).toBe('drill.yaml');
    expect(s.manifests).toEqual(['manifests/app']);
    expect(s.seed).toBe(1);
    expect(s.seed).toBe(d.seed);
    expect(s.untilMs).toBe(3_600_000);
    expect(s.untilMs).toBe(d.untilMs);
    expect(s.prometheusVersion).toBe(3);
    expect(s.prometheusVersion).toBe(d.prometheusVersion);
    expect(s.podStartup).toEqual({ medianMs: 8_000, p99Ms: 30_000 });
    expect(s.podStartup).toEqual(d.podStartup);
    expect(s.traffic).toEqual({ rps: 100, steps: [], service: undefined });
    expect(s.traffic.rps).toBe(d.traffic.rps);
    expect(s.metrics).toEqual({ preset: 'generic', scrapeIntervalMs: 15_000, errorCode: 500 });
    expect(s.metrics.scrapeIntervalMs).toBe(d.metrics.scrapeIntervalMs);
    expect(s.metrics.errorCode).toBe(d.metrics.errorCode);
    expect(s.defaultVersion).toEqual({ errorRatio: 0.001, latencyP50Ms: 40, latencyP99Ms: 250 });
    expect(s.defaultVersion).toEqual(d.version);
    expect(s.versions.size).toBe(0);
    expect(s.change).toBeUndefined();
    expect(s.expect).toEqual({ outcome: undefined, withinMs: undefined, maxCanaryWeight: undefined, maxFailedRequestRatio: undefined });
  });

  it('a key written with no value reads as left out', () => {
    const t = parse(scenario('  seed:\n  until:\n  traffic:\n    rps:\n  defaultVersion:\n  expect: {}\n'));
    expect(t.seed).toBe(d.seed);
    expect(t.untilMs).toBe(d.untilMs);
    expect(t.traffic.rps).toBe(d.traffic.rps);
    expect(t.defaultVersion).toEqual(d.version);
  });

  it('pod startup p99 defaults to 30s, or to the median when that is larger', () => {
    expect(parse(scenario('  cluster: { podStartup: { median: 12s } }\n')).podStartup).toEqual({ medianMs: 12_000, p99Ms: 30_000 });
    expect(parse(scenario('  cluster: { podStartup: { median: 45s } }\n')).podStartup).toEqual({ medianMs: 45_000, p99Ms: 45_000 });
  });

  it('an entry of versions takes the keys it leaves out from defaultVersion', () => {
    const t = parse(
      scenario(`  defaultVersion: { errorRate: 1%, latency: { p50: 20ms, p99: 100ms } }
  versions:
    app:v1: { errorRate: 2% }
    app:v2: { latency: { p50: 300ms } }
    app:v3:
`),
    );
    expect(t.defaultVersion).toEqual({ errorRatio: 0.01, latencyP50Ms: 20, latencyP99Ms: 100 });
    expect(t.versions.get('app:v1')).toEqual({ errorRatio: 0.02, latencyP50Ms: 20, latencyP99Ms: 100 });
    // p99 left out and below the new p50: it follows p50 up.
    expect(t.versions.get('app:v2')).toEqual({ errorRatio: 0.01, latencyP50Ms: 300, latencyP99Ms: 300 });
    expect(t.versions.get('app:v3')).toEqual(t.defaultVersion);
    expect([...t.versions.keys()]).toEqual(['app:v1', 'app:v2', 'app:v3']);
  });

  it('metadata.name names the scenario; every key given is carried through', () => {
    const t = parse(
      scenario(`  seed: 42
  until: 2h
  prometheusVersion: "2"
  traffic: { rps: 250.5, service: web }
  metrics: { preset: generic, scrapeInterval: 30s, errorCode: 503 }
  change: { at: 90s, image: app:v2, container: main }
  expect: { outcome: promoted, within: 20m, maxCanaryWeight: 50, maxFailedRequestRatio: 0.5% }
`),
    );
    expect(t.seed).toBe(42);
    expect(t.untilMs).toBe(7_200_000);
    expect(t.prometheusVersion).toBe(2);
    expect(t.traffic).toEqual({ rps: 250.5, steps: [], service: 'web' });
    expect(t.metrics).toEqual({ preset: 'generic', scrapeIntervalMs: 30_000, errorCode: 503 });
    expect(t.change).toEqual({ atMs: 90_000, image: 'app:v2', container: 'main' });
    expect(t.expect).toEqual({ outcome: 'promoted', withinMs: 1_200_000, maxCanaryWeight: 50, maxFailedRequestRatio: 0.005 });
  });

  it('seed is an integer ≥ 0, as --seed on the command line', () => {
    expect(parse(scenario('  seed: 0\n')).seed).toBe(0);
    expect(errorOf(scenario('  seed: -1\n'))).toMatchObject({ field: 'spec.seed', line: 7, column: 9, message: 'expected an integer ≥ 0, got -1.' });
    expect(errorOf(scenario('  seed: 1.5\n'))).toMatchObject({ field: 'spec.seed', message: 'expected an integer, got the number 1.5.' });
  });

  it('change without image keeps image and container undefined', () => {
    expect(parse(scenario('  change: { at: 1m }\n')).change).toEqual({ atMs: 60_000, image: undefined, container: undefined });
  });

  it('prometheusVersion accepts 2 and 3 as numbers or strings', () => {
    expect(parse(scenario('  prometheusVersion: 2\n')).prometheusVersion).toBe(2);
    expect(parse(scenario("  prometheusVersion: '3'\n")).prometheusVersion).toBe(3);
    expect(errorOf(scenario('  prometheusVersion: v3\n'))).toMatchObject({ field: 'spec.prometheusVersion', line: 7, column: 22 });
  });
});

describe('ratios', () => {
  const errorRatio = (v: string): number => parse(scenario(`  defaultVersion: { errorRate: ${v} }\n`)).defaultVersion.errorRatio;

  it('a percentage string is divided by 100', () => {
    expect(errorRatio('"0.2%"')).toBe(0.002);
    expect(errorRatio('0.2%')).toBe(0.002);
    expect(errorRatio('5%')).toBe(0.05);
    expect(errorRatio('100%')).toBe(1);
    expect(errorRatio('0%')).toBe(0);
    expect(errorRatio('.5%')).toBe(0.005);
  });

  it('a number is the ratio itself', () => {
    expect(errorRatio('0.05')).toBe(0.05);
    expect(errorRatio('0')).toBe(0);
    expect(errorRatio('1')).toBe(1);
  });

  it.each(['150%', '5', '-0.1', '"-1%"', 'high', '"5"', '"%"', '[1]'])('%s is rejected with the accepted forms named', (v) => {
    const e = errorOf(scenario(`  defaultVersion: { errorRate: ${v} }\n`));
    expect(e).toMatchObject({ severity: 'error', file: 'drill.yaml', field: 'spec.defaultVersion.errorRate', line: 7, column: 32 });
    expect(e.message).toMatch(/^expected a ratio between 0 and 1 \(e\.g\. 0\.002\) or a percentage from 0% to 100% \(e\.g\. "0\.2%"\), got /);
  });

  it('maxFailedRequestRatio reads the same forms', () => {
    expect(parse(scenario('  expect: { maxFailedRequestRatio: 0.3% }\n')).expect.maxFailedRequestRatio).toBe(0.003);
    expect(parse(scenario('  expect: { maxFailedRequestRatio: 0.003 }\n')).expect.maxFailedRequestRatio).toBe(0.003);
    expect(errorOf(scenario('  expect: { maxFailedRequestRatio: 150% }\n')).field).toBe('spec.expect.maxFailedRequestRatio');
  });
});

describe('durations', () => {
  const until = (v: string): number => parse(scenario(`  until: ${v}\n`)).untilMs;

  it('are Go durations, in milliseconds', () => {
    expect(until('30s')).toBe(30_000);
    expect(until('1h30m')).toBe(5_400_000);
    expect(until('1.5h')).toBe(5_400_000);
    expect(until('90m')).toBe(5_400_000);
    expect(until('1s500ms')).toBe(1_500);
    expect(until('1000001us')).toBe(1_000); // sub-millisecond parts are truncated
    expect(parse(scenario('  defaultVersion: { latency: { p50: "0", p99: 1500us } }\n')).defaultVersion).toMatchObject({ latencyP50Ms: 0, latencyP99Ms: 1 });
  });

  it.each([
    ['5', /missing unit/],
    ['5min', /unknown unit "min"/],
    ['1d', /unknown unit "d"/],
    ['"1 h"', /unknown unit " h"/],
    ['PT1H', /invalid duration/],
  ])('%s is rejected with Go’s reason', (v, reason) => {
    const e = errorOf(scenario(`  change: { at: ${v} }\n`));
    expect(e).toMatchObject({ field: 'spec.change.at', line: 7, column: 17 });
    if (v === '5') expect(e.message).toMatch(/expected a string, got the number 5/);
    else {
      expect(e.message).toMatch(/^expected a duration such as "30s", "5m" or "1h30m", got /);
      expect(e.message).toMatch(reason);
    }
  });

  it('"5" quoted is a string without a unit', () => {
    expect(errorOf(scenario('  change: { at: "5" }\n')).message).toMatch(/missing unit in duration "5"/);
  });

  it('minimums: until and scrapeInterval at least 1s, pod startup at least 1ms, others 0 or more', () => {
    expect(errorOf(scenario('  until: 999ms\n'))).toMatchObject({ field: 'spec.until', message: 'expected a duration of at least 1s, got "999ms".' });
    expect(errorOf(scenario('  metrics: { scrapeInterval: 500ms }\n'))).toMatchObject({
      field: 'spec.metrics.scrapeInterval',
      message: 'expected a duration of at least 1s, got "500ms".',
    });
    expect(errorOf(scenario('  cluster: { podStartup: { median: 0s } }\n'))).toMatchObject({
      field: 'spec.cluster.podStartup.median',
      message: 'expected a duration of at least 1ms, got "0s".',
    });
    expect(errorOf(scenario('  change: { at: -1m }\n'))).toMatchObject({ field: 'spec.change.at', message: 'expected a duration of 0 or more, got "-1m".' });
    expect(until('1s')).toBe(1_000);
    expect(parse(scenario('  change: { at: 0s }\n')).change?.atMs).toBe(0);
  });

  it('p99 must not be below the median / p50', () => {
    expect(errorOf(scenario('  cluster: { podStartup: { median: 20s, p99: 10s } }\n'))).toMatchObject({
      field: 'spec.cluster.podStartup.p99',
      message: 'p99 must not be below the median.',
    });
    expect(errorOf(scenario('  defaultVersion: { latency: { p50: 200ms, p99: 100ms } }\n'))).toMatchObject({
      field: 'spec.defaultVersion.latency.p99',
      message: 'p99 must not be below p50.',
    });
  });
});

describe('traffic', () => {
  it('steps are read in order, with profile: steps', () => {
    const t = parse(
      scenario(`  traffic:
    rps: 100
    profile: steps
    steps:
      - { at: 10m, rps: 400 }
      - { at: 20m, rps: 50 }
`),
    );
    expect(t.traffic.steps).toEqual([
      { atMs: 600_000, rps: 400 },
      { atMs: 1_200_000, rps: 50 },
    ]);
  });

  it('steps out of time order are rejected at the step that goes back', () => {
    const errors = errorsOf(
      scenario(`  traffic:
    profile: steps
    steps:
      - { at: 10m, rps: 400 }
      - { at: 5m, rps: 50 }
      - { at: 5m, rps: 60 }
`),
    );
    expect(errors.map((e) => [e.field, e.line, e.column, e.message])).toEqual([
      ['spec.traffic.steps[1].at', 11, 15, 'traffic steps must be in increasing time order.'],
      ['spec.traffic.steps[2].at', 12, 15, 'traffic steps must be in increasing time order.'],
    ]);
  });

  it('a step needs at and rps', () => {
    const errors = errorsOf(scenario('  traffic:\n    profile: steps\n    steps: [{ rps: 1 }, { at: 1m }]\n'));
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      ['spec.traffic.steps[0].at', 'a traffic step needs `at`'],
      ['spec.traffic.steps[1].rps', 'a traffic step needs `rps`'],
    ]);
  });

  it('steps need profile: steps; other profiles are not simulated yet', () => {
    expect(errorOf(scenario('  traffic: { steps: [{ at: 1m, rps: 1 }] }\n'))).toMatchObject({ field: 'spec.traffic.steps', message: 'steps need profile: steps.' });
    expect(errorOf(scenario('  traffic: { profile: diurnal }\n')).message).toMatch(/expected "constant" or "steps", got "diurnal" \(other profiles are not simulated yet\)/);
  });

  it('rps must be a number ≥ 0', () => {
    expect(errorOf(scenario('  traffic: { rps: -1 }\n'))).toMatchObject({ field: 'spec.traffic.rps', message: 'expected a request rate ≥ 0 (requests per second), got -1.' });
    expect(errorOf(scenario('  traffic: { rps: "100" }\n')).field).toBe('spec.traffic.rps');
    expect(parse(scenario('  traffic: { rps: 0 }\n')).traffic.rps).toBe(0);
  });
});

describe('change and until', () => {
  it('the change must happen before until', () => {
    expect(errorOf(scenario('  until: 10m\n  change: { at: 10m }\n'))).toMatchObject({
      field: 'spec.change.at',
      line: 8,
      column: 17,
      message: 'the change must happen before `until`.',
    });
    expect(errorOf(scenario('  until: 10m\n  change: { at: 1h }\n')).field).toBe('spec.change.at');
    expect(parse(scenario('  until: 10m\n  change: { at: 9m59s }\n')).change?.atMs).toBe(599_000);
  });

  it('change.at is measured against the default until (1h) when until is left out', () => {
    expect(errorOf(scenario('  change: { at: 1h }\n')).message).toBe('the change must happen before `until`.');
  });

  it('change.at is required', () => {
    expect(errorOf(scenario('  change: { image: app:v2 }\n'))).toMatchObject({ field: 'spec.change.at', line: 7, column: 11, message: 'change.at is required (when the update is applied)' });
  });
});

describe('expect', () => {
  it.each(['promoted', 'aborted', 'paused', 'progressing'])('outcome %s', (o) => {
    expect(parse(scenario(`  expect: { outcome: ${o} }\n`)).expect.outcome).toBe(o);
  });

  it('an unknown outcome names the known ones', () => {
    expect(errorOf(scenario('  expect: { outcome: rolledOut }\n'))).toMatchObject({
      field: 'spec.expect.outcome',
      line: 7,
      column: 22,
      message: 'expected one of promoted, aborted, paused, progressing, rolledBack, got "rolledOut".',
    });
  });

  it('maxCanaryWeight is a weight from 0 to 100', () => {
    expect(parse(scenario('  expect: { maxCanaryWeight: 20 }\n')).expect.maxCanaryWeight).toBe(20);
    expect(errorOf(scenario('  expect: { maxCanaryWeight: 120 }\n'))).toMatchObject({ field: 'spec.expect.maxCanaryWeight', message: 'expected a weight from 0 to 100, got 120.' });
    expect(errorOf(scenario('  expect: { maxCanaryWeight: 20% }\n')).field).toBe('spec.expect.maxCanaryWeight');
  });
});

describe('errors', () => {
  it('every value problem is reported at once, in file order', () => {
    const errors = errorsOf(
      scenario(`  until: 1 hour
  traffic: { rps: -5 }
  metrics: { errorCode: 200 }
  defaultVersion: { errorRate: 150% }
  expect: { outcome: done }
`),
    );
    expect(errors.map((e) => [e.field, e.line])).toEqual([
      ['spec.until', 7],
      ['spec.traffic.rps', 8],
      ['spec.metrics.errorCode', 9],
      ['spec.defaultVersion.errorRate', 10],
      ['spec.expect.outcome', 11],
    ]);
    expect(errors.every((e) => e.file === 'drill.yaml' && e.severity === 'error' && e.column > 0)).toBe(true);
  });

  it('structural and value problems are reported together', () => {
    const errors = errorsOf(`apiVersion: rehearse.dev/v1
kind: Scenario
metadata: { name: drill }
spec:
  manifests: [m]
  untill: 1h
  traffic: { rps: -5 }
  change: { at: soon, imgae: app:v2 }
`);
    expect(errors.map((e) => [e.field, e.line, e.column])).toEqual([
      ['apiVersion', 1, 13],
      ['spec.untill', 6, 3],
      ['spec.traffic.rps', 7, 19],
      ['spec.change.at', 8, 17],
      ['spec.change.imgae', 8, 23],
    ]);
  });

  it('a value replaced after an error causes no second error across fields', () => {
    // The median is unreadable: no "p99 below the median" against the default median (8s).
    expect(errorsOf(scenario('  cluster: { podStartup: { median: slow, p99: 5s } }\n')).map((e) => e.field)).toEqual(['spec.cluster.podStartup.median']);
    // until is unreadable: no "change before until" against the default until (1h).
    expect(errorsOf(scenario('  until: 3 hours\n  change: { at: 2h }\n')).map((e) => e.field)).toEqual(['spec.until']);
    // profile has the wrong type: no "steps need profile: steps".
    expect(errorsOf(scenario('  traffic: { profile: 5, steps: [{ at: 1m, rps: 1 }] }\n')).map((e) => e.field)).toEqual(['spec.traffic.profile']);
    // A broken step: no ordering error against it.
    expect(errorsOf(scenario('  traffic: { profile: steps, steps: [{ at: 5m, rps: 1 }, { at: later, rps: 1 }] }\n')).map((e) => e.field)).toEqual([
      'spec.traffic.steps[1].at',
    ]);
    // A missing apiVersion is said once.
    expect(errorsOf('kind: Scenario\nmetadata: { name: x }\nspec: { manifests: [m] }\n').map((e) => e.message)).toEqual([
      'apiVersion: rehearse.dev/v1alpha1 is required',
    ]);
  });

  it('errors inside versions point at the entry, with the image in the field path', () => {
    const errors = errorsOf(
      scenario(`  versions:
    registry.example.com/shop/app:1.5.0: { errorRate: 5 }
    app: { latency: { p50: fast } }
`),
    );
    expect(errors.map((e) => [e.field, e.line, e.column])).toEqual([
      ['spec.versions["registry.example.com/shop/app:1.5.0"].errorRate', 8, 55],
      ['spec.versions.app.latency.p50', 9, 28],
    ]);
  });

  describe('unknown keys', () => {
    it('suggest the closest known key', () => {
      const e = errorOf(scenario('  traffic: { rsp: 100 }\n'));
      expect(e).toMatchObject({ field: 'spec.traffic.rsp', line: 7, column: 14 });
      expect(e.message).toBe('unknown field `rsp` in spec.traffic (a Traffic). Did you mean `rps`? Known fields: rps, profile, steps, service, preview, headerShare, mirrorShare.');
    });

    it('at the top level and in letter case', () => {
      expect(errorsOf(HEAD.replace('metadata:', 'metdata:')).map((e) => e.message)).toEqual([
        'metadata is required',
        expect.stringMatching(/^unknown field `metdata` in a Scenario\. Did you mean `metadata`\?/),
      ]);
      expect(errorOf(scenario('  defaultversion: { errorRate: 1% }\n')).message).toMatch(/Did you mean `defaultVersion`\?/);
      expect(errorOf(scenario('  expect: { maxFailedRequestRate: 1% }\n')).message).toMatch(/Did you mean `maxFailedRequestRatio`\?/);
    });

    it('without a suggestion when nothing is close', () => {
      const e = errorOf(scenario('  drills: [{ at: 20m }]\n'));
      expect(e.field).toBe('spec.drills');
      expect(e.message).not.toMatch(/Did you mean/);
      expect(e.message).toMatch(/Known fields: manifests, seed, until, prometheusVersion, exprVersion, cluster, traffic, metrics, versions, defaultVersion, change, expect, faults, actions, providers\.$/);
    });

    it('an unknown fault kind, with a suggestion and the known kinds', () => {
      const e = errorOf(scenario('  faults: [{ at: 20m, kind: prometheusUnreachabel }]\n'));
      expect(e.field).toBe('spec.faults[0].kind');
      expect(e.message).toMatch(/^unknown fault kind "prometheusUnreachabel"\. Did you mean `prometheusUnreachable`\? Known kinds: /);
    });

    it('an unknown fault parameter, with a suggestion', () => {
      const errors = errorsOf(scenario('  faults: [{ at: 1m, kind: errorStep, target: "app:v2", errorRatio: 5% }]\n'));
      const unknown = errors.find((e) => e.field === 'spec.faults[0].errorRatio');
      expect(unknown?.message).toMatch(/has no parameter `errorRatio`\. Did you mean `errorRate`\?/);
      // …and the required parameter it was meant to be is reported missing, in the same run.
      expect(errors.map((e) => e.message)).toContainEqual(expect.stringMatching(/needs `errorRate`/));
    });
  });

  it('a number where a string is expected suggests quoting it', () => {
    expect(errorOf(scenario('  traffic: { service: 8080 }\n')).message).toBe('expected a string, got the number 8080. Quote it ("8080") to make it a string.');
  });

  describe('document level', () => {
    it('YAML syntax errors carry line and column', () => {
      const errors = errorsOf(scenario('  until: [1h\n  seed: 1\n'));
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatchObject({ severity: 'error', file: 'drill.yaml', field: '' });
      expect(errors[0]!.line).toBeGreaterThanOrEqual(7);
      expect(errors[0]!.column).toBeGreaterThan(0);
      expect(errors.every((e) => e.message.startsWith('YAML syntax error: '))).toBe(true);
    });

    it('a tab used for indentation is a syntax error at its place', () => {
      const e = errorsOf(scenario('  traffic:\n\trps: 1\n'))[0]!;
      expect(e).toMatchObject({ line: 8, column: 1 });
      expect(e.message).toMatch(/^YAML syntax error: /);
    });

    it('duplicate keys are syntax errors', () => {
      const e = errorsOf(scenario('  seed: 1\n  seed: 2\n'))[0]!;
      expect(e.line).toBe(8);
      expect(e.message).toMatch(/^YAML syntax error: .*unique/i);
    });

    it('one document per file', () => {
      expect(errorOf(`${scenario()}---\n${scenario()}`)).toMatchObject({ line: 1, column: 1, message: 'a scenario file holds exactly one YAML document, found 2.' });
      expect(errorOf('')).toMatchObject({ message: 'a scenario file holds exactly one YAML document, found 0.' });
      expect(errorOf('# only a comment\n').message).toMatch(/found 0/);
    });

    it('a scenario is a mapping', () => {
      expect(errorOf('- a\n- b\n')).toMatchObject({ line: 1, column: 1, message: 'a scenario is a mapping with apiVersion, kind, metadata and spec.' });
    });

    it('required top-level keys are named', () => {
      expect(errorsOf('apiVersion: rehearse.dev/v1alpha1\n').map((e) => e.message)).toEqual(['kind: Scenario is required', 'metadata is required', 'spec is required']);
    });

    it('a scenario must name its manifests', () => {
      expect(errorOf(HEAD.replace('  manifests: [manifests/app]\n', '  seed: 1\n'))).toMatchObject({ field: 'spec.manifests', message: expect.stringMatching(/names no manifests/) as unknown });
      expect(errorOf(HEAD.replace('[manifests/app]', '[]'))).toMatchObject({ field: 'spec.manifests', line: 6, column: 14 });
    });
  });
});

describe('parseScenario throws only InputError', () => {
  const throwsOnlyInputError = (text: string): void => {
    try {
      parse(text);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      expect(e.diagnostics.length).toBeGreaterThan(0);
      for (const d of e.diagnostics) {
        expect(d.file).toBe('drill.yaml');
        expect(Number.isInteger(d.line) && d.line >= 0).toBe(true);
        expect(Number.isInteger(d.column) && d.column >= 0).toBe(true);
      }
    }
  };

  it('on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), throwsOnlyInputError), { numRuns: 500 });
  });

  it('on arbitrary YAML values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => throwsOnlyInputError(JSON.stringify(v))),
      { numRuns: 300 },
    );
  });

  it('on mutations of a complete scenario', () => {
    const base = scenario(`  seed: 42
  until: 1h
  prometheusVersion: 3
  cluster: { podStartup: { median: 8s, p99: 30s } }
  traffic: { rps: 100, profile: steps, steps: [{ at: 10m, rps: 200 }], service: web }
  metrics: { preset: generic, scrapeInterval: 15s, errorCode: 500 }
  versions:
    app:v1: { errorRate: 0.1%, latency: { p50: 40ms, p99: 250ms } }
  defaultVersion: { errorRate: 0.001 }
  change: { at: 1m, image: app:v2, container: main }
  expect: { outcome: aborted, within: 5m, maxCanaryWeight: 20, maxFailedRequestRatio: 0.3% }
`);
    expect(() => parse(base)).not.toThrow();
    const pieces = ['', ' ', '\n', ':', '-', '[', ']', '{', '}', '"', "'", '&a', '*a', '<<: *a', '%', '1e400', '.inf', 'null', '~', '!!int', '\t', '#', '?', '0x1F'];
    const mutation = fc.record({ at: fc.nat({ max: base.length }), cut: fc.nat({ max: 12 }), insert: fc.constantFrom(...pieces) });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        let text = base;
        for (const m of ms) {
          const at = Math.min(m.at, text.length);
          text = text.slice(0, at) + m.insert + text.slice(at + m.cut);
        }
        throwsOnlyInputError(text);
      }),
      { numRuns: 600 },
    );
  });
});
