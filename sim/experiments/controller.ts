// The model of the Argo Rollouts experiment controller: its work queue, informer handlers and
// status persistence, ported from argo-rollouts v1.9.1 experiments/controller.go (NewController's
// event handlers, syncHandler, persistExperimentStatus, recordEvent, enqueueIfCompleted). One
// reconcile of one experiment is in reconcile.ts. Upstream function names are kept so the
// TypeScript reads beside the Go.
//
// Not modelled: garbage collection of finished experiments; the InvalidSpec condition (invalid
// specs are load errors, sim/manifests/validateExperiment.ts).
import { isCompleted } from '../analysis/types.js';
import type { AnalysisController } from '../analysis/analysisController.js';
import type { AnalysisRun } from '../analysis/analysisRun.js';
import type { Cluster } from '../cluster/cluster.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import { Priority, type Kernel, type ScheduledAction } from '../engine/kernel.js';
import type { TraceRecorder } from '../engine/trace.js';
import type { AnalysisTemplate } from '../manifests/types.js';
import { EventRecorder } from '../rollouts/events.js';
import { ExperimentContext } from './reconcile.js';
import { type ExperimentSpec, type ExperimentStatus, SimExperiment } from './types.js';

export interface ExperimentControllerOptions {
  readonly kernel: Kernel;
  readonly trace: TraceRecorder;
  readonly cluster: Cluster;
  readonly analysis: AnalysisController;
  readonly analysisTemplates: ReadonlyMap<string, AnalysisTemplate>;
  readonly clusterAnalysisTemplates: ReadonlyMap<string, AnalysisTemplate>;
}

export interface NewExperiment {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ownerRollout: string | undefined;
  readonly spec: ExperimentSpec;
}

export class ExperimentController {
  readonly experiments: SimExperiment[] = [];
  readonly events: EventRecorder;
  private readonly pending = new Map<SimExperiment, ScheduledAction>();
  private readonly delayed = new Map<string, ScheduledAction>();
  private readonly listeners: ((ex: SimExperiment) => void)[] = [];
  /** While the controller process is down (a controllerRestart fault), queues are lost and nothing runs. */
  private down = false;
  private stopsPending = 0;

  constructor(private readonly o: ExperimentControllerOptions) {
    this.events = new EventRecorder(o.trace);
  }

  /** The Experiment informer's second handler: an added or updated experiment enqueues its owning Rollout. */
  onChange(listener: (ex: SimExperiment) => void): void {
    this.listeners.push(listener);
  }

  get(name: string): SimExperiment | undefined {
    return this.experiments.find((e) => e.name === name);
  }

  ownedBy(rollout: string): SimExperiment[] {
    return this.experiments.filter((e) => e.ownerRollout === rollout);
  }

  /** The API server creates the experiment (an AlreadyExists name is the caller's to resolve). */
  create(req: NewExperiment): SimExperiment {
    const ex = new SimExperiment(req.name, req.namespace, req.labels, req.ownerRollout, req.spec, this.o.kernel.nowMs);
    this.experiments.push(ex);
    this.o.trace.record('experiment', { experiment: ex.name, phase: 'Created', owner: req.ownerRollout ?? null });
    this.written(ex);
    return ex;
  }

  /** `experimentutil.Terminate`: merge-patch spec.terminate=true. */
  terminate(ex: SimExperiment): void {
    if (ex.spec.terminate) return;
    ex.spec.terminate = true;
    this.written(ex);
  }

  /** An owned ReplicaSet was added or its replica counters changed. */
  replicaSetChanged(rs: ReplicaSet): void {
    if (rs.owner?.kind !== 'Experiment') return;
    const ex = this.get(rs.owner.name);
    if (ex) this.enqueue(ex);
  }

  /** `enqueueIfCompleted`: an owned AnalysisRun reached a completed phase. */
  analysisRunChanged(run: AnalysisRun): void {
    if (!isCompleted(run.phase)) return;
    for (const ex of this.experiments) if (ex.status.analysisRuns.some((a) => a.analysisRun === run.name)) this.enqueue(ex);
  }

  /** Any write bumps the resourceVersion: the experiment and its owner are enqueued. */
  private written(ex: SimExperiment): void {
    ex.resourceVersion++;
    this.enqueue(ex);
    for (const l of this.listeners) l(ex);
  }

  /** The process stops: the work queue and delayed requeues are lost (sim/faults/controlPlane.ts). */
  stop(): void {
    this.stopsPending++;
    this.down = true;
    for (const a of this.pending.values()) this.o.kernel.cancel(a);
    this.pending.clear();
    for (const a of this.delayed.values()) this.o.kernel.cancel(a);
    this.delayed.clear();
  }

  /** The new process lists every Experiment and queues it. */
  start(): void {
    if (this.stopsPending > 0 && --this.stopsPending > 0) return;
    this.down = false;
    for (const ex of this.experiments) this.enqueue(ex);
  }

  enqueue(ex: SimExperiment): void {
    if (this.down) return;
    const now = this.o.kernel.nowMs;
    const existing = this.pending.get(ex);
    if (existing && !existing.cancelled && existing.atMs <= now) return;
    this.o.kernel.cancel(existing);
    this.pending.set(
      ex,
      this.o.kernel.schedule(now, Priority.controller, `reconcile experiment ${ex.name}`, () => {
        this.pending.delete(ex);
        this.syncHandler(ex);
      }),
    );
  }

  /** `enqueueExperimentAfter`. */
  enqueueAfter(ex: SimExperiment, delayMs: number): void {
    if (this.down) return;
    const at = this.o.kernel.nowMs + Math.max(0, delayMs);
    const key = `${ex.name}@${at}`;
    if (this.delayed.has(key)) return;
    this.delayed.set(
      key,
      this.o.kernel.schedule(at, Priority.controller, `requeue experiment ${ex.name}`, () => {
        this.delayed.delete(key);
        this.enqueue(ex);
      }),
    );
  }

  /** ReplicaSets the experiment owns, by template name (`getReplicaSetsForExperiment`). */
  templateReplicaSets(ex: SimExperiment): Map<string, ReplicaSet> {
    const out = new Map<string, ReplicaSet>();
    for (const rs of this.o.cluster.replicaSets) {
      if (rs.owner?.kind === 'Experiment' && rs.owner.name === ex.name && ex.spec.templates.some((t) => t.name === rs.owner!.template)) out.set(rs.owner.template, rs);
    }
    return out;
  }

  private syncHandler(ex: SimExperiment): void {
    const deps = { ...this.o, events: this.events, enqueueAfter: (e: SimExperiment, ms: number) => this.enqueueAfter(e, ms) };
    const ctx = new ExperimentContext(deps, ex, this.templateReplicaSets(ex));
    const newStatus = ctx.reconcile();
    this.persistExperimentStatus(ex, newStatus);
  }

  private persistExperimentStatus(ex: SimExperiment, newStatus: ExperimentStatus): void {
    const prev = ex.status;
    if (JSON.stringify(prev) === JSON.stringify(newStatus)) return;
    ex.status = newStatus;
    this.o.trace.record('experiment', {
      experiment: ex.name,
      phase: newStatus.phase,
      message: newStatus.message,
      availableAt: newStatus.availableAt ?? null,
      templates: newStatus.templateStatuses.map((t) => ({
        name: t.name,
        status: t.status,
        available: t.availableReplicas,
        ...(t.serviceName !== '' ? { service: t.serviceName } : {}),
      })),
      analysisRuns: newStatus.analysisRuns.map((a) => ({ name: a.name, analysisRun: a.analysisRun, phase: a.phase })),
    });
    // recordEvent
    if (prev.phase !== newStatus.phase) {
      const warn = newStatus.phase === 'Error' || newStatus.phase === 'Failed' || newStatus.phase === 'Inconclusive';
      this.events.event(`Experiment/${ex.name}`, `Experiment${newStatus.phase}`, `Experiment transitioned from ${prev.phase} -> ${newStatus.phase}`, warn ? 'Warning' : 'Normal');
    }
    this.written(ex);
  }
}

export type { SimExperiment };
