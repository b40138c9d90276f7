import type { Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ledgers, postingRequests } from '../db/schema';
import { acquireLockSignal, submitPostingSignal, workflowIds, type LockRequest, type PostingSubmission } from '../workflows/definitions';
import type { ledgerWorkflow } from '../workflows/ledger';

/** Queues a holder or a posting at its ledger's workflow, starting the ledger workflow if it is not running yet. */
export function lockActivities(db: Db, client: Client, opts: { taskQueue: string; leaseMs: number; lockScope?: 'ledger' | 'global' }) {
  /**
   * With lockScope "global" every ledger shares one queue, posting one at a time: the queue of the tools we replace,
   * kept only as the benchmark's baseline.
   */
  const global = opts.lockScope === 'global';

  async function enqueue<A>(ledgerId: string, signal: typeof acquireLockSignal | typeof submitPostingSignal, arg: A) {
    const lockId = global ? 'all-ledgers' : ledgerId;
    const [ledger] = await db.select({ quota: ledgers.monthlyQuota }).from(ledgers).where(eq(ledgers.id, ledgerId));
    await client.workflow.signalWithStart<typeof ledgerWorkflow, [A]>('ledgerWorkflow', {
      workflowId: workflowIds.ledger(lockId),
      taskQueue: opts.taskQueue,
      args: [{ ledgerId: lockId, leaseMs: opts.leaseMs, monthlyQuota: global ? null : (ledger?.quota ?? null), ...(global ? { maxBatch: 1 } : {}) }],
      signal: signal.name,
      signalArgs: [arg],
    });
    return { lockWorkflowId: workflowIds.ledger(lockId) };
  }

  return {
    /** Answers the lock workflow to release to. */
    requestLedgerLock: (input: { ledgerId: string } & LockRequest) =>
      enqueue(input.ledgerId, acquireLockSignal, { holderWorkflowId: input.holderWorkflowId, requestId: input.requestId }),
    /** Hands a posting to the ledger workflow's next batch; the outcome comes back as a postingDone signal. */
    async submitPosting(input: PostingSubmission) {
      await db.insert(postingRequests).values({ requestId: input.requestId, ledgerId: input.work.ledgerId, work: input.work }).onConflictDoNothing();
      return enqueue(input.work.ledgerId, submitPostingSignal, { holderWorkflowId: input.holderWorkflowId, requestId: input.requestId });
    },
  };
}
