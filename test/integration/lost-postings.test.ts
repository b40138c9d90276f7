import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postingRequests } from '../../db/schema';
import { ledgerQueueQuery, workflowIds } from '../../workflows/definitions';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

/**
 * The invariant behind exactly once (README, "Exactly once"): every posting request is queued in its ledger, in a batch,
 * or done. A ledger workflow whose queue is gone (terminated by an operator, or lost in any other way) must not leave
 * the bookings that wait in it waiting forever.
 */
let asks: Harness;
let picksUp: Harness;
beforeAll(async () => {
  // Bookings ask their ledger again after 2 s without news here; the default is minutes.
  asks = await startHarness({ postingRecheckMs: 2_000 });
  picksUp = await startHarness();
}, 120_000);
afterAll(async () => {
  await asks?.close();
  await picksUp?.close();
});

/** A shop whose ledger takes one posting a month: its second posting waits in the ledger's queue. */
async function shopWithQueuedRefund(h: Harness, id: string) {
  const shop = await h.createShop({ mapping: danishMapping, ledger: { monthlyQuota: 1 } });
  const api = shopClient(h, shop.apiKey);
  await api.sendOrder(cardOrder(`${id}-order`, 10_000));
  await api.orderReaches(`${id}-order`, 'booked');
  await api.sendRefund(refundOf(`${id}-refund`, `${id}-order`, 2_500));
  await api.refundReaches(`${id}-refund`, 'quota_blocked');
  const ledger = h.client.workflow.getHandle(workflowIds.ledger(shop.ledgerId));
  expect((await ledger.query(ledgerQueueQuery)).queue).toHaveLength(1);
  // The queue is lost with the ledger's run.
  await ledger.terminate('test: the ledger workflow and its queue are lost');
  return { shop, api };
}

describe('a posting request its ledger lost', () => {
  it('is queued again when its booking, hearing nothing, asks the ledger', async () => {
    const { shop, api } = await shopWithQueuedRefund(asks, 'ask');
    const refund = await api.refundReaches('ask-refund', 'booked', 90_000);
    expect(refund.documents).toEqual({ creditNote: '3', refundPayment: '4' });
    expect((await api.journal()).map((v) => [v.number, v.kind])).toEqual([
      [1, 'invoice'],
      [2, 'payment'],
      [3, 'credit_note'],
      [4, 'refund_payment'],
    ]);
    const requests = await asks.db.select().from(postingRequests).where(eq(postingRequests.ledgerId, shop.ledgerId));
    expect(requests.map((r) => (r.outcome as { posted?: unknown } | null)?.posted !== undefined)).toEqual([true, true]);
  });

  it('is queued first by the next run of the ledger workflow, before what started it', async () => {
    const { api } = await shopWithQueuedRefund(picksUp, 'pick');
    // A new order starts a new ledger workflow: it finds the refund's request pending and posts it first.
    await api.sendOrder(cardOrder('pick-next', 5_000));
    const refund = await api.refundReaches('pick-refund', 'booked', 90_000);
    expect(refund.documents).toEqual({ creditNote: '3', refundPayment: '4' });
    // The month's one posting went to the refund, which waited longer: the new order waits for the quota.
    await api.orderReaches('pick-next', 'quota_blocked');
  });
});
