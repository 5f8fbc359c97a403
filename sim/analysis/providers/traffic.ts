// Values computed from the simulated traffic of one revision, for web bodies and fixtures that stand
// for an outside metrics system: PromQL over the series the `generic` preset emits
// (sim/metrics/presets/generic.ts), selected by the revision's `rollouts_pod_template_hash`.
import { compileQuery, evaluateInstant } from '../../metrics/promql/index.js';
import type { SeriesStore } from '../../metrics/store.js';
import type { TemplatedJson, TrafficValueSpec } from './spec.js';

export interface TrafficSource {
  readonly store: SeriesStore;
  readonly prometheusVersion: 2 | 3;
  /** Pod-template hash of the stable revision now ('' before there is one). */
  stableHash(): string;
}

function promDuration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

function queryFor(spec: TrafficValueSpec, hash: string): string {
  const sel = `rollouts_pod_template_hash="${hash}"`;
  const w = promDuration(spec.windowMs);
  switch (spec.of) {
    case 'errorRatio':
      return `sum(rate(http_requests_total{${sel},code!~"[123].."}[${w}])) / sum(rate(http_requests_total{${sel}}[${w}]))`;
    case 'requestRate':
      return `sum(rate(http_requests_total{${sel}}[${w}]))`;
    case 'latencyQuantile':
      return `histogram_quantile(${spec.quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[${w}])))`;
  }
}

/** The value now, or null when the revision served nothing in the window (no series). */
export function trafficValue(src: TrafficSource, spec: TrafficValueSpec, canaryHash: string, nowMs: number): number | null {
  const hash = spec.version === 'canary' ? canaryHash : src.stableHash();
  const q = compileQuery(queryFor(spec, hash), { prometheusVersion: src.prometheusVersion });
  const r = evaluateInstant(q, src.store, nowMs, { prometheusVersion: src.prometheusVersion });
  if (r.resultType === 'scalar') return r.value;
  if (r.resultType === 'vector') return r.samples[0]?.value ?? null;
  return null;
}

/** Replaces every `{ $traffic: … }` inside a templated JSON value by its number now. */
export function renderTemplated(v: TemplatedJson, src: TrafficSource, canaryHash: string, nowMs: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return (v as readonly TemplatedJson[]).map((x) => renderTemplated(x, src, canaryHash, nowMs));
  const o = v as Record<string, TemplatedJson>;
  if ('$traffic' in o && Object.keys(o).length === 1) return trafficValue(src, o['$traffic'] as unknown as TrafficValueSpec, canaryHash, nowMs);
  return Object.fromEntries(Object.keys(o).map((k) => [k, renderTemplated(o[k]!, src, canaryHash, nowMs)]));
}
