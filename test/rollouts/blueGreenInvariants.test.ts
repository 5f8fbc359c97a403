// Properties of every blue-green run, over generated configurations (fast-check): the model never
// livelocks, users never reach the new revision before the active Service is switched to it, and
// the end state matches the outcome (promoted: old pods gone after the delay, both Services on the
// new revision; aborted: the active Service on stable and the preview scaled down).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analysisTemplateYaml, events, podsAt, run } from '../helpers/sim.js';
import { blueGreenRolloutYaml, SERVICES } from '../helpers/blueGreen.js';

const templates = [
  analysisTemplateYaml('always-fails', [{ name: 'never-good', query: 'vector(1)', fields: 'successCondition: result[0] < 0' }]),
  analysisTemplateYaml('always-ok', [{ name: 'fine', query: 'vector(1)', fields: 'successCondition: result[0] > 0' }]),
];

const config = fc.record({
  replicas: fc.integer({ min: 1, max: 5 }),
  previewReplicaCount: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  autoPromotionSeconds: fc.constantFrom(0, 15),
  pre: fc.constantFrom('none', 'ok', 'fails'),
  post: fc.constantFrom('none', 'ok', 'fails'),
  preview: fc.boolean(),
  startupMs: fc.integer({ min: 200, max: 20_000 }),
  seed: fc.integer({ min: 1, max: 1000 }),
});

describe('blue-green invariants', () => {
  it('hold for generated configurations', () => {
    fc.assert(
      fc.property(config, (c) => {
        const lines = ['activeService: demo-active'];
        if (c.preview) lines.push('previewService: demo-preview');
        if (c.previewReplicaCount !== undefined) lines.push(`previewReplicaCount: ${Math.min(c.previewReplicaCount, c.replicas)}`);
        if (c.autoPromotionSeconds > 0) lines.push(`autoPromotionSeconds: ${c.autoPromotionSeconds}`);
        if (c.pre !== 'none') lines.push(`prePromotionAnalysis: {templates: [{templateName: always-${c.pre === 'ok' ? 'ok' : 'fails'}}]}`);
        if (c.post !== 'none') lines.push(`postPromotionAnalysis: {templates: [{templateName: always-${c.post === 'ok' ? 'ok' : 'fails'}}]}`);
        const untilMs = 20 * 60_000;
        const r = run([blueGreenRolloutYaml({ replicas: c.replicas, blueGreen: lines.join('\n') }), ...SERVICES, ...templates], {
          untilMs,
          startupMs: c.startupMs,
          startupP99Ms: c.startupMs * 2,
          seed: c.seed,
          rps: 20,
        });
        // A pre-promotion analysis draws the surprise lint's retry warning (#2824); nothing else may warn.
        expect(r.warnings.filter((w) => !w.endsWith('issues/2824)'))).toEqual([]);

        const newRs = r.trace.find((e) => e.type === 'replicaSet' && e.t >= 60_000)!.replicaSet as string;
        const oldRs = r.trace.find((e) => e.type === 'replicaSet')!.replicaSet as string;
        const switchToNew = events(r, 60_000).find((e) => e.reason === 'SwitchService' && e.message.startsWith("Switched selector for service 'demo-active'"));
        for (const e of r.trace) {
          if (e.type !== 'traffic' || (switchToNew && e.t > switchToNew.t)) continue;
          const served = (e.byReplicaSet as { replicaSet: string; requests: number }[]).filter((x) => x.requests > 0).map((x) => x.replicaSet);
          expect(served.includes(newRs)).toBe(false);
        }

        const shouldAbort = c.pre === 'fails' || c.post === 'fails';
        expect(r.outcome).toBe(shouldAbort ? 'aborted' : 'promoted');
        const pods = podsAt(r, untilMs);
        if (shouldAbort) {
          expect(pods.get(oldRs)).toBe(c.replicas);
          expect(pods.get(newRs) ?? 0).toBe(0);
          expect(r.finalStatus.phase).toBe('Degraded');
        } else {
          expect(pods.get(newRs)).toBe(c.replicas);
          expect(pods.get(oldRs) ?? 0).toBe(0);
          expect(r.finalStatus).toEqual({ phase: 'Healthy', message: '' });
        }
      }),
      { numRuns: 40, seed: 4242 },
    );
  });
});
