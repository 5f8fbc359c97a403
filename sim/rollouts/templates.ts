// Edits of a pod template that a scenario applies: the image change that starts an update (what a
// CI pipeline or Argo CD Image Updater commits), and the marker that turns the manifests' template
// into a distinct "previous revision" for the default world around bare manifests.
import type { PodTemplateSpec } from '../manifests/types.js';

type RawTemplate = { metadata?: { annotations?: Record<string, string> }; spec?: { containers?: { name?: string; image?: string }[] } };

const changedCache = new WeakMap<PodTemplateSpec, Map<string, PodTemplateSpec>>();

/**
 * The template with one container's image replaced (the first container unless named). The same
 * edit of the same template returns the same object, so its hash is computed once per sweep.
 */
export function changedTemplate(template: PodTemplateSpec, image: string, containerName?: string): PodTemplateSpec {
  let byEdit = changedCache.get(template);
  if (!byEdit) {
    byEdit = new Map();
    changedCache.set(template, byEdit);
  }
  const key = `${containerName ?? ''}\u0000${image}`;
  let changed = byEdit.get(key);
  if (!changed) {
    changed = withImage(template, image, containerName);
    byEdit.set(key, changed);
  }
  return changed;
}

function withImage(template: PodTemplateSpec, image: string, containerName?: string): PodTemplateSpec {
  const index = containerName === undefined ? 0 : template.containers.findIndex((c) => c.name === containerName);
  if (index < 0) {
    throw new Error(
      `the pod template has no container named "${containerName}" (containers: ${template.containers.map((c) => c.name).join(', ')})`,
    );
  }
  const raw = structuredClone(template.raw) as RawTemplate;
  const rawContainer = raw.spec?.containers?.[index];
  if (rawContainer) rawContainer.image = image;
  return {
    ...template,
    containers: template.containers.map((c, i) => (i === index ? { ...c, image } : c)),
    raw,
  };
}

/** Annotation rehearse adds to build the healthy previous revision of a bare manifest's template. */
export const PREVIOUS_REVISION_ANNOTATION = 'rehearse.dev/previous-revision';

export function markedAsPreviousRevision(template: PodTemplateSpec): PodTemplateSpec {
  const raw = structuredClone(template.raw) as RawTemplate;
  raw.metadata = { ...(raw.metadata ?? {}), annotations: { ...(raw.metadata?.annotations ?? {}), [PREVIOUS_REVISION_ANNOTATION]: 'true' } };
  return {
    ...template,
    metadata: { ...template.metadata, annotations: { ...template.metadata.annotations, [PREVIOUS_REVISION_ANNOTATION]: 'true' } },
    raw,
  };
}
