// Plays one scenario against a real cluster (RunningCluster, harness/cluster/backend.ts): applies
// its manifests into the run's namespace, serves the mirrored data plane's metrics over the
// Prometheus HTTP API, applies the change and the operator actions through the API calls kubectl
// and the kubectl-argo-rollouts plugin make, records the controller's timeline until the horizon,
// and cleans the namespace up for the next scenario.
import { dirname, resolve } from 'node:path';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubernetesObjectApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { RunningCluster } from '../cluster/backend.js';
import type { TraceEntry } from '../../sim/engine/trace.js';
import type { ManifestSet } from '../../sim/manifests/types.js';
import type { ScenarioSpec } from '../../sim/scenario/types.js';
import { liveClock, type PromApiClock } from '../prometheus/clock.js';
import { startPromApiServer } from '../prometheus/server.js';
import { readManifestSources } from '../manifestSources.js';
import { clusterObjects, imageChangePatch, type KubeObject } from './clusterObjects.js';
import { DataPlaneMirror } from './dataPlane.js';
import { actionPatches, type OperatorAction, type RolloutForPatch } from './operatorPatches.js';
import { Recorder, routerWatches } from './recorder.js';

const ARGO = { group: 'argoproj.io', version: 'v1alpha1' } as const;

/** An operator action at a scenario time (ms). */
export interface TimedAction {
  readonly atMs: number;
  readonly action: OperatorAction;
}

/**
 * The scenario's operator actions. The scenario format gains `spec.actions` with the operator
 * actions work; until then this reads whatever the parsed scenario carries, defensively.
 */
export function scenarioActions(scenario: ScenarioSpec): TimedAction[] {
  const raw = (scenario as unknown as { actions?: readonly Record<string, unknown>[] }).actions ?? [];
  const out: TimedAction[] = [];
  for (const a of raw) {
    const atMs = Number(a.atMs ?? a.at);
    const kind = String(a.kind);
    if (!Number.isFinite(atMs)) continue;
    if (kind === 'promote') out.push({ atMs, action: { kind: 'promote', full: a.full === true } });
    else if (kind === 'abort' || kind === 'retry') out.push({ atMs, action: { kind } });
  }
  return out.sort((x, y) => x.atMs - y.atMs);
}

export interface RealRunOptions {
  readonly scenario: ScenarioSpec;
  readonly manifests: ManifestSet;
  readonly seed: number;
  /** Stop recording this long after the change (ms). */
  readonly horizonMs: number;
  readonly log: (line: string) => void;
  /** The Rollouts controller's log file, when the backend has one (events are read from it). */
  readonly controllerLogPath?: string | undefined;
}

export interface RealRunResult {
  readonly trace: readonly TraceEntry[];
  readonly warnings: readonly string[];
  readonly wallMs: number;
  readonly eventSource: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function cleanNamespace(cluster: RunningCluster, objects: readonly KubeObject[]): Promise<void> {
  const kc = cluster.kubeConfig;
  const namespace = cluster.namespace;
  const generic = KubernetesObjectApi.makeApiClient(kc);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const ignoreMissing = (e: unknown): void => {
    const code = (e as { code?: number }).code;
    if (code !== 404) throw e;
  };
  for (const o of [...objects].reverse()) await generic.delete(o, undefined, undefined, 0).catch(ignoreMissing);
  for (const plural of ['rollouts', 'analysisruns', 'experiments']) {
    await custom.deleteCollectionNamespacedCustomObject({ ...ARGO, namespace, plural }).catch(ignoreMissing);
  }
  await kc.makeApiClient(AppsV1Api).deleteCollectionNamespacedReplicaSet({ namespace }).catch(ignoreMissing);
  const core = kc.makeApiClient(CoreV1Api);
  await core.deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 }).catch(ignoreMissing);
  await core.deleteCollectionNamespacedEvent({ namespace }).catch(ignoreMissing);
  // Deletion is asynchronous (garbage collector, pod termination): wait until nothing of an earlier
  // run is left, or its ReplicaSets and pods would be recorded (and mirrored) as this run's.
  const apps = kc.makeApiClient(AppsV1Api);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const left =
      (await custom.listNamespacedCustomObject({ ...ARGO, namespace, plural: 'rollouts' }) as { items: unknown[] }).items.length +
      (await apps.listNamespacedReplicaSet({ namespace })).items.length +
      (await core.listNamespacedPod({ namespace })).items.length;
    if (left === 0) return;
    if (Date.now() > deadline) throw new Error(`namespace ${namespace}: ${left} objects of an earlier run are still there after a minute`);
    await apps.deleteCollectionNamespacedReplicaSet({ namespace }).catch(ignoreMissing);
    await core.deleteCollectionNamespacedPod({ namespace, gracePeriodSeconds: 0 }).catch(ignoreMissing);
    await sleep(200);
  }
}

export async function playOnCluster(cluster: RunningCluster, o: RealRunOptions): Promise<RealRunResult> {
  const started = Date.now();
  const { scenario, manifests } = o;
  const kc = cluster.kubeConfig;
  const namespace = cluster.namespace;
  const rollout = manifests.rollouts[0];
  if (!rollout || manifests.rollouts.length !== 1) throw new Error('a conformance scenario needs exactly one Rollout');
  const warnings: string[] = [];
  const base = dirname(scenario.file);
  const sources = readManifestSources(scenario.manifests.map((m) => resolve(base, m)));

  // virtual 0 = the Rollout's creation; until then the clock reads negative.
  let t0 = Number.POSITIVE_INFINITY;
  const elapsedMs = (): number => (Number.isFinite(t0) ? Date.now() - t0 : 0);
  const driver = await cluster.pods();
  const mirror = new DataPlaneMirror({ scenario, manifests, rollout, seed: o.seed, driver, elapsedMs, warn: (m) => warnings.push(m) });
  // The Prometheus API server maps request times onto the mirror's virtual clock: virtual 0 = t0
  // (a live clock, harness/prometheus/clock.ts, whose start is known only once the Rollout is created).
  const preStart = Date.now();
  const live = (): ReturnType<typeof liveClock> => liveClock({ startUnixMs: Number.isFinite(t0) ? t0 : preStart });
  const clock: PromApiClock = {
    scale: 1,
    toVirtualMs: (unixMs) => live().toVirtualMs(unixMs),
    toUnixMs: (virtualMs) => live().toUnixMs(virtualMs),
    nowUnixMs: () => live().nowUnixMs(),
    describe: () => live().describe(),
  };
  const server = await startPromApiServer({ store: mirror.store, clock, host: cluster.prometheusListenHost, port: 0, prometheusVersion: scenario.prometheusVersion });
  const address = cluster.prometheusAddress(server.port);
  const { objects, skipped } = clusterObjects(sources, namespace, address, cluster.readinessGate);
  for (const s of skipped) warnings.push(`not created on the cluster: ${s}`);

  const core = kc.makeApiClient(CoreV1Api);
  await cleanNamespace(cluster, objects);
  const oldEvents = new Set((await core.listNamespacedEvent({ namespace })).items.map((e) => e.metadata?.uid ?? ''));
  const recorder = new Recorder(kc, namespace, elapsedMs, mirror, oldEvents, o.controllerLogPath);
  const rolloutObject = objects.find((x) => x.kind === 'Rollout')!;
  const canarySpec = (rolloutObject.spec as { strategy?: { canary?: { trafficRouting?: unknown; canaryService?: string } } } | undefined)?.strategy?.canary;
  await recorder.start(routerWatches(namespace, canarySpec?.trafficRouting, canarySpec?.canaryService ?? ''));

  const generic = KubernetesObjectApi.makeApiClient(kc);
  const custom = kc.makeApiClient(CustomObjectsApi);
  try {
    for (const obj of objects) {
      if (obj.kind === 'Rollout') {
        t0 = Date.now();
        mirror.start();
      }
      await generic.create(obj);
    }
    o.log(`  applied ${objects.length} objects into namespace ${namespace}; Prometheus API at ${address}`);

    const change = scenario.change;
    const changeAtMs = change?.atMs ?? 0;
    const getRollout = async (): Promise<RolloutForPatch & { status?: { phase?: string } }> =>
      (await custom.getNamespacedCustomObject({ ...ARGO, namespace, plural: 'rollouts', name: rollout.metadata.name })) as RolloutForPatch;
    // The change waits for the initial revision to be Healthy, as the simulated world starts in steady state.
    let changeWall = t0 + changeAtMs;
    while (Date.now() < changeWall || (await getRollout()).status?.phase !== 'Healthy') {
      cluster.assertHealthy();
      if (Date.now() > t0 + changeAtMs + 60_000) throw new Error('the initial revision did not become Healthy within a minute of the scheduled change');
      await sleep(100);
    }
    if (Date.now() - changeWall > 1000) {
      warnings.push(`the change was applied ${((Date.now() - changeWall) / 1000).toFixed(1)}s late: the initial revision became Healthy only then`);
      changeWall = Date.now();
    }
    if (change?.image !== undefined) {
      mirror.noteChange();
      recorder.record({ type: 'change', image: change.image, podTemplateHash: '' });
      await custom.patchNamespacedCustomObject(
        { ...ARGO, namespace, plural: 'rollouts', name: rollout.metadata.name, body: imageChangePatch(rolloutObject, change.image, change.container) },
        setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
      );
    }
    const offset = changeWall - (t0 + changeAtMs);
    for (const { atMs, action } of scenarioActions(scenario)) {
      await sleep(t0 + atMs + offset - Date.now());
      const ro = await getRollout();
      for (const patch of actionPatches(ro, action)) {
        const req = { ...ARGO, namespace, plural: 'rollouts', name: rollout.metadata.name, body: patch.body };
        const opts = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
        if (patch.subresource === 'status') await custom.patchNamespacedCustomObjectStatus(req, opts);
        else await custom.patchNamespacedCustomObject(req, opts);
      }
      recorder.record({ type: 'action', kind: action.kind, ...(action.kind === 'promote' && action.full ? { full: true } : {}) });
      o.log(`  ${action.kind}${action.kind === 'promote' && action.full ? ' --full' : ''} at +${((Date.now() - changeWall) / 1000).toFixed(1)}s`);
    }
    while (Date.now() < changeWall + o.horizonMs) {
      cluster.assertHealthy();
      await sleep(Math.min(250, changeWall + o.horizonMs - Date.now()));
    }
  } finally {
    recorder.stop();
    mirror.stop();
    await server.close();
    // The pod driver belongs to the cluster (RunningCluster.pods() hands out one per cluster): it stays.
    await cleanNamespace(cluster, objects).catch((e: unknown) => warnings.push(`cleaning up: ${(e as Error).message}`));
  }
  warnings.push(...recorder.problems);
  return { trace: withChangeHash(recorder.entries), warnings, wallMs: Date.now() - started, eventSource: recorder.eventSource };
}

/** The change entry learns its pod-template hash from the first ReplicaSet created after it. */
export function withChangeHash(entries: readonly TraceEntry[]): TraceEntry[] {
  const i = entries.findIndex((e) => e.type === 'change');
  if (i < 0) return [...entries];
  const seen = new Set(entries.slice(0, i).filter((e) => e.type === 'replicaSet').map((e) => e.podTemplateHash));
  const rs = entries.slice(i).find((e) => e.type === 'replicaSet' && !seen.has(e.podTemplateHash));
  const out = [...entries];
  out[i] = { ...entries[i]!, podTemplateHash: rs ? rs.podTemplateHash : '' };
  return out;
}
