// The `nginx` metric preset: what the NGINX Ingress Controller (kubernetes/ingress-nginx) exposes
// for the requests it proxies (internal/ingress/metric/collectors/socket.go; labels filled by
// rootfs/etc/nginx/lua/monitor.lua):
//   nginx_ingress_controller_requests{status, ingress, service, canary, namespace, host, method, path, ...}
//   nginx_ingress_controller_request_duration_seconds_bucket{le, ...}   (client_golang default buckets)
//   nginx_ingress_controller_request_duration_seconds_sum / _count
// Argo Rollouts' NGINX router clones the stable Ingress into a canary Ingress; ingress-nginx merges
// the canary into the stable Ingress' location, so every request is labelled with the stable
// Ingress and its Service, and `canary` holds the alternative upstream (`<ns>-<canary svc>-<port>`)
// only when the request went to the canary — stable requests have no `canary` label (an empty
// label value does not exist in Prometheus).
import { DEFAULT_BUCKETS_SECONDS } from '../../traffic/behaviour.js';
import { histogramSeries, statusSeries, type MetricPreset, type PresetSeries, type ScrapeTarget } from './preset.js';

/** Whether the target's pods are the canary's: selected by the canary Service and not the stable one. */
export function servesCanary(t: ScrapeTarget): boolean {
  const s = t.selectingServices ?? [t.service];
  return t.canaryService !== undefined && t.canaryService !== t.stableService && s.includes(t.canaryService) && !(t.stableService !== undefined && s.includes(t.stableService));
}

export const nginxPreset: MetricPreset = {
  name: 'nginx',
  bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
  targetPerReplicaSet: true,
  aggregate: true,
  persistentSeries: true,
  layout(t: ScrapeTarget): PresetSeries[] {
    const canary = servesCanary(t);
    const backend = t.stableService ?? t.service;
    const labels = {
      controller_class: 'k8s.io/ingress-nginx',
      controller_namespace: 'ingress-nginx',
      controller_pod: 'ingress-nginx-controller',
      namespace: t.namespace,
      ingress: t.ingress ?? t.rollout ?? t.service,
      service: backend,
      host: `${t.rollout ?? backend}.example.com`,
      method: 'GET',
      path: '/',
      canary: canary ? `${t.namespace}-${t.canaryService!}-80` : '',
    };
    return [
      ...statusSeries('nginx_ingress_controller_requests', labels, 'status', '200', String(t.errorCode)),
      ...histogramSeries('nginx_ingress_controller_request_duration_seconds', labels, DEFAULT_BUCKETS_SECONDS, 1),
    ];
  },
};
