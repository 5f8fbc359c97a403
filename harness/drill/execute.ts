// Runs one work item — one scenario with one seed — exactly as `rehearse run` would, without
// the trace: the same parser, manifest loader and world. Workers and the in-process path both
// call this, so results do not depend on how many workers there are.
import { InputError } from '../../sim/diagnostics.js';
import { loadManifests } from '../../sim/manifests/load.js';
import type { ManifestSet } from '../../sim/manifests/types.js';
import { parseScenario } from '../../sim/scenario/parse.js';
import type { ScenarioSpec } from '../../sim/scenario/types.js';
import { runScenario } from '../../sim/world.js';
import type { DrillScenario, ItemOutcome, WorkItem } from './types.js';

/** Parses each scenario once per thread. */
export class DrillExecutor {
  private readonly loaded = new Map<number, { scenario: ScenarioSpec; manifests: ManifestSet }>();

  constructor(private readonly scenarios: readonly DrillScenario[]) {}

  run(item: WorkItem): ItemOutcome {
    try {
      let inputs = this.loaded.get(item.scenario);
      if (!inputs) {
        const s = this.scenarios[item.scenario]!;
        inputs = { scenario: parseScenario(s.file, s.text), manifests: loadManifests(s.manifestSources) };
        this.loaded.set(item.scenario, inputs);
      }
      const r = runScenario(inputs.scenario, inputs.manifests, { seed: item.seed, keepTrace: false });
      return {
        kind: 'result',
        result: {
          scenario: item.scenario,
          seed: item.seed,
          outcome: r.outcome,
          decidedAfterMs: r.decidedAt !== null && r.changeAt !== null ? r.decidedAt - r.changeAt : null,
          maxCanaryWeight: r.maxCanaryWeight,
          requests: { total: r.requests.total, failed: r.requests.failed },
          expectations: r.expectations,
          warnings: r.warnings,
        },
      };
    } catch (e) {
      if (e instanceof InputError) return { kind: 'inputError', diagnostics: e.diagnostics };
      const err = e as Error;
      return { kind: 'internalError', message: err.message, stack: err.stack };
    }
  }
}
