import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

/** The sales list's paging, totals, search and the bulk actions "on everything the filter matches" (issue 14). */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const withoutKlarna = { ...danishMapping };
const withKlarna = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, klarna: { acquirer: 'klarna', receivableAccount: '5815' } } };

describe('the sales list', () => {
  it('pages newest first with a total, counts states and errors, and searches order numbers', async () => {
    const shop = await h.createShop({ mapping: withoutKlarna });
    const api = shopClient(h, shop.apiKey);
    const days = ['2026-11-01', '2026-11-03', '2026-11-02', '2026-11-05', '2026-11-04'];
    for (const [i, day] of days.entries()) await api.sendOrder(cardOrder(`S${i}`, 1_000 + i, { orderNumber: `10${i}`, createdAt: `${day}T10:00:00Z` }));
    await api.sendOrder(cardOrder('SK', 5_000, { orderNumber: '200', createdAt: '2026-11-06T08:00:00+01:00', payment: { method: 'klarna', transactionId: 't-k', amount: 5_000 } }));
    for (let i = 0; i < days.length; i++) await api.orderReaches(`S${i}`, 'booked');
    await api.orderReaches('SK', 'failed');

    const first = (await api.call('GET', '/v1/orders?sort=newest&limit=2')).json();
    expect(first.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['SK', 'S3']);
    expect(first).toMatchObject({ matching: 6, nextCursor: null, facets: { status: { booked: 5, failed: 1 }, errorCode: { unmapped_payment_method: 1 } } });
    expect(first.orders[0]).toMatchObject({ orderNumber: '200', orderedAt: '2026-11-06T08:00:00+01:00' });
    const third = (await api.call('GET', '/v1/orders?sort=newest&limit=2&offset=4')).json();
    expect(third.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['S2', 'S0']);

    // Dates are the shop's days, inclusive at both ends; the state filter leaves its own facet whole.
    const range = (await api.call('GET', '/v1/orders?sort=newest&from=2026-11-02&to=2026-11-04&status=booked')).json();
    expect(range.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['S4', 'S1', 'S2']);
    expect(range).toMatchObject({ matching: 3, facets: { status: { booked: 3 } } });

    const search = (await api.call('GET', '/v1/orders?search=10&sort=newest')).json();
    expect(search.matching).toBe(5);
    expect((await api.call('GET', '/v1/orders?search=%25')).json().matching).toBe(0);
    expect((await api.call('GET', '/v1/orders?search=SK')).json().orders.map((o: { orderId: string }) => o.orderId)).toEqual(['SK']);

    const bad = await api.call('GET', '/v1/orders?sort=newest&cursor=S1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toContain('cursor');
  });

  it('lists refunds with their order numbers and finds them by it', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('R-O1', 4_000, { orderNumber: '5001' }));
    await api.orderReaches('R-O1', 'booked');
    await api.sendRefund(refundOf('R-1', 'R-O1', 1_000));
    await api.refundReaches('R-1', 'booked');
    const list = (await api.call('GET', '/v1/refunds?sort=newest&search=5001')).json();
    expect(list).toMatchObject({ matching: 1, refunds: [{ refundId: 'R-1', orderNumber: '5001', refundedAt: '2026-11-05T09:00:00Z', status: 'booked' }] });
    expect((await api.call('GET', '/v1/refunds/R-1')).json().orderNumber).toBe('5001');
  });
});

describe('bulk actions on the filter', () => {
  it('restarts every failed order the filter matches (not only the ids on a page), and follows them to booked', async () => {
    const shop = await h.createShop({ mapping: withoutKlarna });
    const other = await h.createShop({ mapping: withoutKlarna });
    const api = shopClient(h, shop.apiKey);
    const otherApi = shopClient(h, other.apiKey);
    const klarna = (id: string) => cardOrder(id, 2_000, { payment: { method: 'klarna', transactionId: `t-${id}`, amount: 2_000 } });
    for (const id of ['F1', 'F2', 'F3']) await api.sendOrder(klarna(id));
    await otherApi.sendOrder(klarna('F1'));
    for (const id of ['F1', 'F2', 'F3']) await api.orderReaches(id, 'failed');
    await otherApi.orderReaches('F1', 'failed');
    expect((await api.call('PUT', '/v1/mapping', withKlarna)).statusCode).toBe(200);

    // Ticked ids restrict the filter: F3 only.
    const some = await api.call('POST', '/v1/orders/restart', { subject: 'order', orderIds: ['F3', 'nope'] });
    expect(some.json()).toMatchObject({ matched: 1, restarted: 1, more: 0, orderIds: ['F3'], refundIds: [] });
    await api.orderReaches('F3', 'booked');

    const all = (await api.call('POST', '/v1/orders/restart', { subject: 'order', errorCode: 'unmapped_payment_method' })).json();
    expect(all).toMatchObject({ matched: 2, restarted: 2, orderIds: ['F1', 'F2'] });
    const progress = await eventually(async () => {
      const p = (await api.call('POST', '/v1/orders/progress', { orderIds: all.orderIds, since: all.since })).json();
      return p.settled === 2 ? p : undefined;
    }, 60_000, 'both restarted orders settled');
    expect(progress).toEqual({ acted: 2, settled: 2, byStatus: { booked: 2 } });
    // The other shop's F1 is its own: still failed, and this shop's progress cannot see it.
    expect((await otherApi.order('F1'))?.status).toBe('failed');
    expect((await otherApi.call('POST', '/v1/orders/progress', { orderIds: ['F2'], since: all.since })).json()).toEqual({ acted: 0, settled: 0, byStatus: {} });
  });

  it('books the drafts the filter matches', async () => {
    const shop = await h.createShop({ mapping: danishMapping, ledger: { mode: 'draft' } });
    const api = shopClient(h, shop.apiKey);
    for (const id of ['D1', 'D2']) await api.sendOrder(cardOrder(id, 1_500, { orderNumber: `77${id}` }));
    for (const id of ['D1', 'D2']) await api.orderReaches(id, 'drafted');
    const res = await api.call('POST', '/v1/orders/book-drafts', { search: '77D2' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ matched: 1, signalled: 1, more: 0, orderIds: ['D2'] });
    await api.orderReaches('D2', 'booked');
    expect((await api.order('D1'))?.status).toBe('drafted');
  });
});
