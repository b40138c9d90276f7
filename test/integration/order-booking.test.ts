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

  it('keeps the newer snapshot when an older one arrives late, so a refund finds the payment it reverses', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const paid = cardOrder('3001', 8_000, { updatedAt: '2026-11-02T10:05:00+01:00' });
    const created = cardOrder('3001', 8_000, { status: 'pending', payment: undefined, updatedAt: '2026-11-02T10:00:00+01:00' });
    for (const payload of [paid, created]) {
      expect((await h.app.inject({ method: 'POST', url: '/v1/webhooks/orders', headers: auth(shop.apiKey), payload })).statusCode).toBe(202);
    }
    const booked = await orderState(shop.apiKey, '3001', (s) => s.status === 'booked');
    expect(booked.orderStatus).toBe('paid');
    expect(booked.documents).toEqual({ invoice: '1', payment: '2' });

    const refund = { refundId: 'R3001', orderId: '3001', createdAt: '2026-11-03T09:00:00Z', currency: 'DKK', amount: 2_000 };
    expect((await h.app.inject({ method: 'POST', url: '/v1/webhooks/refunds', headers: auth(shop.apiKey), payload: refund })).statusCode).toBe(202);
    await eventually(async () => {
      const res = await h.app.inject({ method: 'GET', url: '/v1/refunds/R3001', headers: auth(shop.apiKey) });
      return res.json().status === 'booked' ? true : undefined;
    }, 60_000, 'refund R3001 booked');

    // Any offset ISO 8601 allows is compared, not only those PostgreSQL's timestamptz takes (±15:59).
    const odd = { ...paid, updatedAt: '2026-11-02T10:00:00-23:57' };
    expect((await h.app.inject({ method: 'POST', url: '/v1/webhooks/orders', headers: auth(shop.apiKey), payload: odd })).statusCode).toBe(202);
  });
});
