// Fault kinds of the 'traffic' category (see types.ts and catalogue.ts): the entry request rate
// changes — a spike, a day/night curve, a drop to nothing. No target: the whole entry point's rate
// changes and routing splits it as usual.
//
// Each kind installs a rate modifier on the traffic model (sim/traffic/load.ts `RateModifier`): a
// multiplier of the scenario's load profile over the fault's window, declared as a sum of cosines
// so that the expected arrivals of every tick remain an exact integral (steps at the window's
// edges and the sinusoid alike), and the Poisson draw of a tick before the fault is unchanged.
import { constantRateModifier, sinusoidalRateModifier } from '../traffic/load.js';
import type { FaultKind, FaultSpec } from './types.js';

function windowEnd(fault: FaultSpec): number {
  return fault.forMs === undefined ? Infinity : fault.atMs + fault.forMs;
}

const trafficSpike: FaultKind = {
  kind: 'trafficSpike',
  category: 'traffic',
  description:
    "The entry request rate is multiplied by `factor` from `at` until `at + for` (a sale, a retry storm, a crawler). Expected arrivals are integrated exactly, so a spike that starts mid-tick adds only its share of that tick.",
  target: 'none',
  params: { factor: { type: 'number', description: 'rate multiplier during the spike', default: 3, min: 0, max: 1000 } },
  example: `- kind: trafficSpike
  at: 6m
  for: 2m
  factor: 4`,
  install(fault, world) {
    world.traffic.addRateModifier(constantRateModifier(fault.atMs, windowEnd(fault), fault.params.factor as number));
  },
};

const diurnalTraffic: FaultKind = {
  kind: 'diurnalTraffic',
  category: 'traffic',
  description:
    "The entry request rate follows a day/night sinusoid: the scenario's rate times a multiplier that is `peak` at `peakAt` (and every `period` after it, on the run's clock) and `trough` half a period away. Arrivals per tick integrate the sinusoid in closed form. Use a short `period` to compress a day into a drill.",
  target: 'none',
  params: {
    trough: { type: 'number', description: "multiplier of the scenario's rate at the quietest time", default: 0.3, min: 0, max: 1000 },
    peak: { type: 'number', description: "multiplier of the scenario's rate at the busiest time", default: 1, min: 0, max: 1000 },
    period: { type: 'duration', description: 'length of one cycle', default: 86_400_000, min: 1000 },
    peakAt: { type: 'duration', description: "run time of a peak (0s: the run starts at the peak)", default: 0, min: 0 },
  },
  example: `- kind: diurnalTraffic
  at: 0s
  period: 1h       # a day compressed into an hour
  peakAt: 30m
  trough: 0.2
  peak: 1.5`,
  install(fault, world) {
    const p = fault.params;
    world.traffic.addRateModifier(
      sinusoidalRateModifier(fault.atMs, windowEnd(fault), p.trough as number, p.peak as number, p.period as number, p.peakAt as number),
    );
  },
};

const trafficDrop: FaultKind = {
  kind: 'trafficDrop',
  category: 'traffic',
  description:
    "No requests arrive from `at` until `at + for` (an upstream outage, a DNS or load-balancer failure): analyses that need traffic see none. Arrivals of a tick that straddles an edge come only from its part outside the window.",
  target: 'none',
  params: {},
  example: `- kind: trafficDrop
  at: 4m
  for: 3m`,
  install(fault, world) {
    world.traffic.addRateModifier(constantRateModifier(fault.atMs, windowEnd(fault), 0));
  },
};

export const trafficFaults: readonly FaultKind[] = [trafficSpike, diurnalTraffic, trafficDrop];
