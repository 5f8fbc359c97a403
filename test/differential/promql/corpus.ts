// Seeded generator of PromQL queries over the differential data set (dataset.ts): selectors with
// all four matcher types (on existing and missing labels, on __name__), ranges, offsets (also
// negative), the range functions, instant functions, every aggregation with by/without and
// parameters, binary operators between scalars and vectors with on/ignoring/group_left/
// group_right, comparisons with and without bool, set operators, histogram_quantile over the
// classic buckets, and a list of queries that must fail (parse and execution errors). Tricky
// syntax on purpose: `@` (numbers, fractions, start()/end()) and `offset` in both orders on
// selectors and subqueries, operator chains where a postfix modifier sits mid-chain (precedence),
// signs on literals (`-0`, `-2 ^ 2`), `on()`/`ignoring()` with no labels next to a scalar, and
// comments and line breaks inside queries.
//
// It generates the whole language Prometheus knows (for the given major version, without the
// features that need flags) and leaves it to the test to skip what our compileQuery refuses as
// 'unsupported', so the corpus grows by itself as the evaluator does.

import { RandomStream } from '../../../sim/engine/random.js';
import { FUNCTIONS, type FunctionDef } from '../../../sim/metrics/promql/functions.js';
import { BATCHES, CODES, INSTANCES, JOBS, LE_BOUNDS, SENSORS, WEIRD_KINDS } from './dataset.js';

/** Which constructs a query uses, for the skip report ("why was this not compared"). */
export interface GeneratedQuery {
  readonly text: string;
  /** True for the hand-written invalid queries. */
  readonly expectError: boolean;
}

const LABEL_VALUES: Readonly<Record<string, readonly string[]>> = {
  job: JOBS,
  instance: INSTANCES,
  code: CODES,
  le: LE_BOUNDS,
  sensor: SENSORS,
  kind: WEIRD_KINDS,
  batch: BATCHES,
};

interface MetricDef {
  readonly name: string;
  readonly labels: readonly string[];
  readonly counter: boolean;
}

const METRICS: readonly MetricDef[] = [
  { name: 'http_requests_total', labels: ['job', 'instance', 'code'], counter: true },
  { name: 'http_request_duration_seconds_bucket', labels: ['job', 'instance', 'le'], counter: true },
  { name: 'http_request_duration_seconds_sum', labels: ['job', 'instance'], counter: true },
  { name: 'http_request_duration_seconds_count', labels: ['job', 'instance'], counter: true },
  { name: 'batch_jobs_processed_total', labels: ['job', 'batch'], counter: true },
  { name: 'memory_usage_bytes', labels: ['job', 'instance'], counter: false },
  { name: 'up', labels: ['job', 'instance'], counter: false },
  { name: 'queue_depth', labels: ['job', 'instance'], counter: false },
  { name: 'cpu_temperature', labels: ['sensor', 'instance'], counter: false },
  { name: 'weird_gauge', labels: ['kind'], counter: false },
];

const REGEXES: readonly string[] = ['a.*', '.*', '.+', '', 'api|web', '(a|b):9090', '5..', '2.*|4.*', 'A.*', '0\\\\.[0-9]+', '[bc].*', 'nan|inf', 'b[0-9]'];
const RANGES: readonly string[] = ['15s', '30s', '1m', '90s', '2m', '5m', '5m', '10m', '1h', '3m'];
const OFFSETS: readonly string[] = ['30s', '1m', '5m', '15m', '1h', '-2m', '-5m'];
const AGGREGATIONS: readonly string[] = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values'];
const ARITH: readonly string[] = ['+', '-', '*', '/', '%', '^', 'atan2'];
const COMPARISONS: readonly string[] = ['==', '!=', '>', '<', '>=', '<='];
const SETS: readonly string[] = ['and', 'or', 'unless'];
/** `@` arguments: inside the data, at its edges, before it, fractional, start()/end(). */
const AT_TIMES: readonly string[] = ['1700003000', '1700000000.5', '1699999200', '1699990000', '1700010000', '1700008000.123', 'start()', 'end()', '0'];
const GROUP_LABELS: readonly string[] = ['job', 'instance', 'code', 'le', 'sensor', 'kind', 'batch', '__name__', 'zone'];

/** Queries that must be rejected the same way (parse errors, type errors, execution errors). */
const INVALID: readonly string[] = [
  'rate(http_requests_total[5m',
  'rate(http_requests_total)',
  'sum(',
  'foo(',
  'http_requests_total and 1',
  '1 > 2',
  'sum by (job) (http_requests_total) + on(job) group_left(code) http_requests_total',
  'http_requests_total + on(job) http_requests_total',
  'rate(http_requests_total[5m]) / on(job, instance) rate(http_requests_total[5m])',
  '{}',
  '{job=~".*"}',
  'http_requests_total[5m] offset 1m offset 2m',
  'sum(http_requests_total) bool',
  'http_requests_total + bool up',
  'http_requests_total{job="api"',
  'histogram_quantile(0.9)',
  'topk(http_requests_total)',
  'label_replace(up, "x", "$1", "job", "(")',
  'rate({job="api"}[5m])',
  '{__name__=~"http_request_duration_seconds_.*"} + 1',
  'count_values("value", up) or count_values("value", up)',
  'abs(http_requests_total[5m])',
  '-"foo"',
  'up[5m] + 1',
];

export class QueryGenerator {
  private readonly r: RandomStream;
  private readonly functions: readonly FunctionDef[];

  constructor(
    seed: string | number,
    readonly version: 2 | 3,
  ) {
    this.r = new RandomStream(seed, `differential/corpus/v${version}`);
    this.functions = [...FUNCTIONS.values()].filter((f) => f.versions.includes(version) && !f.experimental);
  }

  /** The fixed invalid queries first, then `count` random ones. */
  *queries(): Generator<GeneratedQuery> {
    for (const text of INVALID) yield { text, expectError: true };
    for (;;) yield { text: this.top(), expectError: false };
  }

  private u(): number {
    return this.r.uniform();
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.u() * xs.length)] as T;
  }

  private chance(p: number): boolean {
    return this.u() < p;
  }

  private top(): string {
    const x = this.u();
    if (x < 0.05) return this.scalar(2);
    if (x < 0.1) return this.rangeVector();
    if (x < 0.2) return this.histogramQuantile();
    return this.vector(3);
  }

  // ---------------------------------------------------------------- selectors

  private metric(counterOnly = false): MetricDef {
    const ms = counterOnly ? METRICS.filter((m) => m.counter) : METRICS;
    return this.pick(ms);
  }

  private matcher(label: string): string {
    const values = LABEL_VALUES[label] ?? ['x'];
    const op = this.pick(['=', '=', '!=', '=~', '!~']);
    const value = op === '=~' || op === '!~' ? this.pick(REGEXES) : this.chance(0.1) ? 'missing' : this.pick(values);
    return `${label}${op}"${value}"`;
  }

  selector(m: MetricDef = this.metric()): string {
    const matchers: string[] = [];
    const n = this.pick([0, 0, 1, 1, 2]);
    for (let i = 0; i < n; i++) matchers.push(this.matcher(this.chance(0.1) ? 'zone' : this.pick(m.labels)));
    if (this.chance(0.04)) return `{__name__=~"${this.pick(['http_request_duration_seconds_(sum|count)', 'up|queue_depth', 'weird_.*'])}"${matchers.map((s) => `,${s}`).join('')}}`;
    if (this.chance(0.03)) matchers.push('zone=""');
    return matchers.length === 0 ? m.name : `${m.name}{${matchers.join(',')}}`;
  }

  private offset(): string {
    return this.chance(0.15) ? ` offset ${this.pick(OFFSETS)}` : '';
  }

  /** Postfix modifiers of an instant selector or subquery: offset and/or @, in either order. */
  private modifiers(): string {
    const off = this.offset();
    const at = this.chance(0.06) ? ` @ ${this.pick(AT_TIMES)}` : '';
    return this.chance(0.5) ? off + at : at + off;
  }

  private rangeVector(counter = false): string {
    const m = this.metric(counter && this.chance(0.9));
    if (this.chance(0.04)) return `${this.vector(1)}[${this.pick(RANGES)}:${this.pick(['', '15s', '1m', '45s'])}]${this.chance(0.3) ? this.modifiers() : ''}`;
    const at = this.chance(0.03) ? ` @ ${this.pick(AT_TIMES)}` : '';
    return `${this.selector(m)}[${this.pick(RANGES)}]${this.offset()}${at}`;
  }

  // ---------------------------------------------------------------- scalars

  private literal(): string {
    return this.pick(['0', '1', '2', '0.5', '-1', '10', '100', '1e3', '0.25', '3', '0x10', '-0.5', 'Inf', '-Inf', 'NaN', '1e-3', '-0', '- 0', '+2', '-2 ^ 2', '-(1)']);
  }

  scalar(depth: number): string {
    const x = this.u();
    if (depth <= 0 || x < 0.55) return this.literal();
    if (x < 0.7) return `scalar(${this.vector(depth - 1)})`;
    if (x < 0.78) return 'time()';
    if (x < 0.83) return 'pi()';
    if (x < 0.95) {
      const op = this.pick([...ARITH, ...COMPARISONS.map((c) => `${c} bool`)]);
      return `${this.scalar(depth - 1)} ${op} ${this.scalar(depth - 1)}`;
    }
    return `(${this.scalar(depth - 1)})`;
  }

  // ---------------------------------------------------------------- vectors

  private grouping(): string {
    if (this.chance(0.35)) return '';
    const n = this.pick([0, 1, 1, 2, 2, 3]);
    const labels = new Set<string>();
    for (let i = 0; i < n; i++) labels.add(this.pick(GROUP_LABELS));
    return ` ${this.chance(0.7) ? 'by' : 'without'} (${[...labels].join(', ')})`;
  }

  private aggregation(depth: number): string {
    const op = this.pick(AGGREGATIONS);
    const g = this.grouping();
    const inner = this.vector(depth - 1);
    const param =
      op === 'topk' || op === 'bottomk'
        ? `${this.pick(['1', '2', '3', '0', '-1', '1.5', 'scalar(up{job="api",instance="a:9090"})'])}, `
        : op === 'quantile'
          ? `${this.pick(['0', '0.5', '0.9', '0.99', '1', '-0.5', '1.5', 'NaN'])}, `
          : op === 'count_values'
            ? `"${this.pick(['value', 'job', 'le'])}", `
            : '';
    // Both the prefix and the postfix grouping form.
    return this.chance(0.5) ? `${op}${g} (${param}${inner})` : `${op}(${param}${inner})${g}`;
  }

  private rangeFunction(): string {
    const names = this.functions.filter((f) => f.argTypes.includes('matrix')).map((f) => f.name);
    const name = this.pick(names);
    const counterish = ['rate', 'irate', 'increase', 'resets'].includes(name);
    const range = this.rangeVector(counterish);
    switch (name) {
      case 'quantile_over_time':
        return `quantile_over_time(${this.pick(['0', '0.5', '0.9', '1', '-1', '2'])}, ${range})`;
      case 'predict_linear':
        return `predict_linear(${range}, ${this.pick(['60', '3600', '-300', '0'])})`;
      case 'holt_winters':
        return `holt_winters(${range}, ${this.pick(['0.5', '0.1', '0', '1'])}, ${this.pick(['0.5', '0.9', '1'])})`;
      default:
        return `${name}(${range})`;
    }
  }

  private instantFunction(depth: number): string {
    const fs = this.functions.filter((f) => !f.argTypes.includes('matrix') && f.returnType === 'vector' && f.name !== 'histogram_quantile');
    const f = this.pick(fs);
    const inner = (): string => this.vector(depth - 1);
    switch (f.name) {
      case 'vector':
        return `vector(${this.scalar(1)})`;
      case 'round':
        return this.chance(0.5) ? `round(${inner()})` : `round(${inner()}, ${this.pick(['0.1', '5', '0.25', '3'])})`;
      case 'clamp':
        return `clamp(${inner()}, ${this.pick(['0', '-1', '10'])}, ${this.pick(['100', '5', '-5'])})`;
      case 'clamp_min':
      case 'clamp_max':
        return `${f.name}(${inner()}, ${this.pick(['0', '10', '1e8', 'NaN'])})`;
      case 'label_replace':
        return `label_replace(${inner()}, "${this.pick(['dst', 'job', 'instance', '__name__'])}", "${this.pick(['$1', '${1}-x', 'const', ''])}", "${this.pick(['instance', 'job', 'missing'])}", "${this.pick(['(.*):.*', '(.*)', 'a(.*)', '.*'])}")`;
      case 'label_join':
        return `label_join(${inner()}, "${this.pick(['dst', 'job'])}", "${this.pick(['-', ''])}", "${this.pick(['job', 'instance'])}", "${this.pick(['instance', 'code', 'missing'])}")`;
      case 'histogram_fraction':
        return `histogram_fraction(0, 0.5, ${inner()})`;
      case 'days_in_month':
      case 'day_of_month':
      case 'day_of_week':
      case 'day_of_year':
      case 'hour':
      case 'minute':
      case 'month':
      case 'year':
        return this.chance(0.5) ? `${f.name}()` : `${f.name}(${inner()})`;
      default:
        if (f.argTypes.length === 1 && f.argTypes[0] === 'vector') return `${f.name}(${inner()})`;
        return `vector(${this.scalar(1)})`;
    }
  }

  private binary(depth: number): string {
    const x = this.u();
    if (x < 0.3) {
      // vector op scalar (either side).
      // With a scalar side only an empty on()/ignoring() is legal (parse.go checkAST).
      const op = `${this.pick([...ARITH, ...COMPARISONS, ...COMPARISONS.map((c) => `${c} bool`)])}${this.chance(0.12) ? this.pick([' on()', ' ignoring()', ' on(job)']) : ''}`;
      return this.chance(0.5) ? `${this.vector(depth - 1)} ${op} ${this.scalar(1)}` : `${this.scalar(1)} ${op} ${this.vector(depth - 1)}`;
    }
    const op = x < 0.65 ? this.pick(ARITH) : x < 0.85 ? this.pick([...COMPARISONS, ...COMPARISONS.map((c) => `${c} bool`)]) : this.pick(SETS);
    const matching = this.matching(SETS.includes(op));
    return `${this.vector(depth - 1)} ${op}${matching} ${this.vector(depth - 1)}`;
  }

  private matching(set: boolean): string {
    if (this.chance(0.45)) return '';
    const labels = [...new Set([this.pick(GROUP_LABELS), this.pick(['job', 'instance', 'job'])])].slice(0, this.pick([0, 1, 2]));
    let s = ` ${this.chance(0.7) ? 'on' : 'ignoring'}(${labels.join(', ')})`;
    if (!set && this.chance(0.35)) s += ` ${this.chance(0.6) ? 'group_left' : 'group_right'}${this.chance(0.5) ? `(${this.pick(['code', 'le', 'batch', 'zone'])})` : ''}`;
    return s;
  }

  vector(depth: number): string {
    if (depth <= 0) return this.chance(0.6) ? this.selector() + this.modifiers() : this.rangeFunction();
    const x = this.u();
    if (x < 0.15) return this.selector() + this.modifiers();
    if (x < 0.4) return this.rangeFunction();
    if (x < 0.6) return this.aggregation(depth);
    if (x < 0.75) return this.binary(depth);
    if (x < 0.88) return this.instantFunction(depth);
    if (x < 0.92) return this.histogramQuantile();
    if (x < 0.96) return `-${this.vector(depth - 1)}`;
    if (x < 0.97) return `${this.vector(depth - 1)}${this.pick([' # note\n', '\n  ', ' '])}${this.pick(SETS)} ${this.vector(depth - 1)}`;
    return `(${this.vector(depth - 1)})`;
  }

  private histogramQuantile(): string {
    const q = this.pick(['0', '0.5', '0.9', '0.95', '0.99', '1', '-0.1', '1.5', 'NaN', 'scalar(up{job="web",instance="b:9090"})']);
    const sel = this.selector(METRICS[1]);
    const range = this.pick(['1m', '5m', '5m', '10m']);
    const x = this.u();
    if (x < 0.5) return `histogram_quantile(${q}, sum by (${this.pick(['le', 'le, job', 'le, instance', 'job, le, instance'])}) (rate(${sel}[${range}])))`;
    if (x < 0.75) return `histogram_quantile(${q}, rate(${sel}[${range}]))`;
    if (x < 0.9) return `histogram_quantile(${q}, ${sel})`;
    return `histogram_quantile(${q}, sum without (instance) (increase(${sel}[${range}])))`;
  }
}
