// Metric presets on a blue-green Rollout: per-request exporters (Istio sidecars here; Linkerd,
// NGINX and Envoy share the scraper's choice) label a ReplicaSet's requests with the Service they
// were addressed to — the active Service for pods it selects, the preview Service for pods only it
// selects — whatever the Services' names sort like. The Argo Rollouts docs' Istio success-rate
// query, pointed at the preview Service, measures the smoke-test traffic of the new revision.
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../sim/manifests/load.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { blueGreenRolloutYaml } from '../helpers/blueGreen.js';
import { serviceYaml, world } from '../helpers/sim.js';
import type { SeriesStore } from '../../sim/metrics/store.js';

// "demo-preview" sorts before "demo-prod": the label must not come from the sort order.
const ACTIVE = 'demo-prod';
const PREVIEW = 'demo-preview';
const successRate = (svc: string) =>
  `sum(irate(istio_requests_total{reporter="source",destination_service=~"${svc}.default.svc.cluster.local",response_code!~"5.*"}[1m])) / sum(irate(istio_requests_total{reporter="source",destination_service=~"${svc}.default.svc.cluster.local"}[1m]))`;

const template = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: istio-success-rate, namespace: default}
spec:
  args:
    - name: service
  metrics:
    - name: success-rate
      interval: 30s
      count: 3
      successCondition: result[0] >= 0.99
      provider:
        prometheus:
          address: http://prometheus:9090
          query: ${JSON.stringify(successRate('{{args.service}}'))}
`;

function runBlueGreen(v2ErrorRatio: number): { r: RunResult; store: () => SeriesStore } {
  const rollout = blueGreenRolloutYaml({
    replicas: 3,
    blueGreen: `activeService: ${ACTIVE}
previewService: ${PREVIEW}
prePromotionAnalysis:
  templates: [{templateName: istio-success-rate}]
  args: [{name: service, value: ${PREVIEW}}]`,
  });
  const set = loadManifests([rollout, serviceYaml(ACTIVE), serviceYaml(PREVIEW), template].map((text, i) => ({ name: `m${i}.yaml`, text })));
  const base = world({ rps: 100, v2ErrorRatio, untilMs: 6 * 60_000 });
  let store: SeriesStore | undefined;
  const r = runScenario({ ...base, traffic: { ...base.traffic, preview: { rps: 40 } }, metrics: { ...base.metrics, preset: 'istio' } }, set, {
    onWorld: (w) => (store = w.store),
  });
  return { r, store: () => store! };
}

const serviceNames = (store: SeriesStore, hash: string): string[] =>
  [
    ...new Set(
      store
        .select([])
        .filter((s) => s.labels.get('__name__') === 'istio_requests_total' && s.labels.get('destination_workload') === `demo-${hash}`)
        .map((s) => s.labels.get('destination_service_name')!),
    ),
  ].sort();

describe('istio preset, blue-green with prePromotionAnalysis on the preview Service', () => {
  it('v2 failing 5% of its requests: the pre-promotion run measures ≈ 0.95 on the preview Service and aborts', () => {
    const { r } = runBlueGreen(0.05);
    const pre = r.analysisRuns.find((a) => a.type === 'PrePromotion')!;
    expect(pre.phase).toBe('Failed');
    // The preview pods are ready at 1:01; irate needs two scrapes (every 15 s) of their series, so
    // the first measurements find no series (Error, retried every 10 s) until 1:31.
    expect(pre.measurements.map((m) => [m.t, m.phase])).toEqual([
      [61_000, 'Error'],
      [71_001, 'Error'],
      [81_002, 'Error'],
      [91_003, 'Failed'],
    ]);
    const v = Number(/^\[(.*)\]$/.exec(pre.measurements[3]!.value!)![1]);
    expect(v).toBeGreaterThan(0.9);
    expect(v).toBeLessThan(0.99);
    expect(r.outcome).toBe('aborted');
  });

  it('a healthy v2 passes, and the series carry the Service each request was addressed to', () => {
    const { r, store } = runBlueGreen(0);
    const pre = r.analysisRuns.find((a) => a.type === 'PrePromotion')!;
    expect(pre.phase).toBe('Successful');
    expect(pre.measurements.map((m) => m.value)).toEqual(['[]', '[]', '[]', '[1]', '[1]', '[1]']);
    expect(r.outcome).toBe('promoted');
    // v1 is selected by both Services before the update: counted under the active one, never the
    // preview. (After the switch no Service selects v1: the scraper's fallback label, the Rollout's
    // name, as for a canary's old stable ReplicaSet.)
    expect(serviceNames(store(), '6xw5sn4rp8')).toEqual(['demo', ACTIVE]);
    // v2: preview-only before the promotion; the ReplicaSet keeps that target after the switch
    // (one target per selecting set), then the active one.
    expect(serviceNames(store(), 'sft22nkhkp')).toEqual([PREVIEW, ACTIVE].sort());
  });
});
