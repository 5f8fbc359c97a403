// Seeded random series for the PromQL differential test: counters with resets, gauges (with
// ties, negative values, NaN and infinities), classic histograms (`_bucket{le}` incl. `+Inf`,
// `_sum`, `_count`, resetting together), irregular scrape intervals, gaps shorter and longer than
// the 5 m lookback, and series that start late or end early. The same samples are written as
// OpenMetrics (for `promtool tsdb create-blocks-from openmetrics`) and loaded into our
// SeriesStore, so both sides hold bit-identical data.
//
// Constraints from the backfill path (reference §7.2):
// * integer-second timestamps (promtool converts with int64(seconds*1000));
// * strictly increasing times within a series (promtool silently drops anything else);
// * no stale markers (they cannot be expressed), so absence comes only from the lookback;
// * no `# TYPE` lines: every family is "unknown", so neither version's parser applies
//   histogram/counter rules to names, and Prometheus 3 does not normalise `le` values (§1.16
//   row 15). Our `le` values are written as Go's FormatFloat would anyway (non-integers, +Inf);
// * every series is written contiguously, and all series of a metric name together, which keeps
//   the file valid OpenMetrics (families contiguous) for Prometheus 3's stricter parser.

import { RandomStream } from '../../../sim/engine/random.js';
import { Labels, SeriesStore } from '../../../sim/metrics/store.js';

export interface GeneratedSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** Unix seconds (integers), strictly increasing. */
  readonly t: number[];
  readonly v: number[];
}

export interface Dataset {
  readonly series: readonly GeneratedSeries[];
  /** First and last possible sample time (s). */
  readonly startS: number;
  readonly endS: number;
  readonly sampleCount: number;
}

/** Data starts at a 2 h boundary (promtool's block alignment) in Nov 2023. */
export const DATA_START_S = 1_699_999_200;
export const DATA_SPAN_S = 3 * 3600;

export const JOBS = ['api', 'web'] as const;
export const INSTANCES = ['a:9090', 'b:9090', 'c:9090'] as const;
export const CODES = ['200', '404', '500'] as const;
export const LE_BOUNDS = ['0.05', '0.1', '0.25', '0.5', '2.5', '+Inf'] as const;
export const SENSORS = ['s1', 's2', 's3', 's4'] as const;
export const WEIRD_KINDS = ['nan', 'inf', 'mixed'] as const;
export const BATCHES = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7', 'b8'] as const;

/** Sampling schedule: interval, jitter, start/end and gaps, all in whole seconds. */
interface Schedule {
  readonly interval: number;
  readonly jitter: number;
  readonly start: number;
  readonly end: number;
  /** [from, to) intervals without samples. */
  readonly gaps: readonly (readonly [number, number])[];
}

function pick<T>(r: RandomStream, xs: readonly T[]): T {
  return xs[Math.floor(r.uniform() * xs.length)] as T;
}

function randInt(r: RandomStream, lo: number, hi: number): number {
  return lo + Math.floor(r.uniform() * (hi - lo + 1));
}

function schedule(r: RandomStream, opts: { lifetime?: boolean; gaps?: boolean; irregular?: boolean } = {}): Schedule {
  const interval = opts.irregular ? pick(r, [10, 15, 15, 30, 60]) : 15;
  const jitter = opts.irregular && r.uniform() < 0.5 ? randInt(r, 1, Math.min(4, interval / 2 - 1)) : 0;
  let start = DATA_START_S;
  let end = DATA_START_S + DATA_SPAN_S;
  if (opts.lifetime) {
    // Start somewhere in the first 2 h and live 10 min .. 2 h.
    start += randInt(r, 0, 7200);
    end = Math.min(end, start + randInt(r, 600, 7200));
  } else if (r.uniform() < 0.15) {
    start += randInt(r, 0, 3600);
  }
  const gaps: [number, number][] = [];
  if (opts.gaps) {
    const n = randInt(r, 1, 4);
    for (let i = 0; i < n; i++) {
      const from = randInt(r, start, end);
      // Gaps around the 5 m lookback: shorter, about equal, and much longer.
      const len = pick(r, [45, 120, 290, 300, 315, 600, 1800]);
      gaps.push([from, from + len]);
    }
  }
  return { interval, jitter, start, end, gaps };
}

function times(r: RandomStream, s: Schedule): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (let base = s.start; base <= s.end; base += s.interval) {
    const t = base + (s.jitter > 0 ? randInt(r, -s.jitter, s.jitter) : 0);
    if (t <= last || t < s.start || t > s.end) continue;
    if (s.gaps.some(([a, b]) => t >= a && t < b)) continue;
    out.push(t);
    last = t;
  }
  return out;
}

/** A counter: non-negative increments, occasional resets to a small value. */
function counter(r: RandomStream, ts: readonly number[], meanInc: number, resetP: number): number[] {
  const v: number[] = [];
  let x = r.uniform() < 0.5 ? 0 : Math.floor(r.uniform() * 1000);
  for (let i = 0; i < ts.length; i++) {
    if (i > 0) {
      if (r.uniform() < resetP) x = r.uniform() < 0.5 ? 0 : Math.floor(r.uniform() * meanInc);
      else x += r.poisson(meanInc);
    }
    v.push(x);
  }
  return v;
}

/** A gauge: random walk, optionally rounded (ties), optionally around a negative level. */
function gauge(r: RandomStream, n: number, level: number, step: number, round: boolean): number[] {
  const v: number[] = [];
  let x = level;
  for (let i = 0; i < n; i++) {
    x += r.normal() * step;
    v.push(round ? Math.round(x) : x);
  }
  return v;
}

export function generateDataset(seed: string | number): Dataset {
  const series: GeneratedSeries[] = [];
  const add = (labels: Record<string, string>, t: number[], v: number[]): void => {
    if (t.length > 0) series.push({ labels, t, v });
  };
  const r = (name: string) => new RandomStream(seed, `differential/${name}`);

  // Counters with resets; some instances start late; irregular intervals on one job.
  for (const job of JOBS) {
    for (const instance of INSTANCES) {
      for (const code of CODES) {
        const rs = r(`requests/${job}/${instance}/${code}`);
        const ts = times(rs, schedule(rs, { irregular: job === 'web', gaps: rs.uniform() < 0.2 }));
        const mean = code === '200' ? 40 : code === '500' ? 2 : 0.5;
        add({ __name__: 'http_requests_total', job, instance, code }, ts, counter(rs, ts, mean, 0.004));
      }
    }
  }

  // Classic histograms: buckets, _sum and _count share times and resets.
  for (const job of JOBS) {
    for (const instance of INSTANCES) {
      const rs = r(`histogram/${job}/${instance}`);
      const ts = times(rs, schedule(rs, { gaps: rs.uniform() < 0.3, irregular: rs.uniform() < 0.3 }));
      const counts: number[][] = LE_BOUNDS.map(() => []);
      const sums: number[] = [];
      const cum = LE_BOUNDS.map(() => 0);
      let sum = 0;
      const scale = rs.uniform() * 0.5 + 0.05;
      for (let i = 0; i < ts.length; i++) {
        if (i > 0 && rs.uniform() < 0.004) {
          cum.fill(0);
          sum = 0;
        }
        const n = rs.poisson(20);
        for (let k = 0; k < n; k++) {
          const d = rs.lognormal(Math.log(scale), 1);
          sum += d;
          for (let b = 0; b < LE_BOUNDS.length; b++) {
            const le = LE_BOUNDS[b] as string;
            if (le === '+Inf' || d <= Number(le)) cum[b] = (cum[b] as number) + 1;
          }
        }
        for (let b = 0; b < LE_BOUNDS.length; b++) (counts[b] as number[]).push(cum[b] as number);
        sums.push(sum);
      }
      LE_BOUNDS.forEach((le, b) => add({ __name__: 'http_request_duration_seconds_bucket', job, instance, le }, ts, counts[b] as number[]));
      add({ __name__: 'http_request_duration_seconds_sum', job, instance }, ts, sums);
      add({ __name__: 'http_request_duration_seconds_count', job, instance }, [...ts], [...(counts[LE_BOUNDS.length - 1] as number[])]);
    }
  }

  // Gauges.
  for (const job of JOBS) {
    for (const instance of INSTANCES) {
      const rs = r(`memory/${job}/${instance}`);
      const ts = times(rs, schedule(rs, { gaps: rs.uniform() < 0.3 }));
      add({ __name__: 'memory_usage_bytes', job, instance }, ts, gauge(rs, ts.length, 2e8 + rs.uniform() * 1e8, 1e6, true));
      const ru = r(`up/${job}/${instance}`);
      const tu = times(ru, schedule(ru, {}));
      add({ __name__: 'up', job, instance }, tu, tu.map(() => (ru.uniform() < 0.9 ? 1 : 0)));
      const rq = r(`queue/${job}/${instance}`);
      const tq = times(rq, schedule(rq, { gaps: true, irregular: true }));
      add({ __name__: 'queue_depth', job, instance }, tq, gauge(rq, tq.length, 5, 2, rq.uniform() < 0.5));
    }
  }
  for (const sensor of SENSORS) {
    const rs = r(`temperature/${sensor}`);
    const ts = times(rs, schedule(rs, { irregular: true, gaps: rs.uniform() < 0.5 }));
    add({ __name__: 'cpu_temperature', sensor, instance: pick(rs, INSTANCES) }, ts, gauge(rs, ts.length, sensor === 's4' ? -10 : 40, 0.7, sensor === 's2'));
  }
  for (const kind of WEIRD_KINDS) {
    const rs = r(`weird/${kind}`);
    const ts = times(rs, schedule(rs, { gaps: true }));
    const v = ts.map(() => {
      const u = rs.uniform();
      if (kind === 'nan') return u < 0.3 ? Number.NaN : u * 10;
      if (kind === 'inf') return u < 0.15 ? Number.POSITIVE_INFINITY : u < 0.3 ? Number.NEGATIVE_INFINITY : u - 0.5;
      return u < 0.1 ? Number.NaN : u < 0.2 ? Number.POSITIVE_INFINITY : u < 0.3 ? 0 : u < 0.35 ? -0 : Math.round(u * 20) - 10;
    });
    add({ __name__: 'weird_gauge', kind }, ts, v);
  }

  // Series that start and end (counters of short-lived batch jobs).
  for (const batch of BATCHES) {
    const rs = r(`batch/${batch}`);
    const ts = times(rs, schedule(rs, { lifetime: true, irregular: rs.uniform() < 0.5 }));
    add({ __name__: 'batch_jobs_processed_total', batch, job: pick(rs, JOBS) }, ts, counter(rs, ts, 5, 0.01));
  }

  // Contiguous per metric name (then by label set) for the OpenMetrics file.
  const keyed = series.map((s) => ({ s, name: s.labels['__name__'] as string, key: Labels.from(s.labels).key }));
  keyed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const sorted = keyed.map((k) => k.s);
  return {
    series: sorted,
    startS: DATA_START_S,
    endS: DATA_START_S + DATA_SPAN_S,
    sampleCount: sorted.reduce((n, s) => n + s.t.length, 0),
  };
}

/** OpenMetrics/Go spelling of a float that parses back to exactly `v`. */
export function openMetricsValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  return String(v);
}

function openMetricsLabels(labels: Readonly<Record<string, string>>): string {
  const parts = Object.keys(labels)
    .filter((n) => n !== '__name__')
    .sort()
    .map((n) => `${n}="${(labels[n] as string).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `${labels['__name__'] as string}{${parts.join(',')}}`;
}

export function toOpenMetrics(d: Dataset): string {
  const lines: string[] = [];
  for (const s of d.series) {
    const prefix = openMetricsLabels(s.labels);
    for (let i = 0; i < s.t.length; i++) lines.push(`${prefix} ${openMetricsValue(s.v[i] as number)} ${s.t[i] as number}`);
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

export function toSeriesStore(d: Dataset): SeriesStore {
  const store = new SeriesStore();
  for (const s of d.series) {
    const h = store.series(s.labels);
    for (let i = 0; i < s.t.length; i++) h.append((s.t[i] as number) * 1000, s.v[i] as number);
  }
  return store;
}
