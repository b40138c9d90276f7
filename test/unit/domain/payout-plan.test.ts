import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookingError } from '../../../src/domain/errors';
import type { Payout, PayoutLine } from '../../../src/domain/payout';
import { matchPayout, type OpenDocument } from '../../../src/domain/payout-matching';
import { convertMinor, payoutFees, planPayout, type PayoutAccounts } from '../../../src/domain/plan-payout';

// The accounts of ARCHITECTURE.md's example: receivable Nets 5815, fees 3630; and a bank, error, rounding and FX account.
const mapping = {
  accounts: { bank: '5820', fee: '3630', error: '5890', rounding: '3690', currencyDifference: '3680' },
  acquirers: { nets: { disputes: '5830' } },
} as PayoutAccounts;
const withoutFx = { accounts: { ...mapping.accounts, currencyDifference: undefined } } as PayoutAccounts;

const invoice = (reference: string, amount: number, over: Partial<OpenDocument> = {}): OpenDocument => ({
  reference,
  kind: amount >= 0 ? 'invoice' : 'credit_note',
  orderNumber: `#${reference}`,
  transactionId: `txn-${reference}`,
  amount,
  date: '2026-11-02',
  receivableAccount: '5815',
  acquirer: 'nets',
  ...over,
});
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
const payout = (lines: PayoutLine[], netAmount: number, over: Partial<Payout> = {}): Payout => ({
  acquirer: 'nets',
  payoutId: 'P-1',
  currency: 'DKK',
  paidOutAt: '2026-11-04',
  netAmount,
  lines,
  ...over,
});
const plan = (p: Payout, docs: OpenDocument[] = [], m = mapping, ledger = 'DKK') => planPayout(p, matchPayout(p, docs), m, ledger);
const pairs = (v: { lines: { account: string; amount: number }[] }) => v.lines.map((l) => [l.account, l.amount]);
const total = (v: { lines: { amount: number }[] }) => v.lines.reduce((a, l) => a + l.amount, 0);
const bookingError = (fn: () => unknown): BookingError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof BookingError) return e;
    throw e;
  }
  throw new Error('expected a BookingError');
};

describe('planPayout', () => {
  it('books the ARCHITECTURE.md payout exactly: three invoices credited on 5815, 450 to the bank, 50 in fees', () => {
    const docs = [invoice('A', 10_000), invoice('B', 20_000), invoice('C', 20_000)];
    const p = payout([line(10_000, { transactionId: 'txn-A', fee: 1_000 }), line(20_000, { transactionId: 'txn-B', fee: 2_000 }), line(20_000, { transactionId: 'txn-C', fee: 2_000 })], 45_000);
    const v = plan(p, docs);
    expect(pairs(v)).toEqual([['5815', -10_000], ['5815', -20_000], ['5815', -20_000], ['5820', 45_000], ['3630', 5_000]]);
    expect(v).toMatchObject({ currency: 'DKK', date: '2026-11-04', text: 'Payout P-1 from nets' });
    expect(v.lines[0]!.text).toBe('Order #A, matched by transaction reference');
  });

  it('books the same payout when the acquirer charges its fees on a fee line of its own', () => {
    const docs = [invoice('A', 10_000), invoice('B', 20_000), invoice('C', 20_000)];
    const p = payout([line(10_000, { transactionId: 'txn-A' }), line(20_000, { transactionId: 'txn-B' }), line(20_000, { transactionId: 'txn-C' }), line(-5_000, { type: 'fee' })], 45_000);
    expect(payoutFees(p)).toBe(5_000);
    expect(pairs(plan(p, docs))).toEqual([['5815', -10_000], ['5815', -20_000], ['5815', -20_000], ['5820', 45_000], ['3630', 5_000]]);
  });

  it('books an unknown transaction and an unmatched chargeback on the error account, and nets a partial refund', () => {
    const docs = [invoice('U1', 10_000), invoice('U2', 30_000), invoice('UR1', -5_000, { orderReference: 'U2', transactionId: undefined })];
    const lines = [
      line(10_000, { fee: 150, transactionId: 'txn-U1' }),
      line(30_000, { fee: 450, transactionId: 'txn-U2' }),
      line(-5_000, { orderReference: 'U2', date: '2026-11-05' }),
      line(7_700, { fee: 100, transactionId: 'txn-foreign-77', date: '2026-11-03' }),
      line(-2_000, { type: 'chargeback', transactionId: 'cb-991', orderReference: 'U9', date: '2026-11-06' }),
    ];
    const net = 10_000 + 30_000 - 5_000 + 7_700 - 2_000 - 700;
    const p = payout(lines, net);
    const matches = matchPayout(p, docs);
    expect(matches.map((m) => m.rule)).toEqual(['transaction_reference', 'transaction_reference', 'order_reference', 'unmatched', 'unmatched']);
    const v = planPayout(p, matches, mapping, 'DKK');
    expect(pairs(v)).toEqual([
      ['5815', -10_000],
      ['5815', -30_000],
      ['5815', 5_000],
      ['5890', -7_700],
      ['5890', 2_000],
      ['5820', net],
      ['3630', 700],
    ]);
    expect(v.lines[2]!.text).toBe('Refund UR1 (order #UR1), matched by order reference');
    expect(v.lines[3]!.text).toMatch(/^Payment line \d+ \(txn-foreign-77\): payment: no open invoice payment with transaction txn-foreign-77/);
    expect(v.lines[4]!.text).toMatch(/^Chargeback line \d+ \(cb-991\): chargeback: no booked payment of this acquirer with transaction cb-991, or order reference U9/);
  });

  it('settles a document at its own amount; a line paying one minor unit off goes to rounding, more to the error account', () => {
    const docs = [invoice('A', 10_000), invoice('B', 20_000)];
    const p = payout([line(10_001, { transactionId: 'txn-A' }), line(19_000, { transactionId: 'txn-B' })], 29_001);
    const v = plan(p, docs);
    expect(pairs(v)).toEqual([['5815', -10_000], ['3690', -1], ['5815', -20_000], ['5890', 1_000], ['5820', 29_001]]);
    expect(v.lines[3]!.text).toMatch(/^Order #B: Payment line \d+ \(txn-B\) is 19000, the payment was 20000$/);
  });

  it('rounds a difference of up to one minor unit per line, and refuses more, naming the amounts', () => {
    expect(pairs(plan(payout([line(10_000, { fee: 250 })], 9_749)))).toEqual([['5890', -10_000], ['5820', 9_749], ['3630', 250], ['3690', 1]]);
    expect(pairs(plan(payout([line(5_000), line(5_000)], 9_998))).at(-1)).toEqual(['3690', 2]);
    const e = bookingError(() => plan(payout([line(10_000, { fee: 250 })], 9_000)));
    expect(e.code).toBe('payout_unbalanced');
    expect(e.details).toEqual({ payoutId: 'P-1', gross: 10_000, fees: 250, net: 9_000, difference: 750, expectedNet: 9_750 });
    expect(bookingError(() => plan(payout([line(5_000), line(5_000)], 9_997))).details).toMatchObject({ difference: 3 });
  });

  it('refuses a line in another currency than its payout', () => {
    const e = bookingError(() => plan(payout([line(100, { currency: 'EUR' })], 100)));
    expect(e.code).toBe('currency_mismatch');
    expect(e.details).toMatchObject({ lineCurrency: 'EUR', payoutCurrency: 'DKK' });
  });

  it('treats a line the matches leave out as unmatched rather than losing it', () => {
    const p = payout([line(1_000), line(2_000)], 3_000);
    const v = planPayout(p, matchPayout(p, []).slice(0, 1), mapping, 'DKK');
    expect(pairs(v)).toEqual([['5890', -1_000], ['5890', -2_000], ['5820', 3_000]]);
    expect(v.lines[1]!.text).toMatch(/: not matched$/);
  });
});

describe('payouts in another currency', () => {
  const eur = (lines: PayoutLine[], net: number, rate?: Payout['exchangeRate']) =>
    payout(lines.map((l) => ({ ...l, currency: 'EUR' })), net, { currency: 'EUR', ...(rate ? { exchangeRate: rate } : {}) });

  it('converts line by line at the exact rate, half away from zero, and books what rounding leaves as a currency difference', () => {
    const docs = [invoice('A', 1_001), invoice('B', 1_001)];
    const p = eur([line(1_001, { transactionId: 'txn-A' }), line(1_001, { transactionId: 'txn-B' })], 2_002, { from: 'EUR', to: 'DKK', rate: '7.4581' });
    const v = plan(p, docs);
    // 10.01 EUR × 7.4581 = 74.655581 → 74.66 DKK per line; the bank gets 20.02 × 7.4581 = 149.311162 → 149.31.
    expect(pairs(v)).toEqual([['5815', -7_466], ['5815', -7_466], ['5820', 14_931], ['3680', 1]]);
    expect(v).toMatchObject({ currency: 'DKK', text: 'Payout P-1 from nets (EUR at EUR/DKK 7.4581)' });
    expect(v.lines[3]!.text).toBe('Payout P-1 from nets: currency difference at EUR/DKK 7.4581');
  });

  it('takes the rate quoted the other way round too', () => {
    const p = eur([line(10_000)], 10_000, { from: 'DKK', to: 'EUR', rate: '0.134' });
    // 100 EUR / 0.134 = 746.268656… DKK
    expect(pairs(plan(p))).toEqual([['5890', -74_627], ['5820', 74_627]]);
  });

  it('refuses without a rate, with a rate for other currencies, or without a currency difference account', () => {
    const p = eur([line(1_000)], 1_000);
    expect(bookingError(() => plan(p)).details).toMatchObject({ payoutCurrency: 'EUR', ledgerCurrency: 'DKK', reason: 'the acquirer gave no exchange rate for this payout' });
    expect(bookingError(() => plan({ ...p, exchangeRate: { from: 'EUR', to: 'SEK', rate: '11.2' } })).code).toBe('currency_mismatch');
    const withRate = { ...p, exchangeRate: { from: 'EUR', to: 'DKK', rate: '7.46' } };
    const e = bookingError(() => plan(withRate, [], withoutFx));
    expect(e.code).toBe('currency_mismatch');
    expect(e.details.reason).toMatch(/no currency difference account/);
    expect(bookingError(() => plan({ ...p, exchangeRate: { from: 'EUR', to: 'DKK', rate: '7,46' } })).details.reason).toBe('exchange rate "7,46" is not a positive decimal number');
    expect(bookingError(() => plan({ ...p, exchangeRate: { from: 'EUR', to: 'DKK', rate: '0' } })).code).toBe('currency_mismatch');
  });

  it('converts exactly between currencies with different minor units', () => {
    expect(convertMinor(1, '0.5', 'DKK', 'DKK')).toBe(1);
    expect(convertMinor(-1, '0.5', 'DKK', 'DKK')).toBe(-1);
    expect(convertMinor(3, '0.5', 'DKK', 'DKK')).toBe(2);
    expect(convertMinor(1_000, '160.5', 'EUR', 'JPY')).toBe(1_605);
    expect(convertMinor(1_605, '160.5', 'JPY', 'EUR', true)).toBe(1_000);
    expect(convertMinor(100, '0.30852', 'DKK', 'KWD')).toBe(309);
    // Beyond 2^53 in the intermediate product, still exact.
    expect(convertMinor(9_000_000_000_000, '7.45812345', 'EUR', 'DKK')).toBe(67_123_111_050_000);
  });
});

describe('every planned voucher', () => {
  it('balances to exactly zero in whole minor units, or the plan stops with a booking error', () => {
    const types = fc.constantFrom('payment', 'payment', 'refund', 'chargeback', 'chargeback_reversal', 'fee', 'adjustment') as fc.Arbitrary<PayoutLine['type']>;
    const lineArb = fc.record({
      type: types,
      amount: fc.integer({ min: -500_000, max: 500_000 }),
      fee: fc.integer({ min: 0, max: 5_000 }),
      transactionId: fc.constantFrom('t1', 't2', 't3', undefined),
      orderReference: fc.constantFrom('1', '2', undefined),
      day: fc.integer({ min: 1, max: 9 }),
    });
    const docArb = fc.record({ reference: fc.constantFrom('1', '2', '3'), amount: fc.integer({ min: -500_000, max: 500_000 }), transactionId: fc.constantFrom('t1', 't2', 't3', undefined), day: fc.integer({ min: 1, max: 9 }) });
    const fx = fc.option(fc.record({ currency: fc.constantFrom('EUR', 'JPY', 'KWD'), rate: fc.tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 0, max: 6 })).map(([u, s]) => (u / 10 ** s).toFixed(s)) }));
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 20 }), fc.array(docArb, { maxLength: 10 }), fc.integer({ min: -30, max: 30 }), fx, (raw, rawDocs, off, foreign) => {
        const currency = foreign?.currency ?? 'DKK';
        const lines = raw.map(({ day, ...l }, i) => ({ ...l, lineNo: i + 1, currency, date: `2026-11-0${day}` }) as PayoutLine);
        const docs = rawDocs.map(({ day, ...d }) => invoice(d.reference, d.amount, { ...d, date: `2026-11-0${day}` }));
        const exact = lines.reduce((a, l) => a + l.amount - l.fee, 0);
        const p = payout(lines, exact + off, foreign ? { currency, exchangeRate: { from: currency, to: 'DKK', rate: foreign.rate } } : {});
        let v;
        try {
          v = plan(p, docs);
        } catch (e) {
          expect(e).toBeInstanceOf(BookingError);
          expect((e as BookingError).code).toBe('payout_unbalanced');
          expect(Math.abs(off)).toBeGreaterThan(Math.max(1, lines.length));
          return;
        }
        expect(Math.abs(off)).toBeLessThanOrEqual(Math.max(1, lines.length));
        expect(total(v)).toBe(0);
        expect(v.currency).toBe('DKK');
        for (const l of v.lines) expect(Number.isSafeInteger(l.amount) && l.amount !== 0).toBe(true);
        if (!foreign) {
          expect(v.lines.filter((l) => l.account === '5820').reduce((a, l) => a + l.amount, 0)).toBe(p.netAmount);
          expect(v.lines.filter((l) => l.account === '3630').reduce((a, l) => a + l.amount, 0)).toBe(payoutFees(p));
          const settled = matchPayout(p, docs).reduce((a, m) => a + (m.document?.amount ?? 0), 0);
          expect(v.lines.filter((l) => l.account === '5815').reduce((a, l) => a + l.amount, 0) + settled).toBe(0);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
