// `rehearse serve`: rehearse one scenario (as `rehearse run` does), keep its metric store, and
// serve the series over Prometheus' HTTP API until SIGINT/SIGTERM — so Grafana, promtool, curl or
// a real Argo Rollouts controller can query what the rehearsal's analyses saw. Times map onto the
// virtual clock with a fixed epoch (docs/prometheus-api.md). Binds loopback unless --host says
// otherwise.
import type { Argv } from 'yargs';
import { formatDiagnostic } from '../../sim/diagnostics.js';
import { METRIC_NAME, type SeriesStore } from '../../sim/metrics/store.js';
import { runScenario } from '../../sim/world.js';
import { fixedClock, formatVirtual, isoTime } from '../prometheus/clock.js';
import { parseTime } from '../prometheus/params.js';
import { startPromApiServer, type RequestLogEntry } from '../prometheus/server.js';
import { loadRunInputs } from '../runInputs.js';
import { checkRunOptions, fromStdinArg, usageError, type CliIo, type RehearseCommand } from './common.js';

/** Virtual 0 of `rehearse serve` unless --epoch says otherwise: 2023-11-14T22:13:20Z. */
export const DEFAULT_SERVE_EPOCH_UNIX_MS = 1_700_000_000_000;

interface ServeArgs {
  scenario: string[];
  port: number;
  host?: string;
  epoch?: string;
  seed?: number;
  until?: string;
  prometheusVersion?: number;
  log: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The newest sample time in the store: "now" for requests without `time`. */
function lastSampleMs(store: SeriesStore): number {
  let last = 0;
  for (const h of store.select([])) if (h.lastTime > last) last = h.lastTime;
  return last;
}

function exampleQuery(store: SeriesStore): string {
  const names = [...new Set(store.select([]).map((h) => h.labels.get(METRIC_NAME)))].filter((n) => n !== '').sort();
  const counter = names.find((n) => n.endsWith('_total'));
  if (counter !== undefined) return `sum(rate(${counter}[1m]))`;
  return names[0] ?? 'vector(1)';
}

function waitForStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

async function serveCommand(argv: ServeArgs, io: CliIo): Promise<number> {
  if (!Number.isSafeInteger(argv.port) || argv.port < 0 || argv.port > 65535) usageError(`--port: expected 0–65535, got ${argv.port}.`);
  if (argv.host !== undefined && argv.host.trim() === '') usageError('--host: expected an address such as 127.0.0.1 or 0.0.0.0.');
  let epochUnixMs = DEFAULT_SERVE_EPOCH_UNIX_MS;
  if (argv.epoch !== undefined) {
    const t = parseTime(argv.epoch);
    if (!t.ok || !Number.isSafeInteger(t.value)) usageError(`--epoch: expected an RFC 3339 time such as 2024-05-01T12:00:00Z or Unix seconds, got "${argv.epoch}".`);
    epochUnixMs = t.value;
  }
  const { untilMs, prometheusVersion: pv } = checkRunOptions(argv);

  const inputs = loadRunInputs(argv.scenario, io.readStdin);
  for (const w of inputs.manifests.warnings) process.stderr.write(formatDiagnostic(w) + '\n');
  const result = runScenario(inputs.scenario, inputs.manifests, {
    ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
    ...(untilMs !== undefined ? { untilMs } : {}),
    ...(pv !== undefined ? { prometheusVersion: pv as 2 | 3 } : {}),
    keepTrace: false,
    keepStore: true,
  });
  const store = result.store;
  if (store === undefined) throw new Error('runScenario did not return its metric store');
  const nowVirtualMs = lastSampleMs(store);
  const clock = fixedClock({ epochUnixMs, nowVirtualMs });
  const host = argv.host ?? '127.0.0.1';
  const out = (line: string): void => void process.stdout.write(line + '\n');
  const onRequest = argv.log
    ? (e: RequestLogEntry): void =>
        out(
          `${e.method} ${e.path} ${e.status}` +
            (e.query !== undefined ? ` query=${JSON.stringify(e.query)}` : '') +
            (e.timeVirtualMs !== undefined ? ` at virtual ${formatVirtual(e.timeVirtualMs)}` : '') +
            (e.error !== undefined ? ` error=${JSON.stringify(e.error)}` : ''),
        )
    : undefined;
  const server = await startPromApiServer({ store, clock, host, port: argv.port, prometheusVersion: result.prometheusVersion, ...(onRequest ? { onRequest } : {}) });

  const nowUnixS = (epochUnixMs + nowVirtualMs) / 1000;
  const startUnixS = epochUnixMs / 1000;
  const q = exampleQuery(store);
  const rangeQ = q.startsWith('sum(') ? q : `sum(${q})`;
  out(`rehearse serve: ${result.scenario} (seed ${result.seed}): ${result.outcome}; ${store.seriesCount} series, ${store.sampleCount} samples, Prometheus ${result.prometheusVersion} semantics`);
  out(`Prometheus HTTP API at ${server.url}`);
  if (!LOOPBACK.has(host)) out(`warning: listening on ${host}: anyone who can reach this address can query the rehearsal`);
  out(`time mapping: ${clock.describe()}`);
  out(`  last sample at virtual ${formatVirtual(nowVirtualMs)} = ${isoTime(epochUnixMs + nowVirtualMs)}; Unix time = ${startUnixS} + virtual seconds`);
  out('examples:');
  out(`  curl -s ${server.url}/api/v1/query --data-urlencode ${shellQuote(`query=${q}`)} --data-urlencode time=${nowUnixS}`);
  out(
    `  curl -s ${server.url}/api/v1/query_range --data-urlencode ${shellQuote(`query=${rangeQ}`)} ` +
      `--data-urlencode start=${startUnixS} --data-urlencode end=${nowUnixS} --data-urlencode step=60`,
  );
  out(`  curl -s ${server.url}/api/v1/label/__name__/values`);
  out('serving until Ctrl-C (SIGINT) or SIGTERM');

  const signal = await waitForStopSignal();
  await server.close();
  out(`rehearse serve: ${signal}, stopped`);
  return 0;
}

export const serveCommandModule: RehearseCommand = (ctx) => ({
  command: 'serve <scenario..>',
  describe: "Rehearse a scenario, then serve its metrics over Prometheus' HTTP API (query, query_range, series, labels) until Ctrl-C",
  builder: (y: Argv) =>
    y
      .positional('scenario', { type: 'string', array: true, describe: 'scenario file, or manifest files/folders, or - for stdin' })
      .option('port', { type: 'number', default: 9090, describe: 'TCP port (0: any free port)' })
      .option('host', { type: 'string', describe: 'address to bind (default 127.0.0.1; anything else exposes the API to the network)' })
      .option('epoch', { type: 'string', describe: 'Unix time of virtual 0: RFC 3339 or Unix seconds (default 2023-11-14T22:13:20Z = 1700000000)' })
      .option('seed', { type: 'number', describe: 'random seed (overrides the scenario)' })
      .option('until', { type: 'string', describe: 'virtual-time limit, e.g. 30m (overrides the scenario)' })
      .option('prometheus-version', { type: 'number', describe: 'PromQL semantics and API dialect: 2 (2.42) or 3 (default: the scenario\'s)' })
      .option('log', { type: 'boolean', default: true, describe: 'print one line per request (--no-log to silence)' }),
  handler: async (args) => {
    const a = args as unknown as ServeArgs;
    ctx.setExitCode(await serveCommand({ ...a, scenario: a.scenario.map(fromStdinArg) }, ctx.io));
  },
});
