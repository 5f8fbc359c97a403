// Fault kinds of the 'metrics' category (see types.ts and catalogue.ts): the metrics pipeline
// between the simulated pods and the AnalysisRun — Prometheus unreachable, slow queries past the
// provider timeout, empty and NaN answers, scrape gaps, counter resets, stale series.
//
// They act through two hook points: `PrometheusProvider.addQueryHook` (what a query returns and
// when) and `Scraper.addHook` (what gets scraped). Every time one acts it writes a `fault` trace
// entry with `phase: 'acted'` and what it did.
import { InputError } from '../diagnostics.js';
import type { PrometheusMetric } from '../analysis/metric.js';
import { queryUrl, transportErrorMessage } from '../analysis/providers/prometheus.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import { faultActive, type FaultKind, type FaultParamSpec, type FaultSpec, type WorldHandles } from './types.js';

/** Records that a fault acted, with what it did. */
export function faultActed(world: Pick<WorldHandles, 'trace'>, fault: FaultSpec, fields: Readonly<Record<string, unknown>>): void {
  world.trace.record('fault', { index: fault.index, kind: fault.kind, phase: 'acted', ...fields });
}

/**
 * A whole-name regular expression parameter (as Argo matches dryRun metric names); an empty
 * pattern matches everything.
 */
export function namePattern(fault: FaultSpec, param: string): (name: string) => boolean {
  const source = String(fault.params[param] ?? '');
  if (source === '') return () => true;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${source})$`);
  } catch (e) {
    throw new InputError([
      {
        severity: 'error',
        file: '<scenario>',
        line: 0,
        column: 0,
        field: `spec.faults[${fault.index}].${param}`,
        message: `fault "${fault.kind}": \`${param}\` is not a valid regular expression: ${(e as Error).message}`,
      },
    ]);
  }
  return (name) => re.test(name);
}

const metricParam: FaultParamSpec = {
  type: 'string',
  description: 'Regular expression for the AnalysisTemplate metric names affected (whole name); empty: every metric.',
  default: '',
};

/** Whether a ReplicaSet runs the image a fault targets (any of its containers). */
export function runsImage(rs: ReplicaSet, image: string): boolean {
  return rs.template.containers.some((c) => c.image === image);
}

/**
 * `dial tcp <ip>:<port>` for the address: the host when it is an IP literal, else the Service's
 * cluster IP the name resolves to (a parameter: the simulation has no DNS); the port from the URL
 * or the scheme's default, as net/http dials.
 */
function dialAddress(address: string | undefined, clusterIP: string): string {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?/.exec(address ?? '');
  const scheme = (m?.[1] ?? 'http').toLowerCase();
  const host = m?.[2] ?? '';
  const port = m?.[3] ?? (scheme === 'https' ? '443' : '80');
  const ipLiteral = /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[');
  return `${ipLiteral ? host : clusterIP}:${port}`;
}

/**
 * The measurement message Argo records when Prometheus refuses the connection. Argo stores
 * `err.Error()` of client_golang's Query (metricutil.MarkMeasurementError), which is net/http's
 * *url.Error around a *net.OpError: `Post "<address>/api/v1/query": dial tcp <ip>:<port>:
 * connect: connection refused`. "Refused" is what a Kubernetes client sees when the Prometheus
 * Service has no ready endpoints (kube-proxy rejects the connection) or the pod is not listening.
 */
export function connectionRefusedMessage(address: string | undefined, clusterIP: string): string {
  return transportErrorMessage(address, `dial tcp ${dialAddress(address, clusterIP)}: connect: connection refused`);
}

const prometheusUnreachable: FaultKind = {
  kind: 'prometheusUnreachable',
  category: 'metrics',
  description:
    'Prometheus refuses connections: every query is an Error measurement with the message Argo records, `Post "<address>/api/v1/query": dial tcp <ip>:<port>: connect: connection refused` (retried every 10 s; the 5th consecutive Error fails the metric with the default consecutiveErrorLimit 4).',
  target: 'none',
  params: {
    metric: metricParam,
    clusterIP: {
      type: 'string',
      description: "The IP the address's host name resolves to, shown in the message (an IP literal in the address is used as is).",
      default: '10.0.0.1',
    },
  },
  example: '{ at: 5m, for: 2m, kind: prometheusUnreachable }',
  install(fault, world) {
    const matches = namePattern(fault, 'metric');
    const clusterIP = String(fault.params.clusterIP);
    world.provider.addQueryHook({
      alter: (metric: PrometheusMetric, nowMs: number) => {
        if (!faultActive(fault, nowMs) || !matches(metric.name)) return undefined;
        const message = connectionRefusedMessage(metric.provider.address, clusterIP);
        faultActed(world, fault, { effect: 'connectionRefused', metric: metric.name, url: queryUrl(metric.provider.address) });
        return { kind: 'transportError', message };
      },
    });
  },
};

const slowQueries: FaultKind = {
  kind: 'slowQueries',
  category: 'metrics',
  description:
    "Queries take `latency` (plus a uniform draw below `jitter`). A query at or past the provider's timeout (metric.provider.prometheus.timeout, default 30 s) is an Error `Post \"…/api/v1/query\": context deadline exceeded` finishing `timeout` after it started; a faster one succeeds but finishes late — the AnalysisRun's reconcile lasts as long as its slowest query.",
  target: 'none',
  params: {
    latency: { type: 'duration', description: 'How long each query takes.' },
    jitter: { type: 'duration', description: 'Extra latency drawn uniformly from [0, jitter) per query.', default: 0 },
    metric: metricParam,
  },
  example: '{ at: 5m, for: 10m, kind: slowQueries, latency: 45s }',
  install(fault, world) {
    const matches = namePattern(fault, 'metric');
    const latency = Number(fault.params.latency);
    const jitter = Number(fault.params.jitter);
    world.provider.addQueryHook({
      alter: (metric, nowMs) => {
        if (!faultActive(fault, nowMs) || !matches(metric.name)) return undefined;
        const ms = latency + (jitter > 0 ? Math.floor(world.random.uniform() * jitter) : 0);
        const timeoutMs = metric.provider.timeoutSeconds * 1000;
        faultActed(world, fault, { effect: ms >= timeoutMs ? 'queryTimedOut' : 'querySlow', metric: metric.name, latencyMs: ms, timeoutMs });
        return { kind: 'latency', ms };
      },
    });
  },
};

const emptyResults: FaultKind = {
  kind: 'emptyResults',
  category: 'metrics',
  description:
    'Queries are answered as if none of their series existed (metric renamed, target not scraped yet): `sum(rate(x[5m]))` gives the empty vector `[]`, on which `result[0]` is an Error; a query with its own fallback (`or vector(0)`) still answers.',
  target: 'none',
  params: { metric: metricParam },
  example: '{ at: 2m, kind: emptyResults, metric: "error-rate" }',
  install(fault, world) {
    const matches = namePattern(fault, 'metric');
    world.provider.addQueryHook({
      alter: (metric, nowMs) => {
        if (!faultActive(fault, nowMs) || !matches(metric.name)) return undefined;
        faultActed(world, fault, { effect: 'noSeries', metric: metric.name });
        return { kind: 'noSeries' };
      },
    });
  },
};

const nanResults: FaultKind = {
  kind: 'nanResults',
  category: 'metrics',
  description:
    'Every sample value of the answer is NaN (a 0/0 ratio over idle traffic, a broken recording rule): `[NaN]`, which every comparison in a condition treats as false.',
  target: 'none',
  params: { metric: metricParam },
  example: '{ at: 2m, for: 5m, kind: nanResults }',
  install(fault, world) {
    const matches = namePattern(fault, 'metric');
    world.provider.addQueryHook({
      alter: (metric, nowMs) => {
        if (!faultActive(fault, nowMs) || !matches(metric.name)) return undefined;
        faultActed(world, fault, { effect: 'nan', metric: metric.name });
        return { kind: 'nan' };
      },
    });
  },
};

const scrapeGap: FaultKind = {
  kind: 'scrapeGap',
  category: 'metrics',
  description:
    'No scrapes during the window (Prometheus down or overloaded): nothing is appended and no stale markers are written, so instant queries keep returning the last sample until it is older than the 5-minute lookback, and rate() windows see fewer samples.',
  target: 'none',
  params: {},
  example: '{ at: 5m, for: 3m, kind: scrapeGap }',
  install(fault, world) {
    world.scraper.addHook({
      skipsScrape: (nowMs) => faultActive(fault, nowMs),
      onEffect: () => faultActed(world, fault, { effect: 'scrapeSkipped' }),
    });
  },
};

const counterReset: FaultKind = {
  kind: 'counterReset',
  category: 'metrics',
  description:
    "At `at` every pod of the target version restarts as far as its metrics go: its counters and histogram buckets start again from 0 (rate() and increase() must treat the drop as a reset). Series not yet incremented after the restart (an error code, latency buckets) vanish from the scrape and get a stale marker. The pods' readiness is not touched.",
  target: 'required',
  params: {},
  example: '{ at: 8m, kind: counterReset, target: myorg/app:v2 }',
  install(fault, world) {
    const image = fault.image!;
    world.kernel.schedule(fault.atMs, 0, `fault ${fault.index} counterReset`, () => {
      const reset: string[] = [];
      for (const rs of world.cluster.replicaSets) {
        if (!runsImage(rs, image)) continue;
        const c = world.traffic.counters.get(rs);
        if (!c) continue;
        // Zeroed in place rather than deleted: the pods keep serving, and the next traffic tick
        // counts onto the restarted counters.
        c.requests = 0;
        c.errors = 0;
        c.cumulativeBuckets.fill(0);
        c.latencySumSeconds = 0;
        reset.push(rs.name);
      }
      faultActed(world, fault, { effect: 'countersReset', image, replicaSets: reset });
    });
  },
};

const staleSeries: FaultKind = {
  kind: 'staleSeries',
  category: 'metrics',
  description:
    "From `at` (until the end of the window), series of the target version and/or whose metric name matches `series` stop being exposed (metric renamed, target dropped): the next scrape writes a stale marker for each, so instant queries no longer see them at once, and nothing more is written. With neither target nor series, every series goes stale.",
  target: 'optional',
  params: {
    series: { type: 'string', description: 'Regular expression for the metric names (__name__, whole name) that go stale; empty: all.', default: '' },
  },
  example: '{ at: 6m, kind: staleSeries, series: "http_requests_total" }',
  install(fault, world) {
    const matches = namePattern(fault, 'series');
    const image = fault.image;
    world.scraper.addHook({
      hidesSeries: (nowMs) => faultActive(fault, nowMs),
      hides: (rs, labels) => (image === undefined || runsImage(rs, image)) && matches(labels.__name__ ?? ''),
      // 'hidden': series no longer exposed (counted when a target first meets the fault);
      // 'staleMarkers': those of them the previous scrape had, marked stale now.
      onEffect: (effect) => {
        if (effect.kind !== 'skipped') faultActed(world, fault, { effect: effect.kind, series: effect.series });
      },
    });
  },
};

export const metricsFaults: readonly FaultKind[] = [prometheusUnreachable, slowQueries, emptyResults, nanResults, scrapeGap, counterReset, staleSeries];
