// One reconcile of a canary Rollout: argo-rollouts v1.9.1 rollout/controller.go newRolloutContext,
// rollout/context.go reconcile, rollout/canary.go rolloutCanary, and the pieces of
// rollout/sync.go, replicaset.go, service.go, analysis.go and trafficrouting.go it calls, in their
// order — order is behaviour (semantics digest §0, §2.1). Upstream function names are kept so the
// TypeScript can be read beside the Go. What the canary shares with blue-green (upstream's
// rolloutContext helpers) is in sim/rollouts/sync.ts; this file supplies the canary branches.
import type { AnalysisRun } from '../analysis/analysisRun.js';
import { isCompleted } from '../analysis/types.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import type { SimService } from '../cluster/service.js';
import { pauseDurationSeconds } from '../manifests/duration.js';
import type { CanaryStep, RolloutAnalysis } from '../manifests/types.js';
import type { RolloutController } from './controller.js';
import {
  DefaultMaxTrafficWeight,
  DefaultRolloutResyncPeriodSeconds,
  getAbortScaleDownDelaySecondsOrDefault,
  getScaleDownDelaySecondsOrDefault,
  getScaleDownRevisionLimit,
} from './defaults.js';
import { RolloutContext, SCALE_DOWN_DEADLINE, sum } from './sync.js';
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
  replicasProgressing,
  type RolloutStatus,
  type TrafficWeights,
} from './status.js';
import { canaryStepString } from './stepString.js';
import { reconcileRevisionHistoryLimit } from './revisionHistory.js';
import { RolloutExperiments } from './experimentStep.js';

function counts(rs: ReplicaSet): ReplicaSetCounts {
  return { name: rs.name, specReplicas: rs.specReplicas, statusReplicas: rs.statusReplicas, availableReplicas: rs.availableReplicas };
}

export class CanaryReconcile extends RolloutContext {
  private currentStepAR: AnalysisRun | undefined;
  private currentBackgroundAR: AnalysisRun | undefined;
  private otherARs: AnalysisRun[] = [];
  /** The rollout's experiments (experiment steps), when the run has an experiment controller. */
  private experiments: RolloutExperiments | undefined;

  constructor(c: RolloutController, now: number) {
    super(c, now, emptyRolloutStatus());
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

  // ------------------------------------------------------------------------------------------
  // rollout/controller.go newRolloutContext, the canary parts (the reconcile itself is RolloutContext.run)

  // getReplicaSetsForRollouts: only the ReplicaSets the Rollout owns (not an Experiment's).
  protected listReplicaSets(): ReplicaSet[] {
    return this.c.options.cluster.replicaSets.filter((rs) => rs.owner === undefined);
  }

  protected findCurrentRuns(): void {
    this.findAnalysisRuns();
    const experimentController = this.c.options.experiments;
    if (experimentController) this.experiments = new RolloutExperiments(experimentController, this.ro.name, this.prev);
  }

  protected startNewStatus(): void {
    if (isFullyPromoted(this.prev) && this.pause.isAborted()) this.pause.removeAbort();
    this.newStatus.canary.weights = this.prev.canary.weights;
    this.newStatus.restartedAt = this.prev.restartedAt;
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

  // rollout/sync.go syncReplicasOnly
  protected syncReplicasOnly(): void {
    this.syncReplicaSetRevision();
    const newStatus = cloneStatus(this.prev);
    this.reconcileCanaryReplicaSets();
    newStatus.availableReplicas = sum(this.allRSs, (rs) => rs.availableReplicas);
    this.persistRolloutStatus(newStatus);
  }

  // ------------------------------------------------------------------------------------------
  // rollout/canary.go rolloutCanary

  protected rolloutStrategy(): void {
    this.rolloutCanary();
  }

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

  // replicasetutil.MaxUnavailable (canary branch), for pod restarts.
  protected restartMaxUnavailable(): number {
    const canary = this.ro.canary;
    return maxUnavailable(this.replicas, canary.maxUnavailable, canary.maxSurge);
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
          if (remaining < DefaultRolloutResyncPeriodSeconds * 1000) {
            this.c.enqueueAfter(remaining);
            return false;
          }
          // Upstream returns early only inside the resync period; a longer remaining delay
          // (abortScaleDownDelaySeconds > 900) goes on to scale to the aborted count (0) now.
        } else {
          newReplicasCount = 0;
        }
      } else {
        if (this.stableRS!.availableReplicas === this.replicas) {
          // addScaleDownDelay (the delay is never 0 here: 0 means "keep", see shouldDelayScaleDownOnAbort).
          this.addScaleDownDelay(this.newRS, this.abortScaleDownDelay().delaySeconds ?? 0);
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
  protected shouldDelayScaleDownOnAbort(): boolean {
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
          const r = this.scaleDownDelayHelper(rs, annotated, rs.specReplicas);
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
    if (this.skipsAnalysis()) {
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

  // ------------------------------------------------------------------------------------------
  // rollout/canary.go syncRolloutStatusCanary and rollout/sync.go status helpers

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

  // rollout/sync.go resetRolloutStatus (canary part)
  protected resetStrategyStatus(newStatus: RolloutStatus): void {
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

  // rollout/sync.go promoteStable (canary part): the step index goes past the last step.
  protected promoteStrategyStatus(newStatus: RolloutStatus): void {
    newStatus.currentStepIndex = this.steps.length > 0 ? this.steps.length : undefined;
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

  // rollout/sync.go calculateRolloutConditions (canary): Available once all pods add up to spec.replicas.
  protected rolloutAvailable(): boolean {
    return sum(this.allRSs, (rs) => rs.availableReplicas) >= this.replicas;
  }

  /** `defaults.GetScaleDownDelaySecondsOrDefault` (canary: 0 without traffic routing). */
  protected scaleDownDelaySeconds(): number {
    return getScaleDownDelaySecondsOrDefault({ trafficRouted: this.ro.trafficRouted, scaleDownDelaySeconds: this.ro.canary.scaleDownDelaySeconds });
  }

  protected scaleDownRevisionLimit(): number {
    return getScaleDownRevisionLimit(this.ro.canary.scaleDownDelayRevisionLimit);
  }

  // rollout/replicaset.go isReplicaSetReferenced: the canary and stable Services.
  protected referencingServiceNames(): readonly (string | undefined)[] {
    return [this.ro.canary.canaryService, this.ro.canary.stableService];
  }

  /** `conditions.RolloutHealthy` (canary). */
  protected rolloutHealthy(newStatus: RolloutStatus): boolean {
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
  protected rolloutProgressing(newStatus: RolloutStatus): boolean {
    const old = this.prev;
    const stepChanged =
      newStatus.currentStepIndex !== undefined && old.currentStepIndex !== undefined && newStatus.currentStepIndex !== old.currentStepIndex;
    const strategyProgress = newStatus.stableRS !== old.stableRS || stepChanged || newStatus.currentStepHash !== old.currentStepHash;
    return replicasProgressing(old, newStatus) || strategyProgress;
  }

  /** `isIndefiniteStep`: pause, analysis or experiment steps and a True Paused condition suspend the deadline. */
  protected isIndefiniteStep(): boolean {
    const { step } = this.currentStep();
    if (step && (step.kind === 'analysis' || step.kind === 'pause' || step.kind === 'experiment')) return true;
    return getRolloutCondition(this.prev, 'Paused')?.status === 'True';
  }

  protected phaseOf(status: RolloutStatus): { phase: RolloutStatus['phase']; message: string } {
    return calculateRolloutPhase({ replicas: this.replicas, paused: this.ro.paused, basicCanary: !this.ro.trafficRouted, restartAt: this.ro.restartAt }, status);
  }

}

/** Branches of reconcileTrafficRouting that call `RemoveManagedRoutes` (before the stable-availability check). */
const REMOVES_MANAGED_ROUTES: ReadonlySet<TrafficWeightBranch> = new Set(['fullyPromoted', 'aborted', 'newRSUnavailable', 'promoteFull']);

function weightNumbers(w: TrafficWeights | undefined): CurrentWeights | undefined {
  return w ? { canary: w.canary.weight, stable: w.stable.weight } : undefined;
}

