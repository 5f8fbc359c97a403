// `pauseContext` of argo-rollouts rollout/pause.go (v1.9.1): a reconcile collects pause and abort
// decisions here and they are written into the new status once, at persist time
// (`CalculatePauseStatus`). Decide, then apply.
import { metaNow, type PauseReason, type RolloutStatus } from './status.js';

export class PauseContext {
  private readonly addPauseReasons: PauseReason[] = [];
  private readonly removePauseReasons: PauseReason[] = [];
  private clearPauseConditionsFlag = false;
  private addAbortFlag = false;
  private removeAbortFlag = false;
  abortMessage = '';

  constructor(private readonly previous: RolloutStatus) {}

  hasAddPause(): boolean {
    return this.addPauseReasons.length > 0;
  }

  isAborted(): boolean {
    if (this.removeAbortFlag) return false;
    return this.addAbortFlag || this.previous.abort;
  }

  addAbort(message: string): void {
    this.addAbortFlag = true;
    this.abortMessage = message;
  }

  removeAbort(): void {
    this.removeAbortFlag = true;
  }

  addPauseCondition(reason: PauseReason): void {
    this.addPauseReasons.push(reason);
  }

  removePauseCondition(reason: PauseReason): void {
    this.removePauseReasons.push(reason);
  }

  /**
   * pause.go `CompletedBlueGreenPause`: never in the reconcile that adds a pause; always once the
   * preview scale-up checkpoint is set; with auto-promotion, at once (autoPromotionSeconds 0) or
   * strictly after the pause condition's start plus autoPromotionSeconds; without it, only when a
   * user resumed (controllerPause set and no BlueGreenPause condition left).
   */
  completedBlueGreenPause(
    blueGreen: { readonly autoPromotionEnabled: boolean | undefined; readonly autoPromotionSeconds: number },
    scaleUpPreviewCheckPoint: boolean,
    nowMs: number,
  ): boolean {
    const cond = this.previous.pauseConditions.find((p) => p.reason === 'BlueGreenPause');
    if (this.hasAddPause()) return false;
    if (scaleUpPreviewCheckPoint) return true;
    if (blueGreen.autoPromotionEnabled === undefined || blueGreen.autoPromotionEnabled) {
      if (blueGreen.autoPromotionSeconds === 0) return true;
      if (cond) return nowMs > cond.startTime + blueGreen.autoPromotionSeconds * 1000;
      return false;
    }
    return this.previous.controllerPause && cond === undefined;
  }

  clearPauseConditions(): void {
    this.clearPauseConditionsFlag = true;
  }

  /** `CalculatePauseStatus`: abort wins; a cleared list leaves pause fields at their zero values. */
  calculatePauseStatus(newStatus: RolloutStatus, nowMs: number): void {
    if (this.calculateAbortStatus(newStatus, nowMs)) return;
    if (this.clearPauseConditionsFlag) return;
    this.calculatePauseConditions(newStatus, nowMs);
  }

  private calculateAbortStatus(newStatus: RolloutStatus, nowMs: number): boolean {
    const abortedAt = this.previous.abortedAt ?? metaNow(nowMs);
    if (this.addAbortFlag || (!this.removeAbortFlag && this.previous.abort)) {
      newStatus.abort = true;
      newStatus.abortedAt = abortedAt;
      return true;
    }
    newStatus.abort = false;
    newStatus.abortedAt = undefined;
    return false;
  }

  private calculatePauseConditions(newStatus: RolloutStatus, nowMs: number): void {
    let controllerPause = this.previous.controllerPause;
    const remove = new Set(this.removePauseReasons);
    const existing = new Set<PauseReason>();
    const conditions = [];
    for (const c of this.previous.pauseConditions) {
      if (!remove.has(c.reason)) conditions.push(c);
      existing.add(c.reason);
    }
    for (const reason of this.addPauseReasons) {
      if (!existing.has(reason)) {
        conditions.push({ reason, startTime: metaNow(nowMs) });
        controllerPause = true;
      }
    }
    if (conditions.length === 0) return;
    newStatus.controllerPause = controllerPause;
    newStatus.pauseConditions = conditions;
  }
}
