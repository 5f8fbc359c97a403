// One reconcile of a canary Rollout: argo-rollouts v1.9.1 rollout/controller.go newRolloutContext,
// rollout/context.go reconcile, rollout/canary.go rolloutCanary, and the pieces of
// rollout/sync.go, replicaset.go, service.go, analysis.go and trafficrouting.go it calls, in their
// order — order is behaviour (semantics digest §0, §2.1). Upstream function names are kept so the
// TypeScript can be read beside the Go.
import type { AnalysisRun } from '../analysis/analysisRun.js';
import { isCompleted } from '../analysis/types.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import type { SimService } from '../cluster/service.js';
import { pauseDurationSeconds } from '../manifests/duration.js';
import type { CanaryStep, RolloutAnalysis } from '../manifests/types.js';
import type { RolloutController } from './controller.js';
import {
  DefaultMaxTrafficWeight,
  getProgressDeadlineSecondsOrDefault,
  DefaultRolloutResyncPeriodSeconds,
  getAbortScaleDownDelaySecondsOrDefault,
  getScaleDownDelaySecondsOrDefault,
} from './defaults.js';
import { PauseContext } from './pause.js';
import {
  atDesiredReplicaCountsForCanary,
  calculateReplicaCountsForBasicCanary,
  calculateReplicaCountsForTrafficRoutedCanary,
  canaryReplicaInputFromRollout,
  desiredTrafficWeight,
  maxUnavailable,
  replicaProgressThresholdMet,
  scaleDownOldReplicaSetsForCanary,
  type CanaryRolloutView,
  type CurrentWeights,
  type OldReplicaSetCounts,
  type ReplicaCounts,
  type ReplicaSetCounts,
  type TrafficWeightBranch,
} from './replicaMath.js';
import type { TrafficRouter } from '../traffic/router.js';
import { nginxStableIngresses } from '../traffic/nginxCanaryIngress.js';
import {
  calculateRolloutPhase,
  cloneStatus,
  emptyRolloutStatus,
  getRolloutCondition,
  isFullyPromoted,
  metaNow,
  newRolloutCondition,
  removeRolloutCondition,
  setRolloutCondition,
  type RolloutStatus,
  type TrafficWeights,
} from './status.js';
import { canaryStepString } from './stepString.js';
import { reconcilePodRestarts } from './restart.js';
import { reconcileRevisionHistoryLimit } from './revisionHistory.js';
import { isRollbackWithinWindow } from './rollbackWindow.js';
import { RolloutExperiments } from './experimentStep.js';

const REVISION = 'rollout.argoproj.io/revision';
const DESIRED_REPLICAS = 'rollout.argoproj.io/desired-replicas';
const SCALE_DOWN_DEADLINE = 'scale-down-deadline';

function counts(rs: ReplicaSet): ReplicaSetCounts {
  return { name: rs.name, specReplicas: rs.specReplicas, statusReplicas: rs.statusReplicas, availableReplicas: rs.availableReplicas };
}

export class CanaryReconcile {
  private readonly ro;
  /** `c.rollout.Status`: the status this reconcile read (it is not refreshed by its own patches). */
  private prev: RolloutStatus;
  /** `c.newStatus`: the status being built. */
  private newStatus: RolloutStatus = emptyRolloutStatus();
  private allRSs: ReplicaSet[] = [];
  private newRS: ReplicaSet | undefined;
  private stableRS: ReplicaSet | undefined;
  private otherRSs: ReplicaSet[] = [];
  private pause: PauseContext;
  private currentStepAR: AnalysisRun | undefined;
  private currentBackgroundAR: AnalysisRun | undefined;
  private otherARs: AnalysisRun[] = [];
  /** The rollout's experiments (experiment steps), when the run has an experiment controller. */
  private experiments: RolloutExperiments | undefined;

  constructor(
    private readonly c: RolloutController,
    private readonly now: number,
  ) {
    this.ro = c.rollout;
    // Stored statuses are never modified in place (every write replaces the object), so the
    // reconcile can read the stored one directly.
    this.prev = this.ro.status;
    this.pause = new PauseContext(this.prev);
  }

  private get steps(): readonly CanaryStep[] {
    return this.ro.steps;
  }

  private get replicas(): number {
    return this.ro.replicas;
  }

  private get maxWeight(): number {
    return this.ro.canary.trafficRouting?.maxTrafficWeight ?? DefaultMaxTrafficWeight;
  }

  private event(reason: string, message: string): void {
    this.c.events.event(this.c.objectName, reason, message);
  }

  // ------------------------------------------------------------------------------------------
  // rollout/controller.go newRolloutContext + rollout/context.go reconcile

  run(): void {
    const cluster = this.c.options.cluster;
    // getReplicaSetsForRollouts: only the ReplicaSets the Rollout owns (not an Experiment's).
    this.allRSs = cluster.replicaSets.filter((rs) => rs.owner === undefined);
    const hash = this.ro.podTemplateHash;
    this.newRS = this.allRSs.find((rs) => rs.podTemplateHash === hash);
    this.stableRS = this.findStableRS();
    this.otherRSs = this.allRSs.filter((rs) => rs !== this.newRS && rs !== this.stableRS);
    this.findAnalysisRuns();
    const experimentController = this.c.options.experiments;
    if (experimentController) this.experiments = new RolloutExperiments(experimentController, this.ro.name, this.prev);

    if (!this.newRS) {
      this.createDesiredReplicaSet(hash);
      this.stableRS = this.findStableRS();
      this.otherRSs = this.allRSs.filter((rs) => rs !== this.newRS && rs !== this.stableRS);
    }
    if (isFullyPromoted(this.prev) && this.pause.isAborted()) this.pause.removeAbort();
    this.newStatus.canary.weights = this.prev.canary.weights;
    this.newStatus.restartedAt = this.prev.restartedAt;

    this.checkPausedConditions();
    if (this.isScalingEvent()) {
      this.syncReplicasOnly();
      return;
    }
    this.rolloutCanary();
  }

  private findStableRS(): ReplicaSet | undefined {
    if (this.prev.stableRS === '') return undefined;
    return this.allRSs.find((rs) => rs.podTemplateHash === this.prev.stableRS);
  }

  /** `analysisutil.FilterCurrentRolloutAnalysisRuns`: current runs are the ones named in status. */
  private findAnalysisRuns(): void {
    const all = this.c.options.analysis.runsOwnedBy(this.ro.name);
    const stepName = this.prev.canary.currentStepAnalysisRunStatus?.name;
    const bgName = this.prev.canary.currentBackgroundAnalysisRunStatus?.name;
    this.currentStepAR = all.find((r) => r.name === stepName);
    this.currentBackgroundAR = all.find((r) => r.name === bgName);
    this.otherARs = all.filter((r) => r !== this.currentStepAR && r !== this.currentBackgroundAR);
  }

  // rollout/sync.go createDesiredReplicaSet
  private createDesiredReplicaSet(hash: string): void {
    const cluster = this.c.options.cluster;
    const newRevision = String(maxRevision(this.allRSs) + 1);
    const rs = cluster.createReplicaSet(`${this.ro.name}-${hash}`, hash, this.ro.template, this.ro.minReadySeconds);
    rs.annotations.set(REVISION, newRevision);
    rs.annotations.set(DESIRED_REPLICAS, String(this.replicas));
    this.allRSs.push(rs);
    this.newRS = rs;
    this.setRolloutRevision(newRevision);
    this.event('NewReplicaSetCreated', `Created ReplicaSet ${rs.name} (revision ${newRevision})`);
    // UpdateStatus with the Progressing condition; c.rollout is replaced by the updated object.
    const status = cloneStatus(this.ro.status);
    setRolloutCondition(status, newRolloutCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rs.name}"`, this.now));
    this.c.replaceStatus(status);
    this.prev = this.ro.status;
    this.pause = new PauseContext(this.prev);
  }

  // rollout/sync.go setRolloutRevision
  private setRolloutRevision(revision: string): void {
    if (this.ro.revision === revision) return;
    this.ro.revision = revision;
    this.event('RolloutUpdated', `Rollout updated to revision ${revision}`);
    this.c.enqueue();
  }

  // rollout/sync.go syncReplicaSetRevision
  private syncReplicaSetRevision(): void {
    const rs = this.newRS;
    if (!rs) return;
    const newRevision = maxRevision(this.allRSs.filter((r) => r !== rs)) + 1;
    const old = Number(rs.annotations.get(REVISION) ?? '0');
    if (old < newRevision) {
      // A reused ReplicaSet (rollback) is renumbered; the rollout's revision follows next reconcile.
      rs.annotations.set(REVISION, String(newRevision));
      this.c.enqueue();
      return;
    }
    this.setRolloutRevision(rs.annotations.get(REVISION) ?? String(old));
    if (!getRolloutCondition(this.prev, 'Progressing')) {
      const status = cloneStatus(this.ro.status);
      setRolloutCondition(status, newRolloutCondition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${rs.name}"`, this.now));
      this.c.replaceStatus(status);
      this.prev = this.ro.status;
    }
  }

  // rollout/sync.go checkPausedConditions
  private checkPausedConditions(): void {
    const progCond = getRolloutCondition(this.prev, 'Progressing');
    const progCondPaused = progCond?.reason === 'RolloutPaused';
    const isPaused = this.prev.pauseConditions.length > 0 || this.ro.paused;
    const abortCondExists = progCond?.reason === 'RolloutAborted';
    const completed = this.prev.stableRS !== '' && this.prev.stableRS === this.prev.currentPodHash;
    const updated = [];
    if (isPaused !== progCondPaused && !abortCondExists && !completed) {
      updated.push(
        isPaused
          ? newRolloutCondition('Progressing', 'Unknown', 'RolloutPaused', 'Rollout is paused', this.now)
          : newRolloutCondition('Progressing', 'Unknown', 'RolloutResumed', 'Rollout is resumed', this.now),
      );
    }
    if (!this.prev.abort && abortCondExists) {
      updated.push(newRolloutCondition('Progressing', 'Unknown', 'RolloutRetry', 'Retrying Rollout after abort', this.now));
    }
    const pauseCond = getRolloutCondition(this.prev, 'Paused');
    const pausedCondTrue = pauseCond?.status === 'True';
    if (isPaused !== pausedCondTrue && !abortCondExists) {
      updated.push(newRolloutCondition('Paused', isPaused ? 'True' : 'False', 'RolloutPaused', 'Rollout is paused', this.now));
    }
    if (updated.length === 0) return;
    // patchCondition: computed against (and applied over) the status this reconcile read.
    const next = cloneStatus(this.prev);
    for (const cond of updated) setRolloutCondition(next, cond);
    next.observedGeneration = String(this.ro.generation);
    Object.assign(next, this.phaseOf(next));
    this.c.patchStatus(this.prev, next);
  }

  // rollout/sync.go isScalingEvent
  private isScalingEvent(): boolean {
    this.syncReplicaSetRevision();
    for (const rs of [this.newRS, this.stableRS]) {
      if (!rs || rs.specReplicas === 0) continue; // controller.FilterActiveReplicaSets
      const desired = rs.annotations.get(DESIRED_REPLICAS);
      if (desired === undefined) continue;
      if (Number(desired) !== this.replicas) return true;
    }
    return false;
  }

  // rollout/sync.go syncReplicasOnly
  private syncReplicasOnly(): void {
    this.syncReplicaSetRevision();
    const newStatus = cloneStatus(this.prev);
    this.reconcileCanaryReplicaSets();
    newStatus.availableReplicas = sum(this.allRSs, (rs) => rs.availableReplicas);
    this.persistRolloutStatus(newStatus);
  }

  // ------------------------------------------------------------------------------------------
  // rollout/canary.go rolloutCanary

  private rolloutCanary(): void {
    if (this.podTemplateOrStepsChanged()) {
      this.syncReplicaSetRevision();
      this.syncRolloutStatusCanary();
      return;
    }
    this.syncReplicaSetRevision();
    // A reconcile that evicted pods ends here: availability counts no longer include them.
    if (this.reconcilePodRestarts() > 0) return;
    reconcileRevisionHistoryLimit(this.otherRSs, this.ro.manifest.spec.revisionHistoryLimit, this.c.options.cluster);
    this.reconcileStableAndCanaryService();
    this.reconcileTrafficRouting();
    this.reconcileExperiments();
    this.reconcileAnalysisRuns();
    if (this.pause.hasAddPause()) {
      this.syncRolloutStatusCanary();
      return;
    }
    if (this.reconcileCanaryReplicaSets()) {
      this.syncRolloutStatusCanary();
      return;
    }
    if (this.reconcileCanaryPause()) {
      this.syncRolloutStatusCanary();
      return;
    }
    this.syncRolloutStatusCanary();
  }

  // rollout/restart.go RolloutPodRestarter.Reconcile (sim/rollouts/restart.ts)
  private reconcilePodRestarts(): number {
    const canary = this.ro.canary;
    const outcome = reconcilePodRestarts(
      {
        nowMs: this.now,
        restartAt: this.ro.restartAt,
        restartedAt: this.prev.restartedAt,
        replicas: this.replicas,
        maxUnavailable: maxUnavailable(this.replicas, canary.maxUnavailable, canary.maxSurge),
        allRSs: this.allRSs,
      },
      this.c.options.cluster,
      (ms) => this.c.enqueueAfter(ms),
    );
    if (outcome.done) this.newStatus.restartedAt = this.ro.restartAt; // SetRestartedAt
    return outcome.restarted;
  }

  // rollout/sync.go isRollbackWithinWindow (sim/rollouts/rollbackWindow.ts)
  private isRollbackWithinWindow(): boolean {
    return isRollbackWithinWindow(this.newRS, this.stableRS, this.allRSs, this.ro.rollbackWindowRevisions);
  }

  /** `replicasetutil.PodTemplateOrStepsChanged`: step hash or pod hash differ from status. */
  private podTemplateOrStepsChanged(): boolean {
    if (this.prev.currentStepHash !== this.stepHash()) return true;
    return this.newRS !== undefined && this.prev.currentPodHash !== this.newRS.podTemplateHash;
  }

  private stepHash(): string {
    return this.ro.stepHash;
  }

  private currentStep(): { step: CanaryStep | undefined; index: number | undefined } {
    if (this.steps.length === 0) return { step: undefined, index: undefined };
    const index = this.prev.currentStepIndex ?? 0;
    return { step: this.steps[index], index };
  }

  // rollout/canary.go reconcileCanaryReplicaSets: scale at most one ReplicaSet per reconcile.
  private reconcileCanaryReplicaSets(): boolean {
    if (this.ro.paused) return false;
    if (this.prev.pauseConditions.some((p) => p.reason === 'InconclusiveAnalysisRun')) return false;
    // removeScaleDownDeadlines: the new and stable RSs carry no scale-down deadline — except an
    // aborted traffic-routed canary waiting out abortScaleDownDelaySeconds.
    if (!this.shouldDelayScaleDownOnAbort()) this.newRS?.annotations.delete(SCALE_DOWN_DEADLINE);
    this.stableRS?.annotations.delete(SCALE_DOWN_DEADLINE);
    if (this.reconcileCanaryStableReplicaSet()) return true;
    if (this.reconcileNewReplicaSet()) return true;
    return this.reconcileOtherReplicaSets();
  }

  /** What the replica math reads from the Rollout and the status this reconcile read. */
  private view(): CanaryRolloutView {
    const canary = this.ro.canary;
    return {
      replicas: this.replicas,
      maxSurge: canary.maxSurge,
      maxUnavailable: canary.maxUnavailable,
      steps: this.steps,
      trafficRouting: canary.trafficRouting,
      dynamicStableScale: canary.dynamicStableScale,
      minPodsPerReplicaSet: canary.minPodsPerReplicaSet,
      abortScaleDownDelaySeconds: canary.abortScaleDownDelaySeconds,
      replicaProgressThreshold: canary.replicaProgressThreshold,
      currentStepIndex: this.prev.currentStepIndex,
      abort: this.prev.abort,
      promoteFull: this.prev.promoteFull,
      stableRS: this.prev.stableRS,
      currentPodHash: this.prev.currentPodHash,
      weights: this.prev.canary.weights,
    };
  }

  /**
   * `CalculateReplicaCountsFor{Basic,TrafficRouted}Canary` with the weights upstream passes:
   * the persisted ones when sizing the stable RS (so it lags the weight change one reconcile
   * instead of flapping — rollout/canary.go reconcileCanaryStableReplicaSet), this reconcile's
   * when sizing the new RS (`NewRSNewReplicas`) and judging step completion.
   */
  private replicaInput(weights: TrafficWeights | undefined) {
    return canaryReplicaInputFromRollout(
      this.view(),
      this.rsCounts(this.newRS),
      this.rsCounts(this.stableRS),
      this.otherRSs.map((rs) => this.rsCounts(rs)!),
      weightNumbers(weights),
    );
  }

  private replicaCounts(weights: TrafficWeights | undefined): ReplicaCounts {
    const input = this.replicaInput(weights);
    return input.trafficRouted ? calculateReplicaCountsForTrafficRoutedCanary(input) : calculateReplicaCountsForBasicCanary(input);
  }

  private rsCounts(rs: ReplicaSet | undefined): ReplicaSetCounts | undefined {
    return rs ? counts(rs) : undefined;
  }

  private reconcileCanaryStableReplicaSet(): boolean {
    if (!this.stableRS || (this.newRS && this.newRS === this.stableRS)) return false;
    return this.scaleReplicaSetAndRecordEvent(this.stableRS, this.replicaCounts(this.prev.canary.weights).stableRSReplicaCount);
  }

  // rollout/replicaset.go reconcileNewReplicaSet
  private reconcileNewReplicaSet(): boolean {
    if (!this.newRS) return false;
    let newReplicasCount = this.replicaCounts(this.newStatus.canary.weights).newRSReplicaCount;
    if (this.shouldDelayScaleDownOnAbort()) {
      // An aborted traffic-routed canary keeps its pods for abortScaleDownDelaySeconds, counted
      // from when the stable ReplicaSet is fully available again.
      const deadline = this.newRS.annotations.get(SCALE_DOWN_DEADLINE);
      if (deadline !== undefined) {
        const remaining = Number(deadline) - this.now;
        if (remaining > 0) {
          if (remaining < DefaultRolloutResyncPeriodSeconds * 1000) this.c.enqueueAfter(remaining);
          return false;
        }
        newReplicasCount = 0;
      } else {
        if (this.stableRS!.availableReplicas === this.replicas) {
          // addScaleDownDelay: the RS patch is an informer event that enqueues the rollout.
          // addScaleDownDelay (the delay is never 0 here: 0 means "keep", see shouldDelayScaleDownOnAbort).
          const delaySeconds = this.abortScaleDownDelay().delaySeconds ?? 0;
          this.newRS.annotations.set(SCALE_DOWN_DEADLINE, String(metaNow(this.now) + delaySeconds * 1000));
          this.c.enqueue();
        }
        return false;
      }
    }
    return this.scaleReplicaSetAndRecordEvent(this.newRS, newReplicasCount);
  }

  /** `GetAbortScaleDownDelaySecondsOrDefault`: undefined delay = `abortScaleDownDelaySeconds: 0` (keep the canary). */
  private abortScaleDownDelay(): { delaySeconds: number | undefined; wasSet: boolean } {
    return getAbortScaleDownDelaySecondsOrDefault({ trafficRouted: this.ro.trafficRouted, abortScaleDownDelaySeconds: this.ro.canary.abortScaleDownDelaySeconds });
  }

  /**
   * rollout/replicaset.go shouldDelayScaleDownOnAbort: aborted, a stable RS exists, traffic-routed,
   * abortScaleDownDelaySeconds is not 0, and not (dynamicStableScale without an explicit delay —
   * then the canary shrinks with its traffic instead).
   */
  private shouldDelayScaleDownOnAbort(): boolean {
    if (!this.pause.isAborted() || this.stableRS === undefined || !this.ro.trafficRouted) return false;
    const { delaySeconds, wasSet } = this.abortScaleDownDelay();
    if (delaySeconds === undefined) return false;
    if (this.ro.canary.dynamicStableScale === true && !wasSet) return false;
    return true;
  }

  // rollout/replicaset.go reconcileOtherReplicaSets → canary.go scaleDownOldReplicaSetsForCanary
  private reconcileOtherReplicaSets(): boolean {
    const active = this.otherRSs.filter((rs) => rs.specReplicas > 0);
    if (active.length === 0) return false;
    if (this.ro.trafficRouted) return this.scaleDownOldReplicaSetsForTrafficRouting(active);
    const oldRSs: OldReplicaSetCounts[] = active.map((rs) => ({ ...counts(rs), revision: rs.revision, creationTimestamp: rs.createdAtMs }));
    const result = scaleDownOldReplicaSetsForCanary({ rollout: this.view(), allRSs: this.allRSs.map(counts), oldRSs });
    for (const action of result.actions) {
      const rs = active.find((r) => r.name === action.name)!;
      this.scaleReplicaSetAndRecordEvent(rs, action.toReplicas);
    }
    return result.totalScaledDown > 0;
  }

  /**
   * The traffic-routed branch of `scaleDownOldReplicaSetsForCanary`: after cleaning up unhealthy
   * replicas, within the availability budget and newest revision first, an RS still referenced
   * (status hashes, weights, Service selectors) is kept; after a promotion (or once it carries a
   * deadline) an old RS keeps its pods for scaleDownDelaySeconds (`scaleDownDelayHelper`); an
   * intermediate RS of an interrupted update goes to 0 at once.
   */
  private scaleDownOldReplicaSetsForTrafficRouting(active: ReplicaSet[]): boolean {
    let scaled = 0;
    for (const rs of [...active].sort((a, b) => a.createdAtMs - b.createdAtMs || a.createdSeq - b.createdSeq)) {
      if (rs.specReplicas === 0 || rs.specReplicas === rs.availableReplicas || rs.availableReplicas > rs.specReplicas) continue;
      scaled += rs.specReplicas - rs.availableReplicas;
      this.scaleReplicaSetAndRecordEvent(rs, rs.availableReplicas);
    }
    const minAvailable = this.replicas - maxUnavailable(this.replicas, this.ro.canary.maxUnavailable, this.ro.canary.maxSurge);
    let maxScaleDown = sum(this.allRSs, (rs) => rs.availableReplicas) - minAvailable;
    if (maxScaleDown <= 0) return false;
    let annotated = 0;
    for (const rs of [...active].sort((a, b) => b.revision - a.revision || b.createdAtMs - a.createdAtMs)) {
      if (this.isReplicaSetReferenced(rs)) continue;
      if (maxScaleDown <= 0) break;
      if (rs.specReplicas === 0) continue;
      let desired = 0;
      if (isFullyPromoted(this.prev) || rs.annotations.has(SCALE_DOWN_DEADLINE)) {
        // With dynamicStableScale the previous stable has already shrunk with its traffic: 0 now.
        if (this.ro.canary.dynamicStableScale !== true) {
          const r = this.scaleDownDelayHelper(rs, annotated);
          annotated = r.annotated;
          desired = r.desired;
        }
      }
      if (rs.specReplicas === desired) continue;
      const before = rs.specReplicas;
      this.scaleReplicaSetAndRecordEvent(rs, desired);
      maxScaleDown -= before - desired;
      scaled += before - desired;
    }
    return scaled > 0;
  }

  /**
   * rollout/replicaset.go scaleDownDelayHelper, called from the canary with the RS's own spec
   * replicas as the count to keep (v1.9.1: a delayed canary RS keeps its count, §10.12). Within
   * scaleDownDelayRevisionLimit (newest revision first) an RS without a deadline gets one and keeps
   * its pods; one with a deadline keeps them until it passes; beyond the limit or after it: 0.
   *
   * `scaleDownDelaySeconds: 0` (issue #1992): addScaleDownDelay writes no deadline, the RS keeps
   * its pods and upstream re-enqueues the rollout with zero delay — on every reconcile, for ever.
   * The old RS is therefore never scaled down; rehearse keeps that outcome but does not replay the
   * busy loop of immediate requeues (they change nothing).
   */
  private scaleDownDelayHelper(rs: ReplicaSet, annotated: number): { annotated: number; desired: number } {
    const limit = this.ro.canary.scaleDownDelayRevisionLimit ?? Number.MAX_SAFE_INTEGER;
    const deadline = rs.annotations.get(SCALE_DOWN_DEADLINE);
    if (deadline === undefined) {
      if (rs.specReplicas <= 0 || annotated >= limit) return { annotated, desired: 0 };
      const delaySeconds = getScaleDownDelaySecondsOrDefault({ trafficRouted: this.ro.trafficRouted, scaleDownDelaySeconds: this.ro.canary.scaleDownDelaySeconds });
      if (delaySeconds > 0) {
        rs.annotations.set(SCALE_DOWN_DEADLINE, String(metaNow(this.now) + delaySeconds * 1000));
        this.c.enqueueAfter(delaySeconds * 1000);
      }
      return { annotated: annotated + 1, desired: rs.specReplicas };
    }
    if (annotated + 1 > limit) return { annotated: annotated + 1, desired: 0 };
    const remaining = Number(deadline) - this.now;
    if (remaining > 0) {
      if (remaining < DefaultRolloutResyncPeriodSeconds * 1000) this.c.enqueueAfter(remaining);
      return { annotated: annotated + 1, desired: rs.specReplicas };
    }
    return { annotated: annotated + 1, desired: 0 };
  }

  // rollout/replicaset.go isReplicaSetReferenced
  private isReplicaSetReferenced(rs: ReplicaSet): boolean {
    const hash = rs.podTemplateHash;
    const s = this.prev;
    const refs = [s.stableRS, s.currentPodHash];
    if (s.canary.weights) refs.push(s.canary.weights.canary.podTemplateHash, s.canary.weights.stable.podTemplateHash);
    if (refs.includes(hash)) return true;
    for (const name of [this.ro.canary.canaryService, this.ro.canary.stableService]) {
      if (!name) continue;
      const svc = this.c.options.cluster.services.get(name);
      if (svc && svc.selector['rollouts-pod-template-hash'] === hash) return true;
    }
    return false;
  }

  // rollout/sync.go scaleReplicaSetAndRecordEvent / scaleReplicaSet
  private scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number): boolean {
    const desired = String(this.replicas);
    const annotationsNeedUpdate = rs.annotations.get(DESIRED_REPLICAS) !== desired;
    const sizeNeedsUpdate = rs.specReplicas !== newScale;
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) return false;
    const old = rs.specReplicas;
    rs.annotations.set(DESIRED_REPLICAS, desired);
    this.c.options.cluster.scale(rs, newScale);
    if (!sizeNeedsUpdate) return false;
    this.event('ScalingReplicaSet', `Scaled ${old < newScale ? 'up' : 'down'} ReplicaSet ${rs.name} (revision ${rs.revision}) from ${old} to ${newScale}`);
    return true;
  }

  // rollout/canary.go reconcileCanaryPause
  private reconcileCanaryPause(): boolean {
    if (this.ro.paused || this.prev.promoteFull || this.steps.length === 0) return false;
    const { step, index } = this.currentStep();
    if (!step || index === undefined || step.kind !== 'pause') return false;
    const cond = this.prev.pauseConditions.find((p) => p.reason === 'CanaryPauseStep');
    if (!cond) {
      if (!this.prev.controllerPause) this.pause.addPauseCondition('CanaryPauseStep');
      return true;
    }
    if (step.pause.duration === undefined) return true;
    this.checkEnqueueRolloutDuringWait(cond.startTime, pauseDurationSeconds(step.pause.duration));
    return true;
  }

  // rollout/pause.go checkEnqueueRolloutDuringWait
  private checkEnqueueRolloutDuringWait(startTime: number, durationSeconds: number): void {
    const expiry = startTime + durationSeconds * 1000;
    const nextResync = this.now + DefaultRolloutResyncPeriodSeconds * 1000;
    // The deadline test is strict ("now is after"); a real queue fires a little after it, which we
    // model as one virtual millisecond. Upstream arms the requeue only while `expiry.After(now)`,
    // but its reconciles take real time: the reconcile that follows the one adding the pause
    // condition always runs after the condition's (whole-second) startTime, so a pause whose
    // expiry equals now (`pause: {duration: 0}` added on a whole second) completes there
    // (semantics digest §2.9). Our reconciles take no virtual time, so that case arms the 1 ms
    // requeue too instead of waiting for the 15-minute resync.
    if (nextResync > expiry && expiry >= this.now) this.c.enqueueAfter(expiry - this.now + 1);
  }

  // rollout/service.go reconcileStableAndCanaryService
  private reconcileStableAndCanaryService(): void {
    const canary = this.ro.canary;
    this.ensureSVCTargets(canary.stableService, this.stableRS, true);
    if (this.pause.isAborted() && !this.ro.trafficRouted) {
      this.ensureSVCTargets(canary.canaryService, this.stableRS, true);
      return;
    }
    this.ensureSVCTargets(canary.canaryService, this.newRS, true);
  }

  // rollout/service.go ensureSVCTargets
  private ensureSVCTargets(serviceName: string | undefined, rs: ReplicaSet | undefined, checkRsAvailability: boolean): void {
    if (!rs || !serviceName) return;
    const svc: SimService | undefined = this.c.options.cluster.services.get(serviceName);
    if (!svc) return;
    const current = svc.selector['rollouts-pod-template-hash'] ?? '';
    const desired = rs.podTemplateHash;
    if (current === desired) return;
    if (!svc.managedByRollouts) {
      // Adopting a Service the controller has not managed yet needs a fully available ReplicaSet.
      const fullyAvailable = rs.specReplicas !== 0 && rs.availableReplicas !== 0 && rs.specReplicas <= rs.availableReplicas;
      if (checkRsAvailability && !fullyAvailable) return;
    }
    if (checkRsAvailability && rs.availableReplicas <= 0) return;
    this.c.options.cluster.switchServiceSelector(svc, desired);
    this.event('SwitchService', `Switched selector for service '${svc.name}' from '${current}' to '${desired}'`);
  }

  // rollout/trafficrouting.go reconcileTrafficRouting (routers applying exact weights)
  private reconcileTrafficRouting(): void {
    const router = this.c.options.router;
    if (!this.ro.trafficRouted || !router) {
      this.newStatus.canary.weights = undefined;
      return;
    }
    const stableHash = this.stableRS?.podTemplateHash ?? '';
    const canaryHash = this.newRS?.podTemplateHash ?? '';
    const chosen = desiredTrafficWeight({
      // Upstream tests the pause context here (an abort decided earlier in this reconcile counts).
      rollout: { ...this.view(), abort: this.pause.isAborted() },
      newRS: this.rsCounts(this.newRS),
      newRSPodTemplateHash: canaryHash,
      stableRS: this.rsCounts(this.stableRS),
      otherRSs: this.otherRSs.map(counts),
    });
    if (chosen.branch === 'aborted') this.ensureSVCTargets(this.ro.canary.canaryService, this.stableRS, false);
    if (REMOVES_MANAGED_ROUTES.has(chosen.branch)) router.removeManagedRoutes();
    if (!chosen.stableReplicasAvailable) return;
    this.reconcileManagedRoute(router);
    const desiredWeight = chosen.desiredWeight;
    // Experiment steps add weighted destinations in these branches (sim/rollouts/experimentStep.ts).
    const withExperiment = chosen.branch === 'newRSUnavailable' || chosen.branch === 'previousSetWeight' || chosen.branch === 'currentSetWeight';
    const additional = withExperiment && this.experiments ? this.experiments.weightDestinations({ rollout: this.ro, prev: this.prev }) : [];
    router.updateHash(canaryHash, stableHash);
    // The NGINX router records its Create/Patch events inside SetWeight, so before TrafficWeightUpdated.
    const stableIngresses = nginxStableIngresses(this.ro.canary.trafficRouting?.raw);
    if (stableIngresses) for (const e of router.nginxCanaryIngresses.setWeight(this.ro.name, stableIngresses, desiredWeight)) this.event(e.reason, e.message);
    router.setWeight(desiredWeight);
    router.setAdditional(additional);
    const next: TrafficWeights = {
      canary: { weight: desiredWeight, podTemplateHash: canaryHash, serviceName: this.ro.canary.canaryService ?? '' },
      stable: {
        weight: this.maxWeight - desiredWeight - additional.reduce((n, d) => n + d.weight, 0),
        podTemplateHash: stableHash,
        serviceName: this.ro.canary.stableService ?? '',
      },
      ...(additional.length > 0 ? { additional } : {}),
    };
    const prevWeights = this.prev.canary.weights;
    const additionalChanged = JSON.stringify(prevWeights?.additional ?? []) !== JSON.stringify(next.additional ?? []);
    const modified =
      !prevWeights ||
      JSON.stringify(prevWeights.canary) !== JSON.stringify(next.canary) ||
      JSON.stringify(prevWeights.stable) !== JSON.stringify(next.stable) ||
      additionalChanged;
    if (modified) {
      // trafficWeightUpdatedMessage: "to W" the first time, "from A to B" on a change, nothing
      // after "updated" when only the hashes changed (semantics digest §11.2). Upstream formats
      // `"Traffic weight updated %s"` with the joined details (rollout/trafficrouting.go,
      // utils/conditions TrafficWeightUpdatedMessage), so a hash-only change keeps the trailing space.
      const details: string[] = [];
      if (!prevWeights) details.push(`to ${desiredWeight}`);
      else if (prevWeights.canary.weight !== desiredWeight) details.push(`from ${prevWeights.canary.weight} to ${desiredWeight}`);
      // Go's %v of []WeightDestination: [{weight serviceName podTemplateHash} ...].
      if (prevWeights && additionalChanged) details.push(`additional: [${(next.additional ?? []).map((d) => `{${d.weight} ${d.serviceName} ${d.podTemplateHash}}`).join(' ')}]`);
      const detail = details.join(', ');
      this.event('TrafficWeightUpdated', `Traffic weight updated ${detail}`);
      this.newStatus.canary.weights = next;
    }
  }

  /**
   * rollout/trafficrouting.go reconcileTrafficRouting: the current step's setHeaderRoute /
   * setMirrorRoute is applied once the stable has its pods for the weight, and only when the
   * rollout's revision is above 1 (upstream skips it while installing the first revision).
   */
  private reconcileManagedRoute(router: TrafficRouter): void {
    const { step } = this.currentStep();
    if (!step || Number(this.ro.revision ?? '0') <= 1) return;
    if (step.kind === 'setHeaderRoute') router.setHeaderRoute(step.setHeaderRoute.name, (step.setHeaderRoute.match?.length ?? 0) > 0);
    if (step.kind === 'setMirrorRoute') {
      const r = step.setMirrorRoute;
      // istio.go createMirrorRoute: percentage nil ⇒ 100.
      router.setMirrorRoute(r.name, (r.match?.length ?? 0) > 0 ? (r.percentage ?? 100) : undefined);
    }
  }

  // ------------------------------------------------------------------------------------------
  // rollout/analysis.go reconcileAnalysisRuns (step and background analysis)

  private reconcileAnalysisRuns(): void {
    const analysis = this.c.options.analysis;
    const aborted = this.pause.isAborted();
    const initialDeploy = this.prev.stableRS === '';
    // Going back to a ReplicaSet still inside its scaleDownDelay skips analysis (rollbackToScaleDownDelay).
    const rollbackToScaleDownDelay = this.newRS?.annotations.has(SCALE_DOWN_DEADLINE) ?? false;
    if (aborted || this.prev.promoteFull || rollbackToScaleDownDelay || initialDeploy || this.isRollbackWithinWindow()) {
      for (const ar of [this.currentStepAR, this.currentBackgroundAR, ...this.otherARs]) if (ar) analysis.terminate(ar);
      this.setCurrentAnalysisRuns(this.currentStepAR, this.currentBackgroundAR);
      return;
    }
    const step = this.reconcileStepBasedAnalysisRun();
    const background = this.reconcileBackgroundAnalysisRun();
    this.setCurrentAnalysisRuns(step, background);
    const others = this.otherARs.filter((ar) => ar !== step && ar !== background);
    for (const ar of others) analysis.terminate(ar);
    // Run history: spec.analysis.successfulRunHistoryLimit / unsuccessfulRunHistoryLimit (default 5 / 5).
    const limits = this.ro.manifest.spec.analysis;
    analysis.deleteBeyondHistory(others, this.allRSs.map((rs) => rs.podTemplateHash), limits?.successfulRunHistoryLimit ?? 5, limits?.unsuccessfulRunHistoryLimit ?? 5);
    this.emitAnalysisRunStatusChanges(this.prev.canary.currentStepAnalysisRunStatus, step, 'Step');
    this.emitAnalysisRunStatusChanges(this.prev.canary.currentBackgroundAnalysisRunStatus, background, 'Background');
  }

  private setCurrentAnalysisRuns(step: AnalysisRun | undefined, background: AnalysisRun | undefined): void {
    this.newStatus.canary.currentStepAnalysisRunStatus = step ? { name: step.name, status: step.phase, message: step.message } : undefined;
    this.newStatus.canary.currentBackgroundAnalysisRunStatus = background
      ? { name: background.name, status: background.phase, message: background.message }
      : undefined;
  }

  /** `needsNewAnalysisRun`. */
  private needsNewAnalysisRun(current: AnalysisRun | undefined): boolean {
    if (!current) return true;
    const hasPauseStep = this.prev.pauseConditions.some((p) => p.reason === 'CanaryPauseStep' || p.reason === 'BlueGreenPause');
    if (this.prev.controllerPause && !hasPauseStep) return current.phase === 'Inconclusive';
    return this.prev.abortedAt !== undefined;
  }

  private reconcileStepBasedAnalysisRun(): AnalysisRun | undefined {
    const { step, index } = this.currentStep();
    const current = this.currentStepAR;
    if (this.prev.pauseConditions.length > 0 || this.prev.abort) return current;
    const fromPreviousStep = step?.kind === 'analysis' && current !== undefined && current.labels.stepIndex !== index;
    if (!step || step.kind !== 'analysis' || step.analysis.templates.length === 0 || index === undefined || fromPreviousStep) {
      if (current) this.c.options.analysis.terminate(current);
      return undefined;
    }
    if (this.needsNewAnalysisRun(current)) return this.createAnalysisRun(step.analysis, String(index), 'Step', index);
    this.applyAnalysisOutcome(current!, 'Step-based');
    return current;
  }

  private reconcileBackgroundAnalysisRun(): AnalysisRun | undefined {
    const bg = this.ro.canary.analysis;
    const current = this.currentBackgroundAR;
    if (!bg || bg.templates.length === 0) {
      if (current) this.c.options.analysis.terminate(current);
      return undefined;
    }
    // replicasetutil.BeforeStartingStep: false without steps (no current step index).
    const beforeStartingStep = bg.startingStep !== undefined && this.steps.length > 0 && (this.prev.currentStepIndex ?? 0) < bg.startingStep;
    if (isFullyPromoted(this.prev) || this.prev.stableRS === '' || this.prev.currentPodHash === '' || beforeStartingStep) return undefined;
    if (this.prev.pauseConditions.some((p) => p.reason === 'InconclusiveAnalysisRun')) return current;
    if (this.needsNewAnalysisRun(current)) return this.createAnalysisRun(bg, '', 'Background', undefined);
    this.applyAnalysisOutcome(current!, 'Background');
    return current;
  }

  private applyAnalysisOutcome(ar: AnalysisRun, kind: 'Step-based' | 'Background'): void {
    if (ar.phase === 'Inconclusive') this.pause.addPauseCondition('InconclusiveAnalysisRun');
    else if (ar.phase === 'Error' || ar.phase === 'Failed') {
      let message = `${kind} analysis phase error/failed`;
      if (ar.message !== '') message += `: ${ar.message}`;
      this.pause.addAbort(message);
    }
  }

  private createAnalysisRun(analysis: RolloutAnalysis, infix: string, type: 'Step' | 'Background', stepIndex: number | undefined): AnalysisRun {
    const podHash = this.newRS!.podTemplateHash;
    const parts = [this.ro.name, podHash, this.ro.revision ?? ''];
    if (infix !== '') parts.push(infix);
    return this.c.options.analysis.createFromRollout({
      baseName: parts.join('-'),
      analysis,
      labels: { rolloutType: type, stepIndex, podTemplateHash: podHash },
      ownerRollout: this.ro.name,
      stableHash: this.stableRS?.podTemplateHash,
      latestHash: podHash,
      rolloutFields: { name: this.ro.name, namespace: this.ro.namespace },
      rollout: this.ro,
      analysisTemplates: this.c.options.analysisTemplates,
      clusterAnalysisTemplates: this.c.options.clusterAnalysisTemplates,
    });
  }

  private emitAnalysisRunStatusChanges(
    prev: RolloutStatus['canary']['currentStepAnalysisRunStatus'],
    ar: AnalysisRun | undefined,
    type: 'Step' | 'Background',
  ): void {
    if (!ar || ar.phase === '') return;
    if (prev === undefined || (prev.name === ar.name && prev.status !== ar.phase)) {
      const msg = `${type} Analysis Run '${ar.name}' Status New: '${ar.phase}' Previous: '${prev ? prev.status : 'NoPreviousStatus'}'`;
      this.c.events.event(this.c.objectName, `AnalysisRun${ar.phase}`, msg, ar.phase === 'Failed' || ar.phase === 'Error' ? 'Warning' : 'Normal');
    }
  }

  // ------------------------------------------------------------------------------------------
  // rollout/canary.go syncRolloutStatusCanary and rollout/sync.go status helpers

  private calculateBaseStatus(): RolloutStatus {
    const s = this.newStatus;
    s.currentPodHash = this.newRS ? this.newRS.podTemplateHash : this.ro.podTemplateHash;
    s.replicas = sum(this.allRSs, (rs) => rs.statusReplicas);
    s.updatedReplicas = this.newRS ? this.newRS.statusReplicas : 0;
    s.readyReplicas = sum(this.allRSs, (rs) => rs.readyReplicas);
    s.conditions = [...this.prev.conditions];
    s.promoteFull = s.currentPodHash !== s.stableRS && this.prev.promoteFull;
    return s;
  }

  private syncRolloutStatusCanary(): void {
    const newStatus = this.calculateBaseStatus();
    newStatus.availableReplicas = sum(this.allRSs, (rs) => rs.availableReplicas);
    const { step, index } = this.currentStep();
    let currentStepIndex = index;
    newStatus.stableRS = this.prev.stableRS;
    newStatus.promoteFull = newStatus.currentPodHash !== newStatus.stableRS && this.prev.promoteFull;
    newStatus.currentStepHash = this.stepHash();
    const stepCount = this.steps.length;

    if (this.podTemplateOrStepsChanged()) {
      this.resetRolloutStatus(newStatus);
      if (this.newRS && stepCount > 0 && this.prev.stableRS === this.newRS.podTemplateHash) {
        this.event('SkipSteps', 'Rollback to stable ReplicaSets');
        newStatus.currentStepIndex = stepCount;
      } else if (this.newRS && stepCount > 0 && this.isRollbackWithinWindow() && this.newRS.specReplicas > 0) {
        this.event('SkipSteps', 'Rollback to active ReplicaSets within RollbackWindow');
        newStatus.currentStepIndex = stepCount;
      }
      this.calculateRolloutConditions(newStatus);
      this.persistRolloutStatus(newStatus);
      return;
    }

    if (this.prev.promoteFull || this.isRollbackWithinWindow()) {
      this.pause.clearPauseConditions();
      this.pause.removeAbort();
      if (stepCount > 0) currentStepIndex = stepCount;
    }

    const reason = this.shouldFullPromote(currentStepIndex);
    if (reason !== '') {
      this.promoteStable(newStatus, reason);
      this.calculateRolloutConditions(newStatus);
      this.persistRolloutStatus(newStatus);
      return;
    }

    if (this.pause.isAborted()) {
      if (stepCount > 0) newStatus.currentStepIndex = newStatus.stableRS === newStatus.currentPodHash ? stepCount : 0;
      this.calculateRolloutConditions(newStatus);
      this.persistRolloutStatus(newStatus);
      return;
    }

    if (step && currentStepIndex !== undefined && this.completedCurrentCanaryStep(step)) {
      currentStepIndex++;
      newStatus.canary.currentStepAnalysisRunStatus = undefined;
      this.event('RolloutStepCompleted', `Rollout step ${currentStepIndex}/${stepCount} completed (${canaryStepString(step)})`);
      this.pause.removePauseCondition('CanaryPauseStep');
    }
    newStatus.currentStepIndex = currentStepIndex;
    this.calculateRolloutConditions(newStatus);
    this.persistRolloutStatus(newStatus);
  }

  // rollout/sync.go resetRolloutStatus
  private resetRolloutStatus(newStatus: RolloutStatus): void {
    this.pause.clearPauseConditions();
    this.pause.removeAbort();
    newStatus.promoteFull = false;
    newStatus.canary.currentStepAnalysisRunStatus = undefined;
    newStatus.canary.currentBackgroundAnalysisRunStatus = undefined;
    newStatus.currentStepIndex = this.steps.length > 0 ? 0 : undefined;
    newStatus.restartedAt = this.ro.restartAt; // SetRestartedAt
  }

  // rollout/sync.go shouldFullPromote (canary branch)
  private shouldFullPromote(currentStepIndex: number | undefined): string {
    if (!this.stableRS) return 'Initial deploy';
    if (this.pause.isAborted()) return '';
    if (!this.newRS || (this.newRS.availableReplicas < this.replicas && !replicaProgressThresholdMet(this.ro.canary.replicaProgressThreshold, this.newRS, this.replicas))) {
      return '';
    }
    if (this.prev.promoteFull) return 'Full promotion requested';
    if (this.isRollbackWithinWindow()) return 'Rollback within window';
    const stepCount = this.steps.length;
    if (stepCount === 0 || currentStepIndex === stepCount) return `Completed all ${stepCount} canary steps`;
    return '';
  }

  // rollout/sync.go promoteStable
  private promoteStable(newStatus: RolloutStatus, reason: string): void {
    this.pause.clearPauseConditions();
    this.pause.removeAbort();
    newStatus.promoteFull = false;
    newStatus.currentStepIndex = this.steps.length > 0 ? this.steps.length : undefined;
    if (newStatus.stableRS !== newStatus.currentPodHash) {
      newStatus.stableRS = newStatus.currentPodHash;
      this.event('RolloutCompleted', `Rollout completed update to revision ${this.ro.revision ?? ''} (${newStatus.currentPodHash}): ${reason}`);
    }
  }

  // rollout/canary.go completedCurrentCanaryStep
  private completedCurrentCanaryStep(step: CanaryStep): boolean {
    if (this.ro.paused) return false;
    switch (step.kind) {
      case 'pause': {
        const cond = this.prev.pauseConditions.find((p) => p.reason === 'CanaryPauseStep');
        if (this.prev.controllerPause && !cond) return true;
        if (step.pause.duration !== undefined && cond) {
          return this.now > cond.startTime + pauseDurationSeconds(step.pause.duration) * 1000;
        }
        return false;
      }
      case 'setWeight':
      case 'setCanaryScale':
        return atDesiredReplicaCountsForCanary(this.replicaInput(this.newStatus.canary.weights));
      case 'setHeaderRoute':
      case 'setMirrorRoute':
        return true;
      case 'analysis': {
        const ar = this.currentStepAR;
        return ar !== undefined && isCompleted(ar.phase) && ar.phase === 'Successful';
      }
      case 'experiment':
        return this.experiments?.current?.status.phase === 'Successful';
    }
  }

  // rollout/experiment.go reconcileExperiments (sim/rollouts/experimentStep.ts)
  private reconcileExperiments(): void {
    this.experiments?.reconcile({
      rollout: this.ro,
      prev: this.prev,
      newStatus: this.newStatus,
      pause: this.pause,
      stableRS: this.stableRS,
      newRS: this.newRS,
      event: (reason, message) => this.event(reason, message),
    });
  }

  // rollout/sync.go calculateRolloutConditions
  private calculateRolloutConditions(newStatus: RolloutStatus): void {
    const isPaused = this.prev.pauseConditions.length > 0 || this.ro.paused;
    const isAborted = this.pause.isAborted();
    let becameUnhealthy = false;
    const healthyCond = getRolloutCondition(this.prev, 'Healthy');
    if (!isPaused && this.rolloutHealthy(newStatus)) {
      setRolloutCondition(newStatus, newRolloutCondition('Healthy', 'True', 'RolloutHealthy', 'Rollout is healthy', this.now));
    } else if (healthyCond) {
      becameUnhealthy = setRolloutCondition(newStatus, newRolloutCondition('Healthy', 'False', 'RolloutHealthy', 'Rollout is not healthy', this.now));
    }

    if (isAborted) {
      let message = `Rollout aborted update to revision ${this.ro.revision ?? ''}`;
      if (this.pause.abortMessage !== '') message = `${message}: ${this.pause.abortMessage}`;
      if (setRolloutCondition(newStatus, newRolloutCondition('Progressing', 'False', 'RolloutAborted', message, this.now))) {
        this.c.events.warn(this.c.objectName, 'RolloutAborted', message);
      }
    }

    const currentCond = getRolloutCondition(this.prev, 'Progressing');
    // Upstream's isHealthyRollout also requires the condition type not to be Progressing, which
    // can never hold for this condition, so the switch below always runs when not aborted.
    if (!isAborted) {
      if (this.rolloutHealthy(newStatus)) {
        const msg = `ReplicaSet "${this.newRS?.name ?? ''}" has successfully progressed.`;
        setRolloutCondition(newStatus, newRolloutCondition('Progressing', 'True', 'NewReplicaSetAvailable', msg, this.now));
      } else if (this.rolloutProgressing(newStatus) || becameUnhealthy) {
        let msg = this.newRS ? `ReplicaSet "${this.newRS.name}" is progressing.` : `Rollout "${this.ro.name}" is progressing.`;
        let reason = 'ReplicaSetUpdated';
        if (newStatus.stableRS === newStatus.currentPodHash && becameUnhealthy) {
          reason = 'ReplicaSetNotAvailable';
          msg = 'Rollout does not have minimum availability';
        }
        let condition = newRolloutCondition('Progressing', 'True', reason, msg, this.now);
        if (currentCond) {
          if (currentCond.status === 'True') condition = { ...condition, lastTransitionTime: currentCond.lastTransitionTime };
          removeRolloutCondition(newStatus, 'Progressing');
        }
        setRolloutCondition(newStatus, condition);
      } else if (!this.isIndefiniteStep() && !this.isWaitingForReplicaSetScaleDown() && this.rolloutTimedOut(newStatus)) {
        const msg = this.newRS ? `ReplicaSet "${this.newRS.name}" has timed out progressing.` : `Rollout "${this.ro.name}" has timed out progressing.`;
        const changed = setRolloutCondition(newStatus, newRolloutCondition('Progressing', 'False', 'ProgressDeadlineExceeded', msg, this.now));
        if (this.ro.manifest.spec.progressDeadlineAbort && (changed || !this.pause.isAborted())) {
          this.pause.addAbort(msg);
          this.c.events.warn(this.c.objectName, 'RolloutAborted', msg);
        }
      }
    }

    const available = sum(this.allRSs, (rs) => rs.availableReplicas) >= this.replicas;
    setRolloutCondition(
      newStatus,
      available
        ? newRolloutCondition('Available', 'True', 'AvailableReason', 'Rollout has minimum availability', this.now)
        : newRolloutCondition('Available', 'False', 'AvailableReason', 'Rollout does not have minimum availability', this.now),
    );

    if (newStatus.stableRS !== '' && newStatus.stableRS === newStatus.currentPodHash) {
      setRolloutCondition(newStatus, newRolloutCondition('Completed', 'True', 'RolloutCompleted', 'RolloutCompleted', this.now));
    } else if (setRolloutCondition(newStatus, newRolloutCondition('Completed', 'False', 'RolloutCompleted', 'RolloutCompleted', this.now))) {
      this.event('RolloutNotCompleted', `Rollout not completed, started update to revision ${this.ro.revision ?? ''} (${newStatus.currentPodHash})`);
    }
  }

  /** `conditions.RolloutHealthy` (canary). */
  private rolloutHealthy(newStatus: RolloutStatus): boolean {
    const stepCount = this.steps.length;
    const executedAllSteps = stepCount === 0 || newStatus.currentStepIndex === undefined || newStatus.currentStepIndex === stepCount;
    const currentIsStable = newStatus.stableRS !== '' && newStatus.stableRS === newStatus.currentPodHash;
    return (
      newStatus.updatedReplicas === this.replicas &&
      newStatus.availableReplicas === this.replicas &&
      this.prev.observedGeneration === String(this.ro.generation) &&
      executedAllSteps &&
      currentIsStable &&
      newStatus.replicas === this.replicas
    );
  }

  /** `conditions.RolloutProgressing` (canary). */
  private rolloutProgressing(newStatus: RolloutStatus): boolean {
    const old = this.prev;
    const stepChanged =
      newStatus.currentStepIndex !== undefined && old.currentStepIndex !== undefined && newStatus.currentStepIndex !== old.currentStepIndex;
    const strategyProgress = newStatus.stableRS !== old.stableRS || stepChanged || newStatus.currentStepHash !== old.currentStepHash;
    return (
      newStatus.updatedReplicas !== old.updatedReplicas ||
      newStatus.replicas - newStatus.updatedReplicas < old.replicas - old.updatedReplicas ||
      newStatus.readyReplicas > old.readyReplicas ||
      newStatus.availableReplicas > old.availableReplicas ||
      strategyProgress
    );
  }

  /** rollout/sync.go isWaitingForReplicaSetScaleDown: an "other" ReplicaSet carries a scale-down deadline. */
  private isWaitingForReplicaSetScaleDown(): boolean {
    return this.otherRSs.some((rs) => rs.annotations.has(SCALE_DOWN_DEADLINE));
  }

  /** `conditions.RolloutTimedOut`: strict "deadline is before now". */
  private rolloutTimedOut(newStatus: RolloutStatus): boolean {
    const cond = getRolloutCondition(newStatus, 'Progressing');
    if (!cond || cond.reason === 'RolloutAborted' || cond.reason === 'RolloutPaused') return false;
    if (cond.reason === 'ProgressDeadlineExceeded') return true;
    const pds = getProgressDeadlineSecondsOrDefault(this.ro.manifest.spec.progressDeadlineSeconds);
    return cond.lastUpdateTime + pds * 1000 < this.now;
  }

  /** `isIndefiniteStep`: pause, analysis or experiment steps and a True Paused condition suspend the deadline. */
  private isIndefiniteStep(): boolean {
    const { step } = this.currentStep();
    if (step && (step.kind === 'analysis' || step.kind === 'pause' || step.kind === 'experiment')) return true;
    return getRolloutCondition(this.prev, 'Paused')?.status === 'True';
  }

  // rollout/sync.go persistRolloutStatus
  private persistRolloutStatus(newStatus: RolloutStatus): void {
    this.pause.calculatePauseStatus(newStatus, this.now);
    newStatus.observedGeneration = String(this.ro.generation);
    Object.assign(newStatus, this.phaseOf(newStatus));
    const prevPaused = this.prev.pauseConditions.length > 0;
    if (!this.c.patchStatus(this.prev, newStatus)) {
      this.requeueStuckRollout(newStatus);
      return;
    }
    // sendStateChangeEvents
    const currPaused = newStatus.pauseConditions.length > 0;
    if (prevPaused !== currPaused) {
      if (currPaused) this.event('RolloutPaused', `Rollout is paused (${newStatus.pauseConditions[0]!.reason})`);
      else if (newStatus.abortedAt === undefined) this.event('RolloutResumed', 'Rollout is resumed');
    }
  }

  private phaseOf(status: RolloutStatus): { phase: RolloutStatus['phase']; message: string } {
    return calculateRolloutPhase({ replicas: this.replicas, paused: this.ro.paused, basicCanary: !this.ro.trafficRouted, restartAt: this.ro.restartAt }, status);
  }

  // rollout/sync.go requeueStuckRollout: only when a reconcile changed nothing.
  private requeueStuckRollout(newStatus: RolloutStatus): void {
    const cond = getRolloutCondition(this.prev, 'Progressing');
    if (!cond) return;
    const isPaused = this.prev.pauseConditions.length > 0 || this.ro.paused;
    if (this.rolloutHealthy(newStatus) || cond.reason === 'ProgressDeadlineExceeded' || isPaused || this.prev.abort || this.isIndefiniteStep()) {
      return;
    }
    const pds = getProgressDeadlineSecondsOrDefault(this.ro.manifest.spec.progressDeadlineSeconds);
    const after = cond.lastUpdateTime + pds * 1000 - this.now;
    if (after < 1000) this.c.enqueue();
    else this.c.enqueueAfter(after + 1000);
  }
}

/** Branches of reconcileTrafficRouting that call `RemoveManagedRoutes` (before the stable-availability check). */
const REMOVES_MANAGED_ROUTES: ReadonlySet<TrafficWeightBranch> = new Set(['fullyPromoted', 'aborted', 'newRSUnavailable', 'promoteFull']);

function weightNumbers(w: TrafficWeights | undefined): CurrentWeights | undefined {
  return w ? { canary: w.canary.weight, stable: w.stable.weight } : undefined;
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  let s = 0;
  for (const i of items) s += f(i);
  return s;
}

/** `replicasetutil.MaxRevision`. */
function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) max = Math.max(max, rs.revision);
  return max;
}

