// The new `expect` keys as a user writes them in YAML, and the errors for what cannot be read.
import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../sim/diagnostics.js';
import { parseScenario } from '../../sim/scenario/parse.js';

const scenario = (expectBlock: string): string => `apiVersion: rehearse.dev/v1alpha1
kind: Scenario
metadata: { name: drill }
spec:
  manifests: [m]
  change: { at: 1m, image: app:v2 }
  expect:
${expectBlock}`;

function errors(text: string): readonly Diagnostic[] {
  try {
    parseScenario('d.yaml', text);
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('expect keys', () => {
  it('read naturally in YAML', () => {
    const s = parseScenario(
      'd.yaml',
      scenario(`    outcome: aborted
    failedRequests: { max: 0.3%, version: app:v2 }
    decidedBy: { analysisRun: step, metric: success-rate }
    events: { include: [RolloutAborted], exclude: [RolloutCompleted], inOrder: [RolloutPaused, RolloutAborted] }
    final:
      replicas: { stable: 10, canary: 0 }
      selectors: { app-canary: stable, app-stable: app:v1 }
    seeds: 200
    atLeast: 99%
`),
    );
    expect(s.expect).toEqual({
      outcome: 'aborted',
      withinMs: undefined,
      maxCanaryWeight: undefined,
      maxFailedRequestRatio: undefined,
      failedRequests: { max: { kind: 'ratio', value: 0.003 }, version: 'app:v2', userFacing: false },
      decidedBy: { analysisRun: 'step', metric: 'success-rate' },
      events: { include: ['RolloutAborted'], exclude: ['RolloutCompleted'], inOrder: ['RolloutPaused', 'RolloutAborted'] },
      final: { replicas: { stable: 10, canary: 0 }, selectors: [{ service: 'app-canary', target: 'stable' }, { service: 'app-stable', target: 'app:v1' }] },
      seeds: 200,
      atLeast: 0.99,
    });
  });

  it('failedRequests.max: a whole number is a count, a percentage a ratio', () => {
    expect(parseScenario('d.yaml', scenario('    failedRequests: { max: 150, userFacing: true }\n')).expect.failedRequests).toEqual({ max: { kind: 'count', value: 150 }, version: undefined, userFacing: true });
  });

  it.each([
    ['    failedRequests: { max: 0.003 }\n', 'spec.expect.failedRequests.max', /A fraction is ambiguous here: write 0.003 as "0.3%"/],
    ['    failedRequests: { version: app:v2 }\n', 'spec.expect.failedRequests.max', /failedRequests needs `max`/],
    ['    decidedBy: { analysisRun: Step }\n', 'spec.expect.decidedBy.analysisRun', /expected step .*, background .*, prePromotion or postPromotion .*, or experiment/],
    ['    decidedBy: { metrik: x }\n', 'spec.expect.decidedBy.metrik', /Did you mean `metric`/],
    ['    events: { inorder: [A] }\n', 'spec.expect.events.inorder', /Did you mean `inOrder`/],
    ['    final: { replicas: { stable: -1 } }\n', 'spec.expect.final.replicas.stable', /a number of pods ≥ 0/],
    ['    seeds: 0\n', 'spec.expect.seeds', /from 1 to 100000/],
    ['    atLeast: 99\n', 'spec.expect.atLeast', /expected a ratio/],
  ])('%s is refused at its field', (block, field, message) => {
    const e = errors(scenario(block));
    expect(e).toHaveLength(1);
    expect(e[0]!.field).toBe(field);
    expect(e[0]!.line).toBeGreaterThan(6);
    expect(e[0]!.message).toMatch(message);
  });
});
