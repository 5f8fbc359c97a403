// Load-time checks for experiment steps of a Rollout and for standalone Experiments: what the real
// controllers would reject (an InvalidSpec condition on the Experiment, or a reconcile error on the
// Rollout) and references the run could not resolve. Sources (argoproj/argo-rollouts v1.9.1):
//   utils/conditions/experiments.go: VerifyExperimentSpec (selectors, names, minReadySeconds)
//   rollout/experiment.go: GetExperimentFromTemplate ("Invalid template step SpecRef")
//   experiments/experiment.go: verifyAnalysisTemplate (a missing template makes the analysis Error)
//   utils/experiment/experiment.go: PassedDurations (an unparsable duration never passes)
import type { Diagnostic } from '../diagnostics.js';
import { positionAt, type PositionIndex } from './build.js';
import { isGoDuration } from './duration.js';
import { suggestName } from './suggest.js';
import type { AnalysisTemplate, Experiment, ExperimentAnalysisRef, Rollout, RolloutExperimentStep } from './types.js';

const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

export interface ExperimentReferenceIndex {
  readonly analysisTemplates: readonly AnalysisTemplate[];
  readonly clusterAnalysisTemplates: readonly AnalysisTemplate[];
}

type Emit = (path: string, message: string) => void;

function emitter(out: Diagnostic[], index: PositionIndex, basePath: string): Emit {
  return (path, message) => {
    const at = positionAt(index, path);
    out.push({ severity: 'error', file: at.file, line: at.line, column: at.column, field: basePath === '' ? path : `${basePath}.${path}`, message });
  };
}

function checkDuration(duration: string | undefined, path: string, emit: Emit): void {
  if (duration !== undefined && duration !== '' && !isGoDuration(duration)) {
    emit(path, `${JSON.stringify(duration)} is not a Go duration (e.g. "30s", "5m", "1h"): the Experiment would never reach its duration.`);
  }
}

function checkAnalyses(analyses: readonly ExperimentAnalysisRef[], path: string, refs: ExperimentReferenceIndex, emit: Emit): void {
  const names = new Set<string>();
  analyses.forEach((a, i) => {
    if (names.has(a.name)) emit(`${path}[${i}].name`, `duplicate analysis name '${a.name}': each analysis of an experiment needs its own name (it names the AnalysisRun <experiment>-<name>).`);
    names.add(a.name);
    const pool = a.clusterScope ? refs.clusterAnalysisTemplates : refs.analysisTemplates;
    if (!pool.some((t) => t.metadata.name === a.templateName)) {
      const kind = a.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
      const suggestion = suggestName(a.templateName, pool.map((t) => t.metadata.name));
      emit(
        `${path}[${i}].templateName`,
        `${kind} "${a.templateName}" not found: no ${kind} with that name is in the manifests given to rehearse (on a cluster the experiment's analysis would go to Error and the experiment would fail).${suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`}`,
      );
    }
  });
}

/** Whether any container of the pod template declares `ports` (an experiment template's Service is built from them). */
export function hasContainerPorts(raw: unknown): boolean {
  const spec = (raw as { spec?: { containers?: unknown } } | null)?.spec;
  const containers = Array.isArray(spec?.containers) ? (spec.containers as unknown[]) : [];
  return containers.some((c) => Array.isArray((c as { ports?: unknown } | null)?.ports) && (c as { ports: unknown[] }).ports.length > 0);
}

/** `VerifyExperimentSpec` on the templates the experiment will have. */
function checkTemplates(
  templates: readonly { name: string; selector: { matchLabels: Readonly<Record<string, string>> } | undefined; minReadySeconds: number }[],
  progressDeadlineSeconds: number,
  path: string,
  emit: Emit,
): void {
  const seen = new Set<string>();
  templates.forEach((t, i) => {
    if (t.name === '') emit(`${path}[${i}].name`, `experiment template ${i} has an empty name.`);
    else if (seen.has(t.name)) emit(`${path}[${i}].name`, `repeated template name '${t.name}' in templates: each template names its ReplicaSet (<experiment>-<template>).`);
    seen.add(t.name);
    if (t.selector !== undefined && Object.keys(t.selector.matchLabels).length === 0) {
      emit(`${path}[${i}].selector`, `This experiment is selecting all pods at index ${i}. A non-empty selector is required.`);
    }
    if (t.minReadySeconds > progressDeadlineSeconds) {
      emit(`${path}[${i}]`, `MinReadySeconds cannot be longer than ProgressDeadlineSeconds. Check template index ${i}.`);
    }
  });
}

/** An `experiment` step of a canary (called from validate.ts for each such step). */
export function validateExperimentStep(
  rollout: Rollout,
  step: RolloutExperimentStep,
  stepPath: string,
  refs: ExperimentReferenceIndex,
  index: PositionIndex,
  basePath: string,
  out: Diagnostic[],
): void {
  const emit = emitter(out, index, basePath);
  const path = `${stepPath}.experiment`;
  const tr = rollout.spec.strategy.canary.trafficRouting;
  step.templates.forEach((t, i) => {
    if (t.specRef !== 'stable' && t.specRef !== 'canary') {
      emit(`${path}.templates[${i}].specRef`, `Invalid template step SpecRef: must be canary or stable, got ${JSON.stringify(t.specRef)}.`);
    }
    if (t.weight === undefined) return;
    // validation.go ValidateRolloutStrategyCanary: template weights need SMI, ALB, Istio or plugin routing.
    if (tr === undefined) emit(`${path}.templates[${i}].weight`, 'Experiment template weight cannot be set unless TrafficRouting is enabled.');
    else if (!tr.routers.some((r) => r === 'smi' || r === 'alb' || r === 'istio' || r === 'plugin')) {
      emit(`${path}.templates[${i}].weight`, 'Experiment template weight is only available for TrafficRouting with SMI, ALB, Istio and Plugins at this time.');
    } else if (!hasContainerPorts(rollout.spec.template.raw)) {
      // experiments/experiment.go createTemplateService builds the Service's ports from the containers'.
      emit(
        `${path}.templates[${i}].weight`,
        "the pod template declares no container ports, so the experiment creates no Service for this template and its weight would route to nothing; add ports to spec.template's containers.",
      );
    }
  });
  checkTemplates(
    step.templates.map((t) => ({ name: t.name, selector: t.selector, minReadySeconds: rollout.spec.minReadySeconds ?? 0 })),
    rollout.spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
    `${path}.templates`,
    emit,
  );
  checkDuration(step.duration, `${path}.duration`, emit);
  checkAnalyses(step.analyses, `${path}.analyses`, refs, emit);
  if (step.scaleDownDelaySeconds !== undefined && step.scaleDownDelaySeconds < 0) {
    emit(`${path}.scaleDownDelaySeconds`, `must be greater than or equal to 0, got ${step.scaleDownDelaySeconds}.`);
  }
}

/** A standalone Experiment manifest. */
export function validateExperiment(experiment: Experiment, refs: ExperimentReferenceIndex, index: PositionIndex, basePath: string, out: Diagnostic[]): void {
  const emit = emitter(out, index, basePath);
  const spec = experiment.spec;
  checkTemplates(spec.templates, spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS, 'spec.templates', emit);
  spec.templates.forEach((t, i) => {
    const labels = t.template.metadata.labels;
    const missing = Object.entries(t.selector?.matchLabels ?? {}).filter(([k, v]) => labels[k] !== v);
    if (missing.length > 0) {
      emit(`spec.templates[${i}].template.metadata.labels`, `\`selector\` does not match template \`labels\`: missing or different: ${missing.map(([k, v]) => `${k}=${v}`).join(', ')}.`);
    }
    if (t.replicas !== undefined && t.replicas < 0) emit(`spec.templates[${i}].replicas`, `must be greater than or equal to 0, got ${t.replicas}.`);
  });
  checkDuration(spec.duration, 'spec.duration', emit);
  checkAnalyses(spec.analyses, 'spec.analyses', refs, emit);
}
