// The metric providers of one run: each metric goes to the provider its template names
// (`providers.NewProvider` in upstream's metricproviders/provider.go) — Prometheus against the
// simulated store, web and job against what the scenario describes, every other kind through the
// fixture provider.
import type { AnalysisRunLabels, MeasurementProvider } from '../analysisRun.js';
import type { ExprVersion } from '../condition/index.js';
import type { FixtureSource, ResolvedMetric, WebSource } from '../metric.js';
import type { Measurement } from '../types.js';
import { runFixture } from './fixture.js';
import { resumeJob, runJob, terminateJob } from './job.js';
import type { ProvidersSpec } from './spec.js';
import type { TrafficSource } from './traffic.js';
import { runWeb } from './web.js';

export interface DispatchOptions {
  readonly prometheus: MeasurementProvider;
  readonly spec: ProvidersSpec;
  readonly traffic: TrafficSource;
  readonly exprVersion: ExprVersion;
  /** Image of the revision with this pod-template hash (undefined if unknown). */
  imageOf(hash: string): string | undefined;
}

export class AnalysisProviders implements MeasurementProvider {
  /** Findings about metrics the scenario does not describe, each once, in the order found. */
  readonly warnings: string[] = [];
  private readonly ctx;

  constructor(private readonly o: DispatchOptions) {
    this.ctx = {
      spec: o.spec,
      traffic: o.traffic,
      exprVersion: o.exprVersion,
      imageOf: (h: string) => o.imageOf(h),
      warn: (w: string) => {
        if (!this.warnings.includes(w)) this.warnings.push(w);
      },
    };
  }

  run(metric: ResolvedMetric, nowMs: number, run?: AnalysisRunLabels): Measurement {
    switch (metric.provider.kind) {
      case 'prometheus':
        return this.o.prometheus.run(metric, nowMs, run);
      case 'web':
        return runWeb(this.ctx, metric as ResolvedMetric & { provider: WebSource }, nowMs, run);
      case 'job':
        return runJob(this.ctx, metric, nowMs, run);
      case 'fixture':
        return runFixture(this.ctx, metric as ResolvedMetric & { provider: FixtureSource }, nowMs, run);
    }
  }

  resume(metric: ResolvedMetric, m: Measurement, nowMs: number): Measurement {
    return metric.provider.kind === 'job' ? resumeJob(m, nowMs) : m;
  }

  terminate(metric: ResolvedMetric, m: Measurement, nowMs: number): Measurement {
    return metric.provider.kind === 'job' ? terminateJob(m, nowMs) : m;
  }
}
