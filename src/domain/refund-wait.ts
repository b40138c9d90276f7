/**
 * Why a refund cannot be booked yet: it credits its order's invoice and reverses its order's payment, so it waits for
 * them. The answer is a catalog code (src/domain/errors.ts) with the order's own state as details, so the API and the
 * timeline say what the refund waits for and what a person can do about it.
 */
import { describeError, type ErrorCode } from './errors';

export interface RefundOrderState {
  orderId: string;
  /** The order's booking status; null when the order has not reached us. */
  orderStatus: string | null;
  /** The order's error code when it failed (e.g. unmapped_payment_method on its payment). */
  orderErrorCode: string | null;
  invoiceBooked: boolean;
  /** The order was paid, so its refund reverses a payment registration. */
  paymentExpected: boolean;
  paymentRegistered: boolean;
}

export interface RefundWait {
  code: Extract<ErrorCode, 'refund_order_missing' | 'refund_order_not_booked' | 'refund_order_payment_pending'>;
  details: { orderId: string; orderStatus: string | null; orderErrorCode: string | null };
}

/** What the refund waits for, or null when its order is booked as far as the refund needs. */
export function refundWait(s: RefundOrderState): RefundWait | null {
  const details = { orderId: s.orderId, orderStatus: s.orderStatus, orderErrorCode: s.orderErrorCode };
  if (s.orderStatus === null) return { code: 'refund_order_missing', details };
  if (!s.invoiceBooked) return { code: 'refund_order_not_booked', details };
  if (s.paymentExpected && !s.paymentRegistered) return { code: 'refund_order_payment_pending', details };
  return null;
}

/** One line for the timeline: the catalog's words, the order's state, and the fix. */
export function describeRefundWait({ code, details }: RefundWait): string {
  const { message, fix } = describeError(code);
  const state = details.orderStatus === null
    ? `order ${details.orderId} has not arrived`
    : `order ${details.orderId} is ${details.orderStatus}${details.orderErrorCode ? ` (${details.orderErrorCode})` : ''}`;
  return `${message} Now: ${state}. ${fix}`;
}
