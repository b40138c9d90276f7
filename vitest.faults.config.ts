import { defineConfig } from 'vitest/config';

// npm run test:faults: the long fault run, kept out of `npm test` (its short version is test/integration/faults.test.ts).
// It brings its own PostgreSQL cluster and Temporal server, so it needs no global setup.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Each file brings its own stack; one at a time on a small machine.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 2 * 3600_000,
  },
});
