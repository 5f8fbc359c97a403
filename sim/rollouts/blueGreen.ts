// One reconcile of a blue-green Rollout: argo-rollouts v1.9.1 rollout/controller.go
// newRolloutContext, rollout/context.go reconcile, rollout/bluegreen.go rolloutBlueGreen and the
// pieces of rollout/sync.go, replicaset.go, service.go, pause.go and analysis.go it calls, in
// their order — order is behaviour (semantics digest §3). Upstream function names are kept so the
// TypeScript can be read beside the Go. What blue-green shares with the canary (upstream's
// rolloutContext helpers) is in sim/rollouts/sync.ts; this file supplies the blue-green branches.
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
  getScaleDownRevisionLimit,
} from './defaults.js';
import { DESIRED_REPLICAS, RolloutContext, SCALE_DOWN_DEADLINE, sum } from './sync.js';
import { blueGreenMaxUnavailable } from './blueGreenRestart.js';
import { reconcileRevisionHistoryLimit } from './revisionHistory.js';
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
  type RolloutAnalysisRunStatus,
  type RolloutStatus,
} from './status.js';


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

export class BlueGreenReconcile extends RolloutContext {
  private readonly bg: BlueGreenStrategy;
  private readonly read = new Map<ReplicaSet, ReadView>();
  private preAR: AnalysisRun | undefined;
  private postAR: AnalysisRun | undefined;
  private otherARs: AnalysisRun[] = [];

  constructor(c: RolloutController, now: number) {
    super(c, now, { ...emptyRolloutStatus(), blueGreen: emptyBlueGreenStatus() });
    this.bg = c.rollout.blueGreen!;
  }

  private get replicas(): number {
    return this.ro.replicas;
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
  // rollout/controller.go newRolloutContext, the blue-green parts (the reconcile itself is RolloutContext.run)

  protected listReplicaSets(): ReplicaSet[] {
    const all = [...this.c.options.cluster.replicaSets];
    for (const rs of all) this.view(rs);
    return all;
  }

  protected findCurrentRuns(): void {
    this.findAnalysisRuns();
  }

  protected startNewStatus(): void {
    // newRolloutContext: aborting a fully promoted rollout is a no-op (rolloututil.IsFullyPromoted
    // compares the hashes only).
    if (this.prev.stableRS === this.prev.currentPodHash && this.pause.isAborted()) this.pause.removeAbort();
    // newRolloutContext: the new status starts from the stored restartedAt (SetRestartedAt overrides).
    this.newStatus.restartedAt = this.prev.restartedAt;
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

  // rollout/sync.go createDesiredReplicaSet; this reconcile reads the new RS as created.
  protected override createDesiredReplicaSet(hash: string): void {
    super.createDesiredReplicaSet(hash);
    this.view(this.newRS!);
  }

  protected override readSpecReplicas(rs: ReplicaSet): number {
    return this.view(rs).specReplicas;
  }

  protected override readScaleDownDeadline(rs: ReplicaSet): string | undefined {
    return this.view(rs).scaleDownDeadline;
  }

  // rollout/sync.go syncReplicasOnly (blue-green branch)
  protected syncReplicasOnly(): void {
    this.syncReplicaSetRevision();
    const newStatus = cloneStatus(this.prev);
    this.reconcileBlueGreenReplicaSets();
    const activeRS = this.replicaSetByHash(this.prevBG.activeSelector);
    newStatus.availableReplicas = activeRS ? activeRS.availableReplicas : sum(this.allRSs, (rs) => rs.availableReplicas);
    this.persistRolloutStatus(newStatus);
  }

  // ------------------------------------------------------------------------------------------
  // rollout/bluegreen.go rolloutBlueGreen

  protected rolloutStrategy(): void {
    this.rolloutBlueGreen();
  }

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

  // replicasetutil.MaxUnavailable's blue-green branch (sim/rollouts/blueGreenRestart.ts), for pod restarts.
  protected restartMaxUnavailable(): number {
    return blueGreenMaxUnavailable(this.replicas, this.bg.maxUnavailable);
  }


  // rollout/replicaset.go removeScaleDownDeadlines (on the live objects; this reconcile keeps its read view)
  private removeScaleDownDeadlines(): void {
    if (this.newRS && !this.shouldDelayScaleDownOnAbort()) this.newRS.annotations.delete(SCALE_DOWN_DEADLINE);
    this.stableRS?.annotations.delete(SCALE_DOWN_DEADLINE);
  }

  /** rollout/replicaset.go shouldDelayScaleDownOnAbort (blue-green: abortScaleDownDelaySeconds 0 ⇒ never). */
  protected shouldDelayScaleDownOnAbort(): boolean {
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
      const r = this.scaleDownDelayHelper(rs, annotated, this.replicas);
      annotated = r.annotated;
      if (this.view(rs).specReplicas === r.desired) continue;
      this.scaleReplicaSetAndRecordEvent(rs, r.desired);
      scaled = true;
    }
    return scaled;
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

  // ------------------------------------------------------------------------------------------
  // rollout/analysis.go reconcileAnalysisRuns (blue-green branch)

  private reconcileAnalysisRuns(): void {
    const analysis = this.c.options.analysis;
    if (this.skipsAnalysis()) {
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
      // rollout/analysis.go: the args of every run type are built from the rollout (fieldRef paths).
      rollout: this.ro,
      analysisTemplates: this.c.options.analysisTemplates,
      clusterAnalysisTemplates: this.c.options.clusterAnalysisTemplates,
    });
  }

  // ------------------------------------------------------------------------------------------
  // rollout/bluegreen.go syncRolloutStatusBlueGreen and rollout/sync.go status helpers

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

  // rollout/sync.go resetRolloutStatus (blue-green part)
  protected resetStrategyStatus(newStatus: RolloutStatus): void {
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

  // rollout/sync.go promoteStable (blue-green part)
  protected promoteStrategyStatus(newStatus: RolloutStatus): void {
    newStatus.blueGreen!.scaleUpPreviewCheckPoint = false;
  }

  /** `conditions.RolloutHealthy` (blue-green). */
  protected rolloutHealthy(newStatus: RolloutStatus): boolean {
    return blueGreenRolloutHealthy(this.specView(), this.prev.observedGeneration, this.ro.generation, newStatus);
  }

  /** `conditions.RolloutProgressing` (blue-green). */
  protected rolloutProgressing(newStatus: RolloutStatus): boolean {
    return blueGreenRolloutProgressing(this.prev, newStatus);
  }

  /** rollout/sync.go calculateRolloutConditions (blue-green): Available once the active RS is saturated. */
  protected rolloutAvailable(newStatus: RolloutStatus): boolean {
    const activeRS = this.replicaSetByHash(blueGreenOf(newStatus).activeSelector);
    return activeRS !== undefined && this.isSaturated(activeRS);
  }

  /** `defaults.GetScaleDownDelaySecondsOrDefault` (blue-green). */
  protected scaleDownDelaySeconds(): number {
    return getBlueGreenScaleDownDelaySecondsOrDefault(this.bg.scaleDownDelaySeconds);
  }

  protected scaleDownRevisionLimit(): number {
    return getScaleDownRevisionLimit(this.bg.scaleDownDelayRevisionLimit);
  }

  // rollout/replicaset.go isReplicaSetReferenced: the active and preview Services.
  protected referencingServiceNames(): readonly (string | undefined)[] {
    return [this.bg.activeService, this.bg.previewService];
  }

  /** sync.go isIndefiniteStep: for blue-green, a True Paused condition. */
  protected isIndefiniteStep(): boolean {
    return getRolloutCondition(this.prev, 'Paused')?.status === 'True';
  }

  protected phaseOf(status: RolloutStatus): { phase: RolloutStatus['phase']; message: string } {
    return calculateBlueGreenRolloutPhase(this.specView(), status);
  }

}

function runStatus(ar: AnalysisRun): RolloutAnalysisRunStatus {
  return { name: ar.name, status: ar.phase, message: ar.message };
}

