// Pod start-up latency: lognormal, fitted to a median and a 99th percentile, which is how
// operators describe start-up times ("usually 8 s, 30 s at worst"). The draw comes from the
// `pods` random stream, so it does not shift traffic or analysis draws.
import { lognormalFromMedianP99, type RandomStream } from '../engine/random.js';

export interface PodStartupModel {
  /** Milliseconds from creation to readiness; Infinity for a pod that never becomes ready. */
  drawStartupMs(random: RandomStream): number;
}

export class LognormalStartup implements PodStartupModel {
  private readonly mu: number;
  private readonly sigma: number;

  constructor(medianMs: number, p99Ms: number) {
    const fit = lognormalFromMedianP99(Math.max(1, medianMs), Math.max(1, p99Ms));
    this.mu = fit.mu;
    this.sigma = fit.sigma;
  }

  drawStartupMs(random: RandomStream): number {
    if (this.sigma === 0) return Math.round(Math.exp(this.mu));
    return Math.max(1, Math.round(random.lognormal(this.mu, this.sigma)));
  }
}
