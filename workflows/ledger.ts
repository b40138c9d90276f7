/**
 * The per-ledger posting lock. Accounting APIs hand the same voucher number to documents posted concurrently, so
 * every write into one ledger is serialized here: first come, first served, one holder at a time, each under a lease
 * so that a holder that vanished cannot block the ledger. Also enforces the ledger's monthly posting quota.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
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
  type LedgerQueueView,
  type PostingOutcome,
} from './definitions';
import { checked, lockReleaseInput, lockRequestInput, quotaInput, requestIdInput } from './signal-inputs';
import { toBookingFailure } from './failures';
import { ledgerRetry } from './retry';

const { pendingPostingRequests, storePostingOutcomes } = proxyActivities<ReturnType<typeof createActivities>>({
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

/** In the queue: a holder that wants the lock (payouts, reviewed drafts), or a posting for the next batch. */
interface Waiter {
  workflowId: string;
  requestId: string;
  since: number;
  toldBlocked?: boolean;
  posting?: true;
}
interface Holder {
  workflowId: string;
  requestId: string;
  grantedAt: number;
  leaseUntil: number;
}

export interface LedgerWorkflowInput {
  ledgerId: string;
  leaseMs: number;
  monthlyQuota: number | null;
  /** Postings per batch; 1 posts one at a time (the global-queue baseline). */
  maxBatch?: number;
  /** Postings per run before continuing as new (tests make it small). */
  postingsPerRun?: number;
  /** Carried over continue-as-new. */
  carried?: { holder: Holder | null; queue: Waiter[]; month: string; postedThisMonth: number; grantsTotal: number; postingsTotal?: number };
}

const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const startOfNextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
/** Keep the history bounded; the holder and the queue travel along, so a busy ledger may continue as new too. */
const MAX_GRANTS_PER_RUN = 500;
/** Each posting is a signal in, an activity slot and a signal out: continue as new about as often as for grants. */
const MAX_POSTINGS_PER_RUN = 500;

export async function ledgerWorkflow(input: LedgerWorkflowInput): Promise<void> {
  const { ledgerId, leaseMs } = input;
  let monthlyQuota = input.monthlyQuota;
  let holder: Holder | null = input.carried?.holder ?? null;
  const queue: Waiter[] = input.carried?.queue ?? [];
  let month = input.carried?.month ?? monthOf(Date.now());
  let postedThisMonth = input.carried?.postedThisMonth ?? 0;
  let grantsTotal = input.carried?.grantsTotal ?? 0;
  let postingsTotal = input.carried?.postingsTotal ?? 0;
  let grantsThisRun = 0;
  let postingsThisRun = 0;
  let batch: { size: number; since: number } | null = null;
  const maxBatch = input.maxBatch ?? 25;
  const postingsPerRun = input.postingsPerRun ?? MAX_POSTINGS_PER_RUN;
  let changed = false;
  /** Outcomes on their way to the submitters; the next batch does not wait for them, continue-as-new does. */
  const reporting: Promise<void>[] = [];

  const quotaUsedUp = () => monthlyQuota !== null && postedThisMonth >= monthlyQuota;

  /** The postings being written now. */
  const inBatch = new Set<string>();
  const enqueue = (req: { holderWorkflowId: string; requestId: string }, posting: boolean) => {
    // A retried request (same requestId) keeps its place instead of queueing twice.
    if (holder?.requestId === req.requestId || inBatch.has(req.requestId) || queue.some((w) => w.requestId === req.requestId)) return;
    queue.push({ workflowId: req.holderWorkflowId, requestId: req.requestId, since: Date.now(), ...(posting ? { posting: true as const } : {}) });
    changed = true;
  };
  setHandler(acquireLockSignal, checked('acquireLock', lockRequestInput, (req) => enqueue(req, false)));
  setHandler(submitPostingSignal, checked('submitPosting', lockRequestInput, (req) => enqueue(req, true)));
  setHandler(releaseLockSignal, checked('releaseLock', lockReleaseInput, ({ requestId, posted }) => {
    if (holder?.requestId === requestId) {
      holder = null;
      if (posted) postedThisMonth++;
    } else {
      // A waiter that gave up (its workflow was cancelled or restarted) leaves the queue.
      const i = queue.findIndex((w) => w.requestId === requestId);
      if (i >= 0) queue.splice(i, 1);
    }
    changed = true;
  }));
  setHandler(renewLeaseSignal, checked('renewLease', requestIdInput, ({ requestId }) => {
    if (holder?.requestId === requestId) holder.leaseUntil = Date.now() + leaseMs;
  }));
  setHandler(setQuotaSignal, checked('setQuota', quotaInput, ({ monthlyQuota: q }) => {
    monthlyQuota = q;
    for (const w of queue) w.toldBlocked = false;
    changed = true;
  }));
  setHandler(postingRequestQuery, (requestId) =>
    inBatch.has(requestId) ? 'batch' : queue.some((w) => w.requestId === requestId) ? 'queued' : 'unknown',
  );
  setHandler(
    ledgerQueueQuery,
    (): LedgerQueueView => ({
      ledgerId,
      holder: holder && {
        workflowId: holder.workflowId,
        requestId: holder.requestId,
        grantedAt: new Date(holder.grantedAt).toISOString(),
        leaseUntil: new Date(holder.leaseUntil).toISOString(),
      },
      queue: queue.map((w) => ({ workflowId: w.workflowId, requestId: w.requestId, since: new Date(w.since).toISOString() })),
      monthlyQuota,
      month,
      postedThisMonth,
      quotaBlocked: quotaUsedUp(),
      grantsTotal,
      batch: batch && { size: batch.size, since: new Date(batch.since).toISOString() },
      postingsTotal,
    }),
  );

  /** Posts the postings at the head of the queue in one activity and tells each submitter its outcome. */
  async function runBatch() {
    const room = monthlyQuota === null ? maxBatch : Math.min(maxBatch, monthlyQuota - postedThisMonth);
    const taken: Waiter[] = [];
    while (taken.length < room && queue[0]?.posting) taken.push(queue.shift()!);
    batch = { size: taken.length, since: Date.now() };
    for (const w of taken) inBatch.add(w.requestId);
    let outcomes: PostingOutcome[];
    try {
      outcomes = await postBatch({ requestIds: taken.map((w) => w.requestId) });
    } catch (err) {
      // Retries ran out (the ledger is down): every posting of the batch fails and waits for its restart.
      if (!(err instanceof ActivityFailure)) throw err;
      const failure = toBookingFailure(err);
      outcomes = taken.map((w) => ({ requestId: w.requestId, failure }));
      // Done, as a batch that ran stores it: a later run of this workflow must not post them again.
      if (patched('store-failed-batch-outcomes')) await storePostingOutcomes({ outcomes });
    }
    batch = null;
    inBatch.clear();
    for (const o of outcomes) if (o.posted && (o.posted.document.created || o.posted.payment?.created)) postedThisMonth++;
    postingsTotal += taken.length;
    postingsThisRun += taken.length;
    const reports = taken.map((w, i) =>
      getExternalWorkflowHandle(w.workflowId)
        .signal(postingDoneSignal, outcomes[i]!)
        .catch((e) => log.warn('Could not report a posting; its booking finds it on restart', { ledgerId, to: w.workflowId, error: String(e) })),
    );
    // The ledger need not idle while the outcomes go out: the next batch starts in the same workflow task.
    // (Runs recorded before this change awaited them first; the patch keeps those replaying as they ran.)
    if (patched('report-while-next-batch-runs')) reporting.push(...reports);
    else await Promise.all(reports);
  }

  // A new ledger workflow (not one continued as new) first queues what an earlier one left pending: a request
  // whose booking still waits must not depend on a queue that no longer exists.
  // In the order they were submitted, the one that started this run among them.
  if (!input.carried && patched('queue-pending-requests-on-start')) {
    const pending = await pendingPostingRequests({ ledgerId });
    const isPending = new Set(pending.map((r) => r.requestId));
    const others = queue.splice(0).filter((w) => !isPending.has(w.requestId));
    for (const req of pending) enqueue(req, true);
    queue.push(...others);
  }

  for (;;) {
    const now = Date.now();
    if (monthOf(now) !== month) {
      month = monthOf(now);
      postedThisMonth = 0;
      for (const w of queue) w.toldBlocked = false;
    }
    if (holder && now >= holder.leaseUntil) {
      log.warn('Lease expired; the lock passes on', { ledgerId, holder: holder.workflowId });
      holder = null;
    }

    while (!holder && queue.length > 0 && !quotaUsedUp()) {
      if (queue[0]!.posting) {
        await runBatch();
        if (postingsThisRun >= postingsPerRun) break;
        continue;
      }
      const next = queue.shift()!;
      holder = { workflowId: next.workflowId, requestId: next.requestId, grantedAt: Date.now(), leaseUntil: Date.now() + leaseMs };
      try {
        await getExternalWorkflowHandle(next.workflowId).signal(lockGrantedSignal, { requestId: next.requestId, leaseMs });
        grantsTotal++;
        grantsThisRun++;
      } catch (err) {
        // The waiter is gone (completed or terminated): nobody to hand the lock to.
        log.warn('Could not grant the lock; skipping waiter', { ledgerId, waiter: next.workflowId, error: String(err) });
        holder = null;
      }
    }
    if (quotaUsedUp()) {
      for (const w of queue.filter((w) => !w.toldBlocked)) {
        w.toldBlocked = true;
        await getExternalWorkflowHandle(w.workflowId)
          .signal(quotaBlockedSignal, { requestId: w.requestId, month })
          .catch(() => undefined);
      }
    }

    if (grantsThisRun >= MAX_GRANTS_PER_RUN || postingsThisRun >= postingsPerRun || workflowInfo().continueAsNewSuggested) {
      await Promise.all(reporting);
      await condition(allHandlersFinished);
      await continueAsNew<typeof ledgerWorkflow>({
        ledgerId,
        leaseMs,
        monthlyQuota,
        maxBatch,
        postingsPerRun,
        carried: { holder, queue, month, postedThisMonth, grantsTotal, postingsTotal },
      });
    }

    const wakeAt = Math.min(holder ? holder.leaseUntil : Infinity, quotaUsedUp() ? startOfNextMonth(Date.now()) : Infinity);
    changed = false;
    if (wakeAt === Infinity) await condition(() => changed);
    else await condition(() => changed, Math.max(1, wakeAt - Date.now()));
  }
}
