// JSON merge patch (RFC 7386) between two statuses, as the controller's
// `diff.CreateTwoWayMergePatch` + `Patch(..., MergePatchType, "status")` do: objects merge key by
// key, arrays and scalars are replaced whole. Needed for fidelity because a reconcile computes its
// patch against the status it *read*, while an earlier patch of the same reconcile
// (checkPausedConditions) may already have changed the stored status.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toJson<T>(v: T): Json {
  return JSON.parse(JSON.stringify(v ?? null)) as Json;
}

/** The patch that turns `from` into `to` (undefined when they are equal). */
export function createTwoWayMergePatch(from: unknown, to: unknown): Record<string, Json> | undefined {
  const patch = diffObjects(toJson(from) as Record<string, Json>, toJson(to) as Record<string, Json>);
  return patch && Object.keys(patch).length > 0 ? patch : undefined;
}

function diffObjects(a: Record<string, Json>, b: Record<string, Json>): Record<string, Json> | undefined {
  const out: Record<string, Json> = {};
  for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
  for (const k of Object.keys(b)) {
    const av = a[k];
    const bv = b[k]!;
    if (isObject(av) && isObject(bv)) {
      const sub = diffObjects(av, bv);
      if (sub) out[k] = sub;
    } else if (JSON.stringify(av) !== JSON.stringify(bv)) {
      out[k] = bv;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Applies a merge patch to a plain object, returning a new object. */
export function applyMergePatch<T>(target: T, patch: Record<string, Json>): T {
  return mergeInto(toJson(target), patch) as unknown as T;
}

function mergeInto(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const base: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete base[k];
    else base[k] = mergeInto(base[k] ?? null, v);
  }
  return base;
}
