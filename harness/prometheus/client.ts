// A small client for the Prometheus HTTP API (/api/v1/...), used the same way against real
// Prometheus servers (differential tests) and against rehearse's own API server, so both are
// judged by one piece of code. It sends what client_golang sends — POST with a form body — and
// returns the decoded JSON envelope untouched, so callers can compare answers byte for byte.

export interface PromApiSuccess {
  readonly status: 'success';
  readonly data: unknown;
  readonly warnings?: readonly string[];
  readonly infos?: readonly string[];
}

export interface PromApiError {
  readonly status: 'error';
  readonly errorType: string;
  readonly error: string;
}

export interface PromApiResponse {
  readonly httpStatus: number;
  readonly body: PromApiSuccess | PromApiError;
  /** The raw response text (for exact comparisons and diagnostics). */
  readonly text: string;
}

export class PrometheusClient {
  constructor(
    /** e.g. http://127.0.0.1:19090 */
    readonly baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {}

  /** POST form request to an /api/v1 endpoint, as client_golang does. */
  async post(path: string, params: Readonly<Record<string, string>>): Promise<PromApiResponse> {
    return this.request('POST', path, params);
  }

  async get(path: string, params: Readonly<Record<string, string>> = {}): Promise<PromApiResponse> {
    return this.request('GET', path, params);
  }

  /** Instant query at `timeSeconds` (Unix seconds, as client_golang formats it). */
  query(query: string, timeSeconds: number): Promise<PromApiResponse> {
    return this.post('/api/v1/query', { query, time: formatTime(timeSeconds) });
  }

  queryRange(query: string, startSeconds: number, endSeconds: number, stepSeconds: number): Promise<PromApiResponse> {
    return this.post('/api/v1/query_range', {
      query,
      start: formatTime(startSeconds),
      end: formatTime(endSeconds),
      step: formatTime(stepSeconds),
    });
  }

  private async request(method: 'GET' | 'POST', path: string, params: Readonly<Record<string, string>>): Promise<PromApiResponse> {
    const form = new URLSearchParams(params);
    const url = method === 'GET' && form.size > 0 ? `${this.baseUrl}${path}?${form.toString()}` : `${this.baseUrl}${path}`;
    const res = await fetch(url, {
      method,
      headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      ...(method === 'POST' ? { body: form.toString() } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let body: PromApiSuccess | PromApiError;
    try {
      body = JSON.parse(text) as PromApiSuccess | PromApiError;
    } catch {
      body = { status: 'error', errorType: 'client', error: `response is not JSON (HTTP ${res.status}): ${text.slice(0, 200)}` };
    }
    return { httpStatus: res.status, body, text };
  }
}

/** Shortest decimal seconds, like Go's strconv.FormatFloat(v, 'f', -1, 64). */
export function formatTime(seconds: number): string {
  const s = String(seconds);
  if (!s.includes('e')) return s;
  return seconds.toFixed(20).replace(/\.?0+$/, '');
}
