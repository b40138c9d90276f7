import { fileURLToPath } from 'node:url';
import { ApplicationFailure } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { LockRequest, PostingOutcome, PostedRecord } from '../../workflows/definitions';

/**
 * The workflow tier: the real workflows on the run's Temporal dev server, their activities replaced by plain
 * objects (as in temporalio/samples-typescript), so a test controls what the ledger answers and every duration.
 */
export class LedgerActivities {
  /** The request ids of each batch, in the order the batches ran. */
  readonly batches: string[][] = [];
  /** Outcomes the workflow stored itself (a batch that failed as a whole). */
  readonly stored: PostingOutcome[] = [];
  /** What a new ledger run finds pending in posting_requests. */
  pending: LockRequest[] = [];
  /** The ledger is down: every batch fails for good. */
  down = false;

  readonly activities = {
    postBatch: async ({ requestIds }: { requestIds: string[] }): Promise<PostingOutcome[]> => {
      this.batches.push(requestIds);
      if (this.down) throw ApplicationFailure.nonRetryable('the test ledger is down', 'ledger_unreachable');
      return requestIds.map((requestId) => ({ requestId, posted: { document: record(requestId) } }));
    },
    pendingPostingRequests: async (): Promise<LockRequest[]> => this.pending,
    storePostingOutcomes: async ({ outcomes }: { outcomes: PostingOutcome[] }) => {
      this.stored.push(...outcomes);
    },
  };
}

const record = (reference: string): PostedRecord => ({
  kind: 'invoice',
  reference,
  documentId: `doc-${reference}`,
  voucherNumber: null,
  state: 'booked',
  amount: 10_000,
  currency: 'DKK',
  created: true,
});

export interface WorkflowTier {
  client: Client;
  taskQueue: string;
  ledger: LedgerActivities;
  close(): Promise<void>;
}

export async function startWorkflowTier(address: string): Promise<WorkflowTier> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const taskQueue = `workflow-tier-${process.pid}`;
  const ledger = new LedgerActivities();
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./bundle/index.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection: nativeConnection, taskQueue, workflowBundle, activities: ledger.activities });
  const running = worker.run();
  const connection = await Connection.connect({ address });
  return {
    client: new Client({ connection }),
    taskQueue,
    ledger,
    async close() {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    },
  };
}
