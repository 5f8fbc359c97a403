// Expectations over seeds: which seeds run, the atLeast threshold (exact integers), and the flaky verdict.
import { describe, expect, it } from 'vitest';
import { drillSeeds, judgeOverSeeds, type SeedRun } from '../../sim/expect/seeds.js';
import { NO_EXPECTATIONS } from '../../sim/expect/types.js';

const runs = (held: number, total: number): SeedRun[] =>
  Array.from({ length: total }, (_, i) => ({ seed: 100 + i, expectations: [{ name: 'outcome', ok: i < held, expected: 'aborted', actual: i < held ? 'aborted' : 'promoted' }] }));

describe('drillSeeds', () => {
  it('consecutive seeds from the base; --seeds overrides expect.seeds', () => {
    expect(drillSeeds(NO_EXPECTATIONS, 42)).toEqual([42]);
    expect(drillSeeds({ ...NO_EXPECTATIONS, seeds: 3 }, 42)).toEqual([42, 43, 44]);
    expect(drillSeeds({ ...NO_EXPECTATIONS, seeds: 3 }, 7, 2)).toEqual([7, 8]);
  });
});

describe('judgeOverSeeds', () => {
  it('99% of 200 seeds is 198, exactly', () => {
    const x = { ...NO_EXPECTATIONS, seeds: 200, atLeast: 0.99 };
    expect(judgeOverSeeds(x, runs(198, 200)).passed).toBe(true);
    expect(judgeOverSeeds(x, runs(197, 200))).toMatchObject({ passed: false, flaky: true, held: 197, total: 200 });
  });

  it('without atLeast every seed must hold; one seed in three is flaky and says so with the distribution', () => {
    const v = judgeOverSeeds({ ...NO_EXPECTATIONS, seeds: 300 }, runs(100, 300));
    expect(v).toMatchObject({ passed: false, flaky: true });
    expect(v.description).toBe('held on 100 of 300 seeds (33.333%), needs all — flaky: the result depends on the seed');
    expect(v.failingSeeds[0]).toBe(200);
    expect(v.expectations).toEqual([{ name: 'outcome', expected: 'aborted', held: 100, total: 300, firstFailure: { seed: 200, actual: 'promoted' }, firstActual: 'aborted' }]);
  });

  it('never holding is a plain failure, not flakiness', () => {
    expect(judgeOverSeeds(NO_EXPECTATIONS, runs(0, 5))).toMatchObject({ passed: false, flaky: false });
    expect(judgeOverSeeds(NO_EXPECTATIONS, runs(1, 1)).description).toBe('held');
  });
});
