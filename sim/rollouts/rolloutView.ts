// What `kubectl argo rollouts get rollout` shows, computed from the simulated objects the way the
// plugin computes it (pkg/kubectl-argo-rollouts/info, v1.9.1):
// - rollout_info.go `NewRolloutInfo`: Step "i/n" only with steps and a currentStepIndex; SetWeight
//   = `GetCurrentSetWeight` (the desired weight); ActualWeight = the max weight when the current
//   step is past the end, else — once some replica is available — for a basic canary the canary
//   ReplicaSet's available pods × 100 / the rollout's available pods (integer division), for a
//   traffic-routed one the weight in status.canary.weights (else SetWeight); otherwise "0".
//   Replicas: Desired = spec.replicas, Current/Updated/Ready/Available from status.
// - `GetRolloutPhase` (utils/rollout/rolloututil.go): the persisted phase and message, except
//   Progressing "waiting for rollout spec update to be observed" while the generation is newer than
//   status.observedGeneration, and "waiting for rollout to unpause" (`IsUnpausing`) while
//   controllerPause is set with no pause condition.
// - replicaset_info.go: a ReplicaSet is "stable" when its hash is status.stableRS, else "canary"
//   when it is status.currentPodHash; for blue-green it is "stable" on status.stableRS and,
//   independently, "active" on status.blueGreen.activeSelector, else "preview" on previewSelector
//   (and Strategy is "BlueGreen", with no Step, SetWeight or ActualWeight); health `getReplicaSetHealth`: Progressing while available <
//   spec replicas, ScaledDown at 0, else Healthy; sorted by revision, newest first.
// - rollout_info.go `Images`: the images of ReplicaSets with pods, tagged canary/stable/active/
//   preview in that order, sorted by image; tags of an image met again are merged and sorted
//   (`mergeTags`).
// - analysisrun_info.go: each run's phase and the sums of its metrics' counts.
// - pod_info.go: a pod's status is its waiting reason (ContainerCreating, CrashLoopBackOff,
//   ImagePullBackOff...) or Running, and ready "r/n" over its containers.
import type { AnalysisRun } from '../analysis/analysisRun.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import { isPodReady } from '../cluster/replicaSet.js';
import { DefaultMaxTrafficWeight } from './defaults.js';
import { getCurrentCanaryStep, getCurrentSetWeight } from './replicaMath.js';
import type { SimRollout } from './rollout.js';

export interface PodView {
  readonly name: string;
  readonly status: string;
  readonly ready: string;
  readonly restarts: number;
}

export interface ReplicaSetView {
  readonly name: string;
  readonly revision: number;
  readonly status: 'Progressing' | 'ScaledDown' | 'Healthy';
  /** "stable" / "canary" (and `delay:` when a scale-down deadline is set, as an RFC3339 virtual time in ms). */
  /** In get_rollout.go's order: stable, canary, active, preview. */
  readonly tags: readonly string[];
  readonly scaleDownDeadline?: string;
  readonly desired: number;
  readonly replicas: number;
  readonly ready: number;
  readonly available: number;
  readonly pods?: readonly PodView[];
}

export interface AnalysisRunView {
  readonly name: string;
  readonly revision: number;
  readonly status: string;
  readonly successful: number;
  readonly failed: number;
  readonly inconclusive: number;
  readonly error: number;
}

export interface RolloutView {
  readonly name: string;
  readonly namespace: string;
  readonly status: string;
  readonly message: string;
  readonly strategy: 'Canary' | 'BlueGreen';
  readonly step: string | null;
  readonly setWeight: string;
  readonly actualWeight: string;
  readonly images: readonly { readonly image: string; readonly tags: readonly string[] }[];
  readonly replicas: { readonly desired: number; readonly current: number; readonly updated: number; readonly ready: number; readonly available: number };
  readonly replicaSets: readonly ReplicaSetView[];
  readonly analysisRuns: readonly AnalysisRunView[];
  readonly conditions: readonly { readonly type: string; readonly status: string; readonly reason: string; readonly message: string }[];
}

function podStatus(phase: string, reason: string | undefined): string {
  if (phase === 'Ready' || phase === 'Available' || phase === 'Starting') return 'Running';
  if (phase === 'CrashLoopBackOff') return 'CrashLoopBackOff';
  return reason ?? 'ContainerCreating';
}

function replicaSetHealth(rs: ReplicaSet): ReplicaSetView['status'] {
  if (rs.availableReplicas < rs.specReplicas) return 'Progressing';
  if (rs.specReplicas === 0) return 'ScaledDown';
  return 'Healthy';
}

/** The `get rollout` view now; `withPods` adds the pod lines (the final CLI view shows them). */
export function rolloutView(
  rollout: SimRollout,
  replicaSets: readonly ReplicaSet[],
  analysisRuns: readonly AnalysisRun[],
  options: { readonly withPods?: boolean } = {},
): RolloutView {
  const s = rollout.status;
  const steps = rollout.steps;
  const maxWeight = rollout.canary.trafficRouting?.maxTrafficWeight ?? DefaultMaxTrafficWeight;

  const blueGreen = rollout.blueGreen !== undefined;
  const rsViews: ReplicaSetView[] = replicaSets.map((rs) => {
    const tags: string[] = [];
    const hash = rs.podTemplateHash;
    if (!blueGreen) {
      if (hash === s.stableRS) tags.push('stable');
      else if (hash === s.currentPodHash) tags.push('canary');
    } else {
      if (hash === s.stableRS) tags.push('stable');
      if (hash === s.blueGreen?.activeSelector) tags.push('active');
      else if (hash === s.blueGreen?.previewSelector) tags.push('preview');
    }
    const deadline = rs.annotations.get('scale-down-deadline');
    const containers = Math.max(1, rs.template.containers.length);
    return {
      name: rs.name,
      revision: rs.revision,
      status: replicaSetHealth(rs),
      tags,
      ...(deadline ? { scaleDownDeadline: deadline } : {}),
      desired: rs.specReplicas,
      replicas: rs.statusReplicas,
      ready: rs.readyReplicas,
      available: rs.availableReplicas,
      ...(options.withPods
        ? {
            pods: rs.pods.map((p) => ({
              name: p.name,
              status: podStatus(p.phase, p.reason),
              ready: `${isPodReady(p) ? containers : 0}/${containers}`,
              restarts: p.restartCount,
            })),
          }
        : {}),
    };
  });
  rsViews.sort((a, b) => b.revision - a.revision || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const setWeight = getCurrentSetWeight(steps, s.currentStepIndex, s.abort, maxWeight);
  let actualWeight = 0;
  const { step } = getCurrentCanaryStep(steps, s.currentStepIndex);
  if (blueGreen) actualWeight = 0;
  else if (step === undefined) actualWeight = maxWeight;
  else if (s.availableReplicas > 0) {
    if (!rollout.trafficRouted) {
      const canary = rsViews.find((r) => r.tags.includes('canary'));
      if (canary) actualWeight = Math.trunc((canary.available * maxWeight) / s.availableReplicas);
    } else actualWeight = s.canary.weights ? s.canary.weights.canary.weight : setWeight;
  }

  const images: { image: string; tags: string[] }[] = [];
  for (const rs of rsViews) {
    if (rs.replicas === 0) continue;
    const source = replicaSets.find((r) => r.name === rs.name)!;
    // Images: canary, stable, active, preview — not the ReplicaSet line's order.
    const imageTags = ['canary', 'stable', 'active', 'preview'].filter((t) => rs.tags.includes(t));
    for (const c of source.template.containers) {
      const entry = images.find((i) => i.image === c.image);
      if (!entry) images.push({ image: c.image, tags: [...imageTags] });
      else entry.tags = [...new Set([...entry.tags, ...imageTags])].sort();
    }
  }
  images.sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));

  const revisionOf = new Map(replicaSets.map((rs) => [rs.podTemplateHash, rs.revision]));
  const arViews: AnalysisRunView[] = analysisRuns.map((run) => {
    let successful = 0;
    let failed = 0;
    let inconclusive = 0;
    let error = 0;
    for (const r of run.results.values()) {
      successful += r.successful;
      failed += r.failed;
      inconclusive += r.inconclusive;
      error += r.error;
    }
    return { name: run.name, revision: revisionOf.get(run.labels.podTemplateHash) ?? 0, status: run.phase, successful, failed, inconclusive, error };
  });

  let status: string = s.phase;
  let message = s.message;
  const observed = Number.parseInt(s.observedGeneration, 10);
  if (Number.isInteger(observed) && observed < rollout.generation) {
    status = 'Progressing';
    message = 'waiting for rollout spec update to be observed';
  } else if (s.controllerPause && s.pauseConditions.length === 0) {
    status = 'Progressing';
    message = 'waiting for rollout to unpause';
  }

  return {
    name: rollout.name,
    namespace: rollout.namespace,
    status,
    message,
    strategy: blueGreen ? 'BlueGreen' : 'Canary',
    step: !blueGreen && s.currentStepIndex !== undefined && steps.length > 0 ? `${s.currentStepIndex}/${steps.length}` : null,
    // rollout_info.go fills SetWeight and ActualWeight for the canary strategy only.
    setWeight: blueGreen ? '' : String(setWeight),
    actualWeight: blueGreen ? '' : String(actualWeight),
    images,
    replicas: { desired: rollout.replicas, current: s.replicas, updated: s.updatedReplicas, ready: s.readyReplicas, available: s.availableReplicas },
    replicaSets: rsViews,
    analysisRuns: arViews,
    conditions: s.conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason, message: c.message })),
  };
}

/**
 * Tells whether the `get rollout` view changed since the last call, without building it: it lists
 * everything the view shows as primitives and compares the list with the previous one. Two moments
 * with equal lists show the same view, so the trace records a view only when the list changes.
 * This runs at every status write and AnalysisRun phase change; a flat list compared element by
 * element (two arrays reused in turn) costs a fraction of building and comparing one long key
 * string, which was a noticeable share of a whole canary-hour run.
 */
export class RolloutViewChanges {
  private previous: unknown[] = [];
  private current: unknown[] = [];

  changed(rollout: SimRollout, replicaSets: readonly ReplicaSet[], analysisRuns: readonly AnalysisRun[]): boolean {
    const k = this.current;
    k.length = 0;
    const s = rollout.status;
    k.push(s.phase, s.message, s.currentStepIndex, s.abort, s.stableRS, s.currentPodHash, s.controllerPause, s.pauseConditions.length, s.observedGeneration);
    k.push(rollout.generation, rollout.replicas, s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.canary.weights?.canary.weight);
    k.push(s.blueGreen?.activeSelector, s.blueGreen?.previewSelector);
    for (const rs of replicaSets) {
      k.push(rs.name, rs.revision, rs.specReplicas, rs.statusReplicas, rs.readyReplicas, rs.availableReplicas, rs.annotations.get('scale-down-deadline') ?? '');
    }
    // Separators keep lists of different shapes (one more ReplicaSet, one fewer run) apart.
    k.push('|runs');
    for (const run of analysisRuns) {
      k.push(run.name, run.phase);
      for (const r of run.results.values()) k.push(r.successful, r.failed, r.inconclusive, r.error);
      k.push('|');
    }
    k.push('|conditions');
    for (const c of s.conditions) k.push(c.type, c.status, c.reason, c.message);

    const prev = this.previous;
    let same = prev.length === k.length;
    for (let i = 0; same && i < k.length; i++) same = prev[i] === k[i];
    this.previous = k;
    this.current = prev;
    return !same;
  }
}
