// `spec.metrics.preset` and `spec.metrics.custom`: every preset name parses, the custom names are
// checked against Prometheus' naming rules with file:line and field, and a custom block on another
// preset is refused rather than silently ignored.
import { describe, expect, it } from 'vitest';
import { InputError, type Diagnostic } from '../../sim/diagnostics.js';
import { PRESET_NAMES } from '../../sim/metrics/presets/index.js';
import { parseScenario } from '../../sim/scenario/parse.js';

const scenario = (metrics: string): string => `apiVersion: rehearse.dev/v1alpha1
kind: Scenario
metadata: {name: m}
spec:
  manifests: [x]
  metrics:
${metrics}
`;

function errors(text: string): readonly Diagnostic[] {
  try {
    parseScenario('m.yaml', text);
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  }
  return [];
}

describe('metrics.preset', () => {
  it.each(PRESET_NAMES)('%s parses', (name) => {
    expect(parseScenario('m.yaml', scenario(`    preset: ${name}`)).metrics.preset).toBe(name);
  });

  it('custom takes the generic names for keys left out', () => {
    const m = parseScenario('m.yaml', scenario('    preset: custom\n    custom: {statusLabel: status, durationUnit: milliseconds}')).metrics;
    expect(m.custom).toEqual({
      requestsMetric: 'http_requests_total',
      statusLabel: 'status',
      statusFormat: 'code',
      durationMetric: 'http_request_duration_seconds',
      durationUnit: 'milliseconds',
      buckets: undefined,
      labels: undefined,
    });
  });

  it('custom reads buckets and labels', () => {
    const m = parseScenario('m.yaml', scenario('    preset: custom\n    custom:\n      buckets: [5, 50, 500]\n      labels: {app: "{{rollout}}"}')).metrics;
    expect(m.custom?.buckets).toEqual([5, 50, 500]);
    expect([...(m.custom?.labels ?? [])]).toEqual([['app', '{{rollout}}']]);
  });

  it('refuses bad names, formats and bucket orders with line and field', () => {
    const errs = errors(
      scenario(
        '    preset: custom\n    custom:\n      requestsMetric: http-requests\n      statusFormat: digits\n      buckets: [10, 5]\n      labels: {__name__: x, le: y}',
      ),
    );
    expect(errs.map((e) => [e.field, e.line])).toEqual([
      ['spec.metrics.custom.requestsMetric', 9],
      ['spec.metrics.custom.statusFormat', 10],
      ['spec.metrics.custom.buckets[1]', 11],
      ['spec.metrics.custom.labels.__name__', 12],
      ['spec.metrics.custom.labels.le', 12],
    ]);
    expect(errs[0]!.message).toMatch(/expected a Prometheus metric name .*got "http-requests"/);
    expect(errs[1]!.message).toMatch(/expected "code" or "class", got "digits"/);
    expect(errs[2]!.message).toMatch(/strictly increasing/);
  });

  it('refuses a custom block on another preset', () => {
    const errs = errors(scenario('    preset: istio\n    custom: {statusLabel: status}'));
    expect(errs).toHaveLength(1);
    expect(errs[0]!.field).toBe('spec.metrics.custom');
    expect(errs[0]!.message).toMatch(/preset is "istio"/);
  });
});
