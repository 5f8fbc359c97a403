// Reading a value out of a Rollout by a `valueFrom.fieldRef.fieldPath` outside metadata
// (argo-rollouts v1.9.1 utils/analysis/factory.go: extractValueFromRollout).

export class FieldPathError extends Error {}

/**
 * `extractValueFromRollout` (factory.go): the path split on `.`, `[` and `]`; numbers index lists;
 * the value must be a primitive, printed as Go's `%v`.
 */
export function extractValueFromRollout(obj: unknown, path: string): string {
  let m: unknown = obj;
  for (const section of path.split(/[.[\]]+/)) {
    if (section === '') continue;
    if (Array.isArray(m)) {
      if (!/^[+-]?\d+$/.test(section)) throw new FieldPathError(`invalid index '${section}'`);
      const i = Number(section);
      if (i >= m.length) throw new FieldPathError(`index ${i} out of range`);
      m = m[i];
    } else if (m !== null && typeof m === 'object') {
      m = (m as Record<string, unknown>)[section];
    } else throw new FieldPathError(`invalid path ${path} in rollout`);
  }
  if (m === undefined || m === null) throw new FieldPathError(`invalid path ${path} in rollout`);
  if (typeof m === 'object') throw new FieldPathError(`path ${path} in rollout must terminate in a primitive value`);
  return String(m);
}

