import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('the overview and operator routes', () => {
  it("counts what needs attention, lists the latest payouts, and follows each acquirer's receivable next to its unpaid payments day by day", async () => {
    const shop = await h.createShop({ name: 'Nordlys Keramik', mapping: danishMapping });
    const other = await h.createShop({ name: 'Fjord Tekstil', mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('A1', 10_000, { createdAt: `${day(-6)}T10:00:00Z` }));
    await api.sendOrder(cardOrder('A2', 20_000, { createdAt: `${day(-4)}T10:00:00Z` }));
    await api.sendOrder(cardOrder('A3', 5_000, { createdAt: `${day(-4)}T11:00:00Z`, payment: { method: 'klarna', transactionId: 'txn-A3', amount: 5_000 } }));
    await api.orderReaches('A1', 'booked');
    await api.orderReaches('A2', 'booked');
    await api.orderReaches('A3', 'failed');
    const conn = (await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'json' })).json().connectionId as string;
    const paid = await api.call('POST', `/v1/acquirers/${conn}/payouts`, {
      payouts: [{ payoutId: 'PO-1', currency: 'DKK', paidOutAt: day(-2), netAmount: 9_000, lines: [{ type: 'payment', amount: 10_000, fee: 1_000, currency: 'DKK', transactionId: 'txn-A1', date: day(-6) }] }],
    });
    expect(paid.statusCode, paid.body).toBe(202);
    await api.payoutReaches(conn, 'PO-1', 'booked');

    const overview = await api.call('GET', '/v1/overview');
    expect(overview.statusCode, overview.body).toBe(200);
    expect(overview.json()).toMatchObject({
      currency: 'DKK',
      attention: { orders: { failed: 1, quotaBlocked: 0, needsCorrection: 0, waitingTooLong: 0 }, refunds: { failed: 0 }, payouts: { failed: 0, quotaBlocked: 0 } },
      recentPayouts: [{ connectionId: conn, payoutId: 'PO-1', acquirer: 'nets', status: 'booked', paidOutAt: day(-2), netAmount: 9_000 }],
    });
    // Another shop's key sees only its own.
    const theirs = (await shopClient(h, other.apiKey).call('GET', '/v1/overview')).json();
    expect(theirs.attention.orders.failed).toBe(0);
    expect(theirs.recentPayouts).toEqual([]);

    const series = await api.call('GET', `/v1/overview/acquirers?from=${day(-7)}&to=${day(0)}`);
    expect(series.statusCode, series.body).toBe(200);
    const nets = series.json().acquirers.find((a: { acquirer: string }) => a.acquirer === 'nets');
    expect(nets.receivableAccount).toBe('5815');
    const at = (offset: number) => nets.points.find((p: { date: string }) => p.date === day(offset));
    expect(nets.points).toHaveLength(8);
    expect(at(-7)).toEqual({ date: day(-7), ledgerBalance: 0, unpaidPayments: 0 });
    expect(at(-6)).toEqual({ date: day(-6), ledgerBalance: 10_000, unpaidPayments: 10_000 });
    expect(at(-4)).toEqual({ date: day(-4), ledgerBalance: 30_000, unpaidPayments: 30_000 });
    // The payout settles A1 on its day: both drop by it.
    expect(at(-2)).toEqual({ date: day(-2), ledgerBalance: 20_000, unpaidPayments: 20_000 });
    expect(at(0)).toEqual({ date: day(0), ledgerBalance: 20_000, unpaidPayments: 20_000 });

    const bad = await api.call('GET', `/v1/overview/acquirers?from=${day(0)}&to=${day(-1)}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/to/);
    expect((await api.call('GET', '/v1/overview/acquirers?from=2025-01-01&to=2026-12-31')).statusCode).toBe(400);
  });

  it('shows the operator every shop with its stuck counts and Temporal UI lists, to the admin only', async () => {
    const shop = await h.createShop({ name: 'Stuck Shop', mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('S1', 5_000, { payment: { method: 'klarna', transactionId: 'txn-S1', amount: 5_000 } }));
    await api.orderReaches('S1', 'failed');

    expect((await api.call('GET', '/v1/admin/attention')).statusCode).toBe(401);
    const res = await h.app.inject({ method: 'GET', url: '/v1/admin/attention', headers: { authorization: `Bearer ${h.adminKey}` } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.temporalUiUrl).toBe('http://localhost:8233');
    const row = body.shops.find((s: { shopId: string }) => s.shopId === shop.shopId);
    expect(row).toMatchObject({ name: 'Stuck Shop', system: 'local', stuck: { failed: 1, quotaBlocked: 0, waitingTooLong: 0 } });
    const failedList = new URL(row.temporalUi.failed);
    expect(failedList.origin + failedList.pathname).toBe('http://localhost:8233/namespaces/default/workflows');
    expect(failedList.searchParams.get('query')).toBe(`BookingStatus="failed" AND ShopId="${shop.shopId}"`);
    // The README's saved view, with yesterday written out.
    expect(new URL(row.temporalUi.waitingTooLong).searchParams.get('query')).toBe(`BookingStatus="waiting" AND StartTime < "${body.waitingBefore}" AND ShopId="${shop.shopId}"`);
    // And the query finds the failed order in Temporal: the link lists exactly it.
    const listed = await eventually(async () => {
      const found: string[] = [];
      for await (const w of h.client.workflow.list({ query: failedList.searchParams.get('query')! })) found.push(w.workflowId);
      return found.length > 0 ? found : undefined;
    }, 30_000, 'the failed order in the Temporal list');
    expect(listed).toEqual([`order/${shop.shopId}/S1`]);
  });
});
