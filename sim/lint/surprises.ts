// Known surprises of Argo Rollouts v1.9.1 (semantics digest §10 and §11) that a user's manifests
// walk into: each rule looks at the loaded manifests (and the scenario's world) and, when the
// manifests trigger the surprise, returns a warning with the place, a one-line explanation and the
// upstream issue. Pure: no run needed, so the warnings appear whatever the simulated outcome.
import type { Diagnostic } from '../diagnostics.js';
import type { AnalysisTemplate, CanaryStep, IntOrString, ManifestSet, Metric, Rollout, SourcePosition } from '../manifests/types.js';
import { DefaultMaxTrafficWeight, DefaultReplicas } from '../rollouts/defaults.js';
import { approximateWeightedCanaryStableReplicaCounts, maxSurge } from '../rollouts/replicaMath.js';
import { blueGreenSurprises } from './blueGreenSurprises.js';

export const ISSUES = 'https://github.com/argoproj/argo-rollouts/issues/';
const PULLS = 'https://github.com/argoproj/argo-rollouts/pull/';

export interface Surprise extends Diagnostic {
  /** Stable identifier of the rule (for tests and for silencing in the future). */
  readonly rule: string;
  /** The upstream issue or pull request that documents the behaviour. */
  readonly link: string;
}

export function surprise(rule: string, at: SourcePosition, field: string, message: string, link: string): Surprise {
  return { severity: 'warning', file: at.file, line: at.line, column: at.column, field, message: `${message} (${link})`, rule, link };
}

/** A condition reads `result[0]` without checking `len(result)` first. */
const INDEXES_RESULT = /\bresult\s*\[\s*0\s*\]/;
const GUARDS_LENGTH = /\blen\s*\(\s*result\s*\)/;
/** A query with a fallback that is never empty: `… or vector(0)`, `… or on() vector(0)`. */
const HAS_FALLBACK = /\bor\b[\s\S]*\bvector\s*\(/;
/**
 * A selector that picks a status (code=~"5..", response_code="500", classification="failure"):
 * exporters create such a series only with the first request of that status, so on a healthy
 * canary the selector — and a ratio built on it — is empty.
 */
const SELECTS_STATUS = /\b(code|status|response_code|status_code|envoy_response_code|envoy_response_code_class|classification)\s*(=~|=)(?!=)/;

/** Rule `empty-result-index` (digest §10.1): an empty vector makes `result[0]` an error. */
function emptyResultIndex(t: AnalysisTemplate, m: Metric, index: number): Surprise | undefined {
  const query = m.provider.prometheus?.query;
  if (query === undefined) return undefined;
  const conditions = [m.successCondition, m.failureCondition].filter((c): c is string => c !== undefined);
  if (!conditions.some((c) => INDEXES_RESULT.test(c) && !GUARDS_LENGTH.test(c))) return undefined;
  if (!SELECTS_STATUS.test(query) || HAS_FALLBACK.test(query)) return undefined;
  return surprise(
    'empty-result-index',
    m.position,
    `spec.metrics[${index}].successCondition`,
    `${t.kind} ${t.metadata.name} metric "${m.name}": the condition reads result[0] of a query on a status series with no \`or vector(0)\` fallback — until a request with that status is served the series does not exist, the result is empty and every measurement is an Error and after consecutiveErrorLimit (4) errors in a row the metric is Errored and the rollout aborts`,
    `${ISSUES}1466`,
  );
}

/** Rule `failing-metric-terminates-others` (digest §10.3). */
function failingMetricTerminatesOthers(t: AnalysisTemplate): Surprise | undefined {
  if (t.spec.metrics.length < 2) return undefined;
  const ongoing = t.spec.metrics.filter((m) => m.interval !== undefined);
  if (ongoing.length === 0) return undefined;
  // Metrics on one schedule measure in lockstep; with different schedules one fails while another
  // is still short of its count (or unbounded), and that one is cut off and shown Successful.
  const schedule = (m: Metric): string => `${m.interval ?? ''}|${String(m.count ?? '')}|${m.initialDelay ?? ''}`;
  if (new Set(t.spec.metrics.map(schedule)).size === 1) return undefined;
  return surprise(
    'failing-metric-terminates-others',
    t.position,
    'spec.metrics',
    `${t.kind} ${t.metadata.name}: when one of its ${t.spec.metrics.length} metrics fails, the metrics still measuring (${ongoing.map((m) => `"${m.name}"`).join(', ')}) are terminated and reported Successful, so their own verdict is never reached`,
    `${ISSUES}2158`,
  );
}

const digitString = (v: IntOrString | undefined): v is string => typeof v === 'string' && /^\d+$/.test(v);

/** Rule `quoted-int-or-percent` (digest §11.8): "1" is 1 %, not one pod. */
function quotedIntOrPercent(r: Rollout): Surprise[] {
  const c = r.spec.strategy.canary;
  const out: Surprise[] = [];
  const replicas = r.spec.replicas ?? DefaultReplicas;
  for (const [field, value] of [
    ['maxSurge', c.maxSurge],
    ['maxUnavailable', c.maxUnavailable],
  ] as const) {
    if (!digitString(value)) continue;
    // maxSurge rounds up, maxUnavailable down (utils/replicaset resolveFenceposts).
    const pods = field === 'maxSurge' ? Math.ceil((Number(value) * replicas) / 100) : Math.floor((Number(value) * replicas) / 100);
    out.push(
      surprise(
        'quoted-int-or-percent',
        r.position,
        `spec.strategy.canary.${field}`,
        `Rollout ${r.metadata.name}: ${field} "${value}" is a string, which Kubernetes reads as ${value}% — ${pods} pod${pods === 1 ? '' : 's'} of ${replicas}, not ${value}; write ${value} unquoted for a pod count`,
        `${PULLS}1759`,
      ),
    );
  }
  return out;
}

/** Rules `setweight-zero-pods` and `setweight-rounding` (digest §10.16): a basic canary weighs by pod counts. */
function basicCanaryWeights(r: Rollout): Surprise[] {
  const c = r.spec.strategy.canary;
  if (c.trafficRouting !== undefined) return [];
  const replicas = r.spec.replicas ?? DefaultReplicas;
  const surge = maxSurge(r.spec.replicas, c.maxSurge, c.maxUnavailable);
  const out: Surprise[] = [];
  const seen = new Set<number>();
  (c.steps ?? []).forEach((step: CanaryStep, i) => {
    if (step.kind !== 'setWeight' || step.setWeight <= 0 || step.setWeight >= DefaultMaxTrafficWeight || seen.has(step.setWeight)) return;
    seen.add(step.setWeight);
    const counts = approximateWeightedCanaryStableReplicaCounts(replicas, step.setWeight, DefaultMaxTrafficWeight, surge);
    const canary = counts.newRSReplicaCount;
    const stable = counts.stableRSReplicaCount;
    const field = `spec.strategy.canary.steps[${i}].setWeight`;
    if (canary === 0) {
      out.push(
        surprise(
          'setweight-zero-pods',
          step.position,
          field,
          `Rollout ${r.metadata.name}: setWeight ${step.setWeight} without traffic routing runs 0 canary pods with ${replicas} replicas (maxSurge ${surge}) — the step passes without the new version serving any request`,
          `${PULLS}1759`,
        ),
      );
      return;
    }
    const actual = (100 * canary) / (canary + stable);
    if (Math.abs(actual - step.setWeight) >= 5) {
      out.push(
        surprise(
          'setweight-rounding',
          step.position,
          field,
          `Rollout ${r.metadata.name}: without traffic routing setWeight ${step.setWeight} is approximated by pods — ${canary} canary and ${stable} stable of ${replicas} replicas, so the canary serves about ${Math.round(actual)}% of requests, not ${step.setWeight}%`,
          `${ISSUES}2281`,
        ),
      );
    }
  });
  return out;
}

/** Rule `consecutive-analysis-steps` (digest §10.5). */
function consecutiveAnalysisSteps(r: Rollout): Surprise[] {
  const steps = r.spec.strategy.canary.steps ?? [];
  const out: Surprise[] = [];
  for (let i = 1; i < steps.length; i++) {
    if (steps[i]!.kind === 'analysis' && steps[i - 1]!.kind === 'analysis') {
      out.push(
        surprise(
          'consecutive-analysis-steps',
          steps[i]!.position,
          `spec.strategy.canary.steps[${i}].analysis`,
          `Rollout ${r.metadata.name}: two analysis steps in a row — a promote during step ${i} terminates its AnalysisRun only through the step-index change and starts the next one a reconcile later, so both can appear Running at once`,
          `${ISSUES}3220`,
        ),
      );
    }
  }
  return out;
}

/** Rule `deadline-without-abort` (digest §10.9). */
function deadlineWithoutAbort(r: Rollout): Surprise | undefined {
  if (r.spec.progressDeadlineSeconds === undefined || r.spec.progressDeadlineAbort === true) return undefined;
  return surprise(
    'deadline-without-abort',
    r.position,
    'spec.progressDeadlineSeconds',
    `Rollout ${r.metadata.name}: progressDeadlineSeconds ${r.spec.progressDeadlineSeconds} without progressDeadlineAbort: true — a canary that stops progressing turns the rollout Degraded but keeps running and serving; and each pod readiness change restarts the deadline, so it fires later than the number suggests`,
    `${ISSUES}1593`,
  );
}

/** Rule `scale-down-delay-zero` (digest §10.11): read defensively, the field may not be modelled yet. */
function scaleDownDelayZero(r: Rollout): Surprise | undefined {
  const c = r.spec.strategy.canary as { readonly scaleDownDelaySeconds?: unknown; readonly trafficRouting?: unknown };
  if (c.scaleDownDelaySeconds !== 0 || c.trafficRouting === undefined) return undefined;
  return surprise(
    'scale-down-delay-zero',
    r.position,
    'spec.strategy.canary.scaleDownDelaySeconds',
    `Rollout ${r.metadata.name}: scaleDownDelaySeconds: 0 does not mean "scale down at once" — the old ReplicaSet is never scaled down after promotion`,
    `${ISSUES}1992`,
  );
}

/** Rule `hpa-with-traffic-routing` (digest §10.14). */
function hpaWithTrafficRouting(r: Rollout, manifests: ManifestSet): Surprise | undefined {
  if (r.spec.strategy.canary.trafficRouting === undefined) return undefined;
  const hpa = manifests.ignored.find((o) => o.kind === 'HorizontalPodAutoscaler');
  if (!hpa) return undefined;
  return surprise(
    'hpa-with-traffic-routing',
    { file: hpa.file, line: hpa.line, column: 1 },
    '',
    `HorizontalPodAutoscaler ${hpa.name} with the traffic-routed Rollout ${r.metadata.name}: during a canary status.HPAReplicas counts the pods of every ReplicaSet, so the HPA sees up to twice the pods and may scale down`,
    `${ISSUES}2857`,
  );
}

/** Every known surprise the manifests trigger, in file order. */
export function lintSurprises(manifests: ManifestSet): Surprise[] {
  const out: Surprise[] = [];
  const push = (s: Surprise | undefined): void => {
    if (s) out.push(s);
  };
  for (const r of manifests.rollouts) {
    out.push(...quotedIntOrPercent(r), ...basicCanaryWeights(r), ...consecutiveAnalysisSteps(r));
    push(deadlineWithoutAbort(r));
    push(scaleDownDelayZero(r));
    push(hpaWithTrafficRouting(r, manifests));
    out.push(...blueGreenSurprises(r));
  }
  for (const t of [...manifests.analysisTemplates, ...manifests.clusterAnalysisTemplates]) {
    t.spec.metrics.forEach((m, i) => push(emptyResultIndex(t, m, i)));
    push(failingMetricTerminatesOthers(t));
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}
