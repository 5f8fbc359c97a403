// One provider for every metrics system rehearse does not run (datadog, newRelic, cloudWatch,
// wavefront, graphite, influxdb, kayenta, skywalking, plugin): the scenario supplies the answer
// (`spec.providers.fixtures.<metric>`: values over time, or numbers computed from the simulated
// traffic), and each provider's result is shaped as upstream's provider shapes it (v1.9.1
// metricproviders/*), so the template's successCondition works unchanged:
//   datadog    `parseResponseV1/V2`: float64 of the last point, value FormatFloat(v,'f',-1); no data ⇒ nil, "[]"
//   wavefront  `processResponse`: one series ⇒ float64 "%.2f"; several ⇒ []float64 "[%.2f,…]"; none ⇒ Error
//   graphite   `processResponse`: []float64 of the non-null points, "[%f,…]"
//   influxdb   `processResponse`: []interface{} of record values, fmt.Sprint "[a b]"; none ⇒ Error
//   newRelic   `processResponse`: one result ⇒ the map; several ⇒ the list; JSON text; none ⇒ Error
//   cloudWatch `Run`: result = MetricDataResults ([{Id, Label, StatusCode, Timestamps, Values}])
//   kayenta    `Resume`: score ≥ threshold.pass ⇒ Successful, ≥ marginal ⇒ Inconclusive, else Failed
//   skywalking, plugin: the JSON value as the condition's result, JSON text
import { assessMeasurement, type ConditionEnvType, type ExprVersion, type JsonValue } from '../condition/index.js';
import { formatPromScalar } from '../../metrics/promql/format.js';
import type { AnalysisRunLabels } from '../analysisRun.js';
import type { FixtureSource, ResolvedMetric } from '../metric.js';
import type { Measurement } from '../types.js';
import type { FixtureSpec, ProvidersSpec } from './spec.js';
import { renderTemplated, type TrafficSource } from './traffic.js';
import { goJsonMarshal } from './goJson.js';

export interface FixtureContext {
  readonly spec: ProvidersSpec;
  readonly traffic: TrafficSource;
  readonly exprVersion: ExprVersion;
  imageOf(hash: string): string | undefined;
  warn(message: string): void;
}

/** The value in force now: the entry for this version (or any), its last point that has started. */
export function fixtureValue(specs: readonly FixtureSpec[], image: string | undefined, nowMs: number): { found: boolean; value: unknown } {
  let spec: FixtureSpec | undefined;
  for (const s of specs) if (s.version === undefined || s.version === image) spec = s;
  if (!spec) return { found: false, value: undefined };
  let point;
  for (const p of spec.values) if (p.fromMs <= nowMs) point = p;
  return point ? { found: true, value: point.value } : { found: false, value: undefined };
}

const numbersOf = (v: unknown): (number | null)[] => (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'number' ? x : null));
const goF = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf');

type Shaped = { ok: true; result: JsonValue | readonly number[]; text: string; env?: ConditionEnvType } | { ok: false; phase: 'Error' | 'Failed'; message: string };

/** The provider's result and stored value text for a fixture value (see the file comment). */
export function shape(provider: FixtureSource['provider'], v: unknown): Shaped {
  const nums = numbersOf(v).filter((x): x is number => x !== null);
  switch (provider) {
    case 'datadog': {
      if (nums.length === 0) return { ok: true, result: null, text: '[]', env: 'nil' };
      const last = nums[nums.length - 1]!;
      return { ok: true, result: last, text: formatPromScalar(last), env: 'float64' };
    }
    case 'wavefront':
      if (nums.length === 0) return { ok: false, phase: 'Error', message: 'No TimeSeries found in response from Wavefront' };
      if (nums.length === 1) return { ok: true, result: nums[0]!, text: goF(nums[0]!, 2), env: 'float64' };
      return { ok: true, result: nums, text: `[${nums.map((x) => goF(x, 2)).join(',')}]`, env: '[]float64' };
    case 'graphite':
      return { ok: true, result: nums, text: `[${nums.map((x) => goF(x, 6)).join(',')}]`, env: '[]float64' };
    case 'influxdb': {
      const list = Array.isArray(v) ? (v as JsonValue[]) : v === null || v === undefined ? [] : [v as JsonValue];
      if (list.length === 0) return { ok: false, phase: 'Error', message: 'no results returned from flux query' };
      return { ok: true, result: list, text: `[${list.map((x) => (typeof x === 'number' ? formatPromScalar(x) : typeof x === 'string' ? x : goJsonMarshal(x))).join(' ')}]`, env: '[]interface {}' };
    }
    case 'newRelic': {
      const list = Array.isArray(v) ? (v as JsonValue[]) : v === null || v === undefined ? [] : [v as JsonValue];
      if (list.length === 0 || (list.length === 1 && typeof list[0] === 'object' && list[0] !== null && Object.keys(list[0]).length === 0)) {
        return { ok: false, phase: 'Error', message: 'no results returned from NRQL query' };
      }
      const result = list.length === 1 ? list[0]! : list;
      return { ok: true, result, text: goJsonMarshal(result) };
    }
    case 'cloudWatch': {
      // A list of numbers stands for one MetricDataResult's Values; objects are taken as written.
      const result: JsonValue =
        Array.isArray(v) && v.every((x) => typeof x === 'number') ? [{ Id: 'fixture', Label: 'fixture', StatusCode: 'Complete', Timestamps: [], Values: v as number[] }] : typeof v === 'number' ? [{ Id: 'fixture', Label: 'fixture', StatusCode: 'Complete', Timestamps: [], Values: [v] }] : ((v ?? null) as JsonValue);
      return { ok: true, result, text: goJsonMarshal(result) };
    }
    default:
      return { ok: true, result: (v ?? null) as JsonValue, text: goJsonMarshal(v ?? null) };
  }
}

/** Kayenta compares the canary score with the template's thresholds instead of conditions. */
function kayentaPhase(raw: unknown, score: number): 'Successful' | 'Inconclusive' | 'Failed' {
  const t = ((raw as Record<string, unknown> | null)?.['threshold'] ?? {}) as Record<string, unknown>;
  const pass = typeof t['pass'] === 'number' ? t['pass'] : 0;
  const marginal = typeof t['marginal'] === 'number' ? t['marginal'] : 0;
  if (score >= pass) return 'Successful';
  if (score >= marginal) return 'Inconclusive';
  return 'Failed';
}

export function runFixture(ctx: FixtureContext, metric: ResolvedMetric & { provider: FixtureSource }, nowMs: number, run: AnalysisRunLabels | undefined): Measurement {
  const base = { startedAt: nowMs, finishedAt: nowMs };
  const hash = run?.podTemplateHash ?? '';
  const { found, value } = fixtureValue(ctx.spec.fixtures.get(metric.name) ?? [], ctx.imageOf(hash), nowMs);
  const kind = metric.provider.provider;
  if (!found) {
    ctx.warn(`${kind} metric "${metric.name}": the scenario supplies no value for it now (spec.providers.fixtures.${metric.name}); its measurements are Errors.`);
    return { ...base, phase: 'Error', value: undefined, message: `no fixture value for ${kind} metric "${metric.name}" at this time (spec.providers.fixtures)` };
  }
  const rendered = renderTemplated(value as never, ctx.traffic, hash, nowMs);
  if (kind === 'kayenta') {
    const score = typeof rendered === 'number' ? rendered : NaN;
    return { ...base, phase: kayentaPhase(metric.provider.raw, score), value: formatPromScalar(score), message: undefined };
  }
  const s = shape(kind, rendered);
  if (!s.ok) return { ...base, phase: s.phase, value: undefined, message: s.message };
  const outcome = assessMeasurement(metric.successCondition, metric.failureCondition, s.result, { exprVersion: ctx.exprVersion, ...(s.env ? { resultType: s.env } : {}) });
  return { ...base, phase: outcome.phase, value: s.text, message: outcome.message };
}
