// The failure-injection catalogue: every fault kind, the validation of a scenario's `faults:`
// entries against each kind's parameters, and installation into a run.
import { controlPlaneFaults } from './controlPlane.js';
import { metricsFaults } from './metrics.js';
import { podsFaults } from './pods.js';
import { releaseFaults } from './release.js';
import { trafficFaults } from './traffic.js';
import type { FaultKind, FaultSpec, WorldHandles } from './types.js';

export const FAULT_KINDS: ReadonlyMap<string, FaultKind> = new Map(
  [...releaseFaults, ...podsFaults, ...metricsFaults, ...trafficFaults, ...controlPlaneFaults].map((k) => [k.kind, k]),
);

/** Installs every fault of a scenario into one run (in list order). */
export function installFaults(faults: readonly FaultSpec[], world: Omit<WorldHandles, 'random'>, randomFor: (fault: FaultSpec) => WorldHandles['random']): void {
  for (const fault of faults) {
    const kind = FAULT_KINDS.get(fault.kind);
    if (!kind) throw new Error(`unknown fault kind ${fault.kind} (the scenario parser should have refused it)`);
    world.kernel.schedule(fault.atMs, 0, `fault ${fault.index} starts`, () =>
      world.trace.record('fault', { index: fault.index, kind: fault.kind, phase: 'started', image: fault.image ?? null }),
    );
    if (fault.forMs !== undefined) {
      world.kernel.schedule(fault.atMs + fault.forMs, 0, `fault ${fault.index} ends`, () =>
        world.trace.record('fault', { index: fault.index, kind: fault.kind, phase: 'ended', image: fault.image ?? null }),
      );
    }
    kind.install(fault, { ...world, random: randomFor(fault) });
  }
}
