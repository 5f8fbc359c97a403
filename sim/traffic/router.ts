// The traffic router a traffic-routed canary drives (an Istio VirtualService, SMI TrafficSplit,
// NGINX canary Ingress, ALB action...). The controller calls `updateHash` and `setWeight` as
// rollout/trafficrouting.go does, and the traffic model reads the weight back from here — the
// weight the router actually applied, which a weight gate (a control-plane fault) may hold back:
// the controller still believes it set the weight it asked for (its status says so), as it does
// upstream, where SetWeight returning without error is all the controller knows.
import type { TraceRecorder } from '../engine/trace.js';
import { NginxCanaryIngresses } from './nginxCanaryIngress.js';

/** One weight the controller asked for, numbered in the order asked. */
export interface WeightRequest {
  readonly weight: number;
  readonly seq: number;
}

/**
 * Decides whether a requested weight is applied now. Returns true when the gate took the request
 * (dropped it, or will call `apply` later); false lets the router apply it at once.
 */
export type WeightGate = (request: WeightRequest, apply: () => void) => boolean;

export class TrafficRouter {
  /** The canary weight in force (what traffic follows). */
  canaryWeight = 0;
  /** The weight the controller last asked for. */
  requestedWeight = 0;
  canaryHash = '';
  stableHash = '';
  /**
   * Extra weighted destinations (an experiment step's templates with a `weight`): each takes
   * `weight` of the traffic from the stable side. Applied as written (weight gates hold back only
   * the canary weight).
   */
  additional: readonly { readonly serviceName: string; readonly weight: number }[] = [];
  private listeners: (() => void)[] = [];
  private readonly gates: WeightGate[] = [];
  private requestSeq = 0;
  private appliedSeq = 0;
  /** Managed header routes in force (setHeaderRoute steps): they send header-matched requests to the canary. */
  readonly headerRoutes = new Set<string>();
  /** Managed mirror routes in force (setMirrorRoute steps): name → percentage of matched requests copied to the canary. */
  readonly mirrorRoutes = new Map<string, number>();
  /** The canary Ingresses an NGINX router has written (only its events read them). */
  readonly nginxCanaryIngresses = new NginxCanaryIngresses();

  constructor(
    readonly kinds: readonly string[],
    readonly maxWeight: number,
    private readonly trace: TraceRecorder,
  ) {}

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Installs a weight gate (faults); gates are consulted in installation order. */
  addWeightGate(gate: WeightGate): void {
    this.gates.push(gate);
  }

  updateHash(canaryHash: string, stableHash: string): void {
    if (canaryHash === this.canaryHash && stableHash === this.stableHash) return;
    this.canaryHash = canaryHash;
    this.stableHash = stableHash;
    this.changed();
  }

  /** The controller writes the experiment destinations (rollout/trafficrouting.go passes them to SetWeight). */
  setAdditional(destinations: readonly { readonly serviceName: string; readonly weight: number }[]): void {
    const same =
      destinations.length === this.additional.length &&
      destinations.every((d, i) => d.serviceName === this.additional[i]!.serviceName && d.weight === this.additional[i]!.weight);
    if (same) return;
    this.additional = destinations.map((d) => ({ serviceName: d.serviceName, weight: d.weight }));
    this.changed();
  }

  /**
   * The controller writes a weight (every reconcile of a traffic-routed canary does). Nothing to do
   * when it is both the weight asked for last and the weight in force; otherwise it is a request,
   * which a gate may hold back.
   */
  setWeight(weight: number): void {
    if (weight === this.requestedWeight && weight === this.canaryWeight) return;
    const request: WeightRequest = { weight, seq: ++this.requestSeq };
    this.requestedWeight = weight;
    const apply = (): void => this.apply(request);
    for (const gate of this.gates) if (gate(request, apply)) return;
    apply();
  }

  /** Applies a request unless a later one was applied already (late writes never roll back). */
  private apply(request: WeightRequest): void {
    if (request.seq <= this.appliedSeq) return;
    this.appliedSeq = request.seq;
    if (request.weight === this.canaryWeight) return;
    this.canaryWeight = request.weight;
    this.changed();
  }

  /**
   * `SetHeaderRoute` (e.g. rollout/trafficrouting/istio/istio.go): a step with match conditions
   * (re)creates the named route towards the canary; one without removes it.
   */
  setHeaderRoute(name: string, hasMatch: boolean): void {
    if (hasMatch === this.headerRoutes.has(name)) return;
    if (hasMatch) this.headerRoutes.add(name);
    else this.headerRoutes.delete(name);
    this.routeChanged('header', name, hasMatch ? 'set' : 'removed', undefined);
  }

  /** `SetMirrorRoute`: with match conditions the route mirrors `percentage` % (default 100) of matched requests; without, it is removed. */
  setMirrorRoute(name: string, percentage: number | undefined): void {
    if (percentage === this.mirrorRoutes.get(name)) return;
    if (percentage === undefined) this.mirrorRoutes.delete(name);
    else this.mirrorRoutes.set(name, percentage);
    this.routeChanged('mirror', name, percentage === undefined ? 'removed' : 'set', percentage);
  }

  /** `RemoveManagedRoutes`: every header and mirror route goes (nothing happens when none is set). */
  removeManagedRoutes(): void {
    for (const name of [...this.headerRoutes]) this.setHeaderRoute(name, false);
    for (const name of [...this.mirrorRoutes.keys()]) this.setMirrorRoute(name, undefined);
  }

  private routeChanged(kind: 'header' | 'mirror', name: string, action: 'set' | 'removed', percentage: number | undefined): void {
    this.trace.record('route', { kind, name, action, ...(percentage !== undefined ? { percentage } : {}) });
    for (const l of this.listeners) l();
  }

  private changed(): void {
    this.trace.record('router', {
      kinds: this.kinds,
      canaryWeight: this.canaryWeight,
      maxWeight: this.maxWeight,
      canaryHash: this.canaryHash,
      stableHash: this.stableHash,
      ...(this.additional.length > 0 ? { additional: this.additional } : {}),
    });
    for (const l of this.listeners) l();
  }
}
