// The `linkerd` metric preset: the Linkerd proxy's HTTP metrics (linkerd.io "Proxy Metrics"):
//   request_total{direction, authority, tls, ...}                   counter
//   response_total{direction, classification, status_code, tls, ...} counter; classification is
//                                                                    "success" or "failure" (5xx)
//   response_latency_ms_bucket{le, ...} / _sum / _count              histogram in milliseconds
// as scraped by linkerd-viz' Prometheus, which copies the pod's `linkerd.io/proxy-<kind>` label to
// `<kind>`: for pods of an Argo Rollout's ReplicaSet the injector names the ReplicaSet's owner, so
// the label is `rollout="<name>"` (a Deployment's pods get `deployment`). Only the inbound side
// (the serving pods' proxies, direction="inbound") is simulated.
import { histogramSeries, positive, type MetricPreset, type PresetSeries, type ScrapeTarget } from './preset.js';

/** The linkerd2-proxy's latency bounds, in milliseconds. */
export const LINKERD_BUCKETS_MS: readonly number[] = [1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000];

export const linkerdPreset: MetricPreset = {
  name: 'linkerd',
  bucketsSeconds: LINKERD_BUCKETS_MS.map((ms) => ms / 1000),
  targetPerReplicaSet: true,
  aggregate: true,
  layout(t: ScrapeTarget): PresetSeries[] {
    const labels = {
      namespace: t.namespace,
      rollout: t.rollout ?? t.service,
      rollouts_pod_template_hash: t.podTemplateHash,
      direction: 'inbound',
      authority: `${t.service}.${t.namespace}.svc.cluster.local:80`,
      tls: 'true',
    };
    const out: PresetSeries[] = [
      { labels: { __name__: 'request_total', ...labels }, value: (c) => positive(c.requests) },
      { labels: { __name__: 'response_total', ...labels, classification: 'success', status_code: '200' }, value: (c) => positive(c.requests - c.errors) },
      { labels: { __name__: 'response_total', ...labels, classification: 'failure', status_code: String(t.errorCode) }, value: (c) => positive(c.errors) },
    ];
    out.push(...histogramSeries('response_latency_ms', labels, LINKERD_BUCKETS_MS, 1000));
    return out;
  },
};
