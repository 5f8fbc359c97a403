// The one function table (Prometheus' `promql/parser/functions.go`: argument types, variadic
// count, return type), used by the parser's type checks before anything is evaluated. It lists
// every function of Prometheus v2.42.0 and v3.14.0 so that a call to a real function we have not
// implemented is refused by name ("not supported by rehearse yet") instead of being reported as
// unknown; `implemented` marks the ones the engine evaluates (evaluate.ts keeps one implementation
// per implemented name; test/metrics/promql/functions.test.ts checks that the two agree).

import type { ValueType } from './ast.js';

export interface FunctionDef {
  readonly name: string;
  readonly argTypes: readonly ValueType[];
  /**
   * As in Prometheus: 0 = exactly argTypes.length arguments; n > 0 = the last argument type may
   * appear 0..n times; -1 = any number of times.
   */
  readonly variadic: number;
  readonly returnType: ValueType;
  /** Prometheus major versions that know the function (2 = v2.42.0, 3 = v3.14.0). */
  readonly versions: readonly (2 | 3)[];
  readonly implemented: boolean;
  /** Behind a feature flag in Prometheus 3 (`--enable-feature=promql-experimental-functions`). */
  readonly experimental: boolean;
}

function def(
  name: string,
  argTypes: ValueType[],
  variadic: number,
  returnType: ValueType,
  versions: (2 | 3)[],
  implemented: boolean,
  experimental = false,
): FunctionDef {
  return { name, argTypes, variadic, returnType, versions, implemented, experimental };
}

const FUNCTION_LIST: readonly FunctionDef[] = [
  def('abs', ['vector'], 0, 'vector', [2, 3], true),
  def('absent', ['vector'], 0, 'vector', [2, 3], true),
  def('absent_over_time', ['matrix'], 0, 'vector', [2, 3], true),
  def('acos', ['vector'], 0, 'vector', [2, 3], true),
  def('acosh', ['vector'], 0, 'vector', [2, 3], true),
  def('asin', ['vector'], 0, 'vector', [2, 3], true),
  def('asinh', ['vector'], 0, 'vector', [2, 3], true),
  def('atan', ['vector'], 0, 'vector', [2, 3], true),
  def('atanh', ['vector'], 0, 'vector', [2, 3], true),
  def('avg_over_time', ['matrix'], 0, 'vector', [2, 3], true),
  def('ceil', ['vector'], 0, 'vector', [2, 3], true),
  def('changes', ['matrix'], 0, 'vector', [2, 3], true),
  def('clamp', ['vector', 'scalar', 'scalar'], 0, 'vector', [2, 3], true),
  def('clamp_max', ['vector', 'scalar'], 0, 'vector', [2, 3], true),
  def('clamp_min', ['vector', 'scalar'], 0, 'vector', [2, 3], true),
  def('cos', ['vector'], 0, 'vector', [2, 3], true),
  def('cosh', ['vector'], 0, 'vector', [2, 3], true),
  def('count_over_time', ['matrix'], 0, 'vector', [2, 3], true),
  def('day_of_month', ['vector'], 1, 'vector', [2, 3], true),
  def('day_of_week', ['vector'], 1, 'vector', [2, 3], true),
  def('day_of_year', ['vector'], 1, 'vector', [2, 3], true),
  def('days_in_month', ['vector'], 1, 'vector', [2, 3], true),
  def('deg', ['vector'], 0, 'vector', [2, 3], true),
  def('delta', ['matrix'], 0, 'vector', [2, 3], true),
  def('deriv', ['matrix'], 0, 'vector', [2, 3], true),
  def('double_exponential_smoothing', ['matrix', 'scalar', 'scalar'], 0, 'vector', [3], false, true),
  def('end', [], 0, 'scalar', [3], false, true),
  def('exp', ['vector'], 0, 'vector', [2, 3], true),
  def('first_over_time', ['matrix'], 0, 'vector', [3], true),
  def('floor', ['vector'], 0, 'vector', [2, 3], true),
  def('histogram_avg', ['vector'], 0, 'vector', [3], false),
  def('histogram_count', ['vector'], 0, 'vector', [2, 3], false),
  def('histogram_fraction', ['scalar', 'scalar', 'vector'], 0, 'vector', [2, 3], false),
  def('histogram_quantile', ['scalar', 'vector'], 0, 'vector', [2, 3], true),
  def('histogram_quantiles', ['vector', 'string', 'scalar', 'scalar'], 9, 'vector', [3], false, true),
  def('histogram_stddev', ['vector'], 0, 'vector', [3], false),
  def('histogram_stdvar', ['vector'], 0, 'vector', [3], false),
  def('histogram_sum', ['vector'], 0, 'vector', [2, 3], false),
  def('holt_winters', ['matrix', 'scalar', 'scalar'], 0, 'vector', [2], false),
  def('hour', ['vector'], 1, 'vector', [2, 3], true),
  def('idelta', ['matrix'], 0, 'vector', [2, 3], true),
  def('increase', ['matrix'], 0, 'vector', [2, 3], true),
  def('info', ['vector', 'vector'], 0, 'vector', [3], false, true),
  def('irate', ['matrix'], 0, 'vector', [2, 3], true),
  def('label_join', ['vector', 'string', 'string', 'string'], -1, 'vector', [2, 3], true),
  def('label_replace', ['vector', 'string', 'string', 'string', 'string'], 0, 'vector', [2, 3], true),
  def('last_over_time', ['matrix'], 0, 'vector', [2, 3], true),
  def('ln', ['vector'], 0, 'vector', [2, 3], true),
  def('log10', ['vector'], 0, 'vector', [2, 3], true),
  def('log2', ['vector'], 0, 'vector', [2, 3], true),
  def('mad_over_time', ['matrix'], 0, 'vector', [3], false, true),
  def('max_of', ['scalar', 'scalar'], 0, 'scalar', [3], false, true),
  def('max_over_time', ['matrix'], 0, 'vector', [2, 3], true),
  def('min_of', ['scalar', 'scalar'], 0, 'scalar', [3], false, true),
  def('min_over_time', ['matrix'], 0, 'vector', [2, 3], true),
  def('minute', ['vector'], 1, 'vector', [2, 3], true),
  def('month', ['vector'], 1, 'vector', [2, 3], true),
  def('pi', [], 0, 'scalar', [2, 3], true),
  def('predict_linear', ['matrix', 'scalar'], 0, 'vector', [2, 3], true),
  def('present_over_time', ['matrix'], 0, 'vector', [2, 3], true),
  def('quantile_over_time', ['scalar', 'matrix'], 0, 'vector', [2, 3], true),
  def('rad', ['vector'], 0, 'vector', [2, 3], true),
  def('range', [], 0, 'scalar', [3], false, true),
  def('rate', ['matrix'], 0, 'vector', [2, 3], true),
  def('resets', ['matrix'], 0, 'vector', [2, 3], true),
  def('round', ['vector', 'scalar'], 1, 'vector', [2, 3], true),
  def('scalar', ['vector'], 0, 'scalar', [2, 3], true),
  def('sgn', ['vector'], 0, 'vector', [2, 3], true),
  def('sin', ['vector'], 0, 'vector', [2, 3], true),
  def('sinh', ['vector'], 0, 'vector', [2, 3], true),
  def('sort', ['vector'], 0, 'vector', [2, 3], true),
  def('sort_by_label', ['vector', 'string'], -1, 'vector', [3], false, true),
  def('sort_by_label_desc', ['vector', 'string'], -1, 'vector', [3], false, true),
  def('sort_desc', ['vector'], 0, 'vector', [2, 3], true),
  def('sqrt', ['vector'], 0, 'vector', [2, 3], true),
  def('start', [], 0, 'scalar', [3], false, true),
  def('start_timestamp', ['vector'], 0, 'vector', [3], false, true),
  def('stddev_over_time', ['matrix'], 0, 'vector', [2, 3], true),
  def('stdvar_over_time', ['matrix'], 0, 'vector', [2, 3], true),
  def('step', [], 0, 'scalar', [3], false, true),
  def('sum_over_time', ['matrix'], 0, 'vector', [2, 3], true),
  def('tan', ['vector'], 0, 'vector', [2, 3], true),
  def('tanh', ['vector'], 0, 'vector', [2, 3], true),
  def('time', [], 0, 'scalar', [2, 3], true),
  def('timestamp', ['vector'], 0, 'vector', [2, 3], true),
  def('ts_of_first_over_time', ['matrix'], 0, 'vector', [3], false, true),
  def('ts_of_last_over_time', ['matrix'], 0, 'vector', [3], false, true),
  def('ts_of_max_over_time', ['matrix'], 0, 'vector', [3], false, true),
  def('ts_of_min_over_time', ['matrix'], 0, 'vector', [3], false, true),
  def('vector', ['scalar'], 0, 'vector', [2, 3], true),
  def('year', ['vector'], 1, 'vector', [2, 3], true),
];

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(FUNCTION_LIST.map((f) => [f.name, f]));

/** The definition of `name` as known to the given Prometheus major version, if any. */
export function lookupFunction(name: string, version: 2 | 3): FunctionDef | undefined {
  const f = FUNCTIONS.get(name);
  return f !== undefined && f.versions.includes(version) ? f : undefined;
}
