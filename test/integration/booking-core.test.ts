import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postingRequests } from '../../db/schema';
import { ledgerQueueQuery, submitPostingSignal, workflowIds } from '../../workflows/definitions';
import { linePairs, shopClient } from '../support/api';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { errorCatalog } from '../../src/domain/errors';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('the ARCHITECTURE.md example', () => {
  it('books three card orders of 100/200/200 DKK with 25 % VAT exactly, and a partial refund as a credit note', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    for (const [id, total] of [['A1', 10_000], ['A2', 20_000], ['A3', 20_000]] as const) await api.sendOrder(cardOrder(id, total));
    for (const id of ['A1', 'A2', 'A3']) await api.orderReaches(id, 'booked');

    const journal = await api.journal();
    expect(journal.map((v) => v.number)).toEqual([1, 2, 3, 4, 5, 6]);
    const byRef = (kind: string, ref: string) => journal.find((v) => v.kind === kind && v.reference === ref)!;
    expect(linePairs(byRef('invoice', 'A1'))).toEqual([['1010', -8_000], ['5600', 10_000], ['7230', -2_000]]);
    expect(linePairs(byRef('payment', 'A1'))).toEqual([['5600', -10_000], ['5815', 10_000]]);
    expect(linePairs(byRef('invoice', 'A2'))).toEqual([['1010', -16_000], ['5600', 20_000], ['7230', -4_000]]);
    expect(linePairs(byRef('payment', 'A3'))).toEqual([['5600', -20_000], ['5815', 20_000]]);

    // A partial refund of 50 DKK on the 200 DKK order: a credit note of 50, never the full invoice.
    await api.sendRefund(refundOf('R1', 'A2', 5_000));
    const refund = await api.refundReaches('R1', 'booked');
    expect(refund.documents).toEqual({ creditNote: '7', refundPayment: '8' });
    const after = await api.journal();
    const creditNote = after.find((v) => v.kind === 'credit_note')!;
    expect(linePairs(creditNote)).toEqual([['1010', 4_000], ['5600', -5_000], ['7230', 1_000]]);
    const refundPayment = after.find((v) => v.kind === 'refund_payment')!;
    expect(linePairs(refundPayment)).toEqual([['5600', 5_000], ['5815', -5_000]]);
  });

  it('keeps a refund’s voucher numbers when the refund is delivered again after it was booked', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('C1', 10_000));
    await api.orderReaches('C1', 'booked');
    await api.sendRefund(refundOf('RC1', 'C1', 2_500));
    expect((await api.refundReaches('RC1', 'booked')).documents).toEqual({ creditNote: '3', refundPayment: '4' });
    const first = workflowIds.refund(shop.shopId, 'RC1');
    const firstRun = (await h.client.workflow.getHandle(first).describe()).runId;

    // A booked refund's booking has ended (after telling its order); the shop sends the refund again and a new run
    // finds it posted.
    await h.client.workflow.getHandle(first).result();
    await api.sendRefund(refundOf('RC1', 'C1', 2_500));
    await expect.poll(async () => (await h.client.workflow.getHandle(first).describe()).runId, { timeout: 30_000 }).not.toBe(firstRun);
    await h.client.workflow.getHandle(first).result();
    expect((await api.refundReaches('RC1', 'booked')).documents).toEqual({ creditNote: '3', refundPayment: '4' });
    expect((await api.journal()).map((v) => v.number)).toEqual([1, 2, 3, 4]);
  });

  it('books a refund that arrives before its order once the order is booked', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendRefund(refundOf('R-early', 'B1', 2_500));
    await api.refundReaches('R-early', 'waiting');
    await api.sendOrder(cardOrder('B1', 10_000));
    await api.orderReaches('B1', 'booked');
    await api.refundReaches('R-early', 'booked');
  });

  it('shows what a waiting refund waits for: its order, then its order’s payment, with the fix', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const waitingFor = async (code: string) =>
      eventually(async () => {
        const refund = (await api.call('GET', '/v1/refunds/RW1')).json();
        return refund.status === 'waiting' && refund.waitingFor?.code === code ? refund : undefined;
      }, 60_000, `refund RW1 waiting for ${code}`);

    await api.sendRefund(refundOf('RW1', 'W1', 2_500));
    const missing = await waitingFor('refund_order_missing');
    expect(missing.error).toBeNull();
    expect(missing.waitingFor).toMatchObject({ message: errorCatalog.refund_order_missing.message, details: { orderId: 'W1', orderStatus: null } });
    expect(missing.waitingFor.fix).toContain('POST /v1/webhooks/orders');

    // The order arrives paid with a method the mapping lacks: its invoice is booked, its payment fails.
    await api.sendOrder(cardOrder('W1', 10_000, { payment: { method: 'klarna', transactionId: 'txn-W1', amount: 10_000 } }));
    await api.orderReaches('W1', 'failed');
    const pending = await waitingFor('refund_order_payment_pending');
    expect(pending.waitingFor.details).toEqual({ orderId: 'W1', orderStatus: 'failed', orderErrorCode: 'unmapped_payment_method' });
    expect(pending.waitingFor.fix).toContain('POST /v1/orders/:orderId/restart');

    // The timeline says it too, once per change, in the catalog's words.
    const timeline = (await api.call('GET', '/v1/refunds/RW1/timeline')).json().events as { status: string; reason: string | null }[];
    const reasons = timeline.filter((e) => e.status === 'waiting' && e.reason).map((e) => e.reason!);
    expect(reasons[0]).toContain('order W1 has not arrived');
    expect(reasons.at(-1)).toContain(errorCatalog.refund_order_payment_pending.message);
    expect(reasons.at(-1)).toContain('order W1 is failed (unmapped_payment_method)');
    expect(new Set(reasons).size).toBe(reasons.length);

    // Fixed as the fix says: the order books, and the refund follows by itself.
    const paymentMethods = { ...danishMapping.paymentMethods, klarna: { acquirer: 'nets', receivableAccount: '5815' } };
    expect((await api.call('PUT', '/v1/mapping', { ...danishMapping, paymentMethods })).statusCode).toBe(200);
    expect((await api.call('POST', '/v1/orders/W1/restart')).statusCode).toBe(202);
    await api.orderReaches('W1', 'booked');
    const refund = await api.refundReaches('RW1', 'booked', 120_000);
    expect(refund.waitingFor).toBeNull();
  });
});

describe('the per-ledger lock', () => {
  it('gives 50 concurrent orders of one ledger 100 distinct, gapless voucher numbers, with a visible queue', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const ids = Array.from({ length: 50 }, (_, i) => `C${i + 1}`);
    // Small batches and short runs: the queue is carried over continue-as-new several times while it is long.
    await h.client.workflow.start('ledgerWorkflow', {
      workflowId: workflowIds.ledger(shop.ledgerId),
      taskQueue: h.taskQueue,
      args: [{ ledgerId: shop.ledgerId, leaseMs: 60_000, monthlyQuota: null, maxBatch: 4, postingsPerRun: 8 }],
    });
    let longestQueue = 0;
    let watching = true;
    const watcher = (async () => {
      const handle = h.client.workflow.getHandle(workflowIds.ledger(shop.ledgerId));
      while (watching) {
        const view = await handle.query(ledgerQueueQuery).catch(() => null);
        if (view) longestQueue = Math.max(longestQueue, view.queue.length);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await Promise.all(ids.map((id, i) => api.sendOrder(cardOrder(id, 1_000 + i))));
    for (const id of ids) await api.orderReaches(id, 'booked', 120_000);
    watching = false;
    await watcher;

    const numbers = (await api.journal()).map((v) => v.number);
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(longestQueue).toBeGreaterThan(1);
    const ledger = h.client.workflow.getHandle(workflowIds.ledger(shop.ledgerId));
    expect((await ledger.query(ledgerQueueQuery)).postingsTotal).toBe(50);
    const runs = [];
    for await (const run of h.client.workflow.list({ query: `WorkflowId = '${workflowIds.ledger(shop.ledgerId)}'` })) runs.push(run);
    expect(runs.length).toBeGreaterThanOrEqual(6);
  });

  it('keeps a booked order booked when its posting request reaches the ledger a second time (a retried submit)', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('D1', 7_500));
    await api.orderReaches('D1', 'booked');
    const [request] = await h.db
      .select({ requestId: postingRequests.requestId })
      .from(postingRequests)
      .where(eq(postingRequests.ledgerId, shop.ledgerId))
      .orderBy(sql`${postingRequests.createdAt} desc`);
    const ledger = h.client.workflow.getHandle(workflowIds.ledger(shop.ledgerId));
    const before = (await ledger.query(ledgerQueueQuery)).postingsTotal;
    await ledger.signal(submitPostingSignal, { holderWorkflowId: workflowIds.order(shop.shopId, 'D1'), requestId: request!.requestId });
    await expect.poll(async () => (await ledger.query(ledgerQueueQuery)).postingsTotal, { timeout: 30_000 }).toBe(before + 1);

    expect((await api.order('D1'))?.status).toBe('booked');
    expect((await api.journal()).map((v) => [v.kind, v.reference])).toEqual([['invoice', 'D1'], ['payment', 'D1']]);
  });

  it('lets two ledgers post in parallel', async () => {
    const [a, b] = [await h.createShop({ mapping: danishMapping }), await h.createShop({ mapping: danishMapping })];
    const [apiA, apiB] = [shopClient(h, a.apiKey), shopClient(h, b.apiKey)];
    const ids = Array.from({ length: 15 }, (_, i) => `P${i}`);
    await Promise.all([...ids.map((id) => apiA.sendOrder(cardOrder(id, 5_000))), ...ids.map((id) => apiB.sendOrder(cardOrder(id, 5_000)))]);
    for (const id of ids) {
      await apiA.orderReaches(id, 'booked');
      await apiB.orderReaches(id, 'booked');
    }
    // Each ledger posted while the other did: from its first booking to its last, the two windows overlap (one global
    // queue would book all of one shop's orders before the other's).
    const window = async (api: ReturnType<typeof shopClient>) => {
      const res = await Promise.all(ids.map((id) => api.call('GET', `/v1/orders/${id}/timeline`)));
      const events = res.flatMap((r) => r.json().events as { status: string; at: string }[]);
      const at = (status: string) => events.filter((e) => e.status === status).map((e) => Date.parse(e.at));
      return [Math.min(...at('booked')), Math.max(...at('booked'))] as const;
    };
    const [wa, wb] = [await window(apiA), await window(apiB)];
    expect(wa[0] < wb[1] && wb[0] < wa[1]).toBe(true);
  });
});
