// Drills per second on this machine: the shipped suite (scenarios/, each scenario over its own
// seeds) run by `rehearse drill`'s engine with 1 worker (in this thread) and with every core
// (worker threads). Run from dist/ (`npm run build`), where worker threads can load the compiled
// simulator. Prints figures; it is not a timed test.
import { availableParallelism, cpus } from 'node:os';
import { runDrill } from '../harness/drill/run.js';

const SEEDS = Number(process.env.DRILL_SEEDS ?? 20);

async function measure(workers: number): Promise<{ runs: number; seconds: number; workers: number; passed: boolean }> {
  const started = process.hrtime.bigint();
  const { report, workers: used } = await runDrill(['scenarios'], { workers, seeds: SEEDS });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { runs: report.runs, seconds, workers: used, passed: report.failed === 0 };
}

const cores = availableParallelism();
process.stdout.write(`drills: scenarios/ with ${SEEDS} seeds per scenario · ${cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}) · Node ${process.version}\n`);
await measure(1); // warm-up: JIT and file cache
for (const workers of [1, cores]) {
  const m = await measure(workers);
  process.stdout.write(
    `${String(m.workers).padStart(3)} worker${m.workers === 1 ? ' ' : 's'}  ${String(m.runs).padStart(5)} runs in ${m.seconds.toFixed(2)} s  →  ${(m.runs / m.seconds).toFixed(1)} drills/s` +
      `${m.passed ? '' : '  (some scenarios failed)'}\n`,
  );
}
