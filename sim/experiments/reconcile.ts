// One reconcile of one Experiment: a port of argo-rollouts v1.9.1 experiments/experiment.go
// (experimentContext: reconcile, reconcileTemplate, createTemplateService, reconcileAnalysisRun,
// calculateStatus, assessTemplates, assessAnalysisRuns, calculateEnqueueDuration) and
// experiments/replicaset.go (newReplicaSetFromTemplate, addScaleDownDelay, scaleTemplateRS).
// The queue and the informers around it are in controller.ts.
import { isCompleted, type AnalysisPhase } from '../analysis/types.js';
import type { AnalysisController } from '../analysis/analysisController.js';
import type { AnalysisRun } from '../analysis/analysisRun.js';
import type { Cluster } from '../cluster/cluster.js';
import { SimService } from '../cluster/service.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import type { Kernel } from '../engine/kernel.js';
import { podTemplateHash } from '../manifests/templateHash.js';
import { hasContainerPorts } from '../manifests/validateExperiment.js';
import type { AnalysisTemplate, ExperimentAnalysisRef } from '../manifests/types.js';
import { DefaultRolloutResyncPeriodSeconds } from '../rollouts/defaults.js';
import type { EventRecorder } from '../rollouts/events.js';
import { metaNow } from '../rollouts/status.js';
import { calculateExperimentConditions } from './conditions.js';
import {
  analysisIsWorse,
  calculateTemplateReplicasCount,
  durationMs,
  getAnalysisRunStatus,
  getTemplateStatus,
  hasRequiredAnalysisRuns,
  isTemplateCompleted,
  isTerminating,
  passedDurations,
  replicasOrDefault,
  requiredAnalysisRunsSuccessful,
  setAnalysisRunStatus,
  setTemplateStatus,
  templateIsWorse,
  worstTemplateStatus,
} from './experimentUtil.js';
import {
  cloneExperimentStatus,
  type ExperimentAnalysisRunStatus,
  type ExperimentStatus,
  type ExperimentTemplate,
  type SimExperiment,
  type TemplateStatus,
  type TemplateStatusCode,
} from './types.js';

/** utils/defaults: DefaultProgressDeadlineSeconds, DefaultScaleDownDelaySeconds. */
const DefaultExperimentProgressDeadlineSeconds = 600;
const DefaultExperimentScaleDownDelaySeconds = 30;
const SCALE_DOWN_DEADLINE = 'scale-down-deadline';
const requiredAnalysisCompletedMessage = 'Required AnalysisRuns completed';

/** What a reconcile uses of the run and of the controller around it. */
export interface ExperimentReconcileDeps {
  readonly kernel: Kernel;
  readonly cluster: Cluster;
  readonly analysis: AnalysisController;
  readonly analysisTemplates: ReadonlyMap<string, AnalysisTemplate>;
  readonly clusterAnalysisTemplates: ReadonlyMap<string, AnalysisTemplate>;
  readonly events: EventRecorder;
  enqueueAfter(ex: SimExperiment, delayMs: number): void;
}

/** `experimentContext`: one reconcile of one experiment. */
export class ExperimentContext {
  private readonly newStatus: ExperimentStatus;
  private readonly isTerminating: boolean;
  private readonly now: number;

  constructor(
    private readonly c: ExperimentReconcileDeps,
    private readonly ex: SimExperiment,
    private readonly templateRSs: Map<string, ReplicaSet>,
  ) {
    this.newStatus = cloneExperimentStatus(ex.status);
    this.isTerminating = isTerminating(ex);
    this.now = c.kernel.nowMs;
  }

  private get objectName(): string {
    return `Experiment/${this.ex.name}`;
  }

  private event(reason: string, message: string, warn = false): void {
    this.c.events.event(this.objectName, reason, message, warn ? 'Warning' : 'Normal');
  }

  reconcile(): ExperimentStatus {
    for (const template of this.ex.spec.templates) this.reconcileTemplate(template);
    for (const analysis of this.ex.spec.analyses) this.reconcileAnalysisRun(analysis);
    this.calculateStatus();
    const delay = calculateEnqueueDuration(this.ex, this.newStatus, this.now);
    if (delay !== undefined) this.c.enqueueAfter(this.ex, delay);
    return this.newStatus;
  }

  private progressDeadlineSeconds(): number {
    return this.ex.spec.progressDeadlineSeconds ?? DefaultExperimentProgressDeadlineSeconds;
  }

  private reconcileTemplate(template: ExperimentTemplate): void {
    const ts: TemplateStatus = getTemplateStatus(this.ex.status, template.name) ?? {
      name: template.name,
      replicas: 0,
      updatedReplicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      status: '',
      message: '',
      lastTransitionTime: undefined,
      serviceName: '',
      podTemplateHash: '',
    };
    const prev = { ...ts };
    const desired = calculateTemplateReplicasCount(this.ex, this.ex.status, template);
    const now = metaNow(this.now);

    let rs = this.templateRSs.get(template.name);
    if (!rs) {
      // createReplicaSetForTemplate: created at 0 replicas (template.Replicas is set to 0 first,
      // so no NewReplicaSetCreated event), then scaled by the next reconcile.
      rs = this.createReplicaSet(template);
      this.templateRSs.set(template.name, rs);
      ts.lastTransitionTime = now;
    } else {
      if (template.service !== undefined) {
        if (desired !== 0) this.createTemplateService(template, ts, rs);
        else if (rs.availableReplicas === 0) this.deleteTemplateService(template, ts);
      }
      if (desired === 0) this.addScaleDownDelay(rs);
      if (rs.specReplicas !== desired) {
        this.scaleTemplateRS(rs, desired, replicasOrDefault(template.replicas));
        ts.lastTransitionTime = now;
      }
    }

    // A ReplicaSet's status counts, as the controller reads them (the scale above is not seen yet).
    ts.replicas = rs.statusReplicas;
    ts.updatedReplicas = rs.statusReplicas;
    ts.readyReplicas = rs.readyReplicas;
    ts.availableReplicas = rs.availableReplicas;
    if (
      prev.replicas !== ts.replicas ||
      prev.updatedReplicas !== ts.updatedReplicas ||
      prev.readyReplicas !== ts.readyReplicas ||
      prev.availableReplicas !== ts.availableReplicas
    ) {
      ts.lastTransitionTime = now;
    }

    // Template statuses never leave a completed status.
    if (!isTemplateCompleted(ts.status)) {
      if (desired === ts.availableReplicas) {
        if (passedDurations(this.ex, this.ex.status, this.now).passed) ts.status = 'Successful';
        else if (this.isTerminating) ts.status = 'Successful';
        else ts.status = 'Running';
      } else {
        const from = ts.lastTransitionTime ?? now;
        const pds = this.progressDeadlineSeconds();
        if (this.now > from + pds * 1000) {
          ts.status = 'Failed';
          ts.message = `Template '${template.name}' exceeded its progressDeadlineSeconds (${pds})`;
        } else if (this.isTerminating) ts.status = 'Successful';
        else ts.status = 'Progressing';
      }
    }
    if (prev.status !== ts.status) {
      let msg = `Template '${template.name}' transitioned from ${prev.status} -> ${ts.status}`;
      if (ts.message !== '') msg += `: ${ts.message}`;
      this.event(`Template${ts.status}`, msg, ts.status === 'Failed' || ts.status === 'Error');
    }
    setTemplateStatus(this.newStatus, ts);
  }

  /**
   * experiments/replicaset.go newReplicaSetFromTemplate: named `<experiment>-<template>`; the pod
   * template's own `rollouts-pod-template-hash` label is dropped and the hash recomputed, so a
   * template cut unchanged from a Rollout's ReplicaSet gets that ReplicaSet's hash (and its pods
   * that ReplicaSet's labels).
   */
  private createReplicaSet(template: ExperimentTemplate): ReplicaSet {
    const hash = podTemplateHash(template.template.raw);
    const rs = this.c.cluster.createReplicaSet(`${this.ex.name}-${template.name}`, hash, template.template, template.minReadySeconds, {
      kind: 'Experiment',
      name: this.ex.name,
      template: template.name,
    });
    rs.annotations.set('experiment.argoproj.io/name', this.ex.name);
    rs.annotations.set('experiment.argoproj.io/template-name', template.name);
    return rs;
  }

  /**
   * `createTemplateService`: a Service named after the ReplicaSet (or `service.name`) selecting the
   * ReplicaSet's pod labels — created only when a container declares a port (upstream builds the
   * Service's ports from them). Also selects any pod with the same labels, e.g. the Rollout's own
   * pods of the same revision.
   */
  private createTemplateService(template: ExperimentTemplate, ts: TemplateStatus, rs: ReplicaSet): void {
    const name = template.service?.name || rs.name;
    const existing = this.c.cluster.services.get(name);
    if (existing && ts.serviceName === name) return;
    if (!hasContainerPorts(template.template.raw)) return;
    if (existing && existing.ownerExperiment !== `${this.ex.name}/${template.name}`) {
      ts.status = 'Error';
      ts.message = `Failed to create Service ${name} for template '${template.name}': service ${name} already exists and is not owned by experiment template ${template.name}`;
      return;
    }
    if (!existing) {
      const svc = new SimService(name, rs.podLabels);
      svc.ownerExperiment = `${this.ex.name}/${template.name}`;
      this.c.cluster.addService(svc);
    }
    ts.serviceName = name;
    ts.podTemplateHash = rs.podTemplateHash;
  }

  /** `deleteTemplateService`: once the ReplicaSet has no available pod left. */
  private deleteTemplateService(template: ExperimentTemplate, ts: TemplateStatus): void {
    const owned = [...this.c.cluster.services.values()].find((s) => s.ownerExperiment === `${this.ex.name}/${template.name}`);
    if (!owned) return;
    this.c.cluster.removeService(owned.name);
    ts.serviceName = '';
    ts.podTemplateHash = '';
  }

  /** `addScaleDownDelay`: a deadline `scaleDownDelaySeconds` from now, once; 0 removes it. */
  private addScaleDownDelay(rs: ReplicaSet): void {
    const delaySeconds = this.ex.spec.scaleDownDelaySeconds ?? DefaultExperimentScaleDownDelaySeconds;
    if (delaySeconds === 0) {
      rs.annotations.delete(SCALE_DOWN_DEADLINE);
      return;
    }
    if (rs.annotations.has(SCALE_DOWN_DEADLINE)) return;
    rs.annotations.set(SCALE_DOWN_DEADLINE, String(metaNow(this.now) + delaySeconds * 1000));
  }

  /** `scaleTemplateRS`: a scale-down waits for the deadline (requeued for it), keeping the template's replicas. */
  private scaleTemplateRS(rs: ReplicaSet, desired: number, experimentReplicas: number): void {
    let target = desired;
    if (desired === 0) {
      const deadline = rs.annotations.get(SCALE_DOWN_DEADLINE);
      // GetTimeRemainingBeforeScaleDownDeadline: remaining only while the deadline is after now.
      if (deadline !== undefined && Number(deadline) > this.now) {
        const remaining = Number(deadline) - this.now;
        if (remaining < DefaultRolloutResyncPeriodSeconds * 1000) this.c.enqueueAfter(this.ex, remaining);
        target = experimentReplicas;
      }
    }
    if (rs.specReplicas === target) return;
    const old = rs.specReplicas;
    this.c.cluster.scale(rs, target);
    this.event('ScalingReplicaSet', `Scaled ${old < target ? 'up' : 'down'} ReplicaSet ${rs.name} from ${old} to ${target}`);
  }

  private reconcileAnalysisRun(analysis: ExperimentAnalysisRef): void {
    const prev: ExperimentAnalysisRunStatus = getAnalysisRunStatus(this.ex.status, analysis.name) ?? { name: analysis.name, analysisRun: '', phase: '', message: '' };
    const next = { ...prev };
    this.reconcileAnalysisRunStatus(analysis, prev, next);
    // The deferred event of upstream's reconcileAnalysisRun (also sent to the owning Rollout, #4009).
    if (prev.phase !== next.phase && next.phase !== '') {
      let msg = `AnalysisRun '${analysis.name}' transitioned from ${prev.phase} -> ${next.phase}`;
      if (next.message !== '') msg += `: ${next.message}`;
      const warn = next.phase === 'Failed' || next.phase === 'Error' || next.phase === 'Inconclusive';
      this.event(`AnalysisRun${next.phase}`, msg, warn);
      if (this.ex.ownerRollout !== undefined) this.c.events.warn(`Rollout/${this.ex.ownerRollout}`, `AnalysisRun${next.phase}`, msg);
    }
    setAnalysisRunStatus(this.newStatus, next);
  }

  private reconcileAnalysisRunStatus(analysis: ExperimentAnalysisRef, prev: ExperimentAnalysisRunStatus, next: ExperimentAnalysisRunStatus): void {
    if (this.ex.status.availableAt === undefined) {
      // Not available yet: no run starts; only the template is verified (load-time checks make it exist).
      return;
    }
    if (prev.analysisRun === '') {
      if (this.isTerminating) return;
      const created = this.createAnalysisRun(analysis);
      if (typeof created === 'string') {
        next.phase = 'Error';
        next.message = `Failed to create AnalysisRun for analysis '${analysis.name}': ${created}`;
      } else {
        next.phase = 'Pending';
        next.analysisRun = created.name;
      }
      return;
    }
    if (isCompleted(prev.phase)) return;
    const run = this.c.analysis.allRuns.find((r) => r.name === prev.analysisRun);
    if (!run) {
      next.phase = 'Error';
      next.message = `analysisrun.argoproj.io "${prev.analysisRun}" not found`;
      return;
    }
    if (this.isTerminating) {
      if (!isCompleted(run.phase) && !run.terminate) {
        this.event('AnalysisRunTerminating', `Terminating ${analysis.name} (${run.name})`);
        this.c.analysis.terminate(run);
      }
      return;
    }
    next.phase = run.phase;
    next.message = run.message;
  }

  /** `createAnalysisRun`: `<experiment>-<analysis>`, arguments resolved against the experiment. */
  private createAnalysisRun(analysis: ExperimentAnalysisRef): AnalysisRun | string {
    const args = [];
    for (const arg of analysis.args) {
      if (arg.value === undefined) {
        args.push({ name: arg.name, value: undefined, valueFrom: undefined });
        continue;
      }
      const resolved = this.resolveExperimentArgsValue(arg.value);
      if (resolved.error !== undefined) return resolved.error;
      args.push({ name: arg.name, value: resolved.value, valueFrom: undefined });
    }
    return this.c.analysis.createFromRollout({
      baseName: `${this.ex.name}-${analysis.name}`,
      analysis: {
        templates: [{ templateName: analysis.templateName, clusterScope: analysis.clusterScope }],
        args,
        dryRun: this.ex.spec.dryRun,
        measurementRetention: this.ex.spec.measurementRetention,
      },
      labels: { rolloutType: 'Experiment', stepIndex: undefined, podTemplateHash: this.ex.labels['rollouts-pod-template-hash'] ?? '' },
      ownerRollout: `Experiment/${this.ex.name}`,
      stableHash: undefined,
      latestHash: '',
      rolloutFields: { name: this.ex.name, namespace: this.ex.namespace },
      analysisTemplates: this.c.analysisTemplates,
      clusterAnalysisTemplates: this.c.clusterAnalysisTemplates,
    });
  }

  /** utils/template ResolveExperimentArgsValue: `{{templates.<t>.podTemplateHash}}`, `.replicaset.name`, `{{experiment.availableAt}}`, `.finishedAt`. */
  private resolveExperimentArgsValue(text: string): { value: string; error?: undefined } | { value?: undefined; error: string } {
    const values = new Map<string, string>();
    const availableAt = this.ex.status.availableAt;
    if (availableAt !== undefined) {
      values.set('experiment.availableAt', rfc3339(availableAt));
      const d = durationMs(this.ex);
      if (d !== undefined) values.set('experiment.finishedAt', rfc3339(availableAt + Math.floor(d / 1000) * 1000));
    }
    for (const t of this.ex.spec.templates) {
      const rs = this.templateRSs.get(t.name);
      if (!rs) continue;
      values.set(`templates.${t.name}.podTemplateHash`, rs.podTemplateHash);
      values.set(`templates.${t.name}.replicaset.name`, rs.name);
    }
    let error: string | undefined;
    const value = text.replace(/\{\{(.*?)\}\}/g, (_, tag: string) => {
      const v = values.get(tag.trim());
      if (v !== undefined) return v;
      error = `failed to resolve {{${tag}}}`;
      return '';
    });
    return error === undefined ? { value } : { error };
  }

  private calculateStatus(): void {
    const s = this.newStatus;
    switch (s.phase) {
      case '':
        s.phase = 'Pending';
        break;
      case 'Pending':
      case 'Running': {
        const [templateStatus, templateMessage] = this.assessTemplates();
        const [analysesStatus, analysesMessage] = this.assessAnalysisRuns();
        if (templateStatus === 'Running' && s.availableAt === undefined) s.availableAt = metaNow(this.now);
        if (isCompleted(templateStatus)) {
          const analysisRun = isCompleted(analysesStatus) || hasRequiredAnalysisRuns(this.ex);
          if (templateStatus === 'Successful' && analysisRun) {
            // Templates ran their duration (or were terminated): the analyses decide.
            s.phase = analysesStatus;
            s.message = analysesMessage;
          } else {
            s.phase = templateStatus;
            s.message = templateMessage;
          }
        } else if (isCompleted(analysesStatus) && analysesStatus !== 'Successful') {
          // Templates still Running, but an analysis failed, errored or was inconclusive.
          s.phase = analysesStatus;
          s.message = analysesMessage;
        } else if (requiredAnalysisRunsSuccessful(this.ex, s)) {
          s.phase = analysesStatus;
          s.message = analysesMessage;
        } else {
          s.phase = templateStatus;
          s.message = templateMessage;
        }
        break;
      }
      default:
        break;
    }
    calculateExperimentConditions(this.ex, s, this.now);
  }

  /** The worst template status, as an experiment phase. */
  private assessTemplates(): [AnalysisPhase, string] {
    let worst: TemplateStatusCode = 'Successful';
    let message = '';
    for (const template of this.ex.spec.templates) {
      const ts = getTemplateStatus(this.newStatus, template.name);
      if (!ts) worst = worstTemplateStatus(worst, 'Progressing');
      else if (templateIsWorse(worst, ts.status)) {
        worst = ts.status;
        message = ts.message;
      }
    }
    switch (worst) {
      case 'Progressing':
        return ['Pending', message];
      case 'Failed':
        return ['Failed', message];
      case 'Error':
        return ['Error', message];
      case 'Successful':
        return ['Successful', message];
      default:
        return ['Running', message];
    }
  }

  /** The worst analysis phase; no analyses ⇒ Successful; Pending reads as Running. */
  private assessAnalysisRuns(): [AnalysisPhase, string] {
    let worst: AnalysisPhase = 'Successful';
    let message = '';
    for (const a of this.ex.spec.analyses) {
      const as = getAnalysisRunStatus(this.newStatus, a.name);
      const phase = as?.phase ?? '';
      if (analysisIsWorse(worst, phase)) {
        worst = phase;
        message = as?.message ?? '';
      }
    }
    if (requiredAnalysisRunsSuccessful(this.ex, this.newStatus) && analysisIsWorse(worst, 'Running')) return ['Successful', requiredAnalysisCompletedMessage];
    if (worst === 'Pending') worst = 'Running';
    return [worst, message];
  }
}

/**
 * `calculateEnqueueDuration`: the earliest of availableAt + duration and, for templates short of
 * their replicas, lastTransitionTime + progressDeadlineSeconds. Upstream's requeue lands just
 * after the instant and both tests are strict ("now is after"), so ours lands 1 ms after it.
 */
function calculateEnqueueDuration(ex: SimExperiment, newStatus: ExperimentStatus, nowMs: number): number | undefined {
  if (isTerminating(ex, newStatus)) return undefined;
  let candidate: number | undefined;
  if (newStatus.availableAt !== undefined && ex.spec.duration !== undefined && ex.spec.duration !== '') {
    const { passed, remainingMs } = passedDurations(ex, newStatus, nowMs);
    if (!passed) candidate = remainingMs + 1;
  }
  const pds = ex.spec.progressDeadlineSeconds ?? DefaultExperimentProgressDeadlineSeconds;
  for (const template of ex.spec.templates) {
    const ts = getTemplateStatus(newStatus, template.name);
    if (!ts || (ts.status !== 'Progressing' && ts.status !== 'Running')) continue;
    const desired = calculateTemplateReplicasCount(ex, newStatus, template);
    if (ts.availableReplicas !== desired && ts.lastTransitionTime !== undefined) {
      const untilDeadline = ts.lastTransitionTime + pds * 1000 - nowMs + 1;
      if (candidate === undefined || untilDeadline < candidate) candidate = untilDeadline;
    }
  }
  return candidate;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
