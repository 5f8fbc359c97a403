import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, ConditionError, evaluateCondition } from '../../../sim/analysis/condition/index.js';
import { runExpression } from '../../../sim/analysis/condition/debug.js';
import { formatGoFloat } from '../../../sim/analysis/condition/values.js';

const INT64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const wrap = (x: bigint): bigint => BigInt.asIntN(64, x);

/** An int64 as an expression (the minimum has no literal form: it is written as `-max - 1`). */
const intLit = (x: bigint): string => (x < 0n ? (x === -(2n ** 63n) ? '(-9223372036854775807 - 1)' : `(${x})`) : `${x}`);
/** A float64 as an expression, through the result variable to cover NaN/±Inf too. */

describe('parser robustness', () => {
  it('only ever throws ConditionError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom('1.15', '1.17'), (text, v) => {
        try {
          compileCondition(text, '[]float64', { exprVersion: v as '1.15' | '1.17' });
        } catch (e) {
          expect(e).toBeInstanceOf(ConditionError);
          const ce = e as ConditionError;
          expect(ce.line).toBeGreaterThanOrEqual(1);
          expect(ce.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: Number(process.env.CONDITION_FUZZ_RUNS ?? 3000) },
    );
  });

  it('only ever throws ConditionError on token soup', () => {
    const tok = fc.constantFrom(
      'result', '[', ']', '(', ')', '{', '}', '0', '1.5', '"s"', "'t'", '#', '.', '?.', '??', '?', ':', ',',
      'not', 'in', '!', '-', '+', '*', '/', '%', '**', '^', '==', '<', '>=', '&&', 'or', '..', '|', 'len',
      'all', 'map', 'filter', 'max', 'isNaN', 'default', 'let', 'x', '=', ';', 'nil', 'true', 'matches', '`',
      'if', 'else', '.5', '0x1', '1e3', ' ',
    );
    fc.assert(
      fc.property(fc.array(tok, { maxLength: 14 }), fc.constantFrom('1.15', '1.17'), (toks, v) => {
        const text = toks.join(' ');
        let c;
        try {
          c = compileCondition(text, '[]float64', { exprVersion: v as '1.15' | '1.17' });
        } catch (e) {
          expect(e).toBeInstanceOf(ConditionError);
          return;
        }
        // whatever compiles evaluates without throwing
        const r = evaluateCondition(c, [0.5, 2]);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: Number(process.env.CONDITION_FUZZ_RUNS ?? 3000) },
    );
  });
});

describe('Go arithmetic', () => {
  it('int ∘ int stays int64 with wrap-around; / is float; % truncates', () => {
    fc.assert(
      fc.property(INT64, INT64, (a, b) => {
        const A = intLit(a);
        const B = intLit(b);
        expect(runExpression(`${A} + ${B}`, 'float64', 0)).toMatchObject({ type: 'int', value: `${wrap(a + b)}` });
        expect(runExpression(`${A} - ${B}`, 'float64', 0)).toMatchObject({ type: 'int', value: `${wrap(a - b)}` });
        expect(runExpression(`${A} * ${B}`, 'float64', 0)).toMatchObject({ type: 'int', value: `${wrap(a * b)}` });
        expect(runExpression(`${A} / ${B}`, 'float64', 0)).toMatchObject({
          type: 'float64',
          value: formatGoFloat(Number(a) / Number(b)),
        });
        const m = runExpression(`${A} % ${B}`, 'float64', 0);
        if (b === 0n) expect(m).toMatchObject({ ok: false });
        else expect(m).toMatchObject({ type: 'int', value: `${wrap(a % b)}` });
      }),
      { numRuns: 500 },
    );
  });

  it('mixed int/float arithmetic is float64; comparisons are by value', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.double({ noNaN: false }), (i, x) => {
        const r = (expr: string): ReturnType<typeof runExpression> => runExpression(expr, 'float64', x);
        expect(r(`${i} + result`)).toMatchObject({ type: 'float64', value: formatGoFloat(i + x) });
        expect(r(`result * ${i}`)).toMatchObject({ type: 'float64', value: formatGoFloat(x * i) });
        expect(r(`result == ${i}`)).toMatchObject({ value: String(x === i) });
        expect(r(`result != ${i}`)).toMatchObject({ value: String(x !== i) });
        expect(r(`-result`)).toMatchObject({ type: 'float64', value: formatGoFloat(-x) });
      }),
      { numRuns: 500 },
    );
  });

  it('a < b and a >= b are complementary except when NaN is involved', () => {
    const num = fc.oneof(fc.double(), fc.constant(NaN), fc.integer().map((n) => n));
    fc.assert(
      fc.property(num, num, (a, b) => {
        const c1 = evaluateCondition(compileCondition('result[0] < result[1]', '[]float64'), [a, b]);
        const c2 = evaluateCondition(compileCondition('result[0] >= result[1]', '[]float64'), [a, b]);
        expect(c1.ok && c2.ok).toBe(true);
        if (!c1.ok || !c2.ok) return;
        if (Number.isNaN(a) || Number.isNaN(b)) {
          expect(c1.value).toBe(false);
          expect(c2.value).toBe(false);
        } else {
          expect(c1.value).toBe(!c2.value);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('int comparisons are exact beyond 2^53', () => {
    fc.assert(
      fc.property(INT64, INT64, (a, b) => {
        expect(runExpression(`${intLit(a)} < ${intLit(b)}`, 'float64', 0)).toMatchObject({ value: String(a < b) });
        expect(runExpression(`${intLit(a)} == ${intLit(b)}`, 'float64', 0)).toMatchObject({ value: String(a === b) });
      }),
      { numRuns: 300 },
    );
  });
});
