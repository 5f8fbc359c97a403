import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Differential suites need real servers and binaries: `npm run test:differential`; conformance
    // suites a real control plane: `npm run test:conformance`.
    exclude: ['test/differential/**', 'test/conformance/**', 'node_modules/**'],
    pool: 'threads',
    testTimeout: 30_000,
  },
});
