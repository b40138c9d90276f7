import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquirerConnections } from '../../db/schema';
import { workflowIds } from '../../workflows/definitions';
import { shopClient } from '../support/api';
import { balanceTransaction, payout, startStripeServer, type StripeServer } from '../support/stripe-server';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

const KEY = 'rk_test_51LedgerbridgeRestrictedKey';
let h: Harness;
let stripe: StripeServer;
beforeAll(async () => {
  stripe = await startStripeServer(KEY, {
    payouts: [payout('po_A', 29_130, '2026-11-04')],
    balanceTransactions: {
      po_A: [
        balanceTransaction('txn_a', 'charge', 10_000, 290, '2026-11-02', { id: 'ch_a', object: 'charge', payment_intent: 'pi_S1', metadata: { order_id: 'S1' } }),
        balanceTransaction('txn_b', 'charge', 20_000, 580, '2026-11-02', { id: 'ch_b', object: 'charge', payment_intent: 'pi_S2', metadata: { order_id: 'S2' } }),
        balanceTransaction('txn_c', 'payout', -29_130, 0, '2026-11-04', { id: 'po_A', object: 'payout' }),
      ],
    },
  });
  h = await startHarness({ stripeBaseUrl: stripe.url });
});
afterAll(async () => {
  await h?.close();
  await stripe?.close();
});

describe('Stripe payouts', () => {
  it('are fetched on demand through the schedule, matched and booked; the key is stored sealed', async () => {
    const mapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, card: { acquirer: 'stripe', receivableAccount: '5816' } } };
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    for (const [id, total] of [['S1', 10_000], ['S2', 20_000]] as const) {
      await api.sendOrder(cardOrder(id, total, { payment: { method: 'card', transactionId: `pi_${id}`, amount: total } }));
      await api.orderReaches(id, 'booked');
    }
    const res = await api.call('POST', '/v1/acquirers', { acquirer: 'stripe', source: 'stripe', apiKey: KEY });
    expect(res.statusCode, res.body).toBe(201);
    const conn = res.json().connectionId as string;
    const [stored] = await h.db.select().from(acquirerConnections).where(eq(acquirerConnections.id, conn));
    expect(stored!.credentials).toMatch(/^v1:/);
    expect(stored!.credentials).not.toContain(KEY);
    const schedule = await h.client.schedule.getHandle(workflowIds.fetchPayouts(conn)).describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'fetchPayoutsWorkflow' });

    expect((await api.call('POST', `/v1/acquirers/${conn}/fetch`)).statusCode).toBe(202);
    const booked = await eventually(async () => {
      const r = await api.call('GET', `/v1/payouts/${conn}/po_A`);
      return r.statusCode === 200 && r.json().status === 'booked' ? r.json() : undefined;
    }, 60_000, 'Stripe payout booked');
    expect(booked.matches.map((m: { rule: string }) => m.rule)).toEqual(['transaction_reference', 'transaction_reference']);
    const receivable = (await api.journal()).flatMap((v) => v.lines).filter((l) => l.account === '5816').reduce((a, l) => a + l.amount, 0);
    expect(receivable).toBe(0);
    await h.client.schedule.getHandle(workflowIds.fetchPayouts(conn)).delete();
  });

  it('refuses a Stripe connection without a key, naming the field', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const res = await shopClient(h, shop.apiKey).call('POST', '/v1/acquirers', { acquirer: 'stripe', source: 'stripe' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues[0]).toMatchObject({ path: 'body.apiKey' });
  });
});
