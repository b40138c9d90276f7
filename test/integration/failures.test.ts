import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLedger } from '../../src/adapters/ledgers/local/local-ledger';
import { orderSchema } from '../../src/domain/order';
import { planOrder } from '../../src/domain/plan-order';
import { ledgerQueueQuery, workflowIds } from '../../workflows/definitions';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ leaseMs: 4_000 });
});
afterAll(() => h?.close());

describe('failures are states', () => {
  it('fails an unmapped payment method with its code and fix, and a bulk restart books it once mapped', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('M1', 10_000, { payment: { method: 'mobilepay', amount: 10_000 } }));
    await api.sendOrder(cardOrder('M2', 20_000, { payment: { method: 'mobilepay', amount: 20_000 } }));
    const failed = await api.orderReaches('M1', 'failed');
    expect(failed.error).toMatchObject({ code: 'unmapped_payment_method', details: { method: 'mobilepay' } });
    expect(failed.error?.fix).toMatch(/paymentMethods/);
    await api.orderReaches('M2', 'failed');

    const mapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, mobilepay: { acquirer: 'vipps', receivableAccount: '5817' } } };
    expect((await api.call('PUT', '/v1/mapping', mapping)).statusCode).toBe(200);
    const restart = await api.call('POST', '/v1/orders/restart', { errorCode: 'unmapped_payment_method' });
    expect(restart.json()).toEqual({ matched: 2, restarted: 2, remaining: 0 });
    const booked = await api.orderReaches('M1', 'booked');
    expect(booked.error).toBeNull();
    await api.orderReaches('M2', 'booked');
    const payments = (await api.journal()).filter((v) => v.kind === 'payment');
    expect(payments.flatMap((v) => v.lines.filter((l) => l.amount > 0).map((l) => l.account))).toEqual(['5817', '5817']);
  });

  it('blocks the 4th posting when the monthly quota is 3, and books it once the quota is raised', async () => {
    const shop = await h.createShop({ mapping: danishMapping, ledger: { monthlyQuota: 3 } });
    const api = shopClient(h, shop.apiKey);
    for (const id of ['Q1', 'Q2', 'Q3']) {
      await api.sendOrder(cardOrder(id, 1_000));
      await api.orderReaches(id, 'booked');
    }
    await api.sendOrder(cardOrder('Q4', 1_000));
    const blocked = await api.orderReaches('Q4', 'quota_blocked');
    expect(blocked.error?.code).toBe('quota_exhausted');
    const ledger = await api.call('GET', '/v1/ledger');
    expect(ledger.json().queue).toMatchObject({ monthlyQuota: 3, postedThisMonth: 3, quotaBlocked: true });

    expect((await api.call('PUT', '/v1/ledger/quota', { monthlyQuota: 10 })).statusCode).toBe(200);
    await api.orderReaches('Q4', 'booked');
  });

  it('never books twice when the ledger committed but the answer was lost', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const order = cardOrder('L1', 7_500);
    // The ledger already holds the invoice (a worker died after the ledger's commit, before we recorded it).
    await new LocalLedger(h.db, shop.ledgerId).createInvoice(planOrder(orderSchema.parse(order), danishMapping).invoice, 'booked');
    await api.sendOrder(order);
    await api.orderReaches('L1', 'booked');
    const journal = await api.journal();
    expect(journal.map((v) => [v.number, v.kind])).toEqual([[1, 'invoice'], [2, 'payment']]);
  });

  it('books each order exactly once when the worker stops in the middle and starts again', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const ids = Array.from({ length: 20 }, (_, i) => `W${i}`);
    // Half before the stop, half while the worker is away: the stop always falls in the middle of the work, even on
    // a machine fast enough to book a whole batch before the stop lands.
    await Promise.all(ids.slice(0, 10).map((id) => api.sendOrder(cardOrder(id, 2_000))));
    await eventually(async () => ((await api.journal()).length > 0 ? true : undefined));
    await h.stopWorker();
    await Promise.all(ids.slice(10).map((id) => api.sendOrder(cardOrder(id, 2_000))));
    const midway = (await api.journal()).length;
    await h.startWorker();
    for (const id of ids) await api.orderReaches(id, 'booked', 90_000);
    const journal = await api.journal();
    expect(midway).toBeLessThan(40);
    expect(journal.map((v) => v.number)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(journal.map((v) => `${v.kind}/${v.reference}`)).size).toBe(40);
  });

  it('passes the lock on when its holder vanished and the lease ran out', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const ledger = h.client.workflow.getHandle(workflowIds.ledger(shop.ledgerId));
    // A holder that takes the lock and is never heard of again: a workflow that ignores the grant.
    const { acquireLockSignal } = await import('../../workflows/definitions');
    const idle = await h.client.workflow.start('orderWorkflow', {
      workflowId: workflowIds.order(shop.shopId, 'idle'),
      taskQueue: h.taskQueue,
      args: [{ shopId: shop.shopId, orderId: 'idle' }],
    });
    await h.client.workflow.signalWithStart('ledgerWorkflow', {
      workflowId: workflowIds.ledger(shop.ledgerId),
      taskQueue: h.taskQueue,
      args: [{ ledgerId: shop.ledgerId, leaseMs: 4_000, monthlyQuota: null }],
      signal: acquireLockSignal,
      signalArgs: [{ holderWorkflowId: idle.workflowId, requestId: 'ghost' }],
    });
    const held = await eventually(async () => (await ledger.query(ledgerQueueQuery)).holder ?? undefined);
    expect(held.requestId).toBe('ghost');
    const started = Date.now();
    await api.sendOrder(cardOrder('G1', 1_000));
    await api.orderReaches('G1', 'booked', 30_000);
    expect(Date.now() - started).toBeGreaterThan(2_000);
    expect((await ledger.query(ledgerQueueQuery)).holder).toBeNull();
    await idle.terminate();
  });
});
