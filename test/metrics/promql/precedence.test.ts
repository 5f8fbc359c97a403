// Operator precedence of the parser: random expressions whose tree is known by construction
// (exprGen.ts) must parse to exactly that tree. The notation was cross-checked against the trees
// Prometheus' own parser (promql/parser ParseExpr, v3.15) builds for the same expressions.
import { describe, expect, it } from 'vitest';
import { compileQuery } from '../../../sim/metrics/promql/index.js';
import { ExprGenerator, sexpr } from './exprGen.js';

function treeOf(q: string, version: 2 | 3 = 3): string {
  return sexpr(compileQuery(q, { prometheusVersion: version }).expr);
}

describe('operator precedence (generated_parser.y)', () => {
  it.each([
    // Postfix modifiers bind to the operand right before them, at every precedence level.
    [
      'a or on(x) b > c offset 1h unless d offset 1m',
      '(or bool=false many-to-many on=true [x] [] sel:a:0:- (unless bool=false many-to-many on=false [] [] (> bool=false one-to-one on=false [] [] sel:b:0:- sel:c:3600000:-) sel:d:60000:-))',
    ],
    ['a * b @ 100 ^ c', '(* bool=false one-to-one on=false [] [] sel:a:0:- (^ bool=false one-to-one on=false [] [] sel:b:0:100000 sel:c:0:-))'],
    ['-a offset 5m', '(- sel:a:300000:-)'],
    // A sign binds like `*`: below `^`, above `+`.
    ['-a ^ b', '(- (^ bool=false one-to-one on=false [] [] sel:a:0:- sel:b:0:-))'],
    ['-a * b', '(* bool=false one-to-one on=false [] [] (- sel:a:0:-) sel:b:0:-)'],
    ['a ^ -b * c', '(* bool=false one-to-one on=false [] [] (^ bool=false one-to-one on=false [] [] sel:a:0:- (- sel:b:0:-)) sel:c:0:-)'],
    ['a ^ b ^ c', '(^ bool=false one-to-one on=false [] [] sel:a:0:- (^ bool=false one-to-one on=false [] [] sel:b:0:- sel:c:0:-))'],
    ['a - b - c', '(- bool=false one-to-one on=false [] [] (- bool=false one-to-one on=false [] [] sel:a:0:- sel:b:0:-) sel:c:0:-)'],
    // Signs on number literals are folded (unary_expr), after `^` binds: -(2 ^ 2); -0 stays -0.
    ['-2 ^ 2', '(- (^ bool=false num:2 num:2))'],
    ['-0', 'num:-0'],
    ['2 * -1', '(* bool=false num:2 num:-1)'],
  ])('%s', (q, want) => {
    expect(treeOf(q)).toBe(want);
  });

  it('parses generated expressions to their tree (every level, every modifier order)', () => {
    for (const seed of ['p1', 'p2', 'p3']) {
      const gen = new ExprGenerator(seed);
      for (let i = 0; i < 1500; i++) {
        const g = gen.generate(4);
        for (const version of [2, 3] as const) {
          let got: string;
          try {
            got = treeOf(g.text, version);
          } catch (e) {
            got = `error: ${(e as Error).message}`;
          }
          if (got !== g.sx) expect({ query: g.text, version, got }).toEqual({ query: g.text, version, got: g.sx });
        }
      }
    }
  });
});
