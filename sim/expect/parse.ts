// The `expect` block of the scenario format: its structure (walked with the rest of the scenario
// by sim/scenario/parse.ts, so unknown keys get "did you mean" and positions) and its values.
// docs/scenario.schema.json mirrors EXPECT_SCHEMA; test/scenario/schema.test.ts keeps them in step.
import type { Json } from '../manifests/yamlWalk.js';
import { childPath } from '../manifests/yamlWalk.js';
import type { FieldSchema, ObjectSchema } from '../manifests/schema.js';
import type { Outcome } from '../scenario/types.js';
import type { AnalysisRunKind, DecidedByExpectation, EventsExpectation, Expectations, FailedRequestsExpectation, FinalExpectation } from './types.js';

const str: FieldSchema = { type: 'string' };
const any: FieldSchema = { type: 'any' };
const reasons: FieldSchema = { type: 'list', items: str };

export const EXPECT_SCHEMA: ObjectSchema = {
  type: 'object',
  name: 'Expect',
  fields: {
    outcome: str,
    within: str,
    maxCanaryWeight: any,
    maxFailedRequestRatio: any,
    failedRequests: {
      type: 'object',
      name: 'FailedRequests',
      fields: { max: any, version: str, userFacing: { type: 'bool' } },
      required: { max: 'failedRequests needs `max`: a percentage of requests ("0.3%") or a number of requests (150)' },
    },
    decidedBy: { type: 'object', name: 'DecidedBy', fields: { analysisRun: str, metric: str } },
    events: { type: 'object', name: 'Events', fields: { include: reasons, exclude: reasons, inOrder: reasons } },
    final: {
      type: 'object',
      name: 'Final',
      fields: {
        replicas: { type: 'object', name: 'FinalReplicas', fields: { stable: { type: 'int' }, canary: { type: 'int' } } },
        selectors: { type: 'map', values: str },
      },
    },
    seeds: { type: 'int64' },
    atLeast: any,
  },
};

export const OUTCOMES: readonly Outcome[] = ['promoted', 'aborted', 'paused', 'progressing', 'rolledBack'];
const ANALYSIS_RUN_KINDS: readonly AnalysisRunKind[] = ['step', 'background', 'prePromotion', 'postPromotion', 'experiment'];
/** Upper bound of `seeds`: a drill is a CI check, not a sweep. */
export const MAX_SEEDS = 100_000;

/** What sim/scenario/parse.ts's value checker offers (reports with positions, reads values). */
export interface ValueReader {
  error(path: string, message: string): void;
  duration(path: string, text: string | undefined, fallbackMs: number, min?: number): number;
  ratio(path: string, v: Json | undefined, fallback: number): number;
  number(path: string, v: Json | undefined, fallback: number, what: string, check: (n: number) => boolean): number;
}

type J = { [k: string]: Json } | undefined;
const objOf = (v: Json | undefined): J => (v && typeof v === 'object' && !Array.isArray(v) ? (v as { [k: string]: Json }) : undefined);
const strOf = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Reads `spec.expect` (already walked structurally; absent keys stay undefined). */
export function parseExpectations(c: ValueReader, json: J): Expectations {
  const base = 'spec.expect';
  const outcomeText = strOf(json?.outcome);
  if (outcomeText !== undefined && !OUTCOMES.includes(outcomeText as Outcome)) c.error(`${base}.outcome`, `expected one of ${OUTCOMES.join(', ')}, got "${outcomeText}".`);
  const withinText = strOf(json?.within);
  const has = (k: string): boolean => json !== undefined && json[k] !== undefined && json[k] !== null;
  return {
    outcome: outcomeText as Outcome | undefined,
    withinMs: withinText !== undefined ? c.duration(`${base}.within`, withinText, 0) : undefined,
    maxCanaryWeight: has('maxCanaryWeight') ? c.number(`${base}.maxCanaryWeight`, json!.maxCanaryWeight, 100, 'a weight from 0 to 100', (n) => n >= 0 && n <= 100) : undefined,
    maxFailedRequestRatio: has('maxFailedRequestRatio') ? c.ratio(`${base}.maxFailedRequestRatio`, json!.maxFailedRequestRatio, 1) : undefined,
    failedRequests: has('failedRequests') ? failedRequests(c, `${base}.failedRequests`, objOf(json!.failedRequests)) : undefined,
    decidedBy: has('decidedBy') ? decidedBy(c, `${base}.decidedBy`, objOf(json!.decidedBy)) : undefined,
    events: has('events') ? events(objOf(json!.events)) : undefined,
    final: has('final') ? final(c, `${base}.final`, objOf(json!.final)) : undefined,
    seeds: has('seeds') ? c.number(`${base}.seeds`, json!.seeds, 1, `a number of seeds from 1 to ${MAX_SEEDS}`, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_SEEDS) : undefined,
    atLeast: has('atLeast') ? c.ratio(`${base}.atLeast`, json!.atLeast, 1) : undefined,
  };
}

function failedRequests(c: ValueReader, path: string, json: J): FailedRequestsExpectation {
  const raw = json?.max;
  let max: FailedRequestsExpectation['max'] = { kind: 'ratio', value: 1 };
  if (typeof raw === 'string') max = { kind: 'ratio', value: c.ratio(`${path}.max`, raw, 1) };
  else if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) max = { kind: 'count', value: raw };
  else if (raw !== undefined && raw !== null) {
    c.error(
      `${path}.max`,
      `expected a percentage of requests ("0.3%") or a whole number of requests (150), got ${JSON.stringify(raw)}. A fraction is ambiguous here: write 0.003 as "0.3%".`,
    );
  }
  return { max, version: strOf(json?.version), userFacing: json?.userFacing === true };
}

function decidedBy(c: ValueReader, path: string, json: J): DecidedByExpectation {
  const kind = strOf(json?.analysisRun);
  if (kind !== undefined && !ANALYSIS_RUN_KINDS.includes(kind as AnalysisRunKind)) {
    c.error(`${path}.analysisRun`, `expected step (an analysis step), background (the Rollout's background analysis), prePromotion or postPromotion (blue-green), or experiment (an analysis of an experiment step), got "${kind}".`);
  }
  return { analysisRun: kind as AnalysisRunKind | undefined, metric: strOf(json?.metric) };
}

function events(json: J): EventsExpectation {
  return { include: strings(json?.include), exclude: strings(json?.exclude), inOrder: strings(json?.inOrder) };
}

function final(c: ValueReader, path: string, json: J): FinalExpectation {
  const replicasJson = objOf(json?.replicas);
  const count = (k: 'stable' | 'canary'): number | undefined =>
    replicasJson?.[k] === undefined || replicasJson[k] === null
      ? undefined
      : c.number(`${path}.replicas.${k}`, replicasJson[k], 0, 'a number of pods ≥ 0', (n) => Number.isInteger(n) && n >= 0);
  const selectorsJson = objOf(json?.selectors) ?? {};
  const selectors = Object.keys(selectorsJson).map((service) => {
    const target = strOf(selectorsJson[service]) ?? '';
    if (target.trim() === '') c.error(childPath(`${path}.selectors`, service), 'expected stable, canary or the image of a version.');
    return { service, target };
  });
  return { replicas: { stable: count('stable'), canary: count('canary') }, selectors };
}
