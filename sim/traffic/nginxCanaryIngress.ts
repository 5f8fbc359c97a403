// The canary Ingress objects the NGINX traffic router owns, and the events it records on the
// Rollout while writing them (rollout/trafficrouting/nginx/nginx.go SetWeight / SetWeightPerIngress).
// rehearse applies router weights exactly (sim/traffic/router.ts); this module only keeps the
// Ingress bookkeeping the real router does, so its events appear where upstream records them.

/** One event the NGINX router records on the Rollout. */
export interface NginxRouterEvent {
  readonly reason: 'CreatingCanaryIngress' | 'PatchingCanaryIngress';
  readonly message: string;
}

/**
 * The stable Ingresses a Rollout's `trafficRouting.nginx` names (nginx.go SetWeight: the
 * `stableIngresses` list when set, otherwise the single `stableIngress`), or undefined when the
 * Rollout does not route through NGINX.
 */
export function nginxStableIngresses(trafficRoutingRaw: unknown): readonly string[] | undefined {
  if (typeof trafficRoutingRaw !== 'object' || trafficRoutingRaw === null) return undefined;
  const nginx = (trafficRoutingRaw as { nginx?: unknown }).nginx;
  if (typeof nginx !== 'object' || nginx === null) return undefined;
  const { stableIngress, stableIngresses } = nginx as { stableIngress?: unknown; stableIngresses?: unknown };
  if (Array.isArray(stableIngresses)) return stableIngresses.filter((s): s is string => typeof s === 'string');
  return typeof stableIngress === 'string' ? [stableIngress] : undefined;
}

/** utils/ingress GetCanaryIngressName: `<rollout>-<stableIngress>-canary`. */
export function canaryIngressName(rolloutName: string, stableIngress: string): string {
  return `${rolloutName}-${stableIngress}-canary`;
}

/**
 * The canary Ingresses in the cluster, by name, each with its `canary-weight` annotation. The
 * other annotations the router writes (`canary`, `canary-weight-total`, the additional and canary
 * Ingress annotations; v1.9.1's NGINX SetHeaderRoute writes none) are fixed by the Rollout spec, and
 * the rules are copied from a stable Ingress the simulation never changes, so the weight is the
 * only part of the desired canary Ingress that can differ from the existing one.
 */
export class NginxCanaryIngresses {
  private readonly weights = new Map<string, number>();

  /** The `canary-weight` of a canary Ingress, or undefined when it does not exist. */
  weightOf(name: string): number | undefined {
    return this.weights.get(name);
  }

  /**
   * nginx.go SetWeightPerIngress, per stable Ingress in order: a missing canary Ingress is created
   * with the desired weight (CreatingCanaryIngress, recorded before the Create); an existing one is
   * patched only when the desired Ingress differs from it (PatchingCanaryIngress, recorded before
   * the Patch); an unchanged one is skipped without an event.
   */
  setWeight(rolloutName: string, stableIngresses: readonly string[], desiredWeight: number): NginxRouterEvent[] {
    const events: NginxRouterEvent[] = [];
    for (const stable of stableIngresses) {
      const name = canaryIngressName(rolloutName, stable);
      const existing = this.weights.get(name);
      if (existing === undefined) {
        events.push({ reason: 'CreatingCanaryIngress', message: `Creating canary ingress \`${name}\` with weight \`${desiredWeight}\`` });
      } else if (existing !== desiredWeight) {
        events.push({ reason: 'PatchingCanaryIngress', message: `Updating Ingress \`${name}\` to desiredWeight '${desiredWeight}'` });
      }
      this.weights.set(name, desiredWeight);
    }
    return events;
  }
}
