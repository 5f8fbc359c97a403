// Where requests go right now: a share of the entry traffic per ReplicaSet (by ready pods behind
// each Service, as kube-proxy spreads connections over endpoints), and the share that finds no
// endpoint at all (answered 503 by the proxy or mesh).
import type { Cluster } from '../cluster/cluster.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import type { SimService } from '../cluster/service.js';
import type { TrafficRouter } from './router.js';

export interface RouteShare {
  /** The ReplicaSet whose pods answer, or null when the route has no ready endpoint. */
  readonly target: ReplicaSet | null;
  readonly share: number;
  /** The part of `share` that is header-matched requests (only when the scenario has a header cohort). */
  readonly headerShare?: number;
}

export type Routing =
  /** Basic canary: one entry Service; traffic spreads over its ready pods. */
  | { readonly kind: 'service'; readonly service: SimService }
  /** Traffic-routed canary: the router splits between the canary and stable Services by weight. */
  | {
      readonly kind: 'weighted';
      readonly router: TrafficRouter;
      readonly canaryService: SimService;
      readonly stableService: SimService;
      /** Share of requests matching the setHeaderRoute conditions (scenario spec.traffic.headerShare). */
      readonly headerShare?: number | undefined;
      /** Share of requests matching the setMirrorRoute conditions (scenario spec.traffic.mirrorShare). */
      readonly mirrorShare?: number | undefined;
    };

function spreadOverEndpoints(cluster: Cluster, service: SimService, share: number, out: RouteShare[], headerShare?: number): void {
  if (share <= 0) return;
  const endpoints = cluster.endpointsOf(service);
  let ready = 0;
  for (const e of endpoints) ready += e.ready;
  if (ready === 0) {
    out.push(headerShare === undefined ? { target: null, share } : { target: null, share, headerShare });
    return;
  }
  // (share × ready) / total, in this order: the float result is part of every trace.
  for (const e of endpoints) {
    out.push(
      headerShare === undefined
        ? { target: e.rs, share: (share * e.ready) / ready }
        : { target: e.rs, share: (share * e.ready) / ready, headerShare: (headerShare * e.ready) / ready },
    );
  }
}

export function currentRoutes(cluster: Cluster, routing: Routing): RouteShare[] {
  const out: RouteShare[] = [];
  if (routing.kind === 'service') {
    spreadOverEndpoints(cluster, routing.service, 1, out);
    return out;
  }
  const weight = routing.router.canaryWeight / routing.router.maxWeight;
  const cohort = routing.headerShare;
  // A header route in force sends the whole header-matched cohort to the canary Service (a route
  // matched before the weighted one); without it the cohort follows the weights like the rest.
  const headerToCanary = cohort === undefined ? 0 : routing.router.headerRoutes.size > 0 ? cohort : cohort * weight;
  const canaryShare = cohort === undefined ? weight : headerToCanary + (1 - cohort) * weight;
  spreadOverEndpoints(cluster, routing.canaryService, canaryShare, out, cohort === undefined ? undefined : headerToCanary);
  // Experiment destinations take their weight from the stable side (calculateWeightStatus).
  let additionalShare = 0;
  for (const d of routing.router.additional) {
    const share = d.weight / routing.router.maxWeight;
    additionalShare += share;
    const svc = cluster.services.get(d.serviceName);
    if (svc) spreadOverEndpoints(cluster, svc, share, out);
    else if (share > 0) out.push({ target: null, share });
  }
  spreadOverEndpoints(cluster, routing.stableService, 1 - canaryShare - additionalShare, out, cohort === undefined ? undefined : cohort - headerToCanary);
  return out;
}

/**
 * Mirrored copies, as a share of the entry rate per canary ReplicaSet: while a mirror route is in
 * force, its percentage of the requests matching it (spec.traffic.mirrorShare) is copied to the
 * canary Service's ready pods. Several mirror routes: the first in force in managedRoutes order
 * wins, as the router evaluates routes in that order. Copies finding no ready pod are dropped
 * (a mirror is fire-and-forget), so no entry has a null target.
 */
export function currentMirrorRoutes(cluster: Cluster, routing: Routing, managedRoutes: readonly string[]): RouteShare[] {
  if (routing.kind !== 'weighted' || routing.mirrorShare === undefined || routing.router.mirrorRoutes.size === 0) return [];
  const first = managedRoutes.find((name) => routing.router.mirrorRoutes.has(name));
  const percentage = first === undefined ? 0 : routing.router.mirrorRoutes.get(first)!;
  const share = routing.mirrorShare * (Math.min(100, Math.max(0, percentage)) / 100);
  const out: RouteShare[] = [];
  spreadOverEndpoints(cluster, routing.canaryService, share, out);
  return out.filter((r) => r.target !== null);
}
