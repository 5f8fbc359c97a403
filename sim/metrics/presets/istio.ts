// The `istio` metric preset: Istio's standard metrics as the sidecars' stats plugin exposes them
// (Istio docs "Istio Standard Metrics"; proxy extension `istio.stats`):
//   istio_requests_total{response_code, ...}                      counter
//   istio_request_duration_milliseconds_bucket{le, ...}            histogram in milliseconds
//   istio_request_duration_milliseconds_sum / _count
// with the standard labels (reporter, source_*, destination_*, request_protocol, response_code,
// grpc_response_status, response_flags, connection_security_policy). Each request is counted
// twice, as in a mesh: once by the client's sidecar (reporter="source"; the client is the ingress
// gateway) and once by the serving pod's sidecar (reporter="destination"), so both the Argo
// Rollouts docs' queries (reporter="source", destination_service=~"<svc>.<ns>.svc.cluster.local")
// and Flagger-style ones (reporter="destination", destination_workload=...) find their series.
//
// Values derived from the pod, as Istio derives them:
// - destination_workload: the pod's controller. Istio names a ReplicaSet's pods after their
//   Deployment only when the pods carry `pod-template-hash`; Rollout pods carry
//   `rollouts-pod-template-hash`, so the workload is the ReplicaSet (`checkout-7d4b9c`).
// - destination_canonical_service: label service.istio.io/canonical-name, else
//   app.kubernetes.io/name, else app, else the workload; destination_canonical_revision:
//   service.istio.io/canonical-revision, else app.kubernetes.io/version, else version, else "latest";
//   destination_app / destination_version: the `app` / `version` labels ("unknown" when absent).
// - destination_service: the Service host the request was sent to (the canary or stable Service's
//   FQDN); destination_service_name / _namespace its parts.
import { histogramSeries, statusSeries, type MetricPreset, type PresetSeries, type ScrapeTarget } from './preset.js';

/** Envoy's default histogram bounds (milliseconds), which Istio's request duration uses. */
export const ENVOY_DEFAULT_BUCKETS_MS: readonly number[] = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

const GATEWAY = { workload: 'istio-ingressgateway', namespace: 'istio-system', app: 'istio-ingressgateway' };

export function canonicalService(labels: Readonly<Record<string, string>>, workload: string): string {
  return labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? labels['app'] ?? workload;
}

export function canonicalRevision(labels: Readonly<Record<string, string>>): string {
  return labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? labels['version'] ?? 'latest';
}

export const istioPreset: MetricPreset = {
  name: 'istio',
  bucketsSeconds: ENVOY_DEFAULT_BUCKETS_MS.map((ms) => ms / 1000),
  targetPerReplicaSet: true,
  aggregate: true,
  layout(t: ScrapeTarget): PresetSeries[] {
    const pod = t.podLabels ?? {};
    const workload = t.replicaSet ?? t.rollout ?? t.service;
    const destination = {
      destination_workload: workload,
      destination_workload_namespace: t.namespace,
      destination_principal: `spiffe://cluster.local/ns/${t.namespace}/sa/default`,
      destination_app: pod['app'] ?? 'unknown',
      destination_version: pod['version'] ?? 'unknown',
      destination_service: `${t.service}.${t.namespace}.svc.cluster.local`,
      destination_service_name: t.service,
      destination_service_namespace: t.namespace,
      destination_canonical_service: canonicalService(pod, workload),
      destination_canonical_revision: canonicalRevision(pod),
      destination_cluster: 'Kubernetes',
    };
    const source = {
      source_workload: GATEWAY.workload,
      source_workload_namespace: GATEWAY.namespace,
      source_principal: `spiffe://cluster.local/ns/${GATEWAY.namespace}/sa/istio-ingressgateway-service-account`,
      source_app: GATEWAY.app,
      source_version: 'unknown',
      source_canonical_service: GATEWAY.workload,
      source_canonical_revision: 'latest',
      source_cluster: 'Kubernetes',
    };
    const out: PresetSeries[] = [];
    for (const reporter of ['destination', 'source'] as const) {
      const labels = {
        reporter,
        ...source,
        ...destination,
        request_protocol: 'http',
        grpc_response_status: '',
        response_flags: '-',
        connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown',
      };
      out.push(...statusSeries('istio_requests_total', labels, 'response_code', '200', String(t.errorCode)));
      // Istio's duration histogram carries response_code too; the simulated latency does not
      // depend on the code, so it is exposed under the success code only (one histogram, not two).
      out.push(...histogramSeries('istio_request_duration_milliseconds', { ...labels, response_code: '200' }, ENVOY_DEFAULT_BUCKETS_MS, 1000));
    }
    return out;
  },
};
