// The Rollout object as the API server holds it during a run: the manifest the user wrote, the parts
// of its spec that change during a scenario (template, replicas, paused), its metadata generation
// and revision annotation, and the status the controller persists.
import type { CanaryStep, PodTemplateSpec, Rollout } from '../manifests/types.js';
import { DefaultReplicas } from './defaults.js';
import { emptyRolloutStatus, type RolloutStatus } from './status.js';

export class SimRollout {
  template: PodTemplateSpec;
  replicas: number;
  paused: boolean;
  /** metadata.generation: bumped on every spec change. */
  generation = 1;
  /** The `rollout.argoproj.io/revision` annotation. */
  revision: string | undefined;
  /** The status as stored by the API server. */
  status: RolloutStatus = emptyRolloutStatus();

  constructor(readonly manifest: Rollout) {
    this.template = manifest.spec.template;
    this.replicas = manifest.spec.replicas ?? DefaultReplicas;
    this.paused = manifest.spec.paused ?? false;
  }

  get name(): string {
    return this.manifest.metadata.name;
  }

  get namespace(): string {
    return this.manifest.metadata.namespace ?? 'default';
  }

  get canary(): Rollout['spec']['strategy']['canary'] {
    return this.manifest.spec.strategy.canary;
  }

  get steps(): readonly CanaryStep[] {
    return this.canary.steps ?? [];
  }

  get trafficRouted(): boolean {
    return this.canary.trafficRouting !== undefined;
  }

  get minReadySeconds(): number {
    return this.manifest.spec.minReadySeconds ?? 0;
  }

  /** A spec change as `kubectl apply` or a patch makes it: the generation moves on. */
  updateSpec(change: { template?: PodTemplateSpec; replicas?: number; paused?: boolean }): void {
    if (change.template !== undefined) this.template = change.template;
    if (change.replicas !== undefined) this.replicas = change.replicas;
    if (change.paused !== undefined) this.paused = change.paused;
    this.generation++;
  }
}
