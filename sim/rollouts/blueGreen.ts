// One reconcile of a blue-green Rollout: argo-rollouts v1.9.1 rollout/controller.go
// newRolloutContext, rollout/context.go reconcile, rollout/bluegreen.go rolloutBlueGreen and the
// pieces of rollout/sync.go, replicaset.go, service.go, pause.go and analysis.go it calls, in
// their order — order is behaviour (semantics digest §3). Upstream function names are kept so the
// TypeScript can be read beside the Go.
//
// Like the Go, a reconcile reads the ReplicaSets once at its start and does not see its own
// writes: a scale or a removed scale-down-deadline annotation is visible to the next reconcile
// only. `ReadView` is that snapshot (spec.replicas, the desired-replicas and scale-down-deadline
// annotations); pod counts are status and lag anyway.
import type { AnalysisRun } from '../analysis/analysisRun.js';
import type { RolloutAnalysisType } from '../analysis/types.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import { POD_TEMPLATE_HASH_LABEL } from '../cluster/replicaSet.js';
import type { SimService } from '../cluster/service.js';
import type { BlueGreenStrategy, RolloutAnalysis } from '../manifests/types.js';
import type { RolloutController } from './controller.js';
import {
  DefaultRolloutResyncPeriodSeconds,
  getAutoPromotionEnabledOrDefault,
  getBlueGreenAbortScaleDownDelaySecondsOrDefault,
  getBlueGreenScaleDownDelaySecondsOrDefault,
  getProgressDeadlineSecondsOrDefault,
  getScaleDownRevisionLimit,
} from './defaults.js';
import { PauseContext } from './pause.js';
import { blueGreenMaxUnavailable } from './blueGreenRestart.js';
import { reconcilePodRestarts } from './restart.js';
import { reconcileRevisionHistoryLimit } from './revisionHistory.js';
import { isRollbackWithinWindow } from './rollbackWindow.js';
import {
  blueGreenOf,
  blueGreenRolloutHealthy,
  blueGreenRolloutProgressing,
  calculateBlueGreenRolloutPhase,
  type BlueGreenSpecView,
} from './blueGreenStatus.js';
import {
  cloneStatus,
  emptyBlueGreenStatus,
  emptyRolloutStatus,
  getRolloutCondition,
  metaNow,
  newRolloutCondition,
  removeRolloutCondition,
  setRolloutCondition,
  type RolloutAnalysisRunStatus,
  type RolloutStatus,
} from './status.js';

const REVISION = 'rollout.argoproj.io/revision';
const DESIRED_REPLICAS = 'rollout.argoproj.io/desired-replicas';
const SCALE_DOWN_DEADLINE = 'scale-down-deadline';

/** A ReplicaSet as this reconcile read it (the informer copy the Go code keeps using). */
interface ReadView {
  readonly specReplicas: number;
  readonly desiredReplicas: string | undefined;
  readonly scaleDownDeadline: string | undefined;
}

function readView(rs: ReplicaSet): ReadView {
  return {
    specReplicas: rs.specReplicas,
    desiredReplicas: rs.annotations.get(DESIRED_REPLICAS),
    scaleDownDeadline: rs.annotations.get(SCALE_DOWN_DEADLINE),
  };
}

function selectorHash(svc: SimService | undefined): string {
  return svc?.selector[POD_TEMPLATE_HASH_LABEL] ?? '';
}

export class BlueGreenReconcile {
  private readonly ro;
  private readonly bg: BlueGreenStrategy;
  /** `c.rollout.Status`: the status this reconcile read. */
  private prev: RolloutStatus;
  /** `c.newStatus`. */
  private readonly newStatus: RolloutStatus = { ...emptyRolloutStatus(), blueGreen: emptyBlueGreenStatus() };
  private allRSs: ReplicaSet[] = [];
  private newRS: ReplicaSet | undefined;
  private stableRS: ReplicaSet | undefined;
  private otherRSs: ReplicaSet[] = [];
  private readonly read = new Map<ReplicaSet, ReadView>();
  private pause: PauseContext;
  private preAR: AnalysisRun | undefined;
  private postAR: AnalysisRun | undefined;
  private otherARs: AnalysisRun[] = [];

  constructor(
    private readonly c: RolloutController,
    private readonly now: number,
  ) {
    this.ro = c.rollout;
    this.bg = c.rollout.blueGreen!;
    this.prev = this.ro.status;
    this.pause = new PauseContext(this.prev);
  }

  private get replicas(): number {
    return this.ro.replicas;
  }

  private event(reason: string, message: string): void {
    this.c.events.event(this.c.objectName, reason, message);
  }

  private view(rs: ReplicaSet): ReadView {
    let v = this.read.get(rs);
    if (!v) {
      v = readView(rs);
      this.read.set(rs, v);
    }
    return v;
  }

  private get prevBG() {
    return blueGreenOf(this.prev);
  }

  private specView(): BlueGreenSpecView {
    return {
      replicas: this.replicas,
      paused: this.ro.paused,
      hasPreviewService: (this.bg.previewService ?? '') !== '',
      hasPostPromotionAnalysis: this.bg.postPromotionAnalysis !== undefined,
      restartAt: this.ro.restartAt,
    };
  }

  // ------------------------------------------------------------------------------------------
  // rollout/controller.go newRolloutContext + rollout/context.go reconcile

  run(): void {
    const cluster = this.c.options.cluster;
    this.allRSs = [...cluster.replicaSets];
    for (const rs of this.allRSs) this.view(rs);
    const hash = this.ro.podTemplateHash;
    this.newRS = this.allRSs.find((rs) => rs.podTemplateHash === hash);
    this.stableRS = this.findStableRS();
    this.otherRSs = this.allRSs.filter((rs) => rs !== this.newRS && rs !== this.stableRS);
    this.findAnalysisRuns();

    if (!this.newRS) {
      this.createDesiredReplicaSet(hash);
      this.stableRS = this.findStableRS();
      this.otherRSs = this.allRSs.filter((rs) => rs !== this.newRS && rs !== this.stableRS);
    }
    // newRolloutContext: aborting a fully promoted rollout is a no-op (rolloututil.IsFullyPromoted
    // compares the hashes only).
    if (this.prev.stableRS === this.prev.currentPodHash && this.pause.isAborted()) this.pause.removeAbort();
    // newRolloutContext: the new status starts from the stored restartedAt (SetRestartedAt overrides).
    this.newStatus.restartedAt = this.prev.restartedAt;

    this.checkPausedConditions();
    if (this.isScalingEvent()) {
      this.syncReplicasOnly();
      return;
    }
    this.rolloutBlueGreen();
  }

  private findStableRS(): ReplicaSet | undefined {
    if (this.prev.stableRS === '') return undefined;
    return this.allRSs.find((rs) => rs.podTemplateHash === this.prev.stableRS);
  }

  /** `analysisutil.FilterCurrentRolloutAnalysisRuns`: the current runs are the ones named in status. */
  private findAnalysisRuns(): void {
    const all = this.c.options.analysis.runsOwnedBy(this.ro.name);
    const preName = this.prevBG.prePromotionAnalysisRunStatus?.name;
    const postName = this.prevBG.postPromotionAnalysisRunStatus?.name;
    this.preAR = all.find((r) => r.name === preName);
    this.postAR = all.find((r) => r.name === postName);
    this.otherARs = all.filter((r) => r !== this.preAR && r !== this.postAR);
  }

  // rollout/sync.go createDesiredReplicaSet
  private createDesiredReplicaSet(hash: string): void {
    const newRevision = String(maxRevision(this.allRSs) + 1);
    const rs = this.c.options.cluster.createReplicaSet(`${this.ro.name}-${hash}`, hash, this.ro.template, this.ro.minReadySeconds);
    rs.annotations.set(REVISION, newRevision);
    rs.annotations.set(DESIRED_REPLICAS, String(this.replicas));
    this.allRSs.push(rs);
    this.view(rs);
    this.newRS = rs;
    this.setRolloutRevision(newRevision);
    this.event('NewReplicaSetCreated', `Created ReplicaSet ${rs.name} (revision ${newRevision})`);
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
    const pausedCondTrue = getRolloutCondition(this.prev, 'Paused')?.status === 'True';
    if (isPaused !== pausedCondTrue && !abortCondExists) {
      updated.push(newRolloutCondition('Paused', isPaused ? 'True' : 'False', 'RolloutPaused', 'Rollout is paused', this.now));
    }
    if (updated.length === 0) return;
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
      if (!rs || rs.specReplicas === 0) continue;
      const desired = rs.annotations.get(DESIRED_REPLICAS);
      if (desired === undefined) continue;
      if (Number(desired) !== this.replicas) return true;
    }
    return false;
  }

  // rollout/sync.go syncReplicasOnly (blue-green branch)
  private syncReplicasOnly(): void {
    this.syncReplicaSetRevision();
    const newStatus = cloneStatus(this.prev);
    this.reconcileBlueGreenReplicaSets();
    const activeRS = this.replicaSetByHash(this.prevBG.activeSelector);
    newStatus.availableReplicas = activeRS ? activeRS.availableReplicas : sum(this.allRSs, (rs) => rs.availableReplicas);
    this.persistRolloutStatus(newStatus);
  }

  // ------------------------------------------------------------------------------------------
  // rollout/bluegreen.go rolloutBlueGreen

  private rolloutBlueGreen(): void {
    const { previewSvc, activeSvc } = this.getPreviewAndActiveServices();
    this.syncReplicaSetRevision();
    // "This must happen right after the new replicaset is created"
    this.reconcilePreviewService(previewSvc);
    if (this.checkPodSpecChange()) {
      this.syncRolloutStatusBlueGreen(previewSvc, activeSvc);
      return;
    }
    // rollout/bluegreen.go rolloutBlueGreen calls podRestarter.Reconcile and, unlike the canary,
    // carries on whatever it evicted.
    this.reconcilePodRestarts();
    this.reconcileBlueGreenReplicaSets();
    this.reconcileBlueGreenPause(activeSvc);
    this.reconcileActiveService(activeSvc);
    // awsVerifyTargetGroups: no TargetGroupBindings are simulated, so targets count as verified.
    this.reconcileAnalysisRuns();
    this.syncRolloutStatusBlueGreen(previewSvc, activeSvc);
  }

  // rollout/service.go getPreviewAndActiveServices (validation guarantees the active Service exists)
  private getPreviewAndActiveServices(): { previewSvc: SimService | undefined; activeSvc: SimService | undefined } {
    const services = this.c.options.cluster.services;
    const preview = this.bg.previewService ?? '';
    return { previewSvc: preview === '' ? undefined : services.get(preview), activeSvc: services.get(this.bg.activeService) };
  }

  /** `replicasetutil.CheckPodSpecChange`. */
  private checkPodSpecChange(): boolean {
    if (this.prev.currentPodHash === '') return false;
    return this.prev.currentPodHash !== (this.newRS?.podTemplateHash ?? this.ro.podTemplateHash);
  }

  /** context.go `haltProgress`. */
  private haltProgress(): string {
    if (this.ro.paused) return 'user paused';
    if (this.prev.pauseConditions.some((p) => p.reason === 'InconclusiveAnalysisRun')) return 'inconclusive analysis';
    return '';
  }

  private replicaSetByHash(hash: string): ReplicaSet | undefined {
    if (hash === '') return undefined;
    return this.allRSs.find((rs) => rs.podTemplateHash === hash);
  }

  // rollout/service.go reconcilePreviewService: the preview Service follows the new RS at once.
  private reconcilePreviewService(previewSvc: SimService | undefined): void {
    if (!previewSvc || !this.newRS) return;
    if (this.haltProgress() !== '') return;
    this.switchServiceSelector(previewSvc, this.newRS.podTemplateHash);
  }

  // rollout/service.go reconcileActiveService
  private reconcileActiveService(activeSvc: SimService | undefined): void {
    if (!activeSvc || !this.newRS) return;
    if (this.haltProgress() !== '') return;
    if (!this.readyForPause() || !this.isSaturated(this.newRS)) return;
    let newPodHash = selectorHash(activeSvc);
    if (this.isBlueGreenFastTracked(activeSvc)) newPodHash = this.newRS.podTemplateHash;
    if (this.pause.completedBlueGreenPause(this.bg, this.prevBG.scaleUpPreviewCheckPoint, this.now) && this.completedPrePromotionAnalysis()) {
      newPodHash = this.newRS.podTemplateHash;
    }
    if (this.prev.abort) newPodHash = this.prev.stableRS;
    this.switchServiceSelector(activeSvc, newPodHash);
  }

  /**
   * rollout/service.go switchServiceSelector: patches the selector (adding the managed-by
   * annotation on first adoption) unless it already pins this hash on a managed Service.
   */
  private switchServiceSelector(svc: SimService, hash: string): void {
    const old = svc.selector[POD_TEMPLATE_HASH_LABEL];
    if (old === hash && svc.managedByRollouts) return;
    this.c.options.cluster.switchServiceSelector(svc, hash);
    this.event('SwitchService', `Switched selector for service '${svc.name}' from '${old ?? ''}' to '${hash}'`);
  }

  /** bluegreen.go isBlueGreenFastTracked: skip the pause (and analysis) for this update. */
  private isBlueGreenFastTracked(activeSvc: SimService): boolean {
    if (this.newRS && this.view(this.newRS).scaleDownDeadline) return true;
    if (this.prev.promoteFull) return true;
    const active = activeSvc.selector[POD_TEMPLATE_HASH_LABEL];
    if (active === undefined) return true;
    return active === this.newRS?.podTemplateHash;
  }

  /** `replicasetutil.ReadyForPause`: the new RS at its desired size and that many available. */
  private readyForPause(): boolean {
    if (!this.newRS) return false;
    const desired = this.newRSNewReplicas();
    return this.view(this.newRS).specReplicas === desired && this.newRS.availableReplicas === desired;
  }

  /** `annotations.IsSaturated`: spec, desired-replicas annotation and available all equal replicas. */
  private isSaturated(rs: ReplicaSet): boolean {
    const v = this.view(rs);
    if (v.desiredReplicas === undefined || !/^-?\d+$/.test(v.desiredReplicas)) return false;
    return v.specReplicas === this.replicas && Number(v.desiredReplicas) === this.replicas && rs.availableReplicas === this.replicas;
  }

  /** `replicasetutil.NewRSNewReplicas` (blue-green branch), on the status this reconcile read. */
  private newRSNewReplicas(): number {
    const desired = this.replicas;
    const previewCount = this.bg.previewReplicaCount;
    if (previewCount === undefined || !this.newRS) return desired;
    const activeRS = this.replicaSetByHash(this.prevBG.activeSelector);
    if (!activeRS || activeRS === this.newRS) return desired;
    if (this.prev.promoteFull) return desired;
    if (this.newRS.podTemplateHash !== this.prev.currentPodHash) return previewCount;
    const notPaused = !this.ro.paused && this.prev.pauseConditions.length === 0;
    if (notPaused && this.prevBG.scaleUpPreviewCheckPoint) return desired;
    return previewCount;
  }

  // ------------------------------------------------------------------------------------------
  // rollout/bluegreen.go reconcileBlueGreenReplicaSets and rollout/replicaset.go

  private reconcileBlueGreenReplicaSets(): void {
    this.removeScaleDownDeadlines();
    // reconcileBlueGreenStableReplicaSet: the stable (active) RS is held at spec.replicas.
    if (this.stableRS) this.scaleReplicaSetAndRecordEvent(this.stableRS, this.replicas);
    this.reconcileNewReplicaSet();
    this.reconcileOtherReplicaSets();
    // rollout/bluegreen.go reconcileBlueGreenReplicaSets ends with reconcileRevisionHistoryLimit.
    reconcileRevisionHistoryLimit(this.otherRSs, this.ro.manifest.spec.revisionHistoryLimit, this.c.options.cluster);
  }

  // rollout/restart.go RolloutPodRestarter.Reconcile (sim/rollouts/restart.ts), with
  // replicasetutil.MaxUnavailable's blue-green branch (sim/rollouts/blueGreenRestart.ts).
  private reconcilePodRestarts(): void {
    const outcome = reconcilePodRestarts(
      {
        nowMs: this.now,
        restartAt: this.ro.restartAt,
        restartedAt: this.prev.restartedAt,
        replicas: this.replicas,
        maxUnavailable: blueGreenMaxUnavailable(this.replicas, this.bg.maxUnavailable),
        allRSs: this.allRSs,
      },
      this.c.options.cluster,
      (ms) => this.c.enqueueAfter(ms),
    );
    if (outcome.done) this.newStatus.restartedAt = this.ro.restartAt; // SetRestartedAt
  }

  // rollout/sync.go isRollbackWithinWindow (sim/rollouts/rollbackWindow.ts)
  private isRollbackWithinWindow(): boolean {
    return isRollbackWithinWindow(this.newRS, this.stableRS, this.allRSs, this.ro.rollbackWindowRevisions);
  }

  // rollout/replicaset.go removeScaleDownDeadlines (on the live objects; this reconcile keeps its read view)
  private removeScaleDownDeadlines(): void {
    if (this.newRS && !this.shouldDelayScaleDownOnAbort()) this.newRS.annotations.delete(SCALE_DOWN_DEADLINE);
    this.stableRS?.annotations.delete(SCALE_DOWN_DEADLINE);
  }

  /** rollout/replicaset.go shouldDelayScaleDownOnAbort (blue-green: abortScaleDownDelaySeconds 0 ⇒ never). */
  private shouldDelayScaleDownOnAbort(): boolean {
    if (!this.pause.isAborted() || !this.stableRS) return false;
    return getBlueGreenAbortScaleDownDelaySecondsOrDefault(this.bg.abortScaleDownDelaySeconds).delaySeconds !== undefined;
  }

  // rollout/replicaset.go reconcileNewReplicaSet
  private reconcileNewReplicaSet(): void {
    const rs = this.newRS;
    if (!rs) return;
    let count = this.newRSNewReplicas();
    if (this.shouldDelayScaleDownOnAbort()) {
      const delaySeconds = getBlueGreenAbortScaleDownDelaySecondsOrDefault(this.bg.abortScaleDownDelaySeconds).delaySeconds!;
      const deadline = rs.annotations.get(SCALE_DOWN_DEADLINE);
      if (deadline !== undefined) {
        const remaining = Number(deadline) - this.now;
        if (remaining > 0) {
          if (remaining < DefaultRolloutResyncPeriodSeconds * 1000) {
            this.c.enqueueAfter(remaining);
            return;
          }
        } else {
          count = 0;
        }
      } else {
        // Annotate only once the stable RS is fully available again; keep the preview up until then.
        if (this.stableRS!.availableReplicas === this.replicas) this.addScaleDownDelay(rs, delaySeconds);
        return;
      }
    }
    this.scaleReplicaSetAndRecordEvent(rs, count);
  }

  /**
   * rollout/replicaset.go addScaleDownDelay: the deadline is written as RFC3339 (whole seconds).
   * The RS patch is an informer event that enqueues the rollout. A zero delay removes the
   * annotation instead.
   */
  private addScaleDownDelay(rs: ReplicaSet, delaySeconds: number): void {
    if (delaySeconds === 0) {
      rs.annotations.delete(SCALE_DOWN_DEADLINE);
      return;
    }
    rs.annotations.set(SCALE_DOWN_DEADLINE, String(metaNow(this.now) + delaySeconds * 1000));
    this.c.enqueue();
  }

  // rollout/replicaset.go reconcileOtherReplicaSets → bluegreen.go scaleDownOldReplicaSetsForBlueGreen
  private reconcileOtherReplicaSets(): boolean {
    const active = this.otherRSs.filter((rs) => this.view(rs).specReplicas > 0);
    if (active.length === 0) return false;
    if (this.prev.pauseConditions.some((p) => p.reason === 'InconclusiveAnalysisRun')) return false;
    // With post-promotion analysis and no explicit scaleDownDelaySeconds, old RSs wait for that analysis.
    if (this.bg.postPromotionAnalysis && this.bg.scaleDownDelaySeconds === undefined && !this.skipPostPromotionAnalysisRun(this.postAR)) {
      if (!this.postAR || this.postAR.phase !== 'Successful') return false;
    }
    let scaled = false;
    let annotated = 0;
    for (const rs of [...active].sort((a, b) => b.revision - a.revision)) {
      if (this.isReplicaSetReferenced(rs)) continue;
      if (this.view(rs).specReplicas === 0) continue;
      const r = this.scaleDownDelayHelper(rs, annotated);
      annotated = r.annotated;
      if (this.view(rs).specReplicas === r.desired) continue;
      this.scaleReplicaSetAndRecordEvent(rs, r.desired);
      scaled = true;
    }
    return scaled;
  }

  /**
   * rollout/replicaset.go scaleDownDelayHelper: an old RS without a deadline gets one and keeps
   * its replicas; within its deadline it is held at spec.replicas (restored if it shrank); past it,
   * or beyond scaleDownDelayRevisionLimit (newest revisions counted first), it goes to 0.
   */
  private scaleDownDelayHelper(rs: ReplicaSet, annotated: number): { annotated: number; desired: number } {
    const limit = getScaleDownRevisionLimit(this.bg.scaleDownDelayRevisionLimit);
    const spec = this.view(rs).specReplicas;
    const deadline = this.view(rs).scaleDownDeadline;
    if (deadline === undefined && spec > 0) {
      if (annotated < limit) {
        const delaySeconds = getBlueGreenScaleDownDelaySecondsOrDefault(this.bg.scaleDownDelaySeconds);
        this.addScaleDownDelay(rs, delaySeconds);
        // Upstream then requeues after the delay. With scaleDownDelaySeconds: 0 that is a requeue
        // with no delay that finds the same state again (the old RS is never scaled down, issue
        // #1992); rehearse keeps the replicas without spinning on it.
        if (delaySeconds > 0) this.c.enqueueAfter(delaySeconds * 1000);
        return { annotated: annotated + 1, desired: spec };
      }
      return { annotated, desired: 0 };
    }
    if (deadline !== undefined) {
      annotated++;
      if (annotated > limit) return { annotated, desired: 0 };
      const remaining = Number(deadline) - this.now;
      if (remaining > 0) {
        if (remaining < DefaultRolloutResyncPeriodSeconds * 1000) this.c.enqueueAfter(remaining);
        return { annotated, desired: this.replicas };
      }
    }
    return { annotated, desired: 0 };
  }

  // rollout/replicaset.go isReplicaSetReferenced
  private isReplicaSetReferenced(rs: ReplicaSet): boolean {
    const hash = rs.podTemplateHash;
    const s = this.prev;
    const bg = this.prevBG;
    if ([s.stableRS, s.currentPodHash, bg.activeSelector, bg.previewSelector].includes(hash)) return true;
    for (const name of [this.bg.activeService, this.bg.previewService]) {
      if (!name) continue;
      if (selectorHash(this.c.options.cluster.services.get(name)) === hash) return true;
    }
    return false;
  }

  // rollout/sync.go scaleReplicaSetAndRecordEvent / scaleReplicaSet
  private scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number): boolean {
    const desired = String(this.replicas);
    const annotationsNeedUpdate = rs.annotations.get(DESIRED_REPLICAS) !== desired;
    const old = this.view(rs).specReplicas;
    const sizeNeedsUpdate = old !== newScale;
    if (!sizeNeedsUpdate && !annotationsNeedUpdate) return false;
    rs.annotations.set(DESIRED_REPLICAS, desired);
    // A full scale-down drops the deadline annotation, except while an aborted preview waits.
    if (newScale === 0 && !this.shouldDelayScaleDownOnAbort()) rs.annotations.delete(SCALE_DOWN_DEADLINE);
    this.c.options.cluster.scale(rs, newScale);
    if (!sizeNeedsUpdate) return false;
    this.event('ScalingReplicaSet', `Scaled ${old < newScale ? 'up' : 'down'} ReplicaSet ${rs.name} (revision ${rs.revision}) from ${old} to ${newScale}`);
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // rollout/bluegreen.go reconcileBlueGreenPause and rollout/pause.go

  private reconcileBlueGreenPause(activeSvc: SimService | undefined): void {
    if (this.prev.abort || !activeSvc || !this.newRS) return;
    if (!this.readyForPause()) return;
    if (this.haltProgress() !== '') return;
    if (this.isBlueGreenFastTracked(activeSvc) || this.prevBG.scaleUpPreviewCheckPoint || !this.needsBlueGreenControllerPause()) {
      this.pause.removePauseCondition('BlueGreenPause');
      return;
    }
    // The controller manages the pause: first the pre-promotion analysis must have succeeded.
    if (!this.completedPrePromotionAnalysis()) return;
    const cond = this.prev.pauseConditions.find((p) => p.reason === 'BlueGreenPause');
    if (cond) {
      if (!this.pause.completedBlueGreenPause(this.bg, this.prevBG.scaleUpPreviewCheckPoint, this.now)) {
        if (this.bg.autoPromotionSeconds > 0) this.checkEnqueueRolloutDuringWait(cond.startTime, this.bg.autoPromotionSeconds);
      } else {
        this.pause.removePauseCondition('BlueGreenPause');
      }
    } else if (!this.prev.controllerPause) {
      // No condition and controllerPause false: pause now. (controllerPause true without the
      // condition means a user promoted: `kubectl argo rollouts promote` cleared the list.)
      this.pause.addPauseCondition('BlueGreenPause');
    }
  }

  /** bluegreen.go needsBlueGreenControllerPause. */
  private needsBlueGreenControllerPause(): boolean {
    if (!getAutoPromotionEnabledOrDefault(this.bg.autoPromotionEnabled)) return true;
    return this.bg.autoPromotionSeconds > 0;
  }

  /** pause.go completedPrePromotionAnalysis: none configured, or the current run Successful. */
  private completedPrePromotionAnalysis(): boolean {
    if (!this.bg.prePromotionAnalysis) return true;
    return this.preAR !== undefined && this.preAR.phase === 'Successful';
  }

  // rollout/pause.go checkEnqueueRolloutDuringWait (see canary.ts for the 1 ms after the deadline)
  private checkEnqueueRolloutDuringWait(startTime: number, durationSeconds: number): void {
    const expiry = startTime + durationSeconds * 1000;
    const nextResync = this.now + DefaultRolloutResyncPeriodSeconds * 1000;
    if (nextResync > expiry && expiry >= this.now) this.c.enqueueAfter(expiry - this.now + 1);
  }

  // ------------------------------------------------------------------------------------------
  // rollout/analysis.go reconcileAnalysisRuns (blue-green branch)

  private reconcileAnalysisRuns(): void {
    const analysis = this.c.options.analysis;
    const rollbackToScaleDownDelay = this.newRS !== undefined && this.view(this.newRS).scaleDownDeadline !== undefined;
    const initialDeploy = this.prev.stableRS === '';
    if (this.pause.isAborted() || this.prev.promoteFull || rollbackToScaleDownDelay || initialDeploy || this.isRollbackWithinWindow()) {
      for (const ar of [this.preAR, this.postAR, ...this.otherARs]) if (ar) analysis.terminate(ar);
      this.setCurrentAnalysisRuns(this.preAR, this.postAR);
      return;
    }
    const pre = this.reconcilePrePromotionAnalysisRun();
    this.setPauseOrAbortForBlueGreen(pre, false);
    const post = this.reconcilePostPromotionAnalysisRun();
    this.setPauseOrAbortForBlueGreen(post, true);
    this.setCurrentAnalysisRuns(pre, post);
    for (const ar of this.otherARs) if (ar !== pre && ar !== post) analysis.terminate(ar);
    this.emitAnalysisRunStatusChanges(this.prevBG.postPromotionAnalysisRunStatus, post, 'PostPromotion');
    this.emitAnalysisRunStatusChanges(this.prevBG.prePromotionAnalysisRunStatus, pre, 'PrePromotion');
  }

  /** context.go SetCurrentAnalysisRuns (blue-green): only runs that exist are recorded. */
  private setCurrentAnalysisRuns(pre: AnalysisRun | undefined, post: AnalysisRun | undefined): void {
    const bg = this.newStatus.blueGreen!;
    if (pre) bg.prePromotionAnalysisRunStatus = runStatus(pre);
    if (post) bg.postPromotionAnalysisRunStatus = runStatus(post);
  }

  private setPauseOrAbortForBlueGreen(ar: AnalysisRun | undefined, isPostPromotion: boolean): void {
    if (!ar) return;
    if (ar.phase === 'Inconclusive') this.pause.addPauseCondition('InconclusiveAnalysisRun');
    else if (ar.phase === 'Error' || ar.phase === 'Failed') {
      let message = isPostPromotion ? 'Blue/green post-promotion analysis phase error/failed' : 'Blue/green pre-promotion analysis phase error/failed';
      if (ar.message !== '') message += `: ${ar.message}`;
      this.pause.addAbort(message);
    }
  }

  /** analysis.go needsNewAnalysisRun. */
  private needsNewAnalysisRun(current: AnalysisRun | undefined): boolean {
    if (!current) return true;
    const hasPauseStep = this.prev.pauseConditions.some((p) => p.reason === 'CanaryPauseStep' || p.reason === 'BlueGreenPause');
    if (this.prev.controllerPause && !hasPauseStep) return current.phase === 'Inconclusive';
    return this.prev.abortedAt !== undefined;
  }

  private reconcilePrePromotionAnalysisRun(): AnalysisRun | undefined {
    const current = this.preAR;
    const analysis = this.bg.prePromotionAnalysis;
    if (!analysis || analysis.templates.length === 0) {
      if (current) this.c.options.analysis.terminate(current);
      return undefined;
    }
    if (this.skipPrePromotionAnalysisRun(current)) {
      if (current) this.c.options.analysis.terminate(current);
      return current;
    }
    if (this.prev.pauseConditions.some((p) => p.reason === 'InconclusiveAnalysisRun')) return current;
    if (this.needsNewAnalysisRun(current)) return this.createAnalysisRun(analysis, 'pre', 'PrePromotion');
    return current;
  }

  private reconcilePostPromotionAnalysisRun(): AnalysisRun | undefined {
    const current = this.postAR;
    const analysis = this.bg.postPromotionAnalysis;
    if (!analysis || analysis.templates.length === 0) {
      if (current) this.c.options.analysis.terminate(current);
      return undefined;
    }
    if (this.skipPostPromotionAnalysisRun(current)) {
      if (current) this.c.options.analysis.terminate(current);
      return current;
    }
    if (this.prev.pauseConditions.some((p) => p.reason === 'InconclusiveAnalysisRun')) return current;
    if (this.needsNewAnalysisRun(current)) return this.createAnalysisRun(analysis, 'post', 'PostPromotion');
    return current;
  }

  /**
   * analysis.go skipPrePromotionAnalysisRun: not before the first promotion, not once the new RS is
   * active or stable, and not started before the preview RS is saturated (at previewReplicaCount
   * when that is set). A run already started is never skipped for saturation.
   */
  private skipPrePromotionAnalysisRun(current: AnalysisRun | undefined): boolean {
    const hash = this.newRS?.podTemplateHash ?? '';
    const active = this.prevBG.activeSelector;
    if (this.prev.stableRS === hash || active === '' || active === hash || hash === '') return true;
    if (current) return false;
    const previewCount = this.bg.previewReplicaCount;
    if (previewCount !== undefined) return this.view(this.newRS!).specReplicas !== previewCount || this.newRS!.availableReplicas !== previewCount;
    return !this.isSaturated(this.newRS!);
  }

  /** analysis.go skipPostPromotionAnalysisRun: only once the persisted active selector is the new RS. */
  private skipPostPromotionAnalysisRun(current: AnalysisRun | undefined): boolean {
    const hash = this.newRS?.podTemplateHash ?? '';
    if (this.prev.stableRS === hash || this.prevBG.activeSelector !== hash || hash === '') return true;
    if (current) return false;
    return !this.isSaturated(this.newRS!);
  }

  private createAnalysisRun(analysis: RolloutAnalysis, infix: 'pre' | 'post', type: RolloutAnalysisType): AnalysisRun {
    const podHash = this.newRS!.podTemplateHash;
    return this.c.options.analysis.createFromRollout({
      baseName: [this.ro.name, podHash, this.ro.revision ?? '', infix].join('-'),
      analysis,
      labels: { rolloutType: type, stepIndex: undefined, podTemplateHash: podHash },
      ownerRollout: this.ro.name,
      stableHash: this.stableRS?.podTemplateHash,
      latestHash: podHash,
      rolloutFields: { name: this.ro.name, namespace: this.ro.namespace },
      analysisTemplates: this.c.options.analysisTemplates,
      clusterAnalysisTemplates: this.c.options.clusterAnalysisTemplates,
    });
  }

  private emitAnalysisRunStatusChanges(prev: RolloutAnalysisRunStatus | undefined, ar: AnalysisRun | undefined, type: 'PrePromotion' | 'PostPromotion'): void {
    if (!ar || ar.phase === '') return;
    if (prev === undefined || (prev.name === ar.name && prev.status !== ar.phase)) {
      const msg = `${type} Analysis Run '${ar.name}' Status New: '${ar.phase}' Previous: '${prev ? prev.status : 'NoPreviousStatus'}'`;
      this.c.events.event(this.c.objectName, `AnalysisRun${ar.phase}`, msg, ar.phase === 'Failed' || ar.phase === 'Error' ? 'Warning' : 'Normal');
    }
  }

  // ------------------------------------------------------------------------------------------
  // rollout/bluegreen.go syncRolloutStatusBlueGreen and rollout/sync.go status helpers

  private calculateBaseStatus(): RolloutStatus {
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

  private syncRolloutStatusBlueGreen(previewSvc: SimService | undefined, activeSvc: SimService | undefined): void {
    const newStatus = this.calculateBaseStatus();
    newStatus.stableRS = this.prev.stableRS;
    const bg = newStatus.blueGreen!;
    if (this.checkPodSpecChange()) this.resetRolloutStatus(newStatus);
    if (this.prev.promoteFull || this.isRollbackWithinWindow()) {
      this.pause.clearPauseConditions();
      this.pause.removeAbort();
    }
    bg.previewSelector = selectorHash(previewSvc);
    bg.activeSelector = selectorHash(activeSvc);

    const reason = this.shouldFullPromote(newStatus);
    if (reason !== '') this.promoteStable(newStatus, reason);
    else bg.scaleUpPreviewCheckPoint = this.calculateScaleUpPreviewCheckPoint();

    const activeRS = this.replicaSetByHash(bg.activeSelector);
    if (activeRS) {
      newStatus.availableReplicas = activeRS.availableReplicas;
      newStatus.readyReplicas = activeRS.readyReplicas;
    } else {
      newStatus.availableReplicas = sum(this.allRSs, (rs) => rs.availableReplicas);
    }
    this.calculateRolloutConditions(newStatus);
    this.persistRolloutStatus(newStatus);
  }

  // rollout/sync.go resetRolloutStatus
  private resetRolloutStatus(newStatus: RolloutStatus): void {
    this.pause.clearPauseConditions();
    this.pause.removeAbort();
    newStatus.promoteFull = false;
    // Upstream also calls SetRestartedAt here, but it writes c.newStatus after calculateBaseStatus
    // copied it by value into the status being built: no effect on what blue-green persists.
    const bg = newStatus.blueGreen!;
    bg.prePromotionAnalysisRunStatus = undefined;
    bg.postPromotionAnalysisRunStatus = undefined;
    bg.scaleUpPreviewCheckPoint = false;
    newStatus.currentStepIndex = undefined;
  }

  /**
   * bluegreen.go calculateScaleUpPreviewCheckPoint: a one-way latch, set once pre-promotion
   * analysis succeeded, the pause is over and exactly previewReplicaCount preview pods are
   * available. (Upstream reads the previous value from the stored status, so a template change
   * after the latch was set does not clear it: the reset above is overwritten here.)
   */
  private calculateScaleUpPreviewCheckPoint(): boolean {
    if (this.bg.previewReplicaCount === undefined) return false;
    if (this.prevBG.scaleUpPreviewCheckPoint) return true;
    if (!this.completedPrePromotionAnalysis() || !this.pause.completedBlueGreenPause(this.bg, false, this.now)) return false;
    return this.bg.previewReplicaCount === (this.newRS?.availableReplicas ?? 0);
  }

  // rollout/sync.go shouldFullPromote (blue-green branch)
  private shouldFullPromote(newStatus: RolloutStatus): string {
    if (!this.stableRS) return 'Initial deploy';
    const bg = newStatus.blueGreen!;
    // Initial deploys do not switch the active Service until stable is set (chicken and egg).
    if (bg.activeSelector === '') return 'Initial deploy';
    if (bg.activeSelector !== newStatus.currentPodHash) return '';
    if (this.prev.promoteFull) return 'Full promotion requested';
    if (this.isRollbackWithinWindow()) return 'Rollback within window';
    if (this.pause.isAborted()) return '';
    if (this.bg.postPromotionAnalysis) {
      // Moving back to an RS still inside its scale-down delay skips post-promotion analysis.
      if (this.newRS && this.view(this.newRS).scaleDownDeadline !== undefined) return `Rollback to '${this.newRS.name}' within scaleDownDelay`;
      if (!this.postAR || this.postAR.phase !== 'Successful') return '';
    }
    return 'Completed blue-green update';
  }

  // rollout/sync.go promoteStable
  private promoteStable(newStatus: RolloutStatus, reason: string): void {
    this.pause.clearPauseConditions();
    this.pause.removeAbort();
    newStatus.promoteFull = false;
    newStatus.blueGreen!.scaleUpPreviewCheckPoint = false;
    if (newStatus.stableRS !== newStatus.currentPodHash) {
      newStatus.stableRS = newStatus.currentPodHash;
      this.event('RolloutCompleted', `Rollout completed update to revision ${this.ro.revision ?? ''} (${newStatus.currentPodHash}): ${reason}`);
    }
  }

  // rollout/sync.go calculateRolloutConditions (blue-green branches)
  private calculateRolloutConditions(newStatus: RolloutStatus): void {
    const isPaused = this.prev.pauseConditions.length > 0 || this.ro.paused;
    const isAborted = this.pause.isAborted();
    const healthy = blueGreenRolloutHealthy(this.specView(), this.prev.observedGeneration, this.ro.generation, newStatus);
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
    if (!isAborted) {
      if (healthy) {
        const msg = `ReplicaSet "${this.newRS?.name ?? ''}" has successfully progressed.`;
        setRolloutCondition(newStatus, newRolloutCondition('Progressing', 'True', 'NewReplicaSetAvailable', msg, this.now));
      } else if (blueGreenRolloutProgressing(this.prev, newStatus) || becameUnhealthy) {
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

    // Available: the active RS saturated (annotations.IsSaturated).
    const activeRS = this.replicaSetByHash(blueGreenOf(newStatus).activeSelector);
    setRolloutCondition(
      newStatus,
      activeRS && this.isSaturated(activeRS)
        ? newRolloutCondition('Available', 'True', 'AvailableReason', 'Rollout has minimum availability', this.now)
        : newRolloutCondition('Available', 'False', 'AvailableReason', 'Rollout does not have minimum availability', this.now),
    );

    if (newStatus.stableRS !== '' && newStatus.stableRS === newStatus.currentPodHash) {
      setRolloutCondition(newStatus, newRolloutCondition('Completed', 'True', 'RolloutCompleted', 'RolloutCompleted', this.now));
    } else if (setRolloutCondition(newStatus, newRolloutCondition('Completed', 'False', 'RolloutCompleted', 'RolloutCompleted', this.now))) {
      this.event('RolloutNotCompleted', `Rollout not completed, started update to revision ${this.ro.revision ?? ''} (${newStatus.currentPodHash})`);
    }
  }

  /** conditions.RolloutTimedOut: strict "deadline is before now". */
  private rolloutTimedOut(newStatus: RolloutStatus): boolean {
    const cond = getRolloutCondition(newStatus, 'Progressing');
    if (!cond || cond.reason === 'RolloutAborted' || cond.reason === 'RolloutPaused') return false;
    if (cond.reason === 'ProgressDeadlineExceeded') return true;
    const pds = getProgressDeadlineSecondsOrDefault(this.ro.manifest.spec.progressDeadlineSeconds);
    return cond.lastUpdateTime + pds * 1000 < this.now;
  }

  /** sync.go isIndefiniteStep: for blue-green, a True Paused condition. */
  private isIndefiniteStep(): boolean {
    return getRolloutCondition(this.prev, 'Paused')?.status === 'True';
  }

  /** sync.go isWaitingForReplicaSetScaleDown: another RS still carries a scale-down deadline. */
  private isWaitingForReplicaSetScaleDown(): boolean {
    return this.otherRSs.some((rs) => rs.annotations.has(SCALE_DOWN_DEADLINE));
  }

  // rollout/sync.go persistRolloutStatus + sendStateChangeEvents
  private persistRolloutStatus(newStatus: RolloutStatus): void {
    this.pause.calculatePauseStatus(newStatus, this.now);
    newStatus.observedGeneration = String(this.ro.generation);
    Object.assign(newStatus, this.phaseOf(newStatus));
    const prevPaused = this.prev.pauseConditions.length > 0;
    if (!this.c.patchStatus(this.prev, newStatus)) {
      this.requeueStuckRollout(newStatus);
      return;
    }
    const currPaused = newStatus.pauseConditions.length > 0;
    if (prevPaused !== currPaused) {
      if (currPaused) this.event('RolloutPaused', `Rollout is paused (${newStatus.pauseConditions[0]!.reason})`);
      else if (newStatus.abortedAt === undefined) this.event('RolloutResumed', 'Rollout is resumed');
    }
  }

  private phaseOf(status: RolloutStatus): { phase: RolloutStatus['phase']; message: string } {
    return calculateBlueGreenRolloutPhase(this.specView(), status);
  }

  // rollout/sync.go requeueStuckRollout: only when a reconcile changed nothing.
  private requeueStuckRollout(newStatus: RolloutStatus): void {
    const cond = getRolloutCondition(this.prev, 'Progressing');
    if (!cond) return;
    const isPaused = this.prev.pauseConditions.length > 0 || this.ro.paused;
    const healthy = blueGreenRolloutHealthy(this.specView(), this.prev.observedGeneration, this.ro.generation, newStatus);
    if (healthy || cond.reason === 'ProgressDeadlineExceeded' || isPaused || this.prev.abort || this.isIndefiniteStep()) return;
    const pds = getProgressDeadlineSecondsOrDefault(this.ro.manifest.spec.progressDeadlineSeconds);
    const after = cond.lastUpdateTime + pds * 1000 - this.now;
    if (after < 1000) this.c.enqueue();
    else this.c.enqueueAfter(after + 1000);
  }
}

function runStatus(ar: AnalysisRun): RolloutAnalysisRunStatus {
  return { name: ar.name, status: ar.phase, message: ar.message };
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

