/**
 * The one writer into a ledger. Accounting APIs hand the same voucher number to documents posted concurrently, so
 * every write into one ledger is serialized here: postings in batches, payouts and reviewed drafts under a lease
 * lock, first come, first served, within the ledger's monthly quota. The rules are in `LedgerQueue`
 * (./ledger-queue.ts); this workflow wires signals, queries, timers and activities to it.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  acquireLockSignal,
  ledgerQueueQuery,
  lockGrantedSignal,
  postingRequestQuery,
  postingDoneSignal,
  quotaBlockedSignal,
  releaseLockSignal,
  renewLeaseSignal,
  setQuotaSignal,
  submitPostingSignal,
  ledgerTaskQueue,
  type PostingOutcome,
} from './definitions';
import { LedgerQueue, type CarriedQueue, type Waiter } from './ledger-queue';
import { checked, lockReleaseInput, lockRequestInput, quotaInput, requestIdInput } from './signal-inputs';
import { toBookingFailure } from './failures';
import { ledgerRetry } from './retry';

const { pendingPostingRequests, storePostingOutcomes, takePostingRequests } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});
const { postBatch } = proxyActivities<ReturnType<typeof createActivities>>({
  // A batch is many ledger calls. It heartbeats every few seconds while its worker lives, so a batch whose worker
  // died is retried elsewhere within seconds (every ledger waits for its batch), not after a minute.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '15 seconds',
  retry: ledgerRetry,
});

export interface LedgerWorkflowInput {
  ledgerId: string;
  leaseMs: number;
  monthlyQuota: number | null;
  /** Postings per batch; 1 posts one at a time (the global-queue baseline). */
  maxBatch?: number;
  /** Postings per run before continuing as new (tests make it small). */
  postingsPerRun?: number;
  /** Locks granted per run before continuing as new (tests make it small, to carry a holder over). */
  grantsPerRun?: number;
  /** Tests only: the quota's month ends this much sooner (see LedgerQueueOptions.quotaMonthShiftMs). */
  quotaMonthShiftMs?: number;
  /** Carried over continue-as-new. */
  carried?: CarriedQueue;
}

/** Keep the history bounded; the holder and the queue travel along, so a busy ledger may continue as new too. */
const MAX_GRANTS_PER_RUN = 500;
/**
 * Each posting is an activity slot and a signal out (and a signal in, when it woke the ledger): continue as new about
 * as often as for grants.
 */
const MAX_POSTINGS_PER_RUN = 500;
/** Requests per take: a burst's first take fills several batches, and its result stays a few kB in the history. */
const TAKE_LIMIT = 100;

export async function ledgerWorkflow(input: LedgerWorkflowInput): Promise<void> {
  const writer = new LedgerWriter(input);
  // A new ledger workflow (not one continued as new) first queues what an earlier one left pending.
  if (!input.carried && patched('queue-pending-requests-on-start')) await writer.queuePending();
  for (;;) await writer.step();
}

/** One run's queue with the signals, queries, timers and activities wired to it. */
class LedgerWriter {
  private readonly ledgerId: string;
  private readonly leaseMs: number;
  private readonly maxBatch: number;
  private readonly postingsPerRun: number;
  private readonly q: LedgerQueue;
  /** Outcomes on their way to the submitters; the next batch does not wait for them, continue-as-new does. */
  private readonly reporting: Promise<void>[] = [];
  /** Takes of posting requests in this run: each take's token, so that its retry hands the same requests. */
  private takes = 0;

  constructor(private readonly input: LedgerWorkflowInput) {
    const { ledgerId, leaseMs, monthlyQuota, quotaMonthShiftMs, carried } = input;
    this.ledgerId = ledgerId;
    this.leaseMs = leaseMs;
    this.maxBatch = input.maxBatch ?? 25;
    this.postingsPerRun = input.postingsPerRun ?? MAX_POSTINGS_PER_RUN;
    const grantsPerRun = input.grantsPerRun ?? MAX_GRANTS_PER_RUN;
    const { maxBatch, postingsPerRun } = this;
    const q = new LedgerQueue({ ledgerId, leaseMs, monthlyQuota, maxBatch, postingsPerRun, grantsPerRun, quotaMonthShiftMs, carried }, Date.now());
    this.q = q;
    // Every input is checked: a signal sent straight to Temporal never reaches the queue's rules unchecked.
    setHandler(acquireLockSignal, checked('acquireLock', lockRequestInput, (req) => q.enqueue(req, false, Date.now())));
    setHandler(submitPostingSignal, checked('submitPosting', lockRequestInput, (req) => q.enqueue(req, true, Date.now())));
    setHandler(releaseLockSignal, checked('releaseLock', lockReleaseInput, (release) => q.release(release)));
    setHandler(renewLeaseSignal, checked('renewLease', requestIdInput, ({ requestId }) => q.renew(requestId, Date.now())));
    setHandler(setQuotaSignal, checked('setQuota', quotaInput, ({ monthlyQuota }) => q.setQuota(monthlyQuota)));
    setHandler(postingRequestQuery, (requestId) => q.whereIs(requestId));
    setHandler(ledgerQueueQuery, () => q.view());
  }

  async queuePending() {
    this.q.queuePending(await pendingPostingRequests({ ledgerId: this.ledgerId }), Date.now());
  }

  /** Queues the requests stored since the last take; answers whether there were any. */
  private async take(): Promise<boolean> {
    const token = `${workflowInfo().runId}/${this.takes++}`;
    const found = await takePostingRequests({ ledgerId: this.ledgerId, token, limit: TAKE_LIMIT });
    for (const req of found) this.q.enqueue(req, true, Date.now());
    return found.length > 0;
  }

  /** Does what the queue says comes next: a batch, a grant, telling the blocked, continuing as new, or waiting. */
  async step() {
    const { q } = this;
    const expired = q.tick(Date.now());
    if (expired) log.warn('Lease expired; the lock passes on', { ledgerId: this.ledgerId, holder: expired.workflowId });
    const step = q.next(Date.now(), workflowInfo().continueAsNewSuggested);
    switch (step.kind) {
      case 'batch':
        await this.runBatch(step.take);
        break;
      case 'grant':
        await this.grant();
        break;
      case 'tellBlocked':
        await this.tellBlocked(step.waiters, step.month);
        break;
      case 'continueAsNew':
        await this.continueAsNew();
        break;
      case 'sleep':
        q.changed = false;
        // Postings reach an awake ledger through posting_requests, not signals (src/services/posting/wakeup.ts): it
        // sleeps only after a take that found nothing, which marked it asleep, so that the next posting signals it.
        // A take that found some, or a signal during it, means another look. (Runs recorded before replay without.)
        if (patched('take-posting-requests') && ((await this.take()) || q.changed)) break;
        if (step.until === null) await condition(() => q.changed);
        else await condition(() => q.changed, Math.max(1, step.until - Date.now()));
    }
  }

  /** Posts the postings at the head of the queue in one activity and tells each submitter its outcome. */
  private async runBatch(take: Waiter[]) {
    const { q, ledgerId } = this;
    q.startBatch(take, Date.now());
    let outcomes: PostingOutcome[];
    try {
      outcomes = await postBatch({ requestIds: take.map((w) => w.requestId) });
    } catch (err) {
      // Retries ran out (the ledger is down): every posting of the batch fails and waits for its restart.
      if (!(err instanceof ActivityFailure)) throw err;
      const failure = toBookingFailure(err);
      outcomes = take.map((w) => ({ requestId: w.requestId, failure }));
      // Done, as a batch that ran stores it: a later run of this workflow must not post them again.
      if (patched('store-failed-batch-outcomes')) await storePostingOutcomes({ outcomes });
    }
    q.finishBatch(outcomes);
    const reports = take.map((w, i) =>
      getExternalWorkflowHandle(w.workflowId)
        .signal(postingDoneSignal, outcomes[i]!)
        .catch((e) => log.warn('Could not report a posting; its booking finds it on restart', { ledgerId, to: w.workflowId, error: String(e) })),
    );
    // The ledger need not idle while the outcomes go out: the next batch starts in the same workflow task.
    // (Runs recorded before this change awaited them first; the patch keeps those replaying as they ran.)
    if (patched('report-while-next-batch-runs')) this.reporting.push(...reports);
    else await Promise.all(reports);
  }

  /** Hands the lock to the head of the queue under a lease. */
  private async grant() {
    const to = this.q.grant(Date.now());
    try {
      await getExternalWorkflowHandle(to.workflowId).signal(lockGrantedSignal, { requestId: to.requestId, leaseMs: this.leaseMs });
      this.q.granted(true);
    } catch (err) {
      log.warn('Could not grant the lock; skipping waiter', { ledgerId: this.ledgerId, waiter: to.workflowId, error: String(err) });
      this.q.granted(false);
    }
  }

  /** Tells the waiters the month's quota is used up, one after another. */
  private async tellBlocked(waiters: Waiter[], month: string) {
    this.q.markTold(waiters);
    for (const w of waiters) {
      await getExternalWorkflowHandle(w.workflowId)
        .signal(quotaBlockedSignal, { requestId: w.requestId, month })
        .catch(() => undefined);
    }
  }

  private async continueAsNew() {
    await Promise.all(this.reporting);
    await condition(allHandlersFinished);
    // The input travels as given (the test-only settings too), with what the run changed and its queue.
    const { q, maxBatch, postingsPerRun } = this;
    const next: LedgerWorkflowInput = { ...this.input, monthlyQuota: q.monthlyQuota, maxBatch, postingsPerRun, carried: q.carry() };
    // A run started on the main queue before ledgers had their own moves there now (patched: runs that continued
    // before replay as they were recorded).
    if (patched('ledger-own-task-queue')) {
      await makeContinueAsNewFunc<typeof ledgerWorkflow>({ taskQueue: ledgerTaskQueue(workflowInfo().taskQueue) })(next);
    }
    await continueAsNew<typeof ledgerWorkflow>(next);
  }
}
