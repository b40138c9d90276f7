import { log } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { ledgers } from '../db/schema';
import { pendingRequests, storedOutcome } from '../src/services/posting/requests';
import { forgetWake, saveRequestSeeingLedger, takeRequests, wakeLedger } from '../src/services/posting/wakeup';
import {
  acquireLockSignal,
  postingRequestQuery,
  submitPostingSignal,
  ledgerTaskQueue,
  workflowIds,
  type LockRequest,
  type PostingOutcome,
  type PostingSubmission,
} from '../workflows/definitions';
import type { ledgerWorkflow } from '../workflows/ledger';
import { ledgerPriority } from '../src/temporal/fairness';

/** How long a booking waits for its posting's outcome before it asks its ledger again (doubling, at most 8×). */
export const DEFAULT_POSTING_RECHECK_MS = 120_000;

interface LockOptions {
  taskQueue: string;
  leaseMs: number;
  /**
   * With lockScope "global" every ledger shares one queue, posting one at a time: the queue of the tools we replace,
   * kept only as the benchmark's baseline.
   */
  lockScope?: 'ledger' | 'global';
  postingRecheckMs?: number;
}

/** Queues a holder or a posting at its ledger's workflow, starting the ledger workflow if it is not running yet. */
export function lockActivities(db: Db, client: Client, opts: LockOptions) {
  const queues = ledgerQueues(db, client, opts);
  return {
    /** Answers the lock workflow to release to. */
    requestLedgerLock: (input: { ledgerId: string } & LockRequest) =>
      queues.enqueue(input.ledgerId, acquireLockSignal, { holderWorkflowId: input.holderWorkflowId, requestId: input.requestId }),
    /**
     * Hands a posting to the ledger workflow's next batch; the outcome comes back as a postingDone signal. An awake
     * ledger finds the request in posting_requests by itself; an asleep one is signalled (src/services/posting/wakeup.ts).
     */
    async submitPosting(input: PostingSubmission) {
      const { ledgerId } = input.work;
      const lockId = queues.lockIdOf(ledgerId);
      const { awake, wokenByThis } = await saveRequestSeeingLedger(db, input, lockId);
      if (wokenByThis || (!awake && (await wakeLedger(db, lockId, input.requestId)))) {
        await queues.enqueue(ledgerId, submitPostingSignal, { holderWorkflowId: input.holderWorkflowId, requestId: input.requestId }).catch(async (err: unknown) => {
          await forgetWake(db, lockId).catch(() => undefined);
          throw err;
        });
      }
      // The worker's setting, recorded with this activity's result, so that the workflow replays the same waits.
      return { lockWorkflowId: workflowIds.ledger(lockId), recheckAfterMs: opts.postingRecheckMs ?? DEFAULT_POSTING_RECHECK_MS };
    },
    askLedgerAgain: (input: AskAgain) => askLedgerAgain(db, client, queues, input),
    /** Requests of a ledger that are not done, oldest first: a new run of the ledger workflow queues them. */
    pendingPostingRequests: (input: { ledgerId: string }): Promise<LockRequest[]> => pendingRequests(db, queues.global ? null : input.ledgerId),
    /**
     * The ledger workflow's take before it would sleep: requests no take handed it yet; none marks it asleep, so
     * that the next posting signals it. `ledgerId` is the workflow's (the lock id).
     */
    takePostingRequests: (input: { ledgerId: string; token: string; limit: number }): Promise<LockRequest[]> =>
      takeRequests(db, { lockId: input.ledgerId, ledgerId: queues.global ? null : input.ledgerId, token: input.token, limit: input.limit }),
  };
}

type LedgerQueues = ReturnType<typeof ledgerQueues>;

/** Which ledger workflow queues a ledger's writes, and how a request joins it. */
function ledgerQueues(db: Db, client: Client, opts: LockOptions) {
  const global = opts.lockScope === 'global';
  const lockIdOf = (ledgerId: string) => (global ? 'all-ledgers' : ledgerId);

  async function enqueue<A>(ledgerId: string, signal: typeof acquireLockSignal | typeof submitPostingSignal, arg: A) {
    const lockId = lockIdOf(ledgerId);
    const [ledger] = await db.select({ quota: ledgers.monthlyQuota }).from(ledgers).where(eq(ledgers.id, ledgerId));
    await client.workflow.signalWithStart<typeof ledgerWorkflow, [A]>('ledgerWorkflow', {
      workflowId: workflowIds.ledger(lockId),
      taskQueue: ledgerTaskQueue(opts.taskQueue),
      args: [{ ledgerId: lockId, leaseMs: opts.leaseMs, monthlyQuota: global ? null : (ledger?.quota ?? null), ...(global ? { maxBatch: 1 } : {}) }],
      signal: signal.name,
      signalArgs: [arg],
      priority: ledgerPriority(lockId),
    });
    return { lockWorkflowId: workflowIds.ledger(lockId) };
  }

  return { global, lockIdOf, enqueue };
}

interface AskAgain {
  requestId: string;
  holderWorkflowId: string;
  ledgerId: string;
}

/**
 * A booking that heard nothing of its posting for a while asks again: the outcome stored by the batch, else
 * whether its ledger still has the request (queued or in its batch). A request the ledger does not know of is
 * queued again: whatever lost it (a signal, a run of the ledger workflow), the posting is not left undone.
 */
async function askLedgerAgain(db: Db, client: Client, queues: LedgerQueues, input: AskAgain): Promise<{ outcome: PostingOutcome | null }> {
  const before = await storedOutcome(db, input.requestId);
  if (before) return { outcome: before };
  const ledger = client.workflow.getHandle(workflowIds.ledger(queues.lockIdOf(input.ledgerId)));
  // A closed run still answers queries (from its history): only a running one can still post the request. A
  // ledger too busy to answer in time knows nothing less: only a definite "not known" queues the request again
  // (a busy ledger asked by hundreds of waiting bookings must not be sent hundreds of signals it already has).
  const running = await ledger.describe().then(
    (d) => d.status.name === 'RUNNING',
    (err: unknown) => (err instanceof WorkflowNotFoundError ? false : undefined),
  );
  if (running === undefined) return { outcome: null };
  const known = running ? await ledger.query(postingRequestQuery, input.requestId).catch(() => undefined) : 'unknown';
  if (known !== 'unknown') return { outcome: null };
  // The batch may have finished between the two looks.
  const after = await storedOutcome(db, input.requestId);
  if (after) return { outcome: after };
  // Never expected: the warning names the request so that whatever lost it can be traced in its history.
  log.warn('A posting request its ledger did not know is queued again', { requestId: input.requestId, holder: input.holderWorkflowId });
  await queues.enqueue(input.ledgerId, submitPostingSignal, { holderWorkflowId: input.holderWorkflowId, requestId: input.requestId });
  return { outcome: null };
}
