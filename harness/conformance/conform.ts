// One conformance check: the scenario in the simulator, then on the real cluster for as long as
// the simulated run took to decide (horizon.ts), both traces normalised and diffed.
import { runScenario } from '../../sim/world.js';
import type { RunningCluster } from '../cluster/backend.js';
import { loadScenarioFile } from '../runInputs.js';
import { diffTraces, DEFAULT_TOLERANCE, type DiffResult, type Tolerance } from './diff.js';
import { recordingHorizonMs } from './horizon.js';
import { classifyDivergences, type ClassifiedDivergences } from './knownDifferences.js';
import { normaliseTrace, type NormalisedTrace } from './normalise.js';
import { playOnCluster } from './realRun.js';

export type ScenarioConformance =
  | {
      readonly status: 'compared';
      readonly file: string;
      readonly name: string;
      readonly seed: number;
      readonly horizonMs: number;
      readonly wallMs: number;
      readonly simulated: NormalisedTrace;
      readonly real: NormalisedTrace;
      readonly diff: DiffResult;
      /** The diff's divergences split into known differences (knownDifferences.ts) and the rest. */
      readonly classified: ClassifiedDivergences;
      readonly warnings: readonly string[];
      /** Where the real run's events were read: the controller's log (complete) or the API's Events (throttled). */
      readonly eventSource: string;
    }
  | { readonly status: 'failed'; readonly file: string; readonly name: string; readonly error: string };

export interface ConformOptions {
  readonly tolerance?: Tolerance;
  readonly log: (line: string) => void;
  readonly controllerLogPath?: string | undefined;
}

/**
 * The local backend says where its component logs are ("… logs in DIR)"); the controller's is
 * DIR/rollouts-controller.log (harness/cluster/local.ts, supervisor.ts). Wrap the backend's log
 * callback with this to learn it.
 */
export function controllerLogFrom(line: string): string | undefined {
  const m = /logs in (\S+?)\)?$/.exec(line);
  return m ? `${m[1]}/rollouts-controller.log` : undefined;
}

export async function conformScenario(cluster: RunningCluster, file: string, o: ConformOptions): Promise<ScenarioConformance> {
  const { scenario, manifests } = loadScenarioFile(file);
  const tolerance = o.tolerance ?? DEFAULT_TOLERANCE;
  const sim = runScenario(scenario, manifests, { keepTrace: true });
  const horizonMs = recordingHorizonMs(sim.trace, tolerance);
  o.log(`${scenario.name}: simulated ${sim.outcome}; playing it on the ${cluster.kind} cluster for ${(((scenario.change?.atMs ?? 0) + horizonMs) / 1000).toFixed(0)}s…`);
  try {
    const real = await playOnCluster(cluster, { scenario, manifests, seed: sim.seed, horizonMs, log: o.log, controllerLogPath: o.controllerLogPath });
    const simulated = normaliseTrace(sim.trace, { side: 'simulated', horizonMs });
    const realN = normaliseTrace(real.trace, { side: 'real', horizonMs });
    const diff = diffTraces(simulated, realN, { tolerance });
    return {
      status: 'compared',
      file,
      name: scenario.name,
      seed: sim.seed,
      horizonMs,
      wallMs: real.wallMs,
      simulated,
      real: realN,
      diff,
      classified: classifyDivergences(diff.divergences),
      warnings: real.warnings,
      eventSource: real.eventSource,
    };
  } catch (e) {
    return { status: 'failed', file, name: scenario.name, error: (e as Error).message ?? String(e) };
  }
}
