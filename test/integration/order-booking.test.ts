import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const auth = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });

async function orderState(apiKey: string, orderId: string, until: (s: { status: string }) => boolean) {
  return eventually(async () => {
    const res = await h.app.inject({ method: 'GET', url: `/v1/orders/${orderId}`, headers: auth(apiKey) });
    const body = res.json();
    return res.statusCode === 200 && until(body) ? body : undefined;
  }, 60_000, `order ${orderId}`);
}

async function journal(apiKey: string) {
  const res = await h.app.inject({ method: 'GET', url: '/v1/ledger/vouchers', headers: auth(apiKey) });
  expect(res.statusCode).toBe(200);
  return res.json().vouchers as { number: number; kind: string; reference: string; lines: { account: string; amount: number }[] }[];
}

describe('an order sent to the generic webhook', () => {
  it('is booked once into the local ledger as an invoice and a payment registration', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const order = cardOrder('1001', 10_000);
    const res = await h.app.inject({ method: 'POST', url: '/v1/webhooks/orders', headers: auth(shop.apiKey), payload: order });
    expect(res.statusCode).toBe(202);
    expect(res.json().workflowId).toBe(`order/${shop.shopId}/1001`);

    const booked = await orderState(shop.apiKey, '1001', (s) => s.status === 'booked');
    expect(booked.documents).toEqual({ invoice: '1', payment: '2' });

    const vouchers = await journal(shop.apiKey);
    expect(vouchers.map((v) => [v.number, v.kind, v.reference])).toEqual([
      [1, 'invoice', '1001'],
      [2, 'payment', '1001'],
    ]);
    expect(vouchers[0]!.lines.map((l) => [l.account, l.amount])).toEqual(
      expect.arrayContaining([
        ['5600', 10_000],
        ['1010', -8_000],
        ['7230', -2_000],
      ]),
    );
    expect(vouchers[1]!.lines.map((l) => [l.account, l.amount])).toEqual(
      expect.arrayContaining([
        ['5815', 10_000],
        ['5600', -10_000],
      ]),
    );

    // The same webhook again, and an edited order after booking: never a second invoice.
    await h.app.inject({ method: 'POST', url: '/v1/webhooks/orders', headers: auth(shop.apiKey), payload: order });
    const edited = cardOrder('1001', 12_500);
    await h.app.inject({ method: 'POST', url: '/v1/webhooks/orders', headers: auth(shop.apiKey), payload: edited });
    const flagged = await orderState(shop.apiKey, '1001', (s) => s.status === 'needs_correction');
    expect(flagged.error?.code).toBe('order_changed_after_booking');
    expect((await journal(shop.apiKey)).length).toBe(2);
  });

  it('waits while the order is not in a ready status, then books it', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const pending = cardOrder('2001', 5_000, { status: 'pending' });
    await h.app.inject({ method: 'POST', url: '/v1/webhooks/orders', headers: auth(shop.apiKey), payload: pending });
    const waiting = await orderState(shop.apiKey, '2001', (s) => s.status === 'waiting');
    expect(waiting.documents.invoice).toBeNull();
    await h.app.inject({ method: 'POST', url: '/v1/webhooks/orders', headers: auth(shop.apiKey), payload: { ...pending, status: 'paid' } });
    await orderState(shop.apiKey, '2001', (s) => s.status === 'booked');
  });
});
