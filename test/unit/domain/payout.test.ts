import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookingError } from '../../../src/domain/errors';
import type { Payout, PayoutLine } from '../../../src/domain/payout';
import { matchPayout, type OpenDocument } from '../../../src/domain/payout-matching';
import { convert, planPayout } from '../../../src/domain/plan-payout';
import { danishMapping } from '../../support/fixtures';

const doc = (reference: string, amount: number, extra: Partial<OpenDocument> = {}): OpenDocument => ({
  reference,
  kind: amount >= 0 ? 'invoice' : 'credit_note',
  orderNumber: `#${reference}`,
  transactionId: `txn-${reference}`,
  amount,
  date: '2026-11-02',
  receivableAccount: '5815',
  acquirer: 'nets',
  ...extra,
});
let n = 0;
const line = (amount: number, extra: Partial<PayoutLine> = {}): PayoutLine => ({ lineNo: ++n, type: amount >= 0 ? 'payment' : 'refund', amount, fee: 0, currency: 'DKK', date: '2026-11-02', ...extra });
const payout = (lines: PayoutLine[], netAmount: number, extra: Partial<Payout> = {}): Payout => ({ acquirer: 'nets', payoutId: 'P', currency: 'DKK', paidOutAt: '2026-11-04', netAmount, lines, ...extra });

describe('matchPayout', () => {
  it('matches by transaction reference, then order reference, then amount and date, each document once', () => {
    const docs = [doc('A', 10_000), doc('B', 20_000, { transactionId: undefined }), doc('C', 20_000, { transactionId: undefined, date: '2026-11-03' })];
    const lines = [line(10_000, { transactionId: 'txn-A' }), line(20_000, { orderReference: '#B' }), line(20_000, { date: '2026-11-04' }), line(20_000)];
    const result = matchPayout(payout(lines, 0), docs);
    expect(result.map((r) => [r.rule, r.document?.reference ?? null])).toEqual([
      ['transaction_reference', 'A'],
      ['order_reference', 'B'],
      ['amount_and_date', 'C'],
      ['unmatched', null],
    ]);
    expect(result[3]!.reason).toMatch(/no open payment of 20000/);
  });

  it('keeps a strong match even when a weaker line comes first, and respects the date window', () => {
    const docs = [doc('A', 5_000)];
    const result = matchPayout(payout([line(5_000), line(5_000, { transactionId: 'txn-A' })], 0), docs);
    expect(result.map((r) => r.rule)).toEqual(['unmatched', 'transaction_reference']);
    const far = matchPayout(payout([line(5_000, { date: '2026-11-20' })], 0), [doc('A', 5_000, { transactionId: undefined })]);
    expect(far[0]!.rule).toBe('unmatched');
  });

  it('matches a refund line to its credit note by the order it belongs to', () => {
    const result = matchPayout(payout([line(-2_500, { orderReference: 'O7' })], 0), [doc('R1', -2_500, { orderReference: 'O7', transactionId: undefined })]);
    expect(result[0]).toMatchObject({ rule: 'order_reference', document: { reference: 'R1' } });
  });
});

describe('planPayout', () => {
  it('books the DESIGN.md payout exactly', () => {
    const docs = [doc('A', 10_000), doc('B', 20_000), doc('C', 20_000)];
    const p = payout([line(10_000, { transactionId: 'txn-A', fee: 1_000 }), line(20_000, { transactionId: 'txn-B', fee: 2_000 }), line(20_000, { transactionId: 'txn-C', fee: 2_000 })], 45_000);
    const v = planPayout(p, matchPayout(p, docs), danishMapping, 'DKK');
    expect(v.lines.map((l) => [l.account, l.amount])).toEqual([['5815', -10_000], ['5815', -20_000], ['5815', -20_000], ['5820', 45_000], ['3630', 5_000]]);
  });

  it('rounds a one-øre difference and refuses a larger one with the amounts', () => {
    const p = payout([line(10_000, { fee: 250 })], 9_749);
    expect(planPayout(p, matchPayout(p, []), danishMapping, 'DKK').lines.at(-1)).toMatchObject({ account: '3690', amount: 1 });
    const bad = payout([line(10_000, { fee: 250 })], 9_000);
    try {
      planPayout(bad, matchPayout(bad, []), danishMapping, 'DKK');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BookingError);
      expect((e as BookingError).details).toMatchObject({ gross: 10_000, fees: 250, net: 9_000, expectedNet: 9_750 });
    }
  });

  it('converts a foreign payout at its own rate and books the difference on the currency account', () => {
    expect(convert(1_000, '7.4581')).toBe(7_458);
    const p = payout([line(1_001, { currency: 'EUR' }), line(1_001, { currency: 'EUR' })], 2_002, { currency: 'EUR', exchangeRate: { from: 'EUR', to: 'DKK', rate: '7.4581' } });
    const v = planPayout(p, matchPayout(p, []), danishMapping, 'DKK');
    expect(v.currency).toBe('DKK');
    expect(v.lines.reduce((a, l) => a + l.amount, 0)).toBe(0);
    expect(v.lines.find((l) => l.account === '3680')?.amount).toBe(1);
    expect(() => planPayout({ ...p, exchangeRate: undefined }, matchPayout(p, []), danishMapping, 'DKK')).toThrow(/currency_mismatch/);
  });

  it('balances for any lines, fees and net that add up', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 0, max: 5_000 })), { minLength: 1, maxLength: 25 }), (raw) => {
        const lines = raw.map(([amount, fee]) => line(amount, { fee }));
        const net = lines.reduce((a, l) => a + l.amount - l.fee, 0);
        const p = payout(lines, net);
        const v = planPayout(p, matchPayout(p, []), danishMapping, 'DKK');
        expect(v.lines.reduce((a, l) => a + l.amount, 0)).toBe(0);
      }),
    );
  });
});
