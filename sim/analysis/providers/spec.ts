// What the scenario says the non-Prometheus providers answer (`spec.providers` of a scenario file;
// parsed by sim/scenario/parse.ts, documented in docs/analysis.md and docs/scenario.schema.json).
// "version" always means the image of the revision an AnalysisRun analyses (its pod-template hash).

/** A value computed from the simulated traffic of one revision, over a trailing window. */
export interface TrafficValueSpec {
  readonly of: 'errorRatio' | 'requestRate' | 'latencyQuantile';
  /** For latencyQuantile: 0 < q < 1 (e.g. 0.99); the value is in seconds. */
  readonly quantile: number;
  /** The analysed revision (`canary`) or the stable one. */
  readonly version: 'canary' | 'stable';
  readonly windowMs: number;
}

/** A JSON value in which `{ $traffic: {...} }` objects stand for numbers computed from the traffic. */
export type TemplatedJson = null | boolean | number | string | readonly TemplatedJson[] | { readonly [k: string]: TemplatedJson } | { readonly $traffic: TrafficValueSpec };

/** One answer of a web endpoint: applies from `fromMs` (virtual time) for `version` (any if undefined). */
export interface WebAnswerSpec {
  readonly url: string;
  readonly fromMs: number;
  readonly version: string | undefined;
  readonly status: number;
  /** A string is the raw body; anything else is sent as JSON. undefined = empty body. */
  readonly body: TemplatedJson | undefined;
  readonly latencyMs: number;
}

/** How the simulated Job of a `job` metric ends. */
export interface JobSpecEntry {
  readonly metric: string | undefined;
  readonly version: string | undefined;
  readonly afterMs: number;
  readonly outcome: 'Complete' | 'Failed';
}

/** One point of a fixture series: the answer from `fromMs` on. */
export interface FixturePoint {
  readonly fromMs: number;
  readonly value: TemplatedJson;
}

export interface FixtureSpec {
  readonly version: string | undefined;
  /** Values over time (the last point at or before now applies) ... */
  readonly values: readonly FixturePoint[];
}

export interface ProvidersSpec {
  readonly web: readonly WebAnswerSpec[];
  readonly job: readonly JobSpecEntry[];
  /** By metric name; several entries for one metric may differ by version. */
  readonly fixtures: ReadonlyMap<string, readonly FixtureSpec[]>;
}

export const NO_PROVIDERS: ProvidersSpec = { web: [], job: [], fixtures: new Map() };
