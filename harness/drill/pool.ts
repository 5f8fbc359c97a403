// Spreads work items over worker threads (node:worker_threads), one item at a time to whichever
// worker is free, and puts every result back at its item's index — so the results, and all that
// is built from them, are the same whatever the number of workers or the order they finish in.
// With one worker, or when the compiled worker module is not there (running from TypeScript
// sources, as the tests do), items run in this thread through the same DrillExecutor.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DrillExecutor } from './execute.js';
import type { DrillScenario, ItemOutcome, WorkItem } from './types.js';

const WORKER_MODULE = new URL('./worker.js', import.meta.url);

/** Whether worker threads can be started: only from the compiled JavaScript (dist/). */
export function workerThreadsAvailable(): boolean {
  return import.meta.url.endsWith('.js') && existsSync(fileURLToPath(WORKER_MODULE));
}

export interface PoolOptions {
  readonly workers: number;
  /** Called after each finished item (progress), in completion order. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** How many threads actually ran the items (1 = this thread). */
export function effectiveWorkers(requested: number, items: number): number {
  if (requested <= 1 || !workerThreadsAvailable()) return 1;
  return Math.max(1, Math.min(requested, items));
}

export async function runWorkItems(scenarios: readonly DrillScenario[], items: readonly WorkItem[], options: PoolOptions): Promise<ItemOutcome[]> {
  const workers = effectiveWorkers(options.workers, items.length);
  if (workers === 1) {
    const executor = new DrillExecutor(scenarios);
    return items.map((item, i) => {
      const outcome = executor.run(item);
      options.onProgress?.(i + 1, items.length);
      return outcome;
    });
  }
  const results: (ItemOutcome | undefined)[] = new Array<ItemOutcome | undefined>(items.length);
  let next = 0;
  let done = 0;
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolvePool, rejectPool) => {
      const feed = (w: Worker): void => {
        if (next < items.length) {
          const index = next++;
          w.postMessage({ index, item: items[index] });
        }
      };
      for (let k = 0; k < workers; k++) {
        // A larger young generation than the worker default: a run allocates many short-lived
        // objects, and with the default semi-space a worker spent most of its time scavenging.
        const w = new Worker(WORKER_MODULE, { workerData: { scenarios }, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
        threads.push(w);
        w.on('message', (msg: { index: number; outcome: ItemOutcome }) => {
          results[msg.index] = msg.outcome;
          done++;
          options.onProgress?.(done, items.length);
          if (done === items.length) resolvePool();
          else feed(w);
        });
        w.on('error', rejectPool);
        w.on('exit', (code) => {
          if (done < items.length && code !== 0) rejectPool(new Error(`a drill worker exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
  return results.map((r) => r!);
}
