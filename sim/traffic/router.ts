// The traffic router a traffic-routed canary drives (an Istio VirtualService, SMI TrafficSplit,
// NGINX canary Ingress, ALB action...). For now every router applies weights exactly and at once;
// the controller calls `updateHash` and `setWeight` as rollout/trafficrouting.go does, and the
// traffic model reads the weights back from here — from what the controller actually wrote.
import type { TraceRecorder } from '../engine/trace.js';

export class TrafficRouter {
  canaryWeight = 0;
  canaryHash = '';
  stableHash = '';
  private listeners: (() => void)[] = [];

  constructor(
    readonly kinds: readonly string[],
    readonly maxWeight: number,
    private readonly trace: TraceRecorder,
  ) {}

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  updateHash(canaryHash: string, stableHash: string): void {
    if (canaryHash === this.canaryHash && stableHash === this.stableHash) return;
    this.canaryHash = canaryHash;
    this.stableHash = stableHash;
    this.changed();
  }

  setWeight(weight: number): void {
    if (weight === this.canaryWeight) return;
    this.canaryWeight = weight;
    this.changed();
  }

  private changed(): void {
    this.trace.record('router', {
      kinds: this.kinds,
      canaryWeight: this.canaryWeight,
      maxWeight: this.maxWeight,
      canaryHash: this.canaryHash,
      stableHash: this.stableHash,
    });
    for (const l of this.listeners) l();
  }
}
