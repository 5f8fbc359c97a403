// docs/fields.md is what sim/manifests/fieldDocs.ts generates from the schema and FIELD_SUPPORT
// (regenerate with `rehearse fields --markdown > docs/fields.md`), and the generated list says
// what the schema says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentedFields, fieldsMarkdown } from '../../sim/manifests/fieldDocs.js';
import { rolloutSchema } from '../../sim/manifests/schema.js';

describe('docs/fields.md', () => {
  it('is up to date (rehearse fields --markdown > docs/fields.md)', () => {
    expect(readFileSync('docs/fields.md', 'utf8')).toBe(fieldsMarkdown());
  });

  it('lists simulated, no-effect, not-simulated and open fields with their reasons', () => {
    const md = fieldsMarkdown();
    expect(md).toContain('| `spec.strategy.canary.steps[].setWeight` | int | simulated |');
    expect(md).toContain('| `spec.strategy.canary.antiAffinity` | AntiAffinity | no effect (pod scheduling is not modelled) |');
    expect(md).toContain('| `spec.workloadRef` | any | **not simulated**: refused at load (the pod template must be written inline in spec.template) |');
    expect(md).toContain('| `spec.metrics[].provider.datadog` | any | simulated (answered by the scenario (spec.providers.fixtures); the query is not run) |');
    // Nothing is listed below a refused field: the entry covers its subtree.
    expect(md).not.toContain('spec.workloadRef.');
  });

  it('walks list items and map values: steps[] fields, the router plugins{} value', () => {
    const paths = documentedFields('Rollout', rolloutSchema.fields['spec']!).map((f) => f.path);
    expect(paths).toContain('spec.strategy.canary.steps[].pause.duration');
    expect(paths).toContain('spec.strategy.canary.trafficRouting.plugins{}');
    expect(paths).not.toContain('spec.strategy.canary.steps[]');
  });
});
