// The canary weight a traffic router object carries, read back from what the real controller wrote
// (so the conformance data plane routes by the weight actually applied, as the simulated
// TrafficRouter does). Pure.
// - NGINX: the controller clones the stable Ingress into a canary Ingress annotated
//   `<prefix>/canary: "true"` and `<prefix>/canary-weight: "<w>"`, with `<prefix>/canary-weight-total`
//   when maxTrafficWeight is not 100 (rollout/trafficrouting/nginx/nginx.go `canaryIngress`).
// - Istio: the weight of the destination whose host is the canary Service, in the named HTTP routes
//   (rollout/trafficrouting/istio/istio.go `SetWeight`).
// - SMI: the TrafficSplit backend for the canary Service (rollout/trafficrouting/smi/smi.go).

export interface RouterWeight {
  readonly canaryWeight: number;
  readonly maxWeight: number;
}

type Obj = { readonly kind?: string; readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> }; readonly spec?: unknown };

/** NGINX canary Ingress → weight; undefined for an Ingress that is not a canary. */
export function nginxCanaryWeight(ingress: Obj): RouterWeight | undefined {
  const a = ingress.metadata?.annotations ?? {};
  const key = (suffix: string): string | undefined => Object.keys(a).find((k) => k.endsWith(`/${suffix}`));
  const canary = key('canary');
  if (!canary || a[canary] !== 'true') return undefined;
  const weightKey = key('canary-weight');
  const totalKey = key('canary-weight-total');
  return { canaryWeight: Number(weightKey ? a[weightKey] : 0) || 0, maxWeight: Number(totalKey ? a[totalKey] : 100) || 100 };
}

interface Destination {
  readonly destination?: { readonly host?: string };
  readonly weight?: number;
}

/** Istio VirtualService → the canary destination's weight in the first of `routes` found (all routes when empty). */
export function istioCanaryWeight(vs: Obj, canaryService: string, routes: readonly string[]): RouterWeight | undefined {
  const http = ((vs.spec as { http?: readonly { name?: string; route?: readonly Destination[] }[] } | undefined)?.http ?? []).filter(
    (r) => routes.length === 0 || routes.includes(r.name ?? ''),
  );
  for (const r of http) {
    for (const d of r.route ?? []) {
      const host = d.destination?.host ?? '';
      if (host === canaryService || host.startsWith(`${canaryService}.`)) return { canaryWeight: d.weight ?? 0, maxWeight: 100 };
    }
  }
  return undefined;
}

/** SMI TrafficSplit → the canary backend's weight. */
export function smiCanaryWeight(split: Obj, canaryService: string): RouterWeight | undefined {
  const backends = (split.spec as { backends?: readonly { service?: string; weight?: number }[] } | undefined)?.backends ?? [];
  const b = backends.find((x) => x.service === canaryService);
  return b ? { canaryWeight: b.weight ?? 0, maxWeight: 100 } : undefined;
}
