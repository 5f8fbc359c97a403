// Conformance tests against a real control plane (docs/conformance.md): `npm run setup:conformance`
// once (builds etcd, kube-apiserver, kube-controller-manager and the Argo Rollouts controller into
// ~/.cache/rehearse/control-plane), then `npm run test:conformance`. Without the binaries the
// tests skip with a message; CONFORMANCE_REQUIRE_BINARIES=1 turns that skip into a failure (CI).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/conformance/**/*.test.ts'],
    // One process, files one after another: each file boots its own control plane.
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    hookTimeout: 10 * 60_000,
    teardownTimeout: 60_000,
  },
});
