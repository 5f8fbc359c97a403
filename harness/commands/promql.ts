// `rehearse promql test FILE...` runs PromQL test scripts (Prometheus' `promql/promqltest` format,
// see sim/metrics/promql/promqltest.ts) and `rehearse promql query` evaluates one query against
// series written in the same notation, printing Prometheus' HTTP API JSON (`data` part).
// Exit codes: 0 ok, 1 a test case failed, 2 unreadable file, script syntax error, or a query error.
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { formatDiagnostic } from '../../sim/diagnostics.js';
import { compileQuery, evaluateInstant, PromqlError, type QueryResult } from '../../sim/metrics/promql/index.js';
import {
  formatPromScalar,
  formatPromTimestamp,
  formatPromValue,
  formatScalarTimestamp,
} from '../../sim/metrics/promql/format.js';
import { parseDuration } from '../../sim/metrics/promql/literals.js';
import { loadSeriesScript, runPromqlTest, type PromqlTestCase } from '../../sim/metrics/promql/promqltest.js';
import { usageError, type RehearseCommand } from './common.js';

function versionOf(v: number | undefined): 2 | 3 {
  if (v === undefined) return 3;
  if (v !== 2 && v !== 3) usageError(`--prometheus-version: expected 2 or 3, got ${v}.`);
  return v;
}

function readText(file: string): string | Error {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

function errorLine(file: string, line: number, message: string): string {
  return formatDiagnostic({ severity: 'error', file, line, column: line > 0 ? 1 : 0, field: '', message });
}

function caseTime(c: PromqlTestCase): string {
  const s = (ms: number): string => `${ms / 1000}s`;
  return c.range === undefined ? `at ${s(c.timeMs)}` : `from ${s(c.timeMs)} to ${s(c.range.endMs)} step ${s(c.range.stepMs)}`;
}

interface TestArgs {
  files: string[];
  prometheusVersion?: number;
  json: boolean;
}

function testCommand(argv: TestArgs): number {
  const version = versionOf(argv.prometheusVersion);
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let inputProblem = false;
  const out: string[] = [];
  const json: unknown[] = [];
  for (const file of argv.files) {
    const text = readText(file);
    if (text instanceof Error) {
      process.stderr.write(errorLine(file, 0, `cannot read the file: ${text.message}`) + '\n');
      json.push({ file, error: text.message, cases: [] });
      inputProblem = true;
      continue;
    }
    const report = runPromqlTest(text, { prometheusVersion: version });
    for (const e of report.errors) process.stderr.write(errorLine(file, e.line, e.message) + '\n');
    if (report.errors.length > 0) inputProblem = true;
    passed += report.passed;
    failed += report.failed;
    skipped += report.skipped;
    for (const c of report.cases) {
      if (c.passed || c.skipped === true) continue;
      out.push(
        `FAIL ${file}:${c.line}: ${c.command} ${c.range === undefined ? 'instant' : 'range'} ${caseTime(c)} (Prometheus ${c.prometheusVersion})`,
        `  query:    ${c.query}`,
        ...(c.message !== undefined ? [`  problem:  ${c.message}`] : []),
        '  expected:',
        ...(c.expected.length === 0 ? ['    (nothing)'] : c.expected.map((l) => `    ${l}`)),
        '  actual:',
        ...(c.actual.length === 0 ? ['    (nothing)'] : c.actual.map((l) => `    ${l}`)),
      );
    }
    json.push({
      file,
      errors: report.errors,
      cases: report.cases.map((c) => ({
        file,
        line: c.line,
        command: c.command,
        query: c.query,
        timeMs: c.timeMs,
        ...(c.range !== undefined ? { endMs: c.range.endMs, stepMs: c.range.stepMs } : {}),
        prometheusVersion: c.prometheusVersion,
        status: c.skipped === true ? 'skipped' : c.passed ? 'passed' : 'failed',
        expected: c.expected,
        actual: c.actual,
        ...(c.message !== undefined ? { message: c.message } : {}),
      })),
    });
  }
  const summary = `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
  if (argv.json) {
    process.stdout.write(JSON.stringify({ files: json, passed, failed, skipped }, null, 2) + '\n');
  } else {
    process.stdout.write([...out, summary].join('\n') + '\n');
  }
  if (inputProblem) return 2;
  return failed > 0 ? 1 : 0;
}

interface QueryArgs {
  expr: string;
  series: string;
  at: string;
  prometheusVersion?: number;
}

/** `--at`: a duration from 0 (`5m`) or Unix seconds (rounded to ms, as the HTTP API's parseTime). */
function parseAt(text: string): number {
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return Math.round(Number(text) * 1000);
  const d = parseDuration(text);
  if (!d.ok) usageError(`--at: expected a duration such as "5m" or Unix seconds, got "${text}".`);
  return d.value;
}

/** Prometheus' JSON label object: keys in label order (written by hand: JS would put integer-like keys first). */
function metricJson(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k])}`).join(',')}}`;
}

/** The `data` object of `/api/v1/query` (reference §4.3 encodings). */
export function queryResultJson(r: QueryResult, timeMs: number): string {
  switch (r.resultType) {
    case 'scalar':
      return `{"resultType":"scalar","result":[${formatScalarTimestamp(timeMs)},${JSON.stringify(formatPromScalar(r.value))}]}`;
    case 'string':
      return `{"resultType":"string","result":[${formatScalarTimestamp(timeMs)},${JSON.stringify(r.value)}]}`;
    case 'vector':
      return `{"resultType":"vector","result":[${r.samples
        .map((s) => `{"metric":${metricJson(s.labels)},"value":[${formatPromTimestamp(timeMs)},${JSON.stringify(formatPromValue(s.value))}]}`)
        .join(',')}]}`;
    case 'matrix':
      return `{"resultType":"matrix","result":[${r.series
        .map(
          (s) =>
            `{"metric":${metricJson(s.labels)},"values":[${s.points
              .map((p) => `[${formatPromTimestamp(p.t)},${JSON.stringify(formatPromValue(p.value))}]`)
              .join(',')}]}`,
        )
        .join(',')}]}`;
  }
}

function queryCommand(argv: QueryArgs): number {
  const version = versionOf(argv.prometheusVersion);
  const timeMs = parseAt(argv.at);
  const text = readText(argv.series);
  if (text instanceof Error) {
    process.stderr.write(errorLine(argv.series, 0, `cannot read the file: ${text.message}`) + '\n');
    return 2;
  }
  const loaded = loadSeriesScript(text);
  if (loaded.errors.length > 0) {
    for (const e of loaded.errors) process.stderr.write(errorLine(argv.series, e.line, e.message) + '\n');
    return 2;
  }
  try {
    const q = compileQuery(argv.expr, { prometheusVersion: version });
    const r = evaluateInstant(q, loaded.store, timeMs, { prometheusVersion: version });
    process.stdout.write(queryResultJson(r, timeMs) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof PromqlError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

export const promqlCommandModule: RehearseCommand = (ctx) => ({
  command: 'promql <command>',
  describe: 'Run PromQL test scripts, or evaluate one query on series you write down',
  builder: (y: Argv) =>
    y
      .command({
        command: 'test <files..>',
        describe: "Run PromQL test scripts (Prometheus' promqltest format: load / eval instant|range)",
        builder: (yy: Argv) =>
          yy
            .positional('files', { type: 'string', array: true, describe: 'test script files' })
            .option('prometheus-version', { type: 'number', describe: 'PromQL semantics: 2 or 3 (default 3; a `version` line in a script overrides it)' })
            .option('json', { type: 'boolean', default: false, describe: 'print per-case results as JSON' }),
        handler: (args) => ctx.setExitCode(testCommand(args as unknown as TestArgs)),
      })
      .command({
        command: 'query <expr>',
        describe: 'Evaluate one instant query; prints the result as Prometheus /api/v1/query data',
        builder: (yy: Argv) =>
          yy
            .positional('expr', { type: 'string', describe: 'the PromQL expression' })
            .option('series', { type: 'string', demandOption: true, describe: 'file with `load <interval>` blocks of series lines' })
            .option('at', { type: 'string', demandOption: true, describe: 'evaluation time: a duration from 0 (5m) or Unix seconds' })
            .option('prometheus-version', { type: 'number', describe: 'PromQL semantics: 2 or 3 (default 3)' }),
        handler: (args) => ctx.setExitCode(queryCommand(args as unknown as QueryArgs)),
      })
      .demandCommand(1, 'name a promql command: test or query'),
  handler: () => undefined,
});
