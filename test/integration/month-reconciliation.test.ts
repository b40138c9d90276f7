import { readFileSync } from 'node:fs';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, payouts, refunds, voucherLines, vouchers } from '../../db/schema';
import type { OrderInput } from '../../src/domain/order';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

/**
 * A month of generated traffic through the real API, workflows and local ledger: orders paid through two acquirers
 * (Nets by settlement file, Stripe by JSON payouts), partial refunds, and payouts every few days with fees. Afterwards
 * every acquirer receivable must equal the payments not yet paid out, and every voucher must balance.
 */
const SHOPS = 4;
const ORDERS_PER_SHOP = 500;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/** Deterministic pseudo-random numbers, so a failure can be reproduced. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
}

const mapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, card: { acquirer: 'stripe', receivableAccount: '5816' } } };
const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;
const danish = (minor: number) => {
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${minor < 0 ? '-' : ''}${whole},${String(abs % 100).padStart(2, '0')}`;
};

async function waitForCount(what: string, query: () => Promise<number>, expected: number, timeoutMs: number) {
  let last = -1;
  await eventually(async () => ((last = await query()) >= expected ? true : undefined), timeoutMs, what).catch(() => {
    throw new Error(`${what}: ${last} of ${expected}`);
  });
}

async function runShop(index: number) {
  const random = prng(1_000 + index);
  const shop = await h.createShop({ mapping });
  const api = shopClient(h, shop.apiKey);
  type Sale = { order: OrderInput; day: number; acquirer: 'nets' | 'stripe'; refund?: number };
  const sales: Sale[] = Array.from({ length: ORDERS_PER_SHOP }, (_, i) => {
    const total = 5_000 + Math.floor(random() * 195_000);
    const d = 1 + Math.floor((i / ORDERS_PER_SHOP) * 30);
    const acquirer = random() < 0.6 ? 'nets' : 'stripe';
    const id = `M${index}-${i}`;
    const order = cardOrder(id, total, {
      createdAt: `${day(d)}T12:00:00Z`,
      payment: { method: acquirer === 'nets' ? (random() < 0.5 ? 'dankort' : 'visa') : 'card', transactionId: `t-${id}`, amount: total },
    });
    return { order, day: d, acquirer, ...(random() < 0.05 ? { refund: Math.max(100, Math.floor(total * random() * 0.5)) } : {}) };
  });

  for (let i = 0; i < sales.length; i += 50) await Promise.all(sales.slice(i, i + 50).map((s) => api.sendOrder(s.order)));
  const booked = async () => (await h.db.select({ n: count() }).from(orders).where(and(eq(orders.shopId, shop.shopId), eq(orders.status, 'booked'))))[0]!.n;
  await waitForCount(`shop ${index} orders booked`, booked, ORDERS_PER_SHOP, 900_000);

  const refunded = sales.filter((s) => s.refund);
  await Promise.all(refunded.map((s) => api.sendRefund(refundOf(`R-${s.order.orderId}`, s.order.orderId, s.refund!, { createdAt: `${day(Math.min(30, s.day + 1))}T09:00:00Z`, transactionId: `t-R-${s.order.orderId}` }))));
  const refundsBooked = async () => (await h.db.select({ n: count() }).from(refunds).where(and(eq(refunds.shopId, shop.shopId), eq(refunds.status, 'booked'))))[0]!.n;
  await waitForCount(`shop ${index} refunds booked`, refundsBooked, refunded.length, 300_000);

  // Payouts every three days per acquirer; the last window (days 28–30) is not paid out yet.
  const nets = (await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'generic' })).json().connectionId;
  await api.call('PUT', `/v1/acquirers/${nets}/csv-mapping`, JSON.parse(readFileSync(new URL('../../examples/settlements/danish-export.mapping.json', import.meta.url), 'utf8')));
  const stripe = (await api.call('POST', '/v1/acquirers', { acquirer: 'stripe', source: 'json' })).json().connectionId;
  const csv = ['Payout ID;Payout date;Transaction date;Transaction type;Payment ID;Order reference;Payment method;Currency;Gross amount;Fee;Net amount'];
  const stripePayouts: unknown[] = [];
  let payoutCount = 0;
  for (let start = 1; start <= 25; start += 3) {
    const window = sales.filter((s) => s.day >= start && s.day < start + 3);
    for (const acquirer of ['nets', 'stripe'] as const) {
      const mine = window.filter((s) => s.acquirer === acquirer);
      if (mine.length === 0) continue;
      payoutCount++;
      const payoutId = `${acquirer}-${index}-${start}`;
      const paid = day(start + 3);
      const lines = mine.flatMap((s) => {
        const fee = Math.round(s.order.total * 0.015);
        const l = [{ type: 'payment', amount: s.order.total, fee, txn: `t-${s.order.orderId}`, ref: s.order.orderId, date: day(s.day) }];
        if (s.refund) l.push({ type: 'refund', amount: -s.refund, fee: 0, txn: `t-R-${s.order.orderId}`, ref: s.order.orderId, date: day(Math.min(30, s.day + 1)) });
        return l;
      });
      if (acquirer === 'nets') {
        for (const l of lines) {
          csv.push([payoutId, paid.split('-').reverse().join('.'), l.date.split('-').reverse().join('.'), l.type === 'payment' ? 'Sale' : 'Refund', l.txn, l.ref, 'Visa', 'DKK', danish(l.amount), danish(l.fee), danish(l.amount - l.fee)].join(';'));
        }
      } else {
        stripePayouts.push({
          payoutId,
          currency: 'DKK',
          paidOutAt: paid,
          netAmount: lines.reduce((a, l) => a + l.amount - l.fee, 0),
          lines: lines.map((l) => ({ type: l.type, amount: l.amount, fee: l.fee, currency: 'DKK', transactionId: l.txn, date: l.date })),
        });
      }
    }
  }
  const upload = await h.app.inject({ method: 'POST', url: `/v1/acquirers/${nets}/settlements`, headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'text/csv' }, payload: csv.join('\n') });
  expect(upload.statusCode, upload.body).toBe(202);
  expect((await api.call('POST', `/v1/acquirers/${stripe}/payouts`, { payouts: stripePayouts })).statusCode).toBe(202);
  const payoutsBooked = async () => (await h.db.select({ n: count() }).from(payouts).where(and(eq(payouts.shopId, shop.shopId), eq(payouts.status, 'booked'))))[0]!.n;
  await waitForCount(`shop ${index} payouts booked`, payoutsBooked, payoutCount, 300_000);

  const report = (await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30')).json();
  const unpaid = (acquirer: string) =>
    sales.filter((s) => s.acquirer === acquirer && s.day >= 28).reduce((a, s) => a + s.order.total - (s.refund ?? 0), 0);
  return { shop, report, payoutCount, unpaid, refunded: refunded.length };
}

describe('a month of traffic', () => {
  it(`reconciles ${SHOPS * ORDERS_PER_SHOP} orders with refunds and payouts through two acquirers`, async () => {
    const results = await Promise.all(Array.from({ length: SHOPS }, (_, i) => runShop(i)));
    for (const { report, payoutCount, unpaid, refunded } of results) {
      expect(payoutCount).toBeGreaterThanOrEqual(10);
      expect(report.ordersBooked.count).toBe(ORDERS_PER_SHOP);
      expect(report.refunds.count).toBe(refunded);
      expect(report.payouts.count).toBe(payoutCount);
      expect(report.errorAccount).toEqual([]);
      for (const acquirer of ['nets', 'stripe']) {
        const a = report.acquirers.find((x: { acquirer: string }) => x.acquirer === acquirer);
        expect(a, acquirer).toMatchObject({ balanced: true, unpaidPayments: unpaid(acquirer), ledgerBalance: unpaid(acquirer) });
      }
      expect(report.clean).toBe(true);
    }
    expect(results.reduce((a, r) => a + r.payoutCount, 0)).toBeGreaterThanOrEqual(20);

    // Every voucher balances, and voucher numbers are gapless per ledger.
    const unbalanced = await h.db
      .select({ id: voucherLines.voucherId })
      .from(voucherLines)
      .groupBy(voucherLines.voucherId)
      .having(sql`sum(${voucherLines.amount}) <> 0`);
    expect(unbalanced).toEqual([]);
    for (const { shop } of results) {
      const [n] = await h.db
        .select({ count: count(), max: sql<number>`max(${vouchers.number})` })
        .from(vouchers)
        .where(and(eq(vouchers.ledgerId, shop.ledgerId), eq(vouchers.state, 'booked')));
      expect(Number(n!.max)).toBe(n!.count);
    }
  }, 1_800_000);
});
