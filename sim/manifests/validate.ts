// Checks the real controller makes before it acts on a Rollout — the ones that would put an
// InvalidSpec condition on it — run at load time so the user hears about them first.
// Sources (argoproj/argo-rollouts v1.9.1):
//   pkg/apis/rollouts/validation/validation.go: ValidateRolloutSpec, ValidateRolloutStrategyCanary,
//     requireCanaryStableServices, invalidMaxSurgeMaxUnavailable, hasMultipleStepsType
//   pkg/apis/rollouts/validation/validation_references.go: ValidateService,
//     ValidateAnalysisTemplatesWithType, ValidateAnalysisTemplateWithType,
//     ValidateRolloutVirtualServicesConfig, ValidateRolloutNginxIngressesConfig, ValidateRolloutAlbIngressesConfig
//   k8s.io/kubernetes/pkg/apis/apps/validation: ValidatePodTemplateSpecForReplicaSet (selector vs labels)
// Messages quote upstream's constants where they exist.

import type { Diagnostic } from '../diagnostics.js';
import type { PositionIndex } from './build.js';
import { positionAt } from './build.js';
import { pauseDurationSeconds } from './duration.js';
import { extractValueFromRollout, FieldPathError } from './fieldPath.js';
import { expandTemplateRefs, flattenAndMergeArgs, unboundedMetricErrors, validateMetricAsWritten } from './metricValidation.js';
import { suggestName } from './suggest.js';
import { validateExperimentStep } from './validateExperiment.js';
import type { AnalysisArg, AnalysisTemplate, CanaryStep, IntOrString, Rollout, RolloutAnalysis, Secret, Service } from './types.js';

/** Upstream defaults this file needs (utils/defaults/defaults.go). */
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
const DEFAULT_MAX_TRAFFIC_WEIGHT = 100; // weightutil.MaxTrafficWeight
const DEFAULT_MAX_SURGE: IntOrString = '25%';
const DEFAULT_MAX_UNAVAILABLE: IntOrString = '25%';
const ROLLOUT_UNIQUE_LABEL_KEY = 'rollouts-pod-template-hash';

// Upstream message constants (validation.go).
export const InvalidSetWeightMessage = (max: number): string => `SetWeight needs to be between 0 and ${max}`;
export const InvalidDurationMessage = 'Duration needs to be greater than 0';
export const InvalidMaxSurgeMaxUnavailable = 'MaxSurge and MaxUnavailable both can not be zero';
export const InvalidStepMessage = 'Step must have one of the following set: experiment, setWeight, setCanaryScale, plugin or pause';
export const DuplicatedServicesCanaryMessage =
  'This rollout uses the same service for the stable and canary services, but two different services are required.';
export const InvalidTrafficRoutingMessage = 'Canary service and Stable service must to be set to use Traffic Routing';
export const InvalidCanaryMaxWeightOnlySupportInNginxAndPlugins = 'Canary maxTrafficWeight in traffic routing only supported in Nginx and Plugins';
export const DuplicatedServicesBlueGreenMessage =
  'This rollout uses the same service for the active and preview services, but two different services are required.';
export const ScaleDownLimitLargerThanRevisionLimit = "This rollout's revision history limit can not be smaller than the rollout's scale down limit";
export const InvalidAnalysisArgsMessage = 'Analyses arguments must refer to valid object metadata supported by downwardAPI';
export const InvalidSetCanaryScaleTrafficPolicy = 'SetCanaryScale requires TrafficRouting to be set';
export const InvalidSetHeaderRouteTrafficPolicy = 'SetHeaderRoute requires TrafficRouting, supports Istio and ALB and Apisix';
export const InvalidSetMirrorRouteTrafficPolicy = 'SetMirrorRoute requires TrafficRouting, supports Istio only';
export const InvalidStringMatchMultipleValuePolicy = 'StringMatch match value must have exactly one of the following: exact, regex, prefix';
export const InvalidStringMatchMissedValuePolicy = 'StringMatch value missed, match value must have one of the following: exact, regex, prefix';
export const InvalidCanaryScaleDownDelay = 'Canary scaleDownDelaySeconds can only be used with traffic routing';
export const InvalidCanaryDynamicStableScale = 'Canary dynamicStableScale can only be used with traffic routing';
export const InvalidCanaryDynamicStableScaleWithScaleDownDelay = 'Canary dynamicStableScale cannot be used with scaleDownDelaySeconds';
export const InvalideStepRouteNameNotFoundInManagedRoutes = 'Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes';

/** All objects of one load, for resolving references. */
export interface ManifestIndex {
  readonly analysisTemplates: readonly AnalysisTemplate[];
  readonly clusterAnalysisTemplates: readonly AnalysisTemplate[];
  readonly services: readonly Service[];
}

type Emit = (path: string, message: string, severity?: 'error' | 'warning') => void;

function emitterFor(out: Diagnostic[], index: PositionIndex, basePath: string): Emit {
  return (path, message, severity = 'error') => {
    const at = positionAt(index, path);
    const field = basePath === '' ? path : `${basePath}.${path}`;
    out.push({ severity, file: at.file, line: at.line, column: at.column, field, message });
  };
}

/** `getIntOrPercentValue` in validation.go: "N%" ⇒ N, else IntValue() (non-numbers ⇒ 0). */
function intOrPercentValue(v: IntOrString): number {
  if (typeof v === 'number') return v;
  const percent = /^([0-9]+)%$/.exec(v);
  if (percent) return Number(percent[1]);
  return /^[+-]?[0-9]+$/.test(v) ? Number(v) : 0;
}

/** Field paths `fieldpath.ExtractFieldPathAsString` accepts for metadata (k8s.io/kubernetes/pkg/fieldpath). */
function isSupportedMetadataFieldPath(fieldPath: string): boolean {
  if (['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'].includes(fieldPath)) return true;
  return /^metadata\.(annotations|labels)\[.+\]$/.test(fieldPath);
}

function validateArgs(args: readonly AnalysisArg[], path: string, emit: Emit, rolloutRaw?: unknown): void {
  args.forEach((arg, i) => {
    const fieldPath = arg.valueFrom?.fieldRef?.fieldPath;
    // Paths into the spec are known now; an unreadable one would stop the Rollout from creating the
    // run at all (createAnalysisRun returns the error and the rollout is requeued without end).
    if (fieldPath !== undefined && fieldPath.startsWith('spec') && rolloutRaw !== undefined) {
      try {
        extractValueFromRollout(rolloutRaw, fieldPath);
      } catch (e) {
        if (!(e instanceof FieldPathError)) throw e;
        emit(`${path}.args[${i}].valueFrom.fieldRef.fieldPath`, `${e.message}: the Rollout could not create this AnalysisRun.`);
      }
    }
    if (fieldPath !== undefined && fieldPath.startsWith('metadata') && !isSupportedMetadataFieldPath(fieldPath)) {
      emit(`${path}.args[${i}].valueFrom.fieldRef.fieldPath`, `${InvalidAnalysisArgsMessage}: "${fieldPath}" (use metadata.name, metadata.namespace, metadata.uid, metadata.labels['key'] or metadata.annotations['key']).`);
    }
    const hash: string | undefined = arg.valueFrom?.podTemplateHashValue;
    if (hash !== undefined && hash !== 'Stable' && hash !== 'Latest') {
      emit(`${path}.args[${i}].valueFrom.podTemplateHashValue`, `podTemplateHashValue must be "Stable" or "Latest", got ${JSON.stringify(hash)}.`);
    }
    if (arg.valueFrom !== undefined && hash === undefined && fieldPath === undefined) {
      emit(`${path}.args[${i}].valueFrom`, 'valueFrom needs podTemplateHashValue ("Stable" or "Latest") or fieldRef.');
    }
  });
}

/** The rollout's own spec: everything ValidateRolloutSpec and ValidateRolloutStrategyCanary check. */
export function validateRolloutSpec(rollout: Rollout, index: PositionIndex, basePath: string, out: Diagnostic[]): void {
  const emit = emitterFor(out, index, basePath);
  const spec = rollout.spec;
  const nonNegative = (value: number | undefined, path: string): void => {
    if (value !== undefined && value < 0) emit(path, `must be greater than or equal to 0, got ${value}.`);
  };
  nonNegative(spec.replicas, 'spec.replicas');
  nonNegative(spec.minReadySeconds, 'spec.minReadySeconds');
  nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit');
  nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds');
  nonNegative(spec.rollbackWindow?.revisions, 'spec.rollbackWindow.revisions');
  // metav1.Time decodes RFC 3339 only; anything else fails to unmarshal on the API server.
  if (spec.restartAt !== undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(spec.restartAt)) {
    emit('spec.restartAt', `expected an RFC 3339 time such as "2026-01-01T00:00:00Z", got ${JSON.stringify(spec.restartAt)}.`);
  }
  const progressDeadline = spec.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS;
  const minReady = spec.minReadySeconds ?? 0;
  if (progressDeadline <= minReady) {
    emit(
      spec.progressDeadlineSeconds === undefined ? 'spec.minReadySeconds' : 'spec.progressDeadlineSeconds',
      `progressDeadlineSeconds (${progressDeadline}${spec.progressDeadlineSeconds === undefined ? ', the default' : ''}) must be greater than minReadySeconds (${minReady}).`,
    );
  }

  // Selector vs template labels.
  const matchLabels = Object.entries(spec.selector.matchLabels);
  if (matchLabels.length === 0) {
    emit('spec.selector', 'empty selector is invalid for deployment: spec.selector.matchLabels needs at least one label that the pod template also carries.');
  } else {
    const labels = spec.template.metadata.labels;
    const missing = matchLabels.filter(([k, v]) => labels[k] !== v).map(([k, v]) => `${k}=${v}`);
    if (missing.length > 0) {
      emit('spec.template.metadata.labels', `\`selector\` does not match template \`labels\`: the pod template must carry every spec.selector.matchLabels label; missing or different: ${missing.join(', ')}.`);
    }
  }
  spec.template.containers.forEach((c, i) => {
    if (c.image === '') emit(`spec.template.spec.containers[${i}].image`, 'every container needs a non-empty image.');
  });

  const blueGreen = spec.strategy.blueGreen;
  if (blueGreen !== undefined) {
    // validation.go ValidateRolloutStrategyBlueGreen
    if (blueGreen.activeService === (blueGreen.previewService ?? '')) {
      emit(blueGreen.activeService === '' ? 'spec.strategy.blueGreen' : 'spec.strategy.blueGreen.previewService', DuplicatedServicesBlueGreenMessage);
    }
    const revisionHistoryLimit = spec.revisionHistoryLimit ?? 10;
    if (blueGreen.scaleDownDelayRevisionLimit !== undefined && revisionHistoryLimit < blueGreen.scaleDownDelayRevisionLimit) {
      emit(
        'spec.strategy.blueGreen.scaleDownDelayRevisionLimit',
        `${ScaleDownLimitLargerThanRevisionLimit}: scaleDownDelayRevisionLimit ${blueGreen.scaleDownDelayRevisionLimit} > revisionHistoryLimit ${revisionHistoryLimit}${spec.revisionHistoryLimit === undefined ? ' (the default)' : ''}.`,
      );
    }
    nonNegative(blueGreen.previewReplicaCount, 'spec.strategy.blueGreen.previewReplicaCount');
    nonNegative(blueGreen.autoPromotionSeconds, 'spec.strategy.blueGreen.autoPromotionSeconds');
    nonNegative(blueGreen.scaleDownDelaySeconds, 'spec.strategy.blueGreen.scaleDownDelaySeconds');
    nonNegative(blueGreen.abortScaleDownDelaySeconds, 'spec.strategy.blueGreen.abortScaleDownDelaySeconds');
    nonNegative(blueGreen.scaleDownDelayRevisionLimit, 'spec.strategy.blueGreen.scaleDownDelayRevisionLimit');
    if (blueGreen.prePromotionAnalysis) validateArgs(blueGreen.prePromotionAnalysis.args, 'spec.strategy.blueGreen.prePromotionAnalysis', emit, rollout.raw);
    if (blueGreen.postPromotionAnalysis) validateArgs(blueGreen.postPromotionAnalysis.args, 'spec.strategy.blueGreen.postPromotionAnalysis', emit, rollout.raw);
    return;
  }

  const canary = spec.strategy.canary;
  // invalidMaxSurgeMaxUnavailable
  if (intOrPercentValue(canary.maxSurge ?? DEFAULT_MAX_SURGE) === 0 && intOrPercentValue(canary.maxUnavailable ?? DEFAULT_MAX_UNAVAILABLE) === 0) {
    emit('spec.strategy.canary.maxSurge', `${InvalidMaxSurgeMaxUnavailable}.`);
  }
  if (canary.canaryService !== undefined && canary.canaryService !== '' && canary.canaryService === canary.stableService) {
    emit('spec.strategy.canary.stableService', DuplicatedServicesCanaryMessage);
  }
  const tr = canary.trafficRouting;
  if (tr !== undefined) {
    const raw = tr.raw as Record<string, unknown>;
    const istio = raw['istio'] as Record<string, unknown> | undefined;
    const requiresServices = tr.routers.some((r) => r !== 'plugin' && r !== 'istio') || (istio !== undefined && istio !== null && istio['destinationRule'] === undefined);
    if (requiresServices) {
      if (!canary.stableService) emit('spec.strategy.canary.stableService', `${InvalidTrafficRoutingMessage}.`);
      if (!canary.canaryService) emit('spec.strategy.canary.canaryService', `${InvalidTrafficRoutingMessage}.`);
    }
    if (tr.maxTrafficWeight !== undefined && !tr.routers.includes('nginx') && !tr.routers.includes('plugin')) {
      emit('spec.strategy.canary.trafficRouting.maxTrafficWeight', `${InvalidCanaryMaxWeightOnlySupportInNginxAndPlugins}.`);
    }
    if (tr.routers.length === 0) {
      emit('spec.strategy.canary.trafficRouting', 'trafficRouting names no traffic router (istio, nginx, alb, smi, ambassador, appMesh, traefik, apisix or plugins); rehearse simulates it as exact weights anyway.', 'warning');
    }
    if (istio !== undefined && istio !== null && (istio['virtualService'] === undefined) === (istio['virtualServices'] === undefined)) {
      emit('spec.strategy.canary.trafficRouting.istio', 'either VirtualService or VirtualServices must be configured (exactly one of virtualService and virtualServices).');
    }
    const nginx = raw['nginx'] as Record<string, unknown> | undefined;
    if (nginx !== undefined && nginx !== null) {
      const single = typeof nginx['stableIngress'] === 'string' && nginx['stableIngress'] !== '';
      const multiple = Array.isArray(nginx['stableIngresses']) && nginx['stableIngresses'].length > 0;
      if (single === multiple) {
        emit('spec.strategy.canary.trafficRouting.nginx', `Either StableIngress or StableIngresses must be configured. ${single ? 'Both' : 'Neither'} are configured.`);
      }
    }
    const alb = raw['alb'] as Record<string, unknown> | undefined;
    if (alb !== undefined && alb !== null) {
      const single = typeof alb['ingress'] === 'string' && alb['ingress'] !== '';
      const multiple = Array.isArray(alb['ingresses']) && alb['ingresses'].length > 0;
      if (single === multiple) {
        emit('spec.strategy.canary.trafficRouting.alb', `Either Ingress or Ingresses must be configured. ${single ? 'Both' : 'Neither'} are configured.`);
      }
    }
  }

  // Canary-only fields that need trafficRouting (ValidateRolloutStrategyCanary).
  if (tr === undefined) {
    if (canary.scaleDownDelaySeconds !== undefined) emit('spec.strategy.canary.scaleDownDelaySeconds', `${InvalidCanaryScaleDownDelay}.`);
    if (canary.dynamicStableScale === true) emit('spec.strategy.canary.dynamicStableScale', `${InvalidCanaryDynamicStableScale}.`);
  } else if (canary.scaleDownDelaySeconds !== undefined && canary.dynamicStableScale === true) {
    emit('spec.strategy.canary.dynamicStableScale', `${InvalidCanaryDynamicStableScaleWithScaleDownDelay}.`);
  }
  const threshold = canary.replicaProgressThreshold;
  if (threshold !== undefined) {
    if (threshold.type !== 'Percent' && threshold.type !== 'Pods') {
      emit('spec.strategy.canary.replicaProgressThreshold.type', `expected "Percent" or "Pods", got ${JSON.stringify(threshold.type)}.`);
    }
    if (threshold.value <= 0) emit('spec.strategy.canary.replicaProgressThreshold.value', `must be greater than 0, got ${threshold.value}.`);
  }

  const maxWeight = tr?.maxTrafficWeight ?? DEFAULT_MAX_TRAFFIC_WEIGHT;
  const rawSteps = Array.isArray(canary.rawSteps) ? (canary.rawSteps as unknown[]) : [];
  (canary.steps ?? []).forEach((step, i) => {
    const path = `spec.strategy.canary.steps[${i}]`;
    const rawStep = (rawSteps[i] ?? {}) as Record<string, unknown>;
    const kinds = ['setWeight', 'pause', 'analysis', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'experiment'].filter((k) => rawStep[k] !== undefined && rawStep[k] !== null);
    if (kinds.length !== 1) {
      emit(path, `${InvalidStepMessage} (or analysis), exactly one per step; ${kinds.length === 0 ? 'this step has none' : `this step has ${kinds.join(' and ')}`}.`);
      return;
    }
    if (step.kind === 'setWeight' && (step.setWeight < 0 || step.setWeight > maxWeight)) {
      emit(`${path}.setWeight`, `${InvalidSetWeightMessage(maxWeight)}, got ${step.setWeight}.`);
    }
    if (step.kind === 'pause' && step.pause.duration !== undefined && pauseDurationSeconds(step.pause.duration) < 0) {
      emit(
        `${path}.pause.duration`,
        `${InvalidDurationMessage}: ${JSON.stringify(step.pause.duration)} is neither a whole number of seconds (e.g. 30 or "30") nor a Go duration (e.g. "30s", "5m", "1h30m"), or it is negative.`,
      );
    }
    if (step.kind === 'analysis') validateArgs(step.analysis.args, `${path}.analysis`, emit, rollout.raw);
    validateRouteStep(rollout, step, path, rawStep, emit);
    if (step.kind === 'experiment') step.experiment.analyses.forEach((a, j) => validateArgs(a.args, `${path}.experiment.analyses[${j}]`, emit));
  });
  if (canary.analysis) validateArgs(canary.analysis.args, 'spec.strategy.canary.analysis', emit, rollout.raw);
}

/** StringMatch (hasMultipleMatchValues): exactly one of exact, prefix, regex. */
function validateStringMatch(v: unknown, path: string, emit: Emit): void {
  if (v === undefined || v === null || typeof v !== 'object') return;
  const set = ['exact', 'prefix', 'regex'].filter((k) => (v as Record<string, unknown>)[k] !== undefined && (v as Record<string, unknown>)[k] !== '');
  if (set.length === 0) emit(path, `${InvalidStringMatchMissedValuePolicy}.`);
  else if (set.length > 1) emit(path, `${InvalidStringMatchMultipleValuePolicy} (this one has ${set.join(' and ')}).`);
}

/** setCanaryScale / setHeaderRoute / setMirrorRoute checks of ValidateRolloutStrategyCanary. */
function validateRouteStep(rollout: Rollout, step: CanaryStep, path: string, rawStep: Record<string, unknown>, emit: Emit): void {
  const tr = rollout.spec.strategy.canary.trafficRouting;
  if (step.kind === 'setCanaryScale' && tr === undefined) emit(`${path}.setCanaryScale`, `${InvalidSetCanaryScaleTrafficPolicy} (spec.strategy.canary.trafficRouting).`);
  if (step.kind !== 'setHeaderRoute' && step.kind !== 'setMirrorRoute') return;
  const routers = tr?.routers ?? [];
  const field = step.kind;
  const raw = (rawStep[field] ?? {}) as Record<string, unknown>;
  const matches = Array.isArray(raw['match']) ? (raw['match'] as Record<string, unknown>[]) : [];
  if (step.kind === 'setHeaderRoute') {
    if (!routers.some((r) => r === 'istio' || r === 'alb' || r === 'apisix' || r === 'plugin')) emit(`${path}.${field}`, `${InvalidSetHeaderRouteTrafficPolicy} (or a traffic router plugin).`);
    matches.forEach((m, j) => validateStringMatch(m['headerValue'], `${path}.${field}.match[${j}].headerValue`, emit));
  } else {
    if (!routers.includes('istio')) emit(`${path}.${field}`, `${InvalidSetMirrorRouteTrafficPolicy}.`);
    matches.forEach((m, j) => {
      validateStringMatch(m['method'], `${path}.${field}.match[${j}].method`, emit);
      validateStringMatch(m['path'], `${path}.${field}.match[${j}].path`, emit);
    });
  }
  if (tr === undefined) return;
  const rawTr = tr.raw as Record<string, unknown>;
  if (rawTr['managedRoutes'] === undefined || rawTr['managedRoutes'] === null) {
    emit('spec.strategy.canary.trafficRouting', "Rollout has missing field 'spec.strategy.canary.trafficRouting.managedRoutes': header and mirror routes must be listed there.");
    return;
  }
  const name = step.kind === 'setHeaderRoute' ? step.setHeaderRoute.name : step.setMirrorRoute.name;
  if (!tr.managedRoutes.includes(name)) {
    emit(`${path}.${field}.name`, `${InvalideStepRouteNameNotFoundInManagedRoutes}: "${name}" (managedRoutes: ${tr.managedRoutes.map((n) => `"${n}"`).join(', ') || 'none'}).`);
  }
}

/** Names match if equal; an object without a namespace matches any namespace (kubectl would default it). */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** References from a Rollout to AnalysisTemplates and Services (validation_references.go). */
export function validateRolloutReferences(rollout: Rollout, manifests: ManifestIndex, index: PositionIndex, basePath: string, out: Diagnostic[]): void {
  const emit = emitterFor(out, index, basePath);
  const ns = rollout.metadata.namespace;
  const canary = rollout.spec.strategy.canary;

  const resolveAnalysis = (analysis: RolloutAnalysis, path: string, isStep: boolean): void => {
    const namespaced: AnalysisTemplate[] = [];
    const cluster: AnalysisTemplate[] = [];
    let missing = false;
    analysis.templates.forEach((ref, j) => {
      const refPath = `${path}.templates[${j}].templateName`;
      const pool = ref.clusterScope ? manifests.clusterAnalysisTemplates : manifests.analysisTemplates.filter((t) => sameNamespace(t.metadata.namespace, ns));
      const found = pool.find((t) => t.metadata.name === ref.templateName);
      if (found === undefined) {
        missing = true;
        const kind = ref.clusterScope ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate';
        const suggestion = suggestName(ref.templateName, pool.map((t) => t.metadata.name));
        const otherKind = (ref.clusterScope ? manifests.analysisTemplates : manifests.clusterAnalysisTemplates).some((t) => t.metadata.name === ref.templateName);
        const hint = suggestion !== undefined ? ` Did you mean "${suggestion}"?` : otherKind ? ` A ${ref.clusterScope ? 'namespaced AnalysisTemplate' : 'ClusterAnalysisTemplate'} has that name: ${ref.clusterScope ? 'remove' : 'set'} clusterScope: true.` : '';
        emit(refPath, `${kind} "${ref.templateName}" not found: no ${kind} with that name is in the manifests given to rehearse.${hint}`);
        return;
      }
      (ref.clusterScope ? cluster : namespaced).push(found);
    });
    if (missing) return;
    const expanded = expandTemplateRefs(analysis.templates, {
      namespaced: (n) => manifests.analysisTemplates.find((t) => t.metadata.name === n && sameNamespace(t.metadata.namespace, ns)),
      cluster: (n) => manifests.clusterAnalysisTemplates.find((t) => t.metadata.name === n),
    });
    if ('error' in expanded) {
      emit(`${path}.templates`, `${expanded.error}: a template nested under spec.templates is not in the manifests given to rehearse.`);
      return;
    }
    const templates = [...expanded.templates, ...expanded.clusterTemplates];
    const names = `[${templates.map((t) => t.metadata.name).join(' ')}]`;
    const flattenError = flattenAndMergeArgs(templates, analysis.args);
    if (flattenError !== undefined) {
      emit(`${path}.templates`, `templateNames: ${names}: ${flattenError}.`);
      return;
    }
    if (isStep) {
      for (const t of templates) {
        for (const message of unboundedMetricErrors(t)) {
          emit(`${path}.templates`, `${message}. Analysis steps wait for their AnalysisRun to finish, so every metric needs a count when it has an interval.`);
        }
      }
    }
  };

  (canary.steps ?? []).forEach((step, i) => {
    if (step.kind === 'analysis') resolveAnalysis(step.analysis, `spec.strategy.canary.steps[${i}].analysis`, true);
    if (step.kind === 'experiment') validateExperimentStep(rollout, step.experiment, `spec.strategy.canary.steps[${i}]`, manifests, index, basePath, out);
  });
  if (canary.analysis) resolveAnalysis(canary.analysis, 'spec.strategy.canary.analysis', false);
  const blueGreen = rollout.spec.strategy.blueGreen;
  // Pre- and post-promotion runs are waited for, like analysis steps (ValidateAnalysisTemplateWithType).
  if (blueGreen?.prePromotionAnalysis) resolveAnalysis(blueGreen.prePromotionAnalysis, 'spec.strategy.blueGreen.prePromotionAnalysis', true);
  if (blueGreen?.postPromotionAnalysis) resolveAnalysis(blueGreen.postPromotionAnalysis, 'spec.strategy.blueGreen.postPromotionAnalysis', true);

  // Services: present ⇒ selector must agree with the pod template (ValidateService); absent ⇒ a
  // warning for a canary, an error for blue-green (the controller cannot reconcile without its
  // Services: rollout/service.go getPreviewAndActiveServices returns the lookup error).
  const services: [string | undefined, string][] = blueGreen
    ? [
        [blueGreen.activeService, 'spec.strategy.blueGreen.activeService'],
        [blueGreen.previewService, 'spec.strategy.blueGreen.previewService'],
      ]
    : [
        [canary.canaryService, 'spec.strategy.canary.canaryService'],
        [canary.stableService, 'spec.strategy.canary.stableService'],
      ];
  for (const [name, path] of services) {
    if (name === undefined || name === '') continue;
    const svc = manifests.services.find((s) => s.metadata.name === name && sameNamespace(s.metadata.namespace, ns));
    if (svc === undefined) {
      if (blueGreen) {
        const suggestion = suggestName(name, manifests.services.map((s) => s.metadata.name));
        emit(path, `Service "${name}" not found: no Service with that name is in the manifests given to rehearse, and a blue-green Rollout cannot be reconciled without it.${suggestion !== undefined ? ` Did you mean "${suggestion}"?` : ''}`);
        continue;
      }
      emit(path, `Service "${name}" is not in the manifests given to rehearse; it will be created implicitly, selecting the rollout's pods (apply it separately on a real cluster).`, 'warning');
      continue;
    }
    const labels = rollout.spec.template.metadata.labels;
    for (const [key, value] of Object.entries(svc.spec.selector).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (key === ROLLOUT_UNIQUE_LABEL_KEY) continue;
      if (labels[key] !== value) emit(path, `Service "${name}" has unmatch label "${key}" in rollout: its selector ${key}=${value} is not a label of spec.template.`);
    }
  }
}

/** ValidateMetrics on a template as written (placeholders left for when a Rollout resolves them). */
export function validateAnalysisTemplate(template: AnalysisTemplate, index: PositionIndex, basePath: string, out: Diagnostic[]): void {
  const emit = emitterFor(out, index, basePath);
  if (template.spec.metrics.length === 0 && (template.spec.templates ?? []).length === 0) {
    emit('spec', 'no metrics specified: an AnalysisTemplate needs spec.metrics (or spec.templates naming other templates).');
  }
  const seen = new Set<string>();
  template.spec.metrics.forEach((metric, i) => {
    const path = `spec.metrics[${i}]`;
    if (seen.has(metric.name)) {
      emit(`${path}.name`, `metrics[${i}]: duplicate name '${metric.name}'.`);
      return;
    }
    seen.add(metric.name);
    const error = validateMetricAsWritten(metric);
    if (error !== undefined) emit(path, `metrics[${i}]: ${error}.`);
  });
  template.spec.args.forEach((arg, i) => {
    if (arg.value !== undefined && arg.valueFrom !== undefined) emit(`spec.args[${i}]`, `arg '${arg.name}' has both Value and ValueFrom fields.`);
  });
}

/**
 * Template args read from Secrets: a Secret or key missing from the manifests is a warning here (the
 * Secret may be applied separately); the AnalysisRun then ends in Error, as on a cluster without it.
 */
export function validateSecretRefs(template: AnalysisTemplate, secrets: readonly Secret[], index: PositionIndex, basePath: string, out: Diagnostic[]): void {
  const emit = emitterFor(out, index, basePath);
  template.spec.args.forEach((arg, i) => {
    const ref = arg.valueFrom?.secretKeyRef;
    if (!ref) return;
    const secret = secrets.find((s) => s.metadata.name === ref.name && sameNamespace(s.metadata.namespace, template.metadata.namespace));
    const path = `spec.args[${i}].valueFrom.secretKeyRef`;
    if (!secret) emit(path, `Secret "${ref.name}" is not in the manifests given to rehearse: AnalysisRuns using this template will end in Error (Unable to resolve metric arguments: secrets "${ref.name}" not found).`, 'warning');
    else if (secret.data[ref.key] === undefined) emit(`${path}.key`, `Secret "${ref.name}" has no key "${ref.key}": AnalysisRuns using this template will end in Error.`, 'warning');
  });
}
