import { describe, expect, it } from 'vitest';
import { SeriesStore } from '../../../sim/metrics/store.js';
import { compileQuery, evaluateInstant, PromqlError } from '../../../sim/metrics/promql/index.js';

function storeWithRequests(): SeriesStore {
  const s = new SeriesStore();
  const ok = s.series({ __name__: 'http_requests_total', status: '200' });
  const err = s.series({ __name__: 'http_requests_total', status: '500' });
  for (let k = 0; k <= 40; k++) {
    ok.append(k * 15_000, k * 99);
    err.append(k * 15_000, k);
  }
  return s;
}

describe('evaluateInstant', () => {
  it('evaluates an analysis-style ratio', () => {
    const q = compileQuery('sum(rate(http_requests_total{status=~"5.*"}[5m])) / sum(rate(http_requests_total[5m]))');
    const r = evaluateInstant(q, storeWithRequests(), 600_000);
    expect(r.resultType).toBe('vector');
    if (r.resultType !== 'vector') return;
    expect(r.samples).toHaveLength(1);
    expect(r.samples[0]?.labels).toEqual({});
    expect(r.samples[0]?.value).toBeCloseTo(0.01, 12);
    expect(r.unmatchedSelectors).toEqual([]);
  });

  it('reports selectors that matched no series at all', () => {
    const q = compileQuery('sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))');
    const r = evaluateInstant(q, storeWithRequests(), 600_000);
    expect(r.resultType === 'vector' && r.samples).toEqual([]);
    expect(r.unmatchedSelectors).toEqual([
      { text: 'http_requests_total{code=~"5.."}', position: { line: 1, column: 10, offset: 9 } },
    ]);
  });

  it('does not report selectors that match series without samples in the window', () => {
    const r = evaluateInstant(compileQuery('http_requests_total'), storeWithRequests(), 10_000_000);
    expect(r.resultType === 'vector' && r.samples).toEqual([]);
    expect(r.unmatchedSelectors).toEqual([]);
  });

  it('returns scalars, strings and matrices', () => {
    const s = storeWithRequests();
    expect(evaluateInstant(compileQuery('scalar(sum(http_requests_total))'), s, 30_000)).toMatchObject({ resultType: 'scalar', value: 200 });
    expect(evaluateInstant(compileQuery('"hello"'), s, 0)).toMatchObject({ resultType: 'string', value: 'hello' });
    const m = evaluateInstant(compileQuery('http_requests_total{status="500"}[30s]'), s, 30_000, { prometheusVersion: 2 });
    expect(m).toMatchObject({
      resultType: 'matrix',
      series: [{ labels: { __name__: 'http_requests_total', status: '500' }, points: [{ t: 0, value: 0 }, { t: 15_000, value: 1 }, { t: 30_000, value: 2 }] }],
    });
    const m3 = evaluateInstant(compileQuery('http_requests_total{status="500"}[30s]'), s, 30_000);
    expect(m3.resultType === 'matrix' && m3.series[0]?.points.length).toBe(2);
  });

  it('throws execution errors as PromqlError kind execution', () => {
    const q = compileQuery('http_requests_total / on() http_requests_total');
    try {
      evaluateInstant(q, storeWithRequests(), 60_000);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PromqlError);
      expect((e as PromqlError).kind).toBe('execution');
      expect((e as PromqlError).message).toMatch(/^found duplicate series for the match group \{\} on the right hand-side/);
    }
  });

  it('honours a configured lookback delta', () => {
    const s = new SeriesStore();
    s.series({ __name__: 'g' }).append(0, 1);
    const q = compileQuery('g');
    expect(evaluateInstant(q, s, 90_000, { lookbackDeltaMs: 60_000 })).toMatchObject({ samples: [] });
    expect(evaluateInstant(q, s, 50_000, { lookbackDeltaMs: 60_000 })).toMatchObject({ samples: [{ value: 1 }] });
  });

  it('sees series created after a previous evaluation (selector cache invalidation)', () => {
    const s = new SeriesStore();
    const q = compileQuery('count(up)');
    expect(evaluateInstant(q, s, 0)).toMatchObject({ samples: [] });
    s.series({ __name__: 'up', pod: 'a' }).append(0, 1);
    expect(evaluateInstant(q, s, 0)).toMatchObject({ samples: [{ value: 1 }] });
    s.series({ __name__: 'up', pod: 'b' }).append(0, 1);
    expect(evaluateInstant(q, s, 0)).toMatchObject({ samples: [{ value: 2 }] });
    expect(evaluateInstant(q, new SeriesStore(), 0)).toMatchObject({ samples: [] });
  });

  it('is fast enough for per-interval analysis queries', () => {
    const s = new SeriesStore();
    const hs = [];
    for (const version of ['v1', 'v2']) {
      for (const code of ['200', '201', '404', '500', '503']) {
        for (let pod = 0; pod < 5; pod++) hs.push(s.series({ __name__: 'http_requests_total', version, code, pod: `p${pod}` }));
      }
    }
    for (let k = 0; k < 240; k++) hs.forEach((h, i) => h.append(k * 15_000, k * (i + 1)));
    const q = compileQuery('sum(rate(http_requests_total{version="v2",code=~"5.."}[5m])) / sum(rate(http_requests_total{version="v2"}[5m]))');
    const t0 = performance.now();
    const n = 2000;
    for (let i = 0; i < n; i++) evaluateInstant(q, s, 3_000_000 + (i % 60) * 15_000);
    const perQueryMs = (performance.now() - t0) / n;
    expect(perQueryMs).toBeLessThan(0.5);
  });
});

describe('epochMs: Unix time of virtual 0', () => {
  function ramp(): SeriesStore {
    const s = new SeriesStore();
    const x = s.series({ __name__: 'x' });
    for (let t = 0; t <= 600_000; t += 1000) x.append(t, t / 1000);
    return s;
  }
  const scalarOf = (q: string, t: number, epochMs: number): number => {
    const r = evaluateInstant(compileQuery(q), ramp(), t, { epochMs });
    if (r.resultType === 'scalar') return r.value;
    if (r.resultType === 'vector' && r.samples.length === 1) return (r.samples[0] as { value: number }).value;
    throw new Error(`unexpected result for ${q}`);
  };

  it('shows absolute time in time(), timestamp() and the date functions', () => {
    expect(scalarOf('time()', 60_000, 0)).toBe(60);
    expect(scalarOf('time()', 60_000, 1_700_000_000_000)).toBe(1_700_000_060);
    expect(scalarOf('timestamp(x)', 60_500, 1_700_000_000_000)).toBe(1_700_000_060);
    // 1700000000 = 2023-11-14T22:13:20Z
    expect(scalarOf('hour()', 0, 1_700_000_000_000)).toBe(22);
    expect(scalarOf('day_of_week()', 0, 1_700_000_000_000)).toBe(2);
  });

  it('reads `@ <unix seconds>` as absolute time', () => {
    expect(scalarOf('x @ 1700000030', 300_000, 1_700_000_000_000)).toBe(30);
    expect(scalarOf('x @ 30', 300_000, 0)).toBe(30);
  });

  it('aligns subquery steps to the absolute grid', () => {
    // Grid multiples of 45 s in Unix ms inside (ref - 1m, ref]: epoch 0 → 270 s; epoch 10 s → Unix 270 s = virtual 260 s.
    expect(scalarOf('max_over_time(x[1m:45s])', 300_000, 0)).toBe(270);
    expect(scalarOf('max_over_time(x[1m:45s])', 300_000, 10_000)).toBe(260);
  });

  it('returns negative zero for the literal -0 (unary minus on 0)', () => {
    const r = evaluateInstant(compileQuery('-0'), ramp(), 0);
    expect(r.resultType === 'scalar' && Object.is(r.value, -0)).toBe(true);
  });
});
