// Consistency between a Rollout's header/mirror route steps and the scenario's traffic shares:
// a step with no matching share (or a share no step uses) would silently do nothing, so it is
// reported as a warning with the field to write.
import type { Rollout } from '../manifests/types.js';

export function managedRouteWarnings(
  rollout: Rollout,
  traffic: { readonly headerShare?: number | undefined; readonly mirrorShare?: number | undefined },
): string[] {
  const steps = rollout.spec.strategy.canary.steps ?? [];
  const sets = (kind: 'setHeaderRoute' | 'setMirrorRoute'): boolean =>
    steps.some((s) => {
      if (s.kind !== kind) return false;
      const match = s.kind === 'setHeaderRoute' ? s.setHeaderRoute.match : s.kind === 'setMirrorRoute' ? s.setMirrorRoute.match : undefined;
      return (match?.length ?? 0) > 0;
    });
  const out: string[] = [];
  if (sets('setHeaderRoute') && traffic.headerShare === undefined) {
    out.push('the Rollout sets a header route (setHeaderRoute) but the scenario does not say which requests match it: set spec.traffic.headerShare (e.g. 5%); until then no request is header-matched');
  }
  if (!sets('setHeaderRoute') && traffic.headerShare !== undefined) {
    out.push('spec.traffic.headerShare is set but the Rollout has no setHeaderRoute step with match conditions: the header-matched requests follow the weights like all others');
  }
  if (sets('setMirrorRoute') && traffic.mirrorShare === undefined) {
    out.push('the Rollout sets a mirror route (setMirrorRoute) but the scenario does not say which requests match it: set spec.traffic.mirrorShare (e.g. 100%); until then nothing is mirrored');
  }
  if (!sets('setMirrorRoute') && traffic.mirrorShare !== undefined) {
    out.push('spec.traffic.mirrorShare is set but the Rollout has no setMirrorRoute step with match conditions: nothing is mirrored');
  }
  return out;
}
