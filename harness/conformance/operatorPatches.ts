// The API calls `kubectl argo rollouts promote|abort|retry` make, so an operator action in a
// conformance run reaches the real controller exactly as it would from a terminal. Pure: from the
// Rollout as last read, the merge patches to send (status subresource first, then spec), as
// pkg/kubectl-argo-rollouts/cmd/promote/promote.go `getPatches` (v1.9.1) builds them. We always
// talk to a controller with the status subresource (v0.10+), so the "unified" fallback patch of
// `PromoteRollout` for v0.9 is not needed.

/** The fields of a Rollout the kubectl plugin looks at before it patches. */
export interface RolloutForPatch {
  readonly spec: {
    readonly paused?: boolean;
    readonly strategy: { readonly canary?: { readonly steps?: readonly unknown[] }; readonly blueGreen?: unknown };
  };
  readonly status?: {
    readonly currentStepIndex?: number;
    readonly currentPodHash?: string;
    readonly stableRS?: string;
    readonly pauseConditions?: readonly unknown[] | null;
    readonly controllerPause?: boolean;
    readonly canary?: { readonly currentStepAnalysisRunStatus?: { readonly status?: string } | null };
  };
}

export type OperatorAction =
  | { readonly kind: 'promote'; readonly full?: boolean; readonly skipCurrentStep?: boolean; readonly skipAllSteps?: boolean }
  | { readonly kind: 'abort' }
  | { readonly kind: 'retry' };

/** One merge patch: on the status subresource or on the object (spec). */
export interface RolloutPatch {
  readonly subresource: 'status' | undefined;
  readonly body: Readonly<Record<string, unknown>>;
}

/** utils/replicaset/canary.go `GetCurrentCanaryStep`: the index (0 when unset), or undefined without steps. */
function currentStepIndex(ro: RolloutForPatch): number | undefined {
  const steps = ro.spec.strategy.canary?.steps;
  if (!ro.spec.strategy.canary || !steps || steps.length === 0) return undefined;
  return ro.status?.currentStepIndex ?? 0;
}

function nextStepIndex(ro: RolloutForPatch, index: number): number {
  return index < (ro.spec.strategy.canary?.steps?.length ?? 0) ? index + 1 : index;
}

const statusPatch = (status: Record<string, unknown>): RolloutPatch => ({ subresource: 'status', body: { status } });
const unpause: RolloutPatch = { subresource: undefined, body: { spec: { paused: false } } };

/** promote.go `getPatches`: the status patch (if any) goes first, then the spec patch (if any). */
export function promotePatches(ro: RolloutForPatch, opts: { full?: boolean; skipCurrentStep?: boolean; skipAllSteps?: boolean } = {}): RolloutPatch[] {
  const out: RolloutPatch[] = [];
  const pauseConditions = ro.status?.pauseConditions ?? [];
  if (opts.skipCurrentStep) {
    const index = currentStepIndex(ro);
    if (index !== undefined) out.push(statusPatch({ currentStepIndex: nextStepIndex(ro, index) }));
    return out;
  }
  if (opts.skipAllSteps) {
    out.push(statusPatch({ currentStepIndex: ro.spec.strategy.canary?.steps?.length ?? 0 }));
    return out;
  }
  if (opts.full) {
    if (ro.status?.currentPodHash !== ro.status?.stableRS) out.push(statusPatch({ promoteFull: true }));
    if (ro.spec.paused) out.push(unpause);
    return out;
  }
  // promote.go `isInconclusive`: an inconclusive step analysis paused by the controller.
  const inconclusive = ro.spec.strategy.canary !== undefined && ro.status?.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
  if (inconclusive && pauseConditions.length > 0 && ro.status?.controllerPause) {
    const index = currentStepIndex(ro);
    if (index !== undefined) out.push(statusPatch({ pauseConditions: null, controllerPause: false, currentStepIndex: nextStepIndex(ro, index) }));
  } else if (pauseConditions.length > 0) {
    out.push(statusPatch({ pauseConditions: null }));
  } else if (ro.spec.strategy.canary) {
    // Promoting in the middle of an analysis or experiment step: move to the next step.
    const index = currentStepIndex(ro);
    if (index !== undefined) out.push(statusPatch({ pauseConditions: null, currentStepIndex: nextStepIndex(ro, index) }));
  }
  if (ro.spec.paused) out.push(unpause);
  return out;
}

/** cmd/abort/abort.go `abortPatch`; cmd/retry/retry.go `retryRolloutPatch`. */
export function actionPatches(ro: RolloutForPatch, action: OperatorAction): RolloutPatch[] {
  switch (action.kind) {
    case 'promote':
      return promotePatches(ro, action);
    case 'abort':
      return [statusPatch({ abort: true })];
    case 'retry':
      return [statusPatch({ abort: false })];
  }
}
