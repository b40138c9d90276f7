import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ledgers } from '../db/schema';
import { acquireLockSignal, workflowIds, type LockRequest } from '../workflows/definitions';
import type { ledgerWorkflow } from '../workflows/ledger';

/** Queues a holder at its ledger's lock, starting the ledger workflow if it is not running yet. */
export function lockActivities(db: Db, client: Client, opts: { taskQueue: string; leaseMs: number; lockScope?: 'ledger' | 'global' }) {
  return {
    /**
     * Answers the lock workflow to release to. With lockScope "global" every ledger shares one lock: the one-at-a-time
     * queue of the tools we replace, kept only as the benchmark's baseline.
     */
    async requestLedgerLock(input: { ledgerId: string; holderWorkflowId: string; requestId: string }): Promise<{ lockWorkflowId: string }> {
      const lockId = opts.lockScope === 'global' ? 'all-ledgers' : input.ledgerId;
      const [ledger] = await db.select({ quota: ledgers.monthlyQuota }).from(ledgers).where(eq(ledgers.id, input.ledgerId));
      await client.workflow.signalWithStart<typeof ledgerWorkflow, [LockRequest]>('ledgerWorkflow', {
        workflowId: workflowIds.ledger(lockId),
        taskQueue: opts.taskQueue,
        args: [{ ledgerId: lockId, leaseMs: opts.leaseMs, monthlyQuota: opts.lockScope === 'global' ? null : (ledger?.quota ?? null) }],
        signal: acquireLockSignal,
        signalArgs: [{ holderWorkflowId: input.holderWorkflowId, requestId: input.requestId }],
      });
      return { lockWorkflowId: workflowIds.ledger(lockId) };
    },
  };
}
