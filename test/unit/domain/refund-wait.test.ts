import { describe, expect, it } from 'vitest';
import { errorCatalog } from '../../../src/domain/errors';
import { describeRefundWait, refundWait, type RefundOrderState } from '../../../src/domain/refund-wait';

const booked: RefundOrderState = {
  orderId: 'B1',
  orderStatus: 'booked',
  orderErrorCode: null,
  invoiceBooked: true,
  paymentExpected: true,
  paymentRegistered: true,
};

describe('what a refund waits for', () => {
  it('waits for an order that has not arrived, one not booked, and a payment not registered', () => {
    expect(refundWait({ ...booked, orderStatus: null, invoiceBooked: false, paymentRegistered: false })?.code).toBe('refund_order_missing');
    expect(refundWait({ ...booked, orderStatus: 'drafted', invoiceBooked: false })?.code).toBe('refund_order_not_booked');
    expect(refundWait({ ...booked, orderStatus: 'failed', orderErrorCode: 'unmapped_payment_method', paymentRegistered: false })).toEqual({
      code: 'refund_order_payment_pending',
      details: { orderId: 'B1', orderStatus: 'failed', orderErrorCode: 'unmapped_payment_method' },
    });
  });

  it('does not wait once the order is booked, nor for a payment an unpaid order never had', () => {
    expect(refundWait(booked)).toBeNull();
    expect(refundWait({ ...booked, paymentExpected: false, paymentRegistered: false })).toBeNull();
  });

  it("says it in the catalog's words, with the order's state and the fix", () => {
    const wait = refundWait({ ...booked, orderStatus: 'failed', orderErrorCode: 'ledger_rejected', invoiceBooked: false })!;
    const line = describeRefundWait(wait);
    expect(line).toContain(errorCatalog.refund_order_not_booked.message);
    expect(line).toContain('order B1 is failed (ledger_rejected)');
    expect(line).toContain('POST /v1/orders/:orderId/restart');
    expect(describeRefundWait(refundWait({ ...booked, orderStatus: null })!)).toContain('order B1 has not arrived');
  });
});
