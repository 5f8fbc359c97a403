// `spec.providers` of a scenario: what the endpoints of `web` metrics answer, how the Jobs of `job`
// metrics end, and the values of every other provider (datadog, newRelic, …) — see docs/analysis.md.
// Values may be computed from the simulated traffic: `{ $traffic: { of, version, window, quantile } }`.
import type { FieldSchema, ObjectSchema } from '../manifests/schema.js';
import type { Json } from '../manifests/yamlWalk.js';
import type { FixtureSpec, JobSpecEntry, ProvidersSpec, TemplatedJson, TrafficValueSpec, WebAnswerSpec } from '../analysis/providers/spec.js';
import type { ValueChecker } from './parse.js';

const str: FieldSchema = { type: 'string' };
const any: FieldSchema = { type: 'any' };
const obj = (name: string, fields: Record<string, FieldSchema>, required?: Record<string, string>): ObjectSchema =>
  required ? { type: 'object', name, fields, required } : { type: 'object', name, fields };

export const PROVIDERS_SCHEMA: ObjectSchema = obj('Providers', {
  web: {
    type: 'list',
    items: obj('WebAnswer', { url: str, from: str, version: str, status: any, body: any, latency: str }, { url: 'every web answer needs the `url` the metric calls' }),
  },
  job: {
    type: 'list',
    items: obj('JobBehaviour', { metric: str, version: str, after: str, outcome: str }, { outcome: 'every job entry needs `outcome`: Complete or Failed' }),
  },
  fixtures: {
    type: 'map',
    values: obj('Fixture', { version: str, value: any, values: { type: 'list', items: obj('FixturePoint', { from: str, value: any }, { value: 'every fixture point needs a `value`' }) } }),
  },
});

type J = { [k: string]: Json } | undefined;
const asObj = (v: Json | undefined): J => (v && typeof v === 'object' && !Array.isArray(v) ? (v as { [k: string]: Json }) : undefined);
const strOf = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

const TRAFFIC_OF = ['errorRatio', 'requestRate', 'latencyQuantile'] as const;

/** A JSON value with `{ $traffic: … }` placeholders checked and converted. */
function templated(c: ValueChecker, path: string, v: Json | undefined): TemplatedJson {
  if (v === undefined || v === null || typeof v !== 'object') return (v ?? null) as TemplatedJson;
  if (Array.isArray(v)) return v.map((x, i) => templated(c, `${path}[${i}]`, x));
  const o = v as { [k: string]: Json };
  if ('$traffic' in o) {
    const t = asObj(o['$traffic']);
    const p = `${path}.$traffic`;
    if (Object.keys(o).length !== 1 || !t) {
      c.error(path, 'a `$traffic` value is an object of its own: { $traffic: { of: errorRatio, version: canary, window: 1m } }.');
      return null;
    }
    for (const k of Object.keys(t)) if (!['of', 'version', 'window', 'quantile'].includes(k)) c.error(`${p}.${k}`, `unknown key \`${k}\` in $traffic (keys: of, version, window, quantile).`);
    const of = strOf(t['of']);
    if (!of || !(TRAFFIC_OF as readonly string[]).includes(of)) c.error(`${p}.of`, `expected of: ${TRAFFIC_OF.join(', ')}, got ${JSON.stringify(t['of'] ?? null)}.`);
    const version = strOf(t['version']) ?? 'canary';
    if (version !== 'canary' && version !== 'stable') c.error(`${p}.version`, `expected version: canary (the analysed revision) or stable, got ${JSON.stringify(version)}.`);
    const quantile = t['quantile'] ?? 0.99;
    if (typeof quantile !== 'number' || !(quantile > 0 && quantile < 1)) c.error(`${p}.quantile`, `expected a quantile between 0 and 1 (e.g. 0.99), got ${JSON.stringify(quantile)}.`);
    const spec: TrafficValueSpec = {
      of: (of ?? 'errorRatio') as TrafficValueSpec['of'],
      version: version === 'stable' ? 'stable' : 'canary',
      quantile: typeof quantile === 'number' ? quantile : 0.99,
      windowMs: c.duration(`${p}.window`, strOf(t['window']), 60_000, 1000),
    };
    return { $traffic: spec };
  }
  return Object.fromEntries(Object.keys(o).map((k) => [k, templated(c, `${path}.${k}`, o[k])]));
}

export function parseProviders(c: ValueChecker, p: J): ProvidersSpec | undefined {
  if (!p) return undefined;
  const web: WebAnswerSpec[] = ((p['web'] as Json[] | undefined) ?? []).map((item, i) => {
    const w = asObj(item);
    const path = `spec.providers.web[${i}]`;
    const status = w?.['status'] ?? 200;
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) c.error(`${path}.status`, `expected an HTTP status code from 100 to 599, got ${JSON.stringify(status)}.`);
    return {
      url: strOf(w?.['url']) ?? '',
      fromMs: c.duration(`${path}.from`, strOf(w?.['from']), 0),
      version: strOf(w?.['version']),
      status: typeof status === 'number' ? status : 200,
      body: w?.['body'] === undefined ? undefined : templated(c, `${path}.body`, w['body']),
      latencyMs: c.duration(`${path}.latency`, strOf(w?.['latency']), 0),
    };
  });
  const job: JobSpecEntry[] = ((p['job'] as Json[] | undefined) ?? []).map((item, i) => {
    const j = asObj(item);
    const path = `spec.providers.job[${i}]`;
    const outcome = strOf(j?.['outcome']);
    if (outcome !== undefined && outcome !== 'Complete' && outcome !== 'Failed') c.error(`${path}.outcome`, `expected outcome: Complete (the Job succeeds) or Failed, got ${JSON.stringify(outcome)}.`);
    return { metric: strOf(j?.['metric']), version: strOf(j?.['version']), afterMs: c.duration(`${path}.after`, strOf(j?.['after']), 0), outcome: outcome === 'Failed' ? 'Failed' : 'Complete' };
  });
  const fixtures = new Map<string, FixtureSpec[]>();
  const fx = asObj(p['fixtures']) ?? {};
  for (const name of Object.keys(fx).sort()) {
    const f = asObj(fx[name]);
    const path = `spec.providers.fixtures.${name}`;
    const hasValue = f !== undefined && 'value' in f;
    const list = (f?.['values'] as Json[] | undefined) ?? [];
    if (hasValue === list.length > 0) {
      c.error(path, 'a fixture needs exactly one of `value` (one answer throughout) or `values` (answers over time: [{ from: 0s, value: … }, …]).');
      continue;
    }
    const values = hasValue
      ? [{ fromMs: 0, value: templated(c, `${path}.value`, f['value']) }]
      : list.map((pt, i) => {
          const po = asObj(pt);
          return { fromMs: c.duration(`${path}.values[${i}].from`, strOf(po?.['from']), 0), value: templated(c, `${path}.values[${i}].value`, po?.['value']) };
        });
    for (let i = 1; i < values.length; i++) {
      if (values[i]!.fromMs < values[i - 1]!.fromMs && !c.reported(`${path}.values`)) c.conflict(`${path}.values[${i}].from`, 'fixture values must be in time order.');
    }
    fixtures.set(name, [{ version: strOf(f?.['version']), values }]);
  }
  return { web, job, fixtures };
}
