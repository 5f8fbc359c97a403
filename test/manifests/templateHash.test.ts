import { describe, expect, it } from 'vitest';
import { canonicalJson, computeStepHash, podTemplateHash, SAFE_ALPHABET } from '../../sim/manifests/templateHash.js';
import { editDistance, suggestName } from '../../sim/manifests/suggest.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'example/web:1' }] } };

describe('podTemplateHash', () => {
  it('is 10 characters of the safe alphabet and pinned across runs and platforms', () => {
    const hash = podTemplateHash(template);
    expect(hash).toMatch(new RegExp(`^[${SAFE_ALPHABET}]{10}$`));
    expect(hash).toBe(podTemplateHash(JSON.parse(JSON.stringify(template))));
    expect(hash).toBe('lsbxjpbd24'); // pinned: a change here renames every simulated ReplicaSet
  });
  it('ignores key order and changes with the image or the collision count', () => {
    const reordered = { spec: { containers: [{ image: 'example/web:1', name: 'web' }] }, metadata: { labels: { app: 'web' } } };
    expect(podTemplateHash(reordered)).toBe(podTemplateHash(template));
    const v2 = { ...template, spec: { containers: [{ name: 'web', image: 'example/web:2' }] } };
    expect(podTemplateHash(v2)).not.toBe(podTemplateHash(template));
    expect(podTemplateHash(template, 1)).not.toBe(podTemplateHash(template));
  });
  it('canonical JSON sorts keys and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: undefined, c: 'x' }] })).toBe('{"a":[true,null,{"c":"x"}],"b":1}');
  });
});

describe('computeStepHash', () => {
  it('changes when the steps change and not otherwise', () => {
    const steps = [{ setWeight: 20 }, { pause: { duration: '1m' } }];
    expect(computeStepHash(steps)).toBe(computeStepHash(JSON.parse(JSON.stringify(steps))));
    expect(computeStepHash(steps)).not.toBe(computeStepHash([{ setWeight: 30 }, { pause: { duration: '1m' } }]));
    expect(computeStepHash(null)).toBe(computeStepHash([]));
    expect(computeStepHash(steps)).toBe('hlpmmtvn64');
  });
});

describe('suggestions', () => {
  it('counts transpositions as one edit', () => {
    expect(editDistance('setWieght', 'setWeight')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
  it('suggests close names only, case-insensitively', () => {
    const known = ['setWeight', 'pause', 'analysis'];
    expect(suggestName('setweight', known)).toBe('setWeight');
    expect(suggestName('paus', known)).toBe('pause');
    expect(suggestName('analyses', known)).toBe('analysis');
    expect(suggestName('replicas', known)).toBeUndefined();
  });
});
