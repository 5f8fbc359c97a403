// The shapes a drill passes between the main thread and its workers, and the report it builds.
// Everything here is plain data (structured-clone safe): workers receive scenarios as texts and
// return one SeedResult per (scenario, seed) work item.
import type { ManifestSource } from '../../sim/manifests/load.js';
import type { Diagnostic } from '../../sim/diagnostics.js';
import type { ExpectationResult } from '../../sim/expect/types.js';
import type { SeedsVerdict } from '../../sim/expect/seeds.js';

/** One scenario as the workers get it: no file I/O needed on their side. */
export interface DrillScenario {
  /** The scenario file as the user reaches it (relative to the working directory when given so). */
  readonly file: string;
  readonly text: string;
  /** The manifests it runs against: its own, or those of --manifests. */
  readonly manifestSources: readonly ManifestSource[];
}

export interface WorkItem {
  /** Index into the drill's scenario list. */
  readonly scenario: number;
  readonly seed: number;
}

export interface SeedResult {
  readonly scenario: number;
  readonly seed: number;
  readonly outcome: string;
  /** Virtual ms from the change to the promotion or abort; null when undecided. */
  readonly decidedAfterMs: number | null;
  readonly maxCanaryWeight: number;
  readonly requests: { readonly total: number; readonly failed: number };
  readonly expectations: readonly ExpectationResult[];
  readonly warnings: readonly string[];
}

/** A work item's result, or why it could not run. */
export type ItemOutcome =
  | { readonly kind: 'result'; readonly result: SeedResult }
  | { readonly kind: 'inputError'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'internalError'; readonly message: string; readonly stack: string | undefined };

export interface Distribution {
  /** How many values there were (e.g. seeds whose rollout was decided). */
  readonly count: number;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly max: number | null;
}

export interface ScenarioReport {
  readonly file: string;
  readonly name: string;
  readonly seeds: readonly number[];
  /** Outcome → number of seeds, in a fixed order (promoted, aborted, paused, progressing). */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Time from the change to the decision, over the seeds that were decided (virtual ms). */
  readonly decision: Distribution;
  /** Failed requests over all requests, per seed (0..1). */
  readonly failedRatio: Distribution;
  readonly maxCanaryWeight: Distribution;
  readonly verdict: SeedsVerdict;
  readonly passed: boolean;
  /** The command that reproduces the first failing seed (or the first seed when all held). */
  readonly reproduce: string;
  readonly warnings: readonly string[];
}

export interface DrillReport {
  readonly scenarios: readonly ScenarioReport[];
  readonly runs: number;
  readonly passed: number;
  readonly failed: number;
  /** The --manifests override, when one was given. */
  readonly manifests: string | undefined;
}
