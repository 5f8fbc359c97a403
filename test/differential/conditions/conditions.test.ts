// Differential test of our successCondition / failureCondition evaluator (sim/analysis/condition/)
// against the real expr-lang builds Argo Rollouts uses, run by tools/exprcheck:
//   '1.15' = github.com/antonmedv/expr v1.15.5 (Argo ≤ 1.9), '1.17' = github.com/expr-lang/expr
//   v1.17.8 (Argo 1.10), each with Argo's EvalCondition environment and helpers.
// A seeded corpus (corpus.ts) of conditions × results is evaluated by one exprcheck process (JSON
// lines) and by us; the outcome (true / false / error) must agree for every pair, and the phase of
// Argo's EvaluateResult for every (successCondition, failureCondition, result).
//
// Binary: ${REHEARSE_CACHE:-$HOME/.cache/rehearse}/bin/exprcheck (scripts/build-exprcheck.sh), or
// EXPRCHECK_BIN. Absent ⇒ the suite is skipped with a message, unless DIFF_REQUIRE_BINARIES=1.
// Run: scripts/build-exprcheck.sh && npx vitest run -c vitest.differential.config.ts test/differential/conditions
// Size: DIFF_PAIRS pairs per version (default 5000), DIFF_SEED (default 20250611).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assessMeasurement, compileCondition, ConditionError, evaluateCondition, type ExprVersion,
} from '../../../sim/analysis/condition/index.js';
import {
  envTypeFor, generateCorpus, showResult, wireResult, type AssessPair, type Corpus, type Pair, type ResultCase,
} from './corpus.js';

const BIN =
  process.env.EXPRCHECK_BIN ??
  join(process.env.REHEARSE_CACHE ?? join(homedir(), '.cache', 'rehearse'), 'bin', 'exprcheck');
/** Runs only under vitest.differential.config.ts (which sets REHEARSE_DIFFERENTIAL=1), like the other differential suites. */
const ENABLED = process.env.REHEARSE_DIFFERENTIAL === '1';
const HAVE_BIN = existsSync(BIN);
const REQUIRE = process.env.DIFF_REQUIRE_BINARIES === '1';
const PAIRS = Number(process.env.DIFF_PAIRS ?? 5000);
const SEED = process.env.DIFF_SEED ?? '20250611';
const VERSIONS: readonly ExprVersion[] = ['1.15', '1.17'];
const SHOW = Number(process.env.DIFF_SHOW ?? 20);

interface Answer {
  outcome: string;
  error?: string;
}

function oursCondition(condition: string, r: ResultCase, exprVersion: ExprVersion): Answer {
  try {
    const c = compileCondition(condition, envTypeFor(r), { exprVersion });
    const out = evaluateCondition(c, r.value);
    return out.ok ? { outcome: String(out.value) } : { outcome: 'error', error: out.error };
  } catch (e) {
    if (e instanceof ConditionError) return { outcome: 'error', error: e.message };
    // Anything else is a bug of ours: never equal to an expr outcome.
    return { outcome: 'exception', error: String(e) };
  }
}

function oursAssess(p: AssessPair, exprVersion: ExprVersion): Answer {
  try {
    const out = assessMeasurement(p.success || undefined, p.failure || undefined, p.result.value, {
      exprVersion,
      resultType: envTypeFor(p.result),
    });
    return out.message === undefined ? { outcome: out.phase } : { outcome: out.phase, error: out.message };
  } catch (e) {
    return { outcome: 'exception', error: String(e) };
  }
}

/** Runs the whole corpus, both versions, through one exprcheck process. */
function runExprcheck(corpus: Corpus): Map<string, Answer> {
  const lines: string[] = [];
  for (const version of VERSIONS) {
    corpus.pairs.forEach((p, i) => {
      lines.push(JSON.stringify({
        id: `c${version}/${i}`, version, mode: 'condition', condition: p.condition.condition,
        resultKind: p.result.kind, result: wireResult(p.result),
      }));
    });
    corpus.assess.forEach((p, i) => {
      lines.push(JSON.stringify({
        id: `a${version}/${i}`, version, mode: 'assess', successCondition: p.success, failureCondition: p.failure,
        resultKind: p.result.kind, result: wireResult(p.result),
      }));
    });
  }
  const t0 = performance.now();
  const proc = spawnSync(BIN, [], { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 30 });
  if (proc.error !== undefined) throw proc.error;
  if (proc.status !== 0) throw new Error(`exprcheck exited ${String(proc.status)}: ${proc.stderr}`);
  const answers = new Map<string, Answer>();
  for (const line of proc.stdout.split('\n')) {
    if (line === '') continue;
    const a = JSON.parse(line) as Answer & { id: string };
    if (a.outcome === 'bad-request') throw new Error(`exprcheck rejected ${a.id}: ${a.error ?? ''}`);
    answers.set(a.id, a.error === undefined ? { outcome: a.outcome } : { outcome: a.outcome, error: a.error });
  }
  if (answers.size !== lines.length) throw new Error(`exprcheck answered ${answers.size} of ${lines.length} requests`);
  console.log(`exprcheck: ${lines.length} requests in ${((performance.now() - t0) / 1000).toFixed(2)}s (${BIN})`);
  return answers;
}

function tally(xs: readonly string[]): string {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
}

/**
 * rehearse refuses a few expr features on purpose, with a compile error `rehearse: … not supported`
 * ($env, builtins it does not implement, sum's predicate form). Such pairs are counted and shown,
 * not failed: the refusal is explicit, never a silently different answer.
 */
const refused = (a: Answer): boolean =>
  (a.outcome === 'error' || a.outcome === 'Error') && /^(could not evaluate .*: )?rehearse: .*not supported/.test(a.error ?? '');

const show = (a: Answer): string => (a.error === undefined ? a.outcome : `${a.outcome} (${a.error})`);

if (ENABLED && !HAVE_BIN) {
  console.warn(
    `differential conditions: SKIPPED — no exprcheck binary at ${BIN}. ` +
      'Build it with scripts/build-exprcheck.sh (Go >= 1.22 and the Go module proxy), or set EXPRCHECK_BIN.',
  );
}

describe.skipIf(!ENABLED)('exprcheck binary', () => {
  it.runIf(!HAVE_BIN && REQUIRE)('is present (DIFF_REQUIRE_BINARIES=1)', () => {
    expect.fail(`no exprcheck binary at ${BIN}: run scripts/build-exprcheck.sh`);
  });
  it.runIf(HAVE_BIN || !REQUIRE)('is present or the suite is skipped', () => {
    expect(true).toBe(true);
  });
});

describe.skipIf(!ENABLED || !HAVE_BIN)('differential: conditions vs real expr (tools/exprcheck)', () => {
  let corpus: Corpus;
  let go: Map<string, Answer>;

  beforeAll(() => {
    corpus = generateCorpus({ seed: SEED, pairs: PAIRS, assessPairs: Math.max(500, Math.round(PAIRS / 8)) });
    console.log(
      `corpus: seed ${SEED}, ${corpus.pairs.length} condition×result pairs and ${corpus.assess.length} ` +
        `EvaluateResult triples per version; conditions by source: ${tally(corpus.pairs.map((p) => p.condition.source))}; ` +
        `results by kind: ${tally(corpus.pairs.map((p) => p.result.kind))}`,
    );
    go = runExprcheck(corpus);
  }, 600_000);

  for (const version of VERSIONS) {
    it(`EvalCondition outcome (true/false/error) matches expr ${version} for every pair`, () => {
      const mismatches: string[] = [];
      const goOutcomes: string[] = [];
      const bySource: string[] = [];
      const unsupported: string[] = [];
      let sameMessage = 0;
      let bothErrors = 0;
      corpus.pairs.forEach((p: Pair, i) => {
        const theirs = go.get(`c${version}/${i}`)!;
        const mine = oursCondition(p.condition.condition, p.result, version);
        goOutcomes.push(theirs.outcome);
        if (theirs.outcome === 'error' && mine.outcome === 'error') {
          bothErrors++;
          if (theirs.error === mine.error) sameMessage++;
        }
        if (theirs.outcome !== mine.outcome && refused(mine)) {
          unsupported.push(`${JSON.stringify(p.condition.condition)} → expr ${show(theirs)}`);
        } else if (theirs.outcome !== mine.outcome) {
          bySource.push(p.condition.source);
          mismatches.push(
            `  ${JSON.stringify(p.condition.condition)}  on ${showResult(p.result)}\n` +
              `      expr ${version}: ${show(theirs)}\n      rehearse: ${show(mine)}`,
          );
        }
      });
      const n = corpus.pairs.length;
      console.log(
        `expr ${version}: ${n} pairs, ${n - mismatches.length} match, ${mismatches.length} mismatch` +
          (mismatches.length > 0 ? ` (by source: ${tally(bySource)})` : '') +
          `; expr outcomes: ${tally(goOutcomes)}; identical error text ${sameMessage}/${bothErrors}` +
          (unsupported.length > 0 ? `; ${unsupported.length} refused by rehearse as unsupported, e.g.\n  ${[...new Set(unsupported)].slice(0, 5).join('\n  ')}` : ''),
      );
      if (mismatches.length > 0) {
        expect.fail(
          `${mismatches.length} of ${n} pairs differ from expr ${version} (seed ${SEED}); first ${Math.min(SHOW, mismatches.length)}:\n` +
            mismatches.slice(0, SHOW).join('\n'),
        );
      }
    });

    it(`EvaluateResult phase matches Argo with expr ${version}`, () => {
      const mismatches: string[] = [];
      const phases: string[] = [];
      let unsupported = 0;
      let sameMessage = 0;
      let errors = 0;
      corpus.assess.forEach((p, i) => {
        const theirs = go.get(`a${version}/${i}`)!;
        const mine = oursAssess(p, version);
        phases.push(theirs.outcome);
        if (theirs.outcome === 'Error' && mine.outcome === 'Error') {
          errors++;
          if (theirs.error === mine.error) sameMessage++;
        }
        if (theirs.outcome !== mine.outcome && refused(mine)) {
          unsupported++;
        } else if (theirs.outcome !== mine.outcome) {
          mismatches.push(
            `  success ${JSON.stringify(p.success)} failure ${JSON.stringify(p.failure)} on ${showResult(p.result)}\n` +
              `      Argo/expr ${version}: ${show(theirs)}\n      rehearse: ${show(mine)}`,
          );
        }
      });
      const n = corpus.assess.length;
      console.log(
        `EvaluateResult ${version}: ${n} triples, ${n - mismatches.length} match, ${mismatches.length} mismatch; ` +
          `phases: ${tally(phases)}; identical error text ${sameMessage}/${errors}` +
          (unsupported > 0 ? `; ${unsupported} refused by rehearse as unsupported` : ''),
      );
      if (mismatches.length > 0) {
        expect.fail(
          `${mismatches.length} of ${n} EvaluateResult triples differ (expr ${version}, seed ${SEED}); first ${Math.min(SHOW, mismatches.length)}:\n` +
            mismatches.slice(0, SHOW).join('\n'),
        );
      }
    });
  }
});
