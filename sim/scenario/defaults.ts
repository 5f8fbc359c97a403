// Defaults of the scenario format, in one place; README's scenario reference quotes them.
import type { VersionSpec } from './types.js';

export const SCENARIO_DEFAULTS = {
  seed: 1,
  /** Prometheus major version whose query semantics the simulated server follows. */
  prometheusVersion: 3 as 2 | 3,
  /** Argo Rollouts v1.9.x evaluates conditions with antonmedv/expr v1.15.5. */
  exprVersion: '1.15' as '1.15' | '1.17',
  /** Virtual-time limit of a run. */
  untilMs: 60 * 60 * 1000,
  podStartup: { medianMs: 8_000, p99Ms: 30_000 },
  /** The revision deployed at t=0 starts with its pods ready (the world in steady state). */
  initialRevisionReady: true,
  traffic: { rps: 100 },
  metrics: { scrapeIntervalMs: 15_000, errorCode: 500 },
  /** How an image not listed under `versions` behaves. */
  version: { errorRatio: 0.001, latencyP50Ms: 40, latencyP99Ms: 250 } satisfies VersionSpec,
  /** When the default world around bare manifests applies the update. */
  changeAtMs: 60_000,
} as const;
