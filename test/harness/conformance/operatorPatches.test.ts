// The patches `kubectl argo rollouts promote|abort|retry` send (v1.9.1
// pkg/kubectl-argo-rollouts/cmd/promote/promote.go getPatches, abort.go, retry.go).
import { describe, expect, it } from 'vitest';
import { actionPatches, promotePatches, type RolloutForPatch } from '../../../harness/conformance/operatorPatches.js';

const canary = (status: RolloutForPatch['status'], paused = false): RolloutForPatch => ({
  spec: { paused, strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 60 }] } } },
  status,
});

describe('promotePatches', () => {
  it('paused at an indefinite pause: clear the pause conditions on status', () => {
    expect(promotePatches(canary({ currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep' }] }))).toEqual([
      { subresource: 'status', body: { status: { pauseConditions: null } } },
    ]);
  });

  it('spec.paused too: status patch first, then unpause the spec', () => {
    expect(promotePatches(canary({ currentStepIndex: 1, pauseConditions: [{ reason: 'CanaryPauseStep' }] }, true))).toEqual([
      { subresource: 'status', body: { status: { pauseConditions: null } } },
      { subresource: undefined, body: { spec: { paused: false } } },
    ]);
  });

  it('not paused (mid analysis step 2 of 3): skip to the next step', () => {
    expect(promotePatches(canary({ currentStepIndex: 2 }))).toEqual([{ subresource: 'status', body: { status: { pauseConditions: null, currentStepIndex: 3 } } }]);
  });

  it('inconclusive step analysis paused by the controller: clear controllerPause and move on', () => {
    const ro = canary({ currentStepIndex: 1, pauseConditions: [{ reason: 'InconclusiveAnalysisRun' }], controllerPause: true, canary: { currentStepAnalysisRunStatus: { status: 'Inconclusive' } } });
    expect(promotePatches(ro)).toEqual([{ subresource: 'status', body: { status: { pauseConditions: null, controllerPause: false, currentStepIndex: 2 } } }]);
  });

  it('--full with an update in progress: promoteFull on status', () => {
    expect(promotePatches(canary({ currentStepIndex: 0, currentPodHash: 'b', stableRS: 'a' }), { full: true })).toEqual([
      { subresource: 'status', body: { status: { promoteFull: true } } },
    ]);
    expect(promotePatches(canary({ currentPodHash: 'a', stableRS: 'a' }), { full: true })).toEqual([]);
  });
});

describe('actionPatches', () => {
  it('abort sets status.abort, retry clears it', () => {
    expect(actionPatches(canary({}), { kind: 'abort' })).toEqual([{ subresource: 'status', body: { status: { abort: true } } }]);
    expect(actionPatches(canary({}), { kind: 'retry' })).toEqual([{ subresource: 'status', body: { status: { abort: false } } }]);
  });
});
