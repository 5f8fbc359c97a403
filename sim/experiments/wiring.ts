// How a run gets its experiment controller: only when the Rollout has an experiment step or the
// manifests hold standalone Experiments (so runs without experiments are unchanged), and how a
// standalone Experiment manifest becomes an Experiment object in the run (applied at t=0 with the
// other manifests).
import type { AnalysisController } from '../analysis/analysisController.js';
import type { Cluster } from '../cluster/cluster.js';
import { POD_TEMPLATE_HASH_LABEL } from '../cluster/replicaSet.js';
import type { Kernel } from '../engine/kernel.js';
import type { TraceRecorder } from '../engine/trace.js';
import type { Experiment, ManifestSet, Rollout } from '../manifests/types.js';
import { ExperimentController, type NewExperiment } from './controller.js';

export interface ExperimentWiring {
  readonly kernel: Kernel;
  readonly trace: TraceRecorder;
  readonly cluster: Cluster;
  readonly analysis: AnalysisController;
  readonly byName: <T extends { metadata: { name: string } }>(xs: readonly T[]) => Map<string, T>;
}

/** A run's experiment controller, with `createStandalone` for the Experiment manifests. */
export class RunExperiments extends ExperimentController {
  createStandalone(manifests: readonly Experiment[]): void {
    for (const m of manifests) this.create(standaloneExperiment(m));
  }
}

export function createExperimentController(rollout: Rollout, manifests: ManifestSet, w: ExperimentWiring): RunExperiments | undefined {
  const hasSteps = (rollout.spec.strategy.canary.steps ?? []).some((s) => s.kind === 'experiment');
  if (!hasSteps && (manifests.experiments ?? []).length === 0) return undefined;
  return new RunExperiments({
    kernel: w.kernel,
    trace: w.trace,
    cluster: w.cluster,
    analysis: w.analysis,
    analysisTemplates: w.byName(manifests.analysisTemplates),
    clusterAnalysisTemplates: w.byName(manifests.clusterAnalysisTemplates),
  });
}

/** The Experiment as written; templates' pod labels lose any `rollouts-pod-template-hash` (it is recomputed). */
export function standaloneExperiment(m: Experiment): NewExperiment {
  return {
    name: m.metadata.name,
    namespace: m.metadata.namespace ?? 'default',
    labels: m.metadata.labels,
    ownerRollout: undefined,
    spec: {
      templates: m.spec.templates.map((t) => {
        const labels = Object.fromEntries(Object.entries(t.template.metadata.labels).filter(([k]) => k !== POD_TEMPLATE_HASH_LABEL));
        return {
          name: t.name,
          replicas: t.replicas,
          minReadySeconds: t.minReadySeconds,
          selector: t.selector ?? { matchLabels: {} },
          template: { ...t.template, metadata: { ...t.template.metadata, labels } },
          service: t.service,
        };
      }),
      duration: m.spec.duration,
      progressDeadlineSeconds: m.spec.progressDeadlineSeconds,
      terminate: m.spec.terminate,
      analyses: m.spec.analyses,
      scaleDownDelaySeconds: m.spec.scaleDownDelaySeconds,
      dryRun: m.spec.dryRun,
      measurementRetention: m.spec.measurementRetention,
    },
  };
}
