// A drill worker thread: receives the scenarios once (workerData), then work items one at a time,
// and answers each with its result. It loads the compiled simulator through the same modules as
// the main thread (dist/), so a worker's run is byte for byte the run `rehearse run` does.
import { parentPort, workerData } from 'node:worker_threads';
import { DrillExecutor } from './execute.js';
import type { DrillScenario, WorkItem } from './types.js';

const executor = new DrillExecutor((workerData as { scenarios: DrillScenario[] }).scenarios);
parentPort!.on('message', (msg: { index: number; item: WorkItem }) => {
  parentPort!.postMessage({ index: msg.index, outcome: executor.run(msg.item) });
});
