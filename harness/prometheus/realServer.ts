// Real Prometheus servers (for differential tests and the PromQL benchmark): finds the binaries that
// scripts/setup-differential.sh put into the cache, backfills a data dir with
// `promtool tsdb create-blocks-from openmetrics` (reference §7.2), starts a server on 127.0.0.1
// with an empty scrape config and long retention (§7.3, §7.4), waits for /-/ready, and stops it
// again by its pid.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrometheusBinaries {
  /** Short name for reports: "2.42" or "3.x". */
  readonly id: string;
  /** PromQL semantics of this server, as our compileQuery/evaluateInstant option. */
  readonly majorVersion: 2 | 3;
  readonly prometheus: string;
  readonly promtool: string;
  /** `prometheus --version`, first line. */
  readonly versionText: string;
}

export const SETUP_HINT =
  'run `bash scripts/setup-differential.sh` (or `npm run setup:differential`) to install Prometheus 2.42 and build 3.x, then `npm run test:differential`';

export function cacheDir(): string {
  return process.env['REHEARSE_CACHE'] ?? join(homedir(), '.cache', 'rehearse');
}

function versionOf(binary: string): string {
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return `${r.stdout}${r.stderr}`.split('\n')[0] ?? '';
}

/** The servers whose binaries are installed, and what is missing. */
export function findPrometheusBinaries(): { found: PrometheusBinaries[]; missing: string[] } {
  const dir = cacheDir();
  const candidates = [
    { id: '2.42', majorVersion: 2 as const, bin: join(dir, 'prometheus-2.42', 'usr', 'bin') },
    { id: '3.x', majorVersion: 3 as const, bin: join(dir, 'prometheus-3', 'bin') },
  ];
  const found: PrometheusBinaries[] = [];
  const missing: string[] = [];
  for (const c of candidates) {
    const prometheus = join(c.bin, 'prometheus');
    const promtool = join(c.bin, 'promtool');
    if (existsSync(prometheus) && existsSync(promtool)) {
      found.push({ id: c.id, majorVersion: c.majorVersion, prometheus, promtool, versionText: versionOf(prometheus) });
    } else {
      missing.push(`${c.id} (${prometheus})`);
    }
  }
  return { found, missing };
}

/** A free TCP port on 127.0.0.1 (there is a small race until the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Running servers, killed on process exit should a test runner die before afterAll. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of running) if (c.pid !== undefined && c.exitCode === null) process.kill(c.pid, 'SIGKILL');
  });
}

export class PrometheusServer {
  private constructor(
    readonly binaries: PrometheusBinaries,
    readonly dir: string,
    readonly baseUrl: string,
    private readonly child: ChildProcess,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Backfills `openMetrics` into a fresh temp dir with the server's own promtool, then starts the
   * server on it. Throws (after cleaning up) when either step fails.
   */
  static async start(binaries: PrometheusBinaries, openMetrics: string): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), `rehearse-prom-${binaries.id}-`));
    try {
      const input = join(dir, 'input.om');
      const data = join(dir, 'data');
      writeFileSync(input, openMetrics);
      const bf = spawnSync(binaries.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', input, data], {
        encoding: 'utf8',
        timeout: 300_000,
        maxBuffer: 64 << 20,
      });
      if (bf.status !== 0) {
        throw new Error(`promtool ${binaries.id} backfill failed (exit ${bf.status}): ${bf.stderr || bf.stdout}`.slice(0, 4000));
      }
      // An empty scrape config (the head stays empty, §7.4) and a long retention. Prometheus 3
      // deprecates the retention flag in favour of the config file; 2.42 knows only the flag.
      const config = join(dir, 'prometheus.yml');
      writeFileSync(config, binaries.majorVersion === 3 ? 'storage:\n  tsdb:\n    retention:\n      time: 100y\n' : '');
      const port = await freePort();
      const args = [
        `--config.file=${config}`,
        `--storage.tsdb.path=${data}`,
        `--web.listen-address=127.0.0.1:${port}`,
        ...(binaries.majorVersion === 2 ? ['--storage.tsdb.retention.time=100y'] : []),
      ];
      const logPath = join(dir, 'server.log');
      const log = openSync(logPath, 'w');
      installExitHook();
      // cwd = dir: Prometheus 3 without built-in UI assets looks for them relative to the cwd.
      const child = spawn(binaries.prometheus, args, { cwd: dir, stdio: ['ignore', log, log] });
      closeSync(log);
      running.add(child);
      child.on('exit', () => running.delete(child));
      const server = new PrometheusServer(binaries, dir, `http://127.0.0.1:${port}`, child);
      try {
        await server.waitReady(60_000, logPath);
      } catch (e) {
        await server.stop();
        throw e;
      }
      return server;
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  private async waitReady(timeoutMs: number, logPath: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) break;
      try {
        const res = await fetch(`${this.baseUrl}/-/ready`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const tail = existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n') : '';
    throw new Error(`prometheus ${this.binaries.id} did not become ready (exit code ${this.child.exitCode}); log tail:\n${tail}`);
  }

  /** SIGTERM by pid, SIGKILL after 10 s; then removes the temp dir. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
