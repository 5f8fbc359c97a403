// Metric validation and argument substitution, following argoproj/argo-rollouts v1.9.1
// `utils/analysis/factory.go: ValidateMetrics, ValidateMetric, ResolveMetricArgs`,
// `utils/template/template.go: ResolveArgs` and `utils/analysis/helpers.go: FlattenTemplates,
// flattenArgs, flattenMetrics, MergeArgs, ResolveArgs`. Messages quote upstream's.

import { intOrStringIntValue, parseGoDuration } from './duration.js';
import type { AnalysisArg, AnalysisTemplate, AnalysisTemplateRef, IntOrString, Metric } from './types.js';

/** Upstream's stand-in value for arguments that only get a value at run time. */
export const ARG_PLACEHOLDER = 'dummy-value';

const TAG = /\{\{([^}]*)\}\}/g;

/** Whether a value still contains an unresolved `{{ ... }}` tag. */
export function hasPlaceholder(value: string): boolean {
  return /\{\{[^}]*\}\}/.test(value);
}

/**
 * Substitutes `{{args.NAME}}` tags (whitespace inside the braces is trimmed, as fasttemplate's
 * caller in upstream does). Arguments without a value are not in the map. Returns the text and
 * the first tag that could not be resolved (upstream: "failed to resolve {{tag}}").
 */
export function resolveArgTags(text: string, values: ReadonlyMap<string, string>): { text: string; unresolved: string | undefined } {
  // Most fields hold no tag at all; skip the regular-expression replace for them (every
  // AnalysisRun resolves each field of each metric).
  if (!text.includes('{{')) return { text, unresolved: undefined };
  let unresolved: string | undefined;
  const out = text.replace(TAG, (_whole, tag: string) => {
    const name = tag.trim();
    const value = name.startsWith('args.') ? values.get(name.slice('args.'.length)) : undefined;
    if (value === undefined) {
      unresolved ??= `{{${tag}}}`;
      return '';
    }
    return value;
  });
  return { text: out, unresolved };
}

/** The subset of a Metric that ValidateMetric reads, after argument substitution. */
export interface MetricLimits {
  readonly interval: string | undefined;
  readonly initialDelay: string | undefined;
  readonly count: IntOrString | undefined;
  readonly failureLimit: IntOrString | undefined;
  readonly inconclusiveLimit: IntOrString | undefined;
  readonly consecutiveErrorLimit: IntOrString | undefined;
  readonly consecutiveSuccessLimit: IntOrString | undefined;
  readonly providerCount: number;
}

/** IntValue() of an optional field, or null when an unresolved placeholder makes it unknown. */
function intOf(value: IntOrString | undefined): number | null {
  if (value === undefined) return 0;
  if (typeof value === 'string' && hasPlaceholder(value)) return null;
  return intOrStringIntValue(value);
}

/**
 * `ValidateMetric`: returns upstream's error text, or undefined when valid. Values that still
 * hold an argument placeholder are unknown until run time, and checks that need them are skipped
 * (they are checked again when a Rollout's arguments are known).
 */
export function validateMetric(m: MetricLimits): string | undefined {
  const count = intOf(m.count);
  const failureLimit = intOf(m.failureLimit);
  const consecutiveSuccessLimit = intOf(m.consecutiveSuccessLimit);
  const inconclusiveLimit = intOf(m.inconclusiveLimit);
  const consecutiveErrorLimit = m.consecutiveErrorLimit === undefined ? 0 : intOf(m.consecutiveErrorLimit);

  if (consecutiveSuccessLimit !== null && consecutiveSuccessLimit < 0) return 'consecutiveSuccessLimit must be >= 0';
  if (failureLimit !== null && failureLimit < -1) return 'failureLimit must be >= 0, or -1 to be disabled';
  if (consecutiveSuccessLimit === 0 && failureLimit === -1) return 'failureLimit and consecutiveSuccessLimit cannot both be disabled';
  if (inconclusiveLimit !== null && inconclusiveLimit < 0) return 'inconclusiveLimit must be >= 0';
  if (consecutiveErrorLimit !== null && consecutiveErrorLimit < 0) return 'consecutiveErrorLimit must be >= 0';
  if (count !== null && count > 0) {
    if (consecutiveSuccessLimit !== null && failureLimit !== null) {
      if (consecutiveSuccessLimit >= 0 && failureLimit >= 0) {
        if (count < failureLimit + consecutiveSuccessLimit) {
          return `count (${count}) must be >= failureLimit + consecutiveSuccessLimit (${failureLimit} + ${consecutiveSuccessLimit}) if both >= 0`;
        }
      } else if (consecutiveSuccessLimit >= 0 && failureLimit < 0) {
        if (count < consecutiveSuccessLimit) return 'count must be >= consecutiveSuccessLimit';
      }
    }
    if (inconclusiveLimit !== null && count < inconclusiveLimit) return 'count must be >= inconclusiveLimit';
  }
  const interval = m.interval ?? '';
  if (count !== null && count > 1 && interval === '') return 'interval must be specified when count > 1';
  if (interval !== '' && !hasPlaceholder(interval)) {
    try {
      parseGoDuration(interval);
    } catch (e) {
      return `invalid interval string: ${(e as Error).message}`;
    }
  }
  const initialDelay = m.initialDelay ?? '';
  if (initialDelay !== '' && !hasPlaceholder(initialDelay)) {
    try {
      parseGoDuration(initialDelay);
    } catch (e) {
      // Upstream's message says "startDelay" for this field.
      return `invalid startDelay string: ${(e as Error).message}`;
    }
  }
  if (m.providerCount === 0) return 'no provider specified';
  if (m.providerCount > 1) return 'multiple providers specified';
  return undefined;
}

function providerCount(metric: Metric): number {
  if (metric.provider.keys !== undefined) return metric.provider.keys.length;
  return (metric.provider.prometheus ? 1 : 0) + (metric.provider.other !== undefined ? 1 : 0);
}

/**
 * Substitutes argument tags in every string inside a JSON value: upstream resolves the whole metric
 * as JSON text (`ResolveMetricArgs` → `templateutil.ResolveQuotedArgs`), so provider blocks of any
 * shape get their `{{args.x}}` replaced too.
 */
function resolveDeep(v: unknown, r: (s: string) => string | undefined): unknown {
  if (typeof v === 'string') return r(v);
  if (Array.isArray(v)) return v.map((x) => resolveDeep(x, r));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveDeep(x, r)]));
  return v;
}

/** Applies argument values to every string field of a metric that upstream resolves. */
export function resolveMetric(metric: Metric, values: ReadonlyMap<string, string>): { metric: Metric; unresolved: string | undefined } {
  let unresolved: string | undefined;
  const r = (v: string | undefined): string | undefined => {
    if (v === undefined) return undefined;
    const res = resolveArgTags(v, values);
    unresolved ??= res.unresolved;
    return res.text;
  };
  const ri = (v: IntOrString | undefined): IntOrString | undefined => (typeof v === 'string' ? r(v) : v);
  const prom = metric.provider.prometheus;
  const { web, job, fixture } = metric.provider;
  const provider = {
    ...metric.provider,
    ...(prom ? { prometheus: { ...prom, address: r(prom.address), query: r(prom.query) ?? '' } } : {}),
    ...(web
      ? { web: { ...web, url: r(web.url) ?? '', body: r(web.body), jsonPath: r(web.jsonPath), method: r(web.method), jsonBody: resolveDeep(web.jsonBody, r) } }
      : {}),
    ...(job ? { job: { images: job.images.map((i) => r(i) ?? '') } } : {}),
    ...(fixture ? { fixture: { kind: fixture.kind, raw: resolveDeep(fixture.raw, r) } } : {}),
  };
  const resolved: Metric = {
    ...metric,
    name: r(metric.name) ?? metric.name,
    interval: r(metric.interval),
    initialDelay: r(metric.initialDelay),
    count: ri(metric.count),
    successCondition: r(metric.successCondition),
    failureCondition: r(metric.failureCondition),
    failureLimit: ri(metric.failureLimit),
    inconclusiveLimit: ri(metric.inconclusiveLimit),
    consecutiveErrorLimit: ri(metric.consecutiveErrorLimit),
    consecutiveSuccessLimit: ri(metric.consecutiveSuccessLimit),
    provider,
  };
  return { metric: resolved, unresolved };
}

/** `ValidateMetric` for one metric as written (placeholders left unknown). */
export function validateMetricAsWritten(metric: Metric): string | undefined {
  return validateMetric({ ...metric, providerCount: providerCount(metric) });
}

/**
 * `Metric.EffectiveCount` (analysis_types.go): count absent or IntValue 0 ⇒ 1 without interval,
 * unbounded (undefined) with one; otherwise the count as written.
 */
export function effectiveCount(metric: Pick<Metric, 'count' | 'interval'>): IntOrString | undefined {
  if (metric.count === undefined || intOrStringIntValue(metric.count) === 0) {
    return metric.interval === undefined || metric.interval === '' ? 1 : undefined;
  }
  return metric.count;
}

/**
 * The unbounded-metric check that `validation_references.go: ValidateAnalysisTemplateWithType`
 * applies to templates used by steps (not background analysis): template arguments without a value
 * get upstream's placeholder, then every metric must have an effective count. Returns messages.
 */
export function unboundedMetricErrors(template: AnalysisTemplate): string[] {
  const values = new Map<string, string>();
  for (const arg of template.spec.args) values.set(arg.name, arg.value ?? ARG_PLACEHOLDER);
  const errors: string[] = [];
  for (const arg of template.spec.args) {
    if (arg.value !== undefined && arg.valueFrom !== undefined) {
      return [`AnalysisTemplate ${template.metadata.name}: arg '${arg.name}' has both Value and ValueFrom fields`];
    }
  }
  for (const metric of template.spec.metrics) {
    const { metric: resolved, unresolved } = resolveMetric(metric, values);
    if (unresolved !== undefined) return [`AnalysisTemplate ${template.metadata.name}: failed to resolve ${unresolved}`];
    if (effectiveCount(resolved) === undefined) {
      errors.push(
        `AnalysisTemplate ${template.metadata.name} has metric ${metric.name} which runs indefinitely. Invalid value for count: ${resolved.count === undefined ? '<nil>' : String(resolved.count)}`,
      );
    }
  }
  return errors;
}

/**
 * `FlattenTemplates` + `MergeArgs`: combines the templates of one analysis, returning upstream's
 * error for duplicate metric names, conflicting argument values or arguments left without a value.
 */
export function flattenAndMergeArgs(templates: readonly AnalysisTemplate[], rolloutArgs: readonly AnalysisArg[]): string | undefined {
  // flattenArgs: namespaced templates first, then cluster templates (callers pass them in that order).
  const combined: { name: string; value: string | undefined; hasValueFrom: boolean }[] = [];
  for (const t of templates) {
    for (const arg of t.spec.args) {
      const prev = combined.find((c) => c.name === arg.name);
      const hasValueFrom = arg.valueFrom !== undefined;
      if (prev === undefined) {
        combined.push({ name: arg.name, value: arg.value, hasValueFrom });
        continue;
      }
      if (prev.value !== undefined && arg.value !== undefined && prev.value !== arg.value) {
        return `Argument \`${arg.name}\` specified multiple times with different values: '${prev.value}', '${arg.value}'`;
      }
      if (prev.value === undefined) {
        prev.value = arg.value;
        prev.hasValueFrom = hasValueFrom;
      }
    }
  }
  const seen = new Set<string>();
  for (const t of templates) {
    for (const m of t.spec.metrics) {
      if (seen.has(m.name)) return `two metrics have the same name '${m.name}'`;
      seen.add(m.name);
    }
  }
  for (const c of combined) {
    const incoming = rolloutArgs.find((a) => a.name === c.name);
    if (incoming?.value !== undefined) c.value = incoming.value;
    else if (incoming?.valueFrom !== undefined) c.hasValueFrom = true;
  }
  for (const c of combined) {
    if (c.value === undefined && !c.hasValueFrom) return `args.${c.name} was not resolved`;
  }
  return undefined;
}

/** Lookup of templates by name: namespaced (in the rollout's namespace) and cluster-scoped. */
export interface TemplateLookup {
  namespaced(name: string): AnalysisTemplate | undefined;
  cluster(name: string): AnalysisTemplate | undefined;
}

/** Nesting deeper than this is a cycle (upstream would recurse until it overflows). */
const MAX_TEMPLATE_NESTING = 32;

/**
 * `getAnalysisTemplatesFromRefs` (rollout/analysis.go) + `FilterUniqueTemplates`: each reference,
 * then the templates it nests (`spec.templates`), recursively; namespaced and cluster-scoped lists
 * kept apart, each without repeated names. Returns the missing reference's text on failure.
 */
export function expandTemplateRefs(
  refs: readonly AnalysisTemplateRef[],
  lookup: TemplateLookup,
): { templates: AnalysisTemplate[]; clusterTemplates: AnalysisTemplate[] } | { error: string } {
  const templates: AnalysisTemplate[] = [];
  const clusterTemplates: AnalysisTemplate[] = [];
  const visit = (list: readonly AnalysisTemplateRef[], depth: number): string | undefined => {
    if (depth > MAX_TEMPLATE_NESTING) return `templates nest more than ${MAX_TEMPLATE_NESTING} deep (a template includes itself)`;
    for (const ref of list) {
      const t = ref.clusterScope ? lookup.cluster(ref.templateName) : lookup.namespaced(ref.templateName);
      if (t === undefined) return `${ref.clusterScope ? 'clusteranalysistemplate' : 'analysistemplate'}.argoproj.io "${ref.templateName}" not found`;
      (ref.clusterScope ? clusterTemplates : templates).push(t);
      const nested = t.spec.templates ?? [];
      if (nested.length > 0) {
        const err = visit(nested, depth + 1);
        if (err !== undefined) return err;
      }
    }
    return undefined;
  };
  const error = visit(refs, 0);
  if (error !== undefined) return { error };
  const unique = (ts: AnalysisTemplate[]): AnalysisTemplate[] => ts.filter((t, i) => ts.findIndex((u) => u.metadata.name === t.metadata.name) === i);
  return { templates: unique(templates), clusterTemplates: unique(clusterTemplates) };
}
