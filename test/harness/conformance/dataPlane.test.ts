// The data-plane mirror reports real pods Ready when the simulated pod model says so: same seed,
// same `pods` stream, same order of pod creation → the same start-up times as the simulated run.
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { PodLifecycleDriver } from '../../../harness/cluster/backend.js';
import { DataPlaneMirror } from '../../../harness/conformance/dataPlane.js';
import { suiteEntries } from '../../../harness/conformance/suite.js';
import { loadScenarioFile } from '../../../harness/runInputs.js';
import { runScenario } from '../../../sim/world.js';

class FakeDriver implements PodLifecycleDriver {
  readonly calls: { t: number; pod: string; ready: boolean }[] = [];
  private listener: ((pod: V1Pod) => void) | undefined;
  constructor(private readonly now: () => number) {}
  onPodStarted(listener: (pod: V1Pod) => void): void {
    this.listener = listener;
  }
  start(name: string, hash: string): void {
    this.listener?.({ metadata: { name, labels: { 'rollouts-pod-template-hash': hash } } });
  }
  setReady(podName: string, ready: boolean): Promise<void> {
    this.calls.push({ t: this.now(), pod: podName, ready });
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
}

describe('DataPlaneMirror', () => {
  const entry = suiteEntries().find((e) => e.name === 'canary-basic-good')!;
  const { scenario, manifests } = loadScenarioFile(entry.file);

  it('the canary pod is reported Ready after the start-up time the simulated run drew for it', () => {
    const sim = runScenario(scenario, manifests, { keepTrace: true });
    const changeAt = scenario.change!.atMs;
    const simCanaryPod = sim.trace.find((e) => e.type === 'pod' && e.phase === 'Created' && e.t >= changeAt)!;
    const readyInMs = simCanaryPod.readyInMs as number;
    expect(readyInMs).toBeGreaterThan(0);

    let now = 0;
    const driver = new FakeDriver(() => now);
    const mirror = new DataPlaneMirror({ scenario, manifests, rollout: manifests.rollouts[0]!, seed: sim.seed, driver, elapsedMs: () => now, warn: (m) => expect.fail(m) });
    now = 400;
    mirror.replicaSet('web-old', 'old', 'example.com/conformance/web:1.0', 4);
    for (let i = 0; i < 4; i++) driver.start(`web-old-${i}`, 'old');
    // The revision deployed before the change is already running: Ready as soon as its pods start.
    expect(driver.calls.map((c) => `${c.t} ${c.pod} ${c.ready}`)).toEqual(['400 web-old-0 true', '400 web-old-1 true', '400 web-old-2 true', '400 web-old-3 true']);

    now = changeAt;
    mirror.noteChange();
    now = changeAt + 150;
    mirror.replicaSet('web-new', 'new', 'example.com/conformance/web:2.0', 1);
    now = changeAt + 300;
    driver.start('web-new-0', 'new');
    for (let t = now; t <= changeAt + 150 + readyInMs + 1000; t += 10) {
      now = t;
      mirror.pump();
    }
    const ready = driver.calls.find((c) => c.pod === 'web-new-0')!;
    // Created on the mirror when the real ReplicaSet was scaled (+150 ms), ready readyInMs later (10 ms pump grid).
    expect(ready.ready).toBe(true);
    expect(ready.t - (changeAt + 150)).toBeGreaterThanOrEqual(readyInMs);
    expect(ready.t - (changeAt + 150)).toBeLessThan(readyInMs + 10);
  });

  it('serves metrics for the traffic the mirrored pods receive', () => {
    let now = 0;
    const driver = new FakeDriver(() => now);
    const mirror = new DataPlaneMirror({ scenario, manifests, rollout: manifests.rollouts[0]!, seed: 1, driver, elapsedMs: () => now, warn: () => undefined });
    mirror.replicaSet('web-old', 'old', 'example.com/conformance/web:1.0', 4);
    for (let i = 0; i < 4; i++) driver.start(`web-old-${i}`, 'old');
    now = 5000;
    mirror.pump();
    expect(mirror.store.seriesCount).toBeGreaterThan(0);
  });
});
