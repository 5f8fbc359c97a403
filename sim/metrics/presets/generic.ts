// The `generic` metric preset: what an application instrumented with a Prometheus client library
// exposes and a ServiceMonitor scrapes —
//   http_requests_total{code}                       counter, one series per status code seen
//   http_request_duration_seconds_bucket{le}        classic histogram
//   http_request_duration_seconds_sum / _count
// with target labels `namespace`, `service` (the Service the pods were scraped through: the canary
// or stable Service once the controller manages them), `job` (= service, as the Prometheus
// Operator sets it) and `rollouts_pod_template_hash` (the pod label). Series are per ReplicaSet, not
// per pod: PromQL over them gives the same `sum(rate(...))` at a fraction of the series count.
// Like client libraries, a `code` series appears only once a request with that code was served.
import type { MetricPreset, PresetSeries, ScrapeTarget } from './preset.js';

const positive = (v: number): number | undefined => (v > 0 ? v : undefined);

export const genericPreset: MetricPreset = {
  name: 'generic',
  layout(target: ScrapeTarget): PresetSeries[] {
    const base = {
      namespace: target.namespace,
      service: target.service,
      job: target.service,
      rollouts_pod_template_hash: target.podTemplateHash,
    };
    const out: PresetSeries[] = [
      { labels: { __name__: 'http_requests_total', ...base, code: '200' }, value: (c) => positive(c.requests - c.errors) },
      { labels: { __name__: 'http_requests_total', ...base, code: String(target.errorCode) }, value: (c) => positive(c.errors) },
    ];
    const served = (v: number, c: { requests: number }): number | undefined => (c.requests > 0 ? v : undefined);
    target.bucketsSeconds.forEach((le, i) => {
      out.push({
        labels: { __name__: 'http_request_duration_seconds_bucket', ...base, le: String(le) },
        value: (c) => served(c.cumulativeBuckets[i]!, c),
      });
    });
    out.push(
      { labels: { __name__: 'http_request_duration_seconds_bucket', ...base, le: '+Inf' }, value: (c) => served(c.requests, c) },
      { labels: { __name__: 'http_request_duration_seconds_sum', ...base }, value: (c) => served(c.latencySumSeconds, c) },
      { labels: { __name__: 'http_request_duration_seconds_count', ...base }, value: (c) => served(c.requests, c) },
    );
    return out;
  },
};
