// The data plane of a conformance run: the simulator's own pods, traffic and metrics, driven in
// wall-clock time by what the real cluster does (DESIGN.md principle 5, "one engine, two control
// planes"). A mirror of the real namespace lives in a sim Cluster on a Kernel that the wall clock
// advances: when the real ReplicaSet controller is told to scale, the mirror scales too, so each
// new pod draws its start-up time from the same `pods` stream, in the same order, as in the
// simulated run of the same seed; when a mirrored pod becomes ready, one real pod of that
// ReplicaSet is reported Ready through the PodLifecycleDriver. Service selectors and router weights
// are copied from the real objects the controller wrote, and the traffic model and scraper fill a
// SeriesStore exactly as sim/world.ts does, which the harness serves over the Prometheus HTTP API.
import type { V1Pod } from '@kubernetes/client-node';
import type { PodLifecycleDriver } from '../cluster/backend.js';
import { Cluster } from '../../sim/cluster/cluster.js';
import { LognormalStartup, type PodStartupModel } from '../../sim/cluster/podModel.js';
import type { ReplicaSet } from '../../sim/cluster/replicaSet.js';
import { SimService } from '../../sim/cluster/service.js';
import { Kernel, Priority } from '../../sim/engine/kernel.js';
import { RandomStreams } from '../../sim/engine/random.js';
import { TraceRecorder } from '../../sim/engine/trace.js';
import type { ManifestSet, PodTemplateSpec, Rollout } from '../../sim/manifests/types.js';
import { genericPreset } from '../../sim/metrics/presets/generic.js';
import { Scraper } from '../../sim/metrics/scraper.js';
import { SeriesStore } from '../../sim/metrics/store.js';
import { DefaultMaxTrafficWeight } from '../../sim/rollouts/defaults.js';
import { changedTemplate } from '../../sim/rollouts/templates.js';
import type { ScenarioSpec } from '../../sim/scenario/types.js';
import { DEFAULT_BUCKETS_SECONDS } from '../../sim/traffic/behaviour.js';
import type { LoadProfile } from '../../sim/traffic/load.js';
import { TrafficRouter } from '../../sim/traffic/router.js';
import { currentRoutes, type Routing } from '../../sim/traffic/routing.js';
import { TrafficModel, type TrafficModelOptions } from '../../sim/traffic/trafficModel.js';
import { POD_TEMPLATE_HASH_LABEL } from './observe.js';

export interface DataPlaneOptions {
  readonly scenario: ScenarioSpec;
  readonly manifests: ManifestSet;
  readonly rollout: Rollout;
  readonly seed: number;
  readonly driver: PodLifecycleDriver;
  /** Wall-clock ms since the run's virtual 0 (the instant the Rollout was created). */
  readonly elapsedMs: () => number;
  /** Problems setting readiness (a pod deleted meanwhile is normal and not reported). */
  readonly warn: (message: string) => void;
}

/** The blue-green active Service, read defensively: the strategy is being added to the Rollout model. */
function blueGreenActiveService(rollout: Rollout): string | undefined {
  return (rollout.spec.strategy as { blueGreen?: { activeService?: string } }).blueGreen?.activeService;
}

interface RealPods {
  /** Live pods of the ReplicaSet in the order they started, with whether we reported them Ready. */
  readonly pods: Map<string, boolean>;
}

export class DataPlaneMirror {
  readonly kernel = new Kernel({ maxEvents: 50_000_000 });
  readonly store = new SeriesStore();
  readonly router: TrafficRouter | undefined;
  private readonly cluster: Cluster;
  private readonly traffic: TrafficModel;
  /** Blue-green preview traffic (`spec.traffic.preview`), as sim/world.ts plays it; undefined without. */
  private readonly previewTraffic: TrafficModel | undefined;
  private readonly scraper: Scraper;
  private readonly byHash = new Map<string, ReplicaSet>();
  private readonly realPods = new Map<string, RealPods>();
  private timer: NodeJS.Timeout | undefined;
  private changed = false;
  /** The driver outlives this run (one per cluster), so a stopped mirror ignores what it reports. */
  private stopped = false;

  constructor(private readonly o: DataPlaneOptions) {
    const { scenario, manifests, rollout } = o;
    // The mirror's own trace is not the run's record (recorder.ts writes that from the API).
    const trace = new TraceRecorder(this.kernel);
    const streams = new RandomStreams(o.seed);
    const startup = new LognormalStartup(scenario.podStartup.medianMs, scenario.podStartup.p99Ms);
    const alreadyRunning: PodStartupModel = { drawStartupMs: () => 0 };
    // As sim/world.ts: the revision deployed before the change starts in steady state.
    this.cluster = new Cluster({
      kernel: this.kernel,
      trace,
      podRandom: streams.stream('pods'),
      startupFor: () => (scenario.initialRevisionReady && !this.changed ? alreadyRunning : startup),
    });
    const namespace = rollout.metadata.namespace ?? 'default';
    for (const svc of manifests.services) {
      if ((svc.metadata.namespace ?? 'default') === namespace) this.cluster.addService(new SimService(svc.metadata.name, svc.spec.selector));
    }
    const canary = rollout.spec.strategy.canary;
    for (const name of [canary.canaryService, canary.stableService]) {
      if (name && !this.cluster.services.has(name)) this.cluster.addService(new SimService(name, rollout.spec.selector.matchLabels));
    }
    this.router = canary.trafficRouting ? new TrafficRouter(canary.trafficRouting.routers, canary.trafficRouting.maxTrafficWeight ?? DefaultMaxTrafficWeight, trace) : undefined;
    let routing: Routing;
    if (this.router) {
      routing = { kind: 'weighted', router: this.router, canaryService: this.cluster.services.get(canary.canaryService!)!, stableService: this.cluster.services.get(canary.stableService!)! };
    } else if (blueGreenActiveService(rollout) !== undefined && scenario.traffic.service === undefined && this.cluster.services.has(blueGreenActiveService(rollout)!)) {
      // Blue-green (as sim/world.ts routes it): users' traffic reaches the pods the active Service selects.
      routing = { kind: 'service', service: this.cluster.services.get(blueGreenActiveService(rollout)!)! };
    } else if (scenario.traffic.service !== undefined && this.cluster.services.has(scenario.traffic.service)) {
      routing = { kind: 'service', service: this.cluster.services.get(scenario.traffic.service)! };
    } else {
      routing = { kind: 'service', service: new SimService(`${rollout.metadata.name} (all pods)`, rollout.spec.selector.matchLabels) };
    }
    const load: LoadProfile = scenario.traffic.steps.length > 0 ? { kind: 'steps', rps: scenario.traffic.rps, steps: scenario.traffic.steps } : { kind: 'constant', rps: scenario.traffic.rps };
    const behaviour = (template: PodTemplateSpec) => {
      for (const c of template.containers) {
        const v = scenario.versions.get(c.image);
        if (v) return v;
      }
      return scenario.defaultVersion;
    };
    this.traffic = new TrafficModel({
      random: streams.stream('traffic'),
      load,
      bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
      behaviourOf: (rs) => {
        const v = behaviour(rs.template);
        return { errorRatio: v.errorRatio, latencyP50Ms: v.latencyP50Ms, latencyP99Ms: v.latencyP99Ms };
      },
      routes: () => currentRoutes(this.cluster, routing),
    });
    // Preview traffic shares the users' counters (`shareWith`), so the scraper sees both; read
    // defensively, as the scenario field and the option come with the blue-green work.
    const preview = (scenario.traffic as { preview?: { rps: number } }).preview;
    const previewName = (rollout.spec.strategy as { blueGreen?: { previewService?: string } }).blueGreen?.previewService;
    const previewService = previewName ? this.cluster.services.get(previewName) : undefined;
    this.previewTraffic =
      preview && previewService
        ? new TrafficModel({
            random: streams.stream('traffic/preview'),
            load: { kind: 'constant', rps: preview.rps },
            bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
            behaviourOf: (rs: ReplicaSet) => {
              const v = behaviour(rs.template);
              return { errorRatio: v.errorRatio, latencyP50Ms: v.latencyP50Ms, latencyP99Ms: v.latencyP99Ms };
            },
            routes: () => currentRoutes(this.cluster, { kind: 'service', service: previewService }),
            shareWith: this.traffic,
          } as TrafficModelOptions)
        : undefined;
    this.scraper = new Scraper({
      store: this.store,
      cluster: this.cluster,
      traffic: this.traffic,
      preset: genericPreset,
      namespace,
      fallbackService: rollout.metadata.name,
      bucketsSeconds: DEFAULT_BUCKETS_SECONDS,
      errorCode: scenario.metrics.errorCode,
    });
    this.cluster.onChange((change) => {
      this.traffic.routingChanged(this.kernel.nowMs);
      this.previewTraffic?.routingChanged(this.kernel.nowMs);
      if (change.kind === 'podStatus' || change.kind === 'replicaSetScaled') this.syncReadiness(change.rs);
    });
    this.router?.onChange(() => this.traffic.routingChanged(this.kernel.nowMs));
    const interval = scenario.metrics.scrapeIntervalMs;
    const observe = (): void => {
      this.traffic.tick(this.kernel.nowMs);
      this.previewTraffic?.tick(this.kernel.nowMs);
      for (const rs of this.cluster.replicaSets) if (rs.statusReplicas === 0) this.traffic.resetCounters(rs);
      this.scraper.scrape(this.kernel.nowMs);
      this.kernel.after(interval, Priority.observe, 'scrape', observe);
    };
    this.kernel.schedule(interval, Priority.observe, 'scrape', observe);
    o.driver.onPodStarted((pod) => this.podStarted(pod));
  }

  /** Advances the mirror to the wall clock; called on a timer and before every change from the API. */
  pump(): void {
    this.kernel.run(Math.max(this.kernel.nowMs, this.o.elapsedMs()));
  }

  start(): void {
    this.timer = setInterval(() => this.pump(), 20);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The scenario's change was applied: pods created from now on start through the pod model. */
  noteChange(): void {
    this.pump();
    this.changed = true;
  }

  /** A ReplicaSet was added or its spec.replicas changed on the real cluster. */
  replicaSet(name: string, hash: string, image: string, replicas: number): void {
    this.pump();
    let rs = this.byHash.get(hash);
    if (!rs) {
      const base = this.o.rollout.spec.template;
      const template = base.containers[0]?.image === image ? base : changedTemplate(base, image);
      rs = this.cluster.createReplicaSet(name, hash, template, this.o.rollout.spec.minReadySeconds ?? 0);
      this.byHash.set(hash, rs);
    }
    if (rs.specReplicas !== replicas) this.cluster.scale(rs, replicas);
    this.pump();
  }

  /** A Service's pod-template-hash selector as the controller set it on the real cluster. */
  serviceSelector(service: string, hash: string | undefined): void {
    this.pump();
    const svc = this.cluster.services.get(service);
    if (!svc || hash === undefined || svc.selector[POD_TEMPLATE_HASH_LABEL] === hash) return;
    this.cluster.switchServiceSelector(svc, hash);
  }

  /** The canary weight the router object on the real cluster carries. */
  routerWeight(canaryWeight: number): void {
    this.pump();
    this.router?.setWeight(canaryWeight);
  }

  private podStarted(pod: V1Pod): void {
    if (this.stopped) return;
    const hash = pod.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
    const name = pod.metadata?.name;
    if (!hash || !name) return;
    this.pods(hash).pods.set(name, false);
    const rs = this.byHash.get(hash);
    if (rs) this.syncReadiness(rs);
  }

  /** A real pod is gone (deleted by the ReplicaSet controller). */
  podDeleted(hash: string, name: string): void {
    this.pods(hash).pods.delete(name);
    const rs = this.byHash.get(hash);
    if (rs) this.syncReadiness(rs);
  }

  private pods(hash: string): RealPods {
    let p = this.realPods.get(hash);
    if (!p) {
      p = { pods: new Map() };
      this.realPods.set(hash, p);
    }
    return p;
  }

  /** As many real pods Ready as the mirror has ready pods in that ReplicaSet (oldest first). */
  private syncReadiness(rs: ReplicaSet): void {
    if (this.stopped) return;
    const real = this.pods(rs.podTemplateHash).pods;
    let want = rs.readyReplicas;
    for (const [name, ready] of real) {
      const shouldBe = want > 0;
      if (shouldBe) want--;
      if (ready === shouldBe) continue;
      real.set(name, shouldBe);
      this.o.driver.setReady(name, shouldBe).catch((e: unknown) => {
        const msg = (e as Error).message ?? String(e);
        if (!/not ?found|404/i.test(msg)) this.o.warn(`setting pod ${name} ${shouldBe ? 'Ready' : 'not ready'} failed: ${msg}`);
      });
    }
  }
}
