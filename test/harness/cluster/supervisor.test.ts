import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ComponentExitedError, Supervisor, logTail } from '../../../harness/cluster/supervisor.js';
import { waitUntil } from '../../../harness/cluster/wait.js';

/** Alive and not a zombie (a killed grandchild may linger as a zombie until init reaps it). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const node = process.execPath;
let dirs: string[] = [];
let supervisors: Supervisor[] = [];

function setup(graceMs = 2_000): { sup: Supervisor; dir: string; logDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rehearse-sup-test-'));
  const logDir = join(dir, 'logs');
  mkdirSync(logDir);
  dirs.push(dir);
  const sup = new Supervisor({ logDir, graceMs, removeOnStop: [dir] });
  supervisors.push(sup);
  return { sup, dir, logDir };
}

afterEach(async () => {
  for (const s of supervisors) await s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
  supervisors = [];
});

describe('Supervisor', () => {
  it('reports a component that exits early as an error carrying the tail of its log', async () => {
    const { sup } = setup();
    const c = sup.start({
      name: 'crasher',
      command: node,
      args: ['-e', 'for (let i = 1; i <= 60; i++) console.log("line " + i); console.error("fatal: bad flag --x"); process.exit(3)'],
    });
    await waitUntil('crasher to exit', async () => c.exit() !== undefined, { timeoutMs: 20_000 });
    const failure = sup.firstFailure();
    expect(failure).toBeInstanceOf(ComponentExitedError);
    expect(failure?.message).toContain('crasher exited unexpectedly (exit code 3)');
    expect(failure?.message).toContain('fatal: bad flag --x');
    expect(failure?.message).toContain('line 60');
    // Only the tail: 40 lines, so the first lines are not repeated.
    expect(failure?.message).not.toContain('line 1\n');
    expect(() => sup.assertHealthy()).toThrow(/crasher exited unexpectedly/);
  });

  it('stop() kills the component and every process of its group; no orphan remains', async () => {
    const { sup, dir } = setup();
    const pidFile = join(dir, 'grandchild.pid');
    const c = sup.start({
      name: 'parent',
      command: node,
      args: [
        '-e',
        `const { spawn } = require('node:child_process');
         const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
         require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));
         setInterval(() => {}, 1000);`,
      ],
    });
    await waitUntil('the grandchild pid file', async () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').length > 0, { timeoutMs: 20_000 });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(isAlive(c.pid)).toBe(true);
    expect(isAlive(grandchild)).toBe(true);
    expect(sup.livePids()).toEqual([c.pid]);
    await sup.stop();
    expect(c.exit()?.signal).toBe('SIGTERM');
    await waitUntil('the grandchild to be gone', async () => !isAlive(grandchild), { timeoutMs: 10_000 });
    expect(isAlive(c.pid)).toBe(false);
    expect(sup.livePids()).toEqual([]);
    // A component that was stopped is not a failure.
    expect(sup.firstFailure()).toBeUndefined();
    // The run directory goes with it.
    expect(existsSync(dir)).toBe(false);
  });

  it('SIGKILLs a component that ignores SIGTERM once the grace is over', async () => {
    const { sup, logDir } = setup(300);
    const c = sup.start({
      name: 'stubborn',
      command: node,
      args: ['-e', 'process.on("SIGTERM", () => console.log("ignoring SIGTERM")); console.log("up"); setInterval(() => {}, 1000)'],
    });
    await waitUntil('stubborn to start', async () => logTail(join(logDir, 'stubborn.log')).includes('up'), { timeoutMs: 20_000 });
    await sup.stop(true);
    expect(c.exit()?.signal).toBe('SIGKILL');
    expect(isAlive(c.pid)).toBe(false);
    expect(readFileSync(c.logPath, 'utf8')).toContain('ignoring SIGTERM');
  });

  it('stops components in reverse start order and keeps the directory when asked', async () => {
    const { sup, dir, logDir } = setup();
    const order = join(dir, 'order.txt');
    writeFileSync(order, '');
    const script = (name: string): string =>
      `process.on('SIGTERM', () => { require('node:fs').appendFileSync(${JSON.stringify(order)}, '${name}\\n'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000)`;
    sup.start({ name: 'first', command: node, args: ['-e', script('first')] });
    sup.start({ name: 'second', command: node, args: ['-e', script('second')] });
    await waitUntil('both to start', async () => logTail(join(logDir, 'first.log')).includes('up') && logTail(join(logDir, 'second.log')).includes('up'), { timeoutMs: 20_000 });
    await sup.stop(true);
    expect(readFileSync(order, 'utf8')).toBe('second\nfirst\n');
    expect(existsSync(dir)).toBe(true);
  });

  it('a command that cannot be started is reported, not thrown later from nowhere', async () => {
    const { sup } = setup();
    const c = sup.start({ name: 'ghost', command: '/nonexistent/rehearse-binary', args: [] });
    await waitUntil('the spawn failure', async () => c.exit() !== undefined, { timeoutMs: 10_000 });
    expect(sup.firstFailure()?.message).toMatch(/ghost exited unexpectedly \(could not start ghost: .*ENOENT/);
  });

  it('refuses to start components once stopping', async () => {
    const { sup } = setup();
    await sup.stop(true);
    expect(() => sup.start({ name: 'late', command: node, args: ['-e', ''] })).toThrow(/cluster is stopping/);
  });
});

describe('logTail', () => {
  it('returns the last lines without the trailing newline, and "" for a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rehearse-tail-'));
    dirs.push(dir);
    const f = join(dir, 'x.log');
    writeFileSync(f, 'a\nb\nc\nd\n\n');
    expect(logTail(f, 2)).toBe('c\nd');
    expect(logTail(join(dir, 'missing.log'))).toBe('');
  });
});
