// Runs every PromQL test script in ./testdata through the pure runner (sim/metrics/promql/promqltest.ts).
// Each eval becomes one vitest case named after its file, line and query.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPromqlTest } from '../../../sim/metrics/promql/promqltest.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'testdata');
const files = readdirSync(dir).filter((f) => f.endsWith('.test')).sort();

describe.each(files)('%s', (file) => {
  const report = runPromqlTest(readFileSync(join(dir, file), 'utf8'));

  it('has no script errors', () => {
    expect(report.errors).toEqual([]);
    expect(report.cases.length).toBeGreaterThan(0);
  });

  for (const c of report.cases) {
    it(`line ${c.line}: ${c.command} at ${c.timeMs / 1000}s (v${c.prometheusVersion}) ${c.query}`, () => {
      if (!c.passed) {
        expect.fail(`${c.message ?? ''}\n  expected:\n    ${c.expected.join('\n    ')}\n  actual:\n    ${c.actual.join('\n    ')}`);
      }
    });
  }
});
