// evaluateRange (the query_range engine the HTTP server calls) and fast-check properties of the
// functions and aggregations added with it (sort, topk/bottomk, quantile, subqueries).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeriesStore } from '../../../sim/metrics/store.js';
import { compileQuery, evaluateInstant, evaluateRange, PromqlError } from '../../../sim/metrics/promql/index.js';

function store(): SeriesStore {
  const s = new SeriesStore();
  const a = s.series({ __name__: 'req', code: '500', job: 'a' });
  const b = s.series({ __name__: 'req', code: '200', job: 'a' });
  for (let k = 0; k <= 30; k++) {
    a.append(k * 60_000, k);
    b.append(k * 60_000, 10 * k);
  }
  return s;
}

function samplesOf(r: ReturnType<typeof evaluateInstant>): { labels: Record<string, string>; value: number }[] {
  if (r.resultType !== 'vector') throw new Error(`expected a vector, got ${r.resultType}`);
  return [...r.samples];
}

describe('evaluateRange', () => {
  it('returns a matrix sorted by label set, whatever the instant order', () => {
    const r = evaluateRange(compileQuery('sort_desc(req)'), store(), 0, 120_000, 60_000);
    expect(r.resultType).toBe('matrix');
    expect(r.series.map((s) => s.labels.code)).toEqual(['200', '500']);
    expect(r.series[1]?.points).toEqual([
      { t: 0, value: 0 },
      { t: 60_000, value: 1 },
      { t: 120_000, value: 2 },
    ]);
  });

  it('gives a scalar query one series without labels', () => {
    const r = evaluateRange(compileQuery('time() * 2'), store(), 60_000, 180_000, 60_000);
    expect(r.series).toEqual([{ labels: {}, points: [{ t: 60_000, value: 120 }, { t: 120_000, value: 240 }, { t: 180_000, value: 360 }] }]);
  });

  it('includes the end only when it is on the step grid', () => {
    const r = evaluateRange(compileQuery('vector(1)'), store(), 0, 150_000, 60_000);
    expect(r.series[0]?.points.map((p) => p.t)).toEqual([0, 60_000, 120_000]);
  });

  it('resolves @ start() and @ end() to the range', () => {
    const s = store();
    const q = compileQuery('req{code="500"} @ end() - req{code="500"} @ start()');
    const r = evaluateRange(q, s, 60_000, 300_000, 60_000);
    expect(r.series[0]?.points.every((p) => p.value === 4)).toBe(true);
  });

  it('refuses string and range-vector queries and too many points, with Prometheus texts', () => {
    const s = store();
    const err = (f: () => unknown): PromqlError => {
      try {
        f();
      } catch (e) {
        if (e instanceof PromqlError) return e;
        throw e;
      }
      throw new Error('no error');
    };
    expect(err(() => evaluateRange(compileQuery('"x"'), s, 0, 60_000, 60_000)).message).toBe(
      'invalid expression type "string" for range query, must be Scalar or instant Vector',
    );
    expect(err(() => evaluateRange(compileQuery('req[5m]'), s, 0, 60_000, 60_000)).message).toBe(
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector',
    );
    expect(err(() => evaluateRange(compileQuery('req'), s, 0, 11_001_000, 1000)).message).toBe(
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    );
    expect(evaluateRange(compileQuery('vector(1)'), s, 0, 11_000_000, 1000).series[0]?.points).toHaveLength(11_001);
    expect(err(() => evaluateRange(compileQuery('req'), s, 60_000, 0, 1000)).kind).toBe('parse');
    expect(err(() => evaluateRange(compileQuery('req'), s, 0, 60_000, 0)).kind).toBe('parse');
    expect(err(() => evaluateRange(compileQuery('req / on(job) req'), s, 0, 60_000, 60_000)).kind).toBe('execution');
  });

  it('agrees with instant evaluation at every step', () => {
    const s = store();
    const queries = [
      'rate(req[5m])',
      'sum by (job) (increase(req[3m]))',
      'max_over_time(rate(req[2m])[5m:1m])',
      'topk(1, req)',
      'req offset 2m',
      'absent(nonexistent)',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...queries), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom<2 | 3>(2, 3), (text, startMin, steps, version) => {
        const q = compileQuery(text, { prometheusVersion: version });
        const start = startMin * 60_000 + 7_000;
        const step = 45_000;
        const r = evaluateRange(q, s, start, start + steps * step, step);
        for (let i = 0; i <= steps; i++) {
          const t = start + i * step;
          const inst = samplesOf(evaluateInstant(q, s, t));
          const fromRange = r.series.flatMap((ser) => ser.points.filter((p) => p.t === t).map((p) => ({ labels: ser.labels, value: p.value })));
          const key = (x: { labels: Record<string, string> }): string => JSON.stringify(Object.entries(x.labels).sort());
          expect(fromRange.sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(inst.sort((a, b) => (key(a) < key(b) ? -1 : 1)));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('properties', () => {
  const values = fc.array(fc.oneof(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), fc.constant(Number.NaN)), { minLength: 0, maxLength: 20 });

  function storeOf(vs: number[]): SeriesStore {
    const s = new SeriesStore();
    vs.forEach((v, i) => s.series({ __name__: 'm', i: String(i).padStart(2, '0') }).append(0, v));
    return s;
  }

  it('sort is ascending and sort_desc descending, NaN last, keeping every sample', () => {
    fc.assert(
      fc.property(values, fc.constantFrom<2 | 3>(2, 3), (vs, version) => {
        const s = storeOf(vs);
        for (const [fn, dir] of [['sort', 1], ['sort_desc', -1]] as const) {
          const out = samplesOf(evaluateInstant(compileQuery(`${fn}(m)`, { prometheusVersion: version }), s, 0)).map((x) => x.value);
          expect(out).toHaveLength(vs.length);
          const firstNaN = out.findIndex((v) => Number.isNaN(v));
          if (firstNaN >= 0) expect(out.slice(firstNaN).every((v) => Number.isNaN(v))).toBe(true);
          const nums = firstNaN >= 0 ? out.slice(0, firstNaN) : out;
          for (let i = 1; i < nums.length; i++) expect(dir * ((nums[i] as number) - (nums[i - 1] as number))).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('topk/bottomk return min(k, n) of the input samples, ordered, and the extreme values', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: -1, max: 25 }), fc.constantFrom<2 | 3>(2, 3), (vs, k, version) => {
        const s = storeOf(vs);
        const numeric = vs.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
        for (const op of ['topk', 'bottomk'] as const) {
          const out = samplesOf(evaluateInstant(compileQuery(`${op}(${k}, m)`, { prometheusVersion: version }), s, 0));
          expect(out).toHaveLength(Math.max(0, Math.min(k, vs.length)));
          for (const x of out) expect(Object.is(x.value, vs[Number(x.labels.i)])).toBe(true);
          const got = out.map((x) => x.value).filter((v) => !Number.isNaN(v));
          const want = op === 'topk' ? numeric.slice(numeric.length - got.length).reverse() : numeric.slice(0, got.length);
          // NaNs only fill places no number could take.
          if (out.length <= numeric.length) expect(got).toEqual(want);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('quantile lies between min and max, and is monotonic in q', () => {
    const nums = fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(nums, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (vs, q1, q2) => {
        const s = storeOf(vs);
        const at = (q: number): number => (samplesOf(evaluateInstant(compileQuery(`quantile(${q}, m)`), s, 0))[0] as { value: number }).value;
        const lo = Math.min(q1, q2);
        const hi = Math.max(q1, q2);
        const a = at(lo);
        const b = at(hi);
        expect(a).toBeGreaterThanOrEqual(Math.min(...vs));
        expect(b).toBeLessThanOrEqual(Math.max(...vs));
        expect(b).toBeGreaterThanOrEqual(a - 1e-6 * Math.max(1, Math.abs(a)));
      }),
      { numRuns: 300 },
    );
  });

  it('a subquery over a selector at the data step equals the range selector (3.x left-open windows)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 10 }), (vs, tMin, rMin) => {
        const s = new SeriesStore();
        const h = s.series({ __name__: 'g' });
        vs.forEach((v, i) => h.append(i * 60_000, v));
        for (const fn of ['sum_over_time', 'count_over_time', 'max_over_time']) {
          const a = evaluateInstant(compileQuery(`${fn}(g[${rMin}m])`), s, tMin * 60_000);
          const b = evaluateInstant(compileQuery(`${fn}(g[${rMin}m:1m])`), s, tMin * 60_000);
          // Only comparable while the subquery's lookback does not repeat the last sample.
          if (tMin < vs.length) expect(samplesOf(b).map((x) => x.value)).toEqual(samplesOf(a).map((x) => x.value));
        }
      }),
      { numRuns: 200 },
    );
  });
});
