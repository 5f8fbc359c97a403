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
  /**
   * spec.restartAt in virtual ms (whole seconds), undefined when unset. A restartAt written in the
   * manifests predates the rehearsal: it is read as one second before the run starts, so no pod is
   * older than it (the restart it asked for has already happened).
   */
  restartAt: number | undefined;
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
    this.restartAt = manifest.spec.restartAt === undefined ? undefined : -1000;
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
  updateSpec(change: { template?: PodTemplateSpec; replicas?: number; paused?: boolean; restartAt?: number }): void {
    if (change.template !== undefined) this.template = change.template;
    if (change.replicas !== undefined) this.replicas = change.replicas;
    if (change.paused !== undefined) this.paused = change.paused;
    if (change.restartAt !== undefined) this.restartAt = change.restartAt;
    this.generation++;
  }

  /** `spec.rollbackWindow.revisions` (0 = off). */
  get rollbackWindowRevisions(): number {
    return this.manifest.spec.rollbackWindow?.revisions ?? 0;
  }
}
