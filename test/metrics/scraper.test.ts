// The scrape model and the generic preset: the series a real client library exposes, labelled by
// the Service the pods are scraped through, created lazily per status code, marked stale when the
// target disappears — and queryable with the PromQL an AnalysisTemplate would use.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../sim/cluster/cluster.js';
import { SimService } from '../../sim/cluster/service.js';
import { Kernel } from '../../sim/engine/kernel.js';
import { RandomStream } from '../../sim/engine/random.js';
import { TraceRecorder } from '../../sim/engine/trace.js';
import type { PodTemplateSpec } from '../../sim/manifests/types.js';
import { compileQuery, evaluateInstant } from '../../sim/metrics/promql/index.js';
import { genericPreset } from '../../sim/metrics/presets/generic.js';
import { nginxPreset } from '../../sim/metrics/presets/nginx.js';
import { Scraper } from '../../sim/metrics/scraper.js';
import { SeriesStore } from '../../sim/metrics/store.js';
import { DEFAULT_BUCKETS_SECONDS } from '../../sim/traffic/behaviour.js';
import { currentRoutes } from '../../sim/traffic/routing.js';
import { TrafficModel } from '../../sim/traffic/trafficModel.js';

const template = (image: string): PodTemplateSpec => ({
  metadata: { labels: { app: 'web' }, annotations: {} },
  containers: [{ name: 'web', image }],
  raw: { image },
});

function setup(errorRatio: number) {
  const kernel = new Kernel();
  const trace = new TraceRecorder(kernel);
  const cluster = new Cluster({ kernel, trace, podRandom: new RandomStream(1, 'pods'), startupFor: () => ({ drawStartupMs: () => 0 }) });
  const entry = new SimService('web', { app: 'web' });
  cluster.addService(entry);
  const traffic = new TrafficModel({
    random: new RandomStream(1, 'traffic'),
    load: { kind: 'constant', rps: 100 },
    bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
    behaviourOf: () => ({ errorRatio, latencyP50Ms: 40, latencyP99Ms: 250 }),
    routes: () => currentRoutes(cluster, { kind: 'service', service: entry }),
  });
  cluster.onChange(() => traffic.routingChanged(kernel.nowMs));
  const store = new SeriesStore();
  const scraper = new Scraper({
    store,
    cluster,
    traffic,
    preset: genericPreset,
    namespace: 'shop',
    fallbackService: 'web',
    bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
    errorCode: 503,
  });
  const scrapeAt = (t: number): void => {
    kernel.run(t);
    traffic.tick(t);
    scraper.scrape(t);
  };
  const query = (q: string, t: number) => evaluateInstant(compileQuery(q), store, t);
  return { kernel, cluster, store, scrapeAt, query };
}

describe('generic preset through the scraper', () => {
  it('exposes counters and a histogram per ReplicaSet with target labels', () => {
    const w = setup(0.01);
    const rs = w.cluster.createReplicaSet('web-a', 'a', template('web:1'), 0);
    w.cluster.scale(rs, 2);
    for (let t = 15_000; t <= 120_000; t += 15_000) w.scrapeAt(t);
    const names = new Set(w.store.select([]).map((h) => h.labels.get('__name__')));
    expect([...names].sort()).toEqual([
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_sum',
      'http_requests_total',
    ]);
    const ok = w.query('sum(rate(http_requests_total{service="web",code!~"5.."}[1m])) / sum(rate(http_requests_total{service="web"}[1m]))', 120_000);
    expect(ok.resultType).toBe('vector');
    const ratio = ok.resultType === 'vector' ? ok.samples[0]!.value : NaN;
    expect(ratio).toBeGreaterThan(0.97);
    expect(ratio).toBeLessThan(1);
    const codes = w.query('count by (code, rollouts_pod_template_hash, namespace, job) (http_requests_total)', 120_000);
    expect(codes.resultType === 'vector' && codes.samples.map((s) => s.labels).sort((a, b) => a.code!.localeCompare(b.code!))).toEqual([
      { code: '200', job: 'web', namespace: 'shop', rollouts_pod_template_hash: 'a' },
      { code: '503', job: 'web', namespace: 'shop', rollouts_pod_template_hash: 'a' },
    ]);
    const p99 = w.query('histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))', 120_000);
    expect(p99.resultType === 'vector' && p99.samples[0]!.value).toBeGreaterThan(0.1);
  });

  it('creates a code series only once a request with that code was served (like client libraries)', () => {
    const w = setup(0);
    const rs = w.cluster.createReplicaSet('web-a', 'a', template('web:1'), 0);
    w.cluster.scale(rs, 1);
    w.scrapeAt(15_000);
    w.scrapeAt(30_000);
    const errors = w.query('sum(rate(http_requests_total{code=~"5.."}[1m]))', 30_000);
    expect(errors.resultType === 'vector' && errors.samples).toEqual([]);
    expect(errors.unmatchedSelectors.map((s) => s.text)).toEqual(['http_requests_total{code=~"5.."}']);
  });

  it('marks the series stale when the ReplicaSet has no pods any more', () => {
    const w = setup(0);
    const rs = w.cluster.createReplicaSet('web-a', 'a', template('web:1'), 0);
    w.cluster.scale(rs, 1);
    w.scrapeAt(15_000);
    w.cluster.scale(rs, 0);
    w.scrapeAt(30_000);
    const now = w.query('http_requests_total', 30_000);
    expect(now.resultType === 'vector' && now.samples).toEqual([]);
    const before = w.query('http_requests_total', 29_999);
    expect(before.resultType === 'vector' && before.samples.length).toBe(1);
  });
});

describe('aggregated presets (requests counted where they are served)', () => {
  function nginxSetup() {
    const kernel = new Kernel();
    const trace = new TraceRecorder(kernel);
    const cluster = new Cluster({ kernel, trace, podRandom: new RandomStream(1, 'pods'), startupFor: () => ({ drawStartupMs: () => 0 }) });
    const stable = new SimService('web-stable', { app: 'web' });
    cluster.addService(stable);
    const traffic = new TrafficModel({
      random: new RandomStream(1, 'traffic'),
      load: { kind: 'constant', rps: 100 },
      bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
      behaviourOf: () => ({ errorRatio: 0, latencyP50Ms: 40, latencyP99Ms: 250 }),
      routes: () => currentRoutes(cluster, { kind: 'service', service: stable }),
    });
    cluster.onChange(() => traffic.routingChanged(kernel.nowMs));
    const store = new SeriesStore();
    const scraper = new Scraper({
      store,
      cluster,
      traffic,
      preset: nginxPreset,
      namespace: 'shop',
      fallbackService: 'web',
      bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
      errorCode: 500,
      stableService: 'web-stable',
      ingress: 'web',
    });
    const scrapeAt = (t: number): void => {
      kernel.run(t);
      traffic.tick(t);
      for (const rs of cluster.replicaSets) if (rs.statusReplicas === 0) traffic.resetCounters(rs);
      scraper.scrape(t);
    };
    return { cluster, store, scrapeAt };
  }

  it('sums every ReplicaSet behind the stable Service into one monotonic counter that outlives them', () => {
    const w = nginxSetup();
    const a = w.cluster.createReplicaSet('web-a', 'a', template('web:1'), 0);
    w.cluster.scale(a, 1);
    w.scrapeAt(15_000);
    w.scrapeAt(30_000);
    const b = w.cluster.createReplicaSet('web-b', 'b', template('web:2'), 0);
    w.cluster.scale(b, 1);
    w.scrapeAt(45_000);
    w.scrapeAt(60_000);
    w.cluster.scale(a, 0);
    w.scrapeAt(75_000);
    w.scrapeAt(90_000);
    w.cluster.scale(b, 0);
    w.scrapeAt(105_000);
    const series = w.store.select([]).filter((h) => h.labels.get('__name__') === 'nginx_ingress_controller_requests');
    // One series: no pod-template hash in NGINX's labels.
    expect(series).toHaveLength(1);
    const q = (t: number): number => {
      const r = evaluateInstant(compileQuery('nginx_ingress_controller_requests'), w.store, t);
      return r.resultType === 'vector' ? r.samples[0]!.value : NaN;
    };
    const values = [15_000, 30_000, 45_000, 60_000, 75_000, 90_000, 105_000].map(q);
    // Never decreases (no counter reset when web-a goes away), and grows by ~100 req/s × 15 s while pods serve.
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    expect(values[6]! - values[0]!).toBeGreaterThan(1200);
    // After the last pods went away the controller still exposes the counter, unchanged.
    expect(values[6]).toBe(values[5]);
  });

  it('property: whatever ReplicaSets come and go, every series of an aggregated preset only grows', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 12 }), (ops) => {
        const w = nginxSetup();
        const rss = [0, 1, 2].map((i) => w.cluster.createReplicaSet(`web-${i}`, `h${i}`, template(`web:${i}`), 0));
        const times: number[] = [];
        ops.forEach(([which, replicas], k) => {
          w.cluster.scale(rss[which]!, replicas);
          const t = 15_000 * (k + 1);
          w.scrapeAt(t);
          times.push(t);
        });
        for (const h of w.store.select([])) {
          let last = -Infinity;
          for (const t of times) {
            const r = evaluateInstant(compileQuery(h.labels.toString()), w.store, t);
            if (r.resultType !== 'vector' || r.samples.length === 0) continue;
            const v = r.samples[0]!.value;
            expect(v).toBeGreaterThanOrEqual(last);
            last = v;
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
