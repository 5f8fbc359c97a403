// Property tests (fast-check) for the parser, the store and the engine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SampleBuffer, SeriesStore } from '../../../sim/metrics/store.js';
import { compileQuery, evaluateInstant, PromqlError } from '../../../sim/metrics/promql/index.js';

const TOKENS = [
  'rate', 'sum', 'avg', 'by', 'without', 'on', 'ignoring', 'group_left', 'bool', 'offset', 'and', 'or',
  'unless', 'foo', 'bar_total', '{', '}', '(', ')', '[', ']', ',', '=', '!=', '=~', '!~', '"a"', "'5..'",
  '5m', '1h', '30s', '10', '0.5', '-', '+', '*', '/', '%', '^', '>', '<', '==', '>=', ' ', ' ', '@', ':',
  '#', '\n', 'histogram_quantile', 'vector', 'time', 'abs', 'le', 'Inf', 'NaN', '`x`', '0x1f', 'x"',
];

describe('parser robustness', () => {
  it('throws nothing but PromqlError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom<2 | 3>(2, 3), (text, version) => {
        try {
          compileQuery(text, { prometheusVersion: version });
        } catch (e) {
          if (!(e instanceof PromqlError)) throw e;
          expect(e.position).toBeDefined();
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('throws nothing but PromqlError on token soup, and evaluates what compiles', () => {
    const store = new SeriesStore();
    const h = store.series({ __name__: 'foo', le: '1' });
    const b = store.series({ __name__: 'bar_total', a: '5..' });
    for (let k = 0; k < 100; k++) {
      h.append(k * 15_000, k);
      b.append(k * 15_000, k * 2);
    }
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }), fc.constantFrom<2 | 3>(2, 3), (toks, version) => {
        const text = toks.join('');
        try {
          const q = compileQuery(text, { prometheusVersion: version });
          evaluateInstant(q, store, 1_200_000);
        } catch (e) {
          if (!(e instanceof PromqlError)) throw new Error(`${text}: ${String(e)}`);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('engine properties', () => {
  const counter = fc.record({
    increments: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 80 }),
    start: fc.double({ min: 0, max: 1e6, noNaN: true }),
    intervalMs: fc.integer({ min: 1000, max: 120_000 }),
    rangeS: fc.integer({ min: 1, max: 3600 }),
    evalOffsetMs: fc.integer({ min: 0, max: 10_000_000 }),
    version: fc.constantFrom<2 | 3>(2, 3),
  });

  it('rate and increase of a monotonic counter are >= 0', () => {
    fc.assert(
      fc.property(counter, (c) => {
        const s = new SeriesStore();
        const h = s.series({ __name__: 'c_total' });
        let v = c.start;
        h.append(0, v);
        c.increments.forEach((inc, i) => {
          v += inc;
          h.append((i + 1) * c.intervalMs, v);
        });
        for (const fn of ['rate', 'increase', 'irate']) {
          const q = compileQuery(`${fn}(c_total[${c.rangeS}s])`, { prometheusVersion: c.version });
          const r = evaluateInstant(q, s, c.evalOffsetMs);
          if (r.resultType !== 'vector') throw new Error('vector expected');
          for (const x of r.samples) expect(x.value).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('sum by () equals the sum of the values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.constantFrom<2 | 3>(2, 3),
        (values, version) => {
          const s = new SeriesStore();
          values.forEach((v, i) => s.series({ __name__: 'g', i: String(i) }).append(0, v));
          const r = evaluateInstant(compileQuery('sum by () (g)', { prometheusVersion: version }), s, 0);
          const want = values.reduce((a, b) => a + b, 0);
          const got = r.resultType === 'vector' ? (r.samples[0]?.value as number) : NaN;
          const scale = values.reduce((a, b) => a + Math.abs(b), 0);
          expect(Math.abs(got - want)).toBeLessThanOrEqual(scale * 1e-12 + 1e-9);
          const count = evaluateInstant(compileQuery('count(g)'), s, 0);
          expect(count.resultType === 'vector' && count.samples[0]?.value).toBe(values.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('store windows agree with a naive model', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 50_000 }), fc.boolean()), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: -10_000, max: 60_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.boolean(),
        (steps, lo, width, leftOpen) => {
          const h = new SeriesStore().series({ __name__: 'm' });
          const model: { t: number; v: number; stale: boolean }[] = [];
          let t = 0;
          steps.forEach(([dt, stale], i) => {
            t += dt;
            if (stale) h.appendStale(t);
            else h.append(t, i);
            model.push({ t, v: i, stale });
          });
          const hi = lo + width;
          const buf = new SampleBuffer(1);
          const n = h.readRange(lo, hi, leftOpen, buf);
          const want = model.filter((m) => !m.stale && (leftOpen ? m.t > lo : m.t >= lo) && m.t <= hi);
          expect(Array.from(buf.t.subarray(0, n))).toEqual(want.map((m) => m.t));
          expect(Array.from(buf.v.subarray(0, n))).toEqual(want.map((m) => m.v));
          const latest = [...model].reverse().find((m) => m.t <= hi);
          const visible = latest !== undefined && !latest.stale && (leftOpen ? latest.t > hi - 300_000 : latest.t >= hi - 300_000);
          expect(h.latest(hi, 300_000, leftOpen, buf)).toBe(visible);
          if (visible) expect(buf.v[0]).toBe(latest.v);
        },
      ),
      { numRuns: 300 },
    );
  });
});
