// The two shipped canary scenarios of this feature, run with their `expect` blocks, plus what the
// blocks cannot say: that the beta cohort reached the canary while the weight was still 0, and
// that the canary had its setCanaryScale size (5 of 10) while serving 10 % of the traffic.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../harness/runInputs.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { ofType, podsAt, statusAt } from '../helpers/sim.js';

function runFile(path: string): RunResult {
  const inputs = loadScenarioFile(path);
  return runScenario(inputs.scenario, inputs.manifests);
}

describe('scenarios/header-route-beta.yaml', () => {
  const r = runFile('scenarios/header-route-beta.yaml');

  it('holds its expect block (aborted by the step analysis, weight never above 0)', () => {
    expect(r.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(r.expectations.length).toBeGreaterThanOrEqual(6);
    expect(r.warnings).toEqual([]);
  });

  it('the beta cohort (5 % of requests) reached the one canary pod while the weight was 0', () => {
    const set = ofType(r, 'route').find((e) => e.action === 'set')!;
    const removed = ofType(r, 'route').find((e) => e.action === 'removed')!;
    expect(statusAt(r, removed.t - 1)!.weights).toEqual({ canary: 0, stable: 100 });
    const v2 = Object.values(r.requests.byVersion).find((v) => v.revision === 2)!;
    // 400 rps × 5 % over the ~3 minutes the route was in force.
    const expected = 400 * 0.05 * ((removed.t - set.t) / 1000);
    expect(v2.total / expected).toBeGreaterThan(0.9);
    expect(v2.total / expected).toBeLessThan(1.1);
    // Only beta users were served by 3.1.0, and 30 % of them failed.
    expect(v2.failed / v2.total).toBeGreaterThan(0.27);
    expect(v2.failed / v2.total).toBeLessThan(0.34);
  });
});

describe('scenarios/canary-scale-background.yaml', () => {
  const r = runFile('scenarios/canary-scale-background.yaml');

  it('holds its expect block (aborted by the background analysis at weight 10)', () => {
    expect(r.expectations.filter((e) => !e.ok)).toEqual([]);
    expect(r.analysisRuns.map((a) => [a.type, a.phase])).toEqual([['Background', 'Failed']]);
  });

  it('10 % of the traffic went to 5 canary pods (setCanaryScale {weight: 50}), the stable kept 10', () => {
    const weighted = ofType(r, 'status').find((e) => (e.weights as { canary: number } | null)?.canary === 10)!;
    const pods = podsAt(r, weighted.t);
    const byRevision = Object.values(r.requests.byVersion).map((v) => [v.revision, pods.get(`recommendations-${v.podTemplateHash}`)]);
    expect(Object.fromEntries(byRevision)).toEqual({ 1: 10, 2: 5 });
  });
});
