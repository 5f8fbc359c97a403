// Properties of the canary controller model under random operator actions (fast-check, fixed
// seed: a failure prints the seed, the path and the shrunk counterexample). Whatever an operator
// does and whenever, upstream keeps: no ReplicaSet below 0 replicas; for a basic canary, Σ
// spec.replicas ≤ replicas + maxSurge after every single scale (CalculateReplicaCountsForBasicCanary
// scales up only into that room, one ReplicaSet per reconcile — digest §0, §2.5), with replicas the
// largest spec.replicas of the run; the step index within [0, number of steps]; and the run ends
// on its own (no livelock at one instant, no runaway event count).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../../sim/engine/trace.js';
import { rolloutYaml } from '../helpers/sim.js';
import { checkSurgeBound, resolveFenceposts, scalingEvents, statuses, type IntOrPercent } from '../helpers/traceCheckers.js';
import { MIN, runWithActions, type ActionInput } from './helpers.js';

const SEED = 20_261_125;

const actionArb: fc.Arbitrary<ActionInput> = fc
  .record({
    atMs: fc.integer({ min: 30, max: 20 * 60 }).map((s) => s * 1000),
    pick: fc.integer({ min: 0, max: 10 }),
    full: fc.boolean(),
    toRevision: fc.integer({ min: 0, max: 3 }),
    image: fc.constantFrom('app:v1', 'app:v2', 'app:v3'),
    replicas: fc.integer({ min: 0, max: 8 }),
  })
  .map(({ atMs, pick, full, toRevision, image, replicas }): ActionInput => {
    switch (pick) {
      case 0:
        return { atMs, kind: 'promote', full: false };
      case 1:
        return { atMs, kind: 'promote', full };
      case 2:
        return { atMs, kind: 'abort' };
      case 3:
        return { atMs, kind: 'retry' };
      case 4:
        return { atMs, kind: 'undo', toRevision };
      case 5:
        return { atMs, kind: 'restart' };
      case 6:
        return { atMs, kind: 'pause' };
      case 7:
        return { atMs, kind: 'resume' };
      case 8:
        return { atMs, kind: 'setImage', container: undefined, image };
      case 9:
        return { atMs, kind: 'scale', replicas };
      default:
        return { atMs, kind: 'gitopsRevert' };
    }
  });

const stepArb = fc.oneof(
  fc.integer({ min: 0, max: 100 }).map((w) => `- setWeight: ${w}`),
  fc.constant('- pause: {}'),
  fc.integer({ min: 0, max: 120 }).map((s) => `- pause: {duration: ${s}s}`),
);

const caseArb = fc
  .record({
    replicas: fc.integer({ min: 1, max: 6 }),
    maxSurge: fc.constantFrom<IntOrPercent>(0, 1, 2, '25%', '50%'),
    maxUnavailable: fc.constantFrom<IntOrPercent>(0, 1, '25%'),
    trafficRouted: fc.boolean(),
    steps: fc.array(stepArb, { minLength: 1, maxLength: 4 }),
    actions: fc.array(actionArb, { minLength: 1, maxLength: 6 }),
    startupMs: fc.integer({ min: 1, max: 20_000 }),
  })
  .filter((c) => !(c.maxSurge === 0 && c.maxUnavailable === 0));

type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;

function manifest(c: Case): string {
  const yamlValue = (v: IntOrPercent): string => (typeof v === 'number' ? String(v) : JSON.stringify(v));
  const tr = c.trafficRouted ? 'canaryService: demo-canary\nstableService: demo-stable\ntrafficRouting:\n  istio:\n    virtualService: {name: demo, routes: [primary]}\n' : '';
  return rolloutYaml({ replicas: c.replicas, canary: `maxSurge: ${yamlValue(c.maxSurge)}\nmaxUnavailable: ${yamlValue(c.maxUnavailable)}\n${tr}steps:\n${c.steps.join('\n')}` });
}

function negativeCounts(trace: readonly TraceEntry[]): string[] {
  const out: string[] = [];
  for (const s of scalingEvents(trace)) if (s.to < 0) out.push(`t=${s.t}: ${s.replicaSet} scaled to ${s.to}`);
  const pods = new Map<string, number>();
  for (const e of trace) {
    if (e.type === 'pod' && (e.phase === 'Created' || e.phase === 'Deleted')) {
      const n = (pods.get(String(e.replicaSet)) ?? 0) + (e.phase === 'Created' ? 1 : -1);
      pods.set(String(e.replicaSet), n);
      if (n < 0) out.push(`t=${e.t}: ${String(e.replicaSet)} has ${n} pods`);
    }
    if (e.type === 'status') {
      for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']) if (Number(e[k]) < 0) out.push(`t=${e.t}: status.${k} = ${String(e[k])}`);
    }
  }
  return out;
}

describe('random operator actions keep the controller invariants', () => {
  it('no negative replicas; basic canary Σ spec ≤ R + maxSurge; index within the steps; the run ends on its own', () => {
    let exercised = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const r = runWithActions([manifest(c)], c.actions, { untilMs: 30 * MIN, startupMs: c.startupMs });
        const firstAction = Math.min(...c.actions.map((a) => a.atMs));
        if (scalingEvents(r.trace).some((s) => s.t >= firstAction)) exercised++;
        expect(r.warnings.filter((w) => w.startsWith('run stopped early'))).toEqual([]);
        expect(negativeCounts(r.trace)).toEqual([]);
        if (!c.trafficRouted) {
          // The largest spec.replicas of the run and its surge (scale actions move R).
          const rs = [c.replicas, ...c.actions.flatMap((a) => (a.kind === 'scale' ? [a.replicas] : []))];
          const bound = Math.max(...rs.map((n) => n + resolveFenceposts(n, c.maxSurge, c.maxUnavailable).surge));
          expect(checkSurgeBound(r.trace, bound, 0)).toEqual([]);
        }
        for (const s of statuses(r.trace)) {
          if (s.step !== null) {
            expect(s.step).toBeGreaterThanOrEqual(0);
            expect(s.step).toBeLessThanOrEqual(c.steps.length);
          }
        }
      }),
      { seed: SEED, numRuns: 120 },
    );
    // Not vacuous: in most runs the actions made the controller scale something afterwards.
    expect(exercised).toBeGreaterThan(60);
  });
});
