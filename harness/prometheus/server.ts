// Serves a rehearsal's SeriesStore over Prometheus' HTTP API, answering as Prometheus 2.42 or 3.x
// does (reference promql-and-conditions.md §4), so a real Argo Rollouts controller — or any
// Prometheus client — can query a rehearsal. Behaviour restated from prometheus/prometheus
// web/api/v1/api.go (`Register`, `query`, `queryRange`, `series`, `labelNames`, `labelValues`,
// `respond`, `respondError`, `returnAPIError`), web/web.go (`/-/ready`), and the routers they use
// (prometheus/common/route over julienschmidt/httprouter: 405 with an Allow header, 404 text).
//
// Endpoints: GET|POST /api/v1/query, /api/v1/query_range, /api/v1/series, /api/v1/labels;
// GET /api/v1/label/<name>/values (POST is 405, as in Prometheus); OPTIONS on the API (204);
// GET|HEAD /-/ready. Query times are Unix times; `clock` maps them to the virtual clock.
//
// Evaluation is synchronous: a request runs to completion before the next is read.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { documentedType, type LabelMatcher } from '../../sim/metrics/promql/ast.js';
import {
  compileQuery,
  evaluateInstant,
  evaluateRange,
  formatPromScalar,
  formatPromValue,
  PromqlError,
  type CompiledQuery,
  type EvaluateOptions,
  type QueryResult,
  type RangeResult,
} from '../../sim/metrics/promql/index.js';
import { compareLabels, compareStrings, SampleBuffer, type SeriesHandle, type SeriesStore } from '../../sim/metrics/store.js';
import type { PromApiClock } from './clock.js';
import { errorJson, formatResultTime, formatSampleTime, goJsonString, labelsJson, stringArrayJson, successJson } from './encode.js';
import {
  FormValues,
  GO_MAX_FORM_BYTES,
  MAX_TIME_MS,
  MIN_TIME_MS,
  labelNameParam,
  parseApiDuration,
  parseGoQuery,
  parseLimitParam,
  parseMatchersParam,
  parseTime,
  parseTimeParam,
  type Parsed,
} from './params.js';

export interface PromApiServerOptions {
  readonly store: SeriesStore;
  readonly clock: PromApiClock;
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Which Prometheus to answer as: 2 (2.42) or 3 (newest 3.x). Default 3. */
  readonly prometheusVersion?: 2 | 3;
  /** Largest url-encoded request body read as form values. Default 10 MiB, Go's limit. */
  readonly maxBodyBytes?: number;
  /** `--query.lookback-delta`. Default 5 minutes. */
  readonly lookbackDeltaMs?: number;
  /** Called after each request (for an access log). */
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The `query` parameter, if any. */
  readonly query?: string;
  /** Evaluation time (instant queries) or range (range queries), in Unix ms and virtual ms. */
  readonly timeUnixMs?: number;
  readonly timeVirtualMs?: number;
  readonly error?: string;
}

export interface PromApiServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** Prometheus' own HTTP limit on request headers (Go's http.DefaultMaxHeaderBytes). */
const MAX_HEADER_BYTES = 1 << 20;
/**
 * Idle keep-alive connections stay open as long as Prometheus keeps them (`--web.read-timeout`,
 * default 5m; Go's server uses it as idle timeout). Node's default of 5 s races with clients
 * that reuse connections, such as Argo's client_golang, which does not retry a failed POST.
 */
const KEEP_ALIVE_TIMEOUT_MS = 5 * 60_000;
const COMPILED_CACHE_SIZE = 128;
const MAX_ANNOTATIONS = 10;

type ErrorType = 'bad_data' | 'execution' | 'internal' | 'not_found' | 'timeout' | 'canceled' | 'unavailable';

type ApiResult =
  | { readonly ok: true; readonly dataJson: string; readonly warnings?: readonly string[]; readonly infos?: readonly string[]; readonly log?: Partial<RequestLogEntry> }
  | { readonly ok: false; readonly errorType: ErrorType; readonly message: string; readonly log?: Partial<RequestLogEntry> };

interface Ctx {
  readonly store: SeriesStore;
  readonly clock: PromApiClock;
  readonly version: 2 | 3;
  readonly lookbackDeltaMs: number | undefined;
  readonly compiled: Map<string, CompiledQuery>;
}

interface ApiRequest {
  readonly form: FormValues;
  /** `Request.ParseForm`'s error, reported only by /series (the others ignore it, as Go's FormValue does). */
  readonly formError: string | undefined;
  readonly params: Readonly<Record<string, string>>;
}

interface Route {
  readonly pattern: RegExp;
  readonly methods: readonly string[];
  readonly api: boolean;
  readonly handler: (ctx: Ctx, req: ApiRequest) => ApiResult;
  readonly paramNames?: readonly string[];
}

const API_METHODS = ['GET', 'POST', 'OPTIONS'];

const ROUTES: readonly Route[] = [
  { pattern: /^\/api\/v1\/query$/, methods: API_METHODS, api: true, handler: apiQuery },
  { pattern: /^\/api\/v1\/query_range$/, methods: API_METHODS, api: true, handler: apiQueryRange },
  { pattern: /^\/api\/v1\/series$/, methods: API_METHODS, api: true, handler: apiSeries },
  { pattern: /^\/api\/v1\/labels$/, methods: API_METHODS, api: true, handler: apiLabelNames },
  // api.go registers only GET for label values.
  { pattern: /^\/api\/v1\/label\/([^/]*)\/values$/, methods: ['GET', 'OPTIONS'], api: true, handler: apiLabelValues, paramNames: ['name'] },
];

/** Starts the server; resolves once it listens. */
export async function startPromApiServer(opts: PromApiServerOptions): Promise<PromApiServer> {
  const host = opts.host ?? '127.0.0.1';
  const maxBodyBytes = opts.maxBodyBytes ?? GO_MAX_FORM_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) throw new RangeError(`maxBodyBytes must be a non-negative integer, got ${maxBodyBytes}`);
  const ctx: Ctx = {
    store: opts.store,
    clock: opts.clock,
    version: opts.prometheusVersion ?? 3,
    lookbackDeltaMs: opts.lookbackDeltaMs,
    compiled: new Map(),
  };
  const server: Server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    handle(ctx, maxBodyBytes, req, res, opts.onRequest).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, errorJson('internal', e instanceof Error ? e.message : String(e)));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const urlHost = addr.family === 'IPv6' || addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${urlHost}:${addr.port}`,
    host: addr.address,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing

async function handle(ctx: Ctx, maxBodyBytes: number, req: IncomingMessage, res: ServerResponse, onRequest?: (e: RequestLogEntry) => void): Promise<void> {
  const method = req.method ?? 'GET';
  const rawUrl = req.url ?? '/';
  const qIdx = rawUrl.indexOf('?');
  const rawPath = qIdx < 0 ? rawUrl : rawUrl.slice(0, qIdx);
  const rawQuery = qIdx < 0 ? '' : rawUrl.slice(qIdx + 1);
  const log = (status: number, extra: Partial<RequestLogEntry> = {}): void => onRequest?.({ method, path: rawPath, status, ...extra });

  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    await drain(req);
    sendText(res, 400, '400 Bad Request', { close: true });
    return log(400);
  }

  if (path === '/-/ready') {
    await drain(req);
    if (method === 'GET' || method === 'HEAD') {
      // web.go: "<AppName> is Ready.\n", AppName "Prometheus Server"; HEAD has no body.
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(method === 'HEAD' ? undefined : 'Prometheus Server is Ready.\n');
      return log(200);
    }
    sendMethodNotAllowed(res, ['GET', 'HEAD'], method);
    return log(405);
  }

  let route: Route | undefined;
  let match: RegExpExecArray | null = null;
  for (const r of ROUTES) {
    match = r.pattern.exec(path);
    if (match !== null) {
      route = r;
      break;
    }
  }
  if (route === undefined || match === null) {
    await drain(req);
    sendText(res, 404, '404 page not found');
    return log(404);
  }
  if (!route.methods.includes(method)) {
    await drain(req);
    sendMethodNotAllowed(res, route.methods, method);
    return log(405);
  }
  if (method === 'OPTIONS') {
    await drain(req);
    res.writeHead(204);
    res.end();
    return log(204);
  }

  // net/http ParseForm: a url-encoded body (POST/PUT/PATCH) first, then the URL's query.
  const form = new FormValues();
  let formError: string | undefined;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && contentType === 'application/x-www-form-urlencoded') {
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) formError = 'http: POST too large';
    else formError = parseGoQuery(body, form);
  } else {
    await drain(req);
  }
  const urlForm = new FormValues();
  const urlError = parseGoQuery(rawQuery, urlForm);
  formError ??= urlError;
  form.merge(urlForm);

  const params: Record<string, string> = {};
  route.paramNames?.forEach((n, i) => (params[n] = match[i + 1] ?? ''));

  let result: ApiResult;
  try {
    result = route.handler(ctx, { form, formError, params });
  } catch (e) {
    result = { ok: false, errorType: 'internal', message: e instanceof Error ? e.message : String(e) };
  }
  if (result.ok) {
    sendJson(res, 200, successJson(result.dataJson, result.warnings ?? [], result.infos ?? []));
    return log(200, result.log);
  }
  const status = statusOf(result.errorType, ctx.version);
  sendJson(res, status, errorJson(result.errorType, result.message));
  return log(status, { ...result.log, error: result.message });
}

/** api.go respondError's status codes (3.x answers a canceled query with 499). */
function statusOf(t: ErrorType, version: 2 | 3): number {
  switch (t) {
    case 'bad_data':
      return 400;
    case 'execution':
      return 422;
    case 'canceled':
      return version === 2 ? 503 : 499;
    case 'timeout':
      return 503;
    case 'not_found':
      return 404;
    default:
      return 500;
  }
}

function sendJson(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Go's http.Error. */
function sendText(res: ServerResponse, status: number, text: string, opts: { close?: boolean } = {}): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
    ...(opts.close ? { Connection: 'close' } : {}),
  });
  res.end(body);
}

/** httprouter's 405: Allow lists the other registered methods, then OPTIONS. */
function sendMethodNotAllowed(res: ServerResponse, methods: readonly string[], method: string): void {
  const allow = methods.filter((m) => m !== method && m !== 'OPTIONS');
  res.setHeader('Allow', [...allow, 'OPTIONS'].join(', '));
  sendText(res, 405, 'Method Not Allowed');
}

/** The body as latin1 text (one character per byte), or undefined when longer than `max` bytes. */
async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (tooLarge) continue; // keep draining so the client can read our answer
    size += chunk.length;
    if (size > max) {
      tooLarge = true;
      chunks.length = 0;
    } else {
      chunks.push(chunk);
    }
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('latin1');
}

async function drain(req: IncomingMessage): Promise<void> {
  if (req.complete) return;
  for await (const _chunk of req as AsyncIterable<Buffer>) {
    // discard
  }
}

// ---------------------------------------------------------------------------------------------
// Endpoints

const badData = (message: string): ApiResult => ({ ok: false, errorType: 'bad_data', message });
/** api.go invalidParamError. */
const invalidParam = (message: string, name: string): ApiResult => badData(`invalid parameter ${JSON.stringify(name)}: ${message}`);

function compile(ctx: Ctx, text: string): CompiledQuery | PromqlError {
  const cached = ctx.compiled.get(text);
  if (cached !== undefined) {
    ctx.compiled.delete(text);
    ctx.compiled.set(text, cached);
    return cached;
  }
  let q: CompiledQuery;
  try {
    q = compileQuery(text, { prometheusVersion: ctx.version });
  } catch (e) {
    if (e instanceof PromqlError) return e;
    throw e;
  }
  ctx.compiled.set(text, q);
  if (ctx.compiled.size > COMPILED_CACHE_SIZE) ctx.compiled.delete(ctx.compiled.keys().next().value as string);
  return q;
}

/** A query rehearse parses but cannot evaluate: the query is valid PromQL, so "execution" (422). */
function compileFailure(e: PromqlError, wrap: (message: string) => ApiResult): ApiResult {
  return e.kind === 'parse' ? wrap(e.message) : { ok: false, errorType: 'execution', message: e.message };
}

/**
 * Runtime errors of the engine (matching errors, duplicate label sets): returnAPIError →
 * "execution". evaluateRange reports its own range checks as kind 'parse' (bad_data); the API
 * checks them first, so that only happens when a scaled clock rounds a range differently.
 */
function evaluationFailure(e: unknown): ApiResult {
  if (e instanceof PromqlError) return { ok: false, errorType: e.kind === 'parse' ? 'bad_data' : 'execution', message: e.message };
  throw e;
}

/** 3.x `limit` (absent in 2.42, where the parameter is ignored). */
function limitParam(ctx: Ctx, req: ApiRequest): Parsed<number> {
  return ctx.version === 2 ? { ok: true, value: 0 } : parseLimitParam(req.form.get('limit'));
}

/** `timeout` is validated as Prometheus does; evaluation is synchronous, so it never fires. */
function checkTimeout(req: ApiRequest): ApiResult | undefined {
  const to = req.form.get('timeout');
  if (to === '') return undefined;
  const d = parseApiDuration(to);
  return d.ok ? undefined : invalidParam(d.error, 'timeout');
}

/** api.go extractQueryOpts: 3.x reads `lookback_delta` (0 or absent = the server's default). */
function evaluateOptions(ctx: Ctx, req: ApiRequest): Parsed<EvaluateOptions> {
  const base: EvaluateOptions = { prometheusVersion: ctx.version, ...(ctx.lookbackDeltaMs !== undefined ? { lookbackDeltaMs: ctx.lookbackDeltaMs } : {}) };
  const s = ctx.version === 3 ? req.form.get('lookback_delta') : '';
  if (s === '') return { ok: true, value: base };
  const d = parseApiDuration(s);
  if (!d.ok) return { ok: false, error: `error parsing lookback delta duration: ${d.error}` };
  const ms = Number(d.value / 1_000_000n);
  return { ok: true, value: ms > 0 ? { ...base, lookbackDeltaMs: ms } : base };
}

/** annotations.AsStrings (3.x): at most 10 of each, then "N more … annotations omitted". */
function annotations(ctx: Ctx, warnings: readonly string[], infos: readonly string[], extraWarnings: readonly string[]): { warnings: string[]; infos: string[] } {
  const cap = (list: readonly string[], kind: string): string[] =>
    ctx.version === 2 || list.length <= MAX_ANNOTATIONS ? [...list] : [...list.slice(0, MAX_ANNOTATIONS), `${list.length - MAX_ANNOTATIONS} more ${kind} annotations omitted`];
  return {
    warnings: [...cap(warnings, 'warning'), ...extraWarnings],
    // 2.42's API has no `infos` (reference table 1.16 row 8).
    infos: ctx.version === 2 ? [] : cap(infos, 'info'),
  };
}

const TRUNCATED = 'results truncated due to limit';

function apiQuery(ctx: Ctx, req: ApiRequest): ApiResult {
  const limit = limitParam(ctx, req);
  if (!limit.ok) return invalidParam(limit.error, 'limit');
  const ts = parseTimeParam(req.form, 'time', ctx.clock.nowUnixMs(), ctx.version);
  if (!ts.ok) return invalidParam(ts.error, 'time');
  const timeUnixMs = ts.value;
  if (!Number.isFinite(timeUnixMs)) return invalidParam(`rehearse cannot evaluate at ${req.form.get('time')}`, 'time');
  const bad = checkTimeout(req);
  if (bad !== undefined) return bad;
  const evalOpts = evaluateOptions(ctx, req);
  if (!evalOpts.ok) return badData(evalOpts.error);
  const text = req.form.get('query');
  const q = compile(ctx, text);
  const timeVirtualMs = ctx.clock.toVirtualMs(timeUnixMs);
  const log = { query: text, timeUnixMs, timeVirtualMs };
  if (q instanceof PromqlError) return { ...compileFailure(q, (m) => invalidParam(m, 'query')), log };

  let r: QueryResult;
  try {
    r = evaluateInstant(q, ctx.store, timeVirtualMs, { ...evalOpts.value, epochMs: ctx.clock.toUnixMs(0) });
  } catch (e) {
    return { ...evaluationFailure(e), log };
  }
  let truncated = false;
  let dataJson: string;
  switch (r.resultType) {
    case 'vector': {
      let samples = r.samples;
      if (limit.value > 0 && samples.length > limit.value) {
        samples = samples.slice(0, limit.value);
        truncated = true;
      }
      const t = formatSampleTime(timeUnixMs);
      dataJson = resultJson('vector', `[${samples.map((s) => `{"metric":${labelsJson(s.labels, ctx.version)},"value":[${t},"${formatPromValue(s.value)}"]}`).join(',')}]`);
      break;
    }
    case 'matrix': {
      let series = r.series;
      if (limit.value > 0 && series.length > limit.value) {
        series = series.slice(0, limit.value);
        truncated = true;
      }
      dataJson = resultJson('matrix', matrixJson(ctx, series, (t) => ctx.clock.toUnixMs(t)));
      break;
    }
    case 'scalar':
      dataJson = resultJson('scalar', `[${formatResultTime(timeUnixMs)},"${formatPromScalar(r.value)}"]`);
      break;
    case 'string':
      // encoding/json of the string (Go ≥ 1.22 in 3.x builds writes \b and \f short).
      dataJson = resultJson('string', `[${formatResultTime(timeUnixMs)},${goJsonString(r.value, { html: true, shortBF: ctx.version === 3 })}]`);
      break;
  }
  return { ok: true, dataJson, ...annotations(ctx, r.warnings, r.infos, truncated ? [TRUNCATED] : []), log };
}

function apiQueryRange(ctx: Ctx, req: ApiRequest): ApiResult {
  const limit = limitParam(ctx, req);
  if (!limit.ok) return invalidParam(limit.error, 'limit');
  // query_range reads start/end with parseTime directly: no "Invalid time value for" wrapping.
  const start = parseTime(req.form.get('start'));
  if (!start.ok) return invalidParam(start.error, 'start');
  const end = parseTime(req.form.get('end'));
  if (!end.ok) return invalidParam(end.error, 'end');
  if (end.value < start.value) return invalidParam('end timestamp must not be before start time', 'end');
  const step = parseApiDuration(req.form.get('step'));
  if (!step.ok) return invalidParam(step.error, 'step');
  if (step.value <= 0n) return invalidParam('zero or negative query resolution step widths are not accepted. Try a positive integer', 'step');
  const startMs = start.value;
  const endMs = end.value;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) return invalidParam('rehearse cannot evaluate at the minimum or maximum time', Number.isFinite(startMs) ? 'end' : 'start');
  // For safety, Prometheus limits the points per series: end.Sub(start)/step > 11000 (int64 ns).
  if ((BigInt(endMs - startMs) * 1_000_000n) / step.value > 11_000n) {
    return badData('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
  }
  const bad = checkTimeout(req);
  if (bad !== undefined) return bad;
  const evalOpts = evaluateOptions(ctx, req);
  if (!evalOpts.ok) return badData(evalOpts.error);

  // 2.42 returns the engine's error as is; from 2.45 on it is wrapped like the instant query's.
  const wrap = (m: string): ApiResult => (ctx.version === 2 ? badData(m) : invalidParam(m, 'query'));
  const text = req.form.get('query');
  const q = compile(ctx, text);
  const vStart = ctx.clock.toVirtualMs(startMs);
  const log = { query: text, timeUnixMs: startMs, timeVirtualMs: vStart };
  if (q instanceof PromqlError) return { ...compileFailure(q, wrap), log };
  if (q.resultType !== 'vector' && q.resultType !== 'scalar') {
    return { ...wrap(`invalid expression type ${JSON.stringify(documentedType(q.resultType))} for range query, must be Scalar or instant Vector`), log };
  }

  // engine.go: steps start, start+step, … ≤ end, in whole ms (durationMilliseconds truncates).
  const stepMs = Math.max(1, Number(step.value / 1_000_000n));
  const steps = Math.floor((endMs - startMs) / stepMs);
  const vStep = Math.max(1, Math.round(stepMs * ctx.clock.scale));
  const vEnd = vStart + steps * vStep;
  let r: RangeResult;
  try {
    r = evaluateRange(q, ctx.store, vStart, vEnd, vStep, { ...evalOpts.value, epochMs: ctx.clock.toUnixMs(0) });
  } catch (e) {
    return { ...evaluationFailure(e), log };
  }
  let series = r.series;
  let truncated = false;
  if (limit.value > 0 && series.length > limit.value) {
    series = series.slice(0, limit.value);
    truncated = true;
  }
  // Answer with the requested step times (exact even when a live clock is scaled).
  const toApi = (t: number): number => startMs + Math.round((t - vStart) / vStep) * stepMs;
  return { ok: true, dataJson: resultJson('matrix', matrixJson(ctx, series, toApi)), ...annotations(ctx, r.warnings, r.infos, truncated ? [TRUNCATED] : []), log };
}

function resultJson(type: string, result: string): string {
  return `{"resultType":"${type}","result":${result}}`;
}

function matrixJson(ctx: Ctx, series: readonly { labels: Record<string, string>; points: readonly { t: number; value: number }[] }[], toApi: (virtualMs: number) => number): string {
  return `[${series
    .map((s) => {
      const values = s.points.map((p) => `[${formatSampleTime(toApi(p.t))},"${formatPromValue(p.value)}"]`).join(',');
      return `{"metric":${labelsJson(s.labels, ctx.version)}${s.points.length > 0 ? `,"values":[${values}]` : ''}}`;
    })
    .join(',')}]`;
}

interface VirtualRange {
  readonly minV: number;
  readonly maxV: number;
}

/** start/end of /series and the label endpoints (optional; default: all time), as virtual ms. */
function timeRange(ctx: Ctx, req: ApiRequest): VirtualRange | ApiResult {
  const start = parseTimeParam(req.form, 'start', MIN_TIME_MS, ctx.version);
  if (!start.ok) return invalidParam(start.error, 'start');
  const end = parseTimeParam(req.form, 'end', MAX_TIME_MS, ctx.version);
  if (!end.ok) return invalidParam(end.error, 'end');
  return { minV: ctx.clock.toVirtualMs(start.value), maxV: ctx.clock.toVirtualMs(end.value) };
}

const isApiResult = <T extends object>(x: T | ApiResult): x is ApiResult => 'ok' in x;

/**
 * Series matching any of the matcher sets (all series without sets) that have a sample in
 * [minV, maxV], deduplicated and sorted by label set. Prometheus decides "in range" per block
 * (2 h and larger), so near the edges it may list series this does not.
 */
function selectSeries(store: SeriesStore, sets: readonly (readonly LabelMatcher[])[] | undefined, minV: number, maxV: number): SeriesHandle[] {
  const found = new Map<string, SeriesHandle>();
  for (const set of sets ?? [[]]) for (const h of store.select(set)) found.set(h.labels.key, h);
  const out = [...found.values()];
  if (minV !== Number.NEGATIVE_INFINITY || maxV !== Number.POSITIVE_INFINITY) {
    const buf = new SampleBuffer(16);
    const inRange = (h: SeriesHandle): boolean => {
      // Newest sample at or before min(maxV, last sample) first (cheap), else scan the window.
      const ref = Math.min(maxV, h.lastTime);
      if (ref < minV) return false;
      if (h.latest(ref, ref - minV, false, buf)) return true;
      return h.readRange(minV, ref, false, buf) > 0;
    };
    return out.filter(inRange).sort((a, b) => compareLabels(a.labels, b.labels));
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

function apiSeries(ctx: Ctx, req: ApiRequest): ApiResult {
  if (req.formError !== undefined) return badData(`error parsing form values: ${req.formError}`);
  const matches = req.form.getAll('match[]');
  if (matches.length === 0) return badData('no match[] parameter provided');
  const limit = limitParam(ctx, req);
  if (!limit.ok) return invalidParam(limit.error, 'limit');
  const range = timeRange(ctx, req);
  if (isApiResult(range)) return range;
  const sets = parseMatchersParam(matches, ctx.version);
  if (!sets.ok) return invalidParam(sets.error, 'match[]');
  let series = selectSeries(ctx.store, sets.value, range.minV, range.maxV);
  const warnings: string[] = [];
  if (limit.value > 0 && series.length > limit.value) {
    series = series.slice(0, limit.value);
    warnings.push(TRUNCATED);
  }
  return { ok: true, dataJson: `[${series.map((h) => labelsJson(h.labels.toRecord(), ctx.version)).join(',')}]`, warnings };
}

/**
 * What /labels and /label/<name>/values share, in Prometheus' order of checks: `limit`, the time
 * range, then the `match[]` selectors; the series they select (all series without `match[]`).
 */
function labelQuerySeries(ctx: Ctx, req: ApiRequest): { series: SeriesHandle[]; limit: number } | ApiResult {
  const limit = limitParam(ctx, req);
  if (!limit.ok) return invalidParam(limit.error, 'limit');
  const range = timeRange(ctx, req);
  if (isApiResult(range)) return range;
  const matches = req.form.getAll('match[]');
  const sets = parseMatchersParam(matches, ctx.version);
  // labelNames/labelValues return the parser's error without the parameter name.
  if (!sets.ok) return badData(sets.error);
  return { series: selectSeries(ctx.store, matches.length > 0 ? sets.value : undefined, range.minV, range.maxV), limit: limit.value };
}

function apiLabelNames(ctx: Ctx, req: ApiRequest): ApiResult {
  const q = labelQuerySeries(ctx, req);
  if (isApiResult(q)) return q;
  const names = new Set<string>();
  for (const h of q.series) for (const n of h.labels.names) names.add(n);
  return truncatedStrings([...names].sort(compareStrings), q.limit);
}

function apiLabelValues(ctx: Ctx, req: ApiRequest): ApiResult {
  const name = labelNameParam(req.params.name ?? '', ctx.version);
  if (!name.ok) return badData(name.error);
  const q = labelQuerySeries(ctx, req);
  if (isApiResult(q)) return q;
  const values = new Set<string>();
  for (const h of q.series) {
    const v = h.labels.get(name.value);
    if (v !== '') values.add(v);
  }
  return truncatedStrings([...values].sort(compareStrings), q.limit);
}

function truncatedStrings(list: string[], limit: number): ApiResult {
  if (limit > 0 && list.length > limit) return { ok: true, dataJson: stringArrayJson(list.slice(0, limit)), warnings: [TRUNCATED] };
  return { ok: true, dataJson: stringArrayJson(list) };
}
