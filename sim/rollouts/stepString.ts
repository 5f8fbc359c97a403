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
    case 'experiment':
      return 'experiment';
  }
}
