// `rehearse promql test|query` as a user meets them: output, summary line and exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../helpers/cli.js';


afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'rehearse-promql-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const LOAD = `load 1m
  req{code="200",job="a"} 0+10x20
  req{code="500",job="a"} 0+1x20
`;

describe('rehearse promql test', () => {
  it('passes a good script and prints the summary line', async () => {
    const f = file(
      'good.test',
      `${LOAD}
eval instant at 10m sum(rate(req[5m]))
  {} 0.18333333333333335

eval range from 0 to 4m step 2m req{code="500"}
  req{code="500",job="a"} 0 2 4
`,
    );
    const r = await cli(['promql', 'test', f]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('2 passed, 0 failed\n');
    expect(r.code).toBe(0);
  });

  it('prints each failing case with file:line, query, expected and actual, and exits 1; counts skipped', async () => {
    const f = file(
      'bad.test',
      `${LOAD}
eval instant at 10m req{code="500"}
  req{code="500",job="a"} 11

eval instant at 10m limitk(1, req)
  req{code="200",job="a"} 100
`,
    );
    const r = await cli(['promql', 'test', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL ${f}:5: eval instant at 600s (Prometheus 3)`);
    expect(r.stdout).toContain('  query:    req{code="500"}');
    expect(r.stdout).toContain('    req{code="500", job="a"} 11');
    expect(r.stdout).toContain('    req{code="500", job="a"} 10');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed, 1 skipped');
  });

  it('follows --prometheus-version', async () => {
    // The v2 closed lookback window still sees the sample of 0s at exactly 5m; v3 does not.
    const f = file('ver.test', 'load 5m\n  g 1\n\neval instant at 5m g\n  g 1\n');
    expect((await cli(['promql', 'test', f, '--prometheus-version', '2'])).code).toBe(0);
    expect((await cli(['promql', 'test', f])).code).toBe(1);
    expect((await cli(['promql', 'test', f, '--prometheus-version', '4'])).code).toBe(2);
  });

  it('prints per-case JSON with --json', async () => {
    const f = file('json.test', `${LOAD}\neval instant at 1m req{code="500"}\n  req{code="500",job="a"} 1\n`);
    const r = await cli(['promql', 'test', f, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { passed: number; failed: number; files: { cases: { line: number; status: string }[] }[] };
    expect(j.passed).toBe(1);
    expect(j.files[0]?.cases[0]).toMatchObject({ line: 5, status: 'passed', query: 'req{code="500"}' });
  });

  it('exits 2 with file:line on script syntax errors and unreadable files', async () => {
    const f = file('syntax.test', 'load 1m\n  req{code="200"} 1 2 ?\n\nevaluate at 1m req\n');
    const r = await cli(['promql', 'test', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}:2:1: error:`);
    expect(r.stderr).toContain(`${f}:4:1: error: unknown command`);
    const missing = await cli(['promql', 'test', join(dir, 'nope.test')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.test: error: cannot read the file');
  });
});

describe('rehearse promql query', () => {
  const series = file('series.txt', LOAD);

  it('prints a vector in the HTTP API shape', async () => {
    const r = await cli(['promql', 'query', '--series', series, '--at', '10m', 'rate(req[5m])']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      resultType: 'vector',
      result: [
        // 3.x: the left-open window (300s, 600s] holds 5 samples; 40 * ((240+60+0)/240/300).
        { metric: { code: '200', job: 'a' }, value: [600, '0.16666666666666666'] },
        { metric: { code: '500', job: 'a' }, value: [600, '0.016666666666666666'] },
      ],
    });
  });

  it('uses the two timestamp encodings (A for vectors, B for scalars) and Unix seconds for --at', async () => {
    const v = await cli(['promql', 'query', '--series', series, '--at', '600.5', 'sum(req)']);
    expect(v.stdout).toBe('{"resultType":"vector","result":[{"metric":{},"value":[600.500,"110"]}]}\n');
    const s = await cli(['promql', 'query', '--series', series, '--at', '600.25', 'scalar(sum(req)) / 1e22']);
    expect(s.stdout).toBe('{"resultType":"scalar","result":[600.25,"0.000000000000000000011"]}\n');
  });

  it('prints a matrix for a range selector, with @', async () => {
    const r = await cli(['promql', 'query', '--series', series, '--at', '10m', 'req{code="500"}[2m] @ 120']);
    // 3.x: left-open window (0s, 120s].
    expect(r.stdout).toBe('{"resultType":"matrix","result":[{"metric":{"__name__":"req","code":"500","job":"a"},"values":[[60,"1"],[120,"2"]]}]}\n');
    // 2.42: closed window [0s, 120s].
    const r2 = await cli(['promql', 'query', '--series', series, '--at', '10m', '--prometheus-version', '2', 'req{code="500"}[2m] @ 120']);
    expect(r2.stdout).toBe('{"resultType":"matrix","result":[{"metric":{"__name__":"req","code":"500","job":"a"},"values":[[0,"0"],[60,"1"],[120,"2"]]}]}\n');
  });

  it('exits 2 with the Prometheus-style message on parse and execution errors', async () => {
    const p = await cli(['promql', 'query', '--series', series, '--at', '10m', 'rate(req[5m]']);
    expect(p.code).toBe(2);
    expect(p.stderr).toBe('1:13: parse error: unclosed left parenthesis\n');
    const e = await cli(['promql', 'query', '--series', series, '--at', '10m', 'req / on(job) req']);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('many-to-many matching not allowed');
    const u = await cli(['promql', 'query', '--series', series, '--at', '10m', 'histogram_count(req)']);
    expect(u.code).toBe(2);
    expect(u.stderr).toBe('1:1: function "histogram_count" is not supported by rehearse yet\n');
  });
});
