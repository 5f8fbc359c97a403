import { describe, expect, it } from 'vitest';
import { clusterObjects, imageChangePatch } from '../../../harness/conformance/clusterObjects.js';

const text = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: web, namespace: conformance }
spec:
  template: { spec: { containers: [{ name: side, image: a:1 }, { name: web, image: w:1 }] } }
---
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: t, namespace: conformance }
spec:
  metrics:
    - name: m
      provider: { prometheus: { address: http://prometheus.invalid:9090, query: up } }
---
apiVersion: v1
kind: Service
metadata: { name: web-stable, namespace: conformance }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: extra }
`;

describe('clusterObjects', () => {
  it('moves objects into the run namespace, points Prometheus at the harness, creates the Rollout last', () => {
    const { objects, skipped } = clusterObjects([{ name: 'x.yaml', text }], 'rehearse-7', 'http://127.0.0.1:4321');
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}@${o.metadata.namespace}`)).toEqual(['Service/web-stable@rehearse-7', 'AnalysisTemplate/t@rehearse-7', 'Rollout/web@rehearse-7']);
    expect(JSON.stringify(objects[1])).toContain('"address":"http://127.0.0.1:4321"');
    expect(skipped).toEqual(['ConfigMap/extra: not a kind a conformance run creates']);
  });

  it('with a readiness gate (real kubelets), the pod template carries it', () => {
    const ro = clusterObjects([{ name: 'x.yaml', text }], 'n', 'a', 'rehearse.dev/ready').objects[2]!;
    expect(JSON.stringify(ro)).toContain('"readinessGates":[{"conditionType":"rehearse.dev/ready"}]');
  });

  it('the change patch replaces the named container image (first by default)', () => {
    const ro = clusterObjects([{ name: 'x.yaml', text }], 'n', 'a').objects[2]!;
    expect(imageChangePatch(ro, 'w:2', 'web')).toEqual([{ op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'w:2' }]);
    expect(imageChangePatch(ro, 'a:2', undefined)[0]!.path).toBe('/spec/template/spec/containers/0/image');
    expect(() => imageChangePatch(ro, 'x', 'nope')).toThrow(/no container named "nope"/);
  });
});
