import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RandomStream, RandomStreams, lognormalFromMedianP99 } from '../../sim/engine/random.js';

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

describe('RandomStream', () => {
  it('is reproducible per (seed, name) and independent across names', () => {
    const a = new RandomStream(42, 'traffic');
    const b = new RandomStream(42, 'traffic');
    const c = new RandomStream(42, 'pods');
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
  });

  it('RandomStreams hands out one stream per name', () => {
    const s = new RandomStreams(7);
    expect(s.stream('x')).toBe(s.stream('x'));
  });

  // Moments over 200k draws from a fixed seed: deterministic, so these cannot flake.
  it.each([
    ['small mean (inversion)', 4.5],
    ['boundary', 10],
    ['1,000 rps over 15 s (PTRS)', 15_000],
  ])('poisson %s has mean and variance ≈ λ', (_name, lambda) => {
    const r = new RandomStream(1, 'poisson');
    const m = moments(() => r.poisson(lambda), 200_000);
    expect(m.mean).toBeCloseTo(lambda, lambda > 100 ? -1 : 1);
    expect(m.variance / lambda).toBeGreaterThan(0.97);
    expect(m.variance / lambda).toBeLessThan(1.03);
  });

  it.each([
    [20, 0.2],
    [100, 0.3],
    [15_000, 0.05],
    [15_000, 0.95],
  ])('binomial(%d, %f) has mean np and variance np(1-p)', (n, p) => {
    const r = new RandomStream(2, 'binomial');
    const m = moments(() => r.binomial(n, p), 200_000);
    const v = n * p * (1 - p);
    expect(Math.abs(m.mean - n * p)).toBeLessThan(4 * Math.sqrt(v / 200_000) + 1e-9);
    expect(m.variance / v).toBeGreaterThan(0.97);
    expect(m.variance / v).toBeLessThan(1.03);
  });

  it('binomial and multinomial stay within bounds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (n, p, seed) => {
        const r = new RandomStream(seed, 'prop');
        const k = r.binomial(n, p);
        expect(Number.isInteger(k)).toBe(true);
        expect(k).toBeGreaterThanOrEqual(0);
        expect(k).toBeLessThanOrEqual(n);
        const out = [0, 0, 0];
        r.multinomial(n, [p, 1 - p, 0.5], out);
        expect(out.reduce((a, b) => a + b, 0)).toBe(n);
      }),
    );
  });

  it('lognormalFromMedianP99 reproduces the median and p99', () => {
    const { mu, sigma } = lognormalFromMedianP99(0.04, 0.25);
    expect(Math.exp(mu)).toBeCloseTo(0.04, 12);
    expect(Math.exp(mu + 2.3263478740408408 * sigma)).toBeCloseTo(0.25, 12);
  });
});
