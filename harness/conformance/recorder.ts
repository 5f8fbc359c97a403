// The real controller's timeline: watches on the run's namespace (Rollouts, ReplicaSets, Services,
// Pods, AnalysisRuns, Events, and the router objects the Rollout drives), each change written as a
// trace entry in the simulator's schema (observe.ts) with `t` = wall-clock ms since the run's
// virtual 0, in the order the watches deliver them. It also feeds the data-plane mirror.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { TraceEntry } from '../../sim/engine/trace.js';
import { eventFromLogLine, LogTail } from './controllerLog.js';
import type { DataPlaneMirror } from './dataPlane.js';
import { analysisRunEntries, eventCount, eventEntry, POD_TEMPLATE_HASH_LABEL, replicaSetEntry, rolloutStatusEntry, sameStatus, type AnalysisRunSeen, type Fields } from './observe.js';
import { istioCanaryWeight, nginxCanaryWeight, smiCanaryWeight, type RouterWeight } from './routerWeights.js';

export interface RouterWatch {
  readonly kinds: readonly string[];
  readonly path: string;
  readonly weightOf: (obj: unknown) => RouterWeight | undefined;
}

/** The watch paths of the router objects a Rollout's trafficRouting drives. */
export function routerWatches(namespace: string, trafficRouting: unknown, canaryService: string): RouterWatch[] {
  const tr = (trafficRouting ?? {}) as { nginx?: unknown; istio?: { virtualService?: { routes?: string[] }; virtualServices?: { routes?: string[] }[] }; smi?: unknown };
  const out: RouterWatch[] = [];
  if (tr.nginx) out.push({ kinds: ['nginx'], path: `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`, weightOf: (o) => nginxCanaryWeight(o as never) });
  if (tr.istio) {
    const routes = [...(tr.istio.virtualService?.routes ?? []), ...(tr.istio.virtualServices ?? []).flatMap((v) => v.routes ?? [])];
    out.push({ kinds: ['istio'], path: `/apis/networking.istio.io/v1beta1/namespaces/${namespace}/virtualservices`, weightOf: (o) => istioCanaryWeight(o as never, canaryService, routes) });
  }
  if (tr.smi) out.push({ kinds: ['smi'], path: `/apis/split.smi-spec.io/v1alpha1/namespaces/${namespace}/trafficsplits`, weightOf: (o) => smiCanaryWeight(o as never, canaryService) });
  return out;
}

type Meta = { metadata?: { name?: string; uid?: string; labels?: Record<string, string>; deletionTimestamp?: unknown }; spec?: Record<string, unknown> };

export class Recorder {
  private readonly items: TraceEntry[] = [];
  private readonly aborts: AbortController[] = [];
  private lastStatus: Fields | undefined;
  private readonly runs = new Map<string, AnalysisRunSeen>();
  private readonly rsReplicas = new Map<string, number>();
  private readonly selectors = new Map<string, string | undefined>();
  private readonly eventCounts = new Map<string, number>();
  private lastWeight: number | undefined;
  private stopped = false;
  private logTimer: NodeJS.Timeout | undefined;
  readonly problems: string[] = [];

  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
    private readonly elapsedMs: () => number,
    private readonly mirror: DataPlaneMirror,
    /** Event objects that existed before the run (left by an earlier scenario): never recorded. */
    private readonly oldEvents: ReadonlySet<string>,
    /**
     * The Rollouts controller's JSON log, when the backend has one: then events are read from it
     * (complete; controllerLog.ts says why) and the API's Event objects are kept as `apiEvent`.
     */
    private readonly controllerLogPath?: string,
  ) {}

  /** Where the compared `event` entries come from. */
  get eventSource(): 'controller log' | 'Kubernetes Events' {
    return this.controllerLogPath ? 'controller log' : 'Kubernetes Events';
  }

  get entries(): readonly TraceEntry[] {
    return this.items;
  }

  record(fields: Fields): void {
    this.items.push({ t: this.elapsedMs(), ...fields });
  }

  async start(routers: readonly RouterWatch[]): Promise<void> {
    const ns = this.namespace;
    if (this.controllerLogPath) {
      const tail = new LogTail(this.controllerLogPath);
      this.logTimer = setInterval(() => {
        for (const line of tail.poll()) {
          const e = eventFromLogLine(line, ns);
          if (e) this.record(e);
        }
      }, 50);
    }
    const argo = `/apis/argoproj.io/v1alpha1/namespaces/${ns}`;
    await Promise.all([
      this.watch(`${argo}/rollouts`, (phase, o) => this.onRollout(phase, o)),
      this.watch(`/apis/apps/v1/namespaces/${ns}/replicasets`, (phase, o) => this.onReplicaSet(phase, o)),
      this.watch(`/api/v1/namespaces/${ns}/services`, (phase, o) => this.onService(phase, o)),
      this.watch(`/api/v1/namespaces/${ns}/pods`, (phase, o) => this.onPod(phase, o)),
      this.watch(`${argo}/analysisruns`, (phase, o) => this.onAnalysisRun(phase, o)),
      this.watch(`/api/v1/namespaces/${ns}/events`, (phase, o) => this.onEvent(phase, o)),
      ...routers.map((r) => this.watch(r.path, (phase, o) => this.onRouter(r, phase, o))),
    ]);
  }

  stop(): void {
    this.stopped = true;
    if (this.logTimer) clearInterval(this.logTimer);
    for (const a of this.aborts) a.abort();
  }

  private async watch(path: string, onChange: (phase: string, obj: Meta) => void): Promise<void> {
    const w = new Watch(this.kc);
    const abort = await w.watch(
      path,
      { allowWatchBookmarks: false },
      (phase, obj) => {
        if (this.stopped) return;
        try {
          onChange(phase, obj as Meta);
        } catch (e) {
          this.problems.push(`while recording ${path}: ${(e as Error).message}`);
        }
      },
      (err) => {
        if (!this.stopped) this.problems.push(`the watch on ${path} ended early${err ? `: ${(err as Error).message ?? String(err)}` : ''}`);
      },
    );
    this.aborts.push(abort);
  }

  private onRollout(phase: string, o: Meta): void {
    if (phase === 'DELETED') return;
    const status = rolloutStatusEntry(o);
    if (sameStatus(this.lastStatus, status)) return;
    this.lastStatus = status;
    this.record(status);
  }

  private onReplicaSet(phase: string, o: Meta): void {
    if (phase === 'DELETED') return;
    const entry = replicaSetEntry(o);
    const name = String(entry.replicaSet);
    const replicas = Number(o.spec?.replicas ?? 0);
    if (!this.rsReplicas.has(name)) this.record(entry);
    if (this.rsReplicas.get(name) !== replicas) {
      this.rsReplicas.set(name, replicas);
      this.record({ type: 'replicaSetScaled', replicaSet: name, replicas });
    }
    this.mirror.replicaSet(name, String(entry.podTemplateHash), String(entry.image), replicas);
  }

  private onService(phase: string, o: Meta): void {
    if (phase === 'DELETED') return;
    const name = o.metadata?.name ?? '';
    const hash = (o.spec?.selector as Record<string, string> | undefined)?.[POD_TEMPLATE_HASH_LABEL];
    if (this.selectors.has(name) && this.selectors.get(name) === hash) return;
    this.selectors.set(name, hash);
    this.record({ type: 'serviceSelector', service: name, podTemplateHash: hash ?? null });
    this.mirror.serviceSelector(name, hash);
  }

  private onPod(phase: string, o: Meta): void {
    const hash = o.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
    const name = o.metadata?.name;
    if (!hash || !name) return;
    if (phase === 'DELETED' || o.metadata?.deletionTimestamp) this.mirror.podDeleted(hash, name);
  }

  private onAnalysisRun(phase: string, o: Meta): void {
    if (phase === 'DELETED') return;
    const name = o.metadata?.name ?? '';
    const { entries, seen } = analysisRunEntries(o, this.runs.get(name));
    this.runs.set(name, seen);
    for (const e of entries) this.record(e);
  }

  private onEvent(phase: string, o: Meta): void {
    if (phase === 'DELETED') return;
    const uid = o.metadata?.uid ?? '';
    if (this.oldEvents.has(uid)) return;
    const entry = eventEntry(o);
    if (!entry) return;
    // A repeated event bumps `count` on the same Event object: one entry per occurrence.
    const count = eventCount(o);
    const before = this.eventCounts.get(uid) ?? 0;
    this.eventCounts.set(uid, count);
    const recorded = this.controllerLogPath ? { ...entry, type: 'apiEvent' } : entry;
    for (let i = before; i < count; i++) this.record(recorded);
  }

  private onRouter(router: RouterWatch, phase: string, o: unknown): void {
    if (phase === 'DELETED') return;
    const w = router.weightOf(o);
    if (!w || w.canaryWeight === this.lastWeight) return;
    this.lastWeight = w.canaryWeight;
    this.record({ type: 'router', kinds: router.kinds, canaryWeight: w.canaryWeight, maxWeight: w.maxWeight });
    this.mirror.routerWeight(w.canaryWeight);
  }
}
