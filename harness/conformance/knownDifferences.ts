// Divergences between the simulator and the real controller that are understood and listed rather
// than fixed yet, each with its reason and the upstream source. A divergence matching one is
// reported as known (the run still says the scenario did not agree exactly), and does not fail
// `rehearse conform` or the conformance suite; anything else does.
import type { Divergence } from './diff.js';

export interface KnownDifference {
  readonly id: string;
  readonly reason: string;
  readonly matches: (d: Divergence) => boolean;
}

/** The text of a formatted trace line without its leading time ("+13.565s Rollout/web …"). */
const withoutTime = (line: string): string => line.replace(/^\s*(→\s*)?[+-]?\d+(\.\d+)?s\s+/, '');

/** "simulated #12 at +13.001s, real #13 at +13.565s" → the two times in ms. */
function reorderedTimes(summary: string): { simulatedMs: number; realMs: number } | undefined {
  const m = /simulated #\d+ at ([+-]?\d+(?:\.\d+)?)s, real #\d+ at ([+-]?\d+(?:\.\d+)?)s/.exec(summary);
  return m ? { simulatedMs: Number(m[1]) * 1000, realMs: Number(m[2]) * 1000 } : undefined;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'analysis-phase-seen-later',
    reason:
      "the simulator takes a measurement and reconciles in zero virtual time, so an AnalysisRun whose first measurement decides it is seen by the reconcile that created it; the real Rollouts controller sees the new phase one round trip later (the Prometheus query, analysis/analysis.go writing the run's status, the Rollout informer re-queueing), after the scaling events of that reconcile — the same event, in another place, within 2 s",
    matches: (d) => {
      if (d.section !== 'events' || d.kind !== 'reordered' || !/ AnalysisRun(Successful|Failed|Error|Inconclusive|Running):/.test(d.summary)) return false;
      const t = reorderedTimes(d.summary);
      return t !== undefined && t.realMs >= t.simulatedMs && t.realMs - t.simulatedMs <= 2000;
    },
  },
  {
    id: 'stale-cache-scale-down-later',
    reason:
      "after scaling one ReplicaSet up, rollout/canary.go reconcileCanaryReplicaSets returns and the next reconcile scales the other down; when that reconcile still reads the old ReplicaSet from its informer cache it patches the same scale-up again, a no-op that raises no event, so the scale-down waits for the next event (typically the new pod becoming ready, seconds later); the simulator's controller always reads its last write and scales down in the next reconcile",
    matches: (d) => {
      if (d.section !== 'events' || d.kind !== 'timing' || !/ScalingReplicaSet: Scaled down ReplicaSet /.test(d.summary)) return false;
      const late = /late by (\d+(?:\.\d+)?)s/.exec(d.summary);
      if (!late || Number(late[1]) > 10) return false;
      // In the simulated run the scale-down directly follows a scale-up of another ReplicaSet at the same time.
      const at = d.context.simulated.findIndex((l) => l.trimStart().startsWith('→'));
      const timeOf = (l: string): string | undefined => /([+-]?\d+(?:\.\d+)?)s\s/.exec(l)?.[1];
      return d.context.simulated
        .slice(0, Math.max(at, 0))
        .some((l) => /ScalingReplicaSet: Scaled up ReplicaSet /.test(l) && timeOf(l) === timeOf(d.context.simulated[at]!));
    },
  },
  {
    id: 'stale-cache-repeated-event',
    reason:
      "a reconcile that runs before the controller's own status write has reached its Rollout informer compares with the cached status and records the same event again (rollout/analysis.go emitAnalysisRunStatusChanges compares c.rollout.Status, the lister's copy); the simulator's controller always reads its last write, so it records the event once",
    matches: (d) => {
      if (d.section !== 'events' || d.kind !== 'extra' || d.real === null) return false;
      const text = withoutTime(d.real);
      const at = d.context.real.findIndex((l) => withoutTime(l) === text && l.trimStart().startsWith('→'));
      return d.context.real.slice(0, Math.max(at, 0)).some((l) => withoutTime(l) === text);
    },
  },
];

export interface ClassifiedDivergences {
  readonly unexplained: readonly Divergence[];
  readonly known: readonly { readonly id: string; readonly reason: string; readonly divergence: Divergence }[];
}

export function classifyDivergences(divergences: readonly Divergence[], known: readonly KnownDifference[] = KNOWN_DIFFERENCES): ClassifiedDivergences {
  const unexplained: Divergence[] = [];
  const explained: { id: string; reason: string; divergence: Divergence }[] = [];
  for (const d of divergences) {
    const k = known.find((x) => x.matches(d));
    if (k) explained.push({ id: k.id, reason: k.reason, divergence: d });
    else unexplained.push(d);
  }
  return { unexplained, known: explained };
}
