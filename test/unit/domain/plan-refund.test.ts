import { describe, expect, it } from 'vitest';
import { BookingError } from '../../../src/domain/errors';
import { orderSchema, type OrderInput, type Refund } from '../../../src/domain/order';
import { planRefund } from '../../../src/domain/plan-refund';
import type { Voucher } from '../../../src/domain/posting';
import { cardOrder, danishMapping, refundOf } from '../../support/fixtures';

const pairs = (v: Voucher) => v.lines.map((l) => [l.account, l.amount]).sort();
const twoLines: OrderInput = cardOrder('o', 22_500, {
  lines: [
    { kind: 'goods', description: 'Mug', quantity: 4, unitPrice: 5_000, vatRate: 25 },
    { kind: 'shipping', description: 'Parcel', quantity: 1, unitPrice: 2_500, vatRate: 25 },
  ],
});
const order = orderSchema.parse(twoLines);
const refund = (r: Refund, already = 0) => planRefund(r, order, danishMapping, already);
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof BookingError) return e.code;
    throw e;
  }
  return null;
};

describe('planRefund', () => {
  it('credits a partial amount, spread over the invoice lines, never the full invoice', () => {
    const p = refund(refundOf('r1', 'o', 4_500));
    expect(p.creditNote.total).toBe(4_500);
    expect(pairs(p.creditNote.voucher)).toEqual([['1010', 3_200], ['1110', 400], ['5600', -4_500], ['7230', 900]]);
    expect(pairs(p.refundPayment.voucher)).toEqual([['5600', 4_500], ['5815', -4_500]]);
    expect(p.creditNote).toMatchObject({ kind: 'credit_note', creditsReference: 'o', reference: 'r1' });
    expect(p.refundPayment).toMatchObject({ acquirer: 'nets', receivableAccount: '5815', documentReference: 'r1' });
  });

  it('credits refunded lines with their own accounts and VAT', () => {
    const p = refund(refundOf('r2', 'o', 10_000, { lines: [{ lineIndex: 0, quantity: 2 }] }));
    expect(p.creditNote.lines).toEqual([expect.objectContaining({ account: '1010', quantity: 2, net: 8_000, vat: 2_000 })]);
    expect(pairs(p.creditNote.voucher)).toEqual([['1010', 8_000], ['5600', -10_000], ['7230', 2_000]]);
  });

  it('refuses a refund larger than what is left, in another currency, or of lines that do not add up', () => {
    expect(codeOf(() => refund(refundOf('r3', 'o', 22_501)))).toBe('refund_exceeds_order');
    expect(codeOf(() => refund(refundOf('r4', 'o', 5_000), 20_000))).toBe('refund_exceeds_order');
    expect(codeOf(() => refund(refundOf('r5', 'o', 1_000, { currency: 'EUR' })))).toBe('currency_mismatch');
    expect(codeOf(() => refund(refundOf('r6', 'o', 1_000, { lines: [{ lineIndex: 0, quantity: 2 }] })))).toBe('totals_mismatch');
    expect(codeOf(() => refund(refundOf('r7', 'o', 1_000, { lines: [{ lineIndex: 0, quantity: 5 }] })))).toBe('refund_exceeds_order');
    expect(codeOf(() => refund(refundOf('r8', 'o', 1_000, { lines: [{ lineIndex: 9, quantity: 1 }] })))).toBe('totals_mismatch');
  });

  it('refunds the rest after an earlier partial refund, exactly', () => {
    const p = refund(refundOf('r9', 'o', 17_500), 5_000);
    expect(p.creditNote.voucher.lines.reduce((a, l) => a + l.amount, 0)).toBe(0);
    expect(p.creditNote.total).toBe(17_500);
  });
});
