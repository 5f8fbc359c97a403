// Benchmark: one simulated hour of the canary-good scenario (10 replicas, 1,000 requests/s, 15 s
// scrapes, 4 analysis metrics). Prints the median wall time of warm runs, the speed-up over real
// time, trace events, series and samples, peak memory — and the same run at other request rates,
// to show that cost does not grow with the request rate. Figures, not assertions.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadScenarioFile } from '../harness/runInputs.js';
import { runScenario } from '../sim/world.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scenarioPath = join(root, 'scenarios', 'canary-good.yaml');
const SIMULATED_MS = 3_600_000;
const WARMUP = 30;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function measure(rps: number, runs: number): { medianMs: number; p90Ms: number; result: ReturnType<typeof runScenario> } {
  const inputs = loadScenarioFile(scenarioPath);
  const scenario = { ...inputs.scenario, untilMs: SIMULATED_MS, traffic: { ...inputs.scenario.traffic, rps } };
  let result = runScenario(scenario, inputs.manifests, { keepTrace: true });
  for (let i = 0; i < WARMUP; i++) result = runScenario(scenario, inputs.manifests, { keepTrace: true });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = runScenario(scenario, inputs.manifests, { keepTrace: true });
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: median(times), p90Ms: sorted[Math.floor(sorted.length * 0.9)]!, result };
}

const main = measure(1000, RUNS);
const r = main.result;
const mem = process.memoryUsage();
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
console.log('rehearse bench — one simulated hour of scenarios/canary-good.yaml (10 replicas, 1,000 req/s, 15 s scrapes, 4 metrics)');
console.log(`  median wall time     ${main.medianMs.toFixed(3)} ms  (p90 ${main.p90Ms.toFixed(3)} ms, ${RUNS} warm runs)`);
console.log(`  speed-up             ${Math.round(SIMULATED_MS / main.medianMs).toLocaleString('en-US')}× real time`);
console.log(`  outcome              ${r.outcome} · ${r.requests.total.toLocaleString('en-US')} requests simulated`);
console.log(`  trace events         ${r.trace.length.toLocaleString('en-US')}  (kernel events ${r.events.toLocaleString('en-US')}, reconciles ${r.reconciles})`);
console.log(`  series / samples     ${r.series} / ${r.samples.toLocaleString('en-US')}`);
console.log(`  memory               peak rss ${peakRssMiB.toFixed(1)} MiB (whole process) · heap used ${(mem.heapUsed / 2 ** 20).toFixed(1)} MiB`);
console.log('  cost against request rate (same hour, same seed):');
for (const rps of [10, 1000, 100_000]) {
  const m = rps === 1000 ? main : measure(rps, Math.max(5, Math.floor(RUNS / 3)));
  console.log(`    ${String(rps).padStart(7)} req/s  median ${m.medianMs.toFixed(3)} ms  (${m.result.requests.total.toLocaleString('en-US')} requests)`);
}
