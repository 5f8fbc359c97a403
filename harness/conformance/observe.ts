// What the recorder writes for each object the real cluster reports, in the simulator's trace
// schema (sim/engine/trace.ts; the entries sim/rollouts/status.ts, sim/cluster/cluster.ts,
// sim/traffic/router.ts and sim/analysis/ write). Pure projections, tested on recorded objects;
// recorder.ts feeds them from watches and stamps the time.

/** A trace entry without its time. */
export type Fields = { readonly type: string } & Readonly<Record<string, unknown>>;

type Json = Readonly<Record<string, unknown>>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const arr = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Label the controller puts on ReplicaSets, pods and Service selectors. */
export const POD_TEMPLATE_HASH_LABEL = 'rollouts-pod-template-hash';

/** A Rollout → the `status` entry the simulated controller writes at every status update. */
export function rolloutStatusEntry(rollout: unknown): Fields {
  const ro = obj(rollout);
  const spec = obj(ro.spec);
  const status = obj(ro.status);
  const strategy = obj(spec.strategy);
  const steps = arr(obj(strategy.canary).steps).length;
  const weights = obj(obj(status.canary).weights);
  const w = (k: string): number => num(obj(weights[k]).weight);
  return {
    type: 'status',
    rollout: str(obj(ro.metadata).name),
    phase: str(status.phase),
    message: str(status.message),
    step: typeof status.currentStepIndex === 'number' ? status.currentStepIndex : null,
    steps,
    stableRS: str(status.stableRS),
    currentPodHash: str(status.currentPodHash),
    abort: status.abort === true,
    pauseConditions: arr(status.pauseConditions).map((p) => str(obj(p).reason)),
    weights: Object.keys(weights).length > 0 ? { canary: w('canary'), stable: w('stable') } : null,
    replicas: num(status.replicas),
    updatedReplicas: num(status.updatedReplicas),
    readyReplicas: num(status.readyReplicas),
    availableReplicas: num(status.availableReplicas),
  };
}

/** Whether two status entries differ in anything but nothing at all (the controller rewrites status often). */
export function sameStatus(a: Fields | undefined, b: Fields): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

/** A new ReplicaSet → the `replicaSet` entry (sim/cluster/cluster.ts createReplicaSet). */
export function replicaSetEntry(rs: unknown): Fields {
  const r = obj(rs);
  const meta = obj(r.metadata);
  const containers = arr(obj(obj(obj(r.spec).template).spec).containers);
  return {
    type: 'replicaSet',
    replicaSet: str(meta.name),
    podTemplateHash: str(obj(meta.labels)[POD_TEMPLATE_HASH_LABEL]),
    image: str(obj(containers[0]).image),
  };
}

/** A Kubernetes Event → the `event` entry; undefined for events of no interest (no reason). */
export function eventEntry(event: unknown): Fields | undefined {
  const e = obj(event);
  const involved = obj(e.involvedObject);
  const reason = str(e.reason);
  if (reason === '') return undefined;
  // client-go's EventCorrelator aggregates similar events under this prefix (tools/record/events_cache.go).
  const message = str(e.message).replace(/^\(combined from similar events\): /, '');
  return { type: 'event', object: `${str(involved.kind)}/${str(involved.name)}`, reason, message, eventType: str(e.type) || 'Normal' };
}

/** How many times an Event object has occurred (client-go bumps `count` instead of creating a new Event). */
export function eventCount(event: unknown): number {
  const e = obj(event);
  return Math.max(1, num(e.count), num(obj(e.series).count));
}

export interface AnalysisRunSeen {
  phase: string;
  /** Keys of the measurements already recorded, per metric. */
  readonly measured: Set<string>;
}

/** The entries an AnalysisRun update adds: its creation, new phases, newly finished measurements. */
export function analysisRunEntries(run: unknown, seen: AnalysisRunSeen | undefined): { entries: Fields[]; seen: AnalysisRunSeen } {
  const r = obj(run);
  const meta = obj(r.metadata);
  const name = str(meta.name);
  const status = obj(r.status);
  const entries: Fields[] = [];
  const state: AnalysisRunSeen = seen ?? { phase: '', measured: new Set() };
  if (!seen) {
    const labels = obj(meta.labels);
    entries.push({ type: 'analysisRun', run: name, phase: 'Created', rolloutType: str(labels['rollout-type']), ...(labels['step-index'] !== undefined ? { stepIndex: Number(labels['step-index']) } : {}) });
  }
  for (const m of arr(status.metricResults)) {
    const metric = str(obj(m).name);
    // Keyed by start and finish (RFC 3339 seconds): indices shift when the controller trims old measurements.
    arr(obj(m).measurements).forEach((x) => {
      const meas = obj(x);
      const phase = str(meas.phase);
      if (phase === '' || phase === 'Running' || phase === 'Pending') return;
      const key = `${metric}#${str(meas.startedAt)}#${str(meas.finishedAt)}`;
      if (state.measured.has(key)) return;
      state.measured.add(key);
      entries.push({ type: 'measurement', run: name, metric, phase, value: meas.value === undefined ? null : str(meas.value), message: meas.message === undefined ? null : str(meas.message) });
    });
  }
  const phase = str(status.phase);
  if (phase !== '' && phase !== state.phase) {
    state.phase = phase;
    entries.push({ type: 'analysisRun', run: name, phase, message: str(status.message) });
  }
  return { entries, seen: state };
}
