// spec.providers of a scenario (sim/scenario/providers.ts): values read as documented in
// docs/analysis.md, and bad input reported with file, line, column and field.
import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../sim/diagnostics.js';
import { parseScenario } from '../../sim/scenario/parse.js';

const scenario = (providers: string): string => `apiVersion: rehearse.dev/v1alpha1
kind: Scenario
metadata: {name: p}
spec:
  manifests: [m]
  providers:
${providers}`;

function errors(text: string): readonly Diagnostic[] {
  try {
    parseScenario('s.yaml', text);
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected errors');
}

describe('spec.providers', () => {
  it('reads web answers, jobs and fixtures with $traffic values', () => {
    const s = parseScenario(
      's.yaml',
      scenario(`    web:
      - { url: "http://x/h", body: { ok: { $traffic: { of: latencyQuantile, quantile: 0.9, window: 2m } } } }
      - { url: "http://x/h", from: 5m, version: "app:v2", status: 503, latency: 150ms }
    job:
      - { metric: e2e, after: 30s, outcome: Failed }
    fixtures:
      dd: { values: [ { from: 0s, value: 1 }, { from: 3m, value: [1, 2] } ] }
`),
    );
    expect(s.providers!.web).toEqual([
      { url: 'http://x/h', fromMs: 0, version: undefined, status: 200, body: { ok: { $traffic: { of: 'latencyQuantile', quantile: 0.9, version: 'canary', windowMs: 120_000 } } }, latencyMs: 0 },
      { url: 'http://x/h', fromMs: 300_000, version: 'app:v2', status: 503, body: undefined, latencyMs: 150 },
    ]);
    expect(s.providers!.job).toEqual([{ metric: 'e2e', version: undefined, afterMs: 30_000, outcome: 'Failed' }]);
    expect(s.providers!.fixtures.get('dd')).toEqual([{ version: undefined, values: [{ fromMs: 0, value: 1 }, { fromMs: 180_000, value: [1, 2] }] }]);
  });

  it('reports bad values with their positions', () => {
    const e = errors(
      scenario(`    web:
      - { url: "http://x", status: 99 }
    job:
      - { after: 30s, outcome: Succeeded }
    fixtures:
      both: { value: 1, values: [{ value: 2 }] }
      bad: { value: { $traffic: { of: p99 } } }
`),
    );
    expect(e.map((d) => [d.field, d.line])).toEqual([
      ['spec.providers.web[0].status', 8],
      ['spec.providers.job[0].outcome', 10],
      ['spec.providers.fixtures.both', 12],
      ['spec.providers.fixtures.bad.value.$traffic.of', 13],
    ]);
    expect(e[1]!.message).toBe('expected outcome: Complete (the Job succeeds) or Failed, got "Succeeded".');
    expect(e[3]!.message).toMatch(/^expected of: errorRatio, requestRate, latencyQuantile, got "p99"/);
  });
});
