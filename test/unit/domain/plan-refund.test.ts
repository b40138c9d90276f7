import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/domain/order';
import type { Mapping } from '../../../src/domain/mapping';
import { planOrder } from '../../../src/domain/plan-order';
import { planRefund } from '../../../src/domain/plan-refund';
import { balance, bookingError, line, mapping, order, pairs, refund } from './fixtures';

/** 4 mugs at 50.00 and a parcel at 25.00, incl. 25 % VAT: 225.00, paid with Dankort. */
const mugs = order('o1', 22_500, { lines: [line(5_000, { quantity: 4, description: 'Mug' }), line(2_500, { kind: 'shipping', description: 'Parcel' })] });
/** The plan of a refund of a paid order: it always has its refund payment. */
const plan = (r: ReturnType<typeof refund>, o: Order = mugs, already = 0, m: Mapping = mapping) => {
  const p = planRefund(r, o, m, already);
  if (!p.refundPayment) throw new Error(`order ${o.orderId} is not paid: no refund payment planned`);
  return { ...p, refundPayment: p.refundPayment };
};

describe('planRefund: amount refunds', () => {
  it('credits a partial amount spread over the invoice lines by their amounts, never the whole invoice', () => {
    const p = plan(refund('r1', 'o1', 4_500));
    expect(p.creditNote).toMatchObject({ kind: 'credit_note', reference: 'r1', creditsReference: 'o1', orderNumber: '#o1', total: 4_500, rounding: 0 });
    expect(p.creditNote.lines.map((l) => [l.account, l.vatCode, l.net, l.vat])).toEqual([['1010', 'S25', 3_200, 800], ['1110', 'S25', 400, 100]]);
    expect(pairs(p.creditNote.voucher)).toEqual([['5600', -4_500], ['1010', 3_200], ['1110', 400], ['7230', 900]]);
  });

  it('mirrors the invoice exactly when the whole order is refunded at once', () => {
    const invoice = planOrder(mugs, mapping).invoice;
    const p = plan(refund('r2', 'o1', 22_500));
    expect(p.creditNote.lines.map(({ net, vat, account, vatCode }) => ({ net, vat, account, vatCode }))).toEqual(
      invoice.lines.map(({ net, vat, account, vatCode }) => ({ net, vat, account, vatCode })),
    );
    expect(pairs(p.creditNote.voucher)).toEqual(pairs(invoice.voucher).map(([a, n]) => [a, -n]));
  });

  it('carries the invoice rounding back on a whole-order refund', () => {
    const thirds = order('o3', 10_000, { lines: [1, 2, 3].map((i) => line(3_333, { description: `Item ${i}` })) });
    const p = plan(refund('r3', 'o3', 10_000), thirds);
    expect(p.creditNote.rounding).toBe(1);
    expect(p.creditNote.voucher.lines.at(-1)).toEqual({ account: '3690', amount: 1, text: 'Rounding' });
    expect(balance(p.creditNote.voucher)).toBe(0);
  });

  it('refunds the rest after an earlier partial refund, exactly', () => {
    const first = plan(refund('r4', 'o1', 5_000));
    const rest = plan(refund('r5', 'o1', 17_500), mugs, 5_000);
    expect(rest.creditNote.total).toBe(17_500);
    expect(balance(rest.creditNote.voucher)).toBe(0);
    const credited = [first, rest].flatMap((p) => p.creditNote.lines).reduce((a, l) => a + l.net + l.vat, 0);
    expect(credited).toBe(22_500);
  });

  it('gives each VAT treatment its share: a gift card part goes back to the liability without VAT', () => {
    const mixed = order('o6', 15_000, { lines: [line(10_000), line(5_000, { kind: 'gift_card', description: 'Gift card', vatRate: 0 })] });
    const p = plan(refund('r6', 'o6', 3_000), mixed);
    expect(pairs(p.creditNote.voucher)).toEqual([['5600', -3_000], ['1010', 1_600], ['6900', 1_000], ['7230', 400]]);
  });

  it('groups lines of the same account and VAT code, a discount line taking its negative share', () => {
    const coupon = order('o7', 8_000, { lines: [line(10_000), line(-2_000, { description: 'Coupon SOMMER10' })] });
    const p = plan(refund('r7', 'o7', 4_000), coupon);
    expect(p.creditNote.lines).toEqual([
      { description: 'Refund: Coffee mug and 1 more', quantity: 1, account: '1010', vatCode: 'S25', vatRate: 25, net: 3_200, vat: 800 },
    ]);
  });

  it('splits the refunded amount, which includes VAT, also for orders priced excluding VAT', () => {
    const excl = order('o8', 12_500, { pricesIncludeVat: false, lines: [line(10_000)] });
    const p = plan(refund('r8', 'o8', 2_500), excl);
    expect(p.creditNote.lines[0]).toMatchObject({ net: 2_000, vat: 500 });
  });
});

describe('planRefund: line refunds', () => {
  it('credits the refunded lines with their own accounts and VAT', () => {
    const p = plan(refund('l1', 'o1', 10_000, { lines: [{ lineIndex: 0, quantity: 2 }] }));
    expect(p.creditNote.lines).toEqual([{ description: 'Refund: Mug', quantity: 2, account: '1010', vatCode: 'S25', vatRate: 25, net: 8_000, vat: 2_000 }]);
    expect(pairs(p.creditNote.voucher)).toEqual([['5600', -10_000], ['1010', 8_000], ['7230', 2_000]]);
  });

  it('credits shipping on the shipping account', () => {
    const p = plan(refund('l2', 'o1', 7_500, { lines: [{ lineIndex: 1, quantity: 1 }, { lineIndex: 0, quantity: 1 }] }));
    expect(pairs(p.creditNote.voucher)).toEqual([['5600', -7_500], ['1010', 4_000], ['1110', 2_000], ['7230', 1_500]]);
  });

  it('takes the discount in proportion to the refunded quantity', () => {
    const discounted = order('o9', 27_000, { lines: [line(10_000, { quantity: 3, discount: 3_000 })] });
    const p = plan(refund('l3', 'o9', 9_000, { lines: [{ lineIndex: 0, quantity: 1 }] }), discounted);
    expect(p.creditNote.lines[0]).toMatchObject({ quantity: 1, net: 7_200, vat: 1_800 });
  });

  it('merges entries for the same line', () => {
    const p = plan(refund('l4', 'o1', 10_000, { lines: [{ lineIndex: 0, quantity: 1 }, { lineIndex: 0, quantity: 1 }] }));
    expect(p.creditNote.lines).toHaveLength(1);
    expect(p.creditNote.lines[0]!.quantity).toBe(2);
    expect(bookingError(() => plan(refund('l5', 'o1', 22_500, { lines: [{ lineIndex: 0, quantity: 3 }, { lineIndex: 0, quantity: 2 }] }))).code).toBe('refund_exceeds_order');
  });

  it('puts a difference of one øre per line to rounding, and refuses more', () => {
    const p = plan(refund('l6', 'o1', 10_001, { lines: [{ lineIndex: 0, quantity: 2 }] }));
    expect(p.creditNote.rounding).toBe(1);
    expect(p.creditNote.voucher.lines.at(-1)).toEqual({ account: '3690', amount: 1, text: 'Rounding' });
    expect(bookingError(() => plan(refund('l7', 'o1', 10_002, { lines: [{ lineIndex: 0, quantity: 2 }] })))).toMatchObject({
      code: 'totals_mismatch',
      details: { refundAmount: 10_002, linesTotal: 10_000, difference: 2, tolerance: 1 },
    });
  });

  it('refuses more pieces than were ordered, and lines the order does not have', () => {
    expect(bookingError(() => plan(refund('l8', 'o1', 1_000, { lines: [{ lineIndex: 0, quantity: 5 }] })))).toEqual({
      code: 'refund_exceeds_order',
      details: { line: 0, refunded: 5, ordered: 4 },
    });
    expect(bookingError(() => plan(refund('l9', 'o1', 1_000, { lines: [{ lineIndex: 9, quantity: 1 }] }))).code).toBe('totals_mismatch');
  });

  it('treats an empty list of lines as an amount refund', () => {
    expect(plan(refund('l10', 'o1', 4_500, { lines: [] })).creditNote.lines).toHaveLength(2);
  });
});

describe('planRefund: the refund payment', () => {
  it('goes against the acquirer receivable the payment went to', () => {
    const p = plan(refund('p1', 'o1', 4_500, { transactionId: 'txn-refund-1' }));
    expect(pairs(p.refundPayment.voucher)).toEqual([['5600', 4_500], ['5815', -4_500]]);
    expect(p.refundPayment).toMatchObject({
      kind: 'refund_payment',
      reference: 'p1',
      documentReference: 'p1',
      acquirer: 'nets',
      receivableAccount: '5815',
      amount: 4_500,
      transactionId: 'txn-refund-1',
      orderId: 'o1',
      orderNumber: '#o1',
      date: '2026-11-05',
    });
    const mobile = order('o10', 1_000, { payment: { method: 'mobilepay', amount: 1_000 } });
    expect(pairs(plan(refund('p2', 'o10', 1_000), mobile).refundPayment.voucher)).toEqual([['5600', 1_000], ['5817', -1_000]]);
  });

  it('dates both documents by the refund, in its currency', () => {
    const p = plan(refund('p3', 'o1', 100, { createdAt: '2026-12-01T00:15:00+01:00' }));
    expect([p.creditNote.date, p.creditNote.voucher.date, p.refundPayment.date]).toEqual(['2026-12-01', '2026-12-01', '2026-12-01']);
    expect([p.creditNote.currency, p.refundPayment.voucher.currency]).toEqual(['DKK', 'DKK']);
  });

  it('of an order never paid through us is the credit note alone: no payment to reverse', () => {
    const p = planRefund(refund('p4', 'o11', 100), order('o11', 1_000, { payment: undefined }), mapping, 0);
    expect(p.creditNote.total).toBe(100);
    expect(p.refundPayment).toBeUndefined();
  });

  it('paid back outside the gateway leaves from the account the mapping names, not the acquirer receivable', () => {
    const outside = refund('p5', 'o1', 4_500, { outsideGateway: true });
    expect(bookingError(() => planRefund(outside, mugs, mapping, 0))).toEqual({
      code: 'unmapped_refund_outside_gateway',
      details: { refundId: 'p5', method: mugs.payment!.method },
    });
    const p = plan(outside, mugs, 0, { ...mapping, refundsOutsideGatewayAccount: '5820' });
    expect(pairs(p.refundPayment.voucher)).toEqual([['5600', 4_500], ['5820', -4_500]]);
    expect(p.refundPayment).toMatchObject({ acquirer: 'outside_gateway', receivableAccount: '5820' });
  });
});

describe('planRefund: refusals', () => {
  it('refuses a refund larger than what is left to refund', () => {
    expect(bookingError(() => plan(refund('x1', 'o1', 22_501)))).toEqual({
      code: 'refund_exceeds_order',
      details: { refund: 22_501, refundable: 22_500, orderTotal: 22_500, alreadyRefunded: 0 },
    });
    expect(bookingError(() => plan(refund('x2', 'o1', 5_000), mugs, 20_000)).code).toBe('refund_exceeds_order');
    expect(plan(refund('x3', 'o1', 2_500), mugs, 20_000).creditNote.total).toBe(2_500);
  });

  it('refuses a refund in another currency than the order', () => {
    expect(bookingError(() => plan(refund('x4', 'o1', 1_000, { currency: 'EUR' })))).toEqual({
      code: 'currency_mismatch',
      details: { refundCurrency: 'EUR', orderCurrency: 'DKK' },
    });
  });

  it('refuses a refund of another order', () => {
    expect(bookingError(() => plan(refund('x5', 'other', 1_000)))).toMatchObject({ code: 'payment_unknown_invoice', details: { refundOrderId: 'other', orderId: 'o1' } });
  });

  it('refuses an order payment method that is no longer mapped', () => {
    const { dankort: _, ...rest } = mapping.paymentMethods;
    expect(bookingError(() => planRefund(refund('x6', 'o1', 100), mugs, { ...mapping, paymentMethods: rest }, 0))).toEqual({
      code: 'unmapped_payment_method',
      details: { method: 'dankort' },
    });
  });

  it('refuses amounts that are not amounts', () => {
    expect(() => plan(refund('x7', 'o1', 100), mugs, 0.5)).toThrow(RangeError);
    expect(() => plan(refund('x8', 'o1', 100), mugs, -1)).toThrow(RangeError);
  });
});
