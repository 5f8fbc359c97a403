// Benchmark: one simulated hour of the canary-good scenario (10 replicas, 1,000 requests/s, 15 s
// scrapes, 4 analysis metrics). Prints the median wall time of warm runs, the speed-up over real
// time, trace events, series and samples, peak memory — and the same hour at 10 and 100,000
// requests/s, measured in interleaved rounds, to show that cost does not grow with the request
// rate. Figures, not assertions.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadScenarioFile } from '../harness/runInputs.js';
import { runScenario, type RunResult } from '../sim/world.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scenarioPath = join(root, 'scenarios', 'canary-good.yaml');
const SIMULATED_MS = 3_600_000;
const WARMUP_ROUNDS = Number(process.env.BENCH_WARMUP ?? 40);
const ROUNDS = Number(process.env.BENCH_RUNS ?? 60);
const RATES = [10, 1000, 100_000];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

const inputs = loadScenarioFile(scenarioPath);
const scenarios = RATES.map((rps) => ({ ...inputs.scenario, untilMs: SIMULATED_MS, traffic: { ...inputs.scenario.traffic, rps } }));
const times = RATES.map(() => [] as number[]);
const results: RunResult[] = [];
for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
  scenarios.forEach((scenario, i) => {
    const t0 = performance.now();
    const r = runScenario(scenario, inputs.manifests, { keepTrace: true });
    const ms = performance.now() - t0;
    if (round >= WARMUP_ROUNDS) times[i]!.push(ms);
    results[i] = r;
  });
}

const main = RATES.indexOf(1000);
const r = results[main]!;
const med = median(times[main]!);
const mem = process.memoryUsage();
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
const n = (x: number): string => x.toLocaleString('en-US');
console.log('rehearse bench — one simulated hour of scenarios/canary-good.yaml (10 replicas, 1,000 req/s, 15 s scrapes, 4 metrics)');
console.log(`  median wall time     ${med.toFixed(3)} ms  (p90 ${percentile(times[main]!, 0.9).toFixed(3)} ms, ${ROUNDS} warm runs after ${WARMUP_ROUNDS} warm-up rounds)`);
console.log(`  speed-up             ${n(Math.round(SIMULATED_MS / med))}× real time`);
console.log(`  outcome              ${r.outcome} · ${n(r.requests.total)} requests simulated`);
console.log(`  trace events         ${n(r.trace.length)}  (kernel events ${n(r.events)}, reconciles ${r.reconciles})`);
console.log(`  series / samples     ${r.series} / ${n(r.samples)}`);
console.log(`  memory               peak rss ${peakRssMiB.toFixed(1)} MiB (whole process) · heap used ${(mem.heapUsed / 2 ** 20).toFixed(1)} MiB`);
console.log('  cost against request rate (same hour, same seed, interleaved rounds):');
RATES.forEach((rps, i) => {
  console.log(`    ${String(rps).padStart(7)} req/s  median ${median(times[i]!).toFixed(3)} ms  (${n(results[i]!.requests.total)} requests)`);
});
