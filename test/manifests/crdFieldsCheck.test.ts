// The CRD completeness check (test/conformance/crdFields.ts, run against the real CRDs by the
// conformance suite) reports each kind of disagreement, shown here on small made-up schemas so
// that it is known to fail when it should.
import { describe, expect, it } from 'vitest';
import type { FieldSchema } from '../../sim/manifests/schema.js';
import { compareSpec, type OpenApiSchema } from '../conformance/crdFields.js';

const upstream: OpenApiSchema = {
  type: 'object',
  properties: {
    replicas: { type: 'integer', format: 'int32' },
    maxSurge: { 'x-kubernetes-int-or-string': true },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    steps: { type: 'array', items: { type: 'object', properties: { setWeight: { type: 'integer' }, pause: { type: 'object', properties: { duration: { 'x-kubernetes-int-or-string': true } } } } } },
    workloadRef: { type: 'object', properties: { name: { type: 'string' } } },
    hidden: { type: 'object', properties: { name: { type: 'string' } } },
    config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

const obj = (name: string, fields: Record<string, FieldSchema>, open = false): FieldSchema => ({ type: 'object', name, fields, open });

describe('compareSpec', () => {
  it('agrees with a schema that has every field with its type', () => {
    const ours = obj('Spec', {
      replicas: { type: 'int' },
      maxSurge: { type: 'intOrString' },
      labels: { type: 'stringMap' },
      steps: { type: 'list', items: obj('Step', { setWeight: { type: 'int' }, pause: obj('Pause', { duration: { type: 'intOrString' } }) }) },
      workloadRef: { type: 'any' }, // Rollout spec.workloadRef is in FIELD_SUPPORT (notSimulated)
      hidden: obj('Hidden', { name: { type: 'string' } }),
      config: { type: 'map', values: { type: 'any' } },
    });
    const r = compareSpec('Rollout', upstream, ours);
    expect(r.mismatches).toEqual([]);
    expect(r.fields.get('spec.steps[].pause.duration')).toBe('simulated');
    expect(r.fields.get('spec.workloadRef.name')).toBe('notSimulated');
  });

  it('reports a missing field, an extra field, a wrong type and an `any` hiding upstream fields', () => {
    const ours = obj('Spec', {
      replicas: { type: 'string' },
      maxSurge: { type: 'intOrString' },
      labels: { type: 'stringMap' },
      steps: { type: 'list', items: obj('Step', { setWeight: { type: 'int' }, pasue: { type: 'any' } }) },
      workloadRef: { type: 'any' },
      hidden: { type: 'any' },
      config: { type: 'map', values: { type: 'any' } },
    });
    expect(compareSpec('Rollout', upstream, ours).mismatches).toEqual([
      'Rollout spec.replicas: upstream is int, rehearse expects string',
      "Rollout spec.steps[].pause: upstream defines it (object), rehearse's Step does not",
      "Rollout spec.steps[].pasue: rehearse's Step accepts it, upstream does not define it",
      'Rollout spec.hidden: rehearse accepts it as `any` (unchecked) but upstream types it as a object; give it a schema, a FIELD_SUPPORT entry or an OPEN_FIELDS reason',
    ]);
  });

  it('counts the fields under an open object as open', () => {
    const ours = obj('Spec', { replicas: { type: 'int' } }, true);
    const r = compareSpec('Test', upstream, ours);
    expect(r.mismatches).toEqual([]);
    expect(r.fields.get('spec.steps[].pause.duration')).toBe('open');
    expect(r.fields.get('spec.replicas')).toBe('simulated');
  });
});
