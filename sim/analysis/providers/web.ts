// The `web` metric provider against the endpoints the scenario describes
// (metricproviders/webmetric/webmetric.go, v1.9.1 `Run`, `parseResponse`, `getValue`):
// Body/JSONBody need POST or PUT; a non-2xx status is an Error "received non 2xx response code: N";
// a body that is not JSON is stored as the value and the measurement is Successful whatever the
// conditions say; otherwise the first value at jsonPath (default `{$}`) is the condition's
// `result`, stored as its JSON text. The HTTP client's timeout (timeoutSeconds, default 10) turns a
// slow answer into an Error at the timeout. A URL the scenario does not describe fails as an
// unknown host would.
import { assessMeasurement, type ExprVersion, type JsonValue } from '../condition/index.js';
import type { AnalysisRunLabels } from '../analysisRun.js';
import type { ResolvedMetric, WebSource } from '../metric.js';
import type { Measurement } from '../types.js';
import { findResults, JsonPathError, parseJsonPath } from './jsonPath.js';
import type { ProvidersSpec, WebAnswerSpec } from './spec.js';
import { renderTemplated, type TrafficSource } from './traffic.js';
import { goJsonMarshal } from './goJson.js';

export interface WebContext {
  readonly spec: ProvidersSpec;
  readonly traffic: TrafficSource;
  readonly exprVersion: ExprVersion;
  /** Image of the revision with this pod-template hash. */
  imageOf(hash: string): string | undefined;
  warn(message: string): void;
}

/** Go's `%q` for printable ASCII. */
const goQuote = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** net/http's verb in url.Error texts: "Get", "Post", "Put". */
const verb = (method: string): string => method.charAt(0).toUpperCase() + method.slice(1).toLowerCase();

/** The answer in force: the last entry for the URL (and version, if it names one) that has started. */
export function answerFor(spec: ProvidersSpec, url: string, image: string | undefined, nowMs: number): WebAnswerSpec | undefined {
  let found: WebAnswerSpec | undefined;
  for (const a of spec.web) {
    if (a.url !== url || a.fromMs > nowMs) continue;
    if (a.version !== undefined && a.version !== image) continue;
    found = a;
  }
  return found;
}

export function runWeb(ctx: WebContext, metric: ResolvedMetric & { provider: WebSource }, nowMs: number, run: AnalysisRunLabels | undefined): Measurement {
  const p = metric.provider;
  const error = (message: string, finishedAt = nowMs): Measurement => ({ phase: 'Error', startedAt: nowMs, finishedAt, value: undefined, message });
  if (p.bothBodies) return error('use either Body or JSONBody; both cannot exists for WebMetric payload');
  if (p.hasBody && p.method.toUpperCase() === 'GET') return error('Body/JSONBody can only be used with POST or PUT WebMetric Method types');
  let segments;
  try {
    segments = parseJsonPath(p.jsonPath);
  } catch (e) {
    if (!(e instanceof JsonPathError)) throw e;
    return error(e.message);
  }
  const hash = run?.podTemplateHash ?? '';
  const answer = answerFor(ctx.spec, p.url, ctx.imageOf(hash), nowMs);
  if (!answer) {
    ctx.warn(`web metric "${metric.name}": the scenario describes no answer of ${p.url} (spec.providers.web); its measurements are Errors, as for an unknown host.`);
    const host = /^[a-z]+:\/\/([^/:?#]*)/i.exec(p.url)?.[1] ?? p.url;
    return error(`${verb(p.method)} ${goQuote(p.url)}: dial tcp: lookup ${host}: no such host`);
  }
  const timeoutMs = p.timeoutSeconds * 1000;
  if (answer.latencyMs >= timeoutMs) {
    return error(`${verb(p.method)} ${goQuote(p.url)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`, nowMs + timeoutMs);
  }
  const finishedAt = nowMs + answer.latencyMs;
  if (answer.status < 200 || answer.status >= 300) return error(`received non 2xx response code: ${answer.status}`, finishedAt);
  const rendered = answer.body === undefined ? '' : renderTemplated(answer.body, ctx.traffic, hash, nowMs);
  const text = typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // parseResponse: a body that is not JSON is returned as the value, Successful.
    return { phase: 'Successful', startedAt: nowMs, finishedAt, value: text, message: undefined };
  }
  let results: unknown[];
  try {
    results = findResults(segments, data);
  } catch (e) {
    if (!(e instanceof JsonPathError)) throw e;
    return error(`Could not find JSONPath in body: ${e.message}`, finishedAt);
  }
  if (results.length === 0) return error('result of web metric produced no value', finishedAt);
  const value = results[0] as JsonValue;
  const outcome = assessMeasurement(metric.successCondition, metric.failureCondition, value, { exprVersion: ctx.exprVersion });
  return { phase: outcome.phase, startedAt: nowMs, finishedAt, value: goJsonMarshal(value), message: outcome.message };
}
