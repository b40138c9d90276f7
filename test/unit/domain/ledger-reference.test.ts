import { describe, expect, it } from 'vitest';
import { orderSchema, refundSchema } from '../../../src/domain/order';
import { planOrder } from '../../../src/domain/plan-order';
import { planRefund } from '../../../src/domain/plan-refund';
import { ledgerReference, orderInLedger, payoutInLedger, referencePrefixOf, refundInLedger } from '../../../src/domain/ledger-reference';
import { matchPayout, type OpenDocument } from '../../../src/domain/payout-matching';
import type { Payout } from '../../../src/domain/payout';
import { referenceTag, referenceUuid } from '../../../src/adapters/ledgers/http';
import { cardOrder, danishMapping, refundOf } from '../../support/fixtures';

describe('references in a shared ledger', () => {
  const order = orderSchema.parse(cardOrder('1001', 12_500));

  it("leaves the ledger's first shop as it always was", () => {
    expect(referencePrefixOf(1)).toBeNull();
    expect(orderInLedger(order, null)).toBe(order);
    expect(planOrder(orderInLedger(order, null), danishMapping).invoice.reference).toBe('1001');
  });

  it("puts a later shop's prefix on every reference and text its order books, and on the vendor's keys", () => {
    const prefix = referencePrefixOf(2);
    expect(prefix).toBe('s2');
    const plan = planOrder(orderInLedger(order, prefix), danishMapping);
    expect(plan.invoice.reference).toBe('s2/1001');
    expect(plan.payment).toMatchObject({ reference: 's2/1001', documentReference: 's2/1001', orderId: 's2/1001', orderNumber: 's2/#1001' });
    expect(plan.invoice.voucher.text).toBe('Invoice for order s2/#1001');
    const first = planOrder(order, danishMapping);
    expect(referenceTag('invoice', plan.invoice.reference)).not.toBe(referenceTag('invoice', first.invoice.reference));
    expect(referenceUuid('invoice', plan.invoice.reference)).not.toBe(referenceUuid('invoice', first.invoice.reference));
  });

  it("credits the refund's own shop's invoice", () => {
    const refund = refundSchema.parse(refundOf('r1', '1001', 12_500));
    const plan = planRefund(refundInLedger(refund, 's2'), orderInLedger(order, 's2'), danishMapping, 0);
    expect(plan.creditNote).toMatchObject({ reference: 's2/r1', creditsReference: 's2/1001' });
  });

  it('never makes a prefixed reference that is some bare order id', () => {
    expect(orderSchema.safeParse(cardOrder(ledgerReference('s2', '1001'), 100)).success).toBe(false);
  });

  it("matches a payout line naming order 1001 to its own shop's payment, not another shop's", () => {
    const doc = (reference: string, orderNumber: string): OpenDocument => ({ reference, kind: 'invoice', orderNumber, amount: 5_000, date: '2026-11-02', receivableAccount: '5815', acquirer: 'nets' });
    const open = [doc('1001', '#1001'), doc('s2/1001', 's2/#1001')];
    const payout = (orderReference: string): Payout => ({
      acquirer: 'nets',
      payoutId: 'P1',
      currency: 'DKK',
      paidOutAt: '2026-11-04',
      netAmount: 5_000,
      lines: [{ lineNo: 1, type: 'payment', amount: 5_000, fee: 0, currency: 'DKK', date: '2026-11-09', orderReference }],
    });
    for (const named of ['1001', '#1001']) {
      expect(matchPayout(payoutInLedger(payout(named), null), open)[0]?.document?.reference).toBe('1001');
      expect(matchPayout(payoutInLedger(payout(named), 's2'), open)[0]?.document?.reference).toBe('s2/1001');
    }
  });
});
