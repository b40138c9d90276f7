import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests run anywhere in milliseconds; integration tests share one Temporal dev server
// and one fresh PostgreSQL database per run (started in the global setup), in forked processes.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          // test/workflows: the workflow tier (real workflows, activities as plain objects) on the same dev server.
          include: ['test/integration/**/*.test.ts', 'test/workflows/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          globalSetup: ['test/setup/global.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
