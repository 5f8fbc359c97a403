// `rehearse run`: rehearse one scenario (or bare manifests in the default world), print a
// timeline and summary or one JSON object, optionally write the trace; exit 0 when every `expect`
// clause held, 1 when one failed.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { formatDiagnostic } from '../../sim/diagnostics.js';
import { runScenario, type RunResult } from '../../sim/world.js';
import { renderHeader } from '../../reports/header.js';
import { renderSummary } from '../../reports/summary.js';
import { renderTimeline } from '../../reports/timeline.js';
import { renderRolloutView } from '../../reports/rolloutView.js';
import { loadRunInputs } from '../runInputs.js';
import { checkRunOptions, fromStdinArg, usageError, type CliIo, type RehearseCommand } from './common.js';

interface RunArgs {
  scenario: string[];
  seed?: number;
  until?: string;
  json: boolean;
  trace?: string;
  prometheusVersion?: number;
  exprVersion?: string;
  pods: boolean;
  status: boolean;
  manifests?: string;
}

function quote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function runCommand(argv: RunArgs, io: CliIo): number {
  const { untilMs, prometheusVersion: pv } = checkRunOptions(argv);
  const ev = argv.exprVersion;
  if (ev !== undefined && ev !== '1.15' && ev !== '1.17') usageError(`--expr-version: expected 1.15 (Argo Rollouts up to 1.9) or 1.17 (Argo Rollouts 1.10), got ${ev}.`);

  const inputs = loadRunInputs(argv.scenario, io.readStdin, argv.manifests);
  for (const w of inputs.manifests.warnings) process.stderr.write(formatDiagnostic(w) + '\n');
  const result = runScenario(inputs.scenario, inputs.manifests, {
    ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
    ...(untilMs !== undefined ? { untilMs } : {}),
    ...(pv !== undefined ? { prometheusVersion: pv as 2 | 3 } : {}),
    ...(ev !== undefined ? { exprVersion: ev as '1.15' | '1.17' } : {}),
  });
  const traceText = result.trace.map((e) => JSON.stringify(e)).join('\n') + '\n';
  const traceSha256 = createHash('sha256').update(traceText).digest('hex');
  if (argv.trace) writeFileSync(argv.trace, traceText);

  const reproduce = ['rehearse', 'run', ...inputs.args.map(quote), '--seed', String(result.seed)];
  if (argv.until !== undefined) reproduce.push('--until', argv.until);
  if (pv !== undefined) reproduce.push('--prometheus-version', String(pv));
  if (ev !== undefined) reproduce.push('--expr-version', ev);
  if (argv.manifests !== undefined) reproduce.push('--manifests', quote(argv.manifests));

  if (argv.json) {
    process.stdout.write(JSON.stringify(jsonSummary(result, traceSha256, reproduce.join(' ')), null, 2) + '\n');
  } else {
    const out = [
      ...renderHeader(inputs.scenario, inputs.manifests, result, untilMs ?? inputs.scenario.untilMs),
      '',
      ...renderTimeline(result.trace, { pods: argv.pods }),
      '',
      ...(argv.status ? [...renderRolloutView(result.rolloutView, untilMs ?? inputs.scenario.untilMs), ''] : []),
      ...renderSummary(result, { traceSha256, reproduce: reproduce.join(' ') }),
    ];
    process.stdout.write(out.join('\n') + '\n');
  }
  return result.expectations.every((x) => x.ok) ? 0 : 1;
}

function jsonSummary(r: RunResult, traceSha256: string, reproduce: string): Record<string, unknown> {
  return {
    scenario: r.scenario,
    seed: r.seed,
    prometheusVersion: r.prometheusVersion,
    outcome: r.outcome,
    decidedAt: r.decidedAt,
    changeAt: r.changeAt,
    finalStepIndex: r.finalStepIndex,
    steps: r.steps,
    maxCanaryWeight: r.maxCanaryWeight,
    maxActualCanaryWeight: r.maxActualCanaryWeight,
    finalStatus: r.finalStatus,
    rolloutView: r.rolloutView,
    requests: r.requests,
    analysisRuns: r.analysisRuns,
    ...(r.experiments ? { experiments: r.experiments } : {}),
    expectations: r.expectations,
    passed: r.expectations.every((x) => x.ok),
    warnings: r.warnings,
    traceSha256,
    reproduce,
  };
}

export const runCommandModule: RehearseCommand = (ctx) => ({
  command: 'run <scenario..>',
  describe: 'Rehearse a rollout on a virtual clock: a scenario file, or bare manifests (files, folders, - for stdin) in a default world',
  builder: (y: Argv) =>
    y
      .positional('scenario', { type: 'string', array: true, describe: 'scenario file, or manifest files/folders, or - for stdin' })
      .option('seed', { type: 'number', describe: 'random seed (overrides the scenario)' })
      .option('until', { type: 'string', describe: 'virtual-time limit, e.g. 30m (overrides the scenario)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the timeline' })
      .option('trace', { type: 'string', describe: 'write the trace as JSON lines to this file' })
      .option('prometheus-version', { type: 'number', describe: 'PromQL semantics: 2 or 3 (default 3)' })
      .option('expr-version', { type: 'string', describe: 'condition language: 1.15 (Argo Rollouts ≤ 1.9, default) or 1.17 (Argo 1.10)' })
      .option('pods', { type: 'boolean', default: false, describe: 'show every pod transition in the timeline' })
      .option('status', { type: 'boolean', default: false, describe: 'print the final `kubectl argo rollouts get rollout` view' })
      .option('manifests', { type: 'string', describe: "replace the scenario's manifests with these: a file, folder, or - for stdin" }),
  handler: (args) => {
    const a = args as unknown as RunArgs;
    ctx.setExitCode(runCommand({ ...a, scenario: a.scenario.map(fromStdinArg), ...(a.manifests !== undefined ? { manifests: fromStdinArg(a.manifests) } : {}) }, ctx.io));
  },
});
