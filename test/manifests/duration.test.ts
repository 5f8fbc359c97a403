import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DurationError,
  intOrStringIntValue,
  parseGoDuration,
  parseGoDurationMs,
  parseGoInt32,
  pauseDurationSeconds,
} from '../../sim/manifests/duration.js';

const S = 1_000_000_000n;

describe('parseGoDuration (Go time.ParseDuration)', () => {
  it.each<[string, bigint]>([
    ['0', 0n],
    ['+0', 0n],
    ['-0', 0n],
    ['1h30m', 5400n * S],
    ['1.5h', 5400n * S],
    ['-1s', -S],
    ['.5s', S / 2n],
    ['5.s', 5n * S],
    ['300ms', 300_000_000n],
    ['2h45m10.5s', (2n * 3600n + 45n * 60n + 10n) * S + S / 2n],
    ['1us', 1_000n],
    ['1µs', 1_000n],
    ['1μs', 1_000n],
    ['1ns', 1n],
    ['1m1m', 120n * S],
    ['0.000000001s', 1n],
    ['9223372036854775807ns', 9223372036854775807n],
    ['-9223372036854775808ns', -9223372036854775808n],
    ['1.0000000000000000000000001s', S],
  ])('%s', (text, nanos) => {
    expect(parseGoDuration(text)).toBe(nanos);
  });

  it.each<[string, string]>([
    ['', 'time: invalid duration ""'],
    ['abc', 'time: invalid duration "abc"'],
    ['1', 'time: missing unit in duration "1"'],
    ['30', 'time: missing unit in duration "30"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['1 s', 'time: unknown unit " s" in duration "1 s"'],
    ['1S', 'time: unknown unit "S" in duration "1S"'],
    ['.s', 'time: invalid duration ".s"'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
  ])('rejects %j', (text, message) => {
    expect(() => parseGoDuration(text)).toThrow(DurationError);
    expect(() => parseGoDuration(text)).toThrow(message);
  });

  it('gives milliseconds truncated toward zero', () => {
    expect(parseGoDurationMs('1.9999ms')).toBe(1);
    expect(parseGoDurationMs('-1.5ms')).toBe(-1);
    expect(parseGoDurationMs('1m')).toBe(60_000);
  });

  it('never throws anything but DurationError (property)', () => {
    const alphabet = fc.constantFrom(...'0123456789.+-hmsnuµμ d'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(alphabet, { maxLength: 30 }).map((cs) => cs.join(''))), (text) => {
        try {
          const v = parseGoDuration(text);
          expect(typeof v).toBe('bigint');
          expect(v <= 9223372036854775807n && v >= -9223372036854775808n).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(DurationError);
        }
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('round-trips whole numbers of every unit (property)', () => {
    const units: [string, bigint][] = [['ns', 1n], ['us', 1000n], ['ms', 1_000_000n], ['s', S], ['m', 60n * S], ['h', 3600n * S]];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...units), fc.boolean(), (n, [unit, scale], negative) => {
        const text = `${negative ? '-' : ''}${n}${unit}`;
        expect(parseGoDuration(text)).toBe((negative ? -1n : 1n) * BigInt(n) * scale);
      }),
      { seed: 7 },
    );
  });
});

describe('pauseDurationSeconds (RolloutPause.DurationSeconds)', () => {
  it.each<[number | string | undefined, number]>([
    ['1h', 3600],
    [30, 30],
    ['30', 30],
    ['+30', 30],
    ['500ms', 0],
    ['1m30s', 90],
    ['1.9s', 1],
    ['-500ms', 0], // truncated toward zero, so valid
    ['-1s', -1],
    ['-30', -30],
    ['abc', -1],
    ['30 s', -1],
    ['', -1],
    ['1d', -1],
    [undefined, 0],
    ['99999999999', -1], // out of int32 and not a duration
    ['1000000h', -1], // seconds out of int32
  ])('%j ⇒ %d', (duration, seconds) => {
    expect(pauseDurationSeconds(duration)).toBe(seconds);
  });
});

describe('Kubernetes-style integers', () => {
  it('parseGoInt32 follows strconv.ParseInt(s, 10, 32)', () => {
    expect(parseGoInt32('42')).toBe(42);
    expect(parseGoInt32('-7')).toBe(-7);
    expect(parseGoInt32('+7')).toBe(7);
    expect(parseGoInt32('007')).toBe(7);
    expect(parseGoInt32('2147483647')).toBe(2147483647);
    expect(parseGoInt32('2147483648')).toBeUndefined();
    expect(parseGoInt32('-2147483648')).toBe(-2147483648);
    expect(parseGoInt32('1_000')).toBeUndefined();
    expect(parseGoInt32(' 1')).toBeUndefined();
    expect(parseGoInt32('')).toBeUndefined();
    expect(parseGoInt32('-0')).toBe(0);
  });
  it('intOrStringIntValue follows IntOrString.IntValue()', () => {
    expect(intOrStringIntValue(5)).toBe(5);
    expect(intOrStringIntValue('5')).toBe(5);
    expect(intOrStringIntValue('25%')).toBe(0);
    expect(intOrStringIntValue('{{args.count}}')).toBe(0);
  });
});
