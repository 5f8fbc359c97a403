// Plays operator actions against one run: each action becomes the request the real client sends —
// kubectl-argo-rollouts v1.9.1 (pkg/kubectl-argo-rollouts/cmd/{promote,abort,retry,undo,restart,
// pause,set}) or Argo CD syncing a commit — applied to the Rollout's spec or status subresource.
// Nothing here decides what the rollout does next: the controller model reacts to the changed
// object exactly as the real controller reacts to the PATCH, whatever its strategy.
import { Priority, type Kernel } from '../engine/kernel.js';
import type { TraceRecorder } from '../engine/trace.js';
import type { Cluster } from '../cluster/cluster.js';
import { formatDuration } from '../expect/format.js';
import type { ReplicaSet } from '../cluster/replicaSet.js';
import { podTemplateHash } from '../manifests/templateHash.js';
import type { CanaryStrategy, PodTemplateSpec } from '../manifests/types.js';
import type { RolloutController } from '../rollouts/controller.js';
import type { MergePatch } from '../rollouts/mergePatch.js';
import type { SimRollout } from '../rollouts/rollout.js';
import { metaNow, type RolloutStatus } from '../rollouts/status.js';
import { changedTemplate } from '../rollouts/templates.js';
import type { OperatorAction } from './types.js';

/** One request as the API server receives it. */
export interface AppliedPatch {
  /** `status` for the status subresource, `spec` for the main resource. */
  readonly target: 'spec' | 'status';
  /** merge: JSON merge patch; json: RFC 6902 JSON patch (undo); apply: a whole-object update (set image, Argo CD sync). */
  readonly type: 'merge' | 'json' | 'apply';
  readonly patch: unknown;
}

export interface ActionWorld {
  readonly kernel: Kernel;
  readonly trace: TraceRecorder;
  readonly cluster: Cluster;
  readonly controller: RolloutController;
  readonly rollout: SimRollout;
}

/** What an action did: the requests sent, or why the client sent none (its error or notice). */
export interface ActionResult {
  readonly patches: readonly AppliedPatch[];
  readonly message: string;
  readonly failed: boolean;
}

/** Virtual time as the RFC 3339 text a client writes (virtual time 0 = the Unix epoch). */
export function rfc3339(ms: number): string {
  return new Date(metaNow(ms)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class OperatorActions {
  /**
   * The pod templates the Git repository held, oldest first: the one deployed at t=0 and every
   * commit since (the scenario's change, setImage, gitopsRevert). kubectl edits (undo, scale,
   * pause, restart) change the live object only, not Git.
   */
  private readonly commits: PodTemplateSpec[] = [];
  readonly failures: string[] = [];

  constructor(private readonly world: ActionWorld) {
    this.commits.push(world.rollout.template);
  }

  /** A commit that changed the template (the scenario's `change`). */
  recordCommit(template: PodTemplateSpec): void {
    this.commits.push(template);
  }

  /** Schedules every action at its time (after a change at the same instant, before the reconcile). */
  schedule(actions: readonly OperatorAction[]): void {
    for (const action of actions) {
      this.world.kernel.schedule(action.atMs, Priority.world, `action ${action.index} ${action.kind}`, () => this.apply(action));
    }
  }

  apply(action: OperatorAction): ActionResult {
    const result = this.perform(action);
    this.world.trace.record('action', {
      index: action.index,
      kind: action.kind,
      ...(action.kind === 'promote' && action.full ? { full: true } : {}),
      patches: result.patches,
      message: result.message,
      ...(result.failed ? { failed: true } : {}),
    });
    if (result.failed) this.failures.push(`spec.actions[${action.index}] (${action.kind} at ${formatDuration(action.atMs)}) failed as the client would, and changed nothing: ${result.message}`);
    return result;
  }

  private perform(action: OperatorAction): ActionResult {
    const ro = this.world.rollout;
    const name = ro.name;
    switch (action.kind) {
      case 'promote':
        return this.promote(action.full);
      case 'abort':
        // abort.go: abortPatch on the status subresource.
        return this.sendStatus({ abort: true }, `rollout '${name}' aborted`);
      case 'retry':
        // retry.go: retryRolloutPatch — only the flag; the controller clears abortedAt, restarts the
        // steps at 0 and re-creates the analysis (rollout/analysis.go needsNewAnalysisRun).
        return this.sendStatus({ abort: false }, `rollout '${name}' retried`);
      case 'pause':
        // pause.go: `{"spec":{"paused":true}}`.
        return this.sendSpec({ paused: true }, () => ro.paused !== true && { paused: true }, `rollout '${name}' paused`);
      case 'resume':
        // The reverse of pause (what promote's unpausePatch writes), without touching the status.
        return this.sendSpec({ paused: false }, () => ro.paused && { paused: false }, `rollout '${name}' resumed`);
      case 'scale':
        // The scale subresource: spec.replicas.
        return this.sendSpec({ replicas: action.replicas }, () => ro.replicas !== action.replicas && { replicas: action.replicas }, `rollout '${name}' scaled to ${action.replicas}`);
      case 'restart': {
        // restart.go: `{"spec":{"restartAt":"<now, RFC 3339>"}}`.
        const at = metaNow(this.world.kernel.nowMs);
        return this.sendSpec({ restartAt: rfc3339(at) }, () => ro.restartAt !== at && { restartAt: at }, `rollout '${name}' restarts`);
      }
      case 'undo':
        return this.undo(action.toRevision);
      case 'setImage':
        return this.setImage(action.container, action.image);
      case 'gitopsRevert':
        return this.gitopsRevert();
    }
  }

  /** promote.go getPatches (no deprecated flags): the status patch first, then the spec patch. */
  private promote(full: boolean): ActionResult {
    const ro = this.world.rollout;
    const s = ro.status;
    const patches: AppliedPatch[] = [];
    let statusPatch: MergePatch | undefined;
    if (full) {
      if (s.currentPodHash !== s.stableRS) statusPatch = { promoteFull: true };
    } else {
      const index = this.currentStepIndexForPromote(s);
      const inconclusive = index !== undefined && s.canary.currentStepAnalysisRunStatus?.status === 'Inconclusive';
      if (inconclusive && s.pauseConditions.length > 0 && s.controllerPause) {
        // An inconclusive step analysis: clear the pause, the controller's flag, and skip the step.
        if (index !== undefined) statusPatch = { pauseConditions: null, controllerPause: false, currentStepIndex: index };
      } else if (s.pauseConditions.length > 0) {
        statusPatch = { pauseConditions: null };
      } else if (index !== undefined) {
        // Nothing paused by the controller: a canary moves to its next step.
        statusPatch = { pauseConditions: null, currentStepIndex: index };
      }
    }
    if (statusPatch) {
      this.world.controller.patchStatusFromClient(statusPatch);
      patches.push({ target: 'status', type: 'merge', patch: { status: statusPatch } });
    }
    if (ro.paused) {
      ro.updateSpec({ paused: false });
      this.world.controller.enqueue();
      patches.push({ target: 'spec', type: 'merge', patch: { spec: { paused: false } } });
    }
    return { patches, message: `rollout '${ro.name}' ${full ? 'fully promoted' : 'promoted'}`, failed: false };
  }

  /**
   * `GetCurrentCanaryStep`'s index, moved one step on unless already past the last step; undefined
   * for a rollout without canary steps (the promote patch then carries no index).
   */
  private currentStepIndexForPromote(s: RolloutStatus): number | undefined {
    // Only a canary has steps (a blue-green Rollout has no strategy.canary).
    const canary = this.world.rollout.manifest.spec.strategy.canary as CanaryStrategy | undefined;
    const steps = canary?.steps?.length ?? 0;
    if (steps === 0) return undefined;
    const index = s.currentStepIndex ?? 0;
    return index < steps ? index + 1 : index;
  }

  private sendStatus(patch: MergePatch, message: string): ActionResult {
    this.world.controller.patchStatusFromClient(patch);
    return { patches: [{ target: 'status', type: 'merge', patch: { status: patch } }], message, failed: false };
  }

  /**
   * A merge patch of the spec. `change` says what it changes in the model (false: the object
   * already holds those values, so the API server stores nothing and no informer event follows).
   */
  private sendSpec(
    patch: Record<string, unknown>,
    change: () => false | { paused?: boolean; replicas?: number; restartAt?: number },
    message: string,
  ): ActionResult {
    const c = change();
    if (c) {
      this.world.rollout.updateSpec(c);
      this.world.controller.enqueue();
    }
    return { patches: [{ target: 'spec', type: 'merge', patch: { spec: patch } }], message, failed: false };
  }

  private writeTemplate(template: PodTemplateSpec): void {
    this.world.rollout.updateSpec({ template });
    this.world.controller.enqueue();
  }

  /** undo.go RunUndoRollout: the chosen revision's ReplicaSet template, hash label removed, replaces spec.template. */
  private undo(toRevision: number): ActionResult {
    const ro = this.world.rollout;
    const rs = revisionReplicaSet(this.world.cluster.replicaSets, toRevision);
    if (typeof rs === 'string') return { patches: [], message: rs.replace('%s', ro.name), failed: true };
    if (podTemplateHash(rs.template.raw) === ro.podTemplateHash) {
      return { patches: [], message: `skipped rollback (current template already matches revision ${toRevision})`, failed: false };
    }
    this.writeTemplate(rs.template);
    return {
      patches: [{ target: 'spec', type: 'json', patch: [{ op: 'replace', path: '/spec/template', value: rs.template.raw }] }],
      message: `rollout '${ro.name}' undo (to revision ${rs.revision}, ReplicaSet ${rs.name})`,
      failed: false,
    };
  }

  /** set_image.go newRolloutSetImage: every container of that name ("*": all), then an Update. */
  private setImage(container: string | undefined, image: string): ActionResult {
    const ro = this.world.rollout;
    let template = ro.template;
    const names = template.containers.map((c) => c.name);
    const targets = container === undefined ? [names[0]!] : container === '*' ? names : names.filter((n) => n === container);
    if (targets.length === 0) return { patches: [], message: `unable to find container named "${container ?? ''}"`, failed: true };
    for (const n of targets) template = changedTemplate(template, image, n);
    const changed = podTemplateHash(template.raw) !== ro.podTemplateHash;
    if (changed) {
      this.commits.push(template);
      this.writeTemplate(template);
    }
    return {
      patches: [{ target: 'spec', type: 'apply', patch: { spec: { template: { spec: { containers: targets.map((name) => ({ name, image })) } } } } }],
      message: `rollout "${ro.name}" image updated`,
      failed: false,
    };
  }

  /**
   * `git revert` of the newest commit, synced by Argo CD: the manifest of the commit before it is
   * applied whole — spec.template as Git held it (not as any ReplicaSet holds it), and spec.replicas
   * when the manifest sets it (undoing a `kubectl scale`, which was drift from Git).
   */
  private gitopsRevert(): ActionResult {
    const ro = this.world.rollout;
    if (this.commits.length < 2) return { patches: [], message: 'nothing to revert: the Git history holds only the deployed manifest', failed: true };
    const template = this.commits[this.commits.length - 2]!;
    this.commits.push(template);
    const replicas = ro.manifest.spec.replicas;
    const spec: Record<string, unknown> = { template: template.raw };
    const templateChanged = podTemplateHash(template.raw) !== ro.podTemplateHash;
    const replicasChanged = replicas !== undefined && replicas !== ro.replicas;
    if (replicasChanged) spec['replicas'] = replicas;
    if (templateChanged || replicasChanged) {
      ro.updateSpec({ ...(templateChanged ? { template } : {}), ...(replicasChanged ? { replicas } : {}) });
      this.world.controller.enqueue();
    }
    return {
      patches: [{ target: 'spec', type: 'apply', patch: { spec } }],
      message: templateChanged || replicasChanged ? `synced the reverted commit (pod-template-hash ${podTemplateHash(template.raw)})` : 'synced the reverted commit: already in sync',
      failed: false,
    };
  }
}

/**
 * undo.go rolloutRevision: the ReplicaSet whose revision annotation is `toRevision`, or with 0 the
 * second-newest revision. A string is the client's error ("%s" = the rollout's name).
 */
export function revisionReplicaSet(all: readonly ReplicaSet[], toRevision: number): ReplicaSet | string {
  let latest: ReplicaSet | undefined;
  let previous: ReplicaSet | undefined;
  for (const rs of all) {
    const v = rs.revision;
    if (toRevision === 0) {
      if ((latest?.revision ?? -1) < v) {
        previous = latest;
        latest = rs;
      } else if ((previous?.revision ?? -1) < v) previous = rs;
    } else if (v === toRevision) return rs;
  }
  if (toRevision > 0) return `unable to find specified revision ${toRevision} in history`;
  return previous ?? 'no revision found for rollout "%s"';
}
