// Real-cluster conformance: `npm run test:conformance` plays the conformance suite
// (scenarios/conformance/) against a real Kubernetes API with the real Argo Rollouts controller
// and diffs it against the simulator. Needs the control-plane binaries (scripts/build-control-plane.sh)
// or Docker; the suite skips itself, saying why, when no cluster can be started.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.conformance.ts'],
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    testTimeout: 10 * 60_000,
    hookTimeout: 10 * 60_000,
    teardownTimeout: 2 * 60_000,
    env: { REHEARSE_CONFORMANCE: '1' },
  },
});
