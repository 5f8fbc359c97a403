// Child-process supervision for the local control plane: every component (etcd, kube-apiserver,
// kube-controller-manager, rollouts-controller) runs detached in its own process group with its
// stdout/stderr in a log file, so that
// * stopping kills exactly the processes rehearse started (by pid / process group, never by name);
// * a component that exits early fails the run with the tail of its own log;
// * nothing outlives the test run: stop() on success and failure, and a synchronous SIGKILL of every
//   live group on process exit, SIGINT and SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface ComponentSpec {
  /** Short name used in messages and as the log file name ("etcd" → etcd.log). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface Component {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Undefined while running; the exit code or signal once it exited. */
  exit(): { readonly code: number | null; readonly signal: NodeJS.Signals | null } | undefined;
}

export class ComponentExitedError extends Error {
  constructor(
    readonly component: string,
    readonly logTail: string,
    how: string,
  ) {
    super(`${component} exited unexpectedly (${how}). Last lines of its log:\n${logTail}`);
    this.name = 'ComponentExitedError';
  }
}

type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

class ManagedComponent implements Component {
  exitInfo: ExitInfo | undefined;
  spawnError: Error | undefined;
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly logPath: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
      // A failed spawn (ENOENT, EACCES) has no pid and emits 'error' instead of 'exit'.
      child.once('error', (err) => {
        this.spawnError = err;
        this.exitInfo ??= { code: null, signal: null };
        resolve();
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  exit(): ExitInfo | undefined {
    return this.exitInfo;
  }
}

/** Last `lines` lines of a log file ("" when it cannot be read). */
export function logTail(path: string, lines = 40): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return '';
  }
  const all = text.replace(/\n+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}

// Every supervisor with live children, for the process-level safety net.
const live = new Set<Supervisor>();
let hooksInstalled = false;

function installProcessHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const s of live) s.killAllNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const handler = (): void => {
      for (const s of live) s.killAllNow();
      // Keep the default behaviour (terminate) when nobody else handles the signal.
      process.removeListener(signal, handler);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    // Negative pid: the whole process group the child leads (spawned detached).
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export interface SupervisorOptions {
  /** Directory for the component logs (created by the caller). */
  readonly logDir: string;
  /** Grace between SIGTERM and SIGKILL, ms. */
  readonly graceMs?: number;
  /** Directories removed after stop() unless kept (the run's temp dir). */
  readonly removeOnStop?: readonly string[];
}

export class Supervisor {
  private readonly components: ManagedComponent[] = [];
  private stopping = false;
  private readonly graceMs: number;

  constructor(private readonly options: SupervisorOptions) {
    this.graceMs = options.graceMs ?? 5_000;
  }

  /** Starts a component; it keeps running until stop() (or until it dies, which assertHealthy reports). */
  start(spec: ComponentSpec): Component {
    if (this.stopping) throw new Error(`cannot start ${spec.name}: the cluster is stopping`);
    installProcessHooks();
    const logPath = join(this.options.logDir, `${spec.name}.log`);
    const fd = openSync(logPath, 'a');
    let child: ChildProcess;
    try {
      child = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        stdio: ['ignore', fd, fd],
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    const managed = new ManagedComponent(spec.name, logPath, child);
    // Do not keep the Node event loop alive for a child.
    child.unref();
    this.components.push(managed);
    live.add(this);
    return managed;
  }

  /** The first component that exited while it should be running, as an error with its log tail. */
  firstFailure(): ComponentExitedError | undefined {
    if (this.stopping) return undefined;
    for (const c of this.components) {
      if (c.exitInfo === undefined) continue;
      const how = c.spawnError
        ? `could not start ${c.name}: ${c.spawnError.message}`
        : c.exitInfo.signal
          ? `killed by ${c.exitInfo.signal}`
          : `exit code ${c.exitInfo.code}`;
      return new ComponentExitedError(c.name, logTail(c.logPath), how);
    }
    return undefined;
  }

  assertHealthy(): void {
    const failure = this.firstFailure();
    if (failure) throw failure;
  }

  /** Pids of the components still running (for tests and reports). */
  livePids(): number[] {
    return this.components.filter((c) => c.exitInfo === undefined).map((c) => c.pid);
  }

  /**
   * Stops every component in reverse start order: SIGTERM to its process group, SIGKILL after the
   * grace. Then removes the run's directories unless `keep`.
   */
  async stop(keep = false): Promise<void> {
    this.stopping = true;
    for (const c of [...this.components].reverse()) {
      if (c.exitInfo !== undefined || c.pid <= 0) continue;
      signalGroup(c.pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.graceMs);
      });
      const outcome = await Promise.race([c.exited.then(() => 'exited' as const), graceOver]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        signalGroup(c.pid, 'SIGKILL');
        await c.exited;
      }
      // Children of the component in the same group (none expected) go with it.
      signalGroup(c.pid, 'SIGKILL');
    }
    live.delete(this);
    if (!keep) for (const dir of this.options.removeOnStop ?? []) rmSync(dir, { recursive: true, force: true });
  }

  /** Synchronous last resort (process exit / signal): SIGKILL every live group. */
  killAllNow(): void {
    this.stopping = true;
    for (const c of this.components) if (c.exitInfo === undefined && c.pid > 0) signalGroup(c.pid, 'SIGKILL');
    for (const dir of this.options.removeOnStop ?? []) rmSync(dir, { recursive: true, force: true });
    live.delete(this);
  }
}
