// A template the run never reached (the rollout aborted first) is still checked: its query, with
// the Rollout's plain arguments, against every series the run produced.
import { describe, expect, it } from 'vitest';
import { analysisTemplateYaml, rolloutYaml, run } from '../helpers/sim.js';

describe('metrics never measured', () => {
  const failing = analysisTemplateYaml('fails', [{ name: 'never-good', query: 'vector(1)', fields: 'successCondition: result[0] < 0' }]);
  const later = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: {name: later, namespace: default}
spec:
  args: [{name: svc}]
  metrics:
    - name: later-rate
      provider:
        prometheus:
          address: http://prometheus:9090
          query: sum(rate(http_request_total{service="{{args.svc}}"}[1m]))
`;
  const rollout = rolloutYaml({
    replicas: 2,
    canary: `steps:
  - setWeight: 50
  - analysis:
      templates: [{templateName: fails}]
  - analysis:
      templates: [{templateName: later}]
      args: [{name: svc, value: demo}]`,
  });

  it('warn at the template line with the closest metric when their selectors match nothing', () => {
    const r = run([rollout, failing, later]);
    expect(r.outcome).toBe('aborted');
    const w = r.warnings.filter((x) => x.includes('was never measured'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^inline-2\.yaml:7: metric "later-rate" \(AnalysisTemplate later\) was never measured in this run, and its selector http_request_total\{service="demo"\} matches none of the simulated series \(metric preset generic\) — the simulated exporter emits no metric named http_request_total — closest: http_requests_total/);
  });

  it('stay quiet when the selectors do match', () => {
    const r = run([rollout, failing, later.replace('http_request_total', 'http_requests_total')]);
    expect(r.warnings.filter((x) => x.includes('was never measured'))).toEqual([]);
  });
});
