// Every default the Argo Rollouts controller (v1.9.1) applies, in one place, named as upstream
// names them and cited to the file that defines them. The model applies defaults only through
// these helpers; sim/manifests/types.ts keeps absent fields `undefined`, as the Go keeps nil.
//
// Most constants live in argoproj/argo-rollouts `utils/defaults/defaults.go`; the others are cited
// one by one. Durations are in seconds (suffix `Seconds`) because rehearse's clock is in seconds.

import type { IntOrString } from '../manifests/types.js';
import { intOrStringIntValue } from '../manifests/intOrPercent.js';

// ---------------------------------------------------------------------------------------------
// utils/defaults/defaults.go (const block)

/** `DefaultReplicas`: spec.replicas when nil (the controller also writes it back, rollout/controller.go). */
export const DefaultReplicas = 1;
/** `DefaultRevisionHistoryLimit`. */
export const DefaultRevisionHistoryLimit = 10;
/** `DefaultAnalysisRunSuccessfulHistoryLimit` (spec.analysis.successfulRunHistoryLimit). */
export const DefaultAnalysisRunSuccessfulHistoryLimit = 5;
/** `DefaultAnalysisRunUnsuccessfulHistoryLimit` (spec.analysis.unsuccessfulRunHistoryLimit). */
export const DefaultAnalysisRunUnsuccessfulHistoryLimit = 5;
/** `DefaultMaxSurge`: a STRING, therefore read as a percentage (25 %). */
export const DefaultMaxSurge = '25';
/** `DefaultMaxUnavailable`: a STRING, therefore read as a percentage (25 %). */
export const DefaultMaxUnavailable = '25';
/** `DefaultProgressDeadlineSeconds`. */
export const DefaultProgressDeadlineSeconds = 600;
/** `DefaultScaleDownDelaySeconds` (blue-green, and canary with trafficRouting only). */
export const DefaultScaleDownDelaySeconds = 30;
/** `DefaultAbortScaleDownDelaySeconds` (blue-green, and canary with trafficRouting only). */
export const DefaultAbortScaleDownDelaySeconds = 30;
/** `DefaultAutoPromotionEnabled` (blue-green). */
export const DefaultAutoPromotionEnabled = true;
/** `DefaultConsecutiveErrorLimit`: measurement errors in a row before the metric is Error. */
export const DefaultConsecutiveErrorLimit = 4;
/** `DefaultMetricCleanupDelay` (controller metrics, seconds). */
export const DefaultMetricCleanupDelaySeconds = 65;

/**
 * `rolloutVerifyRetryInterval` (defaults.go var, 10 s; env ROLLOUT_VERIFY_RETRY_INTERVAL): requeue
 * after an unverified traffic weight. (Upstream's `init()` only applies the env value when parsing
 * FAILS — an inverted check — so in practice it is always 10 s.)
 */
export const DefaultRolloutVerifyRetryIntervalSeconds = 10;

// ---------------------------------------------------------------------------------------------
// Defaults defined elsewhere in the controller

/** utils/weightutil/weight.go `MaxTrafficWeight`: 100 unless trafficRouting.maxTrafficWeight is set. */
export const DefaultMaxTrafficWeight = 100;
/** controller/controller.go `DefaultRolloutResyncPeriod` (15 min; flag --rollout-resync). */
export const DefaultRolloutResyncPeriodSeconds = 15 * 60;
/** analysis/analysis.go `DefaultMeasurementHistoryLimit`: measurements kept per metric. */
export const DefaultMeasurementHistoryLimit = 10;
/** analysis/analysis.go `DefaultErrorRetryInterval`: next measurement after an Error one (10 s). */
export const DefaultErrorRetryIntervalSeconds = 10;
/** metricproviders/prometheus/prometheus.go `NewPrometheusProvider`: query timeout when unset. */
export const DefaultPrometheusTimeoutSeconds = 30;
/** analysis/analysis.go `assessMetricFailureInconclusiveOrError`: failureLimit when nil. */
export const DefaultFailureLimit = 0;
/** analysis/analysis.go `assessMetricFailureInconclusiveOrError`: inconclusiveLimit when nil. */
export const DefaultInconclusiveLimit = 0;

// ---------------------------------------------------------------------------------------------
// Get…OrDefault helpers (utils/defaults/defaults.go unless noted)

/** `GetReplicasOrDefault`. */
export function getReplicasOrDefault(replicas: number | undefined): number {
  return replicas ?? DefaultReplicas;
}

/** `GetRevisionHistoryLimitOrDefault`. */
export function getRevisionHistoryLimitOrDefault(revisionHistoryLimit: number | undefined): number {
  return revisionHistoryLimit ?? DefaultRevisionHistoryLimit;
}

/** `GetAnalysisRunSuccessfulHistoryLimitOrDefault`. */
export function getAnalysisRunSuccessfulHistoryLimitOrDefault(limit: number | undefined): number {
  return limit ?? DefaultAnalysisRunSuccessfulHistoryLimit;
}

/** `GetAnalysisRunUnsuccessfulHistoryLimitOrDefault`. */
export function getAnalysisRunUnsuccessfulHistoryLimitOrDefault(limit: number | undefined): number {
  return limit ?? DefaultAnalysisRunUnsuccessfulHistoryLimit;
}

/** `GetMaxSurgeOrDefault` (canary): the spec value, else the string "25". */
export function getMaxSurgeOrDefault(maxSurge: IntOrString | undefined): IntOrString {
  return maxSurge ?? DefaultMaxSurge;
}

/**
 * `GetMaxUnavailableOrDefault` for a canary rollout: the spec value, else the string "25".
 * (Upstream checks blueGreen.maxUnavailable first; rehearse models canaries only.)
 */
export function getMaxUnavailableOrDefault(maxUnavailable: IntOrString | undefined): IntOrString {
  return maxUnavailable ?? DefaultMaxUnavailable;
}

/** `GetProgressDeadlineSecondsOrDefault`. */
export function getProgressDeadlineSecondsOrDefault(progressDeadlineSeconds: number | undefined): number {
  return progressDeadlineSeconds ?? DefaultProgressDeadlineSeconds;
}

/** utils/weightutil/weight.go `MaxTrafficWeight`: only trafficRouting.maxTrafficWeight changes it. */
export function getMaxTrafficWeightOrDefault(trafficRouting: { readonly maxTrafficWeight: number | undefined } | undefined): number {
  return trafficRouting?.maxTrafficWeight ?? DefaultMaxTrafficWeight;
}

/**
 * `GetScaleDownDelaySecondsOrDefault` for a canary: 0 for a basic canary (no trafficRouting),
 * otherwise the spec value or 30.
 */
export function getScaleDownDelaySecondsOrDefault(canary: { readonly trafficRouted: boolean; readonly scaleDownDelaySeconds: number | undefined }): number {
  if (!canary.trafficRouted) return 0;
  return canary.scaleDownDelaySeconds ?? DefaultScaleDownDelaySeconds;
}

/**
 * `GetAbortScaleDownDelaySecondsOrDefault` for a canary. `delaySeconds` undefined mirrors the Go
 * nil: the user wrote `abortScaleDownDelaySeconds: 0`, i.e. never scale the canary down on abort.
 * A basic canary gets 0 (a non-nil zero), wasSet false, whatever the spec says.
 */
export function getAbortScaleDownDelaySecondsOrDefault(canary: {
  readonly trafficRouted: boolean;
  readonly abortScaleDownDelaySeconds: number | undefined;
}): { readonly delaySeconds: number | undefined; readonly wasSet: boolean } {
  if (!canary.trafficRouted) return { delaySeconds: 0, wasSet: false };
  if (canary.abortScaleDownDelaySeconds === undefined) return { delaySeconds: DefaultAbortScaleDownDelaySeconds, wasSet: false };
  if (canary.abortScaleDownDelaySeconds === 0) return { delaySeconds: undefined, wasSet: true };
  return { delaySeconds: canary.abortScaleDownDelaySeconds, wasSet: true };
}

/** `GetAutoPromotionEnabledOrDefault` (blue-green). */
export function getAutoPromotionEnabledOrDefault(autoPromotionEnabled: boolean | undefined): boolean {
  return autoPromotionEnabled ?? DefaultAutoPromotionEnabled;
}

/** `GetConsecutiveErrorLimitOrDefault`: `IntValue()` of the spec value (a non-numeric string is 0), else 4. */
export function getConsecutiveErrorLimitOrDefault(consecutiveErrorLimit: IntOrString | undefined): number {
  return consecutiveErrorLimit === undefined ? DefaultConsecutiveErrorLimit : intOrStringIntValue(consecutiveErrorLimit);
}

/** analysis/analysis.go `assessMetricFailureInconclusiveOrError`: `IntValue()` or 0; negative = not applicable. */
export function getFailureLimitOrDefault(failureLimit: IntOrString | undefined): number {
  return failureLimit === undefined ? DefaultFailureLimit : intOrStringIntValue(failureLimit);
}

/** analysis/analysis.go `assessMetricFailureInconclusiveOrError`: `IntValue()` or 0. */
export function getInconclusiveLimitOrDefault(inconclusiveLimit: IntOrString | undefined): number {
  return inconclusiveLimit === undefined ? DefaultInconclusiveLimit : intOrStringIntValue(inconclusiveLimit);
}

/**
 * metricproviders/prometheus/prometheus.go `NewPrometheusProvider`: timeout (seconds) or 30; a
 * negative timeout makes provider construction fail with this message.
 */
export function getPrometheusTimeoutSecondsOrDefault(
  timeoutSeconds: number | undefined,
): { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly error: string } {
  if (timeoutSeconds === undefined) return { ok: true, seconds: DefaultPrometheusTimeoutSeconds };
  if (timeoutSeconds < 0) return { ok: false, error: 'prometheus timeout should not be negative' };
  return { ok: true, seconds: timeoutSeconds };
}

// ---------------------------------------------------------------------------------------------
// Blue-green (utils/defaults/defaults.go; rollout/bluegreen.go GetScaleDownRevisionLimit)

/** `GetScaleDownDelaySecondsOrDefault` for blue-green: the spec value, else 30 (0 is kept as 0). */
export function getBlueGreenScaleDownDelaySecondsOrDefault(scaleDownDelaySeconds: number | undefined): number {
  return scaleDownDelaySeconds ?? DefaultScaleDownDelaySeconds;
}

/**
 * `GetAbortScaleDownDelaySecondsOrDefault` for blue-green: `delaySeconds` undefined mirrors the Go
 * nil — the user wrote `abortScaleDownDelaySeconds: 0`, i.e. never scale the preview down on abort.
 */
export function getBlueGreenAbortScaleDownDelaySecondsOrDefault(abortScaleDownDelaySeconds: number | undefined): {
  readonly delaySeconds: number | undefined;
  readonly wasSet: boolean;
} {
  if (abortScaleDownDelaySeconds === undefined) return { delaySeconds: DefaultAbortScaleDownDelaySeconds, wasSet: false };
  if (abortScaleDownDelaySeconds === 0) return { delaySeconds: undefined, wasSet: true };
  return { delaySeconds: abortScaleDownDelaySeconds, wasSet: true };
}

/** rollout/bluegreen.go `GetScaleDownRevisionLimit`: the spec value, else unlimited (math.MaxInt32). */
export function getScaleDownRevisionLimit(scaleDownDelayRevisionLimit: number | undefined): number {
  return scaleDownDelayRevisionLimit ?? 2147483647;
}
