import { describe, expect, it } from 'vitest';
import { compileQuery, PromqlError } from '../../../sim/metrics/promql/index.js';
import { lookupFunction, FUNCTIONS } from '../../../sim/metrics/promql/functions.js';
import { IMPLEMENTED_FUNCTIONS } from '../../../sim/metrics/promql/evaluate.js';

function errorOf(q: string, version: 2 | 3 = 3): PromqlError {
  try {
    compileQuery(q, { prometheusVersion: version });
  } catch (e) {
    if (e instanceof PromqlError) return e;
    throw e;
  }
  throw new Error(`no error for ${q}`);
}

describe('parse errors: Prometheus text and position', () => {
  it.each([
    // reference 1.13: the 27-character input reports at column 28
    ['rate(http_requests_total[5m', '1:28: parse error: unclosed left parenthesis'],
    ['foo(', '1:5: parse error: unclosed left parenthesis'],
    ['', 'unknown position: parse error: no expression found in input'],
    ['# only a comment', '1:1: parse error: no expression found in input'],
    ['foo[5m', '1:7: parse error: unclosed left bracket'],
    ['foo{a="b"', '1:10: parse error: unexpected end of input inside braces'],
    ['foo)', '1:4: parse error: unexpected right parenthesis \')\''],
    ['foo]', '1:4: parse error: unexpected right bracket \']\''],
    ['foo{a="b}', '1:7: parse error: unterminated quoted string'],
    ['1 > 2', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
    ['foo + bool bar', '1:5: parse error: bool modifier can only be used on comparison operators'],
    ['rate(foo)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
    ['rate()', '1:1: parse error: expected 1 argument(s) in call to "rate", got 0'],
    ['sum(foo[5m])', '1:5: parse error: expected type instant vector in aggregation expression, got range vector'],
    ['{code=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['x{__name__="y"}', '1:1: parse error: metric name must not be set twice: "x" or "y"'],
    ['(foo)[5m]', '1:6: parse error: ranges only allowed for vector selectors'],
    ['foo offset 5m [10m]', '1:15: parse error: no offset modifiers allowed before range'],
    ['sum(foo) offset 5m', '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery'],
    ['foo and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
    ['-foo[5m]', '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"'],
    ['nope(foo)', '1:1: parse error: unknown function with name "nope"'],
    ['foo\n  + bar\n  + (1 > 2)', '3:8: parse error: comparisons between scalars must use BOOL modifier'],
    // generated_parser.y grouping_label_list / grouping_label error productions (checked against 3.15's parser).
    ['sum by (a b) (x)', '1:11: parse error: unexpected identifier "b" in grouping opts, expected "," or ")"'],
    ['a - on() group_right (b{x="y"})', '1:24: parse error: unexpected "{" in grouping opts, expected "," or ")"'],
    ['sum by (a, 1) (x)', '1:12: parse error: unexpected number "1" in grouping opts, expected label'],
    ['a + on(x,,y) b', '1:10: parse error: unexpected "," in grouping opts, expected label'],
    ['a atan2 ignoring(kind) group_right (max(b) by (job))', '1:40: parse error: unexpected "(" in grouping opts, expected "," or ")"'],
    ['a > bool on() group_left (-1) / b', '1:27: parse error: unexpected <op:-> in grouping opts, expected label'],
  ])('%j', (q, msg) => {
    const e = errorOf(q);
    expect(e.message).toBe(msg);
    expect(e.kind).toBe('parse');
  });

  it('carries the position', () => {
    const e = errorOf('foo +\n  rate(bar)');
    expect(e.position).toEqual({ line: 2, column: 8, offset: 13 });
  });

  it('refuses unimplemented constructs by name, with a position', () => {
    const e = errorOf('sum(rate(x[5m])) + histogram_count(x)');
    expect(e.kind).toBe('unsupported');
    expect(e.message).toBe('1:20: function "histogram_count" is not supported by rehearse yet');
    expect(errorOf('holt_winters(x[5m], 0.1, 0.2)', 2).message).toBe('1:1: function "holt_winters" is not supported by rehearse yet');
    expect(errorOf('limitk(2, x)').message).toBe('1:1: aggregation "limitk" is not supported by rehearse yet');
    expect(errorOf('sum(x) + histogram_sum(x)').message).toBe('1:10: function "histogram_sum" is not supported by rehearse yet');
    expect(errorOf('x[5m+1m]').kind).toBe('unsupported');
  });

  it('words an empty query as each version does', () => {
    expect(errorOf('', 2).message).toBe('1:1: parse error: no expression found in input');
    expect(errorOf('', 3).message).toBe('unknown position: parse error: no expression found in input');
  });

  it('follows the version syntax', () => {
    expect(errorOf('foo[10]', 2).message).toBe('1:5: parse error: missing unit character in duration');
    expect(compileQuery('foo[10]', { prometheusVersion: 3 }).resultType).toBe('matrix');
    expect(errorOf('{"my.metric"}', 2).kind).toBe('parse');
    expect(compileQuery('{"my.metric"}').resultType).toBe('vector');
    expect(errorOf('first_over_time(x[5m])', 2).message).toBe('1:1: parse error: unknown function with name "first_over_time"');
  });
});

describe('AST shape', () => {
  it('gives offset and ranges Prometheus precedence', () => {
    const q = compileQuery('a - b offset 1m');
    expect(q.expr.kind).toBe('binary');
    if (q.expr.kind !== 'binary') return;
    expect(q.expr.lhs.kind === 'vectorSelector' && q.expr.lhs.offsetMs).toBe(0);
    expect(q.expr.rhs.kind === 'vectorSelector' && q.expr.rhs.offsetMs).toBe(60_000);
  });

  it('reports result types', () => {
    expect(compileQuery('1 + 1').resultType).toBe('scalar');
    expect(compileQuery('"text"').resultType).toBe('string');
    expect(compileQuery('foo[5m]').resultType).toBe('matrix');
    expect(compileQuery('sum(foo)').resultType).toBe('vector');
  });

  it('lists selectors with positions', () => {
    const q = compileQuery('sum(rate(a{x="1"}[5m])) /\n sum(rate(b[5m]))');
    expect(q.selectors).toEqual([
      { text: 'a{x="1"}', position: { line: 1, column: 10, offset: 9 } },
      { text: 'b', position: { line: 2, column: 11, offset: 36 } },
    ]);
  });
});

describe('function table', () => {
  it('has an implementation for every implemented entry and no others', () => {
    const implemented = [...FUNCTIONS.values()].filter((f) => f.implemented).map((f) => f.name).sort();
    expect([...IMPLEMENTED_FUNCTIONS].sort()).toEqual(implemented);
  });

  it('knows version-specific functions', () => {
    expect(lookupFunction('holt_winters', 2)?.argTypes).toEqual(['matrix', 'scalar', 'scalar']);
    expect(lookupFunction('holt_winters', 3)).toBeUndefined();
    expect(lookupFunction('rate', 3)?.implemented).toBe(true);
  });
});
