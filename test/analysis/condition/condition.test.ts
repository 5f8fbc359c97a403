import { describe, expect, it } from 'vitest';
import {
  assessMeasurement, compileCondition, ConditionError, envTypeOf, evaluateCondition,
  type AssessOptions, type ConditionValue,
} from '../../../sim/analysis/condition/index.js';
import { runExpression } from '../../../sim/analysis/condition/debug.js';

const V15 = { exprVersion: '1.15' } as const;
const V17 = { exprVersion: '1.17' } as const;

function evalBool(text: string, result: ConditionValue, opts = V15): ReturnType<typeof evaluateCondition> {
  return evaluateCondition(compileCondition(text, envTypeOf(result), opts), result);
}

function compileError(text: string, result: ConditionValue, opts = V15): ConditionError {
  try {
    compileCondition(text, envTypeOf(result), opts);
  } catch (e) {
    if (e instanceof ConditionError) return e;
    throw e;
  }
  throw new Error(`expected a compile error for ${text}`);
}

describe('assessMeasurement (Argo EvaluateResult)', () => {
  const table: [string | undefined, string | undefined, ConditionValue, string, string?][] = [
    [undefined, undefined, [0.1], 'Successful'],
    ['', '', [0.1], 'Successful'],
    ['result[0] >= 0.95', undefined, [0.97], 'Successful'],
    ['result[0] >= 0.95', undefined, [0.5], 'Failed'],
    [undefined, 'result[0] < 0.5', [0.4], 'Failed'],
    [undefined, 'result[0] < 0.5', [0.6], 'Successful'],
    ['result[0] >= 0.95', 'result[0] < 0.5', [0.97], 'Successful'],
    ['result[0] >= 0.95', 'result[0] < 0.5', [0.4], 'Failed'],
    ['result[0] >= 0.95', 'result[0] < 0.5', [0.7], 'Inconclusive'],
    // failure wins when both are true
    ['result[0] > 0', 'result[0] > 0', [1], 'Failed'],
    // worked cases of the reference
    ['result[0] >= 0.95', undefined, [], 'Error', 'reflect: slice index out of range'],
    ['result[0] >= 0.95', undefined, [NaN], 'Failed'],
    ['result[0] >= 0.95', 'result[0] < 0.5', [NaN], 'Inconclusive'],
    ['result[0] < 0.05', undefined, [NaN], 'Failed'],
    ['len(result) == 0 || result[0] >= 0.95', undefined, [], 'Successful'],
    ['default(result, 0) < 0.05', undefined, [], 'Error', 'invalid operation: []float64 < float64'],
    ['result >= 0.95', undefined, [0.99], 'Error', 'invalid operation: >= (mismatched types []float64 and float64)'],
    ['isNaN(result) || result >= 0.95', undefined, NaN, 'Successful'],
    ['isNaN(result) || result >= 0.95', undefined, 0.9, 'Failed'],
    ['result[0]', undefined, 0.9, 'Error', 'type float64[int] is undefined'],
    ['result', undefined, [1], 'Error', 'expected bool, but got []float64'],
    ['result[0]', undefined, [1], 'Error', 'expected bool, but got float64'],
    ['foo > 1', undefined, [1], 'Error', 'unknown name foo'],
    ['result[0] >', undefined, [1], 'Error', 'unexpected token EOF'],
    // the success condition is evaluated first: its error wins over the failure condition's
    ['result[5] > 0', 'nope', [1], 'Error', 'reflect: slice index out of range'],
    // an error in the failure condition alone also makes the measurement Error
    ['result[0] > 0', 'result[1] > 0', [1], 'Error', 'reflect: slice index out of range'],
    ['all(result, {# < 1000})', undefined, [1, 2, 999], 'Successful'],
    ['all(result, {# < 1000})', undefined, [], 'Successful'],
    ["result.major == '1'", undefined, { major: '1' }, 'Successful'],
    ['asFloat(result.value) > 0.5', undefined, { value: '0.75' }, 'Successful'],
    ['asFloat(result.value) > 0.5', undefined, { value: 'x' }, 'Error', 'strconv.ParseFloat: parsing "x": invalid syntax'],
    ['isNil(result)', undefined, null, 'Successful'],
    ['default(result, 5) > 4', undefined, null, 'Successful'],
  ];
  it.each(table)('%s / %s on %j ⇒ %s', (s, f, result, phase, message) => {
    const r = assessMeasurement(s, f, result);
    expect(r.phase).toBe(phase);
    if (message !== undefined) expect(r.message).toBe(message);
    if (phase !== 'Error') expect(r.message).toBeUndefined();
  });

  it('wraps messages like Argo 1.10 for exprVersion 1.17', () => {
    const o: AssessOptions = { exprVersion: '1.17' };
    expect(assessMeasurement('result[0] >= 0.95', undefined, [], o)).toEqual({
      phase: 'Error',
      message:
        'could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty: no data returned from the metric provider',
    });
    expect(assessMeasurement(undefined, 'result >= 1', [1], o)).toEqual({
      phase: 'Error',
      message:
        'could not evaluate failureCondition "result >= 1": invalid operation: >= (mismatched types []float64 and int)',
    });
    expect(assessMeasurement('result[3] > 1', undefined, [1], o).message).toBe(
      'could not evaluate successCondition "result[3] > 1": index out of range: 3 (array length is 1)',
    );
    expect(assessMeasurement('result[3] > 1', undefined, [1], { ...o, wrapErrors: false }).message).toBe(
      'index out of range: 3 (array length is 1)',
    );
  });

  it('honours an explicit result type', () => {
    // A JSON array of numbers decoded by encoding/json is []interface {}: `%` is then a runtime matter.
    expect(assessMeasurement('result[0] % 2 == 1', undefined, [3], { resultType: '[]interface {}' }).phase).toBe('Error');
    expect(assessMeasurement('result[0] % 2 == 1', undefined, [3], { resultType: '[]interface {}' }).message).toBe(
      'invalid operation: float64 % int',
    );
    expect(assessMeasurement('result[0] > 2', undefined, [3], { resultType: 'interface {}' }).phase).toBe('Successful');
  });
});

describe('semantics', () => {
  const values: [string, ConditionValue, string, string][] = [
    ['5 / 2', 0, 'float64', '2.5'],
    ['4 / 2', 0, 'float64', '2'],
    ['2 * 3', 0, 'int', '6'],
    ['2 * 3.0', 0, 'float64', '6'],
    ['7 % 3', 0, 'int', '1'],
    ['-7 % 3', 0, 'int', '-1'],
    ['-2 ** 2', 0, 'float64', '-4'],
    ['2 ** 3 ** 2', 0, 'float64', '512'],
    ['1 - 2 - 3', 0, 'int', '-4'],
    ['1 + 2 * 3 - 4 / 2', 0, 'float64', '5'],
    ['true || false && false', 0, 'bool', 'true'],
    ['not true and false', 0, 'bool', 'false'],
    ['1 / 0 > 1', 0, 'bool', 'true'],
    ['9223372036854775807 + 1', 0, 'int', '-9223372036854775808'],
    ['0x_ff + 1_000', 0, 'int', '1255'],
    ['.5 + 1e-3', 0, 'float64', '0.501'],
    ['result[1] == 2', [1, 2], 'bool', 'true'],
    ['result[-1]', [1, 2.5], 'float64', '2.5'],
    ['result[1:]', [1, 2, 3], '[]float64', '[2 3]'],
    ['result[:-1]', [1, 2, 3], '[]float64', '[1 2]'],
    ['0.5 in result', [0.5], 'bool', 'true'],
    ['result not in [0.5]', 0.5, 'bool', 'false'],
    ['"abc" matches "b"', 0, 'bool', 'true'],
    ['"abc" matches "^b"', 0, 'bool', 'false'],
    ['"abc" contains "bc" && "abc" startsWith "a" && "abc" endsWith "c"', 0, 'bool', 'true'],
    ['nil ?? 2', 0, 'int', '2'],
    ['result > 1 ? "hi" : "lo"', 2, 'string', 'hi'],
    ['round(2.5) == 3 && round(-2.5) == -3', 0, 'bool', 'true'],
    ['string(0.97)', 0, 'string', '0.97'],
    ['isNaN(result)', NaN, 'bool', 'true'],
    ['isNaN(1)', 0, 'bool', 'false'],
    ['isInf(1 / 0)', 0, 'bool', 'true'],
    ['asInt(result)', NaN, 'int64', '-9223372036854775808'],
    ['asInt("42") + 1', 0, 'int', '43'],
    ['count(result, # > 1)', [1, 2, 3], 'int', '2'],
    ['filter(result, # > 1)', [1, 2, 3], '[]interface {}', '[2 3]'],
    ['map(result, # * 2)', [1, 2], '[]interface {}', '[2 4]'],
    ['map([{x: 1}, {x: 2}], .x)', 0, '[]interface {}', '[1 2]'],
    ['sum(result) + mean(result) + median(result)', [1, 2, 3], 'float64', '10'],
    ['median([])', 0, 'float64', '0'],
    ['first([]) == nil && last([1, 2]) == 2', 0, 'bool', 'true'],
    ['all([], # > 0) && !any([], # > 0) && none([], # > 0)', 0, 'bool', 'true'],
    ['one([1, 2], # > 1)', 0, 'bool', 'true'],
    ['let x = result * 2; x > 1', 1, 'bool', 'true'],
    ['1 // a comment', 0, 'int', '1'],
    ['/* c */ 1 == 1', 0, 'bool', 'true'],
    ['"\\u00e9\\x41\\t" == "éA\t"', 0, 'bool', 'true'],
    ['result | len()', [1, 2], 'int', '2'],
    ['result?.missing?.x == nil', { a: 1 }, 'bool', 'true'],
  ];
  it.each(values)('%s on %j ⇒ %s %s', (text, result, type, value) => {
    expect(runExpression(text, envTypeOf(result), result)).toMatchObject({ ok: true, type, value });
  });

  const compileErrors: [string, ConditionValue, string, number][] = [
    ['result[0] % 2', [1], 'invalid operation: % (mismatched types float64 and int)', 11],
    ['not 1 == 2', 0, 'invalid operation: not (mismatched type int)', 1],
    ['!result[0] > 1', [1], 'invalid operation: ! (mismatched type float64)', 1],
    ['result >= 0.95', [1], 'invalid operation: >= (mismatched types []float64 and float64)', 8],
    ['result.foo', [1], 'array elements can only be selected using an integer (got string)', 8],
    ['result[1.0]', [1], 'array elements can only be selected using an integer (got float64)', 8],
    ['"5" == 5', 0, 'invalid operation: == (mismatched types string and int)', 5],
    ['isNaN(result)', [1], 'cannot use []float64 as argument (type float64) to call isNaN ', 7],
    ['7 % 0', 0, 'integer divide by zero', 3],
    ['1 < 2 < 3', 0, 'invalid operation: < (mismatched types bool and int)', 7],
    ['`x`', 0, "unrecognized character: U+0060 '`'", 2],
    ['max(result)', [1], 'invalid argument for max (type []float64)', 1],
    ['"x" matches "["', 0, 'error parsing regexp: missing closing ]: `[`', 5],
    ['all([1], #index > 0)', 0, 'unknown pointer #index', 10],
    ['groupBy(result, # > 1)', [1], 'rehearse: builtin groupBy is not supported', 1],
    ['(1 + 2', 0, 'unexpected token EOF', 6],
    ['1 ?? 2 + 3', 0, 'Operator (+) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.', 8],
    ['# > 1', 0, 'cannot use pointer accessor outside closure', 1],
    // a type error in a branch that would be short-circuited is still reported
    ['true || result >= 1', [1], 'invalid operation: >= (mismatched types []float64 and int)', 16],
  ];
  it.each(compileErrors)('%s ⇒ compile error %s', (text, result, message, column) => {
    const e = compileError(text, result);
    expect(e.message).toBe(message);
    expect(e.column).toBe(column);
    expect(e.line).toBe(1);
  });

  it('reports the line of multi-line conditions', () => {
    const e = compileError('result[0] > 0 &&\n  foo', [1]);
    expect([e.line, e.column, e.located]).toEqual([2, 3, 'unknown name foo (2:2)']);
  });

  const runtimeErrors: [string, ConditionValue, string][] = [
    ['result[0] >= 0.95', [], 'reflect: slice index out of range'],
    ['result[-2] > 0', [1], 'reflect: slice index out of range'],
    ['default(result, 0) < 0.05', [], 'invalid operation: []float64 < float64'],
    ['result.a.b == 1', { a: null }, 'cannot fetch b from <nil>'],
    ['asInt(result) > 0', 'x', 'strconv.ParseInt: parsing "x": invalid syntax'],
    ['asInt(result.a) > 0', { a: true }, 'asInt() not supported on bool true'],
    ['isNaN(len(result))', [1], 'interface conversion: interface {} is int, not float64'],
    ['result.a % 0 == 0', { a: 1 }, 'invalid operation: float64 % int'],
    ['result.n + 1 > 0', { n: 'x' }, 'invalid operation: string + int'],
    ['result', 1, 'expected bool, but got float64'],
    ['result.s', { s: 'x' }, 'expected bool, but got interface {}'.replace('interface {}', 'string')],
    ['asInt(1)', 0, 'expected bool, but got int64'],
    ['nil', 0, 'expected bool, but got <nil>'],
  ];
  it.each(runtimeErrors)('%s on %j ⇒ runtime error %s', (text, result, error) => {
    expect(evalBool(text, result)).toEqual({ ok: false, error });
  });

  it('never throws on runtime errors and rejects a result of the wrong shape', () => {
    const c = compileCondition('result[0] > 1', '[]float64');
    expect(evaluateCondition(c, 3)).toEqual({ ok: false, error: 'rehearse: result is not a []float64' });
    expect(evaluateCondition(c, [2])).toEqual({ ok: true, value: true });
  });

  it('caches compilations', () => {
    const a = compileCondition('result[0] >= 0.95', '[]float64');
    expect(compileCondition('result[0] >= 0.95', '[]float64')).toBe(a);
    expect(compileCondition('result[0] >= 0.95', '[]float64', V17)).not.toBe(a);
    expect(compileCondition('result[0] >= 0.95', '[]float64').staticType).toBe('bool');
  });

  it('interface {} environment: member access is checked at run time', () => {
    const c = compileCondition('result.a > 1', 'interface {}');
    expect(evaluateCondition(c, { a: 2 })).toEqual({ ok: true, value: true });
    expect(evaluateCondition(c, [1])).toEqual({ ok: false, error: 'invalid operation: int(string)' });
    expect(evaluateCondition(c, null)).toEqual({ ok: false, error: 'cannot fetch a from <nil>' });
  });
});

describe('expr 1.15 vs 1.17 (reference §5.6)', () => {
  const diffs: [string, ConditionValue, string, string][] = [
    // [expression, result, 1.15 outcome, 1.17 outcome]
    ['max(result)', [1, 3], 'compile: invalid argument for max (type []float64)', 'float64 3'],
    ['min(result)', [1, 3], 'compile: invalid argument for min (type []float64)', 'float64 1'],
    ['max(result)', [], 'compile: invalid argument for max (type []float64)', '<nil> <nil>'],
    ['1 < 2 < 3', 0, 'compile: invalid operation: < (mismatched types bool and int)', 'bool true'],
    ['1 < 3 < 2', 0, 'compile: invalid operation: < (mismatched types bool and int)', 'bool false'],
    ['`a\\b` == "a\\\\b"', 0, "compile: unrecognized character: U+0060 '`'", 'bool true'],
    ['len("héllo")', 0, 'int 6', 'int 5'],
    ['1..3 == [1, 2, 3]', 0, 'bool false', 'bool true'],
    ['result == [0.5, 2]', [0.5, 2], 'bool false', 'bool true'],
    ['result[5]', [1, 2], 'run: reflect: slice index out of range', 'run: index out of range: 5 (array length is 2)'],
    ['result[-3]', [1, 2], 'run: reflect: slice index out of range', 'run: index out of range: -1 (array length is 2)'],
    ['0o17 + 0b1', 0, 'compile: invalid integer literal: strconv.ParseInt: parsing "0o17": invalid syntax', 'int 16'],
    ['nil < 1', 0, 'compile: invalid operation: < (mismatched types <nil> and int)', 'compile: invalid operation: < (mismatched types unknown and int)'],
    ['"héllo"[1:3]', 0, 'compile: unexpected token Bracket("[")', 'string é'],
    ['if result > 1 { "big" } else { "small" }', 2, 'compile: unexpected token Identifier("result")', 'string big'],
    // both versions agree on these (the reference's `[0.5] == [0.5]` is true in 1.15 as well)
    ['[0.5] == [0.5]', 0, 'bool true', 'bool true'],
  ];
  const show = (text: string, result: ConditionValue, v: typeof V15 | typeof V17): string => {
    const r = runExpression(text, envTypeOf(result), result, v);
    return r.ok ? `${r.type} ${r.value}` : `${r.phase}: ${r.error}`;
  };
  it.each(diffs)('%s on %j', (text, result, e15, e17) => {
    expect(show(text, result, V15)).toBe(e15);
    expect(show(text, result, V17)).toBe(e17);
  });
});
