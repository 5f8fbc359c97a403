// The `envoy` metric preset: an Envoy proxy in front of the Services (Contour, Envoy Gateway and
// other Gateway API implementations), as Envoy's /stats/prometheus renders its upstream cluster
// statistics (the `envoy_cluster_name`, `envoy_response_code` and `envoy_response_code_class` tags
// are Envoy's default tag extractors):
//   envoy_cluster_upstream_rq{envoy_cluster_name, envoy_response_code}   counter per code
//   envoy_cluster_upstream_rq_xx{envoy_cluster_name, envoy_response_code_class}   per class (2, 5)
//   envoy_cluster_upstream_rq_total{envoy_cluster_name}
//   envoy_cluster_upstream_rq_time_bucket{le, envoy_cluster_name} / _sum / _count   milliseconds
// One upstream cluster per Service, named as Contour names them: `<namespace>_<service>_<port>`
// (port 80 assumed).
import { ENVOY_DEFAULT_BUCKETS_MS } from './istio.js';
import { histogramSeries, positive, statusSeries, type MetricPreset, type PresetSeries, type ScrapeTarget } from './preset.js';

export const envoyPreset: MetricPreset = {
  name: 'envoy',
  bucketsSeconds: ENVOY_DEFAULT_BUCKETS_MS.map((ms) => ms / 1000),
  targetPerReplicaSet: true,
  aggregate: true,
  persistentSeries: true,
  layout(t: ScrapeTarget): PresetSeries[] {
    const labels = { envoy_cluster_name: `${t.namespace}_${t.service}_80` };
    const errorClass = String(t.errorCode).charAt(0);
    return [
      ...statusSeries('envoy_cluster_upstream_rq', labels, 'envoy_response_code', '200', String(t.errorCode)),
      ...statusSeries('envoy_cluster_upstream_rq_xx', labels, 'envoy_response_code_class', '2', errorClass),
      { labels: { __name__: 'envoy_cluster_upstream_rq_total', ...labels }, value: (c) => positive(c.requests) },
      ...histogramSeries('envoy_cluster_upstream_rq_time', labels, ENVOY_DEFAULT_BUCKETS_MS, 1000),
    ];
  },
};
