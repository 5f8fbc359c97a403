// Benchmark: queries per second for the template queries of the brief (error ratio, success ratio,
// p99 latency) over one hour of 40 series — rehearse's Prometheus HTTP API and a real Prometheus
// 3.x, side by side over HTTP on the same samples, printed as a ratio. The real server comes from
// `npm run setup:differential`; without it only rehearse's figures are printed.
import { performance } from 'node:perf_hooks';
import { RandomStream } from '../sim/engine/random.js';
import { compileQuery, evaluateInstant } from '../sim/metrics/promql/index.js';
import { SeriesStore } from '../sim/metrics/store.js';
import { PrometheusClient } from '../harness/prometheus/client.js';
import { fixedClock } from '../harness/prometheus/clock.js';
import { storeToOpenMetrics } from '../harness/prometheus/openMetrics.js';
import { findPrometheusBinaries, PrometheusServer, SETUP_HINT } from '../harness/prometheus/realServer.js';
import { startPromApiServer } from '../harness/prometheus/server.js';

const EPOCH_MS = 1_700_000_000_000;
const HOUR_MS = 3_600_000;
const SCRAPE_MS = 15_000;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const LE = ['0.05', '0.1', '0.25', '0.5', '1', '+Inf'];
const CUMULATIVE_SHARES = [0.3, 0.6, 0.85, 0.95, 0.99, 1];

/** 2 services × 2 pods × (2 status codes + 6 buckets + _sum + _count) = 40 series, 15 s scrapes for 1 h. */
function dataset(): SeriesStore {
  const store = new SeriesStore();
  const r = new RandomStream(7, 'bench-promql');
  for (const service of ['checkout-canary', 'checkout-stable']) {
    for (const pod of ['a', 'b']) {
      const base = { namespace: 'shop', service, pod };
      const ok = store.series({ __name__: 'http_requests_total', ...base, code: '200' });
      const err = store.series({ __name__: 'http_requests_total', ...base, code: '500' });
      const buckets = LE.map((le) => store.series({ __name__: 'http_request_duration_seconds_bucket', ...base, le }));
      const sum = store.series({ __name__: 'http_request_duration_seconds_sum', ...base });
      const count = store.series({ __name__: 'http_request_duration_seconds_count', ...base });
      let okN = 0;
      let errN = 0;
      let total = 0;
      let s = 0;
      const cum = LE.map(() => 0);
      for (let t = 0; t <= HOUR_MS; t += SCRAPE_MS) {
        const n = r.poisson(250 * 15);
        const e = r.binomial(n, service.endsWith('canary') ? 0.02 : 0.001);
        okN += n - e;
        errN += e;
        total += n;
        // Cumulative share of requests at or below each bucket bound (the last is +Inf).
        CUMULATIVE_SHARES.forEach((p, i) => (cum[i] = cum[i]! + Math.round(n * p)));
        cum[LE.length - 1] = total;
        s += n * 0.09;
        ok.append(t, okN);
        err.append(t, errN);
        buckets.forEach((b, i) => b.append(t, cum[i]!));
        sum.append(t, s);
        count.append(t, total);
      }
    }
  }
  return store;
}

const QUERIES = {
  'error ratio': 'sum(rate(http_requests_total{service="checkout-canary",code=~"5.."}[5m])) / sum(rate(http_requests_total{service="checkout-canary"}[5m]))',
  'success ratio': 'sum(rate(http_requests_total{service="checkout-canary",code!~"5.."}[5m])) / sum(rate(http_requests_total{service="checkout-canary"}[5m]))',
  'p99 latency': 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="checkout-canary"}[5m])))',
};

/** Query times spread over the hour (Unix seconds), the same for both servers. */
function times(): number[] {
  const out: number[] = [];
  for (let i = 0; i < REQUESTS; i++) out.push((EPOCH_MS + 300_000 + ((i * 7919) % (HOUR_MS - 300_000))) / 1000);
  return out;
}

async function qps(client: PrometheusClient, query: string, at: readonly number[]): Promise<number> {
  for (let i = 0; i < 50; i++) await client.query(query, at[i % at.length]!); // warm-up
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const i = next++;
        if (i >= at.length) return;
        const r = await client.query(query, at[i]!);
        if (r.body.status !== 'success') throw new Error(`query failed: ${r.text}`);
      }
    }),
  );
  return at.length / ((performance.now() - t0) / 1000);
}

const store = dataset();
const at = times();
console.log(`rehearse bench — PromQL over HTTP: ${store.seriesCount} series, 1 h at 15 s, ${REQUESTS} queries per template, ${CONCURRENCY} in flight`);
const ours = await startPromApiServer({ store, clock: fixedClock({ epochUnixMs: EPOCH_MS, nowVirtualMs: HOUR_MS }), prometheusVersion: 3 });
const { found } = findPrometheusBinaries();
const p3 = found.find((b) => b.majorVersion === 3);
let real: PrometheusServer | undefined;
try {
  if (p3) real = await PrometheusServer.start(p3, storeToOpenMetrics(store, EPOCH_MS));
  else console.log(`  (no Prometheus 3.x binary: ${SETUP_HINT})`);
  for (const [name, query] of Object.entries(QUERIES)) {
    const q = compileQuery(query);
    const t0 = performance.now();
    for (const t of at) evaluateInstant(q, store, t * 1000 - EPOCH_MS);
    const inProcess = at.length / ((performance.now() - t0) / 1000);
    const oursQps = await qps(new PrometheusClient(ours.url), query, at);
    let line = `  ${name.padEnd(14)} rehearse ${Math.round(oursQps).toLocaleString('en-US').padStart(7)} q/s over HTTP (${Math.round(inProcess).toLocaleString('en-US')} q/s in process)`;
    if (real) {
      const theirs = await qps(new PrometheusClient(real.baseUrl), query, at);
      line += ` · Prometheus ${p3!.versionText.split(' ')[2] ?? '3.x'} ${Math.round(theirs).toLocaleString('en-US').padStart(7)} q/s · ratio ${(oursQps / theirs).toFixed(2)}×`;
    }
    console.log(line);
  }
} finally {
  await ours.close();
  await real?.stop();
}
