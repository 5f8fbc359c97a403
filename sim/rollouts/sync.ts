// What one reconcile shares between the canary and the blue-green strategy: argo-rollouts v1.9.1
// rollout/context.go `rolloutContext` and the methods on it in rollout/sync.go, replicaset.go and
// pause.go that both rolloutCanary and rolloutBlueGreen call. Upstream keeps them on one struct
// with `if canary … else blueGreen` branches; here the shared body lives once and the strategies
// (sim/rollouts/canary.ts, sim/rollouts/blueGreen.ts) supply the branches through the abstract
// members below. Upstream function names are kept so the TypeScript can be read beside the Go.
import type { AnalysisRun } from '../analysis/analysisRun.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import { POD_TEMPLATE_HASH_LABEL } from '../cluster/replicaSet.js';
import type { RolloutController } from './controller.js';
import { DefaultRolloutResyncPeriodSeconds, getProgressDeadlineSecondsOrDefault } from './defaults.js';
import { PauseContext } from './pause.js';
import { reconcilePodRestarts } from './restart.js';
import { isRollbackWithinWindow } from './rollbackWindow.js';
import type { SimRollout } from './rollout.js';
import { blueGreenOf } from './blueGreenStatus.js';
import {
  cloneStatus,
  getRolloutCondition,
  metaNow,
  newRolloutCondition,
  removeRolloutCondition,
  setRolloutCondition,
  type RolloutAnalysisRunStatus,
  type RolloutStatus,
} from './status.js';

export const REVISION = 'rollout.argoproj.io/revision';
export const DESIRED_REPLICAS = 'rollout.argoproj.io/desired-replicas';
export const SCALE_DOWN_DEADLINE = 'scale-down-deadline';

export abstract class RolloutContext {
  protected readonly ro: SimRollout;
  /** `c.rollout.Status`: the status this reconcile read (it is not refreshed by its own patches). */
  protected prev: RolloutStatus;
  protected pause: PauseContext;
  protected allRSs: ReplicaSet[] = [];
  protected newRS: ReplicaSet | undefined;
  protected stableRS: ReplicaSet | undefined;
  protected otherRSs: ReplicaSet[] = [];

  constructor(
    protected readonly c: RolloutController,
    protected readonly now: number,
    /** `c.newStatus`: the status being built. */
    protected newStatus: RolloutStatus,
  ) {
    this.ro = c.rollout;
    // Stored statuses are never modified in place (every write replaces the object), so the
    // reconcile can read the stored one directly.
    this.prev = this.ro.status;
    this.pause = new PauseContext(this.prev);
  }

  // ------------------------------------------------------------------------------------------
  // The strategy branches of the shared functions.

  /** `rolloututil.CalculateRolloutPhase` for this strategy. */
  protected abstract phaseOf(status: RolloutStatus): { phase: RolloutStatus['phase']; message: string };
  /** `conditions.RolloutHealthy` for this strategy. */
  protected abstract rolloutHealthy(newStatus: RolloutStatus): boolean;
  /** `conditions.RolloutProgressing` for this strategy. */
  protected abstract rolloutProgressing(newStatus: RolloutStatus): boolean;
  /** The Available condition of calculateRolloutConditions (sum of available vs the active RS saturated). */
  protected abstract rolloutAvailable(newStatus: RolloutStatus): boolean;
  /** sync.go isIndefiniteStep for this strategy. */
  protected abstract isIndefiniteStep(): boolean;
  /** replicaset.go shouldDelayScaleDownOnAbort for this strategy. */
  protected abstract shouldDelayScaleDownOnAbort(): boolean;
  /** `defaults.GetScaleDownDelaySecondsOrDefault` for this strategy. */
  protected abstract scaleDownDelaySeconds(): number;
  /** replicaset.go `GetScaleDownRevisionLimit` for this strategy. */
  protected abstract scaleDownRevisionLimit(): number;
  /** `replicasetutil.MaxUnavailable` for this strategy: how many pods a restart may evict at once. */
  protected abstract restartMaxUnavailable(): number;
  /** The Services isReplicaSetReferenced looks up (canary/stable, or active/preview). */
  protected abstract referencingServiceNames(): readonly (string | undefined)[];
  /** promoteStable's strategy part (the step index, or the blue-green preview checkpoint). */
  protected abstract promoteStrategyStatus(newStatus: RolloutStatus): void;
  /** resetRolloutStatus's strategy part (analysis-run statuses, step index, restartedAt). */
  protected abstract resetStrategyStatus(newStatus: RolloutStatus): void;

  /**
   * An RS's spec.replicas as this reconcile reads it. The blue-green port reads the snapshot taken
   * at the start of the reconcile (the Go informer copy); the canary port reads the live object.
   */
  protected readSpecReplicas(rs: ReplicaSet): number {
    return rs.specReplicas;
  }

  /** An RS's scale-down deadline as this reconcile reads it (see readSpecReplicas). */
  protected readScaleDownDeadline(rs: ReplicaSet): string | undefined {
    return rs.annotations.get(SCALE_DOWN_DEADLINE);
  }

  /** getReplicaSetsForRollouts: the ReplicaSets this reconcile reads. */
  protected abstract listReplicaSets(): ReplicaSet[];
  /** `analysisutil.FilterCurrentRolloutAnalysisRuns` (and, for the canary, its experiments). */
  protected abstract findCurrentRuns(): void;
  /** The rest of newRolloutContext: the abort of a fully promoted rollout, newStatus's starting values. */
  protected abstract startNewStatus(): void;
  /** rollout/sync.go syncReplicasOnly for this strategy. */
  protected abstract syncReplicasOnly(): void;
  /** rollout/canary.go rolloutCanary or rollout/bluegreen.go rolloutBlueGreen. */
  protected abstract rolloutStrategy(): void;

  // ------------------------------------------------------------------------------------------
  // rollout/controller.go newRolloutContext + rollout/context.go reconcile

  run(): void {
    this.allRSs = this.listReplicaSets();
    const hash = this.ro.podTemplateHash;
    this.newRS = this.allRSs.find((rs) => rs.podTemplateHash === hash);
    this.stableRS = this.findStableRS();
    this.otherRSs = this.allRSs.filter((rs) => rs !== this.newRS && rs !== this.stableRS);
    this.findCurrentRuns();

    if (!this.newRS) {
      this.createDesiredReplicaSet(hash);
      this.stableRS = this.findStableRS();
      this.otherRSs = this.allRSs.filter((rs) => rs !== this.newRS && rs !== this.stableRS);
    }
    this.startNewStatus();

    this.checkPausedConditions();
    if (this.isScalingEvent()) {
      this.syncReplicasOnly();
      return;
    }
    this.rolloutStrategy();
  }

  protected event(reason: string, message: string): void {
    this.c.events.event(this.c.objectName, reason, message);
  }

  protected findStableRS(): ReplicaSet | undefined {
    if (this.prev.stableRS === '') return undefined;
    return this.allRSs.find((rs) => rs.podTemplateHash === this.prev.stableRS);
  }

  // ------------------------------------------------------------------------------------------
  // rollout/sync.go: revisions, the new ReplicaSet, pause conditions, scaling events

  // rollout/sync.go createDesiredReplicaSet
  protected createDesiredReplicaSet(hash: string): void {
    const newRevision = String(maxRevision(this.allRSs) + 1);
    const rs = this.c.options.cluster.createReplicaSet(`${this.ro.name}-${hash}`, hash, this.ro.template, this.ro.minReadySeconds);
    rs.annotations.set(REVISION, newRevision);
    rs.annotations.set(DESIRED_REPLICAS, String(this.ro.replicas));
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
  protected setRolloutRevision(revision: string): void {
    if (this.ro.revision === revision) return;
    this.ro.revision = revision;
    this.event('RolloutUpdated', `Rollout updated to revision ${revision}`);
    this.c.enqueue();
  }

  // rollout/sync.go syncReplicaSetRevision
  protected syncReplicaSetRevision(): void {
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
  protected checkPausedConditions(): void {
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
    const pausedCondTrue = getRolloutCondition(this.prev, 'Paused')?.status === 'True';
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
  protected isScalingEvent(): boolean {
    this.syncReplicaSetRevision();
    for (const rs of [this.newRS, this.stableRS]) {
      if (!rs || rs.specReplicas === 0) continue; // controller.FilterActiveReplicaSets
      const desired = rs.annotations.get(DESIRED_REPLICAS);
      if (desired === undefined) continue;
      if (Number(desired) !== this.ro.replicas) return true;
    }
    return false;
  }

  // rollout/restart.go RolloutPodRestarter.Reconcile (sim/rollouts/restart.ts): how many pods it evicted.
  protected reconcilePodRestarts(): number {
    const outcome = reconcilePodRestarts(
      {
        nowMs: this.now,
        restartAt: this.ro.restartAt,
        restartedAt: this.prev.restartedAt,
        replicas: this.ro.replicas,
        maxUnavailable: this.restartMaxUnavailable(),
        allRSs: this.allRSs,
      },
      this.c.options.cluster,
      (ms) => this.c.enqueueAfter(ms),
    );
    if (outcome.done) this.newStatus.restartedAt = this.ro.restartAt; // SetRestartedAt
    return outcome.restarted;
  }

  // rollout/sync.go isRollbackWithinWindow (sim/rollouts/rollbackWindow.ts)
  protected isRollbackWithinWindow(): boolean {
    return isRollbackWithinWindow(this.newRS, this.stableRS, this.allRSs, this.ro.rollbackWindowRevisions);
  }

  // ------------------------------------------------------------------------------------------
  // rollout/replicaset.go and rollout/sync.go: scaling ReplicaSets

  // rollout/sync.go scaleReplicaSetAndRecordEvent / scaleReplicaSet
  protected scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number): boolean {
    const desired = String(this.ro.replicas);
    const annotationsNeedUpdate = rs.annotations.get(DESIRED_REPLICAS) !== desired;
    const old = this.readSpecReplicas(rs);
    const sizeNeedsUpdate = old !== newScale;
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) return false;
    rs.annotations.set(DESIRED_REPLICAS, desired);
    // A full scale-down drops the deadline annotation, except while an aborted new RS waits.
    // A full scale-down drops the deadline (rollout/sync.go scaleReplicaSet: `fullScaleDown && !c.shouldDelayScaleDownOnAbort()`),
    // so a scaled-down old RS no longer holds isWaitingForReplicaSetScaleDown true.
    if (newScale === 0 && !this.shouldDelayScaleDownOnAbort()) rs.annotations.delete(SCALE_DOWN_DEADLINE);
    this.c.options.cluster.scale(rs, newScale);
    if (!sizeNeedsUpdate) return false;
    this.event('ScalingReplicaSet', `Scaled ${old < newScale ? 'up' : 'down'} ReplicaSet ${rs.name} (revision ${rs.revision}) from ${old} to ${newScale}`);
    return true;
  }

  /**
   * rollout/replicaset.go addScaleDownDelay: the deadline is written as RFC3339 (whole seconds).
   * The RS patch is an informer event that enqueues the rollout. A zero delay removes the
   * annotation instead.
   */
  /** Writing the deadline patches the RS, an informer event that requeues the rollout. */
  protected addScaleDownDelay(rs: ReplicaSet, delaySeconds: number): void {
    if (delaySeconds === 0) {
      rs.annotations.delete(SCALE_DOWN_DEADLINE);
      return;
    }
    rs.annotations.set(SCALE_DOWN_DEADLINE, String(metaNow(this.now) + delaySeconds * 1000));
    this.c.enqueue();
  }

  /**
   * rollout/replicaset.go scaleDownDelayHelper. Within scaleDownDelayRevisionLimit (newest revision
   * first) an old RS without a deadline gets one and keeps its pods; one with a deadline keeps
   * `keepReplicas` until it passes (blue-green passes spec.replicas, restoring an RS that shrank;
   * the canary passes the RS's own spec.replicas, §10.12); past it or beyond the limit: 0.
   *
   * `scaleDownDelaySeconds: 0` (issue #1992): addScaleDownDelay writes no deadline, the RS keeps
   * its pods and upstream re-enqueues the rollout with zero delay — on every reconcile, for ever.
   * The old RS is therefore never scaled down; rehearse keeps that outcome but does not replay the
   * busy loop of immediate requeues (they change nothing).
   */
  protected scaleDownDelayHelper(rs: ReplicaSet, annotated: number, keepReplicas: number): { annotated: number; desired: number } {
    const limit = this.scaleDownRevisionLimit();
    const spec = this.readSpecReplicas(rs);
    const deadline = this.readScaleDownDeadline(rs);
    if (deadline === undefined) {
      if (spec <= 0 || annotated >= limit) return { annotated, desired: 0 };
      const delaySeconds = this.scaleDownDelaySeconds();
      this.addScaleDownDelay(rs, delaySeconds);
      if (delaySeconds > 0) this.c.enqueueAfter(delaySeconds * 1000);
      return { annotated: annotated + 1, desired: spec };
    }
    if (annotated + 1 > limit) return { annotated: annotated + 1, desired: 0 };
    const remaining = Number(deadline) - this.now;
    if (remaining > 0) {
      if (remaining < DefaultRolloutResyncPeriodSeconds * 1000) this.c.enqueueAfter(remaining);
      return { annotated: annotated + 1, desired: keepReplicas };
    }
    return { annotated: annotated + 1, desired: 0 };
  }

  /**
   * rollout/replicaset.go isReplicaSetReferenced: the hashes recorded in status (stable, current,
   * blue-green selectors, canary weights), then the selectors of the strategy's Services.
   */
  protected isReplicaSetReferenced(rs: ReplicaSet): boolean {
    const hash = rs.podTemplateHash;
    if (hash === '') return false;
    const s = this.prev;
    const bg = blueGreenOf(s);
    const refs = [s.stableRS, s.currentPodHash, bg.activeSelector, bg.previewSelector];
    if (s.canary.weights) refs.push(s.canary.weights.canary.podTemplateHash, s.canary.weights.stable.podTemplateHash);
    if (refs.includes(hash)) return true;
    for (const name of this.referencingServiceNames()) {
      if (!name) continue;
      const svc = this.c.options.cluster.services.get(name);
      if (svc && svc.selector[POD_TEMPLATE_HASH_LABEL] === hash) return true;
    }
    return false;
  }

  /** sync.go isWaitingForReplicaSetScaleDown: an "other" ReplicaSet carries a scale-down deadline. */
  protected isWaitingForReplicaSetScaleDown(): boolean {
    return this.otherRSs.some((rs) => rs.annotations.has(SCALE_DOWN_DEADLINE));
  }

  // rollout/pause.go checkEnqueueRolloutDuringWait
  protected checkEnqueueRolloutDuringWait(startTime: number, durationSeconds: number): void {
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

  // ------------------------------------------------------------------------------------------
  // rollout/analysis.go helpers both strategies call

  /**
   * analysis.go reconcileAnalysisRuns, its first test: aborted, full promotion requested, going back
   * to a ReplicaSet still inside its scaleDownDelay (rollbackToScaleDownDelay), the initial deploy,
   * or a rollback within rollbackWindow: every run is terminated and none is started.
   */
  protected skipsAnalysis(): boolean {
    const rollbackToScaleDownDelay = this.newRS !== undefined && this.readScaleDownDeadline(this.newRS) !== undefined;
    const initialDeploy = this.prev.stableRS === '';
    return this.pause.isAborted() || this.prev.promoteFull || rollbackToScaleDownDelay || initialDeploy || this.isRollbackWithinWindow();
  }

  /** analysis.go needsNewAnalysisRun. */
  protected needsNewAnalysisRun(current: AnalysisRun | undefined): boolean {
    if (!current) return true;
    const hasPauseStep = this.prev.pauseConditions.some((p) => p.reason === 'CanaryPauseStep' || p.reason === 'BlueGreenPause');
    if (this.prev.controllerPause && !hasPauseStep) return current.phase === 'Inconclusive';
    return this.prev.abortedAt !== undefined;
  }

  /** analysis.go emitAnalysisRunStatusChanges: a new run, or a known run whose phase changed. */
  protected emitAnalysisRunStatusChanges(prev: RolloutAnalysisRunStatus | undefined, ar: AnalysisRun | undefined, type: string): void {
    if (!ar || ar.phase === '') return;
    if (prev === undefined || (prev.name === ar.name && prev.status !== ar.phase)) {
      const msg = `${type} Analysis Run '${ar.name}' Status New: '${ar.phase}' Previous: '${prev ? prev.status : 'NoPreviousStatus'}'`;
      this.c.events.event(this.c.objectName, `AnalysisRun${ar.phase}`, msg, ar.phase === 'Failed' || ar.phase === 'Error' ? 'Warning' : 'Normal');
    }
  }

  // ------------------------------------------------------------------------------------------
  // rollout/sync.go status helpers

  // rollout/sync.go calculateBaseStatus
  protected calculateBaseStatus(): RolloutStatus {
    const s = this.newStatus;
    s.currentPodHash = this.newRS ? this.newRS.podTemplateHash : this.ro.podTemplateHash;
    s.replicas = sum(this.allRSs, (rs) => rs.statusReplicas);
    s.updatedReplicas = this.newRS ? this.newRS.statusReplicas : 0;
    s.readyReplicas = sum(this.allRSs, (rs) => rs.readyReplicas);
    s.conditions = [...this.prev.conditions];
    // newStatus.StableRS is still empty here, as in the Go.
    s.promoteFull = s.currentPodHash !== s.stableRS && this.prev.promoteFull;
    return s;
  }

  // rollout/sync.go resetRolloutStatus
  protected resetRolloutStatus(newStatus: RolloutStatus): void {
    this.pause.clearPauseConditions();
    this.pause.removeAbort();
    newStatus.promoteFull = false;
    this.resetStrategyStatus(newStatus);
  }

  // rollout/sync.go promoteStable
  protected promoteStable(newStatus: RolloutStatus, reason: string): void {
    this.pause.clearPauseConditions();
    this.pause.removeAbort();
    newStatus.promoteFull = false;
    this.promoteStrategyStatus(newStatus);
    if (newStatus.stableRS !== newStatus.currentPodHash) {
      newStatus.stableRS = newStatus.currentPodHash;
      this.event('RolloutCompleted', `Rollout completed update to revision ${this.ro.revision ?? ''} (${newStatus.currentPodHash}): ${reason}`);
    }
  }

  // rollout/sync.go calculateRolloutConditions
  protected calculateRolloutConditions(newStatus: RolloutStatus): void {
    const isPaused = this.prev.pauseConditions.length > 0 || this.ro.paused;
    const isAborted = this.pause.isAborted();
    // RolloutHealthy reads replica counts, hashes and the step index, none of which change below.
    const healthy = this.rolloutHealthy(newStatus);
    let becameUnhealthy = false;
    const healthyCond = getRolloutCondition(this.prev, 'Healthy');
    if (!isPaused && healthy) {
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
      if (healthy) {
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

    setRolloutCondition(
      newStatus,
      this.rolloutAvailable(newStatus)
        ? newRolloutCondition('Available', 'True', 'AvailableReason', 'Rollout has minimum availability', this.now)
        : newRolloutCondition('Available', 'False', 'AvailableReason', 'Rollout does not have minimum availability', this.now),
    );

    if (newStatus.stableRS !== '' && newStatus.stableRS === newStatus.currentPodHash) {
      setRolloutCondition(newStatus, newRolloutCondition('Completed', 'True', 'RolloutCompleted', 'RolloutCompleted', this.now));
    } else if (setRolloutCondition(newStatus, newRolloutCondition('Completed', 'False', 'RolloutCompleted', 'RolloutCompleted', this.now))) {
      this.event('RolloutNotCompleted', `Rollout not completed, started update to revision ${this.ro.revision ?? ''} (${newStatus.currentPodHash})`);
    }
  }

  /** `conditions.RolloutTimedOut`: strict "deadline is before now". */
  protected rolloutTimedOut(newStatus: RolloutStatus): boolean {
    const cond = getRolloutCondition(newStatus, 'Progressing');
    if (!cond || cond.reason === 'RolloutAborted' || cond.reason === 'RolloutPaused') return false;
    if (cond.reason === 'ProgressDeadlineExceeded') return true;
    const pds = getProgressDeadlineSecondsOrDefault(this.ro.manifest.spec.progressDeadlineSeconds);
    return cond.lastUpdateTime + pds * 1000 < this.now;
  }

  // rollout/sync.go persistRolloutStatus + sendStateChangeEvents
  protected persistRolloutStatus(newStatus: RolloutStatus): void {
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

  // rollout/sync.go requeueStuckRollout: only when a reconcile changed nothing.
  protected requeueStuckRollout(newStatus: RolloutStatus): void {
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

export function sum<T>(items: readonly T[], f: (t: T) => number): number {
  let s = 0;
  for (const i of items) s += f(i);
  return s;
}

/** `replicasetutil.MaxRevision`. */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) max = Math.max(max, rs.revision);
  return max;
}
