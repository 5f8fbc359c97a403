// Differential tests against real Prometheus servers (and other reference implementations):
// `npm run setup:differential` once (installs/builds the binaries into ~/.cache/rehearse),
// then `npm run test:differential`. The tests skip themselves outside this config.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/differential/**/*.test.ts'],
    // One process, files one after another: each file starts its own servers on free ports and
    // they should not compete for the CPU with each other.
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
    teardownTimeout: 60_000,
    env: { REHEARSE_DIFFERENTIAL: '1' },
  },
});
