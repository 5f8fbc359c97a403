import { describe, expect, it } from 'vitest';
import { compareLabels, Labels, SampleBuffer, SeriesStore } from '../../sim/metrics/store.js';
import { newLabelMatcher } from '../../sim/metrics/promql/matchers.js';

function eq(name: string, value: string) {
  const r = newLabelMatcher('=', name, value, 3);
  if (!r.ok) throw new Error(r.error);
  return r.matcher;
}
function re(name: string, value: string) {
  const r = newLabelMatcher('=~', name, value, 3);
  if (!r.ok) throw new Error(r.error);
  return r.matcher;
}

describe('Labels', () => {
  it('sorts by name bytewise and drops empty values', () => {
    const l = Labels.from({ job: 'a', __name__: 'x', Zone: 'z', empty: '' });
    expect(l.names).toEqual(['Zone', '__name__', 'job']);
    expect(l.get('empty')).toBe('');
    expect(l.toString()).toBe('x{Zone="z", job="a"}');
  });

  it('has unambiguous keys', () => {
    expect(Labels.from({ a: 'b,c=d' }).key).not.toBe(Labels.from({ a: 'b', c: 'd' }).key);
  });

  it('compares like labels.Compare', () => {
    const a = Labels.from({ __name__: 'm', code: '200' });
    const b = Labels.from({ __name__: 'm', code: '500' });
    const c = Labels.from({ __name__: 'm', code: '200', job: 'x' });
    expect(compareLabels(a, b)).toBeLessThan(0);
    expect(compareLabels(a, c)).toBeLessThan(0);
    expect(compareLabels(b, c)).toBeGreaterThan(0);
  });
});

describe('SeriesStore', () => {
  it('gets or creates series by label set', () => {
    const s = new SeriesStore();
    const h1 = s.series({ __name__: 'm', job: 'a' });
    const h2 = s.series({ job: 'a', __name__: 'm' });
    expect(h1).toBe(h2);
    expect(s.seriesCount).toBe(1);
    s.series({ __name__: 'm', job: 'b' });
    expect(s.seriesCount).toBe(2);
  });

  it('rejects non-increasing and non-integer timestamps', () => {
    const h = new SeriesStore().series({ __name__: 'm' });
    h.append(1000, 1);
    expect(() => h.append(1000, 2)).toThrow(/out-of-order/);
    expect(() => h.append(999, 2)).toThrow(/out-of-order/);
    expect(() => h.appendStale(1000)).toThrow(/out-of-order/);
    expect(() => h.append(1500.5, 2)).toThrow(/integer/);
    h.append(2000, 2);
    expect(h.sampleCount).toBe(2);
  });

  it('selects by matchers in label order, using the name index', () => {
    const s = new SeriesStore();
    s.series({ __name__: 'm', code: '500' });
    s.series({ __name__: 'm', code: '200' });
    s.series({ __name__: 'other', code: '200' });
    expect(s.select([eq('__name__', 'm')]).map((h) => h.labels.get('code'))).toEqual(['200', '500']);
    expect(s.select([eq('code', '200')]).map((h) => h.labels.get('__name__'))).toEqual(['m', 'other']);
    expect(s.select([re('__name__', 'm|other'), re('code', '5..')]).length).toBe(1);
    expect(s.select([eq('__name__', 'none')])).toEqual([]);
  });

  it('finds the latest sample within lookback, honouring stale markers and window ends', () => {
    const h = new SeriesStore().series({ __name__: 'm' });
    const buf = new SampleBuffer(4);
    h.append(0, 1);
    h.append(60_000, 2);
    h.appendStale(120_000);
    h.append(180_000, 4);
    expect(h.latest(59_999, 300_000, true, buf) && buf.v[0]).toBe(1);
    expect(h.latest(60_000, 300_000, true, buf) && buf.v[0]).toBe(2);
    expect(h.latest(150_000, 300_000, true, buf)).toBe(false);
    expect(h.latest(180_000, 300_000, true, buf) && buf.v[0]).toBe(4);
    // exactly lookback old: closed (2.x) keeps it, left-open (3.x) does not
    expect(h.latest(480_000, 300_000, false, buf)).toBe(true);
    expect(h.latest(480_000, 300_000, true, buf)).toBe(false);
    expect(h.latest(-1, 300_000, true, buf)).toBe(false);
  });

  it('reads windows across chunks and irregular spacing, skipping stale markers', () => {
    const h = new SeriesStore().series({ __name__: 'm' });
    const times: number[] = [];
    let t = 0;
    for (let i = 0; i < 5000; i++) {
      t += i % 7 === 0 ? 15_000 : i % 11 === 0 ? 14_999 : 15_000;
      if (i % 97 === 5) h.appendStale(t);
      else {
        h.append(t, i);
        times.push(t);
      }
    }
    const buf = new SampleBuffer(2);
    for (const [lo, hi] of [
      [0, 100_000],
      [times[1000] as number, (times[1000] as number) + 3_600_000],
      [(times[3000] as number) - 1, times[4000] as number],
    ] as const) {
      for (const leftOpen of [false, true]) {
        const want = times.filter((x) => (leftOpen ? x > lo : x >= lo) && x <= hi);
        const n = h.readRange(lo, hi, leftOpen, buf);
        expect(Array.from(buf.t.subarray(0, n))).toEqual(want);
      }
    }
  });

  it('keeps a simulated day of 2,000 series at 15 s well under 200 MB', () => {
    const s = new SeriesStore();
    const handles = Array.from({ length: 2000 }, (_, i) => s.series({ __name__: 'http_requests_total', pod: `p${i}` }));
    const steps = (24 * 3600) / 15;
    for (let k = 0; k < steps; k++) {
      const t = k * 15_000 + 123;
      for (let i = 0; i < handles.length; i++) (handles[i] as (typeof handles)[number]).append(t, k * 3 + i);
    }
    expect(s.sampleCount).toBe(2000 * steps);
    // values: 8 B per sample plus at most one partly filled chunk per series
    expect(s.byteSize).toBeLessThan(110 * 1024 * 1024);
  }, 60_000);
});
