// Deterministic hashes for the pod template (ReplicaSet names, `rollouts-pod-template-hash`,
// `status.currentPodHash`) and for the canary steps (`status.currentStepHash`).
//
// Upstream computes the pod-template hash with `utils/controller: ComputeHash` (FNV-32a over a
// deep-printed Go struct of the *defaulted* PodTemplateSpec plus a collision count, encoded with
// `rand.SafeEncodeString`) and the steps hash with `utils/conditions: ComputeStepHash` (FNV-32a of
// the steps' JSON). Reproducing those bytes would mean reproducing Go's struct printing and every
// Kubernetes default, so our values differ from a real cluster's. What matters to the model is
// preserved: equal templates give equal hashes, any change gives a new hash, and the value is
// stable across runs, platforms and map key order (we hash a canonical JSON with sorted keys).

/** Kubernetes' safe alphabet for generated names (k8s.io/apimachinery/pkg/util/rand: alphanums). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const UTF8 = new TextEncoder();
const TWO_32 = 4294967296;

/** JSON with object keys sorted at every level; `undefined` members are dropped like JSON.stringify. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/**
 * FNV-1a, 64 bits, over the UTF-8 bytes of `text`. Computed on two 32-bit halves (offset basis
 * 0xcbf29ce484222325, prime 2^40 + 0x1b3): h·prime mod 2^64 = h·0x1b3 + (lo·2^8)·2^32.
 */
export function fnv1a64(text: string): bigint {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (const byte of UTF8.encode(text)) {
    lo = (lo ^ byte) >>> 0;
    const low = lo * 0x1b3; // < 2^41: exact
    const carry = Math.floor(low / TWO_32);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = low % TWO_32;
  }
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Ten characters of the safe alphabet (27^10 ≈ 2^47 values) drawn from a 64-bit hash. */
function encodeSafe10(hash: bigint): string {
  const base = BigInt(SAFE_ALPHABET.length);
  let rest = hash;
  let out = '';
  for (let i = 0; i < 10; i++) {
    out += SAFE_ALPHABET[Number(rest % base)];
    rest /= base;
  }
  return out;
}

/**
 * The pod-template hash: 10 characters of the safe alphabet. `collisionCount` plays the role of
 * upstream's `status.collisionCount` (mixed in only when set, so it can resolve a name clash).
 */
export function podTemplateHash(templateRaw: unknown, collisionCount?: number): string {
  // Templates are immutable once loaded; a sweep hashes the same objects thousands of times.
  const cacheable = collisionCount === undefined && typeof templateRaw === 'object' && templateRaw !== null;
  if (cacheable) {
    const hit = hashCache.get(templateRaw);
    if (hit !== undefined) return hit;
  }
  const suffix = collisionCount === undefined ? '' : `#${collisionCount}`;
  const hash = encodeSafe10(fnv1a64(`pod-template:${canonicalJson(templateRaw)}${suffix}`));
  if (cacheable) hashCache.set(templateRaw, hash);
  return hash;
}

const hashCache = new WeakMap<object, string>();

/** The steps hash for `status.currentStepHash` (upstream `ComputeStepHash`): 10 characters of the safe alphabet. */
export function computeStepHash(rawSteps: unknown): string {
  // Cached like the pod-template hash: every run of a sweep (and each run of the canary-hour
  // bench) hashes the same loaded steps again.
  const cacheable = typeof rawSteps === 'object' && rawSteps !== null;
  if (cacheable) {
    const hit = stepHashCache.get(rawSteps);
    if (hit !== undefined) return hit;
  }
  const hash = encodeSafe10(fnv1a64(`canary-steps:${canonicalJson(rawSteps ?? [])}`));
  if (cacheable) stepHashCache.set(rawSteps, hash);
  return hash;
}

const stepHashCache = new WeakMap<object, string>();
