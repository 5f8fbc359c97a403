// The model of the Argo Rollouts controller for one Rollout: its work queue and reconcile loop.
// Behaviour mirrors argo-rollouts v1.9.1 — rollout/controller.go (syncHandler, newRolloutContext),
// rollout/context.go (reconcile), rollout/sync.go (status, conditions, persist) — and the canary
// strategy lives in canary.ts. As upstream, every reconcile re-derives everything from the
// Rollout, its ReplicaSets and AnalysisRuns; memory lives only in status and annotations.
import { LimitReachedError, Priority, type Kernel, type ScheduledAction } from '../engine/kernel.js';
import type { TraceRecorder } from '../engine/trace.js';
import type { AnalysisController } from '../analysis/analysisController.js';
import type { Cluster } from '../cluster/cluster.js';
import type { AnalysisTemplate } from '../manifests/types.js';
import { BlueGreenReconcile } from './blueGreen.js';
import { CanaryReconcile } from './canary.js';
import { DefaultMaxTrafficWeight, DefaultRolloutResyncPeriodSeconds } from './defaults.js';
import { getCurrentSetWeight } from './replicaMath.js';
import { EventRecorder } from './events.js';
import { applyMergePatch, createTwoWayMergePatch, type MergePatch } from './mergePatch.js';
import type { SimRollout } from './rollout.js';
import { cloneStatus, emptyBlueGreenStatus, emptyRolloutStatus, type RolloutStatus } from './status.js';
import type { TrafficRouter } from '../traffic/router.js';
import type { ExperimentController } from '../experiments/controller.js';

export interface RolloutControllerOptions {
  readonly kernel: Kernel;
  readonly trace: TraceRecorder;
  readonly cluster: Cluster;
  readonly analysis: AnalysisController;
  readonly rollout: SimRollout;
  readonly analysisTemplates: ReadonlyMap<string, AnalysisTemplate>;
  readonly clusterAnalysisTemplates: ReadonlyMap<string, AnalysisTemplate>;
  /** The experiment controller, for canary experiment steps (absent: the manifests have none). */
  readonly experiments?: ExperimentController;
  /** The traffic router a traffic-routed canary drives (undefined for a basic canary). */
  readonly router: TrafficRouter | undefined;
  /** Called after every status write (the world tracks weights from it). */
  readonly onStatusChange?: () => void;
  /** Reconciles allowed in one virtual millisecond before the model is declared livelocked. */
  readonly maxReconcilesPerInstant?: number;
}

export class RolloutController {
  readonly events: EventRecorder;
  private pending: ScheduledAction | undefined;
  private readonly delayed = new Map<number, ScheduledAction>();
  private resync: ScheduledAction | undefined;
  /** While the controller process is down (a restart), informer events and requeues are lost. */
  private down = false;
  /** Overlapping restarts: the process runs again only when the last one's downtime is over. */
  private stopsPending = 0;
  private reconcilesThisInstant = 0;
  private instant = -1;
  reconcileCount = 0;

  constructor(readonly options: RolloutControllerOptions) {
    this.events = new EventRecorder(options.trace);
  }

  get rollout(): SimRollout {
    return this.options.rollout;
  }

  /**
   * The informer sees the Rollout for the first time (controller start, or start after a restart:
   * the new process lists every Rollout and adds it to the queue; the resync clock starts anew).
   */
  start(): void {
    if (this.stopsPending > 0 && --this.stopsPending > 0) return;
    this.down = false;
    this.events.event(this.objectName, 'RolloutAddedToInformer', 'Rollout resource added to informer: ' + this.rollout.namespace + '/' + this.rollout.name);
    this.enqueue();
    this.scheduleResync();
  }

  /**
   * The controller process stops (a restart): the work queue, its delayed requeues (pause
   * expiry, scale-down deadlines, progress deadline) and the resync timer are lost, and events
   * arriving until `start` are not seen. Everything the model needs afterwards is in the Rollout's
   * status and the ReplicaSets' annotations, re-read by the first reconcile after `start`.
   */
  stop(): void {
    this.stopsPending++;
    this.down = true;
    this.options.kernel.cancel(this.pending);
    this.pending = undefined;
    for (const action of this.delayed.values()) this.options.kernel.cancel(action);
    this.delayed.clear();
    this.options.kernel.cancel(this.resync);
    this.resync = undefined;
  }

  /** Whether the controller process is running. */
  get running(): boolean {
    return !this.down;
  }

  get objectName(): string {
    return `Rollout/${this.rollout.name}`;
  }

  /**
   * Adds the rollout to the work queue now. Like client-go's work queue, an item already queued is
   * not queued twice; our reconciles take no virtual time, so the next one runs at this instant.
   */
  enqueue(): void {
    if (this.down) return;
    const now = this.options.kernel.nowMs;
    if (this.pending && !this.pending.cancelled && this.pending.atMs <= now) return;
    this.options.kernel.cancel(this.pending);
    this.pending = this.options.kernel.schedule(now, Priority.controller, `reconcile ${this.rollout.name}`, () => {
      this.pending = undefined;
      this.reconcile();
    });
  }

  /** `enqueueRolloutAfter`: a delayed requeue (pause expiry, progress deadline, ...). */
  enqueueAfter(delayMs: number): void {
    if (this.down) return;
    const at = this.options.kernel.nowMs + Math.max(0, delayMs);
    if (this.delayed.has(at)) return;
    const action = this.options.kernel.schedule(at, Priority.controller, `requeue ${this.rollout.name}`, () => {
      this.delayed.delete(at);
      this.enqueue();
    });
    this.delayed.set(at, action);
  }

  private scheduleResync(): void {
    // rollout/controller.go NewController: the informer resyncs every 15 minutes.
    this.resync = this.options.kernel.after(DefaultRolloutResyncPeriodSeconds * 1000, Priority.controller, 'resync', () => {
      this.enqueue();
      this.scheduleResync();
    });
  }

  private reconcile(): void {
    const now = this.options.kernel.nowMs;
    if (now !== this.instant) {
      this.instant = now;
      this.reconcilesThisInstant = 0;
    }
    const limit = this.options.maxReconcilesPerInstant ?? 500;
    if (++this.reconcilesThisInstant > limit) {
      throw new LimitReachedError(
        `the rollout controller model reconciled ${this.rollout.name} more than ${limit} times at ${now} ms without settling`,
      );
    }
    this.reconcileCount++;
    if (this.rollout.blueGreen) new BlueGreenReconcile(this, now).run();
    else new CanaryReconcile(this, now).run();
  }

  /**
   * Writes a status through a merge patch computed from what the reconcile read (`from`) to what it
   * wants (`to`), as `persistRolloutStatus` / `patchCondition` do. Returns whether anything
   * changed; a change is an informer update, which enqueues the rollout again.
   */
  patchStatus(from: RolloutStatus, to: RolloutStatus): boolean {
    const patch = createTwoWayMergePatch(from, to);
    if (!patch) return false;
    this.rollout.status = normaliseStatus(applyMergePatch(this.rollout.status, patch));
    this.recordStatus();
    this.enqueue();
    return true;
  }

  /**
   * A client's merge patch of the status subresource (`kubectl argo rollouts promote|abort|retry`):
   * applied over the stored status as the API server does; the informer update enqueues the rollout.
   */
  patchStatusFromClient(patch: MergePatch): void {
    const next = normaliseStatus(applyMergePatch(this.rollout.status, patch));
    if (!createTwoWayMergePatch(this.rollout.status, next)) return; // nothing stored, no informer event
    this.rollout.status = next;
    this.recordStatus();
    this.enqueue();
  }

  /** A full status write (`UpdateStatus`). */
  replaceStatus(status: RolloutStatus): void {
    this.rollout.status = normaliseStatus(cloneStatus(status));
    this.recordStatus();
    this.enqueue();
  }

  /**
   * The canary weight the controller is at, in percent: the router weight it wrote (traffic routing), else the
   * weight `GetCanaryReplicasOrWeight` gives — 100 with no stable ReplicaSet yet, on promoteFull or
   * once the current revision is stable, otherwise the setWeight in force.
   */
  currentSetWeight(): number {
    const s = this.rollout.status;
    // Blue-green: all users' traffic goes where the active Service points.
    if (this.rollout.blueGreen) return s.blueGreen && s.blueGreen.activeSelector !== '' && s.blueGreen.activeSelector === s.currentPodHash ? DefaultMaxTrafficWeight : 0;
    if (s.stableRS === '' || s.promoteFull || s.stableRS === s.currentPodHash) return DefaultMaxTrafficWeight;
    if (s.canary.weights) {
      // In percent: with trafficRouting.maxTrafficWeight (NGINX, plugins) router weights are on that scale.
      const max = this.rollout.canary.trafficRouting?.maxTrafficWeight ?? DefaultMaxTrafficWeight;
      return max === DefaultMaxTrafficWeight ? s.canary.weights.canary.weight : (s.canary.weights.canary.weight * DefaultMaxTrafficWeight) / max;
    }
    return getCurrentSetWeight(this.rollout.steps, s.currentStepIndex, s.abort, DefaultMaxTrafficWeight);
  }

  private recordStatus(): void {
    this.options.onStatusChange?.();
    const s = this.rollout.status;
    this.options.trace.record('status', {
      rollout: this.rollout.name,
      phase: s.phase,
      message: s.message,
      step: s.currentStepIndex ?? null,
      steps: this.rollout.steps.length,
      setWeight: this.currentSetWeight(),
      stableRS: s.stableRS,
      currentPodHash: s.currentPodHash,
      abort: s.abort,
      pauseConditions: s.pauseConditions.map((p) => p.reason),
      weights: s.canary.weights ? { canary: s.canary.weights.canary.weight, stable: s.canary.weights.stable.weight } : null,
      replicas: s.replicas,
      updatedReplicas: s.updatedReplicas,
      readyReplicas: s.readyReplicas,
      availableReplicas: s.availableReplicas,
      ...(s.blueGreen
        ? { activeSelector: s.blueGreen.activeSelector, previewSelector: s.blueGreen.previewSelector, scaleUpPreviewCheckPoint: s.blueGreen.scaleUpPreviewCheckPoint }
        : {}),
    });
  }
}

/** Fills fields a merge patch dropped (JSON has no `undefined`) so readers see the full shape. */
function normaliseStatus(s: Partial<RolloutStatus>): RolloutStatus {
  const base = emptyRolloutStatus();
  const out: RolloutStatus = {
    ...base,
    ...s,
    pauseConditions: s.pauseConditions ?? [],
    conditions: s.conditions ?? [],
    canary: { ...base.canary, ...(s.canary ?? {}) },
  };
  if (s.blueGreen) out.blueGreen = { ...emptyBlueGreenStatus(), ...s.blueGreen };
  return out;
}
