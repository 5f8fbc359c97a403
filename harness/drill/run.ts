// A whole drill, for the CLI and the benchmark: find the scenarios, plan the (scenario, seed)
// work items, run them over the worker pool, and build the report.
import { InputError, type Diagnostic } from '../../sim/diagnostics.js';
import { buildReport } from './aggregate.js';
import { findScenarioFiles, planDrill, type PlanOptions } from './plan.js';
import { effectiveWorkers, runWorkItems } from './pool.js';
import type { DrillReport, SeedResult } from './types.js';

export interface DrillOptions extends PlanOptions {
  readonly workers: number;
}

export interface DrillRun {
  readonly report: DrillReport;
  readonly warnings: readonly Diagnostic[];
  /** Threads that ran the items (1: this thread). */
  readonly workers: number;
}

export async function runDrill(paths: readonly string[], options: DrillOptions): Promise<DrillRun> {
  const plan = planDrill(findScenarioFiles(paths), options);
  const outcomes = await runWorkItems(plan.scenarios, plan.items, { workers: options.workers });
  const results: SeedResult[] = [];
  const problems: Diagnostic[] = [];
  for (const o of outcomes) {
    if (o.kind === 'result') results.push(o.result);
    else if (o.kind === 'inputError') {
      for (const d of o.diagnostics) if (!problems.some((p) => JSON.stringify(p) === JSON.stringify(d))) problems.push(d);
    } else {
      const err = new Error(o.message);
      if (o.stack !== undefined) err.stack = o.stack;
      throw err;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return {
    report: buildReport(plan.scenarios, plan.specs, results, options.manifests),
    warnings: plan.warnings,
    workers: effectiveWorkers(options.workers, plan.items.length),
  };
}
