/**
 * The rules of a ledger's queue, with no Temporal in them: who posts next, when a lease ends, when the monthly quota
 * blocks, when the month turns and when the run should continue as new. `workflows/ledger.ts` wires signals,
 * queries, timers and activities to it; this class decides, and is tested in milliseconds
 * (test/unit/workflows/ledger-queue.test.ts).
 *
 * Two kinds of work share the queue, first come, first served:
 * - postings (orders and refunds) are written in batches: one activity posts up to `maxBatch` of them back to back;
 * - holders (payouts, reviewed drafts) take a lease lock: they post themselves, renew while they work, release.
 * Payouts keep the lock because their voucher is planned from the open documents at the moment they hold it: a
 * batch of payouts would plan each against documents the previous one was about to settle.
 */
import type { LedgerQueueView, PostingOutcome } from './definitions';

/** In the queue: a holder that wants the lock (payouts, reviewed drafts), or a posting for the next batch. */
export interface Waiter {
  workflowId: string;
  requestId: string;
  since: number;
  toldBlocked?: boolean;
  posting?: true;
}
export interface Holder {
  workflowId: string;
  requestId: string;
  grantedAt: number;
  leaseUntil: number;
}
/** What a run hands to the next one when it continues as new. */
export interface CarriedQueue {
  holder: Holder | null;
  queue: Waiter[];
  month: string;
  postedThisMonth: number;
  grantsTotal: number;
  postingsTotal?: number;
}

export interface LedgerQueueOptions {
  ledgerId: string;
  leaseMs: number;
  monthlyQuota: number | null;
  maxBatch: number;
  postingsPerRun: number;
  grantsPerRun: number;
  /**
   * How far the quota's calendar stands ahead of the workflow clock, in ms (default 0: the UTC month). Tests put the
   * month's end seconds away, so the turn runs the same code as on the first of a month, without waiting for it.
   */
  quotaMonthShiftMs?: number;
  carried?: CarriedQueue;
}

/** What the workflow should do next. */
export type NextStep =
  | { kind: 'batch'; take: Waiter[] }
  | { kind: 'grant'; to: Waiter }
  | { kind: 'tellBlocked'; waiters: Waiter[]; month: string }
  | { kind: 'continueAsNew' }
  | { kind: 'sleep'; until: number | null };

export const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);
const startOfNextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

export class LedgerQueue {
  holder: Holder | null;
  readonly queue: Waiter[];
  monthlyQuota: number | null;
  month: string;
  postedThisMonth: number;
  grantsTotal: number;
  postingsTotal: number;
  grantsThisRun = 0;
  postingsThisRun = 0;
  /** The postings being written now. */
  batch: { requestIds: Set<string>; since: number } | null = null;
  /** Set by every change a sleeping workflow must wake for; the workflow clears it before it sleeps. */
  changed = false;

  constructor(
    private readonly opts: LedgerQueueOptions,
    now: number,
  ) {
    const c = opts.carried;
    this.holder = c?.holder ?? null;
    this.queue = c?.queue ?? [];
    this.monthlyQuota = opts.monthlyQuota;
    this.month = c?.month ?? this.monthAt(now);
    this.postedThisMonth = c?.postedThisMonth ?? 0;
    this.grantsTotal = c?.grantsTotal ?? 0;
    this.postingsTotal = c?.postingsTotal ?? 0;
  }

  /** The quota's month at `now`, and when it turns: the UTC calendar, shifted by quotaMonthShiftMs. */
  private monthAt(now: number): string {
    return monthOf(now + (this.opts.quotaMonthShiftMs ?? 0));
  }
  private nextMonthAt(now: number): number {
    const shift = this.opts.quotaMonthShiftMs ?? 0;
    return startOfNextMonth(now + shift) - shift;
  }

  quotaUsedUp(): boolean {
    return this.monthlyQuota !== null && this.postedThisMonth >= this.monthlyQuota;
  }

  /** Where a request is: in the batch being written, waiting in the queue, or not known here. */
  whereIs(requestId: string): 'batch' | 'queued' | 'unknown' {
    if (this.batch?.requestIds.has(requestId)) return 'batch';
    return this.queue.some((w) => w.requestId === requestId) ? 'queued' : 'unknown';
  }

  /** A retried request (same requestId) keeps its place instead of queueing twice. */
  enqueue(req: { holderWorkflowId: string; requestId: string }, posting: boolean, now: number): void {
    if (this.holder?.requestId === req.requestId || this.whereIs(req.requestId) !== 'unknown') return;
    this.queue.push({ workflowId: req.holderWorkflowId, requestId: req.requestId, since: now, ...(posting ? { posting: true as const } : {}) });
    this.changed = true;
  }

  /**
   * A new ledger workflow (not one continued as new) first queues what an earlier one left pending, in the order
   * they were submitted: a booking that still waits must not depend on a queue that no longer exists. The request
   * that started this run is among them or keeps its place after them.
   */
  queuePending(pending: { holderWorkflowId: string; requestId: string }[], now: number): void {
    const isPending = new Set(pending.map((r) => r.requestId));
    const others = this.queue.splice(0).filter((w) => !isPending.has(w.requestId));
    for (const req of pending) this.enqueue(req, true, now);
    this.queue.push(...others);
  }

  release({ requestId, posted }: { requestId: string; posted?: boolean }): void {
    if (this.holder?.requestId === requestId) {
      this.holder = null;
      if (posted) this.postedThisMonth++;
    } else {
      // A waiter that gave up (its workflow was cancelled or restarted) leaves the queue.
      const i = this.queue.findIndex((w) => w.requestId === requestId);
      if (i >= 0) this.queue.splice(i, 1);
    }
    this.changed = true;
  }

  renew(requestId: string, now: number): void {
    if (this.holder?.requestId === requestId) this.holder.leaseUntil = now + this.opts.leaseMs;
  }

  setQuota(monthlyQuota: number | null): void {
    this.monthlyQuota = monthlyQuota;
    for (const w of this.queue) w.toldBlocked = false;
    this.changed = true;
  }

  /**
   * Turns the month (the quota starts again) and ends an expired lease. Answers the holder whose lease ran out, for
   * the workflow to log.
   */
  tick(now: number): Holder | null {
    if (this.monthAt(now) !== this.month) {
      this.month = this.monthAt(now);
      this.postedThisMonth = 0;
      for (const w of this.queue) w.toldBlocked = false;
    }
    const expired = this.holder && now >= this.holder.leaseUntil ? this.holder : null;
    if (expired) this.holder = null;
    return expired;
  }

  /** The next thing to do, in order: post or grant, tell waiters the quota blocks them, continue as new, sleep. */
  next(now: number, continueAsNewSuggested = false): NextStep {
    const runFull = this.postingsThisRun >= this.opts.postingsPerRun;
    if (!this.holder && this.queue.length > 0 && !this.quotaUsedUp() && !runFull) {
      if (!this.queue[0]!.posting) return { kind: 'grant', to: this.queue[0]! };
      const room = this.monthlyQuota === null ? this.opts.maxBatch : Math.min(this.opts.maxBatch, this.monthlyQuota - this.postedThisMonth);
      const take: Waiter[] = [];
      for (const w of this.queue) {
        if (take.length >= room || !w.posting) break;
        take.push(w);
      }
      return { kind: 'batch', take };
    }
    if (this.quotaUsedUp()) {
      const untold = this.queue.filter((w) => !w.toldBlocked);
      if (untold.length > 0) return { kind: 'tellBlocked', waiters: untold, month: this.month };
    }
    if (this.grantsThisRun >= this.opts.grantsPerRun || runFull || continueAsNewSuggested) return { kind: 'continueAsNew' };
    const wakeAt = Math.min(this.holder ? this.holder.leaseUntil : Infinity, this.quotaUsedUp() ? this.nextMonthAt(now) : Infinity);
    return { kind: 'sleep', until: wakeAt === Infinity ? null : wakeAt };
  }

  /** The postings of a batch leave the queue and are the batch until it ends. */
  startBatch(take: Waiter[], now: number): void {
    this.queue.splice(0, take.length);
    this.batch = { requestIds: new Set(take.map((w) => w.requestId)), since: now };
  }

  /** Counts what the batch posted; a posting that found its document already there used no quota. */
  finishBatch(outcomes: PostingOutcome[]): void {
    this.batch = null;
    for (const o of outcomes) if (o.posted && [o.posted.document, o.posted.payment, ...(o.posted.otherPayments ?? [])].some((p) => p?.created)) this.postedThisMonth++;
    this.postingsTotal += outcomes.length;
    this.postingsThisRun += outcomes.length;
  }

  /** The head of the queue holds the lock under a lease. */
  grant(now: number): Waiter {
    const next = this.queue.shift()!;
    this.holder = { workflowId: next.workflowId, requestId: next.requestId, grantedAt: now, leaseUntil: now + this.opts.leaseMs };
    return next;
  }

  /** The grant reached its holder, or did not (the waiter is gone: nobody to hand the lock to). */
  granted(reached: boolean): void {
    if (reached) {
      this.grantsTotal++;
      this.grantsThisRun++;
    } else this.holder = null;
  }

  markTold(waiters: Waiter[]): void {
    for (const w of waiters) w.toldBlocked = true;
  }

  carry(): CarriedQueue {
    const { holder, queue, month, postedThisMonth, grantsTotal, postingsTotal } = this;
    return { holder, queue, month, postedThisMonth, grantsTotal, postingsTotal };
  }

  view(): LedgerQueueView {
    const iso = (ms: number) => new Date(ms).toISOString();
    const h = this.holder;
    return {
      ledgerId: this.opts.ledgerId,
      holder: h && { workflowId: h.workflowId, requestId: h.requestId, grantedAt: iso(h.grantedAt), leaseUntil: iso(h.leaseUntil) },
      queue: this.queue.map((w) => ({ workflowId: w.workflowId, requestId: w.requestId, since: iso(w.since) })),
      monthlyQuota: this.monthlyQuota,
      month: this.month,
      postedThisMonth: this.postedThisMonth,
      quotaBlocked: this.quotaUsedUp(),
      grantsTotal: this.grantsTotal,
      batch: this.batch && { size: this.batch.requestIds.size, since: iso(this.batch.since) },
      postingsTotal: this.postingsTotal,
    };
  }
}
