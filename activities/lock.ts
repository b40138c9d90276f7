import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ledgers } from '../db/schema';
import { acquireLockSignal, workflowIds, type LockRequest } from '../workflows/definitions';
import type { ledgerWorkflow } from '../workflows/ledger';

/** Queues a holder at its ledger's lock, starting the ledger workflow if it is not running yet. */
export function lockActivities(db: Db, client: Client, opts: { taskQueue: string; leaseMs: number }) {
  return {
    async requestLedgerLock(input: { ledgerId: string; holderWorkflowId: string; requestId: string }): Promise<void> {
      const [ledger] = await db.select({ quota: ledgers.monthlyQuota }).from(ledgers).where(eq(ledgers.id, input.ledgerId));
      await client.workflow.signalWithStart<typeof ledgerWorkflow, [LockRequest]>('ledgerWorkflow', {
        workflowId: workflowIds.ledger(input.ledgerId),
        taskQueue: opts.taskQueue,
        args: [{ ledgerId: input.ledgerId, leaseMs: opts.leaseMs, monthlyQuota: ledger?.quota ?? null }],
        signal: acquireLockSignal,
        signalArgs: [{ holderWorkflowId: input.holderWorkflowId, requestId: input.requestId }],
      });
    },
  };
}
