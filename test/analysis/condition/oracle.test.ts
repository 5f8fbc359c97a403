// Differential table: every expression below was run through Argo's EvalCondition environment with
// antonmedv/expr v1.15.5 and expr-lang/expr v1.17.8 built from source; the recorded outputs
// (Go type, `%v` value, or error with expr's 0-based `@line:col`) live in expr-oracle.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runExpression } from '../../../sim/analysis/condition/debug.js';
import type { ConditionEnvType, ConditionValue, ExprVersion } from '../../../sim/analysis/condition/index.js';

type Expected = { ok: true; type: string; value: string } | { ok: false; phase: string; error: string };
interface Case {
  cond: string;
  kind: 'scalar' | 'vector' | 'json';
  result: unknown;
  '1.15': Expected;
  '1.17': Expected;
}

const cases = JSON.parse(readFileSync(new URL('./expr-oracle.json', import.meta.url), 'utf8')) as Case[];

/** Known, documented deviations: [version, condition]. */
const KNOWN: ReadonlySet<string> = new Set([
  // expr 1.17's lexer reports a bad escape one rune earlier; we report the 1.15 position.
  "1.17 'bad \\q escape'",
]);

function num(x: unknown): number {
  if (x === 'NaN') return NaN;
  if (x === '+Inf') return Infinity;
  if (x === '-Inf') return -Infinity;
  return x as number;
}

function envOf(c: Case): [ConditionEnvType, ConditionValue] {
  if (c.kind === 'scalar') return ['float64', num(c.result)];
  if (c.kind === 'vector') return ['[]float64', (c.result as unknown[]).map(num)];
  const r = c.result as ConditionValue;
  if (r === null) return ['nil', r];
  if (Array.isArray(r)) return ['[]interface {}', r];
  return [typeof r === 'object' ? 'map[string]interface {}' : (typeof r as ConditionEnvType), r];
}

for (const version of ['1.15', '1.17'] as ExprVersion[]) {
  describe(`expr ${version} oracle table`, () => {
    for (const c of cases) {
      if (KNOWN.has(`${version} ${c.cond}`)) continue;
      it(`${c.kind} ${JSON.stringify(c.result)} :: ${c.cond}`, () => {
        const [env, result] = envOf(c);
        const got = runExpression(c.cond, env, result, { exprVersion: version });
        const exp = c[version];
        if (exp.ok) {
          // Known deviation: every runtime int is modelled alike, so an int64 produced by asInt()
          // inside a larger expression shows as `int`.
          const type = exp.type === 'int64' && got.ok && got.type === 'int' ? 'int' : exp.type;
          expect(got).toMatchObject({ ok: true, type, value: exp.value });
        } else if (exp.phase === 'compile') {
          expect(got.ok).toBe(false);
          if (!got.ok) {
            // Known deviation: expr 1.17 names some interface{} operands `unknown` in type errors.
            const want = version === '1.17' ? exp.error.replace(/\bunknown\b/g, 'interface {}') : exp.error;
            const mine = version === '1.17' ? got.error.replace(/\bunknown\b/g, 'interface {}') : got.error;
            expect(`${mine} @${got.line}:${(got.column ?? 0) - 1}`).toBe(want);
            expect(got.phase).toBe('compile');
          }
        } else {
          expect(got).toMatchObject({ ok: false, phase: 'run', error: exp.error.replace(/ @\d+:\d+$/, '') });
        }
      });
    }
  });
}
