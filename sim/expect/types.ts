// The `expect` block of a scenario, parsed: what must hold after a run (and, with `seeds`, over
// how many seeds it must hold). Each key given is one check with an expected and an actual value;
// keys left out are not checked. README "spec.expect" documents every key with an example.
import type { Outcome } from '../scenario/types.js';

/** A bound on failed requests: a share of requests (`0.3%`) or a number of requests (`150`). */
export type FailedRequestBound = { readonly kind: 'ratio'; readonly value: number } | { readonly kind: 'count'; readonly value: number };

export interface FailedRequestsExpectation {
  readonly max: FailedRequestBound;
  /** Only the requests served by pods running this image; undefined = all requests. */
  readonly version: string | undefined;
  /**
   * Only user-facing requests: all requests except mirrored copies (setMirrorRoute), whose answers
   * never reach a user. Without it, mirrored copies count too.
   */
  readonly userFacing: boolean;
}

/** The AnalysisRun's rollout-type label, lower camel case: Step, Background, PrePromotion, PostPromotion, Experiment. */
export type AnalysisRunKind = 'step' | 'background' | 'prePromotion' | 'postPromotion' | 'experiment';

export interface DecidedByExpectation {
  /** Kind of the AnalysisRun whose failure decided the rollout (step, background, pre- or post-promotion analysis). */
  readonly analysisRun: AnalysisRunKind | undefined;
  /** Name of the metric (as in the AnalysisTemplate) that failed that AnalysisRun. */
  readonly metric: string | undefined;
}

export interface EventsExpectation {
  /** Event reasons that must appear (from the change on). */
  readonly include: readonly string[];
  /** Event reasons that must not appear (from the change on). */
  readonly exclude: readonly string[];
  /** Event reasons that must appear in this order (other events may come between them). */
  readonly inOrder: readonly string[];
}

/** `stable`, `canary`, or an image: which ReplicaSet a Service must select at the end. */
export type SelectorTarget = string;

export interface FinalExpectation {
  /** Pods of the stable / canary ReplicaSet at the end of the run. */
  readonly replicas: { readonly stable: number | undefined; readonly canary: number | undefined };
  /** Service name → `stable`, `canary` or an image, in the order written. */
  readonly selectors: readonly { readonly service: string; readonly target: SelectorTarget }[];
}

export interface Expectations {
  readonly outcome: Outcome | undefined;
  /** Decision (promotion or abort) no later than this long after the change. */
  readonly withinMs: number | undefined;
  /** Highest canary weight (status/actual) the rollout may reach. */
  readonly maxCanaryWeight: number | undefined;
  /** Failed requests (errors, and requests that found no ready pod) over all requests of the run (0..1). */
  readonly maxFailedRequestRatio: number | undefined;
  readonly failedRequests?: FailedRequestsExpectation | undefined;
  readonly decidedBy?: DecidedByExpectation | undefined;
  readonly events?: EventsExpectation | undefined;
  readonly final?: FinalExpectation | undefined;
  /** Number of seeds (spec.seed, spec.seed+1, ...) `rehearse drill` runs; undefined = 1. */
  readonly seeds?: number | undefined;
  /** Share of those seeds on which every other expectation must hold (0..1); undefined = 1 (all). */
  readonly atLeast?: number | undefined;
}

/** No checks at all (the default world around bare manifests). */
export const NO_EXPECTATIONS: Expectations = { outcome: undefined, withinMs: undefined, maxCanaryWeight: undefined, maxFailedRequestRatio: undefined };

export interface ExpectationResult {
  /** The key, e.g. `outcome`, `failedRequests`, `events.inOrder`, `final.selectors.checkout-canary`. */
  readonly name: string;
  readonly ok: boolean;
  readonly expected: string;
  readonly actual: string;
}

/** What one run produced that expectations are judged on (built by sim/world.ts). */
export interface RunObservation {
  readonly outcome: Outcome;
  readonly decidedAt: number | null;
  readonly changeAt: number | null;
  readonly maxCanaryWeight: number;
  readonly requests: {
    readonly total: number;
    readonly failed: number;
    readonly byVersion: readonly { readonly image: string; readonly total: number; readonly failed: number; readonly mirrored?: number; readonly mirroredFailed?: number }[];
    /** Mirrored copies served (not in total/failed); absent or zero without mirroring. */
    readonly mirrored?: { readonly total: number; readonly failed: number };
  };
  readonly analysisRuns: readonly {
    readonly name: string;
    /** `Step` or `Background`, as the AnalysisRun's rollout-type label. */
    readonly type: string;
    readonly phase: string;
    readonly message: string;
    /** Virtual ms at which the run reached its final phase; null while running. */
    readonly endedAt: number | null;
    readonly measurements: readonly { readonly metric: string; readonly phase: string }[];
  }[];
  /** Controller events, in time order. */
  readonly events: readonly { readonly t: number; readonly reason: string }[];
  readonly final: {
    readonly stableHash: string;
    /** The new revision's hash when it is not the stable one, else undefined. */
    readonly canaryHash: string | undefined;
    readonly replicaSets: readonly { readonly podTemplateHash: string; readonly image: string; readonly replicas: number; readonly ready: number }[];
    /** Service name → the pod-template-hash its selector pins (undefined: none). */
    readonly services: ReadonlyMap<string, string | undefined>;
  };
}
