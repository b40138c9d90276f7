import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { temporal } from '@temporalio/proto';
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
  // Binary (History.encode): this install's protobufjs copies cannot read Temporal's JSON histories.
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.bin'))) {
    it(`replays ${file.replace(/\.bin$/, '')}`, async () => {
      const history = temporal.api.history.v1.History.decode(readFileSync(`${dir}${file}`));
      await expect(Worker.runReplayHistory({ workflowBundle }, history, `order-${file}`)).resolves.toBeUndefined();
    });
  }
});
