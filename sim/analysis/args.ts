// Argument values of an AnalysisRun: the Rollout's `args` (utils/analysis/factory.go:
// BuildArgumentsForRolloutAnalysisRun — plain values, pod-template hashes, fieldRefs) and the
// templates' `valueFrom.secretKeyRef` (analysis/analysis.go: resolveArgs reads the Secret when the
// run measures). Errors are upstream's texts, so the run's message reads as on a cluster.
import type { AnalysisArg, Secret } from '../manifests/types.js';
import type { SimRollout } from '../rollouts/rollout.js';
import { FieldPathError, extractValueFromRollout as extract } from '../manifests/fieldPath.js';
import { ArgumentError } from './metric.js';

function extractValueFromRollout(obj: unknown, path: string): string {
  try {
    return extract(obj, path);
  } catch (e) {
    if (e instanceof FieldPathError) throw new ArgumentError(e.message);
    throw e;
  }
}

export interface ArgContext {
  readonly stableHash: string | undefined;
  readonly latestHash: string;
  readonly rolloutFields: { readonly name: string; readonly namespace: string };
  /** The Rollout as the API server holds it, for fieldRef paths outside metadata. */
  readonly rollout?: SimRollout;
}

/** A Rollout arg's value (`BuildArgumentsForRolloutAnalysisRun`), undefined when it has none. */
export function rolloutArgValue(arg: AnalysisArg, ctx: ArgContext): string | undefined {
  if (arg.value !== undefined) return arg.value;
  const from = arg.valueFrom;
  if (from?.podTemplateHashValue === 'Stable') return ctx.stableHash ?? '';
  if (from?.podTemplateHashValue === 'Latest') return ctx.latestHash;
  if (from?.fieldRef) {
    const path = from.fieldRef.fieldPath;
    if (path.startsWith('metadata')) return metadataFieldPath(path, ctx);
    return extractValueFromRollout(rolloutJson(ctx), path);
  }
  return undefined;
}

/** `fieldpath.ExtractFieldPathAsString` for the metadata paths validation allows. */
function metadataFieldPath(path: string, ctx: ArgContext): string {
  const meta = ctx.rollout?.manifest.metadata;
  if (path === 'metadata.name') return ctx.rolloutFields.name;
  if (path === 'metadata.namespace') return ctx.rolloutFields.namespace;
  // A real object has a random UID; a stable stand-in keeps runs reproducible.
  if (path === 'metadata.uid') return `uid-${ctx.rolloutFields.namespace}-${ctx.rolloutFields.name}`;
  const m = /^metadata\.(labels|annotations)(?:\['(.+)'\]|\[(.+)\])?$/.exec(path);
  if (m) {
    const map: Record<string, string> = m[1] === 'labels' ? { ...meta?.labels } : { ...meta?.annotations, ...(ctx.rollout?.revision !== undefined ? { 'rollout.argoproj.io/revision': ctx.rollout.revision } : {}) };
    const key = m[2] ?? m[3];
    if (key !== undefined) return map[key] ?? '';
    // FormatMap: sorted `key="value"` lines.
    return Object.keys(map)
      .sort()
      .map((k) => `${k}=${JSON.stringify(map[k])}`)
      .join('\n');
  }
  throw new ArgumentError(`unsupported fieldPath: ${path}`);
}

/** The Rollout as JSON: the manifest as written, with the template, replicas and status of now. */
function rolloutJson(ctx: ArgContext): unknown {
  const ro = ctx.rollout;
  if (!ro) return {};
  const raw = (ro.manifest.raw ?? {}) as Record<string, unknown>;
  const spec = { ...((raw['spec'] ?? {}) as Record<string, unknown>), template: ro.template.raw, replicas: ro.replicas };
  const s = ro.status;
  const status = {
    observedGeneration: s.observedGeneration,
    phase: s.phase,
    message: s.message,
    currentStepIndex: s.currentStepIndex,
    currentStepHash: s.currentStepHash,
    currentPodHash: s.currentPodHash,
    stableRS: s.stableRS,
    replicas: s.replicas,
    updatedReplicas: s.updatedReplicas,
    readyReplicas: s.readyReplicas,
    availableReplicas: s.availableReplicas,
    canary: { weights: s.canary.weights },
  };
  return { ...raw, spec, status };
}

/**
 * `resolveArgs` for one template arg with `valueFrom.secretKeyRef`: the Secret's key, or upstream's
 * error — the API server's NotFound text, or the missing-key message.
 */
export function secretArgValue(arg: AnalysisArg, namespace: string, secrets: readonly Secret[]): string | undefined {
  const ref = arg.valueFrom?.secretKeyRef;
  if (!ref) return undefined;
  const secret = secrets.find((s) => s.metadata.name === ref.name && (s.metadata.namespace ?? namespace) === namespace);
  if (!secret) throw new ArgumentError(`secrets "${ref.name}" not found`);
  const value = secret.data[ref.key];
  if (value === undefined) throw new ArgumentError(`key '${ref.key}' does not exist in secret '${ref.name}'`);
  return value;
}
