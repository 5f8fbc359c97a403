// Determinism of a run (DESIGN principle: same inputs and seed ⇒ same trace, byte for byte) and
// independence of the random streams (sim/engine/random.ts: every consumer draws from its own
// named stream, so adding an analysis never shifts the traffic draws). Also: every shipped
// scenario meets its own `expect` block.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../harness/runInputs.js';
import { runScenario } from '../../sim/world.js';
import { analysisTemplateYaml, events, ofType, rolloutYaml, run } from '../helpers/sim.js';

const SCENARIOS_DIR = join(import.meta.dirname, '..', '..', 'scenarios');
const scenarioFiles = readdirSync(SCENARIOS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('same seed ⇒ byte-identical trace', () => {
  // A scenario with every source of randomness: lognormal pod start-up, Poisson traffic with
  // errors and latencies, Prometheus analysis over the scraped series.
  const inputs = loadScenarioFile(join(SCENARIOS_DIR, 'canary-good.yaml'));

  it('two runs of a shipped scenario with the same seed give the same JSON', () => {
    const a = runScenario(inputs.scenario, inputs.manifests);
    const b = runScenario(inputs.scenario, inputs.manifests);
    expect(a.trace.length).toBeGreaterThan(100);
    expect(JSON.stringify(a.trace)).toBe(JSON.stringify(b.trace));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('a different seed gives different traffic and pod start-up draws', () => {
    const a = runScenario(inputs.scenario, inputs.manifests, { seed: 1 });
    const b = runScenario(inputs.scenario, inputs.manifests, { seed: 2 });
    expect(JSON.stringify(ofType(a, 'traffic'))).not.toBe(JSON.stringify(ofType(b, 'traffic')));
    const startups = (r: typeof a): unknown[] => ofType(r, 'pod').filter((e) => e.phase === 'Created').map((e) => e.readyInMs);
    expect(startups(a)).not.toEqual(startups(b));
    expect(JSON.stringify(a.trace)).not.toBe(JSON.stringify(b.trace));
  });

  it('inline manifests: same seed twice identical, seeds 1 and 2 differ', () => {
    const m = [rolloutYaml({ replicas: 4, canary: 'steps:\n  - setWeight: 25\n  - pause: {duration: 1m}' })];
    const w = { rps: 50, v2ErrorRatio: 0.05, untilMs: 300_000 };
    expect(JSON.stringify(run(m, { ...w, seed: 9 }).trace)).toBe(JSON.stringify(run(m, { ...w, seed: 9 }).trace));
    expect(JSON.stringify(ofType(run(m, { ...w, seed: 1 }), 'traffic'))).not.toBe(JSON.stringify(ofType(run(m, { ...w, seed: 2 }), 'traffic')));
  });
});

describe('separate random streams: an analysis step does not change the traffic realisation', () => {
  // Two rollouts whose step timing is identical: a 5-minute pause versus an analysis step whose
  // metric always succeeds and needs two measurements 5 minutes apart (count 2, interval 5m).
  // Pods are ready 1 s after creation, so the setWeight step completes at 61 s, on a whole
  // second: the pause starts at 61 s and completes strictly after 361 s (361.001 s); the analysis
  // run measures at 61 s and, strictly after finish + interval, at 361.001 s — when it turns
  // Successful and the step completes. Routing (pods per ReplicaSet over time) is therefore the
  // same in both runs, and the run with the analysis additionally queries the metric store every
  // measurement. If traffic draws shared a stream with anything the analysis touches, or depended
  // on how many events happen between ticks, the requests/errors per tick would differ.
  const steps = (middle: string): string => `steps:\n  - setWeight: 25\n${middle}\n  - setWeight: 50\n  - pause: {duration: 1m}`;
  const world = { rps: 40, v1ErrorRatio: 0.01, v2ErrorRatio: 0.05, untilMs: 900_000, seed: 5 };
  const withPause = run([rolloutYaml({ replicas: 4, canary: steps('  - pause: {duration: 5m}') })], world);
  const withAnalysis = run(
    [
      rolloutYaml({ replicas: 4, canary: steps('  - analysis:\n      templates: [{templateName: always-ok}]') }),
      analysisTemplateYaml('always-ok', [
        {
          name: 'traffic-seen',
          fields: 'interval: 5m\ncount: 2\nsuccessCondition: len(result) >= 0',
          query: 'sum(rate(http_requests_total{namespace="default"}[1m]))',
        },
      ]),
    ],
    world,
  );

  it('the analysis really ran: two Successful measurements, the step completed when the pause would', () => {
    expect(ofType(withAnalysis, 'measurement').map((m) => [m.t, m.phase])).toEqual([
      [61_000, 'Successful'],
      [361_001, 'Successful'],
    ]);
    const done = (r: typeof withPause, what: string): number => events(r).find((e) => e.message === `Rollout step 2/4 completed (${what})`)!.t;
    expect(done(withPause, 'pause: 5m')).toBe(361_001);
    expect(done(withAnalysis, 'analysis')).toBe(361_001);
    expect(withPause.outcome).toBe('promoted');
    expect(withAnalysis.outcome).toBe('promoted');
    // The runs do differ in their controller traces.
    expect(JSON.stringify(events(withPause))).not.toBe(JSON.stringify(events(withAnalysis)));
  });

  it('requests and errors per tick per ReplicaSet are identical', () => {
    const a = ofType(withPause, 'traffic');
    const b = ofType(withAnalysis, 'traffic');
    expect(a.length).toBe(60);
    expect(b).toEqual(a);
    // Non-trivial: the canary served requests and had errors in some ticks.
    const canaryErrors = a.flatMap((e) => e.byReplicaSet as { replicaSet: string; errors: number }[]).filter((x) => x.errors > 0);
    expect(canaryErrors.length).toBeGreaterThan(10);
    expect(withAnalysis.requests).toEqual(withPause.requests);
  });

  it('pod and ReplicaSet histories are identical too', () => {
    for (const type of ['pod', 'replicaSet']) expect(ofType(withAnalysis, type)).toEqual(ofType(withPause, type));
  });
});

/**
 * Warnings a shipped scenario exists to show: the empty-query drill demonstrates the known surprise
 * of result[0] over an empty vector (the lint) and the "matched no series" report.
 */
const EXPECTED_WARNINGS: Readonly<Record<string, readonly RegExp[]>> = {
  'empty-query.yaml': [
    /analysis\.yaml:11:7: warning \(field spec\.metrics\[0\]\.successCondition\): AnalysisTemplate catalog-error-ratio metric "error-ratio": the condition reads result\[0\].*issues\/1466\)$/,
    /analysis\.yaml:11: metric "error-ratio" \(AnalysisTemplate catalog-error-ratio\): selector http_requests_total\{service="catalog-canary",code=~"5\.\."\} matched no simulated series in any of 5 measurements/,
  ],  // The inventory Rollout has prePromotionAnalysis with the default abortScaleDownDelaySeconds:
  // a retry after a failed pre-promotion analysis would abort again (sim/lint/blueGreenSurprises.ts).
  'bluegreen-prepost-analysis.yaml': [/inventory\/rollout\.yaml:6:1: warning \(field spec\.strategy\.blueGreen\.prePromotionAnalysis\): .*issues\/2824\)$/],
  'bluegreen-prepromotion-drill.yaml': [/inventory\/rollout\.yaml:6:1: warning \(field spec\.strategy\.blueGreen\.prePromotionAnalysis\): .*issues\/2824\)$/],
};

describe('shipped scenarios meet their expect blocks (loaded through harness/runInputs.ts)', () => {
  it('there are scenarios to check', () => {
    expect(scenarioFiles.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of scenarioFiles) {
    it(file, () => {
      const { scenario, manifests } = loadScenarioFile(join(SCENARIOS_DIR, file));
      const result = runScenario(scenario, manifests);
      expect(result.expectations.length).toBeGreaterThan(0);
      const failed = result.expectations.filter((x) => !x.ok).map((x) => `${x.name}: expected ${x.expected}, got ${x.actual}`);
      expect(failed).toEqual([]);
      const expected = EXPECTED_WARNINGS[file];
      if (expected === undefined) expect(result.warnings).toEqual([]);
      else {
        expect(result.warnings).toHaveLength(expected.length);
        expected.forEach((re, i) => expect(result.warnings[i]).toMatch(re));
      }
    });
  }
});
