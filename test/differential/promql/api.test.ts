// The HTTP API, byte for byte: rehearse's Prometheus API server and real Prometheus 2.42 / 3.15
// serve the same samples; the same requests (through the same client, harness/prometheus/client.ts)
// must get the same HTTP status and the same response text — JSON shapes, key order, number and
// timestamp encodings, error types and messages. Queries are chosen so that Prometheus' own answer
// is deterministic (no Go-map order, no libm last-ulp functions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient, type PromApiResponse } from '../../../harness/prometheus/client.js';
import { fixedClock } from '../../../harness/prometheus/clock.js';
import { findPrometheusBinaries, PrometheusServer, SETUP_HINT } from '../../../harness/prometheus/realServer.js';
import { startPromApiServer, type PromApiServer } from '../../../harness/prometheus/server.js';
import { DATA_SPAN_S, DATA_START_S, generateDataset, toOpenMetrics, toSeriesStore } from './dataset.js';

const enabled = process.env['REHEARSE_DIFFERENTIAL'] === '1';
const SEED = process.env['DIFF_SEED'] ?? 'rehearse-differential-1';
const binaries = enabled ? findPrometheusBinaries() : { found: [], missing: [] };
if (enabled && binaries.missing.length > 0 && process.env['DIFF_REQUIRE_BINARIES'] === '1') {
  throw new Error(`Prometheus binaries missing for ${binaries.missing.join(', ')}: ${SETUP_HINT}`);
}

type Request = { readonly method: 'GET' | 'POST'; readonly path: string; readonly params: Record<string, string> };

const INSTANT_QUERIES = [
  // The brief's AnalysisTemplate queries.
  'sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m]))',
  'sum(rate(http_requests_total{job="api",code!~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m]))',
  'sum(irate(http_requests_total{job="web",code!~"5.*"}[5m])) / sum(irate(http_requests_total{job="web"}[5m]))',
  'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="api"}[5m])))',
  'sum(rate(http_request_duration_seconds_sum{job="api"}[5m])) / sum(rate(http_request_duration_seconds_count{job="api"}[5m]))',
  // Shapes: vectors with labels, scalars, strings, matrices, empty results, special values.
  'http_requests_total{job="api",code="500"}',
  'up',
  'rate(http_requests_total[1m])',
  'increase(http_requests_total{instance="a:9090"}[10m])',
  'sum by (job, code) (rate(http_requests_total[5m]))',
  'avg without (instance) (memory_usage_bytes)',
  'max_over_time(queue_depth[15m])',
  'weird_gauge',
  'weird_gauge * -1',
  'memory_usage_bytes offset 30m',
  'count(up == 1)',
  'scalar(sum(up))',
  '1 / 3',
  '0 / 0',
  '1e-7',
  '-0',
  '"a string"',
  'http_requests_total{job="api",code="200"}[1m]',
  'nonexistent_metric',
  'sum(nonexistent_metric)',
  'absent(nonexistent_metric{job="x"})',
  'vector(time())',
  // Errors.
  'rate(http_requests_total[5m',
  'sum(',
  'rate(up)',
  'http_requests_total + on(job) http_requests_total',
  '{code=~".*"}',
];

function requests(): Request[] {
  const out: Request[] = [];
  const times = [DATA_START_S + 1800, DATA_START_S + 3615, DATA_START_S + 5400.25, DATA_START_S + DATA_SPAN_S - 1];
  for (const query of INSTANT_QUERIES) {
    for (const time of times) out.push({ method: 'POST', path: '/api/v1/query', params: { query, time: String(time) } });
  }
  out.push({ method: 'GET', path: '/api/v1/query', params: { query: 'up{instance="a:9090"}', time: new Date((DATA_START_S + 600) * 1000).toISOString() } });
  for (const query of ['sum(rate(http_requests_total{job="api"}[5m]))', 'up', 'weird_gauge', '2 * 3', 'rate(http_requests_total{code="404"}[2m])']) {
    out.push({ method: 'POST', path: '/api/v1/query_range', params: { query, start: String(DATA_START_S + 600), end: String(DATA_START_S + 4200), step: '60' } });
    out.push({ method: 'GET', path: '/api/v1/query_range', params: { query, start: String(DATA_START_S), end: String(DATA_START_S + 900), step: '15s' } });
  }
  // Parameter errors.
  out.push({ method: 'POST', path: '/api/v1/query', params: { query: 'up', time: 'abc' } });
  out.push({ method: 'POST', path: '/api/v1/query', params: { time: '1' } });
  out.push({ method: 'POST', path: '/api/v1/query_range', params: { query: 'up', start: '100', end: '50', step: '10' } });
  out.push({ method: 'POST', path: '/api/v1/query_range', params: { query: 'up', start: '0', end: '1000000', step: '1' } });
  out.push({ method: 'POST', path: '/api/v1/query_range', params: { query: 'up', start: '0', end: '100', step: '0' } });
  return out;
}

/** Prometheus 3 adds a request-specific `X-...` nothing to the body; bodies are compared as text. */
function describeResponse(r: PromApiResponse): string {
  return `HTTP ${r.httpStatus} ${r.text.length > 600 ? `${r.text.slice(0, 600)}…` : r.text}`;
}

describe.skipIf(!enabled || binaries.found.length === 0)('Prometheus HTTP API, byte for byte against the real server', () => {
  const dataset = generateDataset(SEED);
  const store = toSeriesStore(dataset);

  describe.each(binaries.found.map((b) => [b.id, b] as const))('Prometheus %s', (_id, bin) => {
    let real: PrometheusServer | undefined;
    let ours: PromApiServer | undefined;

    beforeAll(async () => {
      real = await PrometheusServer.start(bin, toOpenMetrics(dataset));
      // The store holds Unix ms, so virtual time and Unix time coincide (epoch 0).
      ours = await startPromApiServer({ store, clock: fixedClock({ epochUnixMs: 0, nowVirtualMs: dataset.endS * 1000 }), prometheusVersion: bin.majorVersion });
    });

    afterAll(async () => {
      await ours?.close();
      await real?.stop();
    });

    it('gives the same status and response text for every request', async () => {
      const theirs = new PrometheusClient(real!.baseUrl);
      const mine = new PrometheusClient(ours!.url);
      const reqs = requests();
      const diffs: string[] = [];
      for (const r of reqs) {
        const [a, b] = await Promise.all([
          r.method === 'POST' ? mine.post(r.path, r.params) : mine.get(r.path, r.params),
          r.method === 'POST' ? theirs.post(r.path, r.params) : theirs.get(r.path, r.params),
        ]);
        if (a.httpStatus !== b.httpStatus || a.text !== b.text) {
          diffs.push(`${r.method} ${r.path} ${JSON.stringify(r.params)}\n    rehearse:   ${describeResponse(a)}\n    Prometheus: ${describeResponse(b)}`);
        }
      }
      console.log(`[differential] HTTP API vs Prometheus ${bin.id}: ${reqs.length} requests, ${reqs.length - diffs.length} identical, ${diffs.length} different`);
      expect(diffs, diffs.slice(0, 15).join('\n')).toEqual([]);
    });
  });
});
