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
    };

function spreadOverEndpoints(cluster: Cluster, service: SimService, share: number, out: RouteShare[]): void {
  if (share <= 0) return;
  const endpoints = cluster.endpointsOf(service);
  let ready = 0;
  for (const e of endpoints) ready += e.ready;
  if (ready === 0) {
    out.push({ target: null, share });
    return;
  }
  for (const e of endpoints) out.push({ target: e.rs, share: (share * e.ready) / ready });
}

export function currentRoutes(cluster: Cluster, routing: Routing): RouteShare[] {
  const out: RouteShare[] = [];
  if (routing.kind === 'service') {
    spreadOverEndpoints(cluster, routing.service, 1, out);
    return out;
  }
  const canaryShare = routing.router.canaryWeight / routing.router.maxWeight;
  spreadOverEndpoints(cluster, routing.canaryService, canaryShare, out);
  // Experiment destinations take their weight from the stable side (calculateWeightStatus).
  let additionalShare = 0;
  for (const d of routing.router.additional) {
    const share = d.weight / routing.router.maxWeight;
    additionalShare += share;
    const svc = cluster.services.get(d.serviceName);
    if (svc) spreadOverEndpoints(cluster, svc, share, out);
    else if (share > 0) out.push({ target: null, share });
  }
  spreadOverEndpoints(cluster, routing.stableService, 1 - canaryShare - additionalShare, out);
  return out;
}
