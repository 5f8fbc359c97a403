// Parses a scenario file (YAML) into a checked ScenarioSpec. Structure, unknown keys ("did you
// mean") and positions come from the same walker the manifest loader uses; values (durations,
// percentages, rates) are checked here. Every problem is reported with file:line:column and the
// field path, all at once, as an InputError. Pure: the caller reads the file.
import { isMap, LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { InputError, type Diagnostic } from '../diagnostics.js';
import { DurationError, parseGoDurationMs } from '../manifests/duration.js';
import type { FieldSchema, ObjectSchema } from '../manifests/schema.js';
import type { SourcePosition } from '../manifests/types.js';
import { childPath, positionOfNode, walk, type Json, type WalkContext } from '../manifests/yamlWalk.js';
import { SCENARIO_DEFAULTS } from './defaults.js';
import { FAULT_KINDS } from '../faults/catalogue.js';
import type { FaultParamType, FaultParamValue, FaultSpec } from '../faults/types.js';
import { suggestName } from '../manifests/suggest.js';
import type { ScenarioSpec, VersionSpec } from './types.js';
import { EXPECT_SCHEMA, parseExpectations } from '../expect/parse.js';
import { ACTIONS_SCHEMA, parseActions } from '../actions/parse.js';
import { parseProviders, PROVIDERS_SCHEMA } from './providers.js';
import { CUSTOM_DEFAULTS, type CustomMetricsSpec } from '../metrics/presets/custom.js';
import { PRESET_NAMES, type PresetName } from '../metrics/presets/index.js';

export const SCENARIO_API_VERSION = 'rehearse.dev/v1alpha1';

const str: FieldSchema = { type: 'string' };
const any: FieldSchema = { type: 'any' };
const int64: FieldSchema = { type: 'int64' };
const obj = (name: string, fields: Record<string, FieldSchema>, required?: Record<string, string>): ObjectSchema =>
  required ? { type: 'object', name, fields, required } : { type: 'object', name, fields };

const MANIFESTS_NEEDED = 'the scenario names no manifests: list files or folders of YAML under spec.manifests.';

const latencySchema = obj('Latency', { p50: str, p99: str });
const versionSchema = obj('VersionBehaviour', { errorRate: any, latency: latencySchema });

const specSchema = obj(
  'ScenarioSpec',
  {
    manifests: { type: 'list', items: str, nonEmpty: MANIFESTS_NEEDED },
    seed: int64,
    until: str,
    prometheusVersion: any,
    exprVersion: any,
    cluster: obj('Cluster', { podStartup: obj('PodStartup', { median: str, p99: str }), initialRevisionReady: { type: 'bool' } }),
    traffic: obj('Traffic', {
      rps: any,
      profile: str,
      steps: { type: 'list', items: obj('TrafficStep', { at: str, rps: any }, { at: 'a traffic step needs `at`', rps: 'a traffic step needs `rps`' }) },
      service: str,
      preview: obj('PreviewTraffic', { rps: any }, { rps: 'preview traffic needs `rps` (requests per second to the preview Service)' }),
      headerShare: any,
      mirrorShare: any,
    }),
    metrics: obj('Metrics', {
      preset: str,
      scrapeInterval: str,
      errorCode: any,
      custom: obj('CustomMetrics', {
        requestsMetric: str,
        statusLabel: str,
        statusFormat: str,
        durationMetric: str,
        durationUnit: str,
        buckets: { type: 'list', items: any, nonEmpty: 'metrics.custom.buckets needs at least one bucket upper bound.' },
        labels: { type: 'stringMap' },
      }),
    }),
    versions: { type: 'map', values: versionSchema },
    defaultVersion: versionSchema,
    change: obj('Change', { at: str, image: str, container: str }, { at: 'change.at is required (when the update is applied)' }),
    // sim/expect/parse.ts: outcome, timing, weights, failed requests, deciding analysis, events, final state, seeds.
    expect: EXPECT_SCHEMA,
    // Each kind has its own parameters (sim/faults/catalogue.ts), checked below.
    faults: {
      type: 'list',
      items: { type: 'object', name: 'Fault', fields: { kind: str, at: str, for: str, target: str }, required: { kind: 'every fault needs a `kind`', at: 'every fault needs `at` (when it starts)' }, open: true },
    },
    // Operator actions at given times (sim/actions/parse.ts): promote, abort, retry, undo, ...
    actions: ACTIONS_SCHEMA,
    // What web, job and fixture metrics answer (docs/analysis.md); checked by parseProviders.
    providers: PROVIDERS_SCHEMA,
  },
  // A scenario without manifests cannot run; saying so here reports it with every other problem.
  { manifests: MANIFESTS_NEEDED },
);

/**
 * The scenario format. docs/scenario.schema.json and docs/scenario-reference.md document the same
 * keys; test/scenario/schema.test.ts fails if the JSON Schema and this one name different keys.
 */
export const scenarioSchema: ObjectSchema = obj(
  'Scenario',
  {
    apiVersion: str,
    kind: str,
    metadata: obj('ScenarioMetadata', { name: str, description: str }, { name: 'metadata.name is required' }),
    spec: specSchema,
  },
  { apiVersion: `apiVersion: ${SCENARIO_API_VERSION} is required`, kind: 'kind: Scenario is required', metadata: 'metadata is required', spec: 'spec is required' },
);

/** "1s", "1ms": a minimum duration as the user would write it. */
const formatMinimum = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

export class ValueChecker {
  readonly errors: Diagnostic[] = [];
  /** Field paths already reported (structurally or here); checks across fields skip them. */
  private readonly failed: string[];
  constructor(
    private readonly file: string,
    private readonly positions: ReadonlyMap<string, SourcePosition>,
    structural: readonly Diagnostic[],
  ) {
    this.failed = structural.map((d) => d.field);
  }

  /** A value that cannot be read: reported, and excluded from checks across fields. */
  error(path: string, message: string): void {
    this.conflict(path, message);
    this.failed.push(path);
  }

  /** Values that were read but do not fit together (e.g. steps out of order). */
  conflict(path: string, message: string): void {
    const at = this.positions.get(path) ?? this.nearestPosition(path) ?? { file: this.file, line: 0, column: 0 };
    this.errors.push({ severity: 'error', file: at.file, line: at.line, column: at.column, field: path, message });
  }

  /** Inside values the walker does not enter (e.g. a fixture's JSON): the closest enclosing field. */
  private nearestPosition(path: string): SourcePosition | undefined {
    for (let p = path; p !== ''; ) {
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut <= 0 ? '' : p.slice(0, cut);
      const found = this.positions.get(p);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Whether a field at, inside or around any of `paths` was already reported. A value replaced by
   * its fallback after an error must not cause a second, misleading error in a check across
   * fields (e.g. "p99 below the median" when the median was unreadable).
   */
  reported(...paths: string[]): boolean {
    const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
    return paths.some((p) => this.failed.some((f) => within(p, f) || within(f, p)));
  }

  duration(path: string, text: string | undefined, fallbackMs: number, min = 0): number {
    if (text === undefined) return fallbackMs;
    try {
      const ms = parseGoDurationMs(text);
      if (ms < min) {
        this.error(path, min === 0 ? `expected a duration of 0 or more, got "${text}".` : `expected a duration of at least ${formatMinimum(min)}, got "${text}".`);
        return fallbackMs;
      }
      return ms;
    } catch (e) {
      if (!(e instanceof DurationError)) throw e;
      this.error(path, `expected a duration such as "30s", "5m" or "1h30m", got "${text}" (${e.message}).`);
      return fallbackMs;
    }
  }

  /** A ratio written as a fraction (0.002) or a percentage string ("0.2%"). */
  ratio(path: string, v: Json | undefined, fallback: number): number {
    if (v === undefined || v === null) return fallback;
    let r: number | undefined;
    if (typeof v === 'number') r = v;
    else if (typeof v === 'string') {
      const m = /^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*%\s*$/.exec(v);
      if (m) r = Number(m[1]) / 100;
    }
    if (r === undefined || !Number.isFinite(r) || r < 0 || r > 1) {
      this.error(path, `expected a ratio between 0 and 1 (e.g. 0.002) or a percentage from 0% to 100% (e.g. "0.2%"), got ${JSON.stringify(v)}.`);
      return fallback;
    }
    return r;
  }

  number(path: string, v: Json | undefined, fallback: number, what: string, check: (n: number) => boolean): number {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
      this.error(path, `expected ${what}, got ${JSON.stringify(v)}.`);
      return fallback;
    }
    return v;
  }
}

type J = { [k: string]: Json } | undefined;
const field = (o: J, k: string): Json | undefined => (o ? o[k] : undefined);
const objAt = (o: J, k: string): J => {
  const v = field(o, k);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as { [k: string]: Json }) : undefined;
};
const strAt = (o: J, k: string): string | undefined => {
  const v = field(o, k);
  return typeof v === 'string' ? v : undefined;
};

/** Parses one scenario document. `name` is the file name used in messages. */
export function parseScenario(name: string, text: string): ScenarioSpec {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, version: '1.1', merge: true, uniqueKeys: true });
  const list: Document[] = Array.isArray(docs) ? docs : [];
  const syntax: Diagnostic[] = [];
  for (const d of list) {
    for (const e of d.errors) {
      const lp = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
      syntax.push({ severity: 'error', file: name, line: lp.line, column: lp.col, field: '', message: `YAML syntax error: ${e.message.split('\n')[0]}` });
    }
  }
  if (syntax.length > 0) throw new InputError(syntax);
  const nonEmpty = list.filter((d) => d.contents !== null);
  if (nonEmpty.length !== 1) {
    throw new InputError([{ severity: 'error', file: name, line: 1, column: 1, field: '', message: `a scenario file holds exactly one YAML document, found ${nonEmpty.length}.` }]);
  }
  const doc = nonEmpty[0]!;
  const ctx: WalkContext = { file: name, lineCounter, doc, kind: 'Scenario', basePath: '', diagnostics: [], positions: new Map(), aliasBudget: 10_000 };
  if (!isMap(doc.contents)) {
    const at = positionOfNode(ctx, doc.contents);
    throw new InputError([{ severity: 'error', file: name, line: at.line, column: at.column, field: '', message: 'a scenario is a mapping with apiVersion, kind, metadata and spec.' }]);
  }
  const root = walk(ctx, doc.contents, scenarioSchema, '', '') as J;
  const structural = ctx.diagnostics.filter((d) => d.severity === 'error');
  if (!root) throw new InputError(structural);

  // Values are checked even when the structure has errors, so that every problem is reported at
  // once: fields the walker rejected are absent from `root` and read as their defaults here.
  const c = new ValueChecker(name, ctx.positions, structural);
  const apiVersion = strAt(root, 'apiVersion');
  if (apiVersion !== undefined && apiVersion !== SCENARIO_API_VERSION) c.error('apiVersion', `expected apiVersion: ${SCENARIO_API_VERSION}, got "${apiVersion}".`);
  const kind = strAt(root, 'kind');
  if (kind !== undefined && kind !== 'Scenario') c.error('kind', `expected kind: Scenario, got "${kind}".`);
  const spec = objAt(root, 'spec');
  const d = SCENARIO_DEFAULTS;

  const cluster = objAt(objAt(spec, 'cluster'), 'podStartup');
  const medianMs = c.duration('spec.cluster.podStartup.median', strAt(cluster, 'median'), d.podStartup.medianMs, 1);
  const p99Ms = c.duration('spec.cluster.podStartup.p99', strAt(cluster, 'p99'), Math.max(medianMs, d.podStartup.p99Ms), 1);
  if (p99Ms < medianMs && !c.reported('spec.cluster.podStartup')) c.conflict('spec.cluster.podStartup.p99', 'p99 must not be below the median.');

  const traffic = objAt(spec, 'traffic');
  const rps = c.number('spec.traffic.rps', field(traffic, 'rps'), d.traffic.rps, 'a request rate ≥ 0 (requests per second)', (n) => n >= 0);
  const profile = strAt(traffic, 'profile') ?? 'constant';
  if (profile !== 'constant' && profile !== 'steps') c.error('spec.traffic.profile', `expected "constant" or "steps", got "${profile}" (other profiles are not simulated yet).`);
  const stepsJson = (field(traffic, 'steps') as Json[] | undefined) ?? [];
  if (profile === 'constant' && stepsJson.length > 0 && !c.reported('spec.traffic.profile')) c.conflict('spec.traffic.steps', 'steps need profile: steps.');
  const steps = stepsJson.map((s, i) => {
    const so = s as J;
    return {
      atMs: c.duration(`spec.traffic.steps[${i}].at`, strAt(so, 'at'), 0),
      rps: c.number(`spec.traffic.steps[${i}].rps`, field(so, 'rps'), 0, 'a request rate ≥ 0', (n) => n >= 0),
    };
  });
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]!.atMs <= steps[i - 1]!.atMs && !c.reported(`spec.traffic.steps[${i}]`, `spec.traffic.steps[${i - 1}]`)) c.conflict(`spec.traffic.steps[${i}].at`, 'traffic steps must be in increasing time order.');
  }

  const previewJson = objAt(traffic, 'preview');
  const preview = previewJson ? { rps: c.number('spec.traffic.preview.rps', field(previewJson, 'rps'), 0, 'a request rate ≥ 0 (requests per second)', (n) => n >= 0) } : undefined;

  const metrics = objAt(spec, 'metrics');
  const presetName = strAt(metrics, 'preset') ?? 'generic';
  const preset: PresetName = (PRESET_NAMES as readonly string[]).includes(presetName) ? (presetName as PresetName) : 'generic';
  if (preset !== presetName) {
    const hint = suggestName(presetName, PRESET_NAMES);
    c.error('spec.metrics.preset', `expected one of ${PRESET_NAMES.map((n) => `"${n}"`).join(', ')}, got "${presetName}"${hint ? ` (did you mean "${hint}"?)` : ''}.`);
  }
  const customJson = objAt(metrics, 'custom');
  if (customJson !== undefined && preset !== 'custom' && !c.reported('spec.metrics.preset')) c.conflict('spec.metrics.custom', `metrics.custom names the series of preset: custom, but the preset is "${preset}".`);
  const custom = preset === 'custom' ? parseCustomMetrics(c, customJson) : undefined;
  const scrapeIntervalMs = c.duration('spec.metrics.scrapeInterval', strAt(metrics, 'scrapeInterval'), d.metrics.scrapeIntervalMs, 1000);
  const errorCode = c.number('spec.metrics.errorCode', field(metrics, 'errorCode'), d.metrics.errorCode, 'an HTTP status code from 400 to 599', (n) => Number.isInteger(n) && n >= 400 && n <= 599);

  const version = (path: string, v: J, fallback: VersionSpec): VersionSpec => {
    const latency = objAt(v, 'latency');
    const p50 = c.duration(`${path}.latency.p50`, strAt(latency, 'p50'), fallback.latencyP50Ms, 0);
    const p99 = c.duration(`${path}.latency.p99`, strAt(latency, 'p99'), Math.max(p50, fallback.latencyP99Ms), 0);
    if (p99 < p50 && !c.reported(`${path}.latency`)) c.conflict(`${path}.latency.p99`, 'p99 must not be below p50.');
    return { errorRatio: c.ratio(`${path}.errorRate`, field(v, 'errorRate'), fallback.errorRatio), latencyP50Ms: p50, latencyP99Ms: p99 };
  };
  const defaultVersion = version('spec.defaultVersion', objAt(spec, 'defaultVersion'), d.version);
  const versions = new Map<string, VersionSpec>();
  const versionsJson = objAt(spec, 'versions') ?? {};
  for (const image of Object.keys(versionsJson).sort()) {
    versions.set(image, version(childPath('spec.versions', image), objAt(versionsJson, image), defaultVersion));
  }

  const changeJson = objAt(spec, 'change');
  const change = changeJson
    ? { atMs: c.duration('spec.change.at', strAt(changeJson, 'at'), 0), image: strAt(changeJson, 'image'), container: strAt(changeJson, 'container') }
    : undefined;

  const expect = parseExpectations(c, objAt(spec, 'expect'));

  const faults = parseFaults(c, (field(spec, 'faults') as Json[] | undefined) ?? []);
  const actions = parseActions(c, (field(spec, 'actions') as Json[] | undefined) ?? []);
  const providers = parseProviders(c, objAt(spec, 'providers'));

  const ev = field(spec, 'exprVersion');
  let exprVersion: '1.15' | '1.17' = d.exprVersion;
  if (ev !== undefined && ev !== null) {
    if (ev === '1.15' || ev === '1.17') exprVersion = ev;
    else c.error('spec.exprVersion', `expected "1.15" (Argo Rollouts up to 1.9) or "1.17" (Argo Rollouts 1.10), got ${JSON.stringify(ev)}.`);
  }
  const pv = field(spec, 'prometheusVersion');
  let prometheusVersion: 2 | 3 = d.prometheusVersion;
  if (pv !== undefined && pv !== null) {
    if (pv === 2 || pv === 3 || pv === '2' || pv === '3') prometheusVersion = Number(pv) as 2 | 3;
    else c.error('spec.prometheusVersion', `expected 2 or 3, got ${JSON.stringify(pv)}.`);
  }
  const seedJson = field(spec, 'seed');
  // Non-negative, as `--seed` on the command line: the printed reproduce command must work.
  if (typeof seedJson === 'number' && seedJson < 0) c.error('spec.seed', `expected an integer ≥ 0, got ${seedJson}.`);
  const untilMs = c.duration('spec.until', strAt(spec, 'until'), d.untilMs, 1000);
  if (change && change.atMs >= untilMs && !c.reported('spec.change.at', 'spec.until')) c.conflict('spec.change.at', 'the change must happen before `until`.');
  for (const a of actions) {
    const at = `spec.actions[${a.index}].at`;
    if (a.atMs >= untilMs && !c.reported(at, 'spec.until')) c.conflict(at, 'the action must happen before `until`.');
  }

  const errors = [...structural, ...c.errors];
  // In the order they appear in the file (stable: same-place errors keep their order).
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (errors.length > 0) throw new InputError(errors);
  return {
    name: strAt(objAt(root, 'metadata'), 'name') ?? name,
    file: name,
    manifests: ((field(spec, 'manifests') as Json[] | undefined) ?? []).map(String),
    seed: typeof seedJson === 'number' ? seedJson : d.seed,
    untilMs,
    prometheusVersion,
    exprVersion,
    faults,
    actions,
    ...(providers !== undefined ? { providers } : {}),
    podStartup: { medianMs, p99Ms },
    initialRevisionReady: (field(objAt(spec, 'cluster'), 'initialRevisionReady') as boolean | undefined) ?? d.initialRevisionReady,
    traffic: {
      rps,
      steps,
      service: strAt(traffic, 'service'),
      headerShare: field(traffic, 'headerShare') == null ? undefined : c.ratio('spec.traffic.headerShare', field(traffic, 'headerShare'), 0),
      mirrorShare: field(traffic, 'mirrorShare') == null ? undefined : c.ratio('spec.traffic.mirrorShare', field(traffic, 'mirrorShare'), 0),
      ...(preview ? { preview } : {}),
    },
    metrics: { preset, scrapeIntervalMs, errorCode, ...(custom !== undefined ? { custom } : {}) },
    versions,
    defaultVersion,
    change,
    expect,
    positions: ctx.positions,
  };
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** The `metrics.custom` block: names checked against Prometheus' name rules, bounds increasing. */
function parseCustomMetrics(c: ValueChecker, m: J | undefined): CustomMetricsSpec {
  const name = (key: 'requestsMetric' | 'durationMetric' | 'statusLabel', rule: RegExp, what: string): string => {
    const v = strAt(m, key);
    if (v === undefined) return CUSTOM_DEFAULTS[key];
    if (!rule.test(v)) c.error(`spec.metrics.custom.${key}`, `expected a Prometheus ${what} (${rule.source}), got "${v}".`);
    return v;
  };
  const requestsMetric = name('requestsMetric', METRIC_NAME, 'metric name');
  const durationMetric = name('durationMetric', METRIC_NAME, 'metric name');
  const statusLabel = name('statusLabel', LABEL_NAME, 'label name');
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const v = strAt(m, key);
    if (v === undefined) return fallback;
    if ((allowed as readonly string[]).includes(v)) return v as T;
    c.error(`spec.metrics.custom.${key}`, `expected ${allowed.map((a) => `"${a}"`).join(' or ')}, got "${v}".`);
    return fallback;
  };
  const statusFormat = oneOf('statusFormat', ['code', 'class'] as const, CUSTOM_DEFAULTS.statusFormat);
  const durationUnit = oneOf('durationUnit', ['seconds', 'milliseconds'] as const, CUSTOM_DEFAULTS.durationUnit);
  const bucketsJson = field(m, 'buckets') as Json[] | undefined;
  let buckets: number[] | undefined;
  if (bucketsJson !== undefined) {
    buckets = bucketsJson.map((b, i) => c.number(`spec.metrics.custom.buckets[${i}]`, b, 1, 'a bucket upper bound > 0', (n) => n > 0 && Number.isFinite(n)));
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i]! <= buckets[i - 1]! && !c.reported(`spec.metrics.custom.buckets[${i}]`, `spec.metrics.custom.buckets[${i - 1}]`)) {
        c.conflict(`spec.metrics.custom.buckets[${i}]`, 'bucket upper bounds must be strictly increasing.');
      }
    }
  }
  const labelsJson = field(m, 'labels') as Record<string, string> | undefined;
  let labels: Map<string, string> | undefined;
  if (labelsJson !== undefined) {
    labels = new Map();
    for (const [k, v] of Object.entries(labelsJson)) {
      if (!LABEL_NAME.test(k) || k.startsWith('__')) c.error(`spec.metrics.custom.labels.${k}`, `expected a Prometheus label name (${LABEL_NAME.source}, not starting with "__"), got "${k}".`);
      else if (k === statusLabel || k === 'le') c.error(`spec.metrics.custom.labels.${k}`, `the label "${k}" is written by the preset itself (status or bucket bound).`);
      else labels.set(k, String(v));
    }
  }
  return { requestsMetric, statusLabel, statusFormat, durationMetric, durationUnit, buckets, labels };
}

const FAULT_KEYS = new Set(['kind', 'at', 'for', 'target']);

/** The `faults:` list: a known kind, its window, its target and its parameters, each checked. */
function parseFaults(c: ValueChecker, items: readonly Json[]): FaultSpec[] {
  const out: FaultSpec[] = [];
  items.forEach((item, index) => {
    const f = item as J;
    const path = `spec.faults[${index}]`;
    const kindName = strAt(f, 'kind') ?? '';
    const kind = FAULT_KINDS.get(kindName);
    if (!kind) {
      const hint = suggestName(kindName, [...FAULT_KINDS.keys()]);
      c.error(`${path}.kind`, `unknown fault kind "${kindName}".${hint ? ` Did you mean \`${hint}\`?` : ''} Known kinds: ${[...FAULT_KINDS.keys()].join(', ')}.`);
      return;
    }
    const atMs = c.duration(`${path}.at`, strAt(f, 'at'), 0);
    const forText = strAt(f, 'for');
    const forMs = forText === undefined ? undefined : c.duration(`${path}.for`, forText, 0, 1);
    const image = strAt(f, 'target');
    if (kind.target === 'required' && image === undefined) c.error(path, `fault "${kind.kind}" needs \`target:\` — the image of the version it affects.`);
    if (kind.target === 'none' && image !== undefined) c.error(`${path}.target`, `fault "${kind.kind}" takes no target.`);
    const params: Record<string, FaultParamValue> = {};
    for (const key of Object.keys(f ?? {})) {
      if (FAULT_KEYS.has(key) || key in kind.params) continue;
      const hint = suggestName(key, [...FAULT_KEYS, ...Object.keys(kind.params)]);
      c.error(`${path}.${key}`, `fault "${kind.kind}" has no parameter \`${key}\`.${hint ? ` Did you mean \`${hint}\`?` : ''} Its parameters: ${Object.keys(kind.params).join(', ') || 'none'}.`);
    }
    for (const [name, spec] of Object.entries(kind.params)) {
      const p = `${path}.${name}`;
      const raw = field(f, name);
      if (raw === undefined || raw === null) {
        if (spec.default === undefined) c.error(path, `fault "${kind.kind}" needs \`${name}\`: ${spec.description}`);
        else params[name] = spec.default;
        continue;
      }
      const value = faultParam(c, p, raw, spec.type);
      if (value === undefined) continue;
      if (typeof value === 'number' && ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))) {
        c.error(p, `expected ${name} between ${spec.min ?? '-∞'} and ${spec.max ?? '∞'}, got ${JSON.stringify(raw)}.`);
        continue;
      }
      if (typeof value === 'string' && spec.values !== undefined && !spec.values.includes(value)) {
        c.error(p, `expected one of ${spec.values.join(', ')}, got "${value}".`);
        continue;
      }
      params[name] = value;
    }
    out.push({ kind: kind.kind, index, atMs, forMs, image, params });
  });
  return out;
}

function faultParam(c: ValueChecker, path: string, raw: Json, type: FaultParamType): FaultParamValue | undefined {
  switch (type) {
    case 'duration':
      if (typeof raw !== 'string') {
        c.error(path, `expected a duration such as "30s", got ${JSON.stringify(raw)}.`);
        return undefined;
      }
      return c.duration(path, raw, 0);
    case 'ratio':
      return c.ratio(path, raw, 0);
    case 'number':
    case 'integer':
      if (typeof raw !== 'number' || !Number.isFinite(raw) || (type === 'integer' && !Number.isInteger(raw))) {
        c.error(path, `expected ${type === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}.`);
        return undefined;
      }
      return raw;
    case 'boolean':
      if (typeof raw !== 'boolean') {
        c.error(path, `expected true or false, got ${JSON.stringify(raw)}.`);
        return undefined;
      }
      return raw;
    default:
      if (typeof raw !== 'string') {
        c.error(path, `expected a string, got ${JSON.stringify(raw)}.`);
        return undefined;
      }
      return raw;
  }
}
