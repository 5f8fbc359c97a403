// Fault kinds of the 'release' category (see types.ts and catalogue.ts): a version (the pods of
// every ReplicaSet whose pod template runs the target image) answers worse than its `versions:`
// entry says — more errors, slower, errors for a cohort of requests, errors under load.
//
// Each kind installs a behaviour modifier on the traffic model (sim/traffic/trafficModel.ts), which
// is applied once per ReplicaSet per scrape tick, so a fault costs nothing per request and draws
// nothing of its own: the traffic stream's draws before the fault starts are exactly those of a run
// without it.
//
// Time resolution. A tick has one error ratio and one latency distribution per ReplicaSet:
// - error faults are weighted by the share of the tick inside the fault's window — a fault that
//   starts 5 s into a 15 s tick fails each request of that tick with 1/3 of its added ratio, which is
//   exact in distribution for requests spread evenly over the tick; a ramp's value is taken at the
//   midpoint of that overlap;
// - latency faults apply to a tick whose midpoint lies in the fault's window, with a ramp's value
//   at the midpoint (a lognormal per tick cannot express a mixture of two latency distributions).
//
// Errors of a fault add to the version's own errors as independent causes:
// ratio = 1 − (1 − own)(1 − fault), e.g. own 0.1% and a 5% fault give 5.095%.
import { InputError } from '../diagnostics.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import type { VersionBehaviour } from '../traffic/behaviour.js';
import type { ServeContext } from '../traffic/trafficModel.js';
import { faultActive, type FaultKind, type FaultParamSpec, type FaultSpec } from './types.js';

/** Whether a ReplicaSet's pods run the fault's target image (any container, as `versions:` matches). */
export function runsTarget(fault: FaultSpec, rs: ReplicaSet): boolean {
  return rs.template.containers.some((c) => c.image === fault.image);
}

function windowEnd(fault: FaultSpec): number {
  return fault.forMs === undefined ? Infinity : fault.atMs + fault.forMs;
}

/** The part of the tick [fromMs, toMs) inside the fault's window, as [start, end) (empty: end ≤ start). */
function overlap(fault: FaultSpec, fromMs: number, toMs: number): { readonly start: number; readonly end: number } {
  return { start: Math.max(fromMs, fault.atMs), end: Math.min(toMs, windowEnd(fault)) };
}

/** 1 − (1 − a)(1 − b): two independent causes of failure. */
export function combineErrorRatios(a: number, b: number): number {
  return 1 - (1 - a) * (1 - b);
}

/** The ms over which a ramp goes from its start to its end value: `over`, else the fault's `for`. */
function rampLengthMs(fault: FaultSpec): number {
  const over = fault.params.over as number;
  if (over > 0) return over;
  if (fault.forMs !== undefined) return fault.forMs;
  throw new InputError([
    {
      severity: 'error',
      file: 'scenario',
      line: 0,
      column: 0,
      field: `spec.faults[${fault.index}]`,
      message: `fault "${fault.kind}" ramps over its window: give it \`for:\` (how long it lasts) or \`over:\` (how long the ramp takes).`,
    },
  ]);
}

/** Progress of a ramp at tMs: 0 at the fault's start, 1 after `over` (or `for`), linear between. */
function rampProgress(fault: FaultSpec, lengthMs: number, tMs: number): number {
  return Math.min(1, Math.max(0, (tMs - fault.atMs) / lengthMs));
}

/** Adds `addedRatio(tMs)` to the target's errors, weighted by the tick's overlap with the window. */
function installErrorModifier(
  fault: FaultSpec,
  world: Parameters<FaultKind['install']>[1],
  addedRatio: (midOverlapMs: number, b: VersionBehaviour, ctx: ServeContext) => number,
): void {
  world.traffic.addBehaviourModifier((b, ctx) => {
    if (!runsTarget(fault, ctx.replicaSet)) return b;
    const { start, end } = overlap(fault, ctx.fromMs, ctx.toMs);
    if (end <= start) return b;
    const added = addedRatio((start + end) / 2, b, ctx);
    if (added <= 0) return b;
    const inWindow = (end - start) / (ctx.toMs - ctx.fromMs);
    return { ...b, errorRatio: combineErrorRatios(b.errorRatio, inWindow * added) };
  });
}

const errorRate = (description: string): FaultParamSpec => ({ type: 'ratio', description });

const latencyParams: Readonly<Record<string, FaultParamSpec>> = {
  p50Factor: { type: 'number', description: "multiplier of the version's p50 latency", default: 1, min: 0.01, max: 1000 },
  p99Factor: { type: 'number', description: "multiplier of the version's p99 latency", default: 1, min: 0.01, max: 1000 },
  p50: { type: 'duration', description: 'absolute p50 latency; when given it replaces p50Factor (0: not given)', default: 0, min: 0, max: 3_600_000 },
  p99: { type: 'duration', description: 'absolute p99 latency; when given it replaces p99Factor (0: not given)', default: 0, min: 0, max: 3_600_000 },
};

const overParam: FaultParamSpec = {
  type: 'duration',
  description: "how long the ramp takes from the fault's start; afterwards the end value holds until the fault ends (0: the fault's whole window, `for`)",
  default: 0,
  min: 0,
};

/** The latency the fault drives the version towards: absolute values win over factors. */
function shiftedLatency(fault: FaultSpec, b: VersionBehaviour): { readonly p50: number; readonly p99: number } {
  const p50 = (fault.params.p50 as number) > 0 ? (fault.params.p50 as number) : b.latencyP50Ms * (fault.params.p50Factor as number);
  const p99 = (fault.params.p99 as number) > 0 ? (fault.params.p99 as number) : b.latencyP99Ms * (fault.params.p99Factor as number);
  return { p50, p99 };
}

const errorStep: FaultKind = {
  kind: 'errorStep',
  category: 'release',
  description:
    "The target version fails an extra `errorRate` of its requests from `at` (until `at + for`), on top of its own errorRate (independent causes: 1 − (1 − own)(1 − errorRate)). A tick that straddles the start gets the step in proportion to the part of it inside the window.",
  target: 'required',
  params: { errorRate: errorRate('ratio of requests that fail because of the fault, e.g. 5%') },
  example: `- kind: errorStep
  at: 5m
  target: registry.example.com/shop/checkout:1.5.0
  errorRate: 5%`,
  install(fault, world) {
    const added = fault.params.errorRate as number;
    installErrorModifier(fault, world, () => added);
  },
};

const errorRamp: FaultKind = {
  kind: 'errorRamp',
  category: 'release',
  description:
    "The target version's extra error ratio grows linearly from `from` to `to` over `over` (default: the fault's window, `for`), then holds until the fault ends — a leak or a filling queue. Added to the version's own errors as an independent cause; evaluated per scrape tick at the midpoint of the tick's part inside the window.",
  target: 'required',
  params: {
    from: { type: 'ratio', description: 'extra error ratio when the fault starts', default: 0 },
    to: errorRate('extra error ratio at the end of the ramp'),
    over: overParam,
  },
  example: `- kind: errorRamp
  at: 3m
  for: 10m
  target: registry.example.com/shop/checkout:1.5.0
  from: 0%
  to: 20%`,
  install(fault, world) {
    const length = rampLengthMs(fault);
    const from = fault.params.from as number;
    const to = fault.params.to as number;
    installErrorModifier(fault, world, (t) => from + (to - from) * rampProgress(fault, length, t));
  },
};

function installLatency(fault: FaultSpec, world: Parameters<FaultKind['install']>[1], progressAt: (tMs: number) => number): void {
  world.traffic.addBehaviourModifier((b, ctx) => {
    const mid = (ctx.fromMs + ctx.toMs) / 2;
    if (!runsTarget(fault, ctx.replicaSet) || !faultActive(fault, mid)) return b;
    const target = shiftedLatency(fault, b);
    const k = progressAt(mid);
    return { ...b, latencyP50Ms: b.latencyP50Ms + (target.p50 - b.latencyP50Ms) * k, latencyP99Ms: b.latencyP99Ms + (target.p99 - b.latencyP99Ms) * k };
  });
}

const latencyShift: FaultKind = {
  kind: 'latencyShift',
  category: 'release',
  description:
    "The target version gets slower (or faster): its p50/p99 latency become `p50`/`p99` when given, else its own times `p50Factor`/`p99Factor`; the lognormal is refitted to the new pair (p99 below p50 is raised to p50). Applies to every scrape tick whose midpoint lies in the fault's window.",
  target: 'required',
  params: latencyParams,
  example: `- kind: latencyShift
  at: 5m
  for: 15m
  target: registry.example.com/shop/checkout:1.5.0
  p50Factor: 1.5
  p99: 900ms`,
  install(fault, world) {
    installLatency(fault, world, () => 1);
  },
};

const latencyRamp: FaultKind = {
  kind: 'latencyRamp',
  category: 'release',
  description:
    "The target version's p50/p99 move linearly from its own values to `p50`/`p99` (or its own times `p50Factor`/`p99Factor`) over `over` (default: the fault's window, `for`), then hold until the fault ends. Evaluated at each scrape tick's midpoint.",
  target: 'required',
  params: { ...latencyParams, over: overParam },
  example: `- kind: latencyRamp
  at: 2m
  for: 20m
  over: 10m
  target: registry.example.com/shop/checkout:1.5.0
  p50Factor: 2
  p99Factor: 4`,
  install(fault, world) {
    const length = rampLengthMs(fault);
    installLatency(fault, world, (t) => rampProgress(fault, length, t));
  },
};

const headerMatchedErrors: FaultKind = {
  kind: 'headerMatchedErrors',
  category: 'release',
  description:
    "Only requests carrying a header (a beta cohort, say) fail, with `errorRate`, on the target version. The cohort is the scenario's `spec.traffic.headerShare` when set: those requests go wherever the routes send them — all to the canary while a setHeaderRoute route is in force, by weight otherwise — so the target's added error ratio is its header-matched share of requests × errorRate. Without `headerShare`, `share` names the cohort, routed by weight like all others (added ratio share × errorRate).",
  target: 'required',
  params: {
    share: { type: 'ratio', description: "ratio of all requests that carry the header, when the scenario sets no spec.traffic.headerShare (0: use headerShare)", default: 0 },
    errorRate: errorRate('ratio of header-matched requests that fail'),
    header: { type: 'string', description: 'the header the cohort carries, for the trace (e.g. "x-cohort: beta")', default: '' },
  },
  example: `- kind: headerMatchedErrors
  at: 4m
  target: registry.example.com/shop/checkout:1.5.0
  header: "x-cohort: beta"
  share: 10%
  errorRate: 50%`,
  install(fault, world) {
    const share = fault.params.share as number;
    const cohort = world.traffic.headerShare;
    const problem =
      cohort === undefined && share === 0
        ? 'needs `share` (the ratio of requests carrying the header) or spec.traffic.headerShare in the scenario.'
        : cohort !== undefined && share !== 0 && share !== cohort
          ? `has share ${share} but spec.traffic.headerShare is ${cohort}: the header cohort is defined once — drop \`share\` from the fault.`
          : undefined;
    if (problem !== undefined) {
      throw new InputError([{ severity: 'error', file: 'scenario', line: 0, column: 0, field: `spec.faults[${fault.index}]`, message: `fault "headerMatchedErrors" ${problem}` }]);
    }
    const errorRateValue = fault.params.errorRate as number;
    // Header-routed traffic: the share of this ReplicaSet's requests that carry the header, as the
    // traffic model routed them; otherwise the cohort spreads by weight, i.e. evenly.
    installErrorModifier(fault, world, (_t, _b, ctx) => (ctx.mirrored ? 0 : (ctx.headerMatched ?? (cohort ?? share)) * errorRateValue));
  },
};

const errorsUnderLoad: FaultKind = {
  kind: 'errorsUnderLoad',
  category: 'release',
  description:
    "The target version fails an extra `errorRate` of its requests in every scrape tick whose offered load exceeds `threshold` requests per second per ready pod (expected requests routed to the version ÷ its ready pod-seconds in the tick) — a connection pool or thread pool that saturates. Records a fault trace entry each time a ReplicaSet crosses the threshold (phase overloaded / recovered).",
  target: 'required',
  params: {
    threshold: { type: 'number', description: 'requests per second per ready pod above which requests fail', min: 0 },
    errorRate: errorRate('ratio of requests that fail while the load is above the threshold'),
  },
  example: `- kind: errorsUnderLoad
  at: 0s
  target: registry.example.com/shop/checkout:1.5.0
  threshold: 150
  errorRate: 20%`,
  install(fault, world) {
    const threshold = fault.params.threshold as number;
    const added = fault.params.errorRate as number;
    const overloaded = new Set<string>();
    installErrorModifier(fault, world, (_t, _b, ctx) => {
      const over = ctx.requestsPerPodSecond > threshold;
      const name = ctx.replicaSet.name;
      if (over !== overloaded.has(name)) {
        if (over) overloaded.add(name);
        else overloaded.delete(name);
        world.trace.record('fault', {
          index: fault.index,
          kind: fault.kind,
          phase: over ? 'overloaded' : 'recovered',
          image: fault.image ?? null,
          replicaSet: name,
          requestsPerPodSecond: Math.round(ctx.requestsPerPodSecond * 1000) / 1000,
          threshold,
        });
      }
      return over ? added : 0;
    });
  },
};

export const releaseFaults: readonly FaultKind[] = [errorStep, errorRamp, latencyShift, latencyRamp, headerMatchedErrors, errorsUnderLoad];
