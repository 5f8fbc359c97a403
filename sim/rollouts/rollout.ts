// The Rollout object as the API server holds it during a run: the manifest the user wrote, the parts
// of its spec that change during a scenario (template, replicas, paused), its metadata generation
// and revision annotation, and the status the controller persists.
import { computeStepHash, podTemplateHash } from '../manifests/templateHash.js';
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
  private hashedTemplate: PodTemplateSpec | undefined;
  private templateHashValue = '';
  private stepHashValue: string | undefined;

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

  /** The blue-green strategy, or undefined for a canary Rollout. */
  get blueGreen(): Rollout['spec']['strategy']['blueGreen'] {
    return this.manifest.spec.strategy.blueGreen;
  }

  get steps(): readonly CanaryStep[] {
    return this.canary.steps ?? [];
  }

  get trafficRouted(): boolean {
    return this.canary.trafficRouting !== undefined;
  }

  /** Pod-template hash of the current spec.template (computed once per template). */
  get podTemplateHash(): string {
    if (this.hashedTemplate !== this.template) {
      this.templateHashValue = podTemplateHash(this.template.raw);
      this.hashedTemplate = this.template;
    }
    return this.templateHashValue;
  }

  /** `ComputeStepHash` of the canary steps (they do not change during a run). */
  get stepHash(): string {
    this.stepHashValue ??= computeStepHash(this.canary.rawSteps);
    return this.stepHashValue;
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
