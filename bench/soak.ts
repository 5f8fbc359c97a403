// Soak benchmark: a simulated 24 hours of the canary-good world scaled to 100 pods (replicas 100,
// 1,000 requests/s, 15 s scrapes), with the full trace kept. Prints wall time, trace size, series
// and samples, and memory: the heap the run retains and the peak RSS of the process. Figures, not
// assertions (the target is under 200 MB).
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadScenarioFile } from '../harness/runInputs.js';
import { runScenario } from '../sim/world.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const inputs = loadScenarioFile(join(root, 'scenarios', 'canary-good.yaml'));
const rollout = inputs.manifests.rollouts[0]!;
const manifests = { ...inputs.manifests, rollouts: [{ ...rollout, spec: { ...rollout.spec, replicas: 100 } }] };
const scenario = { ...inputs.scenario, untilMs: 24 * 3_600_000 };

const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
const r = runScenario(scenario, manifests, { keepTrace: true, keepStore: true });
const wallMs = performance.now() - t0;
const heapAfter = process.memoryUsage().heapUsed;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
const n = (x: number): string => x.toLocaleString('en-US');
console.log('rehearse soak — 24 simulated hours, canary-good world with 100 pods, full trace kept');
console.log(`  wall time            ${(wallMs / 1000).toFixed(2)} s  (${n(Math.round((24 * 3_600_000) / wallMs))}× real time)`);
console.log(`  outcome              ${r.outcome} · ${n(r.requests.total)} requests simulated`);
console.log(`  trace events         ${n(r.trace.length)} · series ${r.series} · samples ${n(r.samples)}`);
console.log(`  heap retained        ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MiB (store ${((r.store?.byteSize ?? 0) / 2 ** 20).toFixed(1)} MiB)`);
console.log(`  peak RSS             ${peakRssMiB.toFixed(1)} MiB (whole process; target < 200 MB)`);
