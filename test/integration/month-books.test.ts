import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vouchers } from '../../db/schema';
import type { Mapping } from '../../src/domain/mapping';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { createPerson } from '../support/people';

/**
 * A month an accountant signs off on: two acquirers with their own fee and disputes accounts, partial refunds,
 * orders cancelled before and after booking, a chargeback lost, one won, and a planted unknown payment. Every
 * account's closing balance must equal the figure computed here from what was sent, the report must be clean but for
 * the planted payment, vouchers gapless, and no order open that should have ended. A second shop of the merchant
 * books into the same company (one ledger), with order numbers the first shop uses too.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const mapping: Mapping = {
  ...danishMapping,
  paymentMethods: { ...danishMapping.paymentMethods, card: { acquirer: 'stripe', receivableAccount: '5816' } },
  acquirers: { nets: { fee: '3631', disputes: '5830' }, stripe: { fee: '3632', disputes: '5831' } },
};
const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;

describe('a month of books', () => {
  it('ends with every account at its independently computed balance, clean but for the planted unknown payment', async () => {
    const owner = await createPerson(h, { merchant: 'Month of Books ApS' });
    const shop = await h.createShop({ name: 'Mugs', mapping, merchantId: owner.merchantId });
    const api = shopClient(h, shop.apiKey);
    const plates = await h.createShop({ name: 'Plates', mapping, merchantId: owner.merchantId });
    const platesApi = shopClient(h, plates.apiKey);
    const joined = await platesApi.call('PUT', '/v1/ledger', { ledgerId: shop.ledgerId });
    expect(joined.statusCode, joined.body).toBe(200);
    // The second shop's orders M1–M4 carry the same numbers as the first shop's, paid by Dankort through Nets.
    const plateSales = Array.from({ length: 4 }, (_, i) => ({ id: `M${i + 1}`, total: 10_000 * (i + 1), day: 3 + i }));
    await Promise.all(
      plateSales.map((s) =>
        platesApi.sendOrder(cardOrder(s.id, s.total, { createdAt: `${day(s.day)}T11:00:00Z`, updatedAt: `${day(s.day)}T11:00:00Z`, payment: { method: 'dankort', transactionId: `tp-${s.id}`, amount: s.total } })),
      ),
    );
    // Totals are multiples of 1.25 kr., so 25 % VAT is exact: net = 0.8 × total.
    const sales = Array.from({ length: 16 }, (_, i) => ({ id: `M${i + 1}`, total: 12_500 * (1 + (i % 5)), acquirer: i % 2 ? ('stripe' as const) : ('nets' as const), day: 2 + i }));
    for (const s of sales) {
      await api.sendOrder(cardOrder(s.id, s.total, { createdAt: `${day(s.day)}T10:00:00Z`, updatedAt: `${day(s.day)}T10:00:00Z`, payment: { method: s.acquirer === 'nets' ? 'dankort' : 'card', transactionId: `t-${s.id}`, amount: s.total } }));
    }
    // Two orders cancelled before they were booked.
    for (const id of ['X1', 'X2']) {
      await api.sendOrder(cardOrder(id, 5_000, { status: 'pending', createdAt: `${day(5)}T10:00:00Z`, updatedAt: `${day(5)}T10:00:00Z` }));
      await api.orderReaches(id, 'waiting');
      await api.sendOrder(cardOrder(id, 5_000, { status: 'cancelled', createdAt: `${day(5)}T10:00:00Z`, updatedAt: `${day(6)}T10:00:00Z` }));
    }
    for (const s of sales) await api.orderReaches(s.id, 'booked');
    for (const s of plateSales) await platesApi.orderReaches(s.id, 'booked');
    for (const id of ['X1', 'X2']) await api.orderReaches(id, 'cancelled');

    // Partial refunds on M1, M2; M3 is cancelled after booking and refunded in full.
    const refunds = [{ id: 'R1', order: 'M1', amount: 2_500 }, { id: 'R2', order: 'M2', amount: 6_250 }, { id: 'R3', order: 'M3', amount: 37_500 }];
    await api.sendOrder(cardOrder('M3', 37_500, { status: 'cancelled', createdAt: `${day(4)}T10:00:00Z`, updatedAt: `${day(20)}T10:00:00Z`, payment: { method: 'dankort', transactionId: 't-M3', amount: 37_500 } }));
    await api.orderReaches('M3', 'needs_correction');
    for (const r of refunds) await api.sendRefund(refundOf(r.id, r.order, r.amount, { createdAt: `${day(21)}T09:00:00Z`, transactionId: `t-${r.id}` }));
    for (const r of refunds) await api.refundReaches(r.id, 'booked');
    await api.orderReaches('M3', 'cancelled');

    // One payout per acquirer for the month's sales and refunds, 1 % fees; Stripe's carries a chargeback on M2 (lost),
    // one on M4 won in a later payout, and a payment nobody knows.
    const connect = async (acquirer: string) => (await api.call('POST', '/v1/acquirers', { acquirer, source: 'json' })).json().connectionId as string;
    const line = (type: string, amount: number, fee: number, ref: string, date: string) => ({ type, amount, fee, currency: 'DKK', transactionId: ref, date });
    const fee = (amount: number) => Math.round(amount / 100);
    const acquirerLines = (acquirer: 'nets' | 'stripe') => [
      ...sales.filter((s) => s.acquirer === acquirer).map((s) => line('payment', s.total, fee(s.total), `t-${s.id}`, day(s.day))),
      ...refunds.filter((r) => sales.find((s) => s.id === r.order)!.acquirer === acquirer).map((r) => line('refund', -r.amount, 0, `t-${r.id}`, day(21))),
    ];
    const netLines = acquirerLines('nets');
    const stripeLines = [
      ...acquirerLines('stripe'),
      // One chargeback names the order (merchant reference), the other the payment's own transaction (PSP reference).
      { ...line('chargeback', -25_000, 1_500, 'dp-M2', day(25)), orderReference: '#M2' },
      line('chargeback', -50_000, 1_500, 't-M4', day(25)),
      line('payment', 9_900, 99, 't-unknown', day(25)),
    ];
    const reversal = [line('chargeback_reversal', 50_000, 0, 't-M4', day(29))];
    const net = (lines: { amount: number; fee: number }[]) => lines.reduce((a, l) => a + l.amount - l.fee, 0);
    const nets = await connect('nets');
    const stripe = await connect('stripe');
    const post = (conn: string, payoutId: string, paidOutAt: string, lines: { amount: number; fee: number }[]) =>
      api.call('POST', `/v1/acquirers/${conn}/payouts`, { payouts: [{ payoutId, currency: 'DKK', paidOutAt, netAmount: net(lines), lines }] });
    expect((await post(nets, 'N-11', day(26), netLines)).statusCode).toBe(202);
    expect((await post(stripe, 'S-11', day(27), stripeLines)).statusCode).toBe(202);
    expect((await post(stripe, 'S-12', day(30), reversal)).statusCode).toBe(202);
    for (const [conn, id] of [[nets, 'N-11'], [stripe, 'S-11'], [stripe, 'S-12']] as const) await api.payoutReaches(conn, id, 'booked');
    const plateLines = plateSales.map((s) => line('payment', s.total, fee(s.total), `tp-${s.id}`, day(s.day)));
    const platesNets = (await platesApi.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'json' })).json().connectionId as string;
    const platesPayout = await platesApi.call('POST', `/v1/acquirers/${platesNets}/payouts`, { payouts: [{ payoutId: 'NP-11', currency: 'DKK', paidOutAt: day(26), netAmount: net(plateLines), lines: plateLines }] });
    expect(platesPayout.statusCode, platesPayout.body).toBe(202);
    await platesApi.payoutReaches(platesNets, 'NP-11', 'booked');

    // The books, computed from what was sent.
    const sold = [...sales, ...plateSales].reduce((a, s) => a + s.total, 0);
    const refunded = refunds.reduce((a, r) => a + r.amount, 0);
    const fees = (lines: { fee: number }[]) => lines.reduce((a, l) => a + l.fee, 0);
    const expected: Record<string, number> = {
      '1010': -(sold - refunded) * 0.8,
      '7230': -(sold - refunded) * 0.2,
      '5600': 0,
      '5815': 0,
      '5816': 0,
      '5820': net(netLines) + net(stripeLines) + net(reversal) + net(plateLines),
      '3631': fees(netLines) + fees(plateLines),
      '3632': fees(stripeLines),
      '5830': 0,
      '5831': 25_000,
      '5890': -9_900,
    };
    const tb = (await api.call('GET', '/v1/ledger/accounts/balances?from=2026-11-01&to=2026-11-30')).json();
    const closing = Object.fromEntries(tb.accounts.map((a: { account: string; closing: number }) => [a.account, a.closing]));
    expect(Object.fromEntries(Object.keys(expected).map((k) => [k, closing[k] ?? 0]))).toEqual(expected);
    expect(Object.keys(closing).sort()).toEqual(Object.keys(expected).filter((k) => expected[k] !== 0 || closing[k] !== undefined).sort());
    expect(tb.totals.debits).toBe(tb.totals.credits);

    const report = (await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30')).json();
    expect(report).toMatchObject({ ordersBooked: { count: 20, amount: sold }, drafts: { count: 0 }, refunds: { count: 3, amount: refunded }, unfinished: [] });
    expect(report.errorAccount).toMatchObject([{ payoutId: 'S-11', amount: 9_900 }]);
    expect(report.disputes.map((d: { type: string; orderNumber: string }) => [d.type, d.orderNumber])).toEqual([['chargeback', '#M2'], ['chargeback', '#M4'], ['chargeback_reversal', '#M4']]);
    expect(report.acquirers.every((a: { balanced: boolean }) => a.balanced)).toBe(true);
    expect(report.clean).toBe(false);

    // Gapless voucher numbers; no order left open that should have ended.
    const numbers = (await h.db.select({ n: vouchers.number }).from(vouchers).where(and(eq(vouchers.ledgerId, shop.ledgerId), eq(vouchers.state, 'booked')))).map((r) => r.n!).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    for (const client of [api, platesApi]) {
      const open = (await client.call('GET', '/v1/orders?limit=100')).json().orders.filter((o: { status: string }) => !['booked', 'cancelled'].includes(o.status));
      expect(open).toEqual([]);
    }
  });
});
