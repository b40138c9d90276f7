import { defineConfig } from 'vitest/config';

// Two projects: unit tests start no services (test/unit/no-services.test.ts holds them to it) and run anywhere in
// seconds; integration tests share one Temporal dev server and one fresh PostgreSQL database per run (started in the
// global setup), in forked processes. Timeouts leave room for a loaded 2-core machine: the slowest unit tests (property
// runs, paced vendor fakes) take 1–4 s on an idle one, several times that under load.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
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
