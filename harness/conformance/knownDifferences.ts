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

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    id: 'nginx-router-events',
    reason:
      "the real NGINX traffic router emits its own events on the Rollout — CreatingCanaryIngress when it creates the canary Ingress, PatchingCanaryIngress before each weight patch (rollout/trafficrouting/nginx/nginx.go SetWeightPerIngress) — which the simulator's router does not; they belong in the canary controller's traffic-routing reconcile (sim/rollouts/canary.ts), which other work is changing",
    matches: (d) => d.section === 'events' && d.kind === 'extra' && /\b(PatchingCanaryIngress|CreatingCanaryIngress)\b/.test(d.summary),
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
