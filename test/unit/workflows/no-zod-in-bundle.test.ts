import { fileURLToPath } from 'node:url';
// The bundler alone: the package's entry also brings the worker and its runtime (test/unit/no-services.test.ts).
import { bundleWorkflowCode } from '@temporalio/worker/lib/workflow/bundler';
import { expect, it } from 'vitest';

/**
 * Every workflow context evaluates the whole bundle: zod in it cost each open workflow about 17 ms of worker CPU and
 * 1 MiB (issue 16). Snapshots are checked by hand in the workflow and with the API's schema in an activity instead.
 */
const workflowsPath = fileURLToPath(new URL('../../../workflows/index.ts', import.meta.url));
const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error };

it('the workflow bundle holds no validation library', async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quiet });
  // Webpack names each module by its path; zod's own code throws ZodError.
  expect([...new Set(code.match(/node_modules\/zod\/[^"'\s]*/g))]).toEqual([]);
  expect(code).not.toContain('ZodError');
}, 120_000);
