// A pure runner for Prometheus' PromQL test-script format (`promql/promqltest/testdata/*.test`,
// documented in `promql/promqltest/README.md`; series notation from
// `promql/parser/generated_parser.y: series_description` and `lex.go: lexValueSequence`).
//
// Supported commands:
//   load <interval>                  series lines follow: `metric{l="v"} 1+1x5 _ stale _x2 3`
//   clear                            empty the store
//   eval instant at <time> <expr>    expected lines follow: `{l="v"} 1`, `metric{...} 2`, or a bare
//                                    number for a scalar result; no lines = empty result
//   eval_ordered instant at ...      as eval, but the order of samples must match
//   eval_fail instant at ...         evaluation must fail; optional next line
//                                    `expected_fail_message <text>` or `expected_fail_regexp <re>`
//   eval_warn / eval_info            treated as eval (annotations are not compared)
//   eval range from <t> to <t> step <d> <expr>
//                                    a range query; expected lines are series with one slot per
//                                    step in the series notation (`{l="v"} 1+1x4`, `_` = no point),
//                                    compared after sorting by labels (also eval_fail range ...)
// A case whose query uses a construct rehearse refuses (PromqlError kind 'unsupported') is
// reported as skipped, not failed, unless it is an eval_fail.
// rehearse extensions (not in Prometheus):
//   eval_exact instant at ...        as eval, values compared bit-exactly (-0 equals 0, NaN equals NaN)
//   version 2 | version 3            Prometheus semantics for the following evals
// Lines starting with `#` are comments. Values compare with relative tolerance 1e-12 (NaN
// equals NaN), as `util/almost.Equal` with `defaultEpsilon` in Prometheus' test runner.

import { almostEqual } from './almost.js';
import { Labels, SeriesStore } from '../store.js';
import { PromqlError } from './errors.js';
import { formatPromValue } from './format.js';
import { compileQuery, evaluateInstant, evaluateRange, type QueryResult } from './index.js';
import { parseDuration, parseNumber, unquoteString } from './literals.js';

export interface PromqlTestOptions {
  /** Default Prometheus semantics (default 3); a `version` line overrides it. */
  readonly prometheusVersion?: 2 | 3;
  /** Compare all values bit-exactly. */
  readonly exact?: boolean;
  readonly lookbackDeltaMs?: number;
}

export interface PromqlTestCase {
  /** 1-based line of the eval command. */
  readonly line: number;
  readonly command: string;
  readonly query: string;
  /** Evaluation time (instant) or range start (range), ms. */
  readonly timeMs: number;
  /** Set for `eval range`. */
  readonly range?: { readonly endMs: number; readonly stepMs: number };
  readonly prometheusVersion: 2 | 3;
  readonly passed: boolean;
  /** The query uses a construct rehearse refuses; neither passed nor failed. */
  readonly skipped?: boolean;
  readonly expected: readonly string[];
  readonly actual: readonly string[];
  /** Why it failed (or the error text for eval_fail). */
  readonly message: string | undefined;
}

export interface PromqlTestReport {
  readonly cases: readonly PromqlTestCase[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Script problems (bad load lines, unknown commands): each makes the script fail. */
  readonly errors: readonly { readonly line: number; readonly message: string }[];
}

function exactEqual(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** One slot of an expanded series: a value, a stale marker, or nothing. */
export type SeriesSlot = { kind: 'value'; value: number } | { kind: 'stale' } | { kind: 'empty' };

const NUM = String.raw`(?:[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+\.|[iI][nN][fF]|[nN][aA][nN])`;
const ITEM_RE = new RegExp(String.raw`^([+-]?${NUM})(?:([+-])(${NUM}))?(?:x([0-9]+))?$`);

/**
 * Expands the value part of a series line (reference §3.2): `a`, `a+bxN`, `a-bxN`, `axN`, `_`,
 * `_xN`, `stale`. Increments accumulate by repeated addition, as Prometheus does.
 */
export function expandSeriesValues(text: string): SeriesSlot[] | string {
  const out: SeriesSlot[] = [];
  for (const item of text.trim().split(/\s+/)) {
    if (item === '') continue;
    if (item === '_') {
      out.push({ kind: 'empty' });
      continue;
    }
    const blank = /^_x([0-9]+)$/.exec(item);
    if (blank !== null) {
      for (let i = 0; i < Number(blank[1]); i++) out.push({ kind: 'empty' });
      continue;
    }
    if (item === 'stale') {
      out.push({ kind: 'stale' });
      continue;
    }
    const m = ITEM_RE.exec(item);
    if (m === null) return `invalid series value ${JSON.stringify(item)}`;
    const a = parseNumber(m[1] as string);
    if (!a.ok) return a.error;
    let inc = 0;
    if (m[3] !== undefined) {
      const b = parseNumber(m[3]);
      if (!b.ok) return b.error;
      inc = m[2] === '-' ? -b.value : b.value;
    }
    if (m[4] === undefined) {
      if (m[3] !== undefined) return `invalid series value ${JSON.stringify(item)} (missing xN)`;
      out.push({ kind: 'value', value: a.value });
      continue;
    }
    let v = a.value;
    out.push({ kind: 'value', value: v });
    const times = Number(m[4]);
    for (let i = 0; i < times; i++) {
      v += inc;
      out.push({ kind: 'value', value: v });
    }
  }
  return out;
}

/** Parses `metric{a="b", c='d'}` or `{...}` into labels; returns the rest of the line too. */
export function parseSeriesDescription(text: string): { labels: Labels; rest: string } | string {
  let i = 0;
  const s = text.trim();
  const rec: Record<string, string> = {};
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(s);
  if (nameMatch !== null) {
    rec['__name__'] = nameMatch[0];
    i = nameMatch[0].length;
  }
  if (s[i] === '{') {
    i++;
    for (;;) {
      while (s[i] === ' ' || s[i] === ',') i++;
      if (s[i] === '}') {
        i++;
        break;
      }
      const ln = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
      if (ln === null) return `invalid label name at ${JSON.stringify(s.slice(i))}`;
      i += ln[0].length;
      while (s[i] === ' ') i++;
      if (s[i] !== '=') return `expected "=" after label ${ln[0]}`;
      i++;
      while (s[i] === ' ') i++;
      const q = s[i];
      if (q !== '"' && q !== "'" && q !== '`') return `expected a quoted value for label ${ln[0]}`;
      let j = i + 1;
      while (j < s.length && s[j] !== q) j += s[j] === '\\' && q !== '`' ? 2 : 1;
      if (j >= s.length) return 'unterminated quoted string';
      const v = unquoteString(s.slice(i, j + 1));
      if (!v.ok) return v.error;
      rec[ln[0]] = v.value;
      i = j + 1;
    }
  } else if (nameMatch === null) {
    return `invalid series description ${JSON.stringify(s)}`;
  }
  return { labels: Labels.from(rec), rest: s.slice(i) };
}

function describe(labels: Labels, value: number): string {
  return `${labels.toString()} ${formatPromValue(value)}`;
}

function resultLines(r: QueryResult): string[] {
  switch (r.resultType) {
    case 'scalar':
      return [formatPromValue(r.value)];
    case 'string':
      return [JSON.stringify(r.value)];
    case 'vector':
      return r.samples.map((s) => describe(Labels.from(s.labels), s.value));
    case 'matrix':
      return r.series.map((s) => `${Labels.from(s.labels).toString()} ${s.points.map((p) => formatPromValue(p.value)).join(' ')}`);
  }
}

interface Expected {
  readonly labels: Labels | undefined; // undefined: a bare scalar
  readonly value: number;
  readonly text: string;
}

const EVAL_RE = /^(eval|eval_ordered|eval_fail|eval_warn|eval_info|eval_exact)\s+instant\s+at\s+(\S+)\s+(.+)$/;
const EVAL_RANGE_RE = /^(eval|eval_fail|eval_warn|eval_info|eval_exact)\s+range\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)\s+(.+)$/;

/**
 * Loads a series file: `load <interval>` blocks in the test-script notation (and `clear`, comments,
 * blank lines). Anything else is reported as an error with its 1-based line.
 */
export function loadSeriesScript(script: string): { store: SeriesStore; errors: { line: number; message: string }[] } {
  const report = runPromqlTestInternal(script, {}, true);
  return { store: report.store, errors: [...report.errors] };
}

/** Runs a whole script. Never throws for script or query problems; they are reported. */
export function runPromqlTest(script: string, opts: PromqlTestOptions = {}): PromqlTestReport {
  const { store: _store, ...report } = runPromqlTestInternal(script, opts, false);
  void _store;
  return report;
}

function runPromqlTestInternal(script: string, opts: PromqlTestOptions, loadOnly: boolean): PromqlTestReport & { store: SeriesStore } {
  const lines = script.split('\n');
  const cases: PromqlTestCase[] = [];
  const errors: { line: number; message: string }[] = [];
  let store = new SeriesStore();
  let version: 2 | 3 = opts.prometheusVersion ?? 3;
  let i = 0;
  const isBlank = (l: string | undefined): boolean => l === undefined || l.trim() === '';
  while (i < lines.length) {
    const raw = lines[i] as string;
    const line = raw.trim();
    const lineNo = i + 1;
    i++;
    if (line === '' || line.startsWith('#')) continue;
    if (line === 'clear') {
      store = new SeriesStore();
      continue;
    }
    const ver = /^version\s+([23])$/.exec(line);
    if (ver !== null) {
      version = ver[1] === '2' ? 2 : 3;
      continue;
    }
    const load = /^load\s+(\S+)$/.exec(line);
    if (load !== null) {
      const interval = parseDuration(load[1] as string);
      if (!interval.ok) errors.push({ line: lineNo, message: `bad load interval: ${interval.error}` });
      while (!isBlank(lines[i]) && !(lines[i] as string).trim().startsWith('#')) {
        const sLineNo = i + 1;
        const sl = lines[i] as string;
        i++;
        if (!interval.ok) continue;
        const desc = parseSeriesDescription(sl);
        if (typeof desc === 'string') {
          errors.push({ line: sLineNo, message: desc });
          continue;
        }
        const slots = expandSeriesValues(desc.rest);
        if (typeof slots === 'string') {
          errors.push({ line: sLineNo, message: slots });
          continue;
        }
        const h = store.series(desc.labels);
        try {
          slots.forEach((slot, k) => {
            const t = k * interval.value;
            if (slot.kind === 'value') h.append(t, slot.value);
            else if (slot.kind === 'stale') h.appendStale(t);
          });
        } catch (e) {
          errors.push({ line: sLineNo, message: e instanceof Error ? e.message : String(e) });
        }
      }
      continue;
    }
    if (loadOnly) {
      errors.push({ line: lineNo, message: `expected "load <interval>" and series lines, got ${JSON.stringify(line)}` });
      continue;
    }
    const ev = EVAL_RE.exec(line);
    const evr = ev === null ? EVAL_RANGE_RE.exec(line) : null;
    if (ev === null && evr === null) {
      errors.push({ line: lineNo, message: `unknown command ${JSON.stringify(line)}` });
      continue;
    }
    const command = ((ev ?? evr) as RegExpExecArray)[1] as string;
    const at = parseDuration(((ev ?? evr) as RegExpExecArray)[2] as string);
    const query = (ev !== null ? ev[3] : (evr as RegExpExecArray)[5]) as string;
    let range: { endMs: number; stepMs: number } | undefined;
    if (evr !== null) {
      const end = parseDuration(evr[3] as string);
      const step = parseDuration(evr[4] as string);
      if (!end.ok || !step.ok) {
        errors.push({ line: lineNo, message: `bad range: ${!end.ok ? end.error : !step.ok ? step.error : ''}` });
        continue;
      }
      range = { endMs: end.value, stepMs: step.value };
    }
    // Expected lines up to the next blank line or command.
    const expectedText: { text: string; line: number }[] = [];
    while (!isBlank(lines[i])) {
      const t = (lines[i] as string).trim();
      if (t.startsWith('#')) {
        i++;
        continue;
      }
      expectedText.push({ text: t, line: i + 1 });
      i++;
    }
    if (!at.ok) {
      errors.push({ line: lineNo, message: `bad eval time: ${at.error}` });
      continue;
    }
    cases.push(
      range === undefined
        ? runCase(command, query, at.value, expectedText, lineNo, store, version, opts)
        : runRangeCase(command, query, at.value, range, expectedText, lineNo, store, version, opts),
    );
  }
  const passed = cases.filter((c) => c.passed).length;
  const skipped = cases.filter((c) => c.skipped === true).length;
  return { cases, passed, failed: cases.length - passed - skipped, skipped, errors, store };
}

function runCase(
  command: string,
  query: string,
  timeMs: number,
  expectedText: { text: string; line: number }[],
  line: number,
  store: SeriesStore,
  version: 2 | 3,
  opts: PromqlTestOptions,
): PromqlTestCase {
  const base = { line, command, query, timeMs, prometheusVersion: version };
  let result: QueryResult | undefined;
  let error: PromqlError | Error | undefined;
  try {
    const q = compileQuery(query, { prometheusVersion: version });
    result = evaluateInstant(q, store, timeMs, { prometheusVersion: version, lookbackDeltaMs: opts.lookbackDeltaMs });
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
  }

  if (command === 'eval_fail') return checkFailure(base, expectedText, error, result ? resultLines(result) : []);

  if (error instanceof PromqlError && error.kind === 'unsupported') {
    return { ...base, passed: false, skipped: true, expected: expectedText.map((e) => e.text), actual: [error.message], message: `skipped: ${error.message}` };
  }
  const expected: Expected[] = [];
  for (const e of expectedText) {
    const bare = parseNumber(e.text);
    if (bare.ok && !/[{}]/.test(e.text)) {
      expected.push({ labels: undefined, value: bare.value, text: e.text });
      continue;
    }
    const desc = parseSeriesDescription(e.text);
    if (typeof desc === 'string') {
      return { ...base, passed: false, expected: expectedText.map((x) => x.text), actual: [], message: `line ${e.line}: ${desc}` };
    }
    const slots = expandSeriesValues(desc.rest);
    const slot = typeof slots === 'string' ? undefined : slots[0];
    if (typeof slots === 'string' || slots.length !== 1 || slot === undefined || slot.kind !== 'value') {
      return { ...base, passed: false, expected: expectedText.map((x) => x.text), actual: [], message: `line ${e.line}: expected exactly one value` };
    }
    expected.push({ labels: desc.labels, value: slot.value, text: e.text });
  }
  const expectedLines = expected.map((e) => (e.labels === undefined ? formatPromValue(e.value) : describe(e.labels, e.value)));
  if (error !== undefined || result === undefined) {
    return { ...base, passed: false, expected: expectedLines, actual: [], message: `unexpected error: ${error?.message ?? 'no result'}` };
  }
  const actual = resultLines(result);
  const eq = command === 'eval_exact' || opts.exact === true ? exactEqual : (a: number, b: number) => almostEqual(a, b);
  const mismatch = compare(result, expected, command === 'eval_ordered', eq);
  return { ...base, passed: mismatch === undefined, expected: expectedLines, actual, message: mismatch };
}

function compare(
  result: QueryResult,
  expected: Expected[],
  ordered: boolean,
  eq: (a: number, b: number) => boolean,
): string | undefined {
  if (result.resultType === 'scalar') {
    const e = expected[0];
    if (expected.length !== 1 || e === undefined || e.labels !== undefined) return 'got a scalar, expected a vector';
    return eq(result.value, e.value) ? undefined : `expected scalar ${formatPromValue(e.value)}, got ${formatPromValue(result.value)}`;
  }
  if (result.resultType !== 'vector') return `result type ${result.resultType} cannot be compared in tests`;
  if (expected.some((e) => e.labels === undefined)) return 'got a vector, expected a scalar';
  if (result.samples.length !== expected.length) {
    return `expected ${expected.length} sample(s), got ${result.samples.length}`;
  }
  const actual = result.samples.map((s) => ({ labels: Labels.from(s.labels), value: s.value }));
  if (ordered) {
    for (let k = 0; k < actual.length; k++) {
      const a = actual[k] as { labels: Labels; value: number };
      const e = expected[k] as Expected;
      if (a.labels.key !== (e.labels as Labels).key) return `sample ${k}: expected ${e.text}, got ${describe(a.labels, a.value)}`;
      if (!eq(a.value, e.value)) return `sample ${k}: expected ${e.text}, got ${describe(a.labels, a.value)}`;
    }
    return undefined;
  }
  const byKey = new Map(actual.map((a) => [a.labels.key, a]));
  for (const e of expected) {
    const a = byKey.get((e.labels as Labels).key);
    if (a === undefined) return `missing ${e.text}`;
    if (!eq(a.value, e.value)) return `expected ${e.text}, got ${describe(a.labels, a.value)}`;
  }
  return undefined;
}

function checkFailure(
  base: Omit<PromqlTestCase, 'passed' | 'expected' | 'actual' | 'message'>,
  expectedText: { text: string; line: number }[],
  error: Error | undefined,
  actualLines: string[],
): PromqlTestCase {
  const expectedLines = expectedText.map((e) => e.text);
  if (error === undefined) return { ...base, passed: false, expected: expectedLines, actual: actualLines, message: 'expected an error, got a result' };
  if (!(error instanceof PromqlError)) return { ...base, passed: false, expected: expectedLines, actual: [], message: `non-PromQL error: ${error.message}` };
  for (const e of expectedText) {
    const msg = /^expected_fail_message\s+(.*)$/.exec(e.text);
    const re = /^expected_fail_regexp\s+(.*)$/.exec(e.text);
    if (msg !== null && error.message !== msg[1] && error.detail !== msg[1]) {
      return { ...base, passed: false, expected: expectedLines, actual: [error.message], message: `error message mismatch: ${error.message}` };
    }
    if (re !== null && !new RegExp(re[1] as string).test(error.message)) {
      return { ...base, passed: false, expected: expectedLines, actual: [error.message], message: `error message does not match: ${error.message}` };
    }
  }
  return { ...base, passed: true, expected: expectedLines, actual: [error.message], message: error.message };
}

/** `eval range from <start> to <end> step <step> <expr>` (promqltest `evalCmd` with a range). */
function runRangeCase(
  command: string,
  query: string,
  startMs: number,
  range: { endMs: number; stepMs: number },
  expectedText: { text: string; line: number }[],
  line: number,
  store: SeriesStore,
  version: 2 | 3,
  opts: PromqlTestOptions,
): PromqlTestCase {
  const base = { line, command, query, timeMs: startMs, range, prometheusVersion: version };
  let result: ReturnType<typeof evaluateRange> | undefined;
  let error: Error | undefined;
  try {
    const q = compileQuery(query, { prometheusVersion: version });
    result = evaluateRange(q, store, startMs, range.endMs, range.stepMs, { prometheusVersion: version, lookbackDeltaMs: opts.lookbackDeltaMs });
  } catch (e) {
    error = e instanceof Error ? e : new Error(String(e));
  }
  const steps: number[] = [];
  for (let t = startMs; t <= range.endMs; t += range.stepMs) steps.push(t);
  const rowText = (labels: Labels, byT: Map<number, number>): string =>
    `${labels.toString()} ${steps.map((t) => (byT.has(t) ? formatPromValue(byT.get(t) as number) : '_')).join(' ')}`;
  const actualLines =
    result === undefined ? [] : result.series.map((s) => rowText(Labels.from(s.labels), new Map(s.points.map((p) => [p.t, p.value]))));
  if (command === 'eval_fail') return checkFailure(base, expectedText, error, actualLines);
  if (error instanceof PromqlError && error.kind === 'unsupported') {
    return { ...base, passed: false, skipped: true, expected: expectedText.map((e) => e.text), actual: [error.message], message: `skipped: ${error.message}` };
  }
  const expected: { labels: Labels; slots: SeriesSlot[]; text: string }[] = [];
  for (const e of expectedText) {
    const desc = parseSeriesDescription(e.text);
    const slots = typeof desc === 'string' ? desc : expandSeriesValues(desc.rest);
    if (typeof desc === 'string' || typeof slots === 'string') {
      return { ...base, passed: false, expected: expectedText.map((x) => x.text), actual: actualLines, message: `line ${e.line}: ${typeof desc === 'string' ? desc : (slots as string)}` };
    }
    expected.push({ labels: desc.labels, slots, text: e.text });
  }
  const expectedLines = expected.map((e) => {
    const byT = new Map<number, number>();
    e.slots.forEach((slot, i) => {
      if (slot.kind === 'value' && i < steps.length) byT.set(steps[i] as number, slot.value);
    });
    return rowText(e.labels, byT);
  });
  if (error !== undefined || result === undefined) {
    return { ...base, passed: false, expected: expectedLines, actual: [], message: `unexpected error: ${error?.message ?? 'no result'}` };
  }
  const eq = command === 'eval_exact' || opts.exact === true ? exactEqual : (a: number, b: number) => almostEqual(a, b);
  let mismatch: string | undefined;
  if (result.series.length !== expected.length) mismatch = `expected ${expected.length} series, got ${result.series.length}`;
  const byKey = new Map(result.series.map((s) => [Labels.from(s.labels).key, s]));
  for (const e of expected) {
    if (mismatch !== undefined) break;
    if (e.slots.length !== steps.length) {
      mismatch = `${e.text}: ${e.slots.length} slot(s) for ${steps.length} step(s)`;
      break;
    }
    const a = byKey.get(e.labels.key);
    if (a === undefined) {
      mismatch = `missing series ${e.labels.toString()}`;
      break;
    }
    const byT = new Map(a.points.map((p) => [p.t, p.value]));
    for (let i = 0; i < steps.length; i++) {
      const slot = e.slots[i] as SeriesSlot;
      const t = steps[i] as number;
      const got = byT.get(t);
      if (slot.kind !== 'value') {
        if (got !== undefined) mismatch = `${e.labels.toString()} at ${t / 1000}s: expected no point, got ${formatPromValue(got)}`;
      } else if (got === undefined) {
        mismatch = `${e.labels.toString()} at ${t / 1000}s: expected ${formatPromValue(slot.value)}, got no point`;
      } else if (!eq(got, slot.value)) {
        mismatch = `${e.labels.toString()} at ${t / 1000}s: expected ${formatPromValue(slot.value)}, got ${formatPromValue(got)}`;
      }
      if (mismatch !== undefined) break;
    }
  }
  return { ...base, passed: mismatch === undefined, expected: expectedLines, actual: actualLines, message: mismatch };
}
