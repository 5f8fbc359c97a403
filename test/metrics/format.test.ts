import { describe, expect, it } from 'vitest';
import { formatPromScalar, formatPromValue } from '../../sim/metrics/promql/index.js';

describe('formatPromValue (Go FormatFloat as Prometheus marshals sample values)', () => {
  it.each([
    [0.049999999999999996, '0.049999999999999996'],
    [123456789012345680, '123456789012345680'],
    [1e-7, '1e-07'],
    [2.5e-7, '2.5e-07'],
    [0.000001, '0.000001'],
    [1e21, '1e+21'],
    [1.5e300, '1.5e+300'],
    [1e20, '100000000000000000000'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
    [-0, '-0'],
    [0, '0'],
    [0.16666666666666669, '0.16666666666666669'],
    [-3.5, '-3.5'],
  ])('%s -> %s', (v, s) => {
    expect(formatPromValue(v)).toBe(s);
  });
});

describe('formatPromScalar (FormatFloat f, -1)', () => {
  it.each([
    [1e-7, '0.0000001'],
    [1.2345e-10, '0.00000000012345'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [-2.5e-7, '-0.00000025'],
    [Infinity, '+Inf'],
    [-0, '-0'],
    [NaN, 'NaN'],
    [0.5, '0.5'],
  ])('%s -> %s', (v, s) => {
    expect(formatPromScalar(v)).toBe(s);
  });
});
