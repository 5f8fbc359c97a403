import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Differential suites need real servers and binaries: `npm run test:differential`.
    exclude: ['test/differential/**', 'node_modules/**'],
    pool: 'threads',
    testTimeout: 30_000,
  },
});
