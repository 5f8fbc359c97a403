// JSON merge patch (RFC 7386) between two statuses, as the controller's
// `diff.CreateTwoWayMergePatch` + `Patch(..., MergePatchType, "status")` do: objects merge key by
// key, arrays and scalars are replaced whole, and a key that disappears is deleted. Needed for
// fidelity because a reconcile computes its patch against the status it *read*, while an earlier
// patch of the same reconcile (checkPausedConditions) may already have changed the stored status.
// Works on plain values directly (an `undefined` field counts as absent, as in JSON), since this
// runs on every reconcile.

type Plain = Record<string, unknown>;

/** `null` in a patch deletes the key. */
export type MergePatch = Record<string, unknown>;

function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Structural equality of JSON-like values (undefined object fields count as absent). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Plain;
  const bo = b as Plain;
  for (const k in ao) if (ao[k] !== undefined && !jsonEqual(ao[k], bo[k])) return false;
  for (const k in bo) if (bo[k] !== undefined && ao[k] === undefined) return false;
  return true;
}

/** The patch that turns `from` into `to` (undefined when they are equal). */
export function createTwoWayMergePatch(from: object, to: object): MergePatch | undefined {
  return diffObjects(from as Plain, to as Plain);
}

function diffObjects(a: Plain, b: Plain): MergePatch | undefined {
  let out: MergePatch | undefined;
  for (const k in a) {
    if (a[k] !== undefined && b[k] === undefined) (out ??= {})[k] = null;
  }
  for (const k in b) {
    const bv = b[k];
    if (bv === undefined) continue;
    const av = a[k];
    if (isPlainObject(av) && isPlainObject(bv)) {
      const sub = diffObjects(av, bv);
      if (sub) (out ??= {})[k] = sub;
    } else if (!jsonEqual(av, bv)) {
      (out ??= {})[k] = bv;
    }
  }
  return out;
}

/** Applies a merge patch, returning a new object (the target is not modified). */
export function applyMergePatch<T extends object>(target: T, patch: MergePatch): T {
  return mergeInto(target, patch) as T;
}

function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const base: Plain = isPlainObject(target) ? { ...target } : {};
  for (const k in patch) {
    const v = patch[k];
    if (v === null) delete base[k];
    else base[k] = mergeInto(base[k], v);
  }
  return base;
}
