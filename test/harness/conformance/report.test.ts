// Conformance reports from hand-made results: verdicts, the summary line, divergences with context.
import { describe, expect, it } from 'vitest';
import type { ScenarioConformance } from '../../../harness/conformance/conform.js';
import { diffTraces } from '../../../harness/conformance/diff.js';
import { classifyDivergences } from '../../../harness/conformance/knownDifferences.js';
import type { NormalisedTrace } from '../../../harness/conformance/normalise.js';
import { anyDivergence, conformanceJson, renderConformanceMarkdown, renderConformanceText } from '../../../reports/conformance.js';

const trace = (side: 'simulated' | 'real', events: [number, string][]): NormalisedTrace => ({
  side,
  changeAt: 0,
  outcome: 'promoted',
  decisions: [],
  events: events.map(([t, reason]) => ({ t, object: 'Rollout/web', reason, message: reason })),
  analysisRuns: [],
  routerWeights: [],
  revisions: {},
});

function compared(name: string, sim: NormalisedTrace, real: NormalisedTrace): ScenarioConformance {
  const diff = diffTraces(sim, real);
  return { status: 'compared', file: `${name}.yaml`, name, seed: 1, horizonMs: 30_000, wallMs: 41_000, simulated: sim, real, diff, classified: classifyDivergences(diff.divergences), warnings: [], eventSource: 'controller log' };
}

describe('conformance reports', () => {
  const agrees = compared('good', trace('simulated', [[0, 'RolloutUpdated']]), trace('real', [[400, 'RolloutUpdated']]));
  const diverges = compared('bad', trace('simulated', [[0, 'RolloutUpdated'], [5000, 'RolloutPaused']]), trace('real', [[300, 'RolloutUpdated']]));
  const failed: ScenarioConformance = { status: 'failed', file: 'p.yaml', name: 'p', error: 'kube-apiserver exited' };
  const run = { cluster: 'local', versions: { 'argo-rollouts': 'v1.9.1' }, results: [agrees, diverges, failed], wallMs: 90_000 };

  it('text: one line per scenario, divergences with both sides, the summary', () => {
    const text = renderConformanceText(run).join('\n');
    expect(text).toContain('✓ good: simulated promoted, real promoted');
    expect(text).toContain('✗ [events/missing] Rollout/web RolloutPaused: RolloutPaused: simulated at +5.000s, never on the real cluster');
    expect(text).toContain('✗ p: the real run failed: kube-apiserver exited');
    expect(text).toContain('1 of 2 scenarios agree exactly · cluster local · wall time 90.0s · time tolerance max(2s, 10%)');
    expect(anyDivergence(run)).toBe(true);
    expect(anyDivergence({ ...run, results: [agrees] })).toBe(false);
    expect(anyDivergence({ ...run, results: [agrees, failed] })).toBe(true);
  });

  it('a divergence that is a known difference is reported as such and does not fail the run', () => {
    // The real controller records RolloutPaused a second time (a reconcile on a stale informer cache).
    const stale = compared('stale', trace('simulated', [[0, 'RolloutUpdated'], [500, 'RolloutPaused']]), trace('real', [[0, 'RolloutUpdated'], [500, 'RolloutPaused'], [900, 'RolloutPaused']]));
    const r = { ...run, results: [agrees, stale] };
    const text = renderConformanceText(r).join('\n');
    expect(text).toContain('~ stale: simulated promoted, real promoted');
    expect(text).toContain('known difference stale-cache-repeated-event (1×)');
    expect(text).toContain('1 of 2 scenarios agree exactly, 1 but for known differences');
    expect(anyDivergence(r)).toBe(false);
  });

  it('Markdown table and JSON', () => {
    const md = renderConformanceMarkdown(run);
    expect(md).toContain('| `good` | promoted | promoted | 0 (0 known) | 41.0s | ✅ agrees |');
    expect(md).toContain('| `p` | — | — | — | — | ❌ failed: kube-apiserver exited |');
    expect(md).toContain('## bad');
    const json = conformanceJson(run);
    expect([json.agree, json.compared]).toEqual([1, 2]);
  });
});
