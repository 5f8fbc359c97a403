// Fixture helpers for controller / analysis / determinism tests: inline manifests, a deterministic
// default world (fixed pod start-up, small request rate) and trace filters.
import { defaultScenario } from '../../harness/runInputs.js';
import type { TraceEntry } from '../../sim/engine/trace.js';
import { FAULT_KINDS } from '../../sim/faults/catalogue.js';
import type { FaultParamValue, FaultSpec } from '../../sim/faults/types.js';
import { loadManifests } from '../../sim/manifests/load.js';
import type { ScenarioSpec } from '../../sim/scenario/types.js';
import { runScenario, type RunOptions, type RunResult } from '../../sim/world.js';

export const V1 = 'app:v1';
export const V2 = 'app:v2';

export interface RolloutFixture {
  readonly name?: string;
  readonly replicas?: number;
  /** YAML lines of `spec.strategy.canary` (without the `canary:` key), indented by 0. */
  readonly canary: string;
  readonly minReadySeconds?: number;
  readonly progressDeadlineSeconds?: number;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .replace(/^\n+|\s+$/g, '')
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : pad + l))
    .join('\n');
}

/** A Rollout manifest with one container `app` running `app:v1`. */
export function rolloutYaml(f: RolloutFixture): string {
  const name = f.name ?? 'demo';
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: ${name}
  namespace: default
spec:
${f.replicas === undefined ? '' : `  replicas: ${f.replicas}\n`}${f.minReadySeconds === undefined ? '' : `  minReadySeconds: ${f.minReadySeconds}\n`}${f.progressDeadlineSeconds === undefined ? '' : `  progressDeadlineSeconds: ${f.progressDeadlineSeconds}\n`}  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: app
          image: ${V1}
  strategy:
    canary:
${indent(f.canary, 6)}
`;
}

/** An AnalysisTemplate with one Prometheus metric per entry (fields as YAML lines, without provider). */
export function analysisTemplateYaml(name: string, metrics: readonly { name: string; fields?: string; query: string }[]): string {
  const ms = metrics
    .map((m) => {
      const fields = m.fields ? indent(m.fields, 6) + '\n' : '';
      return `    - name: ${m.name}\n${fields}      provider:\n        prometheus:\n          address: http://prometheus:9090\n          query: ${JSON.stringify(m.query)}`;
    })
    .join('\n');
  return `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: ${name}
  namespace: default
spec:
  metrics:
${ms}
`;
}

/** A Service in the default namespace selecting `app: <app>`, port 80. */
export function serviceYaml(name: string, app = 'demo'): string {
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default}
spec:
  selector: {app: ${app}}
  ports: [{port: 80}]
`;
}

/** A fault as a test writes it; `faultSpecs` fills in the catalogue's parameter defaults. */
export interface FaultInput {
  readonly kind: string;
  readonly atMs: number;
  readonly forMs?: number;
  readonly image?: string;
  readonly params?: Record<string, FaultParamValue>;
}

/** FaultSpecs as the scenario parser builds them: parameter defaults filled in. */
export function faultSpecs(list: readonly FaultInput[]): FaultSpec[] {
  return list.map((f, index) => {
    const params: Record<string, FaultParamValue> = {};
    for (const [name, spec] of Object.entries(FAULT_KINDS.get(f.kind)!.params)) if (spec.default !== undefined) params[name] = spec.default;
    return { kind: f.kind, index, atMs: f.atMs, forMs: f.forMs, image: f.image, params: { ...params, ...f.params } };
  });
}

export interface WorldOptions {
  /** Pod start-up in ms (deterministic: p99 == median unless startupP99Ms is given). */
  readonly startupMs?: number;
  /** p99 of the lognormal pod start-up; each pod's draw comes from the run seed's `pods` stream. */
  readonly startupP99Ms?: number;
  readonly changeAtMs?: number | null;
  readonly untilMs?: number;
  readonly rps?: number;
  readonly seed?: number;
  /** Error ratio of the new version (v2). */
  readonly v2ErrorRatio?: number;
  readonly v1ErrorRatio?: number;
  readonly scrapeIntervalMs?: number;
  /** Start the t=0 revision cold, through the start-up model (default: already running). */
  readonly coldStart?: boolean;
  readonly faults?: readonly FaultInput[];
}

export function world(o: WorldOptions = {}): ScenarioSpec {
  const base = defaultScenario(['<inline>']);
  const behaviour = (errorRatio: number) => ({ errorRatio, latencyP50Ms: 40, latencyP99Ms: 250 });
  const changeAtMs = o.changeAtMs === undefined ? 60_000 : o.changeAtMs;
  return {
    ...base,
    name: 'inline',
    seed: o.seed ?? 1,
    untilMs: o.untilMs ?? 10 * 60_000,
    podStartup: { medianMs: o.startupMs ?? 1000, p99Ms: o.startupP99Ms ?? o.startupMs ?? 1000 },
    initialRevisionReady: !(o.coldStart ?? false),
    traffic: { ...base.traffic, rps: o.rps ?? 10 },
    metrics: { ...base.metrics, scrapeIntervalMs: o.scrapeIntervalMs ?? base.metrics.scrapeIntervalMs },
    versions: new Map([
      [V1, behaviour(o.v1ErrorRatio ?? 0)],
      [V2, behaviour(o.v2ErrorRatio ?? 0)],
    ]),
    change: changeAtMs === null ? undefined : { atMs: changeAtMs, image: V2, container: undefined },
    faults: faultSpecs(o.faults ?? []),
  };
}

/** Runs inline manifests (YAML documents) in a world. */
export function run(manifests: readonly string[], w: WorldOptions = {}, opts: RunOptions = {}): RunResult {
  const set = loadManifests(manifests.map((text, i) => ({ name: `inline-${i}.yaml`, text })));
  return runScenario(world(w), set, opts);
}

export type Ev = { t: number; reason: string; message: string; eventType: string };

export function events(r: RunResult, from = 0, to = Infinity): Ev[] {
  return r.trace
    .filter((e) => e.type === 'event' && e.t >= from && e.t < to)
    .map((e) => ({ t: e.t, reason: String(e.reason), message: String(e.message), eventType: String(e.eventType) }));
}

export function reasons(r: RunResult, from = 0, to = Infinity): string[] {
  return events(r, from, to).map((e) => e.reason);
}

export function ofType(r: RunResult, type: string): TraceEntry[] {
  return r.trace.filter((e) => e.type === type);
}

/** The last 'status' entry at or before t. */
export function statusAt(r: RunResult, t: number): TraceEntry | undefined {
  let last: TraceEntry | undefined;
  for (const e of r.trace) {
    if (e.t > t) break;
    if (e.type === 'status') last = e;
  }
  return last;
}

/** Non-deleted pods per ReplicaSet name at time t (inclusive), from the 'pod' trace entries. */
export function podsAt(r: RunResult, t: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of r.trace) {
    if (e.t > t) break;
    if (e.type !== 'pod') continue;
    const rs = String(e.replicaSet);
    if (e.phase === 'Created') m.set(rs, (m.get(rs) ?? 0) + 1);
    else if (e.phase === 'Deleted') m.set(rs, (m.get(rs) ?? 0) - 1);
  }
  return m;
}

/** ScalingReplicaSet messages in order ("Scaled up ReplicaSet x (revision 2) from 0 to 1"). */
export function scalings(r: RunResult, from = 0): string[] {
  return events(r, from)
    .filter((e) => e.reason === 'ScalingReplicaSet')
    .map((e) => e.message);
}
