// Wires one run together: the kernel and random streams, the cluster (pods, ReplicaSets,
// Services), the traffic model and router, the metric store and scraper, the AnalysisRun
// controller with the Prometheus provider, and the model of the Rollouts controller. Then it
// plays the scenario's timeline (initial deploy at 0, the change, the run limit) and summarises.
// Pure and deterministic: the same inputs and seed give the same trace, byte for byte.
import { AnalysisController } from './analysis/analysisController.js';
import type { AnalysisRun } from './analysis/analysisRun.js';
import { PrometheusProvider } from './analysis/providers/prometheus.js';
import { AnalysisProviders } from './analysis/providers/dispatch.js';
import { NO_PROVIDERS } from './analysis/providers/spec.js';
import type { ExprVersion } from './analysis/condition/index.js';
import { Cluster } from './cluster/cluster.js';
import { LognormalStartup, type PodStartupModel } from './cluster/podModel.js';
import type { ReplicaSet } from './cluster/replicaSet.js';
import { SimService } from './cluster/service.js';
import { Kernel, LimitReachedError, Priority } from './engine/kernel.js';
import { RandomStreams } from './engine/random.js';
import { TraceRecorder, type TraceEntry } from './engine/trace.js';
import { formatDiagnostic, InputError } from './diagnostics.js';
import { lintSurprises } from './lint/surprises.js';
import { installFaults } from './faults/catalogue.js';
import type { WorldHandles } from './faults/types.js';
import { podTemplateHash } from './manifests/templateHash.js';
import type { ManifestSet, PodTemplateSpec, Rollout, SourcePosition } from './manifests/types.js';
import { presetFor } from './metrics/presets/index.js';
import { Scraper } from './metrics/scraper.js';
import { adviseSelector, unmatchedSelectors } from './metrics/selectorAdvice.js';
import { SeriesStore } from './metrics/store.js';
import { RolloutController } from './rollouts/controller.js';
import { DefaultMaxTrafficWeight } from './rollouts/defaults.js';
import { SimRollout } from './rollouts/rollout.js';
import { RolloutViewChanges, rolloutView, type RolloutView } from './rollouts/rolloutView.js';
import type { Outcome, ScenarioSpec, VersionSpec } from './scenario/types.js';
import { DEFAULT_BUCKETS_SECONDS } from './traffic/behaviour.js';
import type { LoadProfile } from './traffic/load.js';
import { TrafficRouter } from './traffic/router.js';
import { currentMirrorRoutes, currentRoutes, type Routing } from './traffic/routing.js';
import { managedRouteWarnings } from './traffic/managedRoutes.js';
import { TrafficModel } from './traffic/trafficModel.js';
import { changedTemplate, markedAsPreviousRevision } from './rollouts/templates.js';
import { evaluateExpectations } from './expect/evaluate.js';
import type { ExpectationResult, RunObservation } from './expect/types.js';
import { POD_TEMPLATE_HASH_LABEL } from './cluster/replicaSet.js';
import { OperatorActions } from './actions/apply.js';
import { createExperimentController } from './experiments/wiring.js';
import type { SimExperiment } from './experiments/types.js';
import { blueGreenPresetContext } from './metrics/presets/blueGreenContext.js';

export interface RunOptions {
  readonly seed?: number;
  readonly untilMs?: number;
  readonly prometheusVersion?: 2 | 3;
  readonly exprVersion?: ExprVersion;
  /** Keep the full trace in the result (the CLI needs it; sweeps may not). */
  readonly keepTrace?: boolean;
  /** Return the metric store (to serve it over the Prometheus HTTP API after the run). */
  readonly keepStore?: boolean;
  /**
   * Called once the world is wired, before the clock starts: the model API for tests, which may
   * schedule kernel events that act as an operator would (patch spec or status).
   */
  readonly onWorld?: (world: Omit<WorldHandles, 'random'>) => void;
}

export type { ExpectationResult } from './expect/types.js';

export interface VersionTotals {
  readonly image: string;
  readonly revision: number;
  readonly podTemplateHash: string;
  readonly total: number;
  readonly failed: number;
  /** Mirrored copies this version served (setMirrorRoute), not in `total`; absent when none. */
  readonly mirrored?: number;
  readonly mirroredFailed?: number;
}

export interface AnalysisRunSummary {
  readonly name: string;
  readonly type: string;
  readonly phase: string;
  readonly message: string;
  readonly measurements: readonly { readonly t: number; readonly metric: string; readonly phase: string; readonly value: string | null; readonly message: string | null }[];
  readonly dryRunSummary?: { readonly count: number; readonly successful: number; readonly failed: number; readonly inconclusive: number; readonly error: number };
}

/** An Experiment of the run (experiment steps, standalone Experiments): how it ended. */
export interface ExperimentSummary {
  readonly name: string;
  /** The Rollout that created it, or null for a standalone Experiment. */
  readonly owner: string | null;
  readonly phase: string;
  readonly message: string;
  /** Virtual ms when every template was available (status.availableAt), or null. */
  readonly availableAt: number | null;
}

export interface RunResult {
  readonly scenario: string;
  readonly seed: number;
  readonly prometheusVersion: 2 | 3;
  readonly outcome: Outcome;
  /** Virtual ms of the promotion or abort of the change (null while undecided). */
  readonly decidedAt: number | null;
  readonly changeAt: number | null;
  readonly finalStepIndex: number | null;
  readonly steps: number;
  /** Highest canary weight the controller set (status weight, or the setWeight in force for a basic canary). */
  readonly maxCanaryWeight: number;
  /** Highest share of traffic the new revision's pods actually received, in percent. */
  readonly maxActualCanaryWeight: number;
  /**
   * Users' requests (blue-green: through the active Service). `preview`: the scenario's preview
   * traffic (blue-green smoke tests), never user-facing and not in the other counts.
   */
  readonly requests: {
    readonly total: number;
    readonly failed: number;
    readonly unrouted: number;
    readonly byVersion: Record<string, VersionTotals>;
    readonly preview?: { readonly total: number; readonly failed: number; readonly unrouted: number };
  };
  readonly analysisRuns: readonly AnalysisRunSummary[];
  /** Present only when the run had experiments. */
  readonly experiments?: readonly ExperimentSummary[];
  readonly expectations: readonly ExpectationResult[];
  readonly warnings: readonly string[];
  readonly finalStatus: { readonly phase: string; readonly message: string };
  /** What `kubectl argo rollouts get rollout` shows at the end of the run (with pods). */
  readonly rolloutView: RolloutView;
  readonly events: number;
  readonly reconciles: number;
  readonly series: number;
  readonly samples: number;
  readonly trace: readonly TraceEntry[];
  /** The run's metric store, when `keepStore` was asked for. */
  readonly store?: SeriesStore;
}

function behaviourFor(scenario: ScenarioSpec, template: PodTemplateSpec): VersionSpec {
  for (const c of template.containers) {
    const v = scenario.versions.get(c.image);
    if (v) return v;
  }
  return scenario.defaultVersion;
}

function imageOf(template: PodTemplateSpec): string {
  return template.containers[0]?.image ?? '';
}

/**
 * The known-surprise warnings of a run's inputs (sim/lint/surprises.ts), linted once per manifest
 * set and scenario: a sweep, a drill or the canary-hour bench runs the same loaded (never
 * modified) objects thousands of times, and the lint does not depend on the seed or the run.
 * Keyed by both objects because the lint may read the scenario as well as the manifests.
 */
const surpriseWarningsCache = new WeakMap<ManifestSet, WeakMap<ScenarioSpec, readonly string[]>>();
function surpriseWarnings(manifests: ManifestSet, scenario: ScenarioSpec): readonly string[] {
  let byScenario = surpriseWarningsCache.get(manifests);
  if (byScenario === undefined) {
    byScenario = new WeakMap();
    surpriseWarningsCache.set(manifests, byScenario);
  }
  let warnings = byScenario.get(scenario);
  if (warnings === undefined) {
    warnings = lintSurprises(manifests, scenario).map(formatDiagnostic);
    byScenario.set(scenario, warnings);
  }
  return warnings;
}

function inputError(at: SourcePosition | undefined, file: string, field: string, message: string): InputError {
  return new InputError([{ severity: 'error', file: at?.file ?? file, line: at?.line ?? 0, column: at?.column ?? 0, field, message }]);
}

function theRollout(scenario: ScenarioSpec, manifests: ManifestSet): Rollout {
  if (manifests.rollouts.length !== 1) {
    throw inputError(
      scenario.positions.get('spec.manifests'),
      scenario.file,
      'spec.manifests',
      manifests.rollouts.length === 0
        ? 'the manifests contain no Rollout; rehearse needs exactly one Rollout (canary or blue-green strategy) to rehearse.'
        : `the manifests contain ${manifests.rollouts.length} Rollouts (${manifests.rollouts.map((r) => r.metadata.name).join(', ')}); rehearse simulates one Rollout per scenario.`,
    );
  }
  return manifests.rollouts[0]!;
}

/**
 * Blue-green preview traffic (`spec.traffic.preview`): requests to the pods the preview Service
 * selects, from their own random stream, sharing the pods' counters and release faults with the
 * users' traffic model. Undefined when the scenario has none.
 */
function previewTrafficModel(
  scenario: ScenarioSpec,
  manifest: Rollout,
  cluster: Cluster,
  users: TrafficModel,
  bucketsSeconds: readonly number[],
  streams: RandomStreams,
): TrafficModel | undefined {
  const preview = scenario.traffic.preview;
  if (!preview) return undefined;
  const serviceName = manifest.spec.strategy.blueGreen?.previewService;
  const service = serviceName ? cluster.services.get(serviceName) : undefined;
  if (!service) {
    throw inputError(
      scenario.positions.get('spec.traffic.preview'),
      scenario.file,
      'spec.traffic.preview',
      manifest.spec.strategy.blueGreen
        ? `preview traffic needs a preview Service: the Rollout "${manifest.metadata.name}" has no spec.strategy.blueGreen.previewService.`
        : `preview traffic is for blue-green Rollouts (it goes to spec.strategy.blueGreen.previewService); "${manifest.metadata.name}" is a canary.`,
    );
  }
  return new TrafficModel({
    random: streams.stream('traffic/preview'),
    load: { kind: 'constant', rps: preview.rps },
    bucketsSeconds,
    behaviourOf: (rs: ReplicaSet) => {
      const v = behaviourFor(scenario, rs.template);
      return { errorRatio: v.errorRatio, latencyP50Ms: v.latencyP50Ms, latencyP99Ms: v.latencyP99Ms };
    },
    routes: () => currentRoutes(cluster, { kind: 'service', service }),
    shareWith: users,
  });
}

/**
 * One warning per query selector that matched no simulated series in any measurement, at the
 * template metric's file:line, with what the store has instead (sim/metrics/selectorAdvice.ts).
 */
function unmatchedQueryWarnings(provider: PrometheusProvider, manifests: ManifestSet, store: SeriesStore, prometheusVersion: 2 | 3, presetName: string): string[] {
  const out: string[] = [];
  const templates = [...manifests.analysisTemplates, ...manifests.clusterAnalysisTemplates];
  for (const c of provider.coverage.values()) {
    if (!c.neverMatched || c.neverMatched.size === 0) continue;
    // The template metric the query came from: same name, and the same query text when it has no arguments.
    const named = templates.flatMap((t) => t.spec.metrics.filter((m) => m.name === c.metric).map((m) => ({ t, m })));
    const source = named.find(({ m }) => m.provider.prometheus?.query === c.query) ?? named[0];
    const where = source ? `${source.m.position.file}:${source.m.position.line}: ` : '';
    const owner = source ? ` (${source.t.kind} ${source.t.metadata.name})` : '';
    for (const sel of c.neverMatched) {
      const advice = adviseSelector(sel, store, prometheusVersion);
      out.push(
        `${where}metric "${c.metric}"${owner}: selector ${sel} matched no simulated series in any of ${c.evaluations} measurements (metric preset ${presetName})${advice ? ` — ${advice}` : ''}`,
      );
    }
  }
  return out;
}

/**
 * The same check for the metrics of the Rollout's analyses that were never measured in the run
 * (the rollout ended first): their queries, with the arguments the Rollout passes as plain values
 * and the templates' defaults, are checked against every series the run produced.
 */
function unmeasuredQueryWarnings(
  rollout: Rollout,
  provider: PrometheusProvider,
  manifests: ManifestSet,
  store: SeriesStore,
  prometheusVersion: 2 | 3,
  presetName: string,
): string[] {
  const measured = new Set([...provider.coverage.values()].map((c) => c.metric));
  const canary = rollout.spec.strategy.canary;
  const refs = [...(canary.steps ?? []).flatMap((s) => (s.kind === 'analysis' ? [s.analysis] : [])), ...(canary.analysis ? [canary.analysis] : [])];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    const templates = ref.templates.flatMap((t) => {
      const found = (t.clusterScope ? manifests.clusterAnalysisTemplates : manifests.analysisTemplates).find((x) => x.metadata.name === t.templateName);
      return found ? [found] : [];
    });
    const args = new Map<string, string>();
    for (const t of templates) for (const a of t.spec.args) if (a.value !== undefined) args.set(a.name, a.value);
    for (const a of ref.args) if (a.value !== undefined) args.set(a.name, a.value);
    for (const t of templates) {
      for (const m of t.spec.metrics) {
        const raw = m.provider.prometheus?.query;
        if (raw === undefined || measured.has(m.name)) continue;
        let unresolved = false;
        const query = raw.replace(/\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g, (whole, name: string) => {
          const v = args.get(name);
          if (v === undefined) unresolved = true;
          return v ?? whole;
        });
        if (unresolved || seen.has(`${m.name}\u0000${query}`)) continue;
        seen.add(`${m.name}\u0000${query}`);
        for (const sel of unmatchedSelectors(query, store, prometheusVersion) ?? []) {
          const advice = adviseSelector(sel, store, prometheusVersion);
          out.push(
            `${m.position.file}:${m.position.line}: metric "${m.name}" (${t.kind} ${t.metadata.name}) was never measured in this run, and its selector ${sel} matches none of the simulated series (metric preset ${presetName})${advice ? ` — ${advice}` : ''}`,
          );
        }
      }
    }
  }
  return out;
}

/** What the mesh and ingress presets label series with: the Rollout, its Services, its NGINX stable Ingress. */
function presetContext(manifest: Rollout): { rollout: string; canaryService?: string; stableService?: string; activeService?: string; previewService?: string; ingress?: string } {
  const bg = manifest.spec.strategy.blueGreen;
  if (bg) return { rollout: manifest.metadata.name, ...blueGreenPresetContext(bg) };
  const c = manifest.spec.strategy.canary;
  const nginx = (c.trafficRouting?.raw as { nginx?: { stableIngress?: unknown } } | undefined)?.nginx;
  const ingress = typeof nginx?.stableIngress === 'string' ? nginx.stableIngress : undefined;
  return {
    rollout: manifest.metadata.name,
    ...(c.canaryService !== undefined ? { canaryService: c.canaryService } : {}),
    ...(c.stableService !== undefined ? { stableService: c.stableService } : {}),
    ...(ingress !== undefined ? { ingress } : {}),
  };
}

/** Runs one scenario against its manifests. Throws InputError for inconsistent input. */
export function runScenario(scenario: ScenarioSpec, manifests: ManifestSet, options: RunOptions = {}): RunResult {
  const seed = options.seed ?? scenario.seed;
  const untilMs = options.untilMs ?? scenario.untilMs;
  const prometheusVersion = options.prometheusVersion ?? scenario.prometheusVersion;
  const manifest = theRollout(scenario, manifests);

  // The update the scenario rehearses: an image change, or (default world) the manifests' template
  // replacing a healthy previous revision of itself.
  let initialTemplate = manifest.spec.template;
  let changeTemplate: PodTemplateSpec | undefined;
  if (scenario.change) {
    if (scenario.change.image !== undefined) {
      try {
        changeTemplate = changedTemplate(manifest.spec.template, scenario.change.image, scenario.change.container);
      } catch (e) {
        throw inputError(scenario.positions.get('spec.change.container'), scenario.file, 'spec.change', (e as Error).message);
      }
    } else {
      initialTemplate = markedAsPreviousRevision(manifest.spec.template);
      changeTemplate = manifest.spec.template;
    }
  }

  const kernel = new Kernel({ maxEvents: 20_000_000 });
  const trace = new TraceRecorder(kernel);
  const streams = new RandomStreams(seed);
  const startup = new LognormalStartup(scenario.podStartup.medianMs, scenario.podStartup.p99Ms);
  // By default the world starts in steady state: the pods of the revision deployed at t=0 (the
  // healthy previous revision) are already running, so no request meets an empty Service.
  const alreadyRunning: PodStartupModel = { drawStartupMs: () => 0 };
  const cluster = new Cluster({
    kernel,
    trace,
    podRandom: streams.stream('pods'),
    // An Experiment applied with the manifests starts its pods then (it is not part of the steady state).
    startupFor: (_template, rs) => (scenario.initialRevisionReady && kernel.nowMs === 0 && rs.owner === undefined ? alreadyRunning : startup),
  });
  const namespace = manifest.metadata.namespace ?? 'default';
  for (const svc of manifests.services) {
    if ((svc.metadata.namespace ?? 'default') === namespace) cluster.addService(new SimService(svc.metadata.name, svc.spec.selector));
  }
  const canary = manifest.spec.strategy.canary;
  // Services the Rollout names but the manifests lack are created as the user would apply them:
  // selecting the Rollout's pods.
  for (const name of [canary.canaryService, canary.stableService]) {
    if (name && !cluster.services.has(name)) cluster.addService(new SimService(name, manifest.spec.selector.matchLabels));
  }

  const router = canary.trafficRouting
    ? new TrafficRouter(canary.trafficRouting.routers, canary.trafficRouting.maxTrafficWeight ?? DefaultMaxTrafficWeight, trace)
    : undefined;
  let routing: Routing;
  if (router) {
    routing = {
      kind: 'weighted',
      router,
      canaryService: cluster.services.get(canary.canaryService!)!,
      stableService: cluster.services.get(canary.stableService!)!,
      headerShare: scenario.traffic.headerShare,
      mirrorShare: scenario.traffic.mirrorShare,
    };
  } else if (manifest.spec.strategy.blueGreen && scenario.traffic.service === undefined) {
    // Blue-green: users' traffic reaches the pods the active Service selects (validation makes
    // sure the manifests contain it).
    routing = { kind: 'service', service: cluster.services.get(manifest.spec.strategy.blueGreen.activeService)! };
  } else if (scenario.traffic.service !== undefined) {
    const svc = cluster.services.get(scenario.traffic.service);
    if (!svc) {
      throw inputError(
        scenario.positions.get('spec.traffic.service'),
        scenario.file,
        'spec.traffic.service',
        `no Service "${scenario.traffic.service}" in the manifests (known: ${[...cluster.services.keys()].join(', ') || 'none'}).`,
      );
    }
    routing = { kind: 'service', service: svc };
  } else {
    routing = { kind: 'service', service: new SimService(`${manifest.metadata.name} (all pods)`, manifest.spec.selector.matchLabels) };
  }

  const load: LoadProfile =
    scenario.traffic.steps.length > 0
      ? { kind: 'steps', rps: scenario.traffic.rps, steps: scenario.traffic.steps }
      : { kind: 'constant', rps: scenario.traffic.rps };
  const preset = presetFor(scenario.metrics.preset, scenario.metrics.custom);
  const bucketsSeconds = preset.bucketsSeconds ?? DEFAULT_BUCKETS_SECONDS;
  const traffic = new TrafficModel({
    random: streams.stream('traffic'),
    load,
    bucketsSeconds,
    behaviourOf: (rs: ReplicaSet) => {
      const v = behaviourFor(scenario, rs.template);
      return { errorRatio: v.errorRatio, latencyP50Ms: v.latencyP50Ms, latencyP99Ms: v.latencyP99Ms };
    },
    routes: () => currentRoutes(cluster, routing),
    headerShare: scenario.traffic.headerShare,
    ...(scenario.traffic.mirrorShare !== undefined
      ? { mirrorRoutes: () => currentMirrorRoutes(cluster, routing, canary.trafficRouting?.managedRoutes ?? []), mirrorRandom: streams.stream('traffic/mirror') }
      : {}),
  });

  const previewTraffic = previewTrafficModel(scenario, manifest, cluster, traffic, bucketsSeconds, streams);

  const store = new SeriesStore();
  const scraper = new Scraper({
    store,
    cluster,
    traffic,
    preset,
    namespace,
    fallbackService: manifest.metadata.name,
    bucketsSeconds,
    errorCode: scenario.metrics.errorCode,
    ...presetContext(manifest),
  });
  const provider = new PrometheusProvider({ store, prometheusVersion, exprVersion: options.exprVersion ?? scenario.exprVersion });
  const rollout = new SimRollout({ ...manifest, spec: { ...manifest.spec, template: initialTemplate } });
  // Web, job and fixture metrics answer from the scenario (sim/analysis/providers/dispatch.ts).
  const providers = new AnalysisProviders({
    prometheus: provider,
    spec: scenario.providers ?? NO_PROVIDERS,
    traffic: { store, prometheusVersion, stableHash: () => rollout.status.stableRS },
    exprVersion: options.exprVersion ?? scenario.exprVersion,
    imageOf: (hash) => {
      const rs = cluster.replicaSets.find((r) => r.podTemplateHash === hash);
      return rs ? imageOf(rs.template) : undefined;
    },
  });
  const analysis = new AnalysisController(kernel, trace, providers, manifests.secrets ?? []);

  const byName = <T extends { metadata: { name: string } }>(xs: readonly T[]): Map<string, T> => new Map(xs.map((x) => [x.metadata.name, x]));
  // Only runs with experiment steps or Experiment manifests get an experiment controller.
  const experiments = createExperimentController(manifest, manifests, { kernel, trace, cluster, analysis, byName });
  const controller = new RolloutController({
    kernel,
    trace,
    cluster,
    analysis,
    rollout,
    analysisTemplates: byName(manifests.analysisTemplates),
    clusterAnalysisTemplates: byName(manifests.clusterAnalysisTemplates),
    router,
    ...(experiments ? { experiments } : {}),
    onStatusChange: () => {
      noteSetWeight();
      noteView();
    },
  });

  // Informers: ReplicaSet and AnalysisRun phase changes enqueue the rollout; routing changes are
  // integrated by the traffic model at the instant they happen.
  cluster.onChange((change) => {
    traffic.routingChanged(kernel.nowMs);
    previewTraffic?.routingChanged(kernel.nowMs);
    noteActualWeight();
    if (change.kind === 'serviceSelector') return;
    // A ReplicaSet event goes to its owner: the Rollout, or an Experiment.
    if (change.rs.owner === undefined) controller.enqueue();
    else experiments?.replicaSetChanged(change.rs);
  });
  router?.onChange(() => {
    traffic.routingChanged(kernel.nowMs);
    noteActualWeight();
  });
  analysis.onPhaseChange((run) => {
    if (run.labels.rolloutType === 'Experiment') experiments?.analysisRunChanged(run);
    else controller.enqueue();
    noteView();
  });
  experiments?.onChange((ex) => {
    if (ex.ownerRollout === rollout.name) controller.enqueue();
  });

  // What `kubectl argo rollouts get rollout` would show, recorded whenever it changes: at status
  // writes (which follow every ReplicaSet count change the controller observes) and AnalysisRun
  // phase changes — not at each pod transition, which the next status write reflects.
  const viewChanges = new RolloutViewChanges();
  const recordViews = options.keepTrace ?? true;
  function noteView(): void {
    // Sweeps and drills that drop the trace do not pay for views nobody reads.
    if (!recordViews || rollout.status.phase === '') return;
    if (!viewChanges.changed(rollout, cluster.replicaSets, analysis.allRuns)) return;
    const view = rolloutView(rollout, cluster.replicaSets, analysis.allRuns);
    trace.record('rolloutView', view as unknown as Record<string, unknown>);
  }

  // Weights: what the controller set, and what the new revision's pods actually received.
  const changeHash = changeTemplate ? podTemplateHash(changeTemplate.raw) : podTemplateHash(initialTemplate.raw);
  let maxCanaryWeight = 0;
  let maxActualCanaryWeight = 0;
  const beforeChange = (): boolean => changeTemplate !== undefined && kernel.nowMs < (scenario.change?.atMs ?? 0);
  function noteSetWeight(): void {
    if (beforeChange() || rollout.status.currentPodHash !== changeHash) return;
    maxCanaryWeight = Math.max(maxCanaryWeight, controller.currentSetWeight());
  }
  function noteActualWeight(): void {
    if (beforeChange()) return;
    let share = 0;
    for (const r of currentRoutes(cluster, routing)) if (r.target?.podTemplateHash === changeHash) share += r.share;
    maxActualCanaryWeight = Math.max(maxActualCanaryWeight, Math.round(share * 10000) / 100);
  }
  kernel.schedule(0, Priority.world, 'create rollout', () => controller.start());
  if (experiments) kernel.schedule(0, Priority.world, 'create experiments', () => experiments.createStandalone(manifests.experiments ?? []));

  const interval = scenario.metrics.scrapeIntervalMs;
  const observe = (): void => {
    const tick = traffic.tick(kernel.nowMs);
    trace.record('traffic', { requests: tick.total, unrouted: tick.unrouted, byReplicaSet: tick.byReplicaSet, ...(tick.mirrored ? { mirrored: tick.mirrored } : {}) });
    if (previewTraffic) {
      const p = previewTraffic.tick(kernel.nowMs);
      trace.record('previewTraffic', { requests: p.total, unrouted: p.unrouted, byReplicaSet: p.byReplicaSet });
    }
    for (const rs of cluster.replicaSets) if (rs.statusReplicas === 0) traffic.resetCounters(rs);
    scraper.scrape(kernel.nowMs);
    if (kernel.nowMs + interval <= untilMs) kernel.after(interval, Priority.observe, 'scrape', observe);
  };
  kernel.schedule(interval, Priority.observe, 'scrape', observe);

  // Operator actions (sim/actions): created only when the scenario has some.
  const actions = scenario.actions.length > 0 ? new OperatorActions({ kernel, trace, cluster, controller, rollout }) : undefined;
  if (scenario.change && changeTemplate) {
    const template = changeTemplate;
    kernel.schedule(scenario.change.atMs, Priority.world, 'change', () => {
      trace.record('change', { image: imageOf(template), podTemplateHash: changeHash });
      rollout.updateSpec({ template });
      actions?.recordCommit(template);
      controller.enqueue();
    });
  }
  actions?.schedule(scenario.actions);

  installFaults(
    scenario.faults,
    { kernel, trace, cluster, traffic, scraper, store, provider, analysis, router, controller, ...(experiments ? { experiments } : {}), rollout, untilMs },
    (fault) => streams.stream(`fault/${fault.index}/${fault.kind}`),
  );

  options.onWorld?.({ kernel, trace, cluster, traffic, scraper, store, provider, analysis, router, controller, rollout, untilMs });

  // Known surprises of the real controller that these manifests walk into (sim/lint/surprises.ts).
  const warnings: string[] = [...surpriseWarnings(manifests, scenario), ...managedRouteWarnings(manifest, scenario.traffic)];
  try {
    kernel.run(untilMs);
  } catch (e) {
    if (!(e instanceof LimitReachedError)) throw e;
    warnings.push(`run stopped early: ${e.message}`);
  }
  traffic.routingChanged(kernel.nowMs);
  previewTraffic?.routingChanged(kernel.nowMs);
  if (actions) warnings.push(...actions.failures);

  warnings.push(...providers.warnings);
  warnings.push(...unmatchedQueryWarnings(provider, manifests, store, prometheusVersion, preset.name));
  warnings.push(...unmeasuredQueryWarnings(manifest, provider, manifests, store, prometheusVersion, preset.name));

  return summarise({
    scenario,
    seed,
    prometheusVersion,
    rollout,
    controller,
    cluster,
    traffic,
    previewTraffic,
    analysisRuns: analysis.allRuns,
    experiments: experiments?.experiments,
    trace,
    changeHash,
    initialHash: podTemplateHash(initialTemplate.raw),
    withActions: actions !== undefined,
    changeAt: changeTemplate ? (scenario.change?.atMs ?? null) : null,
    maxCanaryWeight,
    maxActualCanaryWeight,
    warnings,
    store,
    keepTrace: options.keepTrace ?? true,
    keepStore: options.keepStore ?? false,
    events: kernel.eventsProcessed,
  });
}

interface SummaryInput {
  readonly scenario: ScenarioSpec;
  readonly seed: number;
  readonly prometheusVersion: 2 | 3;
  readonly rollout: SimRollout;
  readonly controller: RolloutController;
  readonly cluster: Cluster;
  readonly traffic: TrafficModel;
  readonly previewTraffic: TrafficModel | undefined;
  readonly analysisRuns: readonly AnalysisRun[];
  readonly experiments: readonly SimExperiment[] | undefined;
  readonly trace: TraceRecorder;
  readonly changeHash: string;
  /** Pod-template hash of the revision deployed at t=0. */
  readonly initialHash: string;
  /** Whether the scenario played operator actions. */
  readonly withActions: boolean;
  readonly changeAt: number | null;
  readonly maxCanaryWeight: number;
  readonly maxActualCanaryWeight: number;
  readonly warnings: string[];
  readonly store: SeriesStore;
  readonly keepTrace: boolean;
  readonly keepStore: boolean;
  readonly events: number;
}

function summarise(i: SummaryInput): RunResult {
  const s = i.rollout.status;
  const entries = i.trace.entries;
  const after = i.changeAt ?? 0;
  let outcome: Outcome;
  let decidedAt: number | null = null;
  const firstEvent = (reason: string, match: (m: string) => boolean): number | null => {
    for (const e of entries) if (e.type === 'event' && e.t >= after && e.reason === reason && match(String(e.message))) return e.t;
    return null;
  };
  // With operator actions the release the run ends on may not be the change's: a later setImage
  // is promoted, an undo or GitOps revert rolls back to the revision the run started from.
  const target = i.withActions ? s.currentPodHash : i.changeHash;
  const fullyPromoted = s.stableRS !== '' && s.stableRS === s.currentPodHash;
  if (i.withActions && i.changeAt !== null && fullyPromoted && s.currentPodHash === i.initialHash) {
    outcome = 'rolledBack';
    decidedAt = lastSwitchTo(entries, i.initialHash, after);
  } else if (s.stableRS === target && s.currentPodHash === target) {
    outcome = 'promoted';
    decidedAt = firstEvent('RolloutCompleted', (m) => m.includes(`(${target})`));
  } else if (s.abort) {
    outcome = 'aborted';
    decidedAt = firstEvent('RolloutAborted', () => true);
  } else if (s.phase === 'Paused') outcome = 'paused';
  else outcome = 'progressing';

  const byVersion: Record<string, VersionTotals> = {};
  const images = new Map<string, number>();
  const everyReplicaSet = [...i.cluster.replicaSets, ...i.cluster.deletedReplicaSets];
  for (const rs of everyReplicaSet.filter((r) => r.owner === undefined)) images.set(imageOf(rs.template), (images.get(imageOf(rs.template)) ?? 0) + 1);
  for (const rs of everyReplicaSet) {
    const per = i.traffic.perReplicaSet.get(rs) ?? { requests: 0, errors: 0, mirrored: 0, mirroredErrors: 0 };
    const image = imageOf(rs.template);
    // An Experiment's ReplicaSet is listed under its own name (it shares an image and a hash with a Rollout's).
    const key = rs.owner !== undefined ? `${image} (${rs.name})` : images.get(image)! > 1 ? `${image} (${rs.podTemplateHash})` : image;
    byVersion[key] = {
      image,
      revision: rs.revision,
      podTemplateHash: rs.podTemplateHash,
      total: per.requests,
      failed: per.errors,
      ...(per.mirrored > 0 ? { mirrored: per.mirrored, mirroredFailed: per.mirroredErrors } : {}),
    };
  }

  const analysisRuns: AnalysisRunSummary[] = i.analysisRuns.map((run) => ({
    name: run.name,
    type: run.labels.rolloutType,
    phase: run.phase,
    message: run.message,
    measurements: entries
      .filter((e) => e.type === 'measurement' && e.run === run.name)
      .map((e) => ({
        t: e.t,
        metric: String(e.metric),
        phase: String(e.phase),
        value: (e.value as string | null) ?? null,
        message: (e.message as string | null) ?? null,
      })),
    // status.dryRunSummary, shown only for runs with dry-run metrics (keeps other summaries as they were).
    ...(run.dryRunSummary.count > 0 ? { dryRunSummary: { ...run.dryRunSummary } } : {}),
  }));

  const totals = i.traffic.totals;
  const expectations = evaluateExpectations(i.scenario.expect, observe(i, outcome, decidedAt, byVersion, analysisRuns));

  return {
    scenario: i.scenario.name,
    seed: i.seed,
    prometheusVersion: i.prometheusVersion,
    outcome,
    decidedAt,
    changeAt: i.changeAt,
    finalStepIndex: s.currentStepIndex ?? null,
    steps: i.rollout.steps.length,
    maxCanaryWeight: i.maxCanaryWeight,
    maxActualCanaryWeight: i.maxActualCanaryWeight,
    requests: {
      total: totals.total,
      failed: totals.failed,
      unrouted: totals.unrouted,
      byVersion,
      ...(i.previewTraffic ? { preview: { total: i.previewTraffic.totals.total, failed: i.previewTraffic.totals.failed, unrouted: i.previewTraffic.totals.unrouted } } : {}),
    },
    analysisRuns,
    ...(i.experiments
      ? {
          experiments: i.experiments.map((e) => ({
            name: e.name,
            owner: e.ownerRollout ?? null,
            phase: e.status.phase,
            message: e.status.message,
            availableAt: e.status.availableAt ?? null,
          })),
        }
      : {}),
    expectations,
    warnings: i.warnings,
    finalStatus: { phase: s.phase, message: s.message },
    rolloutView: rolloutView(i.rollout, i.cluster.replicaSets, i.analysisRuns, { withPods: true }),
    events: i.events,
    reconciles: i.controller.reconcileCount,
    series: i.store.seriesCount,
    samples: i.store.sampleCount,
    trace: i.keepTrace ? entries : [],
    ...(i.keepStore ? { store: i.store } : {}),
  };
}

/** What the run observed, for the `expect` block (sim/expect/evaluate.ts). */
function observe(
  i: SummaryInput,
  outcome: Outcome,
  decidedAt: number | null,
  byVersion: Record<string, VersionTotals>,
  analysisRuns: readonly AnalysisRunSummary[],
): RunObservation {
  const s = i.rollout.status;
  const entries = i.trace.entries;
  const endedAt = (run: string): number | null => {
    for (const e of entries) if (e.type === 'analysisRun' && e.run === run && TERMINAL_PHASES.has(String(e.phase))) return e.t;
    return null;
  };
  const stableHash = s.stableRS ?? '';
  const services = new Map<string, string | undefined>();
  for (const [name, svc] of [...i.cluster.services].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) services.set(name, svc.selector[POD_TEMPLATE_HASH_LABEL]);
  return {
    outcome,
    decidedAt,
    changeAt: i.changeAt,
    maxCanaryWeight: i.maxCanaryWeight,
    requests: {
      total: i.traffic.totals.total,
      failed: i.traffic.totals.failed,
      byVersion: Object.values(byVersion),
      mirrored: { total: i.traffic.totals.mirrored, failed: i.traffic.totals.mirroredFailed },
    },
    analysisRuns: analysisRuns.map((r) => ({ ...r, endedAt: endedAt(r.name) })),
    events: entries.filter((e) => e.type === 'event').map((e) => ({ t: e.t, reason: String(e.reason) })),
    final: {
      stableHash,
      canaryHash: s.currentPodHash && s.currentPodHash !== stableHash ? s.currentPodHash : undefined,
      replicaSets: i.cluster.replicaSets.filter((rs) => rs.owner === undefined).map((rs) => ({ podTemplateHash: rs.podTemplateHash, image: imageOf(rs.template), replicas: rs.statusReplicas, ready: rs.readyReplicas })),
      services,
    },
  };
}

/** When the controller last took up `hash` as its desired revision (status.currentPodHash), after `after`. */
function lastSwitchTo(entries: readonly TraceEntry[], hash: string, after: number): number | null {
  let previous: unknown;
  let at: number | null = null;
  for (const e of entries) {
    if (e.type !== 'status') continue;
    if (e.t >= after && e.currentPodHash === hash && previous !== hash) at = e.t;
    previous = e.currentPodHash;
  }
  return at;
}

const TERMINAL_PHASES = new Set(['Successful', 'Failed', 'Error', 'Inconclusive']);

export { formatDuration } from './expect/format.js';
