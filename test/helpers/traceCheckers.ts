// Pure trace checkers for canary rollouts (STYLE §4: "replicas ≤ spec + maxSurge, weight never
// ahead of the step"). Each takes the trace (and what the checker needs of the Rollout spec) and
// returns the violations as readable strings, [] when the rule holds. They read only the trace's
// public shape — 'event', 'pod', 'status' entries — never simulator internals, so they can judge a
// real-cluster recording as well. Each cites the upstream (argo-rollouts v1.9.1) rule it encodes.
import type { TraceEntry } from '../../sim/engine/trace.js';

/** An int or an "N%" string, as in `maxSurge` / `maxUnavailable`. */
export type IntOrPercent = number | string;

/** The steps the checkers understand; any other step kind counts as "not a setWeight". */
export type CheckerStep = { readonly setWeight: number } | { readonly pause: unknown } | Readonly<Record<string, unknown>>;

/**
 * k8s' legacy `GetValueFromIntOrPercent` as upstream calls it (digest §2.4): an int is absolute,
 * any string is a percentage of `total` ("%" stripped), rounded up or down.
 */
export function valueFromIntOrPercent(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const pct = Number(v.replace('%', ''));
  const x = (pct * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * `utils/replicaset/replicaset.go: MaxSurge, MaxUnavailable, resolveFenceposts`: surge rounds up,
 * unavailable rounds down; both 0 ⇒ unavailable 1; unavailable capped at replicas; replicas 0 ⇒ 0.
 */
export function resolveFenceposts(replicas: number, maxSurge: IntOrPercent, maxUnavailable: IntOrPercent): { surge: number; unavailable: number } {
  const surge = valueFromIntOrPercent(maxSurge, replicas, true);
  let unavailable = valueFromIntOrPercent(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  if (unavailable > replicas) unavailable = replicas;
  if (replicas === 0) unavailable = 0;
  return { surge, unavailable };
}

/**
 * `utils/replicaset/canary.go: GetCurrentSetWeight` for a non-aborted rollout: the nearest
 * setWeight at or before `index`, 0 if none, 100 (max) once the index is past the last step.
 */
export function setWeightAt(steps: readonly CheckerStep[], index: number, max = 100): number {
  if (index >= steps.length) return max;
  for (let i = index; i >= 0; i--) {
    const s = steps[i] as { setWeight?: unknown };
    if (typeof s?.setWeight === 'number') return s.setWeight;
  }
  return 0;
}

const SCALING = /^Scaled (up|down) ReplicaSet (\S+) \(revision \d+\) from (\d+) to (\d+)$/;

export interface Scaling {
  readonly t: number;
  readonly index: number;
  readonly direction: 'up' | 'down';
  readonly replicaSet: string;
  readonly from: number;
  readonly to: number;
}

/** The ScalingReplicaSet events parsed ("Scaled up ReplicaSet x (revision 2) from 0 to 1"). */
export function scalingEvents(trace: readonly TraceEntry[]): Scaling[] {
  const out: Scaling[] = [];
  trace.forEach((e, index) => {
    if (e.type !== 'event' || e.reason !== 'ScalingReplicaSet') return;
    const m = SCALING.exec(String(e.message));
    if (!m) throw new Error(`unparseable ScalingReplicaSet message at t=${e.t}: ${String(e.message)}`);
    out.push({ t: e.t, index, direction: m[1] as 'up' | 'down', replicaSet: m[2]!, from: Number(m[3]), to: Number(m[4]) });
  });
  return out;
}

/**
 * Basic canary surge bound. `CalculateReplicaCountsForBasicCanary` only scales up into
 * `room = (R + maxSurge) − Σ spec(all RSs)`, and the controller scales one RS per reconcile, so after
 * every single ScalingReplicaSet Σ spec.replicas over the ReplicaSets is ≤ R + maxSurge.
 * Spec counts are derived from the events alone ("from A to B"; A must match what we knew).
 */
export function checkSurgeBound(trace: readonly TraceEntry[], replicas: number, surge: number): string[] {
  const spec = new Map<string, number>();
  const out: string[] = [];
  for (const s of scalingEvents(trace)) {
    const known = spec.get(s.replicaSet) ?? 0;
    if (known !== s.from) out.push(`t=${s.t}: ${s.replicaSet} scaled from ${s.from} but its last known spec was ${known}`);
    spec.set(s.replicaSet, s.to);
    const total = [...spec.values()].reduce((a, b) => a + b, 0);
    if (total > replicas + surge) {
      out.push(`t=${s.t}: Σ spec.replicas = ${total} > R + maxSurge = ${replicas} + ${surge} after "${s.direction} ${s.replicaSet} ${s.from}→${s.to}" (${[...spec].map(([k, v]) => `${k}=${v}`).join(', ')})`);
    }
  }
  return out;
}

/**
 * Availability floor on scale-down. Upstream only scales a ReplicaSet down within the budget
 * `Σavailable − (R − maxUnavailable)` (`CalculateReplicaCountsForBasicCanary`: `pool ≤ minAvail ⇒ no
 * shrink`; `scaleDownOldReplicaSetsForCanary`: `Σavailable(all) − minAvail`), so no scale-down that
 * removes an available pod may leave Σavailable(all RSs) below R − maxUnavailable. Availability is
 * taken from the 'pod' entries; only scale-downs at or after `fromMs` are judged (the initial
 * revision starting up is allowed to be below the floor, and scaling it is not a scale-down).
 */
export function checkAvailabilityFloor(trace: readonly TraceEntry[], replicas: number, unavailable: number, fromMs = 0): string[] {
  const minAvailable = replicas - unavailable;
  const available = new Set<string>();
  const out: string[] = [];
  let removedAvailable = 0;
  let availableBefore = 0;
  for (const e of trace) {
    if (e.type === 'pod') {
      const pod = String(e.pod);
      if (e.phase === 'Available') available.add(pod);
      else if (e.phase === 'Deleted' && available.delete(pod)) {
        if (removedAvailable === 0) availableBefore = available.size + 1;
        removedAvailable++;
      }
    } else if (e.type === 'event' && e.reason === 'ScalingReplicaSet') {
      // The pods a scale deletes are recorded just before its event.
      if (removedAvailable > 0 && e.t >= fromMs && available.size < minAvailable) {
        out.push(
          `t=${e.t}: "${String(e.message)}" deleted ${removedAvailable} available pod(s): Σavailable ${availableBefore} → ${available.size} < R − maxUnavailable = ${replicas} − ${unavailable}`,
        );
      }
      removedAvailable = 0;
    }
  }
  return out;
}

type Status = TraceEntry & {
  readonly step: number | null;
  readonly steps: number;
  readonly setWeight: number;
  readonly stableRS: string;
  readonly currentPodHash: string;
  readonly abort: boolean;
  readonly weights: { readonly canary: number; readonly stable: number } | null;
};

export function statuses(trace: readonly TraceEntry[]): Status[] {
  return trace.filter((e) => e.type === 'status') as Status[];
}

/**
 * Step index monotonicity. `syncRolloutStatusCanary` advances the index by at most 1 per reconcile
 * (one status PATCH per reconcile, `persistRolloutStatus`); it only jumps on the reset path
 * (template/steps changed ⇒ 0, or len(steps) with SkipSteps when the new RS is the stable one), on
 * abort (⇒ 0), or on promotion of the initial deploy (`promoteStable`: index = len(steps)).
 */
export function checkStepIndex(trace: readonly TraceEntry[]): string[] {
  const out: string[] = [];
  let prev: Status | undefined;
  for (const s of statuses(trace)) {
    if (prev && prev.step !== null && s.step !== prev.step) {
      const ok =
        (s.step !== null && s.step === prev.step + 1) ||
        (s.currentPodHash !== prev.currentPodHash && (s.step === 0 || s.step === null || (s.currentPodHash === s.stableRS && s.step === s.steps))) ||
        (s.abort && !prev.abort && s.step === 0) ||
        (prev.stableRS === '' && s.stableRS !== '' && s.step === s.steps);
      if (!ok) out.push(`t=${s.t}: step ${prev.step} → ${s.step} (steps ${s.steps}, abort ${s.abort}, pod hash ${prev.currentPodHash} → ${s.currentPodHash})`);
    }
    prev = s;
  }
  return out;
}

/**
 * Weight never ahead of the step. The status canary weight (`GetCanaryReplicasOrWeight`) is 100 once
 * the current revision is stable, 0 when aborted, else the nearest setWeight at or before the index
 * (basic canary). With traffic routing the router weight is `reconcileTrafficRouting`'s choice:
 * the current setWeight once the canary is at its counts, the last setWeight strictly BEFORE the
 * index while it is still being scaled, 0 while the canary has no available pod; so it is one of
 * W(index), W(index − 1) or 0 — never a weight of a step the rollout has not reached.
 */
export function checkWeightNotAhead(trace: readonly TraceEntry[], steps: readonly CheckerStep[], trafficRouted: boolean): string[] {
  const out: string[] = [];
  for (const s of statuses(trace)) {
    if (s.step === null || s.stableRS === '' || s.stableRS === s.currentPodHash) continue;
    const allowed = new Set<number>([s.abort ? 0 : setWeightAt(steps, s.step)]);
    if (trafficRouted) {
      allowed.add(0);
      if (s.step > 0) allowed.add(setWeightAt(steps, s.step - 1));
    }
    if (!allowed.has(s.setWeight)) out.push(`t=${s.t}: status weight ${s.setWeight} at step ${s.step} (allowed ${[...allowed].join(' or ')})`);
  }
  return out;
}

/**
 * Traffic-routed: the router weight equals the last completed setWeight. Each status write of a
 * non-promoted update carries `weights.canary = W(index − 1)` (the step that just completed moved
 * the weight in the same reconcile, `reconcileTrafficRouting` before `syncRolloutStatusCanary`),
 * or 0 while the new ReplicaSet has no available pod ("newRS missing or has 0 available pods ⇒
 * weight 0"). Only status entries at or after `fromMs` that carry weights are judged.
 */
export function checkRouterWeightFollowsSteps(trace: readonly TraceEntry[], steps: readonly CheckerStep[], fromMs = 0): string[] {
  const out: string[] = [];
  const rsByHash = new Map<string, string>();
  const available = new Map<string, Set<string>>();
  for (const e of trace) {
    if (e.type === 'replicaSet') rsByHash.set(String(e.podTemplateHash), String(e.replicaSet));
    else if (e.type === 'pod') {
      const rs = String(e.replicaSet);
      if (!available.has(rs)) available.set(rs, new Set());
      if (e.phase === 'Available') available.get(rs)!.add(String(e.pod));
      else if (e.phase === 'Deleted') available.get(rs)!.delete(String(e.pod));
    } else if (e.type === 'status') {
      const s = e as Status;
      if (s.t < fromMs || s.step === null || !s.weights || s.stableRS === s.currentPodHash || s.abort) continue;
      const expected = s.step === 0 ? 0 : setWeightAt(steps, s.step - 1);
      if (s.weights.canary === expected) continue;
      const newAvailable = available.get(rsByHash.get(s.currentPodHash) ?? '')?.size ?? 0;
      if (s.weights.canary === 0 && newAvailable === 0) continue;
      out.push(`t=${s.t}: router canary weight ${s.weights.canary} at step ${s.step} (new RS ${newAvailable} available); last completed setWeight is ${expected}`);
    }
  }
  return out;
}

/**
 * A setWeight step never completes in the reconcile that scaled. Upstream evaluates
 * `completedCurrentCanaryStep` against the ReplicaSets as the reconcile listed them (the scale
 * calls discard the updated object), and a scaled RS is by definition not at its desired count
 * in that listing (rollout/canary.go rolloutCanary, reconcileCanaryReplicaSets; digest §0).
 * Reconciles are delimited by their status writes (one PATCH per reconcile) and by pod changes:
 * the ReplicaSet controller creates or deletes pods for a scale right after the reconcile that
 * made it and before the next one, so a 'pod' entry always separates the two.
 */
export function checkNoStepCompletionWhenScaling(trace: readonly TraceEntry[]): string[] {
  const out: string[] = [];
  let scaled: TraceEntry | undefined;
  for (const e of trace) {
    if (e.type === 'status' || e.type === 'pod') scaled = undefined;
    else if (e.type === 'event' && e.reason === 'ScalingReplicaSet') scaled = e;
    else if (e.type === 'event' && e.reason === 'RolloutStepCompleted' && scaled && /\(setWeight: \d+\)$/.test(String(e.message))) {
      out.push(`t=${e.t}: "${String(e.message)}" in the reconcile that did "${String(scaled.message)}"`);
    }
  }
  return out;
}
