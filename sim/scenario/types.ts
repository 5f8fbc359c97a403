// A scenario, parsed and checked: the world around the user's manifests (DESIGN.md "Scenario
// file"). It never restates the rollout; it says how pods start, how much traffic arrives, how each
// version behaves, which change starts the rollout, and what must hold afterwards.
import type { FaultSpec } from '../faults/types.js';
import type { SourcePosition } from '../manifests/types.js';
import type { Expectations } from '../expect/types.js';
import type { OperatorAction } from '../actions/types.js';
import type { ProvidersSpec } from '../analysis/providers/spec.js';
import type { CustomMetricsSpec } from '../metrics/presets/custom.js';
import type { PresetName } from '../metrics/presets/index.js';

/**
 * `rolledBack`: an operator action (undo, gitopsRevert) took the rollout back to the revision it
 * started from, and that revision is stable again.
 */
export type Outcome = 'promoted' | 'aborted' | 'paused' | 'progressing' | 'rolledBack';

export interface VersionSpec {
  /** Fraction of requests answered with an error (0..1). */
  readonly errorRatio: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

/** The `expect` block: sim/expect/types.ts. */
export type { Expectations } from '../expect/types.js';

export interface ScenarioSpec {
  readonly name: string;
  /** The file the scenario came from ("<default>" for the default world around bare manifests). */
  readonly file: string;
  /** Manifest paths as written, relative to the scenario file. */
  readonly manifests: readonly string[];
  readonly seed: number;
  readonly untilMs: number;
  readonly prometheusVersion: 2 | 3;
  /** expr-lang of the conditions: '1.15' (antonmedv/expr, Argo Rollouts ≤ 1.9) or '1.17' (expr-lang/expr, Argo 1.10). */
  readonly exprVersion: '1.15' | '1.17';
  readonly podStartup: { readonly medianMs: number; readonly p99Ms: number };
  /**
   * Whether the revision deployed at t=0 (the healthy previous revision) starts with its pods
   * already ready — the world in steady state — or cold, through the pod start-up model.
   */
  readonly initialRevisionReady: boolean;
  readonly traffic: {
    readonly rps: number;
    readonly steps: readonly { readonly atMs: number; readonly rps: number }[];
    /** Entry Service for a basic canary; undefined = every pod of the Rollout's selector. */
    readonly service: string | undefined;
    /**
     * Blue-green only: requests (smoke tests, QA) sent to the preview Service's pods; never
     * user-facing. Undefined: none.
     */
    readonly preview?: { readonly rps: number } | undefined;
    /**
     * Share of requests that match the Rollout's setHeaderRoute conditions (a beta cohort, say).
     * While a header route is set they all go to the canary; otherwise they follow the weights.
     * Undefined: no request carries the header.
     */
    readonly headerShare?: number | undefined;
    /**
     * Share of requests that match the Rollout's setMirrorRoute conditions. While a mirror route is
     * set, its `percentage` of them is copied to the canary (not answered to users). Undefined: none.
     */
    readonly mirrorShare?: number | undefined;
  };
  readonly metrics: {
    readonly preset: PresetName;
    readonly scrapeIntervalMs: number;
    readonly errorCode: number;
    /** The names of the `custom` preset (undefined for the other presets). */
    readonly custom?: CustomMetricsSpec;
  };
  /** Behaviour per container image; images not listed behave as `defaultVersion`. */
  readonly versions: ReadonlyMap<string, VersionSpec>;
  readonly defaultVersion: VersionSpec;
  readonly change:
    | { readonly atMs: number; readonly image: string | undefined; readonly container: string | undefined }
    | undefined;
  readonly expect: Expectations;
  /** What web, job and fixture metric providers answer (docs/analysis.md); absent = nothing described. */
  readonly providers?: ProvidersSpec;
  /** Injected failures, in the order written (sim/faults/catalogue.ts lists the kinds). */
  readonly faults: readonly FaultSpec[];
  /** Operator actions (promote, abort, undo, ...), in the order written (sim/actions/types.ts). */
  readonly actions: readonly OperatorAction[];
  /** Where each field was written, for errors found after parsing (e.g. a missing manifest). */
  readonly positions: ReadonlyMap<string, SourcePosition>;
}
