// The normaliser and differ on hand-written traces in the simulator's schema: a real run that
// agrees, one with reordered events, a missing event, a step outside the time tolerance, and an
// extra AnalysisRun.
import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '../../../sim/engine/trace.js';
import { allowedSkewMs, align, diffTraces, DEFAULT_TOLERANCE } from '../../../harness/conformance/diff.js';
import { normaliseTrace, renameHashes, revisionLabels } from '../../../harness/conformance/normalise.js';

type Entry = Record<string, unknown> & { t: number; type: string };

const ev = (t: number, reason: string, message: string, object = 'Rollout/web'): Entry => ({ t, type: 'event', object, reason, message, eventType: 'Normal' });
const status = (t: number, fields: Record<string, unknown>): Entry => ({
  t,
  type: 'status',
  rollout: 'web',
  phase: 'Progressing',
  message: '',
  step: 0,
  steps: 2,
  stableRS: 'OLD',
  currentPodHash: 'NEW',
  abort: false,
  pauseConditions: [],
  ...fields,
});

/** A canary with steps [setWeight 50, pause 10s], promoted; `OLD`/`NEW` stand for the pod-template hashes. */
function run(old: string, neu: string, shift: (t: number) => number = (t) => t, base = 60_000): TraceEntry[] {
  const at = (ms: number): number => base + shift(ms);
  const entries: Entry[] = [
    { t: 0, type: 'replicaSet', replicaSet: `web-${old}`, podTemplateHash: old, image: 'app:1' },
    status(0, { phase: 'Healthy', step: 2, stableRS: old, currentPodHash: old }),
    { t: base, type: 'change', image: 'app:2', podTemplateHash: neu },
    { t: base, type: 'replicaSet', replicaSet: `web-${neu}`, podTemplateHash: neu, image: 'app:2' },
    ev(base, 'RolloutUpdated', 'Rollout updated to revision 2'),
    ev(base, 'NewReplicaSetCreated', `Created ReplicaSet web-${neu} (revision 2)`),
    status(base, { step: 0, stableRS: old, currentPodHash: neu }),
    ev(base, 'ScalingReplicaSet', `Scaled up ReplicaSet web-${neu} (revision 2) from 0 to 1`),
    ev(at(8_000), 'RolloutStepCompleted', 'Rollout step 1/2 completed (setWeight: 50)'),
    status(at(8_000), { step: 1, phase: 'Paused', pauseConditions: ['CanaryPauseStep'], stableRS: old, currentPodHash: neu }),
    ev(at(8_000), 'RolloutPaused', 'Rollout is paused (CanaryPauseStep)'),
    ev(at(18_000), 'RolloutStepCompleted', 'Rollout step 2/2 completed (pause: 10s)'),
    status(at(18_000), { step: 2, stableRS: neu, currentPodHash: neu, phase: 'Healthy' }),
    ev(at(18_000), 'RolloutCompleted', `Rollout completed update to revision 2 (${neu}): Completed all 2 canary steps`),
  ];
  return entries;
}

const sim = (entries: TraceEntry[]) => normaliseTrace(entries, { side: 'simulated' });
const real = (entries: TraceEntry[]) => normaliseTrace(entries, { side: 'real' });

describe('normaliseTrace', () => {
  it('numbers revisions by first appearance and renames hashes in names and messages', () => {
    const labels = revisionLabels(run('aaaa1', 'bbbb2'));
    expect([...labels]).toEqual([
      ['aaaa1', 'rev1'],
      ['bbbb2', 'rev2'],
    ]);
    expect(renameHashes("Switched selector for service 'web-stable' from 'aaaa1' to 'bbbb2'", labels)).toBe("Switched selector for service 'web-stable' from 'rev1' to 'rev2'");
  });

  it('keeps what follows the change, relative to it, and reduces status to decisions', () => {
    const n = sim(run('aaaa1', 'bbbb2'));
    expect(n.outcome).toBe('promoted');
    expect(n.events[0]).toEqual({ t: 0, object: 'Rollout/web', reason: 'RolloutUpdated', message: 'Rollout updated to revision 2' });
    expect(n.events[1]!.message).toBe('Created ReplicaSet web-rev2 (revision 2)');
    expect(n.decisions.map((d) => `${d.t} ${d.kind} ${d.value}`)).toEqual([
      '0 phase Progressing',
      '0 step 0',
      '8000 phase Paused',
      '8000 step 1',
      '8000 paused CanaryPauseStep',
      '18000 phase Healthy',
      '18000 step 2',
      '18000 resumed ',
    ]);
  });
});

describe('diffTraces', () => {
  it('two runs that differ only in hashes and absolute times agree', () => {
    const d = diffTraces(sim(run('aaaa1', 'bbbb2')), real(run('zzz9', 'yyy8', (t) => t + 700, 30_000)));
    expect(d.divergences).toEqual([]);
    expect(d.agree).toBe(true);
  });

  it('reordered events are one "reordered" divergence, with both sides', () => {
    const r = run('zzz9', 'yyy8');
    // Swap RolloutStepCompleted (step 1) and RolloutPaused.
    const i = r.findIndex((e) => e.reason === 'RolloutPaused');
    const j = r.findIndex((e) => e.reason === 'RolloutStepCompleted');
    [r[i], r[j]] = [r[j]!, r[i]!];
    const d = diffTraces(sim(run('aaaa1', 'bbbb2')), real(r));
    expect(d.divergences.map((x) => [x.section, x.kind])).toEqual([['events', 'reordered']]);
    expect(d.agree).toBe(false);
  });

  it('an event the real controller never emitted is "missing", with its neighbours for context', () => {
    const r = run('zzz9', 'yyy8').filter((e) => e.reason !== 'RolloutPaused');
    const d = diffTraces(sim(run('aaaa1', 'bbbb2')), real(r));
    expect(d.divergences).toHaveLength(1);
    const m = d.divergences[0]!;
    expect([m.section, m.kind, m.real]).toEqual(['events', 'missing', null]);
    expect(m.simulated).toBe('+8.000s Rollout/web RolloutPaused: Rollout is paused (CanaryPauseStep)');
    expect(m.context.simulated.some((l) => l.startsWith('→ '))).toBe(true);
    expect(m.context.real.length).toBeGreaterThan(0);
  });

  it('a step 3 s late at +8 s is outside max(2 s, 10 %); 1.5 s late is inside', () => {
    expect(allowedSkewMs(8_000, DEFAULT_TOLERANCE)).toBe(2000);
    expect(allowedSkewMs(60_000, DEFAULT_TOLERANCE)).toBe(6000);
    const late = (by: number) => (t: number) => (t === 8_000 ? t + by : t);
    expect(diffTraces(sim(run('a1', 'b2')), real(run('z9', 'y8', late(1500)))).agree).toBe(true);
    const d = diffTraces(sim(run('a1', 'b2')), real(run('z9', 'y8', late(3000))));
    expect(d.agree).toBe(false);
    expect(new Set(d.divergences.map((x) => x.kind))).toEqual(new Set(['timing']));
    // The step decision and the two events at +8 s.
    expect(d.divergences.filter((x) => x.section === 'events').map((x) => x.summary)).toEqual([
      'Rollout/web RolloutStepCompleted: Rollout step 1/2 completed (setWeight: 50): real +11.000s vs simulated +8.000s (late by 3.000s; allowed 2.000s)',
      'Rollout/web RolloutPaused: Rollout is paused (CanaryPauseStep): real +11.000s vs simulated +8.000s (late by 3.000s; allowed 2.000s)',
    ]);
  });

  it('an AnalysisRun only the real controller created is "extra"; its events count too', () => {
    const r = run('zzz9', 'yyy8');
    r.push({ t: 61_000, type: 'analysisRun', run: 'web-yyy8-2', phase: 'Created', rolloutType: 'Background' });
    r.push({ t: 61_000, type: 'measurement', run: 'web-yyy8-2', metric: 'errors', phase: 'Successful', value: '[0]', message: null });
    r.push({ t: 61_000, type: 'analysisRun', run: 'web-yyy8-2', phase: 'Running', message: '' });
    const d = diffTraces(sim(run('aaaa1', 'bbbb2')), real(r));
    expect(d.divergences.map((x) => [x.section, x.kind, x.real])).toEqual([['analysis', 'extra', 'web-rev2-2']]);
  });

  it('a different outcome is a mismatch; events of kinds the simulator does not model are noted, not compared', () => {
    const r = run('zzz9', 'yyy8').filter((e) => e.reason !== 'RolloutCompleted' && e.t < 78_000);
    r.push(ev(70_000, 'AnalysisRunSuccessful', 'Analysis Completed. Result: Successful', 'AnalysisRun/web-yyy8-2-1'));
    const d = diffTraces(sim(run('aaaa1', 'bbbb2')), real(r));
    expect(d.divergences.find((x) => x.section === 'outcome')).toMatchObject({ simulated: 'promoted', real: 'paused' });
    expect(d.notes).toEqual(['1 real event(s) on AnalysisRun objects not compared: the simulator does not emit events for AnalysisRun']);
  });

  it('align finds the longest common subsequence', () => {
    expect(align(['a', 'b', 'c', 'd'], ['a', 'c', 'b', 'd'])).toHaveLength(3);
    expect(align([], ['x'])).toEqual([]);
  });
});

describe('diffTraces: event content', () => {
  it('the same reason with another message in the same place is one "message" divergence', () => {
    const r = run('zzz9', 'yyy8').map((e) => (e.reason === 'RolloutPaused' ? { ...e, message: 'Rollout is paused (BlueGreenPause)' } : e));
    const d = diffTraces(sim(run('aaaa1', 'bbbb2')), real(r));
    expect(d.divergences.map((x) => [x.section, x.kind, x.real])).toEqual([['events', 'message', '+8.000s Rollout/web RolloutPaused: Rollout is paused (BlueGreenPause)']]);
  });
});
