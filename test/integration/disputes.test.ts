import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mapping } from '../../src/domain/mapping';
import { workflowIds } from '../../workflows/definitions';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';
import { balanceTransaction, payout, startStripeServer, type StripeServer } from '../support/stripe-server';

/**
 * Chargebacks and won disputes from two acquirers, each with its own fee and disputes account: Stripe's disputes
 * fetched from its API, a Danish-style settlement file's chargeback rows. The sale, its VAT and the receivables stay
 * as booked; only the chargeback nobody can place lands on the error account.
 */
const KEY = 'rk_test_51LedgerbridgeDisputes';
let h: Harness;
let stripe: StripeServer;

const dispute = (id: string, charge: string, intent: string) => ({ id, object: 'dispute', charge, payment_intent: intent, reason: 'fraudulent', status: 'lost' });
const charge = (id: string, intent: string, orderId: string) => ({ id, object: 'charge', payment_intent: intent, metadata: { order_id: orderId } });

beforeAll(async () => {
  stripe = await startStripeServer(KEY, {
    payouts: [payout('po_A', 29_130, '2026-11-04'), payout('po_B', 30_000 - 870 - 10_000 - 1_500, '2026-11-20'), payout('po_C', 10_000, '2026-11-27')],
    balanceTransactions: {
      po_A: [
        balanceTransaction('txn_a', 'charge', 10_000, 290, '2026-11-02', charge('ch_a', 'pi_S1', 'S1')),
        balanceTransaction('txn_b', 'charge', 20_000, 580, '2026-11-02', charge('ch_b', 'pi_S2', 'S2')),
        balanceTransaction('txn_po_A', 'payout', -29_130, 0, '2026-11-04', { id: 'po_A', object: 'payout' }),
      ],
      // S1's cardholder disputes the charge: Stripe takes the amount back and charges its dispute fee.
      po_B: [
        balanceTransaction('txn_c', 'charge', 30_000, 870, '2026-11-18', charge('ch_c', 'pi_S3', 'S3')),
        balanceTransaction('txn_d', 'adjustment', -10_000, 1_500, '2026-11-19', dispute('du_1', 'ch_a', 'pi_S1'), { reporting_category: 'dispute' }),
        balanceTransaction('txn_po_B', 'payout', -(30_000 - 870 - 10_000 - 1_500), 0, '2026-11-20', { id: 'po_B', object: 'payout' }),
      ],
      // The shop won: the money comes back.
      po_C: [
        balanceTransaction('txn_e', 'adjustment', 10_000, 0, '2026-11-26', dispute('du_1', 'ch_a', 'pi_S1'), { reporting_category: 'dispute_reversal' }),
        balanceTransaction('txn_po_C', 'payout', -10_000, 0, '2026-11-27', { id: 'po_C', object: 'payout' }),
      ],
    },
  });
  h = await startHarness({ stripeBaseUrl: stripe.url });
});
afterAll(async () => {
  await h?.close();
  await stripe?.close();
});

const mapping: Mapping = {
  ...danishMapping,
  paymentMethods: { ...danishMapping.paymentMethods, card: { acquirer: 'stripe', receivableAccount: '5816' } },
  acquirers: { nets: { fee: '3631', disputes: '5830' }, stripe: { fee: '3632', disputes: '5831' } },
};

type Api = ReturnType<typeof shopClient>;
const balances = async (api: Api) => {
  const out = new Map<string, number>();
  for (const l of (await api.journal()).flatMap((v) => v.lines)) out.set(l.account, (out.get(l.account) ?? 0) + l.amount);
  return (account: string) => out.get(account) ?? 0;
};

describe('chargebacks and disputes', () => {
  it('books Stripe disputes and settlement-file chargebacks on each acquirer’s disputes account, their fees on its fee account, sale and receivables untouched', async () => {
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    for (const [id, total] of [['S1', 10_000], ['S2', 20_000], ['S3', 30_000]] as const) {
      await api.sendOrder(cardOrder(id, total, { payment: { method: 'card', transactionId: `pi_${id}`, amount: total } }));
    }
    await api.sendOrder(cardOrder('N1', 40_000, { payment: { method: 'dankort', transactionId: 'nets-N1', amount: 40_000 } }));
    for (const id of ['S1', 'S2', 'S3', 'N1']) await api.orderReaches(id, 'booked');
    const before = await balances(api);

    const stripeConn = (await api.call('POST', '/v1/acquirers', { acquirer: 'stripe', source: 'stripe', apiKey: KEY })).json().connectionId as string;
    expect((await api.call('POST', `/v1/acquirers/${stripeConn}/fetch`)).statusCode).toBe(202);
    const [poB, poC] = [await api.payoutReaches(stripeConn, 'po_B', 'booked'), await api.payoutReaches(stripeConn, 'po_C', 'booked')];
    await api.payoutReaches(stripeConn, 'po_A', 'booked');
    expect(poB.matches.map((m: { rule: string; disputes?: { reference: string } }) => [m.rule, m.disputes?.reference ?? null])).toEqual([
      ['dispute', 'S1'],
      ['transaction_reference', null],
    ]);
    expect(poC.matches).toMatchObject([{ type: 'chargeback_reversal', rule: 'dispute', disputes: { reference: 'S1', orderNumber: '#S1' } }]);

    // Nets pays N1 in one settlement file, takes it back as a chargeback with a fee in the next, and carries a
    // chargeback for a payment nobody knows.
    const nets = (await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'generic' })).json().connectionId as string;
    const csvMapping = JSON.parse(readFileSync(new URL('../../examples/settlements/danish-export.mapping.json', import.meta.url), 'utf8'));
    expect((await api.call('PUT', `/v1/acquirers/${nets}/csv-mapping`, csvMapping)).statusCode).toBe(200);
    const file = [
      'Payout ID;Payout date;Transaction date;Transaction type;Payment ID;Order reference;Payment method;Currency;Gross amount;Fee;Net amount',
      '9100;05.11.2026;03.11.2026;Sale;nets-N1;N1;Dankort;DKK;400,00;5,00;395,00',
      '9101;21.11.2026;19.11.2026;Chargeback;cb-77;N1;Dankort;DKK;-400,00;75,00;-475,00',
      '9101;21.11.2026;20.11.2026;Chargeback;cb-78;X-404;Visa;DKK;-120,00;0,00;-120,00',
      '9101;21.11.2026;20.11.2026;Adjustment;adj-1;;;DKK;1.000,00;0,00;1.000,00',
    ].join('\n');
    const upload = await h.app.inject({ method: 'POST', url: `/v1/acquirers/${nets}/settlements`, headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'text/csv' }, payload: file });
    expect(upload.statusCode, upload.body).toBe(202);
    await api.payoutReaches(nets, '9100', 'booked');
    const p9101 = await api.payoutReaches(nets, '9101', 'booked');
    expect(p9101.matches.map((m: { rule: string; disputes?: { reference: string } }) => [m.rule, m.disputes?.reference ?? null])).toEqual([
      ['dispute', 'N1'],
      ['unmatched', null],
      ['unmatched', null],
    ]);

    const after = await balances(api);
    // Disputes: Stripe's was won (10,000 out, 10,000 back); Nets' N1 is still taken (400,00 kr.).
    expect([after('5831'), after('5830')]).toEqual([0, 40_000]);
    // Each acquirer's fees, dispute fees included, on its own account; nothing on the shared one.
    expect([after('3632'), after('3631'), after('3630')]).toEqual([290 + 580 + 870 + 1_500, 500 + 7_500, 0]);
    // The sales, their VAT and the customer receivable are as the orders booked them; the acquirer receivables are empty.
    for (const account of ['1010', '7230', '5600']) expect(after(account)).toBe(before(account));
    expect([after('5815'), after('5816')]).toEqual([0, 0]);
    // Only the unknown chargeback (and the adjustment) are on the error account.
    expect(after('5890')).toBe(12_000 - 100_000);

    const report = (await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30')).json();
    expect(report.disputes).toEqual([
      { acquirer: 'stripe', payoutId: 'po_B', lineNo: expect.any(Number), type: 'chargeback', amount: -10_000, orderNumber: '#S1' },
      { acquirer: 'nets', payoutId: '9101', lineNo: 3, type: 'chargeback', amount: -40_000, orderNumber: '#N1' },
      { acquirer: 'stripe', payoutId: 'po_C', lineNo: expect.any(Number), type: 'chargeback_reversal', amount: 10_000, orderNumber: '#S1' },
    ]);
    expect(report.errorAccount.map((e: { payoutId: string; amount: number; reason: string }) => [e.payoutId, e.amount])).toEqual([
      ['9101', -12_000],
      ['9101', 100_000],
    ]);
    expect(report.errorAccount[0].reason).toMatch(/chargeback: no booked payment of this acquirer with transaction cb-78, or order reference X-404/);
    expect(report.acquirers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ acquirer: 'nets', receivableAccount: '5815', feeAccount: '3631', disputesAccount: '5830', fees: 8_000, balanced: true }),
        expect.objectContaining({ acquirer: 'stripe', receivableAccount: '5816', feeAccount: '3632', disputesAccount: '5831', fees: 3_240, balanced: true }),
      ]),
    );
    expect(report.clean).toBe(false);
    await h.client.schedule.getHandle(workflowIds.fetchPayouts(stripeConn)).delete();
  });

  it('names each acquirer\'s fee and disputes accounts among those the ledger lacks, and creates them with the owner\'s approval', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const own = { ...danishMapping, acquirers: { nets: { fee: '7221', disputes: '5839' } } };
    const saved = await api.call('PUT', '/v1/mapping', own);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().setup.missingAccounts).toEqual(['7221', '5839']);
    const created = await api.call('POST', '/v1/ledger/accounts', { approve: true });
    expect(created.json()).toEqual({ created: ['7221', '5839'] });
    expect((await api.call('POST', '/v1/ledger/setup-check')).json().setup.missingAccounts).toEqual([]);
  });
});
