// The `custom` metric preset: an application whose own instrumentation uses other names than the
// client libraries' conventions (`http_requests_total{status="5xx"}`, a histogram in milliseconds,
// an `app` label...). The scenario chooses the counter and histogram names, the status label and
// its format, the histogram's unit and bounds, and the target labels (values may use
// {{namespace}}, {{service}}, {{rollout}}, {{podTemplateHash}}). Scraped like `generic`: through
// every Service that selects the pods.
import { DEFAULT_BUCKETS_SECONDS } from '../../traffic/behaviour.js';
import { histogramSeries, statusSeries, type MetricPreset, type PresetSeries, type ScrapeTarget } from './preset.js';

export interface CustomMetricsSpec {
  /** Counter of requests by status, e.g. http_requests_total. */
  readonly requestsMetric: string;
  /** The label carrying the status, e.g. code or status. */
  readonly statusLabel: string;
  /** "code": 200 / 500; "class": 2xx / 5xx. */
  readonly statusFormat: 'code' | 'class';
  /** Histogram base name (without _bucket), e.g. http_request_duration_milliseconds. */
  readonly durationMetric: string;
  readonly durationUnit: 'seconds' | 'milliseconds';
  /** Bucket upper bounds in durationUnit; undefined: the client libraries' defaults. */
  readonly buckets: readonly number[] | undefined;
  /** Target labels, name → value template; undefined: generic's namespace, service, job, pod hash. */
  readonly labels: ReadonlyMap<string, string> | undefined;
}

export const CUSTOM_DEFAULTS: CustomMetricsSpec = {
  requestsMetric: 'http_requests_total',
  statusLabel: 'code',
  statusFormat: 'code',
  durationMetric: 'http_request_duration_seconds',
  durationUnit: 'seconds',
  buckets: undefined,
  labels: undefined,
};

const PLACEHOLDER = /\{\{\s*(namespace|service|rollout|podTemplateHash)\s*\}\}/g;

function fill(template: string, t: ScrapeTarget): string {
  return template.replace(PLACEHOLDER, (_, key: string) => {
    switch (key) {
      case 'namespace':
        return t.namespace;
      case 'service':
        return t.service;
      case 'rollout':
        return t.rollout ?? t.service;
      default:
        return t.podTemplateHash;
    }
  });
}

export function customPreset(spec: CustomMetricsSpec): MetricPreset {
  const scale = spec.durationUnit === 'milliseconds' ? 1000 : 1;
  const boundsInUnit = spec.buckets ?? DEFAULT_BUCKETS_SECONDS.map((s) => (scale === 1 ? s : Math.round(s * scale * 1e6) / 1e6));
  const status = (code: number): string => (spec.statusFormat === 'class' ? `${String(code).charAt(0)}xx` : String(code));
  return {
    name: 'custom',
    bucketsSeconds: boundsInUnit.map((b) => b / scale),
    // The chosen labels may leave out the pod-template hash: ReplicaSets behind one Service then
    // feed one series, as their pods' counters would be summed by such a query anyway.
    aggregate: true,
    layout(t: ScrapeTarget): PresetSeries[] {
      const labels: Record<string, string> = {};
      if (spec.labels === undefined) {
        Object.assign(labels, { namespace: t.namespace, service: t.service, job: t.service, rollouts_pod_template_hash: t.podTemplateHash });
      } else {
        for (const [name, value] of [...spec.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) labels[name] = fill(value, t);
      }
      return [
        ...statusSeries(spec.requestsMetric, labels, spec.statusLabel, status(200), status(t.errorCode)),
        ...histogramSeries(spec.durationMetric, labels, boundsInUnit, scale),
      ];
    },
  };
}
