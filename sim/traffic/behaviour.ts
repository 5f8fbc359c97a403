// How one version of the application answers: an error ratio and a latency distribution. Latency is
// lognormal, fitted to the p50 and p99 an operator knows from dashboards; from it we precompute the
// probability of each histogram bucket and the mean, so a traffic tick draws bucket counts with
// one multinomial instead of one latency per request.
import { lognormalFromMedianP99 } from '../engine/random.js';

export interface VersionBehaviour {
  /** Fraction of requests answered with an error (0..1). */
  readonly errorRatio: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

/** Prometheus client libraries' default histogram buckets, in seconds. */
export const DEFAULT_BUCKETS_SECONDS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface LatencyModel {
  /** Probability of landing in each bucket (non-cumulative), with a final entry for (last, +Inf). */
  readonly bucketProbabilities: Float64Array;
  readonly meanSeconds: number;
  readonly varianceSeconds2: number;
}

/** Standard normal CDF through erfc, which keeps its relative accuracy far into the tails. */
function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Complementary error function, |relative error| < 1.2e-7 (Numerical Recipes `erfcc`). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

export function latencyModel(b: VersionBehaviour, bucketsSeconds: readonly number[]): LatencyModel {
  const { mu, sigma } = lognormalFromMedianP99(b.latencyP50Ms / 1000, Math.max(b.latencyP50Ms, b.latencyP99Ms) / 1000);
  const probs = new Float64Array(bucketsSeconds.length + 1);
  let prev = 0;
  for (let i = 0; i < bucketsSeconds.length; i++) {
    const le = bucketsSeconds[i]!;
    const cdf = sigma === 0 ? (Math.exp(mu) <= le ? 1 : 0) : normalCdf((Math.log(le) - mu) / sigma);
    probs[i] = Math.max(0, cdf - prev);
    prev = Math.max(prev, cdf);
  }
  probs[bucketsSeconds.length] = Math.max(0, 1 - prev);
  const mean = Math.exp(mu + (sigma * sigma) / 2);
  const variance = (Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma);
  return { bucketProbabilities: probs, meanSeconds: mean, varianceSeconds2: variance };
}
