import { describe, expect, it } from 'vitest';
import { Kernel, LimitReachedError, Priority } from '../../sim/engine/kernel.js';

describe('Kernel', () => {
  it('orders by time, then priority, then insertion', () => {
    const k = new Kernel();
    const seen: string[] = [];
    k.schedule(10, Priority.controller, 'c', () => seen.push('c@10'));
    k.schedule(10, Priority.world, 'w', () => seen.push('w@10'));
    k.schedule(5, Priority.controller, 'c5', () => seen.push('c@5'));
    k.schedule(10, Priority.world, 'w2', () => seen.push('w2@10'));
    k.run(100);
    expect(seen).toEqual(['c@5', 'w@10', 'w2@10', 'c@10']);
    expect(k.nowMs).toBe(100);
  });

  it('skips cancelled actions and never moves the clock backwards', () => {
    const k = new Kernel();
    const seen: number[] = [];
    const a = k.schedule(20, 0, 'a', () => seen.push(20));
    k.schedule(30, 0, 'b', () => {
      seen.push(k.nowMs);
      k.schedule(5, 0, 'past', () => seen.push(k.nowMs)); // clamped to now
    });
    k.cancel(a);
    k.run(50);
    expect(seen).toEqual([30, 30]);
  });

  it('stops a runaway scenario at the event limit', () => {
    const k = new Kernel({ maxEvents: 100 });
    const loop = (): void => void k.after(0, 0, 'loop', loop);
    loop();
    expect(() => k.run(1000)).toThrow(LimitReachedError);
  });
});
