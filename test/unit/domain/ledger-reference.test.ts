import { describe, expect, it } from 'vitest';
import { orderSchema, refundSchema } from '../../../src/domain/order';
import { planOrder } from '../../../src/domain/plan-order';
import { planRefund } from '../../../src/domain/plan-refund';
import { ledgerReference, orderInLedger, referencePrefixOf, refundInLedger } from '../../../src/domain/ledger-reference';
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
});
