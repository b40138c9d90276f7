import { describe, expect, it } from 'vitest';
import type { PostingOutcome } from '../../../workflows/definitions';
import { LedgerQueue, type LedgerQueueOptions } from '../../../workflows/ledger-queue';

const t0 = Date.parse('2026-11-30T23:00:00Z');
const make = (over: Partial<LedgerQueueOptions> = {}) =>
  new LedgerQueue({ ledgerId: 'led_1', leaseMs: 60_000, monthlyQuota: null, maxBatch: 3, postingsPerRun: 100, grantsPerRun: 100, ...over }, t0);
const posting = (n: number) => ({ holderWorkflowId: `order/shop/${n}`, requestId: `req-${n}` });
const booked = (requestId: string, created = true): PostingOutcome =>
  ({ requestId, posted: { document: { created } } }) as unknown as PostingOutcome;

describe('the ledger queue', () => {
  it('posts queued postings in batches of at most maxBatch, oldest first', () => {
    const q = make();
    for (let n = 1; n <= 5; n++) q.enqueue(posting(n), true, t0);
    const step = q.next(t0);
    expect(step.kind).toBe('batch');
    const take = step.kind === 'batch' ? step.take : [];
    expect(take.map((w) => w.requestId)).toEqual(['req-1', 'req-2', 'req-3']);
    q.startBatch(take, t0);
    expect(q.whereIs('req-2')).toBe('batch');
    expect(q.whereIs('req-4')).toBe('queued');
    expect(q.view().batch).toEqual({ size: 3, since: new Date(t0).toISOString() });
    q.finishBatch(take.map((w) => booked(w.requestId)));
    expect(q.whereIs('req-2')).toBe('unknown');
    expect(q.view().postingsTotal).toBe(3);
  });

  it('queues a request once however often it is sent, also while it is in the batch', () => {
    const q = make();
    q.enqueue(posting(1), true, t0);
    q.enqueue(posting(1), true, t0);
    expect(q.view().queue).toHaveLength(1);
    const step = q.next(t0);
    if (step.kind !== 'batch') throw new Error(step.kind);
    q.startBatch(step.take, t0);
    q.enqueue(posting(1), true, t0);
    expect(q.view().queue).toHaveLength(0);
  });

  it('grants the lock to a payout at the head, and a batch never overtakes it', () => {
    const q = make();
    q.enqueue({ holderWorkflowId: 'payout/c/1', requestId: 'lock-1' }, false, t0);
    q.enqueue(posting(1), true, t0);
    expect(q.next(t0)).toMatchObject({ kind: 'grant', to: { requestId: 'lock-1' } });
    q.grant(t0);
    q.granted(true);
    // While the payout holds the lock, nothing else posts: the workflow sleeps until the lease ends.
    expect(q.next(t0)).toEqual({ kind: 'sleep', until: t0 + 60_000 });
    q.release({ requestId: 'lock-1', posted: true });
    expect(q.next(t0).kind).toBe('batch');
    expect(q.view().grantsTotal).toBe(1);
  });

  it('takes the lock from a holder whose lease ran out, unless it renewed', () => {
    const q = make();
    q.enqueue({ holderWorkflowId: 'payout/c/1', requestId: 'lock-1' }, false, t0);
    q.grant(t0);
    q.granted(true);
    q.renew('lock-1', t0 + 50_000);
    expect(q.tick(t0 + 60_000)).toBeNull();
    expect(q.tick(t0 + 110_000)).toMatchObject({ requestId: 'lock-1' });
    expect(q.view().holder).toBeNull();
  });

  it('passes over a waiter that is gone', () => {
    const q = make();
    q.enqueue({ holderWorkflowId: 'payout/c/1', requestId: 'lock-1' }, false, t0);
    q.grant(t0);
    q.granted(false);
    expect(q.view().holder).toBeNull();
    expect(q.view().grantsTotal).toBe(0);
  });

  it('stops at the monthly quota, tells each waiter once, and resumes by itself when the month turns', () => {
    const q = make({ monthlyQuota: 2 });
    for (let n = 1; n <= 4; n++) q.enqueue(posting(n), true, t0);
    const step = q.next(t0);
    if (step.kind !== 'batch') throw new Error(step.kind);
    expect(step.take).toHaveLength(2); // the room left in the quota, not maxBatch
    q.startBatch(step.take, t0);
    q.finishBatch(step.take.map((w) => booked(w.requestId)));
    const blocked = q.next(t0);
    expect(blocked).toMatchObject({ kind: 'tellBlocked', month: '2026-11' });
    if (blocked.kind !== 'tellBlocked') throw new Error(blocked.kind);
    expect(blocked.waiters.map((w) => w.requestId)).toEqual(['req-3', 'req-4']);
    q.markTold(blocked.waiters);
    // Told once; then it sleeps until the first of next month.
    expect(q.next(t0)).toEqual({ kind: 'sleep', until: Date.parse('2026-12-01T00:00:00Z') });
    q.tick(Date.parse('2026-12-01T00:00:00Z'));
    expect(q.view()).toMatchObject({ month: '2026-12', postedThisMonth: 0, quotaBlocked: false });
    expect(q.next(Date.parse('2026-12-01T00:00:00Z')).kind).toBe('batch');
  });

  it('with quotaMonthShiftMs (the workflow tier) the same month turn comes that much sooner', () => {
    // t0 is 23:00 on the last day of November: shifted by half an hour, November ends at 23:30 on the workflow clock.
    const q = make({ monthlyQuota: 1, quotaMonthShiftMs: 1_800_000 });
    q.enqueue(posting(1), true, t0);
    q.enqueue(posting(2), true, t0);
    const step = q.next(t0);
    if (step.kind !== 'batch') throw new Error(step.kind);
    q.startBatch(step.take, t0);
    q.finishBatch(step.take.map((w) => booked(w.requestId)));
    const blocked = q.next(t0);
    if (blocked.kind !== 'tellBlocked') throw new Error(blocked.kind);
    q.markTold(blocked.waiters);
    expect(q.next(t0)).toEqual({ kind: 'sleep', until: t0 + 1_800_000 });
    q.tick(t0 + 1_799_999);
    expect(q.view()).toMatchObject({ month: '2026-11', quotaBlocked: true });
    q.tick(t0 + 1_800_000);
    expect(q.view()).toMatchObject({ month: '2026-12', postedThisMonth: 0, quotaBlocked: false });
    expect(q.next(t0 + 1_800_000).kind).toBe('batch');
  });

  it('a raised quota releases the blocked postings at once', () => {
    const q = make({ monthlyQuota: 0 });
    q.enqueue(posting(1), true, t0);
    const blocked = q.next(t0);
    if (blocked.kind !== 'tellBlocked') throw new Error(blocked.kind);
    q.markTold(blocked.waiters);
    q.setQuota(10);
    expect(q.changed).toBe(true);
    expect(q.next(t0).kind).toBe('batch');
  });

  it('a posting that found its document already there uses no quota', () => {
    const q = make({ monthlyQuota: 5 });
    q.enqueue(posting(1), true, t0);
    q.enqueue(posting(2), true, t0);
    const step = q.next(t0);
    if (step.kind !== 'batch') throw new Error(step.kind);
    q.startBatch(step.take, t0);
    q.finishBatch([booked('req-1', true), booked('req-2', false)]);
    expect(q.view().postedThisMonth).toBe(1);
  });

  it('continues as new after postingsPerRun postings, carrying the queue', () => {
    const q = make({ postingsPerRun: 2, maxBatch: 2 });
    for (let n = 1; n <= 3; n++) q.enqueue(posting(n), true, t0);
    const step = q.next(t0);
    if (step.kind !== 'batch') throw new Error(step.kind);
    q.startBatch(step.take, t0);
    q.finishBatch(step.take.map((w) => booked(w.requestId)));
    expect(q.next(t0)).toEqual({ kind: 'continueAsNew' });
    const next = new LedgerQueue({ ledgerId: 'led_1', leaseMs: 60_000, monthlyQuota: null, maxBatch: 2, postingsPerRun: 2, grantsPerRun: 100, carried: q.carry() }, t0);
    expect(next.view()).toMatchObject({ postingsTotal: 2, queue: [{ requestId: 'req-3' }] });
    expect(next.next(t0).kind).toBe('batch');
  });

  it('a new run queues what the last one left pending first, in the order submitted', () => {
    const q = make();
    q.enqueue(posting(9), true, t0); // the request whose signal started this run
    q.queuePending([posting(1), posting(9), posting(2)], t0);
    expect(q.view().queue.map((w) => w.requestId)).toEqual(['req-1', 'req-9', 'req-2']);
  });

  it('a waiter that gives up leaves the queue', () => {
    const q = make();
    q.enqueue({ holderWorkflowId: 'payout/c/1', requestId: 'lock-1' }, false, t0);
    q.release({ requestId: 'lock-1' });
    expect(q.view().queue).toEqual([]);
    expect(q.next(t0)).toEqual({ kind: 'sleep', until: null });
  });
});
