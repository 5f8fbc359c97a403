// Public API of the AnalysisTemplate condition language (successCondition / failureCondition).
// Mirrors argo-rollouts utils/evaluate/evaluate.go (`EvaluateResult`, `EvalCondition`) on top of a
// hand-written implementation of the expr-lang subset (see lexer.ts, parser.ts, checker.ts).
import { check } from './checker.js';
import { Compiler, type Fn, type Frame } from './compile.js';
import { ConditionError } from './errors.js';
import type { ExprVersion } from './lexer.js';
import { parse } from './parser.js';
import {
  T_ANY, T_ARRAY, T_BOOL, T_F64_SLICE, T_FLOAT, T_MAP, T_NIL, T_STRING, typeName, type GoType,
} from './types.js';
import { EvalError, GoSlice, typeNameOf, type Value } from './values.js';

export { ConditionError } from './errors.js';
export type { ExprVersion } from './lexer.js';

/** A JSON value as decoded by encoding/json into interface{} (numbers are float64). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [k: string]: JsonValue };

/**
 * What the caller passes as `result`: a number (float64, Prometheus scalar), a number[] (`[]float64`,
 * Prometheus vector/matrix) or any JSON value (web-style providers).
 */
export type ConditionValue = JsonValue | readonly number[];

/**
 * The static Go type of `result` the condition is compiled against (expr types the environment by
 * the actual Go values Argo puts in it):
 * - `'float64'`, `'[]float64'`: Prometheus scalar / vector results;
 * - `'map[string]interface {}'`, `'[]interface {}'`, `'string'`, `'bool'`, `'nil'`: the exact type of
 *   a decoded JSON value (what Argo would see) — see {@link envTypeOf};
 * - `'interface {}'`: any JSON value, every access checked at run time (one compilation for all shapes).
 */
export type ConditionEnvType =
  | 'float64'
  | '[]float64'
  | 'interface {}'
  | 'map[string]interface {}'
  | '[]interface {}'
  | 'string'
  | 'bool'
  | 'nil';

export interface ConditionOptions {
  /** '1.15' (default) = antonmedv/expr v1.15.5 as in Argo v1.7–1.9; '1.17' = expr-lang/expr v1.17.x (Argo 1.10). */
  exprVersion?: ExprVersion;
}

export interface CompiledCondition {
  readonly text: string;
  readonly env: ConditionEnvType;
  readonly exprVersion: ExprVersion;
  /** Go type name of the expression's static type, e.g. `bool` or `interface {}`. */
  readonly staticType: string;
  /** @internal */
  readonly run: Fn;
}

export type EvaluationResult = { ok: true; value: boolean } | { ok: false; error: string };

export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

export interface AssessOptions extends ConditionOptions {
  /** Type of `result`; inferred with {@link envTypeOf} when omitted. */
  resultType?: ConditionEnvType;
  /**
   * Wrap error messages as Argo ≥ 1.10 does (`could not evaluate successCondition "<expr>": …`).
   * Defaults to true for exprVersion '1.17' (Argo 1.10) and false for '1.15'.
   */
  wrapErrors?: boolean;
}

const ENV_TYPES: Readonly<Record<ConditionEnvType, GoType>> = {
  float64: T_FLOAT,
  '[]float64': T_F64_SLICE,
  'interface {}': T_ANY,
  'map[string]interface {}': T_MAP,
  '[]interface {}': T_ARRAY,
  string: T_STRING,
  bool: T_BOOL,
  nil: T_NIL,
};

/**
 * The Go type Argo's environment would give this value: numbers are float64, arrays of numbers are
 * taken as a Prometheus `[]float64`, other JSON values get their encoding/json types.
 */
export function envTypeOf(result: ConditionValue): ConditionEnvType {
  if (result === null) return 'nil';
  if (typeof result === 'number') return 'float64';
  if (typeof result === 'string') return 'string';
  if (typeof result === 'boolean') return 'bool';
  if (Array.isArray(result)) return result.every((x) => typeof x === 'number') ? '[]float64' : '[]interface {}';
  return 'map[string]interface {}';
}

/**
 * Compiled conditions by `${version}\u0000${env}` (a handful), then by text: looking up the
 * condition's own string reuses its cached hash, where one concatenated key would be a new string
 * to hash at every measurement.
 */
const cache = new Map<string, Map<string, CompiledCondition>>();
const CACHE_LIMIT = 4096;

/**
 * Parses and type-checks a condition. Throws {@link ConditionError} (expr's message, 1-based
 * line/column) on syntax and type errors. Results are cached by (version, env, text).
 */
export function compileCondition(text: string, env: ConditionEnvType, opts?: ConditionOptions): CompiledCondition {
  const exprVersion = opts?.exprVersion ?? '1.15';
  const envKey = `${exprVersion}\u0000${env}`;
  let byText = cache.get(envKey);
  if (byText === undefined) {
    byText = new Map();
    cache.set(envKey, byText);
  }
  const hit = byText.get(text);
  if (hit !== undefined) return hit;
  const resultType = ENV_TYPES[env];
  if (resultType === undefined) throw new TypeError(`unknown condition environment type ${String(env)}`);
  const ast = parse(text, exprVersion);
  const checked = check(ast, resultType, exprVersion);
  const run = new Compiler(checked.regexps, exprVersion).compile(ast);
  const compiled: CompiledCondition = {
    text,
    env,
    exprVersion,
    staticType: typeName(checked.type),
    run,
  };
  if (byText.size >= CACHE_LIMIT) byText.clear();
  byText.set(text, compiled);
  return compiled;
}

/** Converts the caller's value to the runtime model for the compiled environment, or an error. */
function toRuntime(env: ConditionEnvType, result: ConditionValue): Value | EvalError {
  switch (env) {
    case 'float64':
      return typeof result === 'number' ? result : new EvalError(`rehearse: result is not a float64`);
    case '[]float64':
      if (Array.isArray(result) && result.every((x) => typeof x === 'number')) {
        return new GoSlice('float64', result as readonly number[]);
      }
      return new EvalError('rehearse: result is not a []float64');
    case 'interface {}':
      return result as Value;
    default: {
      const actual = envTypeOf(result);
      // A JSON array of numbers is still a []interface {} when compiled as such.
      if (actual === env || (env === '[]interface {}' && Array.isArray(result))) return result as Value;
      return new EvalError(`rehearse: result of type ${actual} does not match the compiled type ${env}`);
    }
  }
}

/**
 * Evaluates a compiled condition against `result`. Never throws for runtime errors: index out of
 * range, mismatched runtime types, non-bool results (`expected bool, but got <type>`) come back as
 * `{ok: false, error}` with expr's message.
 */
export function evaluateCondition(c: CompiledCondition, result: ConditionValue): EvaluationResult {
  const value = toRuntime(c.env, result);
  if (value instanceof EvalError) return { ok: false, error: value.message };
  const frame: Frame = { result: value, ptr: null, index: 0, vars: [] };
  let out: Value;
  try {
    out = c.run(frame);
  } catch (e) {
    if (e instanceof EvalError) return { ok: false, error: e.message };
    if (e instanceof RangeError) return { ok: false, error: `rehearse: ${e.message}` };
    throw e;
  }
  if (typeof out === 'boolean') return { ok: true, value: out };
  // Runtime ints are all bigint; asInt's int64 is only known statically.
  const shown = typeof out === 'bigint' && c.staticType === 'int64' ? 'int64' : typeNameOf(out);
  return { ok: false, error: `expected bool, but got ${shown}` };
}

function evalOne(
  text: string,
  env: ConditionEnvType,
  result: ConditionValue,
  opts: ConditionOptions,
): EvaluationResult {
  try {
    return evaluateCondition(compileCondition(text, env, opts), result);
  } catch (e) {
    if (e instanceof ConditionError) return { ok: false, error: e.message };
    throw e;
  }
}

/** argo-rollouts evaluate.go `isNilOrEmpty`. */
function isNilOrEmpty(result: ConditionValue): boolean {
  return result === null || (Array.isArray(result) && result.length === 0);
}

/**
 * Argo's `EvaluateResult`: the measurement phase for a provider `result`.
 *
 * | success | failure | phase |
 * |---|---|---|
 * | unset | unset | Successful |
 * | set | unset | true ⇒ Successful, false ⇒ Failed |
 * | unset | set | true ⇒ Failed, false ⇒ Successful |
 * | set | set | failure true ⇒ Failed; else success true ⇒ Successful; else Inconclusive |
 *
 * The success condition is evaluated first; any compile or runtime error ⇒ Error with expr's message.
 */
export function assessMeasurement(
  successCondition: string | undefined,
  failureCondition: string | undefined,
  result: ConditionValue,
  opts?: AssessOptions,
): { phase: MeasurementPhase; message?: string } {
  const o: AssessOptions = opts ?? {};
  const env = o.resultType ?? envTypeOf(result);
  const wrap = o.wrapErrors ?? o.exprVersion === '1.17';
  const hasSuccess = successCondition !== undefined && successCondition !== '';
  const hasFailure = failureCondition !== undefined && failureCondition !== '';
  const error = (kind: string, text: string, msg: string): { phase: MeasurementPhase; message: string } => {
    if (!wrap) return { phase: 'Error', message: msg };
    if (isNilOrEmpty(result)) {
      return {
        phase: 'Error',
        message: `could not evaluate ${kind} "${text}": metric result is nil or empty: no data returned from the metric provider`,
      };
    }
    return { phase: 'Error', message: `could not evaluate ${kind} "${text}": ${msg}` };
  };
  let success = false;
  let failure = false;
  if (hasSuccess) {
    const r = evalOne(successCondition, env, result, o);
    if (!r.ok) return error('successCondition', successCondition, r.error);
    success = r.value;
  }
  if (hasFailure) {
    const r = evalOne(failureCondition, env, result, o);
    if (!r.ok) return error('failureCondition', failureCondition, r.error);
    failure = r.value;
  }
  if (!hasSuccess && !hasFailure) return { phase: 'Successful' };
  if (hasSuccess && !hasFailure) failure = !success;
  if (!hasSuccess && hasFailure) success = !failure;
  if (failure) return { phase: 'Failed' };
  if (!success) return { phase: 'Inconclusive' };
  return { phase: 'Successful' };
}
