// Differential test of our PromQL evaluator against real Prometheus servers (2.42 from Debian and
// 3.x built from the pinned Go module; see scripts/setup-differential.sh). Both servers are
// backfilled with the same seeded series (dataset.ts) that we load into our SeriesStore; a seeded
// corpus of queries (corpus.ts) is evaluated at seeded times on both sides and compared
// (helpers/compare.ts):
// * resultType, errors (both fail, same errorType; message differences are listed apart);
// * label sets in Prometheus' order, except for queries containing a construct whose output
//   order Prometheus leaves unspecified: histogram_quantile (groups come from a Go map),
//   subqueries (the inner range evaluation collects series in a Go map: engine.go rangeEval),
//   count_values (a map in 3.x), topk/bottomk and sort/sort_desc (ties are not ordered:
//   sort.Sort is not stable). Those are compared as sets of label sets;
// * values within 1e-12 relative, NaN equal to NaN.
// Two kinds of difference are reported as "indeterminate" instead of failing (see
// `indeterminate`): topk/bottomk choosing among tied series of an unordered input, and last-ulp
// differences of libm functions (exp, ln, trig, ^: V8's fdlibm ports vs Go's math package)
// amplified by %, rounding or comparisons, or turned into a label by count_values.
// Queries our compileQuery refuses as 'unsupported' are skipped and counted per construct.
//
// Runs only under vitest.differential.config.ts (REHEARSE_DIFFERENTIAL=1) and only for servers
// whose binaries are installed. Env: DIFF_PAIRS (query×time pairs per server, default 2000),
// DIFF_SEED, DIFF_TIMES_PER_QUERY (default 4), DIFF_CONCURRENCY (default 8), DIFF_REPORT_DIR
// (writes every mismatch as JSON there).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient } from '../../../harness/prometheus/client.js';
import { compileQuery, evaluateInstant, PromqlError, type CompiledQuery } from '../../../sim/metrics/promql/index.js';
import { RandomStream } from '../../../sim/engine/random.js';
import type { SeriesStore } from '../../../sim/metrics/store.js';
import { answerFromApi, answerFromError, difference, formatAnswer, ourAnswer, sameErrorMessage, type Answer } from '../helpers/compare.js';
import { findPrometheusBinaries, PrometheusServer, SETUP_HINT, type PrometheusBinaries } from '../../../harness/prometheus/realServer.js';
import { QueryGenerator } from './corpus.js';
import { generateDataset, toOpenMetrics, toSeriesStore, type Dataset } from './dataset.js';

const enabled = process.env['REHEARSE_DIFFERENTIAL'] === '1';
const PAIRS = Number(process.env['DIFF_PAIRS'] ?? 2000);
const SEED = process.env['DIFF_SEED'] ?? 'rehearse-differential-1';
const TIMES_PER_QUERY = Number(process.env['DIFF_TIMES_PER_QUERY'] ?? 4);
const CONCURRENCY = Number(process.env['DIFF_CONCURRENCY'] ?? 8);
const MAX_REPORTED = 20;

const binaries = enabled ? findPrometheusBinaries() : { found: [], missing: [] };
if (!enabled) {
  console.warn('[differential] skipped: run with `npx vitest run --config vitest.differential.config.ts` (npm run test:differential)');
} else if (binaries.missing.length > 0) {
  // CI sets DIFF_REQUIRE_BINARIES=1: there a missing server is a failure, never a silent skip.
  if (process.env['DIFF_REQUIRE_BINARIES'] === '1') {
    throw new Error(`Prometheus binaries missing for ${binaries.missing.join(', ')}: ${SETUP_HINT}`);
  }
  console.warn(`[differential] Prometheus binaries missing for ${binaries.missing.join(', ')}: ${SETUP_HINT}`);
}

/** Constructs whose output order Prometheus does not specify (see the header). */
const UNORDERED_SOURCE = /\b(histogram_quantile|count_values)\b|\[[0-9a-z]+:[0-9a-z]*\]/;
const UNORDERED = new RegExp(`${UNORDERED_SOURCE.source}|\\b(topk|bottomk|sort|sort_desc)\\b`);
/** Order-dependent selections: which of several tied series they keep depends on the input order. */
const ORDER_DEPENDENT = /\b(topk|bottomk)\b/;
/** Functions whose Go (math.Exp, math.Pow, …) and JS (V8's fdlibm ports) results may differ in the last ulp. */
const LIBM = /\b(exp|ln|log2|log10|sin|cos|tan|asin|acos|atan|sinh|cosh|tanh|asinh|acosh|atanh)\s*\(|\^|\batan2\b/;
const LIBM_ALL = new RegExp(LIBM.source, 'g');
/** Operations that can turn a one-ulp difference into an arbitrary one. */
const AMPLIFIER = /%|\b(floor|ceil|round)\b|[=!<>]=|[<>]/;

/**
 * A mismatch that is not a defect by the rules of the test (reported, but not failing): a topk/
 * bottomk over an input of unspecified order picked another of tied series, or a last-ulp
 * difference of a libm function was amplified by `%`, rounding or a comparison. Prometheus
 * itself gives no bit-exact answer there (its own result varies with map order / CPU libm).
 */
function indeterminate(query: string, why: string): string | undefined {
  if (ORDER_DEPENDENT.test(query) && UNORDERED_SOURCE.test(query)) return 'tie broken by unspecified order';
  if (LIBM.test(query) && AMPLIFIER.test(query) && /value/.test(why)) return 'libm ulp amplified';
  // A libm function of another libm result (e.g. cos(sinh(x)), tan(x atan2 y)): Go's and V8's
  // math libraries differ by a few ulps on some inputs, and the outer function can turn that into
  // any difference (near a pole of tan, for a huge argument of cos, for ln near 1).
  if ((query.match(LIBM_ALL) ?? []).length >= 2 && /value/.test(why)) return 'libm ulps compounded by another libm function';
  // count_values turns the value into a label, where no tolerance applies.
  if (LIBM.test(query) && /\bcount_values\b/.test(query) && /labels/.test(why)) return 'libm ulp in a count_values label';
  return undefined;
}

interface Mismatch {
  readonly query: string;
  readonly timeS: number;
  readonly why: string;
  readonly ours: Answer;
  readonly theirs: Answer;
}

interface Tally {
  pairs: number;
  matches: number;
  mismatches: Mismatch[];
  messageDiffs: Mismatch[];
  indeterminate: Mismatch[];
  queries: number;
  errorPairs: number;
  emptyPairs: number;
  skipped: Map<string, number>;
  skippedQueries: number;
}

function newTally(): Tally {
  return { pairs: 0, matches: 0, mismatches: [], messageDiffs: [], indeterminate: [], queries: 0, errorPairs: 0, emptyPairs: 0, skipped: new Map(), skippedQueries: 0 };
}

/** Query times: many on the 15 s sample grid (boundary cases of windows), some odd ones, a few outside the data. */
function queryTimes(r: RandomStream, d: Dataset, n: number): number[] {
  const out: number[] = [];
  const span = d.endS - d.startS;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    let t: number;
    if (u < 0.5) t = d.startS + 15 * Math.floor((r.uniform() * span) / 15);
    else if (u < 0.8) t = d.startS + Math.floor(r.uniform() * span);
    else if (u < 0.92) t = d.startS + Math.floor(r.uniform() * span) + Math.floor(r.uniform() * 1000) / 1000;
    else t = r.uniform() < 0.5 ? d.startS - Math.floor(r.uniform() * 900) : d.endS + Math.floor(r.uniform() * 1800);
    out.push(t);
  }
  return out;
}

/** An evaluation error of a construct our engine does not implement yet. */
const NOT_SUPPORTED = /(?:^|: )([^:]+?) is not supported by rehearse yet$/;

/** The construct an 'unsupported' error names, e.g. `function "sort"` or `subquery`. */
function constructOf(e: PromqlError): string {
  return e.detail.replace(/ is not supported by rehearse yet$/, '');
}

async function mapLimit<T, R>(xs: readonly T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(xs.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, xs.length) }, async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await f(xs[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

async function runCorpus(server: PrometheusServer, store: SeriesStore, d: Dataset): Promise<Tally> {
  const version = server.binaries.majorVersion;
  const client = new PrometheusClient(server.baseUrl, 60_000);
  const gen = new QueryGenerator(SEED, version);
  const timeRandom = new RandomStream(SEED, `differential/times/v${version}`);
  const tally = newTally();
  const seen = new Set<string>();
  type Job = { query: string; times: number[]; ours: Answer[] };
  const jobs: Job[] = [];
  let planned = 0;
  const skip = (construct: string): void => {
    tally.skipped.set(construct, (tally.skipped.get(construct) ?? 0) + 1);
    tally.skippedQueries++;
  };
  // Plan: our answers first (cheap, synchronous), so that skipped queries do not count.
  for (const g of gen.queries()) {
    if (planned >= PAIRS) break;
    if (seen.has(g.text)) continue;
    seen.add(g.text);
    let compiled: CompiledQuery | PromqlError;
    try {
      compiled = compileQuery(g.text, { prometheusVersion: version });
    } catch (e) {
      if (!(e instanceof PromqlError)) throw e;
      if (e.kind === 'unsupported') {
        skip(constructOf(e));
        continue;
      }
      compiled = e;
    }
    // A parse error does not depend on the time: one pair is enough.
    const times = queryTimes(timeRandom, d, compiled instanceof PromqlError ? 1 : TIMES_PER_QUERY);
    const ours = times.map((t) => {
      const timeMs = Math.round(t * 1000);
      return compiled instanceof PromqlError ? answerFromError(compiled) : ourAnswer(() => evaluateInstant(compiled, store, timeMs), timeMs);
    });
    // A construct the parser accepts but the engine does not evaluate yet: skipped, not compared.
    const notYet = ours.map((a) => (a.kind === 'error' ? NOT_SUPPORTED.exec(a.message) : null)).find((m) => m !== null);
    if (notYet !== undefined && notYet !== null) {
      skip(`${notYet[1] as string} (at evaluation)`);
      continue;
    }
    jobs.push({ query: g.text, times, ours });
    planned += times.length;
  }

  const pairs = jobs.flatMap((j) => j.times.map((t, k) => ({ job: j, t, ours: j.ours[k] as Answer })));
  const theirs = await mapLimit(pairs, CONCURRENCY, async (p) => answerFromApi(await client.query(p.job.query, p.t)));
  pairs.forEach((p, i) => {
    const ours = p.ours;
    const their = theirs[i] as Answer;
    tally.pairs++;
    if (their.kind === 'error') tally.errorPairs++;
    if ((their.kind === 'vector' && their.samples.length === 0) || (their.kind === 'matrix' && their.series.length === 0)) tally.emptyPairs++;
    const why = difference(ours, their, !UNORDERED.test(p.job.query));
    const excuse = why === undefined ? undefined : indeterminate(p.job.query, why);
    if (why !== undefined && excuse !== undefined) {
      tally.indeterminate.push({ query: p.job.query, timeS: p.t, why: `${excuse}: ${why}`, ours, theirs: their });
    } else if (why !== undefined) {
      tally.mismatches.push({ query: p.job.query, timeS: p.t, why, ours, theirs: their });
    } else {
      tally.matches++;
      if (!sameErrorMessage(ours, their)) tally.messageDiffs.push({ query: p.job.query, timeS: p.t, why: 'error message', ours, theirs: their });
    }
  });
  tally.queries = jobs.length;
  return tally;
}

function report(server: PrometheusBinaries, t: Tally, d: Dataset): string {
  const skipped = [...t.skipped.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c}: ${n}`);
  const lines = [
    `[differential] Prometheus ${server.id} (${server.versionText}), seed ${JSON.stringify(SEED)}, ${d.series.length} series / ${d.sampleCount} samples`,
    `  pairs compared: ${t.pairs} (${t.queries} queries; ${t.errorPairs} error answers, ${t.emptyPairs} empty results)`,
    `  matches: ${t.matches}, mismatches: ${t.mismatches.length}, indeterminate: ${t.indeterminate.length}, error-message differences: ${t.messageDiffs.length}`,
    `  skipped (unsupported by our PromQL): ${t.skippedQueries} queries${skipped.length > 0 ? ` — ${skipped.join(', ')}` : ''}`,
  ];
  return lines.join('\n');
}

function describeMismatch(m: Mismatch, server: string): string {
  return [
    `query: ${m.query}`,
    `time:  ${m.timeS}  (${new Date(m.timeS * 1000).toISOString()})`,
    `diff:  ${m.why}`,
    `ours:        ${formatAnswer(m.ours)}`,
    `Prometheus ${server}: ${formatAnswer(m.theirs)}`,
  ].join('\n  ');
}

describe.skipIf(!enabled || binaries.found.length === 0)('PromQL differential against real Prometheus', () => {
  let dataset: Dataset;
  let store: SeriesStore;
  let openMetrics: string;

  beforeAll(() => {
    dataset = generateDataset(SEED);
    store = toSeriesStore(dataset);
    openMetrics = toOpenMetrics(dataset);
  });

  describe.each(binaries.found.map((b) => [b.id, b] as const))('Prometheus %s', (_id, bin) => {
    let server: PrometheusServer | undefined;

    beforeAll(async () => {
      const t0 = Date.now();
      server = await PrometheusServer.start(bin, openMetrics);
      console.log(`[differential] Prometheus ${bin.id} pid ${server.pid} at ${server.baseUrl}, backfilled and ready in ${Date.now() - t0} ms`);
    });

    afterAll(async () => {
      await server?.stop();
    });

    it(`answers ${PAIRS}+ query×time pairs exactly as the real server`, async () => {
      if (server === undefined) throw new Error('server did not start');
      const t0 = Date.now();
      const tally = await runCorpus(server, store, dataset);
      console.log(`${report(bin, tally, dataset)}\n  took ${Date.now() - t0} ms`);
      const reportDir = process.env['DIFF_REPORT_DIR'];
      if (reportDir !== undefined) {
        mkdirSync(reportDir, { recursive: true });
        const file = join(reportDir, `promql-${bin.id}.json`);
        const json = (m: Mismatch) => ({ ...m, ours: formatAnswer(m.ours, 50), theirs: formatAnswer(m.theirs, 50) });
        writeFileSync(file, JSON.stringify({ mismatches: tally.mismatches.map(json), indeterminate: tally.indeterminate.map(json), messageDiffs: tally.messageDiffs.map(json), skipped: Object.fromEntries(tally.skipped) }, null, 1));
        console.log(`[differential] full report: ${file}`);
      }
      if (tally.messageDiffs.length > 0) {
        console.log(
          `[differential] ${bin.id}: error-message differences (same errorType; first ${MAX_REPORTED}):\n  ${tally.messageDiffs
            .slice(0, MAX_REPORTED)
            .map((m) => describeMismatch(m, bin.id))
            .join('\n  ')}`,
        );
      }
      if (tally.indeterminate.length > 0) {
        console.log(
          `[differential] ${bin.id}: indeterminate pairs (not failures; first ${MAX_REPORTED}):\n  ${tally.indeterminate
            .slice(0, MAX_REPORTED)
            .map((m) => describeMismatch(m, bin.id))
            .join('\n  ')}`,
        );
      }
      expect(tally.pairs).toBeGreaterThanOrEqual(Math.min(PAIRS, 1));
      if (tally.mismatches.length > 0) {
        const shown = tally.mismatches.slice(0, MAX_REPORTED).map((m, i) => `#${i + 1} ${describeMismatch(m, bin.id)}`);
        expect.fail(
          `${tally.mismatches.length} of ${tally.pairs} pairs differ from Prometheus ${bin.id} (first ${shown.length}):\n${shown.join('\n')}`,
        );
      }
    });
  });
});

// Keeps vitest from reporting "no test found" when everything above is skipped.
describe.skipIf(enabled && binaries.found.length > 0)('PromQL differential (not run)', () => {
  it.skip(enabled ? `Prometheus binaries missing: ${SETUP_HINT}` : 'enabled only under vitest.differential.config.ts', () => {});
});
