import { describe, expect, it } from 'vitest';
import { BookingError } from '../../../src/domain/errors';
import { accountsOfAcquirer } from '../../../src/domain/mapping';
import type { Payout, PayoutLine } from '../../../src/domain/payout';
import { matchPayout, type OpenDocument } from '../../../src/domain/payout-matching';
import { planPayout, type PayoutAccounts } from '../../../src/domain/plan-payout';

// Two acquirers, each with its own fee and disputes account (Danish chart: 7220/7221 fees, 5830/5831 disputes).
const mapping = {
  accounts: { bank: '5820', fee: '3630', error: '5890', rounding: '3690' },
  acquirers: { nets: { fee: '7220', disputes: '5830' }, stripe: { fee: '7221', disputes: '5831' } },
} as PayoutAccounts;

const payment = (reference: string, amount: number, acquirer = 'nets'): OpenDocument => ({
  reference,
  kind: 'invoice',
  orderNumber: `#${reference}`,
  transactionId: `txn-${reference}`,
  amount,
  date: '2026-11-02',
  receivableAccount: acquirer === 'nets' ? '5815' : '5816',
  acquirer,
});
let n = 0;
const line = (type: PayoutLine['type'], amount: number, over: Partial<PayoutLine> = {}): PayoutLine => ({
  lineNo: ++n,
  type,
  amount,
  fee: 0,
  currency: 'DKK',
  date: '2026-11-20',
  ...over,
});
const payout = (lines: PayoutLine[], netAmount: number, acquirer = 'nets'): Payout => ({ acquirer, payoutId: 'P-9', currency: 'DKK', paidOutAt: '2026-11-21', netAmount, lines });
const pairs = (v: { lines: { account: string; amount: number }[] }) => v.lines.map((l) => [l.account, l.amount]);

describe('chargebacks and disputes', () => {
  it('debits the acquirer disputes account for a chargeback on a payment paid out long ago, its dispute fee on its fee account; sale and receivable untouched', () => {
    // A1 was paid out in an earlier payout: it is no open document, only a booked payment.
    const booked = [payment('A1', 40_000), payment('A2', 10_000)];
    const open = [payment('A2', 10_000)];
    const p = payout([line('payment', 10_000, { transactionId: 'txn-A2', fee: 150 }), line('chargeback', -40_000, { transactionId: 'dp_1', relatedTransactionIds: ['txn-A1'], fee: 1_500 })], 10_000 - 150 - 40_000 - 1_500);
    const matches = matchPayout(p, open, { payments: booked });
    expect(matches.map((m) => [m.rule, m.document?.reference ?? null, m.disputed?.reference ?? null])).toEqual([
      ['transaction_reference', 'A2', null],
      ['dispute', null, 'A1'],
    ]);
    const v = planPayout(p, matches, mapping, 'DKK');
    expect(pairs(v)).toEqual([['5815', -10_000], ['5830', 40_000], ['5820', -31_650], ['7220', 1_650]]);
    expect(v.lines[1]!.text).toBe('Chargeback line 2 (dp_1): order #A1 disputed');
    // Nothing on sales (1010), output VAT (7230), the customer receivable (5600) or the error account.
    expect(v.lines.map((l) => l.account)).not.toEqual(expect.arrayContaining(['1010', '7230', '5600', '5890']));
  });

  it('credits the disputes account back when the dispute is won, placed by the order it names', () => {
    const p = payout([line('chargeback_reversal', 40_000, { transactionId: 'dp_1', orderReference: '#A1' })], 40_000);
    const matches = matchPayout(p, [], { payments: [payment('A1', 40_000)] });
    expect(matches[0]).toMatchObject({ rule: 'dispute', document: null, disputed: { reference: 'A1' } });
    const v = planPayout(p, matches, mapping, 'DKK');
    expect(pairs(v)).toEqual([['5830', -40_000], ['5820', 40_000]]);
    expect(v.lines[0]!.text).toBe(`Dispute reversal line ${p.lines[0]!.lineNo} (dp_1): order #A1 dispute won`);
  });

  it('books each acquirer on its own fee and disputes accounts', () => {
    const p = payout([line('payment', 5_000, { transactionId: 'txn-S1', fee: 100 }), line('chargeback', -2_000, { orderReference: 'S0', fee: 1_500 })], 5_000 - 100 - 2_000 - 1_500, 'stripe');
    const booked = [payment('S0', 2_000, 'stripe'), payment('S1', 5_000, 'stripe'), payment('N0', 2_000, 'nets')];
    const v = planPayout(p, matchPayout(p, booked.slice(1, 2), { payments: booked }), mapping, 'DKK');
    expect(pairs(v)).toEqual([['5816', -5_000], ['5831', 2_000], ['5820', 1_400], ['7221', 1_600]]);
  });

  it('puts only a chargeback nobody can place on the error account, saying why', () => {
    // Another acquirer's payment with the same order number is no evidence either.
    const p = payout([line('chargeback', -2_000, { transactionId: 'cb-x', orderReference: 'N0' })], -2_000, 'stripe');
    const matches = matchPayout(p, [], { payments: [payment('N0', 2_000, 'nets')] });
    expect(matches[0]).toMatchObject({ rule: 'unmatched', document: null });
    const v = planPayout(p, matches, mapping, 'DKK');
    expect(pairs(v)).toEqual([['5890', 2_000], ['5820', -2_000]]);
    expect(v.lines[0]!.text).toMatch(/chargeback: no booked payment of this acquirer with transaction cb-x, or order reference N0, so nobody can say which sale it disputes/);
  });

  it('stops a payout whose placed chargeback has no disputes account, naming the acquirer', () => {
    const p = payout([line('chargeback', -2_000, { transactionId: 'txn-A1' })], -2_000);
    const matches = matchPayout(p, [], { payments: [payment('A1', 2_000)] });
    const shared = { accounts: mapping.accounts } as PayoutAccounts;
    let error: unknown;
    try {
      planPayout(p, matches, shared, 'DKK');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BookingError);
    expect(error).toMatchObject({ code: 'unmapped_disputes_account', details: { acquirer: 'nets', payoutId: 'P-9', orderNumber: '#A1' } });
  });

  it('keeps one shared fee account for acquirers without their own', () => {
    expect(accountsOfAcquirer(mapping, 'nets')).toEqual({ fee: '7220', disputes: '5830' });
    expect(accountsOfAcquirer(mapping, 'vipps')).toEqual({ fee: '3630' });
    expect(accountsOfAcquirer({ accounts: mapping.accounts, acquirers: { nets: { disputes: '5830' } } }, 'nets')).toEqual({ fee: '3630', disputes: '5830' });
  });
});
