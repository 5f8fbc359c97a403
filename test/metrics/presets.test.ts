// Metric presets end to end: a traffic-routed canary (50% weight, the new version failing 5% of
// requests, p99 250 ms) is measured by the AnalysisTemplate queries real users write against each
// exporter — the Argo Rollouts docs' Istio template, Flagger's built-in NGINX / Linkerd / Contour
// (Envoy) checks, and the design brief's templates through a custom mapping — and each must find
// its series and measure what the simulated traffic did.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../sim/manifests/load.js';
import type { CustomMetricsSpec } from '../../sim/metrics/presets/custom.js';
import { CUSTOM_DEFAULTS } from '../../sim/metrics/presets/custom.js';
import type { PresetName } from '../../sim/metrics/presets/index.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { rolloutYaml, serviceYaml, world } from '../helpers/sim.js';

interface Query {
  readonly name: string;
  readonly query: string;
}

function templateYaml(queries: readonly Query[]): string {
  const metrics = queries
    .map(
      (q) => `    - name: ${q.name}
      successCondition: "true"
      provider:
        prometheus:
          address: http://prometheus:9090
          query: ${JSON.stringify(q.query)}`,
    )
    .join('\n');
  return `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: checks, namespace: default}
spec:
  args:
    - name: service-name
  metrics:
${metrics}
`;
}

const ROUTERS: Record<string, string> = {
  istio: 'istio:\n    virtualService: {name: demo, routes: [primary]}',
  nginx: 'nginx:\n    stableIngress: demo-ingress',
};

/** Runs the canary with `preset` and the queries as one step analysis after 3 minutes at 50%. */
function measure(preset: PresetName, queries: readonly Query[], opts: { router?: string; serviceArg?: string; custom?: CustomMetricsSpec } = {}): RunResult {
  const manifests = [
    rolloutYaml({
      replicas: 4,
      canary: `canaryService: demo-canary
stableService: demo-stable
trafficRouting:
  ${ROUTERS[opts.router ?? 'istio']}
steps:
  - setWeight: 50
  - pause: {duration: 3m}
  - analysis:
      templates: [{templateName: checks}]
      args: [{name: service-name, value: ${opts.serviceArg ?? 'demo-canary'}}]`,
    }),
    serviceYaml('demo-canary'),
    serviceYaml('demo-stable'),
    templateYaml(queries),
  ];
  const set = loadManifests(manifests.map((text, i) => ({ name: `inline-${i}.yaml`, text })));
  const w = world({ rps: 400, v2ErrorRatio: 0.05, untilMs: 8 * 60_000 });
  return runScenario({ ...w, metrics: { ...w.metrics, preset, ...(opts.custom ? { custom: opts.custom } : {}) } }, set);
}

function value(r: RunResult, metric: string): number {
  const m = r.analysisRuns.flatMap((a) => a.measurements).find((x) => x.metric === metric);
  expect(m, `measurement ${metric}`).toBeDefined();
  expect(m!.phase, `${metric}: ${m!.message ?? ''}`).toBe('Successful');
  const v = /^\[([^\]]+)\]$/.exec(m!.value ?? '')?.[1];
  expect(v, `${metric} value ${m!.value}`).toBeDefined();
  return Number(v);
}

const unmatched = (r: RunResult): string[] => r.warnings.filter((w) => w.includes('matched no simulated series'));
const noUnmatched = (r: RunResult): void => expect(unmatched(r)).toEqual([]);

describe('istio preset', () => {
  it("answers the Argo Rollouts docs' success-rate template (reporter=source, destination_service FQDN)", () => {
    const r = measure(
      'istio',
      [
        {
          name: 'success-rate',
          query: `sum(irate(istio_requests_total{reporter="source",destination_service=~"{{args.service-name}}",response_code!~"5.*"}[5m])) / sum(irate(istio_requests_total{reporter="source",destination_service=~"{{args.service-name}}"}[5m]))`,
        },
        {
          name: 'p99',
          query: `histogram_quantile(0.99, sum(irate(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload_namespace="default",destination_canonical_service="demo",destination_service_name="demo-canary"}[5m])) by (le))`,
        },
        { name: 'stable-rate', query: `sum(rate(istio_requests_total{reporter="destination",destination_service_name="demo-stable"}[2m]))` },
      ],
      { serviceArg: 'demo-canary.default.svc.cluster.local' },
    );
    noUnmatched(r);
    // irate: the last two scrapes only, 15 s at ~200 req/s on the canary → ±1 % around 0.95.
    expect(value(r, 'success-rate')).toBeGreaterThan(0.93);
    expect(value(r, 'success-rate')).toBeLessThan(0.97);
    // p99 250 ms sits on Envoy's 250 ms bound: irate over the last two scrapes puts the
    // interpolated quantile in the (100, 250] or (250, 500] bucket, never further.
    const p99 = value(r, 'p99');
    expect(p99).toBeGreaterThan(100);
    expect(p99).toBeLessThan(500);
    // The stable Service's pods get the other half: ~200 req/s.
    expect(value(r, 'stable-rate')).toBeGreaterThan(180);
    expect(value(r, 'stable-rate')).toBeLessThan(220);
  });

  it('exposes the real label set and Envoy bucket bounds', () => {
    const r = measure('istio', [{ name: 'series', query: 'count(istio_requests_total)' }]);
    const store = runScenario(
      { ...world({ rps: 50, untilMs: 2 * 60_000, changeAtMs: null }), metrics: { ...world().metrics, preset: 'istio' } },
      loadManifests([{ name: 'r.yaml', text: rolloutYaml({ replicas: 2, canary: 'steps: [{setWeight: 50}]' }) }]),
      { keepStore: true },
    ).store!;
    const series = store.select([]);
    const labels = series.find((h) => h.labels.get('__name__') === 'istio_requests_total')!.labels.toRecord();
    expect(Object.keys(labels).sort()).toEqual(
      [
        '__name__',
        'connection_security_policy',
        'destination_app',
        'destination_canonical_revision',
        'destination_canonical_service',
        'destination_cluster',
        'destination_principal',
        'destination_service',
        'destination_service_name',
        'destination_service_namespace',
        'destination_version',
        'destination_workload',
        'destination_workload_namespace',
        'reporter',
        'request_protocol',
        'response_code',
        'response_flags',
        'source_app',
        'source_canonical_revision',
        'source_canonical_service',
        'source_cluster',
        'source_principal',
        'source_version',
        'source_workload',
        'source_workload_namespace',
      ].sort(),
    );
    expect(labels['destination_workload']).toMatch(/^demo-[a-z0-9]+$/);
    expect(labels['destination_canonical_revision']).toBe('latest');
    const les = series
      .filter((h) => h.labels.get('__name__') === 'istio_request_duration_milliseconds_bucket' && h.labels.get('reporter') === 'destination')
      .map((h) => h.labels.get('le'));
    expect(new Set(les)).toEqual(new Set(['0.5', '1', '5', '10', '25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', '30000', '60000', '300000', '600000', '1800000', '3600000', '+Inf']));
    expect(r.series).toBeGreaterThan(0);
  });
});

describe('nginx preset', () => {
  it("answers Flagger's NGINX checks: canary traffic told apart by canary!=\"\" on the stable Ingress", () => {
    const r = measure(
      'nginx',
      [
        {
          name: 'success-rate',
          query: `sum(rate(nginx_ingress_controller_requests{namespace="default",ingress="demo-ingress",canary!="",status!~"5.*"}[2m])) / sum(rate(nginx_ingress_controller_requests{namespace="default",ingress="demo-ingress",canary!=""}[2m]))`,
        },
        {
          name: 'p99-ms',
          query: `histogram_quantile(0.99, sum(rate(nginx_ingress_controller_request_duration_seconds_bucket{namespace="default",ingress="demo-ingress",canary!=""}[2m])) by (le)) * 1000`,
        },
        { name: 'stable-errors', query: `sum(rate(nginx_ingress_controller_requests{ingress="demo-ingress",canary="",status=~"5.."}[2m])) or vector(0)` },
        { name: 'by-service', query: `count(count by (service) (nginx_ingress_controller_requests{ingress="demo-ingress"}))` },
      ],
      { router: 'nginx' },
    );
    // The stable side never served a 5xx, so that series does not exist (hence the `or vector(0)`).
    expect(unmatched(r)).toHaveLength(1);
    expect(unmatched(r)[0]).toContain('nginx_ingress_controller_requests{ingress="demo-ingress",canary="",status=~"5.."}');
    expect(value(r, 'success-rate')).toBeGreaterThan(0.94);
    expect(value(r, 'success-rate')).toBeLessThan(0.96);
    expect(value(r, 'p99-ms')).toBeGreaterThan(100);
    expect(value(r, 'p99-ms')).toBeLessThan(500);
    // v1 never fails, so the stable side has no 5xx series at all.
    expect(value(r, 'stable-errors')).toBe(0);
    // Both stable and canary requests carry the stable Service: one `service` value.
    expect(value(r, 'by-service')).toBe(1);
  });
});

describe('linkerd preset', () => {
  it("answers Flagger's Linkerd checks (response_total classification, response_latency_ms)", () => {
    const r = measure('linkerd', [
      {
        name: 'success-rate',
        query: `sum(rate(response_total{namespace="default",rollout=~"demo",classification!="failure",direction="inbound"}[2m])) / sum(rate(response_total{namespace="default",rollout=~"demo",direction="inbound"}[2m]))`,
      },
      { name: 'p99', query: `histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace="default",rollout=~"demo",direction="inbound"}[2m])) by (le))` },
      { name: 'requests', query: `sum(rate(request_total{namespace="default",rollout="demo",direction="inbound"}[2m]))` },
    ]);
    noUnmatched(r);
    // Half the traffic (the canary) fails 5 %: 2.5 % overall.
    expect(value(r, 'success-rate')).toBeGreaterThan(0.965);
    expect(value(r, 'success-rate')).toBeLessThan(0.985);
    expect(value(r, 'p99')).toBeGreaterThan(200);
    expect(value(r, 'p99')).toBeLessThanOrEqual(300);
    expect(value(r, 'requests')).toBeGreaterThan(370);
    expect(value(r, 'requests')).toBeLessThan(430);
  });
});

describe('envoy preset', () => {
  it("answers Flagger's Contour checks on envoy_cluster_name", () => {
    const r = measure('envoy', [
      {
        name: 'success-rate',
        query: `sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~"default_demo-canary_[0-9a-zA-Z-]+",envoy_response_code!~"5.*"}[2m])) / sum(rate(envoy_cluster_upstream_rq{envoy_cluster_name=~"default_demo-canary_[0-9a-zA-Z-]+"}[2m]))`,
      },
      { name: 'p99', query: `histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=~"default_demo-canary_[0-9a-zA-Z-]+"}[2m])) by (le))` },
      {
        name: 'xx-ratio',
        query: `sum(rate(envoy_cluster_upstream_rq_xx{envoy_cluster_name="default_demo-canary_80",envoy_response_code_class="5"}[2m])) / sum(rate(envoy_cluster_upstream_rq_total{envoy_cluster_name="default_demo-canary_80"}[2m]))`,
      },
    ]);
    noUnmatched(r);
    expect(value(r, 'success-rate')).toBeGreaterThan(0.94);
    expect(value(r, 'success-rate')).toBeLessThan(0.96);
    expect(value(r, 'p99')).toBeGreaterThan(100);
    expect(value(r, 'p99')).toBeLessThan(500);
    expect(value(r, 'xx-ratio')).toBeGreaterThan(0.04);
    expect(value(r, 'xx-ratio')).toBeLessThan(0.06);
  });
});

describe('custom preset', () => {
  it("answers the design brief's templates: status=~\"5..\" and a millisecond histogram", () => {
    const custom: CustomMetricsSpec = {
      ...CUSTOM_DEFAULTS,
      statusLabel: 'status',
      durationMetric: 'http_request_duration_milliseconds',
      durationUnit: 'milliseconds',
      labels: new Map([['service', '{{service}}']]),
    };
    const r = measure(
      'custom',
      [
        { name: 'error-rate', query: `sum(rate(http_requests_total{service="{{args.service-name}}",status=~"5.."}[5m])) / sum(rate(http_requests_total{service="{{args.service-name}}"}[5m]))` },
        { name: 'latency-p99', query: `histogram_quantile(0.99, sum(rate(http_request_duration_milliseconds_bucket{service="demo-canary"}[5m])) by (le))` },
        { name: 'error-rate-2m', query: `sum(rate(http_requests_total{service="{{args.service-name}}",status=~"5.."}[2m])) / sum(rate(http_requests_total{service="{{args.service-name}}"}[2m]))` },
      ],
      { custom },
    );
    noUnmatched(r);
    // A ServiceMonitor per Service: until the canary existed, demo-canary selected the stable
    // pods, so the 5-minute window still holds their error-free requests under service=demo-canary
    // (1m of the canary's 4m is stable traffic) — below the canary's own 5 %.
    expect(value(r, 'error-rate')).toBeGreaterThan(0.025);
    expect(value(r, 'error-rate')).toBeLessThan(0.045);
    expect(value(r, 'error-rate-2m')).toBeGreaterThan(0.04);
    expect(value(r, 'error-rate-2m')).toBeLessThan(0.06);
    // p99 250 ms on the 250 ms bound: the quantile lands in (100, 250] or (250, 500].
    expect(value(r, 'latency-p99')).toBeGreaterThan(100);
    expect(value(r, 'latency-p99')).toBeLessThan(500);
  });

  it('writes status classes and placeholder labels', () => {
    const custom: CustomMetricsSpec = { ...CUSTOM_DEFAULTS, statusLabel: 'status', statusFormat: 'class', labels: new Map([['app', '{{rollout}}'], ['hash', '{{podTemplateHash}}']]) };
    const r = measure('custom', [{ name: 'fives', query: `sum(rate(http_requests_total{app="demo",status="5xx"}[2m])) / sum(rate(http_requests_total{app="demo",hash!=""}[2m]))` }], { custom });
    noUnmatched(r);
    // The canary fails 5 % of its half of the traffic.
    expect(value(r, 'fives')).toBeGreaterThan(0.015);
    expect(value(r, 'fives')).toBeLessThan(0.035);
  });
});

describe('a query for the wrong exporter', () => {
  it('is reported as matching no simulated series', () => {
    const r = measure('istio', [{ name: 'generic-query', query: 'sum(rate(http_requests_total{service="demo-canary"}[2m]))' }]);
    expect(r.warnings.some((w) => w.includes('http_requests_total{service="demo-canary"}') && w.includes('matched no simulated series'))).toBe(true);
  });
});
