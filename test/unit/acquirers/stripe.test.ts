import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AcquirerCredentialsError, AcquirerTransientError, UnsupportedPayoutError } from '../../../src/adapters/acquirers/port';
import { StripeAcquirer } from '../../../src/adapters/acquirers/stripe/stripe-acquirer';
import { startFakeStripe, stripePayout, stripeTxn, type FakeStripe } from '../../support/fake-stripe';

const KEY = 'sk_test_51LedgerbridgeTestKey';
let stripe: FakeStripe;

beforeAll(async () => {
  stripe = await startFakeStripe(KEY, {
    payouts: [stripePayout('po_1', 42_000, '2026-11-04'), stripePayout('po_2', 12_000, '2026-11-05'), stripePayout('po_3', 5_000, '2026-11-06', false)],
    transactions: {
      po_1: [
        stripeTxn('txn_1', 'charge', 10_000, 290, '2026-11-02', { id: 'ch_1', object: 'charge', payment_intent: 'pi_1', metadata: { order_id: '1001' } }),
        stripeTxn('txn_2', 'charge', 20_000, 580, '2026-11-02', { id: 'ch_2', object: 'charge', payment_intent: 'pi_2', metadata: {} }),
        stripeTxn('txn_3', 'charge', 20_000, 580, '2026-11-03', { id: 'ch_3', object: 'charge', payment_intent: 'pi_3', metadata: { order_id: '1003' } }),
        stripeTxn('txn_4', 'refund', -2_500, 0, '2026-11-03', { id: 're_1', object: 'refund', charge: 'ch_1', metadata: { order_id: '1001' } }),
        stripeTxn('txn_5', 'adjustment', -2_000, 1_500, '2026-11-03', { id: 'du_1', object: 'dispute', charge: 'ch_2' }, 'dispute'),
        stripeTxn('txn_6', 'stripe_fee', -550, 0, '2026-11-04', null),
        stripeTxn('txn_7', 'payout', -42_000, 0, '2026-11-04', { id: 'po_1', object: 'payout' }),
      ],
      po_2: [stripeTxn('txn_8', 'charge', 12_350, 350, '2026-11-04', { id: 'ch_9', object: 'charge', payment_intent: 'pi_9', metadata: {} })],
    },
  });
});
afterAll(() => stripe?.close());

const adapter = (key = KEY) => new StripeAcquirer({ apiKey: key, baseUrl: stripe.url, maxNetworkRetries: 0 });

describe('the Stripe adapter (official stripe package against a Stripe-shaped server)', () => {
  it('lists paid payouts since a date, across pages', async () => {
    const list = await adapter().listPayouts('2026-11-01');
    expect(list.map((p) => [p.payoutId, p.netAmount, p.paidOutAt, p.currency])).toEqual([
      ['po_1', 42_000, '2026-11-04', 'DKK'],
      ['po_2', 12_000, '2026-11-05', 'DKK'],
      ['po_3', 5_000, '2026-11-06', 'DKK'],
    ]);
    const pages = stripe.requests.filter((r) => r.path === '/v1/payouts');
    expect(pages.length).toBe(2);
    expect(pages[1]!.query.get('starting_after')).toBe('po_2');
    expect(await adapter().listPayouts('2026-11-06')).toHaveLength(1);
  });

  it("fetches a payout's balance transactions with their fees, expanded sources and order references", async () => {
    const payout = await adapter().fetchPayout('po_1');
    expect(payout).toMatchObject({ payoutId: 'po_1', currency: 'DKK', netAmount: 42_000, paidOutAt: '2026-11-04' });
    expect(payout.lines.map((l) => [l.type, l.amount, l.fee, l.transactionId, l.orderReference ?? null])).toEqual([
      ['payment', 10_000, 290, 'pi_1', '1001'],
      ['payment', 20_000, 580, 'pi_2', null],
      ['payment', 20_000, 580, 'pi_3', '1003'],
      ['refund', -2_500, 0, 're_1', '1001'],
      ['chargeback', -2_000, 1_500, 'du_1', null],
      ['fee', -550, 0, 'txn_6', null],
    ]);
    const net = payout.lines.reduce((a, l) => a + l.amount - l.fee, 0);
    expect(net).toBe(payout.netAmount);
    const txns = stripe.requests.filter((r) => r.path === '/v1/balance_transactions');
    expect(txns[0]!.query.get('payout')).toBe('po_1');
    expect([...txns[0]!.query].filter(([k]) => k.startsWith('expand')).map(([, v]) => v)).toEqual(['data.source']);
    expect(txns.length).toBeGreaterThan(1);
  });

  it('refuses to itemize a manual payout, and says why', async () => {
    await expect(adapter().fetchPayout('po_3')).rejects.toThrow(UnsupportedPayoutError);
    await expect(adapter().fetchPayout('po_3')).rejects.toThrow(/manual payout/);
  });

  it('maps a rejected key to a credentials error, and rate limits and 5xx to retryable errors', async () => {
    await expect(adapter('sk_test_wrong').listPayouts('2026-11-01')).rejects.toThrow(AcquirerCredentialsError);
    stripe.failNext(429);
    const limited = await adapter().listPayouts('2026-11-01').catch((e) => e);
    expect(limited).toBeInstanceOf(AcquirerTransientError);
    expect(limited.retryAfterMs).toBe(2_000);
    stripe.failNext(500);
    await expect(adapter().fetchPayout('po_2')).rejects.toThrow(AcquirerTransientError);
    await expect(adapter().fetchPayout('po_missing')).rejects.toThrow(/No such payout/);
  });
});
