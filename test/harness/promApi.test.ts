// The Prometheus HTTP API server, judged by the same client that queries real Prometheus servers
// in the differential tests (harness/prometheus/client.ts), against a store with known series.
// Expected texts are Prometheus' exact bytes (reference promql-and-conditions.md §4; upstream
// web/api/v1/api.go and util/jsonutil/marshal.go at v2.42.0 and v3.14.0). Plain `fetch` is used
// only where the client cannot express the request (repeated match[], odd methods, raw bodies).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../harness/cli.js';
import { fixedClock, liveClock, type PromApiClock } from '../../harness/prometheus/clock.js';
import { PrometheusClient } from '../../harness/prometheus/client.js';
import { formatSampleTime, goJsonString } from '../../harness/prometheus/encode.js';
import { goQuote, parseApiDuration, parseTime } from '../../harness/prometheus/params.js';
import { startPromApiServer, type PromApiServer, type PromApiServerOptions } from '../../harness/prometheus/server.js';
import { SeriesStore } from '../../sim/metrics/store.js';

const EPOCH_S = 1_700_000_000;
const EPOCH_MS = EPOCH_S * 1000;
const NOW_VIRTUAL_MS = 600_000;

/**
 * http_requests_total{code="200"} = t_ms/100 and {code="500"} = t_ms/15000, every 15 s over
 * 0..10 min; `special` holds values with tricky encodings (at t=0 only); `escaped` a label value
 * needing JSON escapes; `late` has one sample at 15 min (outside "now").
 */
function buildStore(): SeriesStore {
  const store = new SeriesStore();
  const ok = store.series({ __name__: 'http_requests_total', job: 'checkout', code: '200' });
  const failed = store.series({ __name__: 'http_requests_total', job: 'checkout', code: '500' });
  for (let t = 0; t <= 600_000; t += 15_000) {
    ok.append(t, t / 100);
    failed.append(t, t / 15_000);
  }
  const special: [string, number][] = [
    ['inf', Number.POSITIVE_INFINITY],
    ['minf', Number.NEGATIVE_INFINITY],
    ['nan', Number.NaN],
    ['negzero', -0],
    ['tiny', 1e-7],
    ['big', 1e21],
    ['ratio', 0.049999999999999996],
  ];
  for (const [kind, v] of special) store.series({ __name__: 'special', kind }).append(0, v);
  store.series({ __name__: 'escaped', text: '<a&b>\u2028"q"' }).append(0, 1);
  store.series({ __name__: 'late', job: 'batch' }).append(900_000, 1);
  return store;
}

const servers: PromApiServer[] = [];

async function serve(opts: Partial<PromApiServerOptions> = {}): Promise<{ server: PromApiServer; client: PrometheusClient }> {
  const server = await startPromApiServer({
    store: buildStore(),
    clock: fixedClock({ epochUnixMs: EPOCH_MS, nowVirtualMs: NOW_VIRTUAL_MS }),
    ...opts,
  });
  servers.push(server);
  return { server, client: new PrometheusClient(server.url) };
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

interface Raw {
  status: number;
  headers: Headers;
  text: string;
}

async function raw(url: string, init: RequestInit = {}): Promise<Raw> {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const form = (body: string): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

const err = (errorType: string, error: string): string => JSON.stringify({ status: 'error', errorType, error });

// ---------------------------------------------------------------------------------------------

describe('Prometheus API server: instant queries (/api/v1/query)', () => {
  let v2: PrometheusClient;
  let v3: PrometheusClient;
  beforeAll(async () => {
    v2 = (await serve({ prometheusVersion: 2 })).client;
    v3 = (await serve({ prometheusVersion: 3 })).client;
  });

  const VECTOR_AT_60_5 =
    '{"status":"success","data":{"resultType":"vector","result":[' +
    '{"metric":{"__name__":"http_requests_total","code":"200","job":"checkout"},"value":[1700000060.500,"600"]},' +
    '{"metric":{"__name__":"http_requests_total","code":"500","job":"checkout"},"value":[1700000060.500,"4"]}]}}';

  it('answers POST (as client_golang sends) and GET with the same exact text and application/json', async () => {
    const post = await v3.query('http_requests_total', EPOCH_S + 60.5);
    expect(post.httpStatus).toBe(200);
    expect(post.text).toBe(VECTOR_AT_60_5);
    const get = await v3.get('/api/v1/query', { query: 'http_requests_total', time: '1700000060.5' });
    expect(get.text).toBe(VECTOR_AT_60_5);
    const res = await fetch(`${v3.baseUrl}/api/v1/query?query=vector(1)&time=1700000000`);
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('writes vector timestamps with exactly three decimals when the ms part is not zero', async () => {
    expect((await v3.get('/api/v1/query', { query: 'vector(1)', time: '1700000060' })).text).toContain('"value":[1700000060,"1"]');
    expect((await v3.get('/api/v1/query', { query: 'vector(1)', time: '1700000060.1' })).text).toContain('"value":[1700000060.100,"1"]');
    expect((await v3.get('/api/v1/query', { query: 'vector(1)', time: '1700000060.05' })).text).toContain('"value":[1700000060.050,"1"]');
    expect((await v3.get('/api/v1/query', { query: 'vector(1)', time: '0.001' })).text).toContain('"value":[0.001,"1"]');
    expect((await v3.get('/api/v1/query', { query: 'vector(1)', time: '-1.5' })).text).toContain('"value":[-1.500,"1"]');
  });

  it('encodes sample values as Go does: +Inf, -Inf, NaN, -0, 1e-07, 1e+21, shortest digits', async () => {
    const r = await v3.query('special', EPOCH_S + 60);
    const values = Object.fromEntries(
      [...r.text.matchAll(/"kind":"(\w+)"\},"value":\[1700000060,"([^"]+)"\]/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    expect(values).toEqual({ big: '1e+21', inf: '+Inf', minf: '-Inf', nan: 'NaN', negzero: '-0', ratio: '0.049999999999999996', tiny: '1e-07' });
    // Result order: the selector's, i.e. sorted by label set (reference §1.14).
    expect([...r.text.matchAll(/"kind":"(\w+)"/g)].map((m) => m[1])).toEqual(['big', 'inf', 'minf', 'nan', 'negzero', 'ratio', 'tiny']);
  });

  it('encodes scalar results with a shortest-float timestamp and a never-exponent value', async () => {
    expect((await v3.query('1e-7', EPOCH_S + 60.25)).text).toBe('{"status":"success","data":{"resultType":"scalar","result":[1700000060.25,"0.0000001"]}}');
    expect((await v3.query('1e21', EPOCH_S + 60.5)).text).toBe('{"status":"success","data":{"resultType":"scalar","result":[1700000060.5,"1000000000000000000000"]}}');
    expect((await v3.query('-Inf', EPOCH_S)).text).toBe('{"status":"success","data":{"resultType":"scalar","result":[1700000000,"-Inf"]}}');
    expect((await v3.query('0 * -1', EPOCH_S)).text).toBe('{"status":"success","data":{"resultType":"scalar","result":[1700000000,"-0"]}}');
  });

  it('evaluates time(), timestamp(), @ and the date functions in Unix time, not virtual time', async () => {
    // Virtual 0 is EPOCH_S (2023-11-14T22:13:20Z): time() is the request's Unix time.
    expect((await v3.query('time()', EPOCH_S + 60.25)).text).toBe('{"status":"success","data":{"resultType":"scalar","result":[1700000060.25,"1700000060.25"]}}');
    expect((await v2.query('time()', EPOCH_S + 60)).text).toBe('{"status":"success","data":{"resultType":"scalar","result":[1700000060,"1700000060"]}}');
    expect((await v3.query('timestamp(http_requests_total{code="500"})', EPOCH_S + 60.5)).text).toContain('"value":[1700000060.500,"1700000060"]');
    expect((await v3.query('http_requests_total{code="500"} @ 1700000030', EPOCH_S + 600)).text).toContain('"value":[1700000600,"2"]');
    expect((await v3.query('hour() * 100 + minute()', EPOCH_S)).text).toContain('"value":[1700000000,"2213"]');
    const range = await v3.queryRange('time()', EPOCH_S, EPOCH_S + 60, 30);
    expect(range.text).toContain('"values":[[1700000000,"1700000000"],[1700000030,"1700000030"],[1700000060,"1700000060"]]');
  });

  it('encodes string results like encoding/json (HTML-escaped)', async () => {
    expect((await v3.query('"a<b"', EPOCH_S + 60.25)).text).toBe('{"status":"success","data":{"resultType":"string","result":[1700000060.25,"a\\u003cb"]}}');
  });

  it('encodes matrix results (range selectors) with the samples\' own timestamps', async () => {
    const r = await v2.query('http_requests_total{code="500"}[30s]', EPOCH_S + 60);
    expect(r.text).toBe(
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"http_requests_total","code":"500","job":"checkout"},' +
        '"values":[[1700000030,"2"],[1700000045,"3"],[1700000060,"4"]]}]}}',
    );
  });

  it('escapes label values as each version does: 2.42 HTML-escapes (encoding/json), 3.x does not (jsoniter)', async () => {
    expect((await v2.query('escaped', EPOCH_S)).text).toContain('{"metric":{"__name__":"escaped","text":"\\u003ca\\u0026b\\u003e\\u2028\\"q\\""},"value":[1700000000,"1"]}');
    expect((await v3.query('escaped', EPOCH_S)).text).toContain('{"metric":{"__name__":"escaped","text":"<a&b>\u2028\\"q\\""},"value":[1700000000,"1"]}');
  });

  it('returns [] for an empty vector and {} for a series without labels', async () => {
    expect((await v3.query('nothing_here', EPOCH_S)).text).toBe('{"status":"success","data":{"resultType":"vector","result":[]}}');
    expect((await v3.query('sum(http_requests_total)', EPOCH_S + 60)).text).toBe('{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000060,"604"]}]}}');
  });

  it('reads form values from the body first, then the URL query (net/http ParseForm)', async () => {
    const r = await raw(`${v3.baseUrl}/api/v1/query?query=vector(2)&time=1700000001`, form('query=vector(1)'));
    expect(r.text).toBe('{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000001,"1"]}]}}');
    // "+" is a space, %XX a byte, UTF-8 decoded.
    const s = await raw(`${v3.baseUrl}/api/v1/query`, form('query=sum(%0Ahttp_requests_total+)&time=1700000060'));
    expect(s.text).toContain('"value":[1700000060,"604"]');
  });

  it('accepts RFC 3339 times (fraction floored to ms, any offset) and rounds float seconds to ms', async () => {
    const ts = async (time: string): Promise<string | undefined> => /"value":\[([^,]+),/.exec((await v3.get('/api/v1/query', { query: 'vector(1)', time })).text)?.[1];
    expect(await ts('2023-11-14T22:14:20Z')).toBe('1700000060');
    expect(await ts('2023-11-14T22:14:20.123999Z')).toBe('1700000060.123');
    expect(await ts('2023-11-14T23:14:20+01:00')).toBe('1700000060');
    expect(await ts('1700000060.1234')).toBe('1700000060.123');
    expect(await ts('1700000060.9996')).toBe('1700000061');
    expect(await ts('1.7000000601e9')).toBe('1700000060.100');
  });

  it('reports annotations as the version does: `infos` after `data` in 3.x, no `infos` key in 2.42', async () => {
    // Non-monotonic buckets: 3.x's histogram_quantile reports an info annotation.
    const store = new SeriesStore();
    for (const [le, v] of [['1', 10], ['2', 5], ['+Inf', 20]] as const) store.series({ __name__: 'h_bucket', le }).append(0, v);
    const clock = fixedClock({ epochUnixMs: EPOCH_MS, nowVirtualMs: 0 });
    const s3 = new PrometheusClient((await serve({ store, clock, prometheusVersion: 3 })).server.url);
    const s2 = new PrometheusClient((await serve({ store, clock, prometheusVersion: 2 })).server.url);
    const r3 = await s3.query('histogram_quantile(0.5, h_bucket)', EPOCH_S);
    expect(r3.text).toMatch(/^\{"status":"success","data":\{"resultType":"vector","result":\[.*\]\},"infos":\["PromQL info: [^"]*monotonicity[^"]*"\]\}$/);
    const r2 = await s2.query('histogram_quantile(0.5, h_bucket)', EPOCH_S);
    expect(r2.text).not.toContain('"infos"');
    expect(r2.text).not.toContain('"warnings"');
  });

  it('3.x: `limit` truncates with a warning; `lookback_delta` changes the lookback', async () => {
    const r = await v3.get('/api/v1/query', { query: 'http_requests_total', time: '1700000060', limit: '1' });
    expect(r.text).toBe(
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"http_requests_total","code":"200","job":"checkout"},"value":[1700000060,"600"]}]},' +
        '"warnings":["results truncated due to limit"]}',
    );
    // 2.42 ignores limit.
    expect((await v2.get('/api/v1/query', { query: 'http_requests_total', time: '1700000060', limit: '1' })).text).not.toContain('truncated');
    // `special` was sampled at t=0 only: visible at 4 min with the default 5 m lookback, not with 1m.
    expect((await v3.get('/api/v1/query', { query: 'count(special)', time: '1700000240' })).text).toContain('"value":[1700000240,"7"]');
    expect((await v3.get('/api/v1/query', { query: 'count(special)', time: '1700000240', lookback_delta: '1m' })).text).toContain('"result":[]');
  });
});

describe('Prometheus API server: range queries (/api/v1/query_range)', () => {
  let v2: PrometheusClient;
  let v3: PrometheusClient;
  beforeAll(async () => {
    v2 = (await serve({ prometheusVersion: 2 })).client;
    v3 = (await serve({ prometheusVersion: 3 })).client;
  });

  const SUM_0_120 =
    '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000000,"0"],[1700000030,"302"],[1700000060,"604"],[1700000090,"906"],[1700000120,"1208"]]}]}}';

  it('answers POST and GET, with step as float seconds or a duration, both ends inclusive', async () => {
    expect((await v3.queryRange('sum(http_requests_total)', EPOCH_S, EPOCH_S + 120, 30)).text).toBe(SUM_0_120);
    expect((await v3.get('/api/v1/query_range', { query: 'sum(http_requests_total)', start: '1700000000', end: '1700000120', step: '30s' })).text).toBe(SUM_0_120);
    expect((await v2.post('/api/v1/query_range', { query: 'sum(http_requests_total)', start: '2023-11-14T22:13:20Z', end: '1700000120', step: '0.5m' })).httpStatus).toBe(400);
    expect((await v2.post('/api/v1/query_range', { query: 'sum(http_requests_total)', start: '2023-11-14T22:13:20Z', end: '1700000120', step: '30.0' })).text).toBe(SUM_0_120);
  });

  it('writes step timestamps with three decimals and sorts the matrix by label set', async () => {
    const r = await v3.queryRange('http_requests_total', EPOCH_S + 0.5, EPOCH_S + 30.5, 15);
    expect(r.text).toBe(
      '{"status":"success","data":{"resultType":"matrix","result":[' +
        '{"metric":{"__name__":"http_requests_total","code":"200","job":"checkout"},"values":[[1700000000.500,"0"],[1700000015.500,"150"],[1700000030.500,"300"]]},' +
        '{"metric":{"__name__":"http_requests_total","code":"500","job":"checkout"},"values":[[1700000000.500,"0"],[1700000015.500,"1"],[1700000030.500,"2"]]}]}}',
    );
    // Scalars become one series {}; missing steps are simply absent.
    expect((await v3.queryRange('scalar(late)', EPOCH_S + 840, EPOCH_S + 900, 60)).text).toBe(
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000840,"NaN"],[1700000900,"1"]]}]}}',
    );
    expect((await v3.queryRange('late', EPOCH_S + 840, EPOCH_S + 900, 60)).text).toBe(
      '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"late","job":"batch"},"values":[[1700000900,"1"]]}]}}',
    );
  });

  it('refuses more than 11,000 points per series, allows exactly 11,000 steps', async () => {
    expect((await v3.queryRange('vector(1)', EPOCH_S, EPOCH_S + 11_000, 1)).httpStatus).toBe(200);
    const r = await v3.queryRange('vector(1)', EPOCH_S, EPOCH_S + 11_001, 1);
    expect(r.httpStatus).toBe(400);
    expect(r.text).toBe(err('bad_data', 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)'));
  });

  it.each([
    [{ start: '1700000100', end: '1700000000', step: '15' }, 'invalid parameter "end": end timestamp must not be before start time'],
    [{ start: '1700000000', end: '1700000100', step: '0' }, 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer'],
    [{ start: '1700000000', end: '1700000100', step: '-1m' }, 'invalid parameter "step": cannot parse "-1m" to a valid duration'],
    [{ start: '1700000000', end: '1700000100', step: 'abc' }, 'invalid parameter "step": cannot parse "abc" to a valid duration'],
    [{ start: '1700000000', end: '1700000100', step: '1e300' }, 'invalid parameter "step": cannot parse "1e300" to a valid duration. It overflows int64'],
    [{ end: '1700000100', step: '15' }, 'invalid parameter "start": cannot parse "" to a valid timestamp'],
    [{ start: 'yesterday', end: '1700000100', step: '15' }, 'invalid parameter "start": cannot parse "yesterday" to a valid timestamp'],
    [{ start: '1700000000', end: '2023-13-01T00:00:00Z', step: '15' }, 'invalid parameter "end": cannot parse "2023-13-01T00:00:00Z" to a valid timestamp'],
    [{ start: '1700000000', end: '1700000100', step: '15', timeout: 'soon' }, 'invalid parameter "timeout": cannot parse "soon" to a valid duration'],
  ])('bad_data 400 for %j', async (params, message) => {
    const r = await v3.post('/api/v1/query_range', { query: 'vector(1)', ...params });
    expect(r.httpStatus).toBe(400);
    expect(r.text).toBe(err('bad_data', message));
  });

  it('words query errors as each version does (2.42: the engine\'s text alone; 3.x: wrapped)', async () => {
    const range = { start: '1700000000', end: '1700000100', step: '15' };
    expect((await v2.post('/api/v1/query_range', { query: 'rate(http_requests_total[5m', ...range })).text).toBe(err('bad_data', '1:28: parse error: unclosed left parenthesis'));
    expect((await v3.post('/api/v1/query_range', { query: 'rate(http_requests_total[5m', ...range })).text).toBe(
      err('bad_data', 'invalid parameter "query": 1:28: parse error: unclosed left parenthesis'),
    );
    expect((await v2.post('/api/v1/query_range', { query: 'http_requests_total[5m]', ...range })).text).toBe(
      err('bad_data', 'invalid expression type "range vector" for range query, must be Scalar or instant Vector'),
    );
    expect((await v3.post('/api/v1/query_range', { query: '"text"', ...range })).text).toBe(
      err('bad_data', 'invalid parameter "query": invalid expression type "string" for range query, must be Scalar or instant Vector'),
    );
  });

  it('3.x: `limit` parameter errors', async () => {
    const r = await v3.post('/api/v1/query_range', { query: 'vector(1)', start: '1700000000', end: '1700000100', step: '15', limit: 'x' });
    expect(r.text).toBe(err('bad_data', 'invalid parameter "limit": strconv.Atoi: parsing "x": invalid syntax'));
  });
});

describe('Prometheus API server: errors of /api/v1/query', () => {
  let v2: PrometheusClient;
  let v3: PrometheusClient;
  beforeAll(async () => {
    v2 = (await serve({ prometheusVersion: 2 })).client;
    v3 = (await serve({ prometheusVersion: 3 })).client;
  });

  it('parse errors: bad_data 400 with Prometheus\' position and text', async () => {
    const r = await v3.query('rate(http_requests_total[5m', EPOCH_S);
    expect(r.httpStatus).toBe(400);
    expect(r.text).toBe(err('bad_data', 'invalid parameter "query": 1:28: parse error: unclosed left parenthesis'));
    const empty = await v2.get('/api/v1/query');
    expect(empty.text).toBe(err('bad_data', 'invalid parameter "query": 1:1: parse error: no expression found in input'));
  });

  it('bad times: 2.42 says "Invalid time value", 3.x "invalid time value"', async () => {
    expect((await v2.get('/api/v1/query', { query: 'up', time: 'abc' })).text).toBe(
      err('bad_data', 'invalid parameter "time": Invalid time value for \'time\': cannot parse "abc" to a valid timestamp'),
    );
    expect((await v3.get('/api/v1/query', { query: 'up', time: 'abc' })).text).toBe(
      err('bad_data', 'invalid parameter "time": invalid time value for \'time\': cannot parse "abc" to a valid timestamp'),
    );
    expect((await v3.get('/api/v1/query', { query: 'up', time: '1700000000', timeout: 'x' })).text).toBe(
      err('bad_data', 'invalid parameter "timeout": cannot parse "x" to a valid duration'),
    );
    expect((await v3.get('/api/v1/query', { query: 'up', limit: '-1' })).text).toBe(err('bad_data', 'invalid parameter "limit": limit must be non-negative'));
    expect((await v3.get('/api/v1/query', { query: 'up', lookback_delta: 'x' })).text).toBe(
      err('bad_data', 'error parsing lookback delta duration: cannot parse "x" to a valid duration'),
    );
  });

  it('runtime errors: execution 422', async () => {
    const r = await v3.query('http_requests_total / on(job) http_requests_total', EPOCH_S + 60);
    expect(r.httpStatus).toBe(422);
    expect(r.body).toMatchObject({ status: 'error', errorType: 'execution' });
    expect((r.body as { error: string }).error).toMatch(/^found duplicate series for the match group \{job="checkout"\} on the right hand-side of the operation/);
  });

  it('queries rehearse cannot evaluate yet: execution 422 saying so', async () => {
    const r = await v2.query('holt_winters(http_requests_total[5m], 0.5, 0.5)', EPOCH_S + 60);
    expect(r.httpStatus).toBe(422);
    expect(r.body).toMatchObject({ status: 'error', errorType: 'execution' });
    expect((r.body as { error: string }).error).toContain('not supported by rehearse');
  });
});

describe('Prometheus API server: /api/v1/series, /api/v1/labels, /api/v1/label/<name>/values', () => {
  let v2: PrometheusClient;
  let v3: PrometheusClient;
  beforeAll(async () => {
    v2 = (await serve({ prometheusVersion: 2 })).client;
    v3 = (await serve({ prometheusVersion: 3 })).client;
  });

  it('series: GET and POST, label sets sorted, escaped per version', async () => {
    const expected = '{"status":"success","data":[{"__name__":"http_requests_total","code":"200","job":"checkout"},{"__name__":"http_requests_total","code":"500","job":"checkout"}]}';
    expect((await v3.get('/api/v1/series', { 'match[]': 'http_requests_total' })).text).toBe(expected);
    expect((await v3.post('/api/v1/series', { 'match[]': '{job="checkout"}' })).text).toBe(expected);
    expect((await v2.get('/api/v1/series', { 'match[]': 'escaped' })).text).toBe('{"status":"success","data":[{"__name__":"escaped","text":"\\u003ca\\u0026b\\u003e\\u2028\\"q\\""}]}');
    expect((await v3.get('/api/v1/series', { 'match[]': 'escaped' })).text).toBe('{"status":"success","data":[{"__name__":"escaped","text":"<a&b>\u2028\\"q\\""}]}');
    expect((await v3.get('/api/v1/series', { 'match[]': 'nothing' })).text).toBe('{"status":"success","data":[]}');
  });

  it('series: several match[] are a union (deduplicated); start/end keep series with samples in range', async () => {
    const r = await raw(`${v3.baseUrl}/api/v1/series?match[]=late&match[]=${encodeURIComponent('{__name__=~"late|escaped"}')}`);
    expect(r.text).toBe('{"status":"success","data":[{"__name__":"escaped","text":"<a&b>\u2028\\"q\\""},{"__name__":"late","job":"batch"}]}');
    const inRange = await v3.post('/api/v1/series', { 'match[]': '{__name__=~"late|http_requests_total"}', start: String(EPOCH_S + 700), end: String(EPOCH_S + 1000) });
    expect(inRange.text).toBe('{"status":"success","data":[{"__name__":"late","job":"batch"}]}');
    const before = await v3.post('/api/v1/series', { 'match[]': '{__name__=~"late|http_requests_total"}', end: '2023-11-14T22:13:20Z' });
    expect(before.text).toContain('"code":"500"');
    expect(before.text).not.toContain('late');
  });

  it.each([
    [{}, 'no match[] parameter provided'],
    [{ 'match[]': '{job=""}' }, 'invalid parameter "match[]": match[] must contain at least one non-empty matcher'],
    [{ 'match[]': '{job=~".*"}' }, 'invalid parameter "match[]": match[] must contain at least one non-empty matcher'],
    [{ 'match[]': 'up', start: 'then' }, 'invalid parameter "start": invalid time value for \'start\': cannot parse "then" to a valid timestamp'],
  ])('series errors: %j', async (params, message) => {
    const r = await v3.get('/api/v1/series', params);
    expect(r.httpStatus).toBe(400);
    expect(r.text).toBe(err('bad_data', message));
  });

  it('series: a match[] that is not a plain selector is a parse error', async () => {
    for (const m of ['rate(up[5m])', 'up offset 5m', 'up{', 'up[5m]']) {
      const r = await v3.get('/api/v1/series', { 'match[]': m });
      expect(r.httpStatus, m).toBe(400);
      expect((r.body as { error: string }).error, m).toMatch(/^invalid parameter "match\[\]": 1:\d+: parse error: /);
    }
  });

  it('series: form errors are reported (Go ParseForm), e.g. a bad %-escape or a semicolon', async () => {
    expect((await raw(`${v3.baseUrl}/api/v1/series?match[]=up&x=%zz`)).text).toBe(err('bad_data', 'error parsing form values: invalid URL escape "%zz"'));
    expect((await raw(`${v3.baseUrl}/api/v1/series?match[]=up;x=1`)).text).toBe(err('bad_data', 'error parsing form values: invalid semicolon separator in query'));
    // /query ignores form errors as Prometheus does (FormValue), and keeps the good pairs.
    expect((await raw(`${v3.baseUrl}/api/v1/query?query=vector(1)&time=1700000000&x=%zz`)).status).toBe(200);
  });

  it('labels: all names, or those of matching series (GET and POST), sorted', async () => {
    expect((await v3.get('/api/v1/labels')).text).toBe('{"status":"success","data":["__name__","code","job","kind","text"]}');
    expect((await v3.post('/api/v1/labels', { 'match[]': 'special' })).text).toBe('{"status":"success","data":["__name__","kind"]}');
    expect((await v3.get('/api/v1/labels', { 'match[]': 'nothing' })).text).toBe('{"status":"success","data":[]}');
    // Parser errors without the parameter name (api.go labelNames).
    expect((await v3.get('/api/v1/labels', { 'match[]': '{job=""}' })).text).toBe(err('bad_data', 'match[] must contain at least one non-empty matcher'));
    expect((await v3.get('/api/v1/labels', { limit: '2' })).text).toBe('{"status":"success","data":["__name__","code"],"warnings":["results truncated due to limit"]}');
  });

  it('label values: sorted, HTML-escaped strings, filtered by match[] and time', async () => {
    expect((await v3.get('/api/v1/label/__name__/values')).text).toBe('{"status":"success","data":["escaped","http_requests_total","late","special"]}');
    expect((await v2.get('/api/v1/label/text/values')).text).toBe('{"status":"success","data":["\\u003ca\\u0026b\\u003e\\u2028\\"q\\""]}');
    expect((await v3.get('/api/v1/label/job/values', { 'match[]': 'late' })).text).toBe('{"status":"success","data":["batch"]}');
    expect((await v3.get('/api/v1/label/job/values', { start: String(EPOCH_S + 800) })).text).toBe('{"status":"success","data":["batch"]}');
    expect((await v3.get('/api/v1/label/missing/values')).text).toBe('{"status":"success","data":[]}');
  });

  it('label values: label names checked per version (2.42 LabelNameRE; 3.x UTF-8 and U__ escapes)', async () => {
    const bad = await v2.get('/api/v1/label/1abc/values');
    expect(bad.httpStatus).toBe(400);
    expect(bad.text).toBe(err('bad_data', 'invalid label name: "1abc"'));
    expect((await v2.get('/api/v1/label/a.b/values')).text).toBe(err('bad_data', 'invalid label name: "a.b"'));
    expect((await v3.get('/api/v1/label/a.b/values')).text).toBe('{"status":"success","data":[]}');
    expect((await v3.get('/api/v1/label/U__j_6f_b/values')).text).toBe('{"status":"success","data":["batch","checkout"]}');
  });
});

describe('Prometheus API server: methods, paths, readiness, oversized requests', () => {
  let base: string;
  let small: string;
  beforeAll(async () => {
    base = (await serve()).server.url;
    small = (await serve({ maxBodyBytes: 1024 })).server.url;
  });

  it('/-/ready answers GET and HEAD like Prometheus, 405 otherwise', async () => {
    const get = await raw(`${base}/-/ready`);
    expect([get.status, get.text, get.headers.get('content-type')]).toEqual([200, 'Prometheus Server is Ready.\n', 'text/plain; charset=utf-8']);
    const head = await raw(`${base}/-/ready`, { method: 'HEAD' });
    expect([head.status, head.text]).toEqual([200, '']);
    const post = await raw(`${base}/-/ready`, { method: 'POST' });
    expect([post.status, post.text, post.headers.get('allow')]).toEqual([405, 'Method Not Allowed\n', 'GET, HEAD, OPTIONS']);
  });

  it('405 with an Allow header for methods Prometheus does not route (incl. POST to label values)', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'HEAD']) {
      const r = await raw(`${base}/api/v1/query`, { method });
      expect(r.status, method).toBe(405);
      expect(r.headers.get('allow'), method).toBe('GET, POST, OPTIONS');
    }
    const client = new PrometheusClient(base);
    const lv = await client.post('/api/v1/label/job/values', {});
    expect(lv.httpStatus).toBe(405);
    expect(lv.text).toBe('Method Not Allowed\n');
  });

  it('OPTIONS is 204; unknown paths are 404 text', async () => {
    expect((await raw(`${base}/api/v1/query`, { method: 'OPTIONS' })).status).toBe(204);
    const nf = await raw(`${base}/api/v1/nope`);
    expect([nf.status, nf.text]).toEqual([404, '404 page not found\n']);
    expect((await raw(`${base}/metrics`)).status).toBe(404);
  });

  it('an oversized form body is dropped as Go drops it: /series reports it, /query sees no query', async () => {
    const pad = `&pad=${'x'.repeat(2000)}`;
    const series = await raw(`${small}/api/v1/series`, form(`match[]=up${pad}`));
    expect(series.status).toBe(400);
    expect(series.text).toBe(err('bad_data', 'error parsing form values: http: POST too large'));
    const client = new PrometheusClient(small);
    const q = await client.post('/api/v1/query', { query: 'vector(1)', pad: 'x'.repeat(2000) });
    expect(q.httpStatus).toBe(400);
    // 3.x words the empty query's position "unknown position" (posrange StartPosInput).
    expect(q.text).toBe(err('bad_data', 'invalid parameter "query": unknown position: parse error: no expression found in input'));
    // Exactly at the limit is fine.
    const body = 'query=vector(1)&time=1700000000&pad=';
    const exact = await raw(`${small}/api/v1/query`, form(body + 'x'.repeat(1024 - body.length)));
    expect(exact.status).toBe(200);
  });

  it('long GET URLs are accepted up to Go\'s 1 MiB header limit', async () => {
    const longQuery = `vector(1)${' '.repeat(100_000)}`;
    const r = await new PrometheusClient(base).get('/api/v1/query', { query: longQuery, time: '1700000000' });
    expect(r.httpStatus).toBe(200);
  });

  it('binds 127.0.0.1 by default', async () => {
    expect(new URL(base).hostname).toBe('127.0.0.1');
  });
});

describe('Prometheus API server: time mapping', () => {
  it('fixed clock: virtual 0 = the epoch; requests without time are evaluated at the fixed "now"', async () => {
    const { client } = await serve({ clock: fixedClock({ epochUnixMs: EPOCH_MS, nowVirtualMs: NOW_VIRTUAL_MS }) });
    expect((await client.get('/api/v1/query', { query: 'sum(http_requests_total)' })).text).toBe(
      '{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000600,"6040"]}]}}',
    );
    // A different epoch shifts every answer.
    const other = await serve({ clock: fixedClock({ epochUnixMs: 1_000_000, nowVirtualMs: 0 }) });
    expect((await other.client.query('sum(http_requests_total)', 1000 + 60)).text).toContain('"value":[1060,"604"]');
  });

  it('live clock: virtual time advances with the (scaled) wall clock from a start instant', async () => {
    const wallStart = EPOCH_MS + 5_000_000;
    let wall = wallStart + 150_000;
    const clock = liveClock({ startUnixMs: wallStart, startVirtualMs: 0, scale: 2, wallNowMs: () => wall });
    expect(clock.virtualNowMs()).toBe(300_000);
    const { client } = await serve({ clock });
    const ws = wallStart / 1000;
    // Without time=: wall now (start + 150 s) = virtual 300 s; the answer carries the wall time.
    expect((await client.get('/api/v1/query', { query: 'sum(http_requests_total)' })).text).toContain(`"value":[${ws + 150},"3020"]`);
    wall += 1000;
    expect((await client.get('/api/v1/query', { query: 'sum(http_requests_total)' })).text).toContain(`"value":[${ws + 151},"3020"]`);
    // time= start + 30 s = virtual 60 s.
    expect((await client.query('sum(http_requests_total)', ws + 30)).text).toContain(`"value":[${ws + 30},"604"]`);
    // Range queries answer at the requested steps; virtual steps are scaled.
    expect((await client.queryRange('sum(http_requests_total)', ws, ws + 60, 30)).text).toBe(
      `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[${ws},"0"],[${ws + 30},"604"],[${ws + 60},"1208"]]}]}}`,
    );
    // Raw sample times map back: virtual 15/30 s = wall +7.5/+15 s. The range is virtual time
    // (30 s = 15 wall seconds) and left-open in 3.x, so the sample at virtual 0 is outside.
    expect((await client.query('http_requests_total{code="500"}[30s]', ws + 15)).text).toContain(`"values":[[${ws + 7.5}00,"1"],[${ws + 15},"2"]]}]`);
  });

  it('fixed and live clocks describe themselves', () => {
    const c: PromApiClock = fixedClock({ epochUnixMs: EPOCH_MS, nowVirtualMs: 3_600_000 });
    expect(c.describe()).toBe(
      'virtual 0 = 2023-11-14T22:13:20Z (Unix 1700000000); requests without time= are evaluated at virtual 1h0m0s = 2023-11-14T23:13:20Z (Unix 1700003600)',
    );
    expect(liveClock({ startUnixMs: EPOCH_MS, scale: 1, wallNowMs: () => EPOCH_MS }).describe()).toContain('advancing with the wall clock');
  });
});

describe('Prometheus API helpers (Go parity)', () => {
  it('parseTime: float seconds rounded to ms as api.go does, RFC 3339 floored, Go errors', () => {
    const ms = (s: string): number | string => {
      const r = parseTime(s);
      return r.ok ? r.value : r.error;
    };
    expect(ms('1700000912.123456789')).toBe(1_700_000_912_123);
    expect(ms('1700000912.0005')).toBe(1_700_000_912_000); // 0.0005 is 0.000499999… as a double
    expect(ms('-1.5')).toBe(-1500);
    expect(ms('+5')).toBe(5000);
    expect(ms('.5')).toBe(500);
    expect(ms('2024-02-29T00:00:00.9999Z')).toBe(Date.UTC(2024, 1, 29) + 999);
    expect(ms('2023-02-29T00:00:00Z')).toBe('cannot parse "2023-02-29T00:00:00Z" to a valid timestamp');
    expect(ms('2023-11-14 22:13:20Z')).toBe('cannot parse "2023-11-14 22:13:20Z" to a valid timestamp');
    expect(ms('')).toBe('cannot parse "" to a valid timestamp');
    expect(ms('292277026596-12-04T15:30:07.999999999Z')).toBe(Number.POSITIVE_INFINITY);
  });

  it('parseApiDuration: float seconds to int64 ns, or a Prometheus duration', () => {
    const ns = (s: string): bigint | string => {
      const r = parseApiDuration(s);
      return r.ok ? r.value : r.error;
    };
    expect(ns('30')).toBe(30_000_000_000n);
    expect(ns('0.0015')).toBe(1_500_000n);
    expect(ns('1h30m')).toBe(5_400_000_000_000n);
    expect(ns('1.5m')).toBe('cannot parse "1.5m" to a valid duration');
    expect(ns('NaN')).toBeLessThan(0n);
  });

  it('JSON strings, timestamps and %q as Go writes them', () => {
    expect(goJsonString('a<b>&c\u2028\x01\b\n"\\')).toBe('"a\\u003cb\\u003e\\u0026c\\u2028\\u0001\\u0008\\n\\"\\\\"');
    expect(goJsonString('<\b', { html: false, shortBF: true })).toBe('"<\\b"');
    expect(goJsonString('\ud800x')).toBe('"\\ufffdx"');
    expect(goJsonString('😀')).toBe('"😀"');
    expect([formatSampleTime(1_700_000_900_000), formatSampleTime(1_700_000_912_500), formatSampleTime(1), formatSampleTime(-1500), formatSampleTime(0)]).toEqual([
      '1700000900',
      '1700000912.500',
      '0.001',
      '-1.500',
      '0',
    ]);
    expect(goQuote('a"b\\c\n\x7f\u00e9')).toBe('"a\\"b\\\\c\\n\\x7fé"');
  });
});

// ---------------------------------------------------------------------------------------------

describe('rehearse serve', () => {
  afterEach(() => vi.restoreAllMocks());

  async function runServe(args: string[]): Promise<{ stdout: () => string; stderr: () => string; done: Promise<number> }> {
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    return { stdout: () => stdout, stderr: () => stderr, done: main(['serve', ...args]) };
  }

  it('runs the scenario, serves its series on a free loopback port, and stops cleanly on SIGTERM', async () => {
    const s = await runServe(['scenarios/canary-good.yaml', '--port', '0', '--epoch', '2024-01-01T00:00:00Z']);
    const deadline = Date.now() + 60_000;
    let url: string | undefined;
    while (url === undefined && Date.now() < deadline) {
      url = /Prometheus HTTP API at (http:\/\/127\.0\.0\.1:\d+)/.exec(s.stdout())?.[1];
      if (url === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(url, s.stdout() + s.stderr()).toBeDefined();
    const out = s.stdout();
    expect(out).toContain('time mapping: virtual 0 = 2024-01-01T00:00:00Z (Unix 1704067200)');
    expect(out).toContain(`curl -s ${url}/api/v1/query --data-urlencode 'query=sum(rate(http_requests_total[1m]))' --data-urlencode time=1704070800`);

    const client = new PrometheusClient(url as string);
    expect((await client.get('/-/ready')).text).toBe('Prometheus Server is Ready.\n');
    const r = await client.query('sum(rate(http_requests_total[1m]))', 1_704_067_200 + 1800);
    expect(r.httpStatus).toBe(200);
    const result = (r.body as { data: { resultType: string; result: { value: [number, string] }[] } }).data;
    expect(result.resultType).toBe('vector');
    expect(Number(result.result[0]?.value[1])).toBeGreaterThan(900); // ~1000 rps
    expect(r.text).toContain('"value":[1704069000,"');
    const names = await client.get('/api/v1/label/__name__/values');
    expect((names.body as { data: string[] }).data).toContain('http_requests_total');
    expect(s.stdout()).toContain('POST /api/v1/query 200 query="sum(rate(http_requests_total[1m]))" at virtual 30m0s');

    process.emit('SIGTERM');
    expect(await s.done).toBe(0);
    expect(s.stdout()).toContain('rehearse serve: SIGTERM, stopped');
    await expect(fetch(`${url}/-/ready`)).rejects.toThrow();
  });

  it('refuses bad options with exit 2 before running anything', async () => {
    const s = await runServe(['scenarios/canary-good.yaml', '--epoch', 'tuesday']);
    expect(await s.done).toBe(2);
    expect(s.stderr()).toContain('--epoch: expected an RFC 3339 time');
    const p = await runServe(['scenarios/canary-good.yaml', '--port', '70000']);
    expect(await p.done).toBe(2);
    expect(p.stderr()).toContain('--port: expected 0–65535');
  });
});
