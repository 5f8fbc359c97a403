import { describe, expect, it } from 'vitest';
import { recordingHorizonMs } from '../../../harness/conformance/horizon.js';

describe('recordingHorizonMs', () => {
  it('last decision 30 s after the change → 30 s + max(2 s, 3 s) + 3 s margin; traffic entries do not count', () => {
    const trace = [
      { t: 0, type: 'event' },
      { t: 10_000, type: 'change' },
      { t: 40_000, type: 'status' },
      { t: 90_000, type: 'traffic' },
    ];
    expect(recordingHorizonMs(trace)).toBe(36_000);
  });

  it('a short run still waits 2 s + the margin', () => {
    expect(recordingHorizonMs([{ t: 5_000, type: 'change' }, { t: 6_000, type: 'event' }])).toBe(6_000);
  });
});
