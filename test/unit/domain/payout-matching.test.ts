import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Payout, PayoutLine } from '../../../src/domain/payout';
import { matchPayout, type OpenDocument } from '../../../src/domain/payout-matching';

const invoice = (reference: string, amount: number, over: Partial<OpenDocument> = {}): OpenDocument => ({
  reference,
  kind: 'invoice',
  orderNumber: `#${reference}`,
  amount,
  date: '2026-11-02',
  receivableAccount: '5815',
  acquirer: 'nets',
  ...over,
});
const creditNote = (reference: string, orderId: string, amount: number, over: Partial<OpenDocument> = {}): OpenDocument =>
  invoice(reference, -Math.abs(amount), { kind: 'credit_note', orderReference: orderId, orderNumber: `#${orderId}`, ...over });
let n = 0;
const line = (amount: number, over: Partial<PayoutLine> = {}): PayoutLine => ({
  lineNo: ++n,
  type: amount >= 0 ? 'payment' : 'refund',
  amount,
  fee: 0,
  currency: 'DKK',
  date: '2026-11-02',
  ...over,
});
const payout = (lines: PayoutLine[]): Payout => ({ acquirer: 'nets', payoutId: 'P', currency: 'DKK', paidOutAt: '2026-11-04', netAmount: 0, lines });
const outcome = (lines: PayoutLine[], docs: OpenDocument[], window?: number) =>
  matchPayout(payout(lines), docs, window === undefined ? {} : { dateWindowDays: window }).map((r) => [r.rule, r.document?.reference ?? null]);

describe('matchPayout', () => {
  it('matches by transaction reference, then by order reference, then by amount and date', () => {
    const docs = [invoice('A', 10_000, { transactionId: 'txn-A' }), invoice('B', 20_000), invoice('C', 20_000, { date: '2026-11-03' })];
    const lines = [line(10_000, { transactionId: 'txn-A' }), line(20_000, { orderReference: 'B' }), line(20_000, { date: '2026-11-04' }), line(20_000)];
    const result = matchPayout(payout(lines), docs);
    expect(result.map((r) => [r.rule, r.document?.reference ?? null])).toEqual([
      ['transaction_reference', 'A'],
      ['order_reference', 'B'],
      ['amount_and_date', 'C'],
      ['unmatched', null],
    ]);
    expect(result[0]!.line).toBe(lines[0]);
    expect(result[3]!.reason).toBe('payment: no open invoice payment with amount 20000 within 3 days of 2026-11-02');
  });

  it('never settles one document with two lines, however the lines point at it', () => {
    const docs = [invoice('A', 10_000, { transactionId: 'txn-A' })];
    expect(outcome([line(10_000, { transactionId: 'txn-A' }), line(10_000, { transactionId: 'txn-A' })], docs)).toEqual([
      ['transaction_reference', 'A'],
      ['unmatched', null],
    ]);
    expect(outcome([line(10_000, { orderReference: 'A' }), line(10_000, { transactionId: 'txn-A' }), line(10_000)], docs)).toEqual([
      ['unmatched', null],
      ['transaction_reference', 'A'],
      ['unmatched', null],
    ]);
    expect(outcome([line(10_000), line(10_000)], [invoice('X', 10_000)])).toEqual([
      ['amount_and_date', 'X'],
      ['unmatched', null],
    ]);
  });

  it('runs each rule over all lines first, so a weak match never takes the document a strong one needs', () => {
    const docs = [invoice('A', 5_000, { transactionId: 'txn-A' }), invoice('B', 5_000)];
    expect(outcome([line(5_000), line(5_000, { transactionId: 'txn-A' })], docs)).toEqual([
      ['amount_and_date', 'B'],
      ['transaction_reference', 'A'],
    ]);
  });

  it('matches on amount only within the date window, the closest date first', () => {
    const doc = invoice('A', 5_000);
    expect(outcome([line(5_000, { date: '2026-11-05' })], [doc])).toEqual([['amount_and_date', 'A']]);
    expect(outcome([line(5_000, { date: '2026-10-30' })], [doc])).toEqual([['amount_and_date', 'A']]);
    expect(outcome([line(5_000, { date: '2026-11-06' })], [doc])).toEqual([['unmatched', null]]);
    expect(outcome([line(5_000, { date: '2026-11-06' })], [doc], 4)).toEqual([['amount_and_date', 'A']]);
    expect(outcome([line(5_000, { date: '2026-11-03' })], [doc], 0)).toEqual([['unmatched', null]]);
    const far = invoice('FAR', 5_000, { date: '2026-10-31' });
    const near = invoice('NEAR', 5_000, { date: '2026-11-03' });
    expect(outcome([line(5_000, { date: '2026-11-03' })], [far, near])).toEqual([['amount_and_date', 'NEAR']]);
    expect(outcome([line(5_001)], [doc])).toEqual([['unmatched', null]]);
  });

  it('matches refunds to credit notes: by refund id, by the order, or by a related transaction id', () => {
    const docs = [invoice('O7', 10_000, { transactionId: 'pi_7' }), creditNote('R1', 'O7', 2_500, { transactionId: 're_1' }), creditNote('R2', 'O8', 1_000)];
    expect(outcome([line(-2_500, { transactionId: 'ch_7', relatedTransactionIds: ['re_1'] })], docs)).toEqual([['transaction_reference', 'R1']]);
    expect(outcome([line(-2_500, { orderReference: 'O7' })], docs)).toEqual([['order_reference', 'R1']]);
    expect(outcome([line(-1_000, { orderReference: 'R2' })], docs)).toEqual([['order_reference', 'R2']]);
    // The refund line carries the order's payment id: it must not settle the invoice.
    expect(outcome([line(-2_500, { transactionId: 'pi_7' })], docs)).toEqual([['amount_and_date', 'R1']]);
    expect(outcome([line(10_000, { transactionId: 'ch_x', relatedTransactionIds: ['pi_7'] })], docs)).toEqual([['transaction_reference', 'O7']]);
  });

  it('prefers the document of the same amount when a reference names several', () => {
    const docs = [creditNote('R1', 'O7', 1_000, { date: '2026-11-03' }), creditNote('R2', 'O7', 2_500, { date: '2026-11-05' })];
    expect(outcome([line(-2_500, { orderReference: 'O7', date: '2026-11-03' }), line(-1_000, { orderReference: 'O7' })], docs)).toEqual([
      ['order_reference', 'R2'],
      ['order_reference', 'R1'],
    ]);
  });

  it('reads order references without a leading # and regardless of case', () => {
    const docs = [invoice('ord-1001', 10_000, { orderNumber: '#1001' })];
    expect(outcome([line(9_000, { orderReference: '1001' })], docs)).toEqual([['order_reference', 'ord-1001']]);
    expect(outcome([line(9_000, { orderReference: 'ORD-1001' })], docs)).toEqual([['order_reference', 'ord-1001']]);
  });

  it('does not match fees, adjustments, other acquirers, or chargebacks on amount alone', () => {
    const docs = [invoice('A', 500), creditNote('R', 'A', 500), invoice('S', 700, { acquirer: 'stripe', transactionId: 't-S' })];
    const lines = [
      line(-500, { type: 'fee' }),
      line(500, { type: 'adjustment', description: 'DepositCorrection' }),
      line(-500, { type: 'chargeback' }),
      line(700, { transactionId: 't-S' }),
      line(-500, { type: 'chargeback', orderReference: 'A' }),
    ];
    const result = matchPayout(payout(lines), docs);
    expect(result.map((r) => [r.rule, r.document?.reference ?? null])).toEqual([
      ['fee', null],
      ['unmatched', null],
      ['unmatched', null],
      ['unmatched', null],
      ['dispute', null],
    ]);
    expect(result[4]!.disputed?.reference).toBe('A');
    expect(result[1]!.reason).toBe('adjustment (DepositCorrection): not a payment, so it settles no invoice');
    expect(result[2]!.reason).toBe('chargeback: no booked payment of this acquirer with any reference, so nobody can say which sale it disputes');
    expect(result[3]!.reason).toBe('payment: no open invoice payment with transaction t-S, or amount 700 within 3 days of 2026-11-02');
  });

  it('keeps its promises for any lines and documents', () => {
    const types = fc.constantFrom('payment', 'refund', 'chargeback', 'chargeback_reversal', 'fee', 'adjustment') as fc.Arbitrary<PayoutLine['type']>;
    const ref = fc.constantFrom('1', '2', '3', '4', undefined);
    const date = fc.integer({ min: 1, max: 9 }).map((d) => `2026-11-0${d}`);
    const amount = fc.constantFrom(-300, -200, 100, 200, 300);
    const lineArb = fc.record({ type: types, amount, transactionId: ref, orderReference: ref, date });
    const docArb = fc.record({ reference: fc.constantFrom('1', '2', '3', '4'), amount, transactionId: ref, date, acquirer: fc.constantFrom('nets', 'nets', 'stripe') });
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 12 }), fc.array(docArb, { maxLength: 12 }), fc.integer({ min: 0, max: 5 }), (rawLines, rawDocs, window) => {
        const lines = rawLines.map((l, i) => ({ lineNo: i + 1, fee: 0, currency: 'DKK', ...l }) as PayoutLine);
        const docs = rawDocs.map((d) => ({ ...d, kind: d.amount > 0 ? 'invoice' : 'credit_note', orderNumber: `#${d.reference}`, receivableAccount: '5815' }) as OpenDocument);
        const result = matchPayout(payout(lines), docs, { dateWindowDays: window });
        expect(result.map((r) => r.line)).toEqual(lines);
        const used = result.flatMap((r) => (r.document ? [r.document] : []));
        expect(new Set(used).size).toBe(used.length);
        for (const r of result) {
          if (r.line.type === 'fee') expect(r.rule).toBe('fee');
          if (r.disputed) expect([r.rule, r.disputed.kind, r.disputed.acquirer]).toEqual(['dispute', 'invoice', 'nets']);
          if (!r.document) continue;
          expect(r.document.acquirer).toBe('nets');
          expect(Math.sign(r.document.amount)).toBe(Math.sign(r.line.amount));
          expect(r.line.type === 'payment' ? 'invoice' : 'credit_note').toBe(r.document.kind);
          expect(['payment', 'refund']).toContain(r.line.type);
          if (r.rule === 'amount_and_date') expect(r.document.amount).toBe(r.line.amount);
        }
      }),
      { numRuns: 500 },
    );
  });
});
