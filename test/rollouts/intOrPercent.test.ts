// k8s.io/apimachinery v0.34.1 pkg/util/intstr `GetValueFromIntOrPercent` (legacy) and
// `IntOrString.IntValue()`, as Argo Rollouts v1.9.1 uses them for maxSurge / maxUnavailable and
// analysis limits.
// https://github.com/kubernetes/apimachinery/blob/v0.34.1/pkg/util/intstr/intstr.go

import { describe, expect, it } from 'vitest';
import { getValueFromIntOrPercent, intOrStringIntValue } from '../../sim/manifests/intOrPercent.js';

const value = (v: Parameters<typeof getValueFromIntOrPercent>[0], total: number, roundUp: boolean): number => {
  const r = getValueFromIntOrPercent(v, total, roundUp);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('getValueFromIntOrPercent (legacy)', () => {
  it('an int is an absolute count, never scaled or rounded', () => {
    expect(value(3, 10, true)).toBe(3);
    expect(value(3, 10, false)).toBe(3);
    expect(value(30, 10, false)).toBe(30); // no cap here
    expect(value(0, 10, true)).toBe(0);
  });
  it('"25%" of 10 is 2.5: up ⇒ 3, down ⇒ 2', () => {
    expect(value('25%', 10, true)).toBe(3);
    expect(value('25%', 10, false)).toBe(2);
  });
  it('ANY string is a percentage: "1" means 1 %, "25" means 25 %', () => {
    expect(value('1', 10, true)).toBe(1); // ceil(0.1)
    expect(value('1', 10, false)).toBe(0);
    expect(value('1', 200, false)).toBe(2);
    expect(value('25', 10, true)).toBe(3);
    expect(value('25', 10, false)).toBe(2);
  });
  it('every % is stripped, wherever it is', () => {
    expect(value('%25', 100, false)).toBe(25);
    expect(value('2%5%', 100, false)).toBe(25);
  });
  it('exact percentages and zero totals', () => {
    expect(value('50%', 10, true)).toBe(5);
    expect(value('100%', 5, false)).toBe(5);
    expect(value('0%', 10, true)).toBe(0);
    expect(value('25%', 0, true)).toBe(0);
  });
  it('strconv.Atoi syntax: optional sign allowed, spaces and decimals are not', () => {
    expect(value('+10%', 10, false)).toBe(1);
    expect(value('-10%', 10, false)).toBe(-1);
    for (const bad of ['abc', '', '%', ' 5%', '5 %', '2.5%', '1e2', '0x10']) {
      const r = getValueFromIntOrPercent(bad, 10, true);
      expect(r.ok, bad).toBe(false);
    }
  });
  it('error messages follow upstream', () => {
    expect(getValueFromIntOrPercent('oops', 10, true)).toEqual({
      ok: false,
      error: 'invalid value for IntOrString: invalid value "oops": invalid syntax',
    });
    expect(getValueFromIntOrPercent(undefined, 10, true)).toEqual({ ok: false, error: 'nil value for IntOrString' });
  });
  it('a number must be an int32 (what decoding into IntOrString accepts)', () => {
    expect(getValueFromIntOrPercent(2.5, 10, true).ok).toBe(false);
    expect(getValueFromIntOrPercent(2 ** 31, 10, true).ok).toBe(false);
  });
});

describe('intOrStringIntValue (IntOrString.IntValue)', () => {
  it('ints as is, digit strings parsed, anything else 0', () => {
    expect(intOrStringIntValue(4)).toBe(4);
    expect(intOrStringIntValue('7')).toBe(7);
    expect(intOrStringIntValue('-1')).toBe(-1);
    expect(intOrStringIntValue('25%')).toBe(0);
    expect(intOrStringIntValue('abc')).toBe(0);
  });
});
