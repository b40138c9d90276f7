/** A booking's side of its ledger's queue: submit a posting and wait for its outcome, or hold the lock. */
import {
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyLocalActivities,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { BookingError, type ErrorCode } from '../src/domain/errors';
import {
  lockGrantedSignal,
  postingDoneSignal,
  quotaBlockedSignal,
  releaseLockSignal,
  renewLeaseSignal,
  type PostingOutcome,
  type PostingWork,
} from './definitions';
import { checked, lockGrantInput, postingOutcomeInput, requestIdInput } from './signal-inputs';

const { requestLedgerLock, submitPosting, askLedgerAgain } = proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 ms', maximumInterval: '10 seconds' },
});

/**
 * A booking's or payout's line to its ledger workflow: what the ledger has told this workflow (grants, quota
 * blocks, posting outcomes), kept per workflow. Create one at the start of a workflow; its handlers are installed
 * then, so no signal from the ledger can arrive before there is somewhere to put it.
 */
export class LedgerLine {
  private readonly granted = new Map<string, number>();
  private readonly blocked = new Set<string>();
  private readonly done = new Map<string, PostingOutcome>();

  constructor() {
    setHandler(lockGrantedSignal, checked('lockGranted', lockGrantInput, ({ requestId, leaseMs }) => {
      this.granted.set(requestId, leaseMs);
      this.blocked.delete(requestId);
    }));
    setHandler(quotaBlockedSignal, checked('quotaBlocked', requestIdInput, ({ requestId }) => {
      if (!this.granted.has(requestId) && !this.done.has(requestId)) this.blocked.add(requestId);
    }));
    setHandler(postingDoneSignal, checked('postingDone', postingOutcomeInput, (outcome) => {
      this.done.set(outcome.requestId, outcome);
      this.blocked.delete(outcome.requestId);
    }));
  }

  /**
   * Has the ledger workflow post a document and its payment in its next batch, in turn with every other write to
   * the ledger. A business error of this posting is thrown as a BookingError; the ledger being down as its failure.
   */
  async post(work: PostingWork, callbacks: LockCallbacks): Promise<NonNullable<PostingOutcome['posted']>> {
    const requestId = uuid4();
    await callbacks.onQueued();
    const holderWorkflowId = workflowInfo().workflowId;
    const { recheckAfterMs } = await submitPosting({ holderWorkflowId, requestId, work });
    // Runs recorded before bookings asked again replay without it.
    const asksAgain = recheckAfterMs !== undefined && patched('ask-ledger-again');
    await this.waitUnlessBlocked(requestId, () => this.done.has(requestId), callbacks, asksAgain && {
      everyMs: recheckAfterMs,
      // The outcome as the batch stored it, should its signal never have come; a request the ledger lost is queued again.
      run: async () => {
        const { outcome } = await askLedgerAgain({ requestId, holderWorkflowId, ledgerId: work.ledgerId });
        if (outcome && !this.done.has(requestId)) this.done.set(requestId, outcome);
      },
    });
    const outcome = this.done.get(requestId)!;
    this.done.delete(requestId);
    if (outcome.failure) throw new BookingError(outcome.failure.code as ErrorCode, outcome.failure.details);
    return outcome.posted!;
  }

  /** Runs `critical` while holding the ledger's posting lock; the lock is released whatever happens. */
  async withLock<T>(ledgerId: string, callbacks: LockCallbacks, critical: (lock: HeldLock) => Promise<T>): Promise<T> {
    const requestId = uuid4();
    await callbacks.onQueued();
    const { lockWorkflowId } = await requestLedgerLock({ ledgerId, holderWorkflowId: workflowInfo().workflowId, requestId });
    const ledger = getExternalWorkflowHandle(lockWorkflowId);

    let wrote = false;
    try {
      await this.waitUnlessBlocked(requestId, () => this.granted.has(requestId), callbacks);
      const leaseMs = this.granted.get(requestId)!;
      let renewedAt = Date.now();
      const renew = async () => {
        renewedAt = Date.now();
        await ledger.signal(renewLeaseSignal, { requestId });
      };
      // An activity of the holder may retry for longer than the lease (payouts: up to 10 attempts of 2 minutes), and
      // renew() runs only between activities: the ledger would grant the next holder while this one still writes.
      // So the lease is renewed on a timer for as long as `critical` runs. (Runs recorded before it replay without.)
      const keepAlive = patched('lease-renewed-while-holding') ? new CancellationScope() : undefined;
      keepAlive
        ?.run(async () => {
          for (;;) {
            await sleep(leaseMs / 3);
            await renew();
          }
        })
        // Ends when cancelled below; should the ledger workflow be gone, the lease it held is gone with it.
        .catch(() => undefined);
      try {
        return await critical({
          async renew() {
            if (Date.now() - renewedAt < leaseMs / 2) return;
            await renew();
          },
          posted() {
            wrote = true;
          },
        });
      } finally {
        keepAlive?.cancel();
      }
    } finally {
      // Also when we never got the lock (cancelled while waiting): the ledger drops us from its queue.
      this.granted.delete(requestId);
      this.blocked.delete(requestId);
      await CancellationScope.nonCancellable(() => ledger.signal(releaseLockSignal, { requestId, posted: wrote }));
    }
  }

  /**
   * Waits for `ready`; while the ledger's monthly quota blocks the request, says so once. With `recheck`, a wait
   * that hears nothing for `everyMs` (doubling, at most 8×) calls it: a posting's outcome is never waited for forever.
   */
  private async waitUnlessBlocked(
    requestId: string,
    ready: () => boolean,
    callbacks: LockCallbacks,
    recheck?: { everyMs: number; run: () => Promise<void> } | false,
  ) {
    let toldBlocked = false;
    let quiet = 0;
    for (;;) {
      const woken = () => ready() || (this.blocked.has(requestId) && !toldBlocked);
      if (!recheck) await condition(woken);
      else if (!(await condition(woken, recheck.everyMs * 2 ** Math.min(quiet, 3)))) {
        quiet++;
        await recheck.run();
        continue;
      }
      if (ready()) return;
      toldBlocked = true;
      await callbacks.onQuotaBlocked();
    }
  }
}

export interface LockCallbacks {
  onQueued(): Promise<void>;
  onQuotaBlocked(): Promise<void>;
}

export interface HeldLock {
  /** Call before each ledger call: renews the lease once half of it has passed. */
  renew(): Promise<void>;
  /** Marks that the ledger was written to (counts against the monthly quota). */
  posted(): void;
}
