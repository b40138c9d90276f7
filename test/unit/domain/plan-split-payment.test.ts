import { describe, expect, it } from 'vitest';
import type { OrderInput } from '../../../src/domain/order';
import { planOrder } from '../../../src/domain/plan-order';
import { planRefund } from '../../../src/domain/plan-refund';
import { bookingError, mapping, order, pairs, refund } from './fixtures';

type Tx = NonNullable<NonNullable<OrderInput['payment']>['transactions']>[number];
const tx = (id: string, method: string, amount: number, over: Partial<Tx> = {}): Tx => ({ id, method, amount, captured: true, ...over });
function paidWith(id: string, total: number, transactions: Tx[]) {
  const methods = [...new Set(transactions.map((t) => t.method))];
  return order(id, total, { payment: { method: methods[0]!, amount: total, ...(methods.length > 1 ? { splitMethods: methods } : {}), transactions } });
}

describe('planOrder: a payment split over several gateways', () => {
  it('registers a gift card + card order per captured transaction: the card on its receivable, the gift card against its liability', () => {
    const o = paidWith('1001', 10_000, [tx('11', 'gift_card', 3_000), tx('12', 'visa', 7_000, { transactionId: 'nets-777', capturedAt: '2026-11-03T09:00:00+01:00' })]);
    const p = planOrder(o, mapping);
    expect(p.paymentError).toBeUndefined();
    // The card part keeps the order's reference (what refunds and payouts look for); the gift card part has its own.
    expect(p.payment).toMatchObject({ reference: '1001', documentReference: '1001', amount: 7_000, acquirer: 'nets', receivableAccount: '5815', transactionId: 'nets-777', date: '2026-11-03' });
    expect(pairs(p.payment!.voucher)).toEqual([['5815', 7_000], ['5600', -7_000]]);
    expect(p.otherPayments).toHaveLength(1);
    const giftCard = p.otherPayments![0]!;
    expect(giftCard).toMatchObject({ reference: '1001:11', documentReference: '1001', amount: 3_000, acquirer: 'gift_card', receivableAccount: '6900', date: '2026-11-02' });
    // Redeeming a gift card debits the liability its sale credited.
    expect(pairs(giftCard.voucher)).toEqual([['6900', 3_000], ['5600', -3_000]]);
    expect(giftCard).not.toHaveProperty('transactionId');
  });

  it('registers two card gateways each on its own acquirer, under references of their own', () => {
    const p = planOrder(paidWith('1002', 10_000, [tx('21', 'mobilepay', 2_500), tx('22', 'dankort', 7_500)]), mapping);
    const all = [p.payment!, ...p.otherPayments!];
    expect(all.map((x) => [x.reference, x.acquirer, x.receivableAccount, x.amount])).toEqual([
      ['1002', 'vipps-mobilepay', '5817', 2_500],
      ['1002:22', 'nets', '5815', 7_500],
    ]);
    expect(new Set(all.map((x) => x.reference)).size).toBe(all.length);
    for (const x of all) expect(x.voucher.lines.reduce((a, l) => a + l.amount, 0)).toBe(0);
  });

  it('registers no payment for an authorization that was never captured', () => {
    const p = planOrder(paidWith('1003', 10_000, [tx('31', 'gift_card', 3_000), tx('32', 'visa', 7_000, { captured: false })]), mapping);
    expect(p.payment).toMatchObject({ reference: '1003', acquirer: 'gift_card', amount: 3_000 });
    expect(p.otherPayments).toBeUndefined();
    const none = planOrder(paidWith('1004', 10_000, [tx('41', 'visa', 10_000, { captured: false })]), mapping);
    expect(none.payment).toBeUndefined();
    expect(none.paymentError).toBeUndefined();
  });

  it('never registers more than the invoice', () => {
    expect(bookingError(() => planOrder(paidWith('1005', 10_000, [tx('51', 'gift_card', 3_000), tx('52', 'visa', 7_001)]), mapping))).toEqual({
      code: 'totals_mismatch',
      details: { orderTotal: 10_000, paymentAmount: 10_001, difference: -1, transactions: ['51', '52'] },
    });
  });

  it('keeps the payment back when a part is not mapped: a gift card without giftCardAccount, a card without its method', () => {
    const { giftCardAccount: _, ...noGiftCard } = mapping;
    const o = paidWith('1006', 10_000, [tx('61', 'gift_card', 3_000), tx('62', 'visa', 7_000)]);
    expect(planOrder(o, noGiftCard).paymentError).toEqual({ code: 'unmapped_payment_method', details: { method: 'gift_card', field: 'giftCardAccount' } });
    expect(planOrder(paidWith('1007', 10_000, [tx('71', 'gift_card', 3_000), tx('72', 'klarna', 7_000)]), mapping).paymentError).toEqual({
      code: 'unmapped_payment_method',
      details: { method: 'klarna' },
    });
  });

  it('stops as split_payment_unsupported when only the gateway names are known', () => {
    const o = order('1008', 10_000, { payment: { method: 'gift_card', amount: 10_000, splitMethods: ['gift_card', 'visa'] } });
    const p = planOrder(o, mapping);
    expect(p.payment).toBeUndefined();
    expect(p.paymentError).toEqual({ code: 'split_payment_unsupported', details: { methods: ['gift_card', 'visa'], amount: 10_000 } });
  });

  it("refunds a split order from its card part's receivable (the order's own payment)", () => {
    const o = paidWith('1009', 10_000, [tx('91', 'gift_card', 3_000), tx('92', 'visa', 7_000)]);
    const r = planRefund(refund('r-1009', '1009', 2_000), o, mapping, 0);
    expect(r.refundPayment).toMatchObject({ acquirer: 'nets', receivableAccount: '5815', amount: 2_000 });
    expect(pairs(r.refundPayment!.voucher)).toEqual([['5600', 2_000], ['5815', -2_000]]);
  });
});
