// Traffic around a blue-green Rollout: users' requests follow the active Service, the scenario's
// preview traffic (spec.traffic.preview) reaches the preview Service's pods only, draws from its
// own random stream, is scraped like any request, and is never counted as user-facing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../harness/runInputs.js';
import { InputError } from '../../sim/diagnostics.js';
import { compileQuery, evaluateInstant } from '../../sim/metrics/promql/index.js';
import { loadManifests } from '../../sim/manifests/load.js';
import type { ScenarioSpec } from '../../sim/scenario/types.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { blueGreenRolloutYaml, SERVICES } from '../helpers/blueGreen.js';
import { ofType, rolloutYaml, serviceYaml, world } from '../helpers/sim.js';

const manifests = loadManifests(
  [blueGreenRolloutYaml({ replicas: 3, blueGreen: 'activeService: demo-active\npreviewService: demo-preview\nautoPromotionEnabled: false' }), ...SERVICES].map((text, i) => ({
    name: `m${i}.yaml`,
    text,
  })),
);

function withPreview(rps: number | undefined, base: ScenarioSpec = world({ rps: 50, untilMs: 300_000, v2ErrorRatio: 0.5 })): ScenarioSpec {
  return { ...base, traffic: { ...base.traffic, ...(rps === undefined ? {} : { preview: { rps } }) } };
}

const perRs = (r: RunResult, type: string): Map<string, number> => {
  const m = new Map<string, number>();
  for (const e of ofType(r, type)) for (const x of e.byReplicaSet as { replicaSet: string; requests: number }[]) m.set(x.replicaSet, (m.get(x.replicaSet) ?? 0) + x.requests);
  return m;
};

describe('preview traffic', () => {
  const without = runScenario(withPreview(undefined), manifests);
  const withSmoke = runScenario(withPreview(20), manifests);

  it('users\' requests are identical with and without preview traffic (own random stream)', () => {
    expect(ofType(withSmoke, 'traffic')).toEqual(ofType(without, 'traffic'));
    expect(withSmoke.requests.total).toBe(without.requests.total);
    expect(without.requests.preview).toBeUndefined();
  });

  it('users only reach the active Service\'s pods (old revision while paused); preview traffic the new RS after the switch of the preview Service', () => {
    expect([...perRs(withSmoke, 'traffic').keys()]).toEqual(['demo-6xw5sn4rp8']);
    const preview = perRs(withSmoke, 'previewTraffic');
    expect(preview.get('demo-sft22nkhkp')).toBeGreaterThan(3000);
    // Before the change, the preview Service pointed at the only revision.
    expect(preview.get('demo-6xw5sn4rp8')).toBeGreaterThan(500);
  });

  it('the new version\'s failures under preview traffic are not user-facing', () => {
    // v2 fails 50% of its requests; users never reached it, so no user request failed.
    expect(withSmoke.requests.failed).toBe(0);
    expect(withSmoke.requests.byVersion['app:v2']).toMatchObject({ total: 0, failed: 0 });
    const p = withSmoke.requests.preview!;
    expect(p.total).toBeGreaterThan(5000);
    expect(p.failed / p.total).toBeGreaterThan(0.3);
  });

  it('preview requests are scraped: the new pods\' http_requests_total counts exactly the preview requests they served', () => {
    const r = runScenario(withPreview(20), manifests, { keepStore: true });
    const served = perRs(r, 'previewTraffic').get('demo-sft22nkhkp')!;
    const t = ofType(r, 'previewTraffic').at(-1)!.t;
    const v = evaluateInstant(compileQuery('sum(http_requests_total{service="demo-preview",rollouts_pod_template_hash="sft22nkhkp"})'), r.store!, t);
    if (v.resultType !== 'vector') throw new Error(`expected a vector, got ${v.resultType}`);
    expect(v.samples[0]!.value).toBe(served);
  });

  it('is refused for a canary, and for a blue-green Rollout without previewService, with the field', () => {
    const canary = loadManifests([{ name: 'c.yaml', text: rolloutYaml({ canary: 'steps: [{setWeight: 50}]' }) }]);
    const noPreview = loadManifests(
      [blueGreenRolloutYaml({ blueGreen: 'activeService: demo-active' }), serviceYaml('demo-active')].map((text, i) => ({ name: `n${i}.yaml`, text })),
    );
    for (const [set, pattern] of [
      [canary, /is a canary/],
      [noPreview, /has no spec\.strategy\.blueGreen\.previewService/],
    ] as const) {
      try {
        runScenario(withPreview(5), set);
        throw new Error('expected an InputError');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).diagnostics[0]).toMatchObject({ field: 'spec.traffic.preview' });
        expect((e as InputError).diagnostics[0]!.message).toMatch(pattern);
      }
    }
  });
});

describe('shipped pre-promotion drill', () => {
  const { scenario, manifests: inventory } = loadScenarioFile(join(import.meta.dirname, '..', '..', 'scenarios', 'bluegreen-prepromotion-drill.yaml'));

  it('without smoke tests the pre-promotion analysis sees no requests: an empty result errors five times and aborts', () => {
    const r = runScenario({ ...scenario, traffic: { ...scenario.traffic, preview: undefined }, faults: [] }, inventory);
    expect(r.outcome).toBe('aborted');
    expect(r.analysisRuns[0]!.message).toMatch(/consecutiveErrors \(5\) > consecutiveErrorLimit \(4\)/);
  });
});
