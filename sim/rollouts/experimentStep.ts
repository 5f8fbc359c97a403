// The Rollout side of a canary `experiment` step: a port of argo-rollouts v1.9.1
// rollout/experiment.go (GetExperimentFromTemplate, reconcileExperiments,
// createExperimentWithCollisionHandling, cancelExperiments) and utils/experiment/filter.go
// (GetCurrentExperiment). The canary reconcile (canary.ts) calls `reconcile` between traffic
// routing and analysis, as rollout/canary.go rolloutCanary does, and reads `current` to decide
// whether the step completed (`completedCurrentCanaryStep`: the current experiment is Successful).
//
// Not modelled: deleting old experiments (`FilterExperimentsToDelete`, history limits) — finished
// experiments stay, with their ReplicaSets at 0.
import type { ReplicaSet } from '../cluster/replicaSet.js';
import { POD_TEMPLATE_HASH_LABEL } from '../cluster/replicaSet.js';
import type { ExperimentController, NewExperiment } from '../experiments/controller.js';
import { hasFinished } from '../experiments/experimentUtil.js';
import type { ExperimentTemplate, SimExperiment } from '../experiments/types.js';
import { isCompleted } from '../analysis/types.js';
import type { AnalysisArg, PodTemplateSpec, RolloutExperimentStep, RolloutExperimentTemplate } from '../manifests/types.js';
import type { PauseContext } from './pause.js';
import type { SimRollout } from './rollout.js';
import type { RolloutStatus, WeightDestination } from './status.js';

/** What `reconcileExperiments` reads and writes of the canary reconcile it runs in. */
export interface ExperimentStepContext {
  readonly rollout: SimRollout;
  /** The status the reconcile read. */
  readonly prev: RolloutStatus;
  /** The status being built (`currentExperiment` is set here). */
  readonly newStatus: RolloutStatus;
  readonly pause: PauseContext;
  readonly stableRS: ReplicaSet | undefined;
  readonly newRS: ReplicaSet | undefined;
  event(reason: string, message: string): void;
}

export class RolloutExperiments {
  /** `c.currentEx`: the experiment named in status.canary.currentExperiment. */
  current: SimExperiment | undefined;
  /** `c.otherExs`: every other experiment the rollout owns. */
  others: SimExperiment[];

  constructor(
    private readonly experiments: ExperimentController,
    rolloutName: string,
    prev: RolloutStatus,
  ) {
    const owned = experiments.ownedBy(rolloutName);
    const name = prev.canary.currentExperiment;
    this.current = name === undefined ? undefined : owned.find((e) => e.name === name);
    this.others = owned.filter((e) => e !== this.current);
  }

  /** `SetCurrentExperiment`: also rescues it from the list about to be cancelled. */
  private setCurrent(ctx: ExperimentStepContext, ex: SimExperiment): void {
    this.current = ex;
    ctx.newStatus.canary.currentExperiment = ex.name;
    this.others = this.others.filter((e) => e !== ex);
  }

  /**
   * `calculateWeightDestinationsFromExperiment`: while the current experiment is Running, each of
   * its templates with a `weight` (in the nearest experiment step at or before the current index)
   * is a destination: its Service, its pod-template hash, its weight.
   */
  weightDestinations(ctx: Pick<ExperimentStepContext, 'rollout' | 'prev'>): WeightDestination[] {
    const ex = this.current;
    if (!ex || ex.status.phase !== 'Running') return [];
    const steps = ctx.rollout.steps;
    if (steps.length === 0) return [];
    let step: RolloutExperimentStep | undefined;
    for (let i = Math.min(ctx.prev.currentStepIndex ?? 0, steps.length - 1); i >= 0 && !step; i--) {
      const s = steps[i]!;
      if (s.kind === 'experiment') step = s.experiment;
    }
    if (!step) return [];
    const out: WeightDestination[] = [];
    for (const ts of ex.status.templateStatuses) {
      const weight = step.templates.find((t) => t.name === ts.name)?.weight;
      if (weight !== undefined) out.push({ weight, serviceName: ts.serviceName, podTemplateHash: ts.podTemplateHash });
    }
    return out;
  }

  /** `reconcileExperiments`. */
  reconcile(ctx: ExperimentStepContext): void {
    if (ctx.pause.isAborted() || ctx.prev.promoteFull) {
      this.cancel([...this.others, ...(this.current ? [this.current] : [])]);
      return;
    }
    if (ctx.prev.pauseConditions.some((p) => p.reason === 'InconclusiveAnalysisRun')) return;

    const steps = ctx.rollout.steps;
    const index = steps.length === 0 ? undefined : (ctx.prev.currentStepIndex ?? 0);
    const step = index === undefined ? undefined : steps[index];
    let currentEx = this.current;
    if (step?.kind === 'experiment' && index !== undefined) {
      if (!currentEx) {
        // No experiment until a stable ReplicaSet exists.
        if (!ctx.stableRS || !ctx.newRS) return;
        currentEx = this.createWithCollisionHandling(ctx.rollout.name, experimentFromStep(ctx.rollout, step.experiment, index, ctx.stableRS, ctx.newRS));
        ctx.event('ExperimentCreated', `Created Experiment '${currentEx.name}'`);
      }
      switch (currentEx.status.phase) {
        case 'Inconclusive':
          ctx.pause.addPauseCondition('InconclusiveExperiment');
          break;
        case 'Error':
        case 'Failed': {
          let message = 'Experiment analysis phase is error/failed';
          if (currentEx.status.message !== '') message += `: ${currentEx.status.message}`;
          ctx.pause.addAbort(message);
          break;
        }
        case 'Successful':
          // The current experiment is not carried over once it succeeded.
          break;
        default:
          this.setCurrent(ctx, currentEx);
      }
    }
    const others = [...this.others];
    if (currentEx && step?.kind !== 'experiment') others.push(currentEx);
    this.cancel(others);
  }

  /** `createExperimentWithCollisionHandling`: an unfinished, equal experiment of ours is reused; else `-1`, `-2`… */
  private createWithCollisionHandling(rolloutName: string, req: NewExperiment): SimExperiment {
    let name = req.name;
    for (let n = 1; ; n++) {
      const existing = this.experiments.get(name);
      if (!existing) break;
      if (!isCompleted(existing.status.phase) && existing.ownerRollout === rolloutName && semanticallyEqual(existing, req)) return existing;
      name = `${req.name}-${n}`;
    }
    return this.experiments.create({ ...req, name });
  }

  /** `cancelExperiments`: terminate every unfinished experiment not yet terminating. */
  private cancel(exs: readonly SimExperiment[]): void {
    for (const ex of exs) if (!ex.spec.terminate && !hasFinished(ex)) this.experiments.terminate(ex);
  }
}

/** `IsSemanticallyEqual`: the specs without `terminate`. */
function semanticallyEqual(existing: SimExperiment, req: NewExperiment): boolean {
  const strip = (spec: NewExperiment['spec']): string => JSON.stringify({ ...spec, terminate: false });
  return strip(existing.spec) === strip(req.spec);
}

/**
 * `GetExperimentFromTemplate`: named `<rollout>-<podHash>-<revision>-<stepIndex>`, labelled with the
 * rollout's labels and pod hash; each template copies the stable or canary ReplicaSet's pod
 * template (plus `metadata` labels/annotations, which also join the selector); analyses get their
 * arguments resolved as a step AnalysisRun's would be (`BuildArgumentsForRolloutAnalysisRun`).
 */
export function experimentFromStep(rollout: SimRollout, step: RolloutExperimentStep, stepIndex: number, stableRS: ReplicaSet, newRS: ReplicaSet): NewExperiment {
  const podHash = rollout.podTemplateHash;
  const templates: ExperimentTemplate[] = step.templates.map((t) => templateFromStep(rollout, t, t.specRef === 'canary' ? newRS : stableRS));
  return {
    name: `${rollout.name}-${podHash}-${rollout.revision ?? ''}-${stepIndex}`,
    namespace: rollout.namespace,
    labels: { ...rollout.manifest.metadata.labels, [POD_TEMPLATE_HASH_LABEL]: podHash },
    ownerRollout: rollout.name,
    spec: {
      templates,
      duration: step.duration,
      progressDeadlineSeconds: rollout.manifest.spec.progressDeadlineSeconds,
      terminate: false,
      analyses: step.analyses.map((a) => ({ ...a, args: a.args.map((arg) => resolveStepArg(arg, rollout, stableRS, newRS)) })),
      scaleDownDelaySeconds: step.scaleDownDelaySeconds,
      dryRun: step.dryRun,
      // rollout/experiment.go GetExperimentFromTemplate: RolloutExperimentStep has no retention rules.
      measurementRetention: [],
    },
  };
}

function templateFromStep(rollout: SimRollout, t: RolloutExperimentTemplate, rs: ReplicaSet): ExperimentTemplate {
  const selector = { ...(t.selector?.matchLabels ?? { ...rollout.manifest.spec.selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: rs.podTemplateHash }) };
  for (const [k, v] of Object.entries(t.metadata.labels)) selector[k] = v;
  return {
    name: t.name,
    replicas: t.replicas,
    minReadySeconds: rollout.minReadySeconds,
    selector: { matchLabels: selector },
    template: withMetadata(rs.template, t.metadata.labels, t.metadata.annotations),
    // A weight implies a Service (with the name `service` gives, if any).
    service: t.weight !== undefined || t.service !== undefined ? { name: t.service?.name } : undefined,
  };
}

/** The pod template with extra labels/annotations, its `raw` (what the hash reads) changed to match. */
function withMetadata(template: PodTemplateSpec, labels: Readonly<Record<string, string>>, annotations: Readonly<Record<string, string>>): PodTemplateSpec {
  if (Object.keys(labels).length === 0 && Object.keys(annotations).length === 0) return template;
  const raw = (template.raw ?? {}) as Record<string, unknown>;
  const rawMeta = (raw['metadata'] ?? {}) as Record<string, unknown>;
  const mergedLabels = { ...template.metadata.labels, ...labels };
  const mergedAnnotations = { ...template.metadata.annotations, ...annotations };
  const meta: Record<string, unknown> = { ...rawMeta };
  if (Object.keys(mergedLabels).length > 0) meta['labels'] = mergedLabels;
  if (Object.keys(mergedAnnotations).length > 0) meta['annotations'] = mergedAnnotations;
  return { ...template, metadata: { labels: mergedLabels, annotations: mergedAnnotations }, raw: { ...raw, metadata: meta } };
}

/**
 * `BuildArgumentsForRolloutAnalysisRun`: values, pod-template hashes, and Rollout metadata field
 * paths (`fieldpath.ExtractFieldPathAsString`: name, namespace, labels['k'], annotations['k']).
 * A field path the model cannot read leaves the argument without a value, so the experiment's
 * AnalysisRun ends in Error ("args.<name> was not resolved").
 */
function resolveStepArg(arg: AnalysisArg, rollout: SimRollout, stableRS: ReplicaSet, newRS: ReplicaSet): AnalysisArg {
  const hash = arg.valueFrom?.podTemplateHashValue;
  if (hash === 'Stable') return { name: arg.name, value: stableRS.podTemplateHash, valueFrom: undefined };
  if (hash === 'Latest') return { name: arg.name, value: newRS.podTemplateHash, valueFrom: undefined };
  const path = arg.valueFrom?.fieldRef?.fieldPath;
  if (path !== undefined) return { name: arg.name, value: rolloutFieldPath(rollout, path), valueFrom: undefined };
  return { name: arg.name, value: arg.value, valueFrom: undefined };
}

function rolloutFieldPath(rollout: SimRollout, path: string): string | undefined {
  const meta = rollout.manifest.metadata;
  if (path === 'metadata.name') return meta.name;
  if (path === 'metadata.namespace') return rollout.namespace;
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? meta.labels : meta.annotations)[m[2]!] ?? '';
  return undefined;
}
