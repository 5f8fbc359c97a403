// Prometheus' `util/almost.Equal`: relative float comparison used by histogram_quantile's
// monotonicity fix (3.x) and by the PromQL test-script runner (NaN equals NaN).

const MIN_NORMAL = 2.2250738585072014e-308;

/** Default tolerance of the test-script runner (promqltest's `defaultEpsilon`). */
export const DEFAULT_EPSILON = 1e-12;

export function almostEqual(a: number, b: number, epsilon = DEFAULT_EPSILON): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}
