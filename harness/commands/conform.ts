// `rehearse conform SCENARIO... --cluster local|kind|kubeconfig`: plays each scenario in the
// simulator and against a real cluster running the real Argo Rollouts controller, prints the diff,
// writes conformance.json and conformance.md, and exits 1 when any scenario diverges.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import type { ClusterKind, RunningCluster } from '../cluster/backend.js';
import { findBackend } from '../conformance/backends.js';
import { conformScenario, controllerLogFrom, type ScenarioConformance } from '../conformance/conform.js';
import { suiteEntries } from '../conformance/suite.js';
import { anyDivergence, conformanceJson, renderConformanceMarkdown, renderConformanceText, type ConformanceRun } from '../../reports/conformance.js';
import { usageError, type RehearseCommand } from './common.js';

interface ConformArgs {
  scenario: string[];
  cluster: string;
  context?: string;
  kubeconfig?: string;
  out: string;
  keepArtifacts: boolean;
  force: boolean;
}

const KINDS: readonly ClusterKind[] = ['local', 'kind', 'kubeconfig'];

/** Scenario files: files as given, folders as conformance suites . */
export function conformanceFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) usageError(`${p}: no such file or folder.`);
    if (statSync(p).isDirectory()) files.push(...suiteEntries(p).map((e) => e.file));
    else files.push(p);
  }
  return files;
}

async function conform(argv: ConformArgs): Promise<number> {
  if (!KINDS.includes(argv.cluster as ClusterKind)) usageError(`--cluster: expected one of ${KINDS.join(', ')}, got ${argv.cluster}.`);
  const kind = argv.cluster as ClusterKind;
  if (kind === 'kubeconfig' && argv.context === undefined) usageError('--cluster kubeconfig needs --context: rehearse never guesses which cluster to create objects in.');
  const files = conformanceFiles(argv.scenario);
  const backend = await findBackend(kind);
  if (!backend) usageError(`--cluster ${kind}: this build of rehearse has no ${kind} cluster backend yet (harness/cluster/).`);
  let controllerLogPath: string | undefined;
  const log = (line: string): void => {
    controllerLogPath ??= controllerLogFrom(line);
    process.stderr.write(line + '\n');
  };
  const started = Date.now();
  let cluster: RunningCluster | undefined;
  const results: ScenarioConformance[] = [];
  try {
    cluster = await backend.start({
      log,
      ...(argv.keepArtifacts ? { keepArtifacts: true } : {}),
      ...(argv.kubeconfig !== undefined ? { kubeconfigPath: argv.kubeconfig } : {}),
      ...(argv.context !== undefined ? { context: argv.context } : {}),
      ...(argv.force ? { force: true } : {}),
    });
    for (const file of files) results.push(await conformScenario(cluster, file, { log, controllerLogPath }));
  } finally {
    await cluster?.stop();
  }
  const run: ConformanceRun = { cluster: kind, versions: cluster?.versions ?? {}, results, wallMs: Date.now() - started };
  process.stdout.write(renderConformanceText(run).join('\n') + '\n');
  mkdirSync(argv.out, { recursive: true });
  writeFileSync(join(argv.out, 'conformance.json'), JSON.stringify(conformanceJson(run), null, 2) + '\n');
  writeFileSync(join(argv.out, 'conformance.md'), renderConformanceMarkdown(run));
  process.stdout.write(`reports    ${join(argv.out, 'conformance.json')}, ${join(argv.out, 'conformance.md')}\n`);
  return anyDivergence(run) ? 1 : 0;
}

export const conformCommandModule: RehearseCommand = (ctx) => ({
  command: 'conform <scenario..>',
  describe: 'Play scenarios against a real cluster with the real Argo Rollouts controller and diff what it did against the simulation',
  builder: (y: Argv) =>
    y
      .positional('scenario', { type: 'string', array: true, describe: 'scenario files, or folders of them (e.g. scenarios/conformance/)' })
      .option('cluster', { type: 'string', default: 'local', describe: 'local (child processes), kind (Docker) or kubeconfig (an existing cluster)' })
      .option('context', { type: 'string', describe: 'kubeconfig context (required with --cluster kubeconfig)' })
      .option('kubeconfig', { type: 'string', describe: 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)' })
      .option('out', { type: 'string', default: 'conformance-report', describe: 'folder for conformance.json and conformance.md' })
      .option('keep-artifacts', { type: 'boolean', default: false, describe: 'keep component logs and temp files' })
      .option('force', { type: 'boolean', default: false, describe: 'allow a kubeconfig context whose name looks like production' }),
  handler: async (args) => {
    ctx.setExitCode(await conform(args as unknown as ConformArgs));
  },
});
