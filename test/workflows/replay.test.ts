import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Order workflows recorded by the code before the phases (a booked order watched for 30 days; a later run waited for
 * a ready status) replay with today's: the runs open at a deploy go on as they began. Recorded on the workflow tier
 * (test/workflows/env.ts) from commit 0126691; a change that needs a new patch fails here.
 */
const dir = fileURLToPath(new URL('./histories/', import.meta.url));
const workflowsPath = fileURLToPath(new URL('./bundle/index.ts', import.meta.url));

describe('histories of the order workflow before its phases', () => {
  let workflowBundle: WorkflowBundle;
  beforeAll(async () => {
    workflowBundle = await bundleWorkflowCode({ workflowsPath, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error } });
  }, 120_000);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(`replays ${file.replace(/\.json$/, '')}`, async () => {
      const history = JSON.parse(readFileSync(`${dir}${file}`, 'utf8'));
      await expect(Worker.runReplayHistory({ workflowBundle }, history, `order-${file}`)).resolves.toBeUndefined();
    });
  }
});
