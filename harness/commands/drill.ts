// `rehearse drill [PATH...]`: runs every scenario under the paths (folders searched recursively),
// each over its seeds, in parallel on worker threads; prints one row per scenario and, for each
// failure, expected vs actual and the command that reproduces it. Writes JUnit XML (--junit) and
// Markdown (--summary) for CI. Exit 0 when every scenario holds, 1 when one does not, 2 on bad input.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { formatDiagnostic } from '../../sim/diagnostics.js';
import { MAX_SEEDS } from '../../sim/expect/parse.js';
import { renderJUnit } from '../../reports/junit.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { runDrill } from '../drill/run.js';
import { renderDrillTable } from '../drill/table.js';
import { fromStdinArg, usageError, type CliIo, type RehearseCommand } from './common.js';

interface DrillArgs {
  paths: string[];
  junit?: string;
  summary?: string;
  json: boolean;
  seed?: number;
  seeds?: number;
  manifests?: string;
  workers?: number;
}

const isCount = (n: number | undefined, min: number, max: number): boolean => n === undefined || (Number.isSafeInteger(n) && n >= min && n <= max);

async function drillCommand(argv: DrillArgs, io: CliIo): Promise<number> {
  if (!isCount(argv.seed, 0, Number.MAX_SAFE_INTEGER)) usageError(`--seed: expected a non-negative integer, got ${argv.seed}.`);
  if (!isCount(argv.seeds, 1, MAX_SEEDS)) usageError(`--seeds: expected a number of seeds from 1 to ${MAX_SEEDS}, got ${argv.seeds}.`);
  if (!isCount(argv.workers, 1, 1024)) usageError(`--workers: expected a number of worker threads ≥ 1, got ${argv.workers}.`);
  const workers = argv.workers ?? availableParallelism();
  const started = process.hrtime.bigint();
  const drill = await runDrill(argv.paths.length > 0 ? argv.paths : ['.'], {
    workers,
    manifests: argv.manifests,
    seed: argv.seed,
    seeds: argv.seeds,
    readStdin: io.readStdin,
  });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  for (const w of drill.warnings) process.stderr.write(formatDiagnostic(w) + '\n');
  const { report } = drill;
  if (argv.junit !== undefined) writeFileSync(argv.junit, renderJUnit(report));
  if (argv.summary !== undefined) writeFileSync(argv.summary, renderMarkdown(report));
  if (argv.json) {
    process.stdout.write(JSON.stringify({ ...report, passedAll: report.failed === 0, workers: drill.workers, elapsedMs: Math.round(elapsedMs) }, null, 2) + '\n');
  } else {
    const n = report.scenarios.length;
    const footer =
      `${n} scenario${n === 1 ? '' : 's'}, ${report.runs} run${report.runs === 1 ? '' : 's'}: ${report.passed} held, ${report.failed} failed` +
      ` · ${drill.workers} worker${drill.workers === 1 ? '' : 's'} · ${(elapsedMs / 1000).toFixed(2)}s (${((report.runs * 1000) / Math.max(elapsedMs, 1)).toFixed(1)} runs/s)`;
    process.stdout.write([...renderDrillTable(report), '', footer].join('\n') + '\n');
  }
  return report.failed === 0 ? 0 : 1;
}

export const drillCommandModule: RehearseCommand = (ctx) => ({
  command: 'drill [paths..]',
  describe: 'Run every scenario under the paths (folders searched recursively) over its seeds, in parallel; exit 1 when any expectation fails',
  builder: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, default: [], describe: 'scenario files or folders (default: the current folder)' })
      .option('junit', { type: 'string', describe: 'write JUnit XML to this file' })
      .option('summary', { type: 'string', describe: 'write a Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the table' })
      .option('seed', { type: 'number', describe: 'first seed (overrides each scenario’s spec.seed)' })
      .option('seeds', { type: 'number', describe: 'number of seeds per scenario (overrides expect.seeds)' })
      .option('manifests', { type: 'string', describe: 'run every scenario against these manifests instead of its own: a file, folder, or - for stdin' })
      .option('workers', { type: 'number', describe: 'worker threads (default: all cores)' }),
  handler: async (args) => {
    const a = args as unknown as DrillArgs;
    const manifests = a.manifests === undefined ? undefined : fromStdinArg(a.manifests);
    ctx.setExitCode(await drillCommand({ ...a, paths: (a.paths ?? []).map(fromStdinArg), ...(manifests !== undefined ? { manifests } : {}) }, ctx.io));
  },
});
