// `rolloututil.CanaryStepString` (argo-rollouts utils/rollout/rolloututil.go): how a step is named
// in RolloutStepCompleted events. A pause duration prints as written (IntOrString.String()).
import type { CanaryStep } from '../manifests/types.js';

export function canaryStepString(step: CanaryStep): string {
  switch (step.kind) {
    case 'setWeight':
      return `setWeight: ${step.setWeight}`;
    case 'pause':
      return step.pause.duration === undefined ? 'pause' : `pause: ${String(step.pause.duration)}`;
    case 'analysis':
      return 'analysis';
    case 'setCanaryScale': {
      // Weight first, then matchTrafficWeight, then replicas; a step with none prints "invalid".
      const scs = step.setCanaryScale;
      if (scs.weight !== undefined) return `setCanaryScale{weight: ${scs.weight}}`;
      if (scs.matchTrafficWeight === true) return 'setCanaryScale{matchTrafficWeight: true}';
      if (scs.replicas !== undefined) return `setCanaryScale{replicas: ${scs.replicas}}`;
      return 'invalid';
    }
    case 'setHeaderRoute':
      return `setHeaderRoute: ${step.setHeaderRoute.name}`;
    case 'setMirrorRoute':
      return `setMirrorRoute: ${step.setMirrorRoute.name}`;
    case 'experiment':
      return 'experiment';
  }
}
