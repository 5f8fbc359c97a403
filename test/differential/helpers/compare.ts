// One normalised form for a query answer — from a real Prometheus' /api/v1/query JSON or from
// our evaluateInstant — and the comparison rules of the differential tests:
// * same outcome kind: both error (with the same errorType), or the same resultType;
// * equal label sets, in the same order unless the caller says the order is unspecified;
// * equal sample times (ms) and values equal within 1e-12 relative (NaN equals NaN, infinities
//   equal only themselves, 0 equals -0).
// Error messages are compared separately (`sameErrorMessage`), since the test treats message
// differences as their own category.

import type { PromApiResponse } from '../../../harness/prometheus/client.js';
import { PromqlError, formatPromValue, type QueryResult } from '../../../sim/metrics/promql/index.js';

export type Labels = Readonly<Record<string, string>>;

export type Answer =
  | { readonly kind: 'error'; readonly errorType: string; readonly message: string }
  | { readonly kind: 'scalar'; readonly t: number; readonly value: number }
  | { readonly kind: 'string'; readonly t: number; readonly value: string }
  | { readonly kind: 'vector'; readonly samples: readonly { labels: Labels; t: number; value: number }[] }
  | { readonly kind: 'matrix'; readonly series: readonly { labels: Labels; points: readonly (readonly [number, number])[] }[] };

export const RELATIVE_TOLERANCE = 1e-12;

/** Go's strconv.ParseFloat for the spellings the API uses. */
export function parseApiFloat(s: unknown): number {
  if (typeof s !== 'string') return Number.NaN;
  if (s === 'NaN') return Number.NaN;
  if (s === '+Inf' || s === 'Inf') return Number.POSITIVE_INFINITY;
  if (s === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(s);
}

/** API timestamps are float seconds; compare as integer ms. */
function apiTimeMs(t: unknown): number {
  return Math.round(Number(t) * 1000);
}

type ApiPair = [number, string];

/** Normalises a Prometheus HTTP API answer; throws on a shape we do not understand. */
export function answerFromApi(res: PromApiResponse): Answer {
  const b = res.body;
  if (b.status === 'error') return { kind: 'error', errorType: b.errorType, message: b.error };
  const data = b.data as { resultType: string; result: unknown };
  switch (data.resultType) {
    case 'scalar':
    case 'string': {
      const [t, v] = data.result as ApiPair;
      return data.resultType === 'scalar'
        ? { kind: 'scalar', t: apiTimeMs(t), value: parseApiFloat(v) }
        : { kind: 'string', t: apiTimeMs(t), value: v };
    }
    case 'vector': {
      const result = data.result as { metric: Labels; value?: ApiPair; histogram?: unknown }[];
      return {
        kind: 'vector',
        samples: result.map((s) => {
          if (s.value === undefined) throw new Error(`native histogram sample in answer: ${res.text.slice(0, 300)}`);
          return { labels: s.metric, t: apiTimeMs(s.value[0]), value: parseApiFloat(s.value[1]) };
        }),
      };
    }
    case 'matrix': {
      const result = data.result as { metric: Labels; values?: ApiPair[] }[];
      return {
        kind: 'matrix',
        series: result.map((s) => ({ labels: s.metric, points: (s.values ?? []).map(([t, v]) => [apiTimeMs(t), parseApiFloat(v)] as const) })),
      };
    }
    default:
      throw new Error(`unexpected resultType in ${res.text.slice(0, 300)}`);
  }
}

/** Normalises our evaluator's answer at `timeMs`. */
export function answerFromOurs(r: QueryResult, timeMs: number): Answer {
  switch (r.resultType) {
    case 'scalar':
      return { kind: 'scalar', t: timeMs, value: r.value };
    case 'string':
      return { kind: 'string', t: timeMs, value: r.value };
    case 'vector':
      return { kind: 'vector', samples: r.samples.map((s) => ({ labels: s.labels, t: timeMs, value: s.value })) };
    case 'matrix':
      return { kind: 'matrix', series: r.series.map((s) => ({ labels: s.labels, points: s.points.map((p) => [p.t, p.value] as const) })) };
  }
}

/** The API errorType our HTTP layer gives a PromqlError (parse → bad_data, execution → execution). */
export function answerFromError(e: PromqlError): Answer {
  return { kind: 'error', errorType: e.kind === 'parse' ? 'bad_data' : 'execution', message: e.message };
}

export function sameValue(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

export function labelsKey(l: Labels): string {
  return JSON.stringify(Object.keys(l).sort().map((k) => [k, l[k]]));
}

function byLabels<T extends { labels: Labels }>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => {
    const ka = labelsKey(a.labels);
    const kb = labelsKey(b.labels);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/**
 * Why `ours` differs from `theirs`, or undefined when they agree. With `ordered: false`, vector
 * and matrix elements are compared as sets of label sets (for results whose order Prometheus
 * leaves unspecified).
 */
export function difference(ours: Answer, theirs: Answer, ordered: boolean): string | undefined {
  if (ours.kind !== theirs.kind) return `kind ${ours.kind} vs ${theirs.kind}`;
  switch (theirs.kind) {
    case 'error': {
      const o = ours as Extract<Answer, { kind: 'error' }>;
      return o.errorType === theirs.errorType ? undefined : `errorType ${o.errorType} vs ${theirs.errorType}`;
    }
    case 'scalar': {
      const o = ours as Extract<Answer, { kind: 'scalar' }>;
      if (o.t !== theirs.t) return `time ${o.t} vs ${theirs.t}`;
      return sameValue(o.value, theirs.value) ? undefined : `value ${o.value} vs ${theirs.value}`;
    }
    case 'string': {
      const o = ours as Extract<Answer, { kind: 'string' }>;
      return o.value === theirs.value && o.t === theirs.t ? undefined : 'string value or time';
    }
    case 'vector': {
      let o = (ours as Extract<Answer, { kind: 'vector' }>).samples;
      let p = theirs.samples;
      if (o.length !== p.length) return `${o.length} vs ${p.length} samples`;
      if (!ordered) {
        o = byLabels(o);
        p = byLabels(p);
      }
      for (let i = 0; i < o.length; i++) {
        const a = o[i] as (typeof o)[number];
        const b = p[i] as (typeof p)[number];
        if (labelsKey(a.labels) !== labelsKey(b.labels)) return `sample ${i}: labels ${labelsKey(a.labels)} vs ${labelsKey(b.labels)}`;
        if (a.t !== b.t) return `sample ${i}: time ${a.t} vs ${b.t}`;
        if (!sameValue(a.value, b.value)) return `sample ${i} ${labelsKey(a.labels)}: value ${a.value} vs ${b.value}`;
      }
      return undefined;
    }
    case 'matrix': {
      let o = (ours as Extract<Answer, { kind: 'matrix' }>).series;
      let p = theirs.series;
      if (o.length !== p.length) return `${o.length} vs ${p.length} series`;
      if (!ordered) {
        o = byLabels(o);
        p = byLabels(p);
      }
      for (let i = 0; i < o.length; i++) {
        const a = o[i] as (typeof o)[number];
        const b = p[i] as (typeof p)[number];
        if (labelsKey(a.labels) !== labelsKey(b.labels)) return `series ${i}: labels ${labelsKey(a.labels)} vs ${labelsKey(b.labels)}`;
        if (a.points.length !== b.points.length) return `series ${i}: ${a.points.length} vs ${b.points.length} points`;
        for (let j = 0; j < a.points.length; j++) {
          const [ta, va] = a.points[j] as readonly [number, number];
          const [tb, vb] = b.points[j] as readonly [number, number];
          if (ta !== tb || !sameValue(va, vb)) return `series ${i} point ${j}: ${ta}=${va} vs ${tb}=${vb}`;
        }
      }
      return undefined;
    }
  }
}

/**
 * The API wraps parse errors as `invalid parameter "query": <parser message>` (web/api/v1
 * `invalidParamError`); our engine's message is the parser message itself, so the prefix is
 * removed before comparing. (rehearse's HTTP layer must add it back.)
 */
export function engineMessage(apiMessage: string): string {
  return apiMessage.replace(/^invalid parameter "query": /, '');
}

export function sameErrorMessage(ours: Answer, theirs: Answer): boolean {
  return ours.kind !== 'error' || theirs.kind !== 'error' || ours.message === engineMessage(theirs.message);
}

/** Compact text of an answer for failure messages (values in the API's spelling). */
export function formatAnswer(a: Answer, maxItems = 8): string {
  const lbl = (l: Labels): string =>
    `{${Object.keys(l)
      .sort()
      .map((k) => `${k}=${JSON.stringify(l[k])}`)
      .join(', ')}}`;
  switch (a.kind) {
    case 'error':
      return `error ${a.errorType}: ${a.message}`;
    case 'scalar':
      return `scalar ${formatPromValue(a.value)} @${a.t}`;
    case 'string':
      return `string ${JSON.stringify(a.value)} @${a.t}`;
    case 'vector': {
      const items = a.samples.slice(0, maxItems).map((s) => `${lbl(s.labels)} ${formatPromValue(s.value)}`);
      const more = a.samples.length > maxItems ? ` … (${a.samples.length} samples)` : '';
      return `vector [${items.join('; ')}]${more}`;
    }
    case 'matrix': {
      const items = a.series.slice(0, maxItems).map((s) => `${lbl(s.labels)} ${s.points.map(([t, v]) => `${formatPromValue(v)}@${t}`).join(' ')}`);
      const more = a.series.length > maxItems ? ` … (${a.series.length} series)` : '';
      return `matrix [${items.join('; ')}]${more}`;
    }
  }
}

export function ourAnswer(run: () => QueryResult, timeMs: number): Answer {
  try {
    return answerFromOurs(run(), timeMs);
  } catch (e) {
    if (e instanceof PromqlError) return answerFromError(e);
    throw e;
  }
}
