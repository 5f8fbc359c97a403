// Public entry of sim/manifests: loading and validating real Kubernetes / Argo Rollouts YAML.

export { loadManifests } from './load.js';
export type { ManifestSource } from './load.js';
export {
  DurationError,
  intOrStringIntValue,
  isGoDuration,
  nanosToMs,
  parseGoDuration,
  parseGoDurationMs,
  parseGoInt32,
  pauseDurationSeconds,
} from './duration.js';
export { canonicalJson, computeStepHash, podTemplateHash, SAFE_ALPHABET } from './templateHash.js';
export { effectiveCount, validateMetric } from './metricValidation.js';
export { FIELD_SUPPORT, fieldSupport } from './schema.js';
export type { FieldSupport, FieldSupportEntry } from './schema.js';
export type * from './types.js';
