import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcquirerCredentialsError, AcquirerTransientError, UnsupportedPayoutError } from '../../../src/adapters/acquirers/port';
import { retryAfterMs } from '../../../src/adapters/acquirers/stripe/errors';
import { StripeAcquirer } from '../../../src/adapters/acquirers/stripe/stripe-acquirer';
import { matchPayout, type OpenDocument } from '../../../src/domain/payout-matching';
import { planPayout, type PayoutAccounts } from '../../../src/domain/plan-payout';
import { balanceTransaction, payout, startStripeServer, unix, type Json, type StripeServer } from '../../support/stripe-server';

const KEY = 'rk_test_51LedgerbridgeRestricted';
const charge = (id: string, paymentIntent: string, orderId?: string, method: Json = { type: 'card', card: { brand: 'visa' } }): Json => ({
  id,
  object: 'charge',
  amount: 0,
  payment_intent: paymentIntent,
  metadata: orderId ? { order_id: orderId } : {},
  payment_method_details: method,
});

// One payout with every kind of line; one with more transactions than a page; manual, failed and pending ones; and
// enough paid payouts that listing them takes two pages of 100.
const main = [
  balanceTransaction('txn_01', 'charge', 10_000, 290, '2026-11-02T09:00:00Z', charge('ch_1', 'pi_1', '1001')),
  balanceTransaction('txn_02', 'charge', 20_000, 580, '2026-11-02T10:00:00Z', charge('ch_2', 'pi_2')),
  balanceTransaction('txn_03', 'payment', 20_000, 580, '2026-11-02T11:00:00Z', charge('py_3', 'pi_3', '1003', { type: 'mobilepay' })),
  balanceTransaction('txn_04', 'refund', -2_500, 0, '2026-11-03T09:00:00Z', { id: 're_1', object: 'refund', charge: 'ch_1', payment_intent: 'pi_1', metadata: {} }),
  balanceTransaction('txn_05', 'payment_refund', -1_000, 0, '2026-11-03T10:00:00Z', { id: 'pyr_1', object: 'refund', charge: 'py_3', payment_intent: 'pi_3', metadata: { order_id: '1003' } }),
  balanceTransaction('txn_06', 'adjustment', -20_000, 1_500, '2026-11-03T11:00:00Z', { id: 'du_1', object: 'dispute', charge: 'ch_2', payment_intent: 'pi_2' }, { reporting_category: 'dispute', description: 'Chargeback withdrawal for ch_2' }),
  balanceTransaction('txn_07', 'adjustment', 5_000, 0, '2026-11-03T12:00:00Z', { id: 'du_0', object: 'dispute', charge: 'ch_0', payment_intent: 'pi_0' }, { reporting_category: 'dispute_reversal', description: 'Chargeback reversal for ch_0' }),
  balanceTransaction('txn_08', 'stripe_fee', -550, 0, '2026-11-04T00:00:00Z', null, { description: 'Radar (2026-11-03): Radar for Fraud Teams' }),
  balanceTransaction('txn_09', 'payout_failure', 3_000, 0, '2026-11-04T01:00:00Z', { id: 'po_old', object: 'payout' }, { reporting_category: 'payout_reversal' }),
];
const mainNet = main.reduce((a, t) => a + (t.net as number), 0);
main.push(balanceTransaction('txn_10', 'payout', -mainNet, 0, '2026-11-04T02:00:00Z', { id: 'po_main', object: 'payout' }, { reporting_category: 'payout' }));

const big = Array.from({ length: 150 }, (_, i) =>
  balanceTransaction(`txn_big_${String(i).padStart(3, '0')}`, 'charge', 1_000, 30, '2026-11-05T10:00:00Z', charge(`ch_big_${i}`, `pi_big_${i}`), { created: unix('2026-11-05T10:00:00Z') + i }),
);
const filler = Array.from({ length: 101 }, (_, i) => payout(`po_f${String(i).padStart(3, '0')}`, 100 + i, `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`));

let stripe: StripeServer;
beforeAll(async () => {
  stripe = await startStripeServer(KEY, {
    payouts: [
      ...filler,
      payout('po_main', mainNet, '2026-11-04'),
      payout('po_big', 150 * 970, '2026-11-06'),
      payout('po_manual', 5_000, '2026-11-06', { automatic: false }),
      payout('po_failed', 7_000, '2026-11-07', { status: 'failed', failure_code: 'account_closed' }),
      payout('po_pending', 8_000, '2026-11-09', { status: 'in_transit' }),
      payout('po_old', 2_000, '2026-09-01'),
    ],
    balanceTransactions: { po_main: main, po_big: big, po_failed: [] },
  });
});
afterAll(() => stripe?.close());

const adapter = (over: { key?: string; url?: string; retries?: number } = {}) =>
  new StripeAcquirer({ apiKey: over.key ?? KEY, baseUrl: over.url ?? stripe.url, maxNetworkRetries: over.retries ?? 0, acquirer: 'stripe-dk' });
const requestsTo = (path: string, from: number) => stripe.requests.slice(from).filter((r) => r.path === path);

describe('listing Stripe payouts', () => {
  it('lists the paid payouts that arrived since a date, oldest first, across pages of 100', async () => {
    const from = stripe.requests.length;
    const list = await adapter().listPayouts('2026-10-01');
    expect(list).toHaveLength(101 + 3);
    expect(list.slice(-3)).toEqual([
      { payoutId: 'po_main', paidOutAt: '2026-11-04', netAmount: mainNet, currency: 'DKK' },
      { payoutId: 'po_big', paidOutAt: '2026-11-06', netAmount: 145_500, currency: 'DKK' },
      { payoutId: 'po_manual', paidOutAt: '2026-11-06', netAmount: 5_000, currency: 'DKK' },
    ]);
    expect(list.map((p) => p.paidOutAt)).toEqual([...list.map((p) => p.paidOutAt)].sort());
    const pages = requestsTo('/v1/payouts', from);
    expect(pages).toHaveLength(2);
    expect(pages.map((p) => [p.query.get('limit'), p.query.get('arrival_date[gte]')])).toEqual([
      ['100', String(Date.UTC(2026, 9, 1) / 1000)],
      ['100', String(Date.UTC(2026, 9, 1) / 1000)],
    ]);
    expect(pages[0]!.query.get('starting_after')).toBeNull();
    expect(pages[1]!.query.get('starting_after')).toMatch(/^po_/);
    expect(pages[0]!.headers['stripe-version']).toBeTruthy();
  });

  it('filters on the arrival date', async () => {
    expect((await adapter().listPayouts('2026-11-05')).map((p) => p.payoutId)).toEqual(['po_big', 'po_manual']);
  });
});

describe('fetching a Stripe payout', () => {
  it('itemizes it from its balance transactions, with fees, expanded sources and the ids a shop may have stored', async () => {
    const from = stripe.requests.length;
    const p = await adapter().fetchPayout('po_main');
    expect(p).toMatchObject({ acquirer: 'stripe-dk', payoutId: 'po_main', currency: 'DKK', paidOutAt: '2026-11-04', netAmount: mainNet });
    expect(p.lines.map((l) => [l.type, l.amount, l.fee, l.transactionId, l.relatedTransactionIds ?? [], l.orderReference ?? null])).toEqual([
      ['adjustment', 3_000, 0, 'po_old', [], null],
      ['fee', -550, 0, 'txn_08', [], null],
      ['chargeback_reversal', 5_000, 0, 'du_0', ['pi_0', 'ch_0'], null],
      ['chargeback', -20_000, 1_500, 'du_1', ['pi_2', 'ch_2'], null],
      ['refund', -1_000, 0, 'pyr_1', ['pi_3', 'py_3'], '1003'],
      ['refund', -2_500, 0, 're_1', ['pi_1', 'ch_1'], null],
      ['payment', 20_000, 580, 'py_3', ['pi_3'], '1003'],
      ['payment', 20_000, 580, 'ch_2', ['pi_2'], null],
      ['payment', 10_000, 290, 'ch_1', ['pi_1'], '1001'],
    ]);
    expect(p.lines.map((l) => l.lineNo)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(p.lines.at(-1)).toMatchObject({ date: '2026-11-02', currency: 'DKK', paymentMethod: 'visa' });
    expect(p.lines[6]!.paymentMethod).toBe('mobilepay');
    expect(p.lines[0]!.description).toBe('payout_failure: payout_reversal');
    expect(p.lines.reduce((a, l) => a + l.amount - l.fee, 0)).toBe(p.netAmount);

    const [retrieve] = requestsTo('/v1/payouts/po_main', from);
    expect(retrieve).toBeDefined();
    const [txns] = requestsTo('/v1/balance_transactions', from);
    expect(txns!.query.get('payout')).toBe('po_main');
    expect(txns!.query.get('limit')).toBe('100');
    expect([...txns!.query].filter(([k]) => k.startsWith('expand')).map(([, v]) => v)).toEqual(['data.source']);
  });

  it('follows has_more through every page of a large payout', async () => {
    const from = stripe.requests.length;
    const p = await adapter().fetchPayout('po_big');
    expect(p.lines).toHaveLength(150);
    expect(new Set(p.lines.map((l) => l.transactionId)).size).toBe(150);
    const pages = requestsTo('/v1/balance_transactions', from);
    expect(pages.map((r) => r.query.get('starting_after'))).toEqual([null, 'txn_big_050']);
    expect(pages.every((r) => r.query.get('payout') === 'po_big' && r.query.get('expand[0]') === 'data.source')).toBe(true);
  });

  it('books a fetched payout: matched by charge or payment intent, whichever the shop stored', async () => {
    const p = await adapter().fetchPayout('po_main');
    const doc = (reference: string, amount: number, transactionId: string, kind: OpenDocument['kind'] = 'invoice'): OpenDocument => ({
      reference,
      kind,
      orderNumber: `#${reference}`,
      transactionId,
      amount,
      date: '2026-11-02',
      receivableAccount: '5816',
      acquirer: 'stripe-dk',
    });
    const docs = [doc('1001', 10_000, 'pi_1'), doc('1002', 20_000, 'ch_2'), doc('1003', 20_000, 'py_3'), doc('R-1001', -2_500, 're_1', 'credit_note')];
    const matches = matchPayout(p, docs);
    expect(matches.filter((m) => m.document).map((m) => [m.document!.reference, m.rule])).toEqual([
      ['R-1001', 'transaction_reference'],
      ['1003', 'transaction_reference'],
      ['1002', 'transaction_reference'],
      ['1001', 'transaction_reference'],
    ]);
    // The dispute on ch_2 is placed on order 1002's payment; the won dispute on ch_0 names no payment of ours.
    expect(matches.filter((m) => m.disputed).map((m) => [m.line.transactionId, m.disputed!.reference])).toEqual([['du_1', '1002']]);
    const mapping = { accounts: { bank: '5820', fee: '3630', error: '5890', rounding: '3690' }, acquirers: { 'stripe-dk': { disputes: '5831' } } } as PayoutAccounts;
    const voucher = planPayout(p, matches, mapping, 'DKK');
    expect(voucher.lines.filter((l) => l.account === '5831').map((l) => l.amount)).toEqual([20_000]);
    expect(voucher.lines.filter((l) => l.account === '5890').map((l) => l.amount)).toEqual([-3_000, -5_000, 1_000]);
    expect(voucher.lines.reduce((a, l) => a + l.amount, 0)).toBe(0);
    expect(voucher.lines.find((l) => l.account === '5820')!.amount).toBe(mainNet);
    expect(voucher.lines.find((l) => l.account === '3630')!.amount).toBe(290 + 580 + 580 + 1_500 + 550);
  });

  it('refuses a manual payout without asking for its transactions, and a failed one, saying why', async () => {
    const from = stripe.requests.length;
    const manual = await adapter().fetchPayout('po_manual').catch((e: unknown) => e);
    expect(manual).toBeInstanceOf(UnsupportedPayoutError);
    expect((manual as Error).message).toMatch(/po_manual is a manual payout: Stripe does not record which transactions a manual payout pays out/);
    expect(requestsTo('/v1/balance_transactions', from)).toHaveLength(0);
    await expect(adapter().fetchPayout('po_failed')).rejects.toThrow(/po_failed is failed: nothing reached the bank/);
  });
});

describe('Stripe errors', () => {
  it('turns a rejected or under-privileged key into a credentials error', async () => {
    const rejected = await adapter({ key: 'rk_test_wrong' }).listPayouts('2026-11-01').catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(AcquirerCredentialsError);
    expect((rejected as Error).message).toMatch(/Stripe rejected the API key \(Invalid API Key provided.*\)\. Create a restricted key with read access to Payouts and Balance/);
    stripe.failNext({ status: 403 });
    await expect(adapter().fetchPayout('po_main')).rejects.toBeInstanceOf(AcquirerCredentialsError);
  });

  it('turns rate limits and server errors into retryable errors, with the Retry-After Stripe sent', async () => {
    stripe.failNext({ status: 429, headers: { 'retry-after': '2' } });
    const limited = await adapter().listPayouts('2026-11-01').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(AcquirerTransientError);
    expect((limited as AcquirerTransientError).retryAfterMs).toBe(2_000);
    expect((limited as Error).message).toMatch(/^Stripe is unavailable for now \(HTTP 429\): Too many requests/);

    stripe.failNext({ status: 500 });
    const broken = await adapter().fetchPayout('po_main').catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(AcquirerTransientError);
    expect((broken as AcquirerTransientError).retryAfterMs).toBeUndefined();

    stripe.failNext({ status: 503 });
    await expect(adapter().fetchPayout('po_big')).rejects.toBeInstanceOf(AcquirerTransientError);
  });

  it('treats an unreachable Stripe as retryable', async () => {
    const gone = await startStripeServer(KEY, { payouts: [], balanceTransactions: {} });
    await gone.close();
    await expect(adapter({ url: gone.url }).listPayouts('2026-11-01')).rejects.toBeInstanceOf(AcquirerTransientError);
  });

  it('leaves the library its own retries when asked for them', async () => {
    stripe.failNext({ status: 500 });
    const p = await adapter({ retries: 1 }).fetchPayout('po_main');
    expect(p.payoutId).toBe('po_main');
  });

  it('passes other errors on as Stripe reported them', async () => {
    const missing = await adapter().fetchPayout('po_missing').catch((e: unknown) => e);
    expect(missing).not.toBeInstanceOf(AcquirerTransientError);
    expect((missing as Error).message).toBe("No such payout: 'po_missing'");
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-04T10:00:00Z');
    expect(retryAfterMs({ 'Retry-After': '3' }, now)).toBe(3_000);
    expect(retryAfterMs({ 'retry-after': '0.5' }, now)).toBe(500);
    expect(retryAfterMs({ 'retry-after': 'Wed, 04 Nov 2026 10:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 04 Nov 2026 09:00:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe("the Stripe fake against Stripe's own example objects (test/fixtures/vendors/stripe)", () => {
  const examples = JSON.parse(readFileSync(new URL('../../fixtures/vendors/stripe/fixtures3-excerpt.json', import.meta.url), 'utf8')) as Record<string, Json>;

  it('builds payouts and balance transactions with only the fields Stripe has, and every field the adapter reads', () => {
    const ours = { payout: payout('po_1', 100, '2026-11-04'), balance_transaction: balanceTransaction('txn_1', 'charge', 100, 3, '2026-11-02', { id: 'ch_1', object: 'charge' }) };
    const reads = {
      payout: ['id', 'object', 'amount', 'arrival_date', 'automatic', 'status', 'currency'],
      balance_transaction: ['id', 'object', 'amount', 'fee', 'net', 'type', 'reporting_category', 'source', 'created', 'currency', 'description'],
    };
    for (const kind of ['payout', 'balance_transaction'] as const) {
      const stripe = Object.keys(examples[kind]!);
      expect(Object.keys(ours[kind]).filter((k) => !stripe.includes(k)), kind).toEqual([]);
      expect(reads[kind].filter((k) => !stripe.includes(k)), kind).toEqual([]);
      expect(examples[kind]!.object).toBe(kind);
    }
  });
});
