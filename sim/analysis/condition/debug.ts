// Evaluation of an arbitrary (not necessarily bool) expression, reporting the Go type and `%v` of
// the value; used by tests and diagnostics to compare with expr itself.
import { compileCondition, ConditionError, type ConditionEnvType, type ConditionOptions, type ConditionValue } from './index.js';
import { EvalError, GoSlice, formatGoValue, typeNameOf, type Value } from './values.js';

export type RawResult =
  | { ok: true; type: string; value: string; raw: Value }
  | { ok: false; phase: 'compile' | 'run'; error: string; line?: number; column?: number };

export function runExpression(
  text: string,
  env: ConditionEnvType,
  result: ConditionValue,
  opts?: ConditionOptions,
): RawResult {
  let c;
  try {
    c = compileCondition(text, env, opts);
  } catch (e) {
    if (e instanceof ConditionError) return { ok: false, phase: 'compile', error: e.message, line: e.line, column: e.column };
    throw e;
  }
  const value: Value =
    env === '[]float64' ? new GoSlice('float64', result as readonly number[]) : (result as Value);
  try {
    const out = c.run({ result: value, ptr: null, index: 0, vars: [] });
    const type = typeof out === 'bigint' && c.staticType === 'int64' ? 'int64' : typeNameOf(out);
    return { ok: true, type, value: formatGoValue(out), raw: out };
  } catch (e) {
    if (e instanceof EvalError) return { ok: false, phase: 'run', error: e.message };
    throw e;
  }
}
