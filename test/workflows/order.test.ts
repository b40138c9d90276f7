import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { orderSchema, type Order } from '../../src/domain/order';
import { BookingStatus as BookingStatusKey } from '../../src/temporal/search-attributes';
import { bookDraftSignal, bookingStateQuery, ledgerQueueQuery, refundBookedSignal, restartSignal, workflowIds, type BookingStatus } from '../../workflows/definitions';
import type { OrderWorkflowInput } from '../../workflows/order';
import { danishMapping, cardOrder } from '../support/fixtures';
import { eventually } from '../support/harness';
import { deliverOrder, useWorkflowTier } from './env';

/**
 * The order workflow and its ledger workflow (docs/ARCHITECTURE.md, "The workflows and their signals", and "Failures
 * are states") with the database and the accounting system as plain objects: a failed order restarted books once,
 * a booked order's run completes and a later snapshot's new run judges it against the invoice, the status has one
 * writer, and postings the quota blocks resume when the month turns, as the error catalog's fix for quota_exhausted
 * promises.
 */
const tier = useWorkflowTier();

function newShop(mode: 'draft' | 'auto' = 'auto') {
  const shopId = `shop_${randomUUID().slice(0, 8)}`;
  const ledgerId = `led_${randomUUID().slice(0, 8)}`;
  tier().world.shops.set(shopId, { ledgerId, mode, mapping: structuredClone(danishMapping) });
  return { shopId, ledgerId };
}

const order = (orderId: string, over: Parameters<typeof cardOrder>[2] = {}): Order => orderSchema.parse(cardOrder(orderId, 12_500, over));

const deliver = (shopId: string, snapshot: Order, input: Partial<OrderWorkflowInput> = {}) => deliverOrder(tier(), shopId, snapshot, input);

const bookingOf = (shopId: string, orderId: string) => tier().client.workflow.getHandle(workflowIds.order(shopId, orderId));
async function reaches(shopId: string, orderId: string, status: BookingStatus, timeoutMs = 60_000) {
  return eventually(async () => {
    const state = await bookingOf(shopId, orderId).query(bookingStateQuery);
    return state.status === status ? state : undefined;
  }, timeoutMs, `order ${orderId} ${status}`);
}
/** The documents the accounting system created for an order, in order: each must appear once. */
const createdFor = (ledgerId: string, orderId: string) => tier().world.created.filter((k) => k.startsWith(`${ledgerId}/`) && k.endsWith(`/${orderId}`));
const submissionsFor = (orderId: string) => [...tier().world.requests.values()].filter((r) => r.work.document.reference === orderId);
/** When the status writer mirrored `status` for an order (the database's view of it). */
const mirroredAt = (orderId: string, status: BookingStatus) => tier().world.statusesOf(orderId).find((s) => s.status === status)?.at;

describe('restart after failure', () => {
  it('an order the ledger refused waits as failed; restarted (twice, as a double click sends it) it books once', async () => {
    const { shopId, ledgerId } = newShop();
    tier().world.refuse.set('r-1', 'missing_account');
    await deliver(shopId, order('r-1'));
    const failed = await reaches(shopId, 'r-1', 'failed');
    expect(failed.error?.code).toBe('missing_account');
    expect(tier().world.statusesOf('r-1').at(-1)).toMatchObject({ status: 'failed', error: { code: 'missing_account' } });
    expect(createdFor(ledgerId, 'r-1')).toEqual([]);

    // The shop fixes its chart of accounts and restarts.
    tier().world.refuse.delete('r-1');
    await Promise.all([bookingOf(shopId, 'r-1').signal(restartSignal), bookingOf(shopId, 'r-1').signal(restartSignal)]);
    const booked = await reaches(shopId, 'r-1', 'booked');
    expect(booked.error).toBeUndefined();
    expect(createdFor(ledgerId, 'r-1')).toEqual([`${ledgerId}/invoice/r-1`, `${ledgerId}/payment/r-1`]);
    // One posting refused, one posted: the second restart started no third attempt.
    expect(submissionsFor('r-1').map((r) => (r.outcome?.failure ? 'refused' : 'posted'))).toEqual(['refused', 'posted']);
    expect(tier().world.statusesOf('r-1').at(-1)).toMatchObject({ status: 'booked', error: null });
  });

  it('an invoice that stood when its payment failed is found again on restart: only the payment is added', async () => {
    const { shopId, ledgerId } = newShop();
    await deliver(shopId, order('r-2', { payment: { method: 'mobilepay', amount: 12_500 } }));
    const failed = await reaches(shopId, 'r-2', 'failed');
    expect(failed.error?.code).toBe('unmapped_payment_method');
    expect(createdFor(ledgerId, 'r-2')).toEqual([`${ledgerId}/invoice/r-2`]);

    tier().world.shops.get(shopId)!.mapping!.paymentMethods.mobilepay = { acquirer: 'nets', receivableAccount: '5815' };
    await bookingOf(shopId, 'r-2').signal(restartSignal);
    const booked = await reaches(shopId, 'r-2', 'booked');
    expect(createdFor(ledgerId, 'r-2')).toEqual([`${ledgerId}/invoice/r-2`, `${ledgerId}/payment/r-2`]);
    expect(Object.keys(booked.documents).sort()).toEqual(['invoice', 'payment']);
  });
});

describe('after booking', () => {
  it("a booked order's run completes at once: no watch timer, and the Temporal UI shows it Completed", async () => {
    const { shopId } = newShop();
    await deliver(shopId, order('w-1'));
    expect(await bookingOf(shopId, 'w-1').result()).toBe('booked');
    const { status } = await bookingOf(shopId, 'w-1').describe();
    expect(status.name).toBe('COMPLETED');
    const history = await bookingOf(shopId, 'w-1').fetchHistory();
    // No timer beyond the posting's recheck (seconds): it watched 30 days before.
    const timers = history.events!.flatMap((e) => (e.timerStartedEventAttributes ? [Number(e.timerStartedEventAttributes.startToFireTimeout!.seconds)] : []));
    expect(timers.filter((seconds) => seconds > 3_600)).toEqual([]);
  });

  it('an order nothing changed ends booked; a delivery later (a new status, too) starts a new run that books nothing again', async () => {
    const { shopId, ledgerId } = newShop();
    const snapshot = order('w-2');
    const { signaledRunId: firstRun } = await deliver(shopId, snapshot);
    expect(await bookingOf(shopId, 'w-2').result()).toBe('booked');

    // The shop sends the order again later, fulfilled (a status it does not book): intake starts a new run for the closed one.
    const { signaledRunId: secondRun } = await deliver(shopId, { ...snapshot, status: 'fulfilled' });
    expect(secondRun).not.toBe(firstRun);
    expect(await tier().client.workflow.getHandle(workflowIds.order(shopId, 'w-2'), secondRun).result()).toBe('booked');
    expect(createdFor(ledgerId, 'w-2')).toEqual([`${ledgerId}/invoice/w-2`, `${ledgerId}/payment/w-2`]);
    expect(submissionsFor('w-2')).toHaveLength(1);
    expect(tier().world.statusesOf('w-2').map((s) => s.status)).toEqual(['queued', 'booked', 'booked']);
  });

  it('an order changed later is reported, not booked again: the invoice that stands is compared with the new snapshot', async () => {
    const { shopId, ledgerId } = newShop();
    const snapshot = order('w-3', { updatedAt: '2026-11-02T10:00:00Z' });
    await deliver(shopId, snapshot);
    expect(await bookingOf(shopId, 'w-3').result()).toBe('booked');

    // A price changed in the shop a month later: lines and total agree, so it plans, and differs from the invoice.
    const { signaledRunId } = await deliver(shopId, orderSchema.parse(cardOrder('w-3', 13_500, { updatedAt: '2026-11-03T10:00:00Z' })));
    const secondRun = tier().client.workflow.getHandle(workflowIds.order(shopId, 'w-3'), signaledRunId);
    expect(await secondRun.result()).toBe('needs_correction');
    expect((await secondRun.query(bookingStateQuery)).error).toMatchObject({ code: 'order_changed_after_booking', details: { bookedTotal: 12_500, newTotal: 13_500 } });
    expect(createdFor(ledgerId, 'w-3')).toEqual([`${ledgerId}/invoice/w-3`, `${ledgerId}/payment/w-3`]);
  });

  it('an order cancelled after its run ended waits in a new run for refunds that credit the invoice, then ends cancelled', async () => {
    const { shopId, ledgerId } = newShop();
    const snapshot = order('w-4', { updatedAt: '2026-11-02T10:00:00Z' });
    await deliver(shopId, snapshot);
    expect(await bookingOf(shopId, 'w-4').result()).toBe('booked');

    await deliver(shopId, { ...snapshot, status: 'cancelled', updatedAt: '2026-11-03T10:00:00Z' });
    const open = await reaches(shopId, 'w-4', 'needs_correction');
    expect(open.error).toMatchObject({ code: 'order_cancelled_after_booking', details: { bookedTotal: 12_500, refunded: 0, open: 12_500 } });
    // Its refund is booked (the refund workflow signals the order's run): the books now say the sale did not happen.
    tier().world.refunded.set('w-4', 12_500);
    await bookingOf(shopId, 'w-4').signal(refundBookedSignal);
    expect(await bookingOf(shopId, 'w-4').result()).toBe('cancelled');
    expect(createdFor(ledgerId, 'w-4')).toEqual([`${ledgerId}/invoice/w-4`, `${ledgerId}/payment/w-4`]);
  });

  it('a draft waits for its review (at most the injected watch); reviewed, it is booked and the run completes', async () => {
    const { shopId, ledgerId } = newShop('draft');
    await deliver(shopId, order('w-5'));
    await reaches(shopId, 'w-5', 'drafted');
    await bookingOf(shopId, 'w-5').signal(bookDraftSignal);
    expect(await bookingOf(shopId, 'w-5').result()).toBe('booked');
    expect(tier().world.statusesOf('w-5').map((s) => s.status)).toEqual(['queued', 'drafted', 'queued', 'posting', 'booked']);

    // Not reviewed: the run ends when the injected watch is over, still drafted (nothing more is booked).
    await deliver(shopId, order('w-6'), { watchAfterBookingMs: 1_500 });
    expect(await bookingOf(shopId, 'w-6').result()).toBe('drafted');
    expect(createdFor(ledgerId, 'w-6')).toEqual([`${ledgerId}/invoice/w-6`]);
  });
});

describe('one writer of the status', () => {
  it("the database, the search attribute and the query agree at each state, also while the ledger's batch runs", async () => {
    const { shopId } = newShop();
    let release!: () => void;
    tier().world.batchGate = new Promise<void>((r) => (release = r));
    try {
      const handle = bookingOf(shopId, 's-1');
      const agree = async (status: BookingStatus) => {
        const [state, description] = await Promise.all([handle.query(bookingStateQuery), handle.describe()]);
        return {
          query: state.status,
          searchAttribute: description.typedSearchAttributes.get(BookingStatusKey),
          database: tier().world.statusesOf('s-1').at(-1)?.status,
          expected: status,
        };
      };
      await deliver(shopId, order('s-1'));
      // In the middle of the batch that posts it: the batch writes no status of its own.
      await eventually(async () => (submissionsFor('s-1').some((r) => tier().world.batches.flat().includes(r.requestId)) ? true : undefined), 60_000, 's-1 in a batch');
      const during = await agree('queued');
      expect(during).toEqual({ query: 'queued', searchAttribute: 'queued', database: 'queued', expected: 'queued' });
      release();
      await handle.result();
      expect(await agree('booked')).toEqual({ query: 'booked', searchAttribute: 'booked', database: 'booked', expected: 'booked' });
    } finally {
      release();
      tier().world.batchGate = undefined;
    }
  });
});

describe('the quota month', () => {
  it('an order the monthly quota blocks is booked by itself when the month turns: no signal, no restart', async () => {
    const { shopId, ledgerId } = newShop();
    // The ledger's quota month ends 10 s from now: the ledger runs the same month turn as on the 1st, shifted.
    const now = Date.now();
    const d = new Date(now);
    const turnAt = now + 10_000;
    const quotaMonthShiftMs = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - turnAt;
    tier().world.ledgerSettings.set(ledgerId, { monthlyQuota: 1, quotaMonthShiftMs });

    await deliver(shopId, order('q-1'));
    await reaches(shopId, 'q-1', 'booked');
    await deliver(shopId, order('q-2'));
    const blocked = await reaches(shopId, 'q-2', 'quota_blocked');
    expect(blocked.error).toMatchObject({ code: 'quota_exhausted', details: { ledgerId } });
    const ledger = tier().client.workflow.getHandle(workflowIds.ledger(ledgerId));
    const before = await ledger.query(ledgerQueueQuery);
    expect(before).toMatchObject({ quotaBlocked: true, postedThisMonth: 1 });
    // The precondition of the proof: q-2 was blocked before the turn (else a slow machine, not the turn, released it).
    expect(mirroredAt('q-2', 'quota_blocked')!).toBeLessThan(turnAt);
    expect(createdFor(ledgerId, 'q-2')).toEqual([]);

    // Nothing is sent to the ledger or the order from here on.
    await reaches(shopId, 'q-2', 'booked', 60_000);
    expect(mirroredAt('q-2', 'booked')!).toBeGreaterThanOrEqual(turnAt);
    expect(createdFor(ledgerId, 'q-2')).toEqual([`${ledgerId}/invoice/q-2`, `${ledgerId}/payment/q-2`]);
    const after = await ledger.query(ledgerQueueQuery);
    expect(after.month > before.month).toBe(true);
    expect(after).toMatchObject({ quotaBlocked: true, postedThisMonth: 1, queue: [] });
  });
});
