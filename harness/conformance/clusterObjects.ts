// The scenario's manifests as the objects a conformance run creates: every namespaced object moved
// into the run's namespace, every Prometheus provider pointed at the harness's Prometheus API
// server, the Rollout last (so the controller sees its Services, Ingress and AnalysisTemplates at
// its first reconcile). Pure.
import { parseAllDocuments } from 'yaml';
import type { ManifestSource } from '../../sim/manifests/load.js';

export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } & Record<string, unknown> } & Record<string, unknown>;

/** Kinds rehearse creates on the cluster, in creation order; anything else is left out (and reported). */
const CREATE_ORDER = ['Service', 'Ingress', 'VirtualService', 'TrafficSplit', 'AnalysisTemplate', 'ClusterAnalysisTemplate', 'Rollout'];

export interface ClusterObjects {
  readonly objects: readonly KubeObject[];
  /** `Kind/name` of documents not created, with why. */
  readonly skipped: readonly string[];
}

function setPrometheusAddress(template: KubeObject, address: string): void {
  const metrics = ((template.spec as { metrics?: unknown[] } | undefined)?.metrics ?? []) as { provider?: { prometheus?: { address?: string } } }[];
  for (const m of metrics) if (m.provider?.prometheus) m.provider.prometheus.address = address;
}

/**
 * On backends with real kubelets the harness controls readiness through a pod readiness gate
 * (RunningCluster.readinessGate): every pod template gets it, baseline and change alike.
 */
function addReadinessGate(rollout: KubeObject, conditionType: string): void {
  const podSpec = (rollout.spec as { template?: { spec?: { readinessGates?: { conditionType: string }[] } } } | undefined)?.template?.spec;
  if (!podSpec) return;
  const gates = podSpec.readinessGates ?? [];
  if (!gates.some((g) => g.conditionType === conditionType)) podSpec.readinessGates = [...gates, { conditionType }];
}

export function clusterObjects(sources: readonly ManifestSource[], namespace: string, prometheusAddress: string, readinessGate?: string): ClusterObjects {
  const objects: KubeObject[] = [];
  const skipped: string[] = [];
  for (const source of sources) {
    for (const doc of parseAllDocuments(source.text)) {
      const o = doc.toJS() as KubeObject | null;
      if (!o || typeof o !== 'object' || typeof o.kind !== 'string') continue;
      const name = o.metadata?.name ?? '';
      if (!CREATE_ORDER.includes(o.kind)) {
        skipped.push(`${o.kind}/${name}: not a kind a conformance run creates`);
        continue;
      }
      const copy = structuredClone(o);
      if (copy.kind !== 'ClusterAnalysisTemplate') copy.metadata.namespace = namespace;
      if (copy.kind === 'AnalysisTemplate' || copy.kind === 'ClusterAnalysisTemplate') setPrometheusAddress(copy, prometheusAddress);
      if (copy.kind === 'Rollout' && readinessGate !== undefined) addReadinessGate(copy, readinessGate);
      objects.push(copy);
    }
  }
  objects.sort((a, b) => CREATE_ORDER.indexOf(a.kind) - CREATE_ORDER.indexOf(b.kind));
  return { objects, skipped };
}

/** The JSON patch that applies the scenario's change: one container's image. */
export function imageChangePatch(rollout: KubeObject, image: string, container: string | undefined): { op: 'replace'; path: string; value: string }[] {
  const containers = ((rollout.spec as { template?: { spec?: { containers?: { name?: string }[] } } } | undefined)?.template?.spec?.containers ?? []);
  const index = container === undefined ? 0 : containers.findIndex((c) => c.name === container);
  if (index < 0) throw new Error(`the Rollout has no container named "${container}"`);
  return [{ op: 'replace', path: `/spec/template/spec/containers/${index}/image`, value: image }];
}
