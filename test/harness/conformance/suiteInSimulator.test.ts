// Every conformance scenario runs in the simulator with its expect block holding.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../sim/world.js';
import { loadScenarioFile } from '../../../harness/runInputs.js';
import { suiteEntries } from '../../../harness/conformance/suite.js';

describe('conformance suite in the simulator', () => {
  const entries = suiteEntries();

  it('has at least 10 scenarios', () => {
    expect(entries.length).toBeGreaterThanOrEqual(10);
  });

  for (const entry of entries) {
    it(entry.name, () => {
      const inputs = loadScenarioFile(entry.file);
      const result = runScenario(inputs.scenario, inputs.manifests, { keepTrace: false });
      expect(result.expectations.filter((x) => !x.ok)).toEqual([]);
      expect(result.expectations.length).toBeGreaterThan(0);
    });
  }
});
