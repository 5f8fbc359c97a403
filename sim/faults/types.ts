// The failure-injection catalogue's shapes. A fault is data — a kind, when it starts, how long it
// lasts, what it targets, and its parameters — and each kind knows how to install itself into one
// run through the world's handles (TigerBeetle's "faults are data"). Kinds live in one file per
// category (release.ts, pods.ts, metrics.ts, traffic.ts, controlPlane.ts) and are listed in
// catalogue.ts, which also validates parameters and documents every kind.
import type { AnalysisController } from '../analysis/analysisController.js';
import type { PrometheusProvider } from '../analysis/providers/prometheus.js';
import type { Cluster } from '../cluster/cluster.js';
import type { Kernel } from '../engine/kernel.js';
import type { RandomStream } from '../engine/random.js';
import type { TraceRecorder } from '../engine/trace.js';
import type { Scraper } from '../metrics/scraper.js';
import type { SeriesStore } from '../metrics/store.js';
import type { RolloutController } from '../rollouts/controller.js';
import type { SimRollout } from '../rollouts/rollout.js';
import type { TrafficRouter } from '../traffic/router.js';
import type { TrafficModel } from '../traffic/trafficModel.js';

/** A parameter value after validation: durations in ms, ratios as 0..1, numbers, strings, booleans. */
export type FaultParamValue = number | string | boolean;

export interface FaultSpec {
  readonly kind: string;
  /** Position in the scenario's `faults` list (names the fault's random stream and trace entries). */
  readonly index: number;
  readonly atMs: number;
  /** Undefined: the fault lasts until the end of the run. */
  readonly forMs: number | undefined;
  /** The container image (version) the fault targets, for kinds that target a version. */
  readonly image: string | undefined;
  readonly params: Readonly<Record<string, FaultParamValue>>;
}

export type FaultParamType = 'duration' | 'ratio' | 'number' | 'integer' | 'string' | 'boolean';

export interface FaultParamSpec {
  readonly type: FaultParamType;
  readonly description: string;
  /** Absent: the parameter is required. */
  readonly default?: FaultParamValue;
  /** Inclusive bounds for numbers/integers (durations in ms). */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values for strings. */
  readonly values?: readonly string[];
}

export type FaultCategory = 'release' | 'pods' | 'metrics' | 'traffic' | 'controlPlane';

/** Everything of one run a fault may hook into. */
export interface WorldHandles {
  readonly kernel: Kernel;
  readonly trace: TraceRecorder;
  readonly cluster: Cluster;
  readonly traffic: TrafficModel;
  readonly scraper: Scraper;
  readonly store: SeriesStore;
  readonly provider: PrometheusProvider;
  readonly analysis: AnalysisController;
  readonly router: TrafficRouter | undefined;
  readonly controller: RolloutController;
  /** The experiment controller (same process as the Rollout controller), when the run has experiments. */
  readonly experiments?: { stop(): void; start(): void };
  readonly rollout: SimRollout;
  readonly untilMs: number;
  /** The fault's own random stream (named by its position), so faults never shift other draws. */
  readonly random: RandomStream;
}

export interface FaultKind {
  readonly kind: string;
  readonly category: FaultCategory;
  /** One or two sentences for README and `rehearse faults`. */
  readonly description: string;
  /** Whether the fault needs `target: <image>` (a version), may take one, or takes none. */
  readonly target: 'required' | 'optional' | 'none';
  readonly params: Readonly<Record<string, FaultParamSpec>>;
  /** A YAML example of one `faults:` entry. */
  readonly example: string;
  install(fault: FaultSpec, world: WorldHandles): void;
}

/** Whether virtual time `tMs` lies inside the fault's window [at, at + for). */
export function faultActive(fault: FaultSpec, tMs: number): boolean {
  return tMs >= fault.atMs && (fault.forMs === undefined || tMs < fault.atMs + fault.forMs);
}
