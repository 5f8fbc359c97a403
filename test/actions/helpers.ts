// Runs inline manifests in the deterministic test world with operator actions at given times.
import type { OperatorAction } from '../../sim/actions/types.js';
import { loadManifests } from '../../sim/manifests/load.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { world, type WorldOptions } from '../helpers/sim.js';

/** An action as a test writes it (its index is its position in the list). */
export type ActionInput = OperatorAction extends infer A ? (A extends OperatorAction ? Omit<A, 'index'> : never) : never;

export function runWithActions(manifests: readonly string[], actions: readonly ActionInput[], w: WorldOptions = {}): RunResult {
  const set = loadManifests(manifests.map((text, i) => ({ name: `inline-${i}.yaml`, text })));
  const scenario = { ...world(w), actions: actions.map((a, index) => ({ ...a, index }) as OperatorAction) };
  return runScenario(scenario, set);
}

export const MIN = 60_000;
