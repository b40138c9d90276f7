/**
 * An order's payment → payment registrations: each moves what one payment took from the customer receivable to
 * where the money now is (the acquirer's receivable, or for a gift card redeemed the gift card liability it settles).
 *
 * A payment split over several gateways (a gift card and a card) is registered per captured transaction, each under
 * its own reference, so each is written exactly once. The part that keeps the order's own reference (what refunds and
 * payouts look for) is the first captured card part; the others are `<orderId>:<transaction id>`.
 */
import { BookingError } from './errors';
import type { Mapping } from './mapping';
import { assertMinorUnits, sum } from './money';
import type { Order, PaymentTransaction } from './order';
import type { PaymentPlan } from './posting';

/** Shopify's gateway name for a gift card redeemed at checkout. */
export const giftCardGateway = 'gift_card';

/** The account a payment through `method` settles the invoice against, and the acquirer whose payouts net it. */
export function paymentTarget(method: string, mapping: Mapping): { acquirer: string; receivableAccount: string } {
  // A redeemed gift card pays nothing in: it uses up the liability its sale credited. No payout ever nets it.
  if (method === giftCardGateway && mapping.giftCardAccount) return { acquirer: giftCardGateway, receivableAccount: mapping.giftCardAccount };
  const mapped = mapping.paymentMethods[method];
  if (!mapped) throw new BookingError('unmapped_payment_method', method === giftCardGateway ? { method, field: 'giftCardAccount' } : { method });
  return mapped;
}

interface PaymentPart {
  reference: string;
  method: string;
  amount: number;
  transactionId?: string;
  capturedAt?: string;
}

/** One payment registration: the target's account debited, the customer receivable credited. */
export function paymentRegistration(order: Order, part: PaymentPart, mapping: Mapping): PaymentPlan {
  assertMinorUnits(part.amount, 'payment amount');
  const { acquirer, receivableAccount } = paymentTarget(part.method, mapping);
  // The date the money moved, in the offset the shop gave: the capture when known, else the order.
  const date = (part.capturedAt ?? order.createdAt).slice(0, 10);
  const text = `Payment for order ${order.orderNumber} (${part.method})`;
  const voucher = {
    currency: order.currency,
    date,
    text,
    lines: [
      { account: receivableAccount, amount: part.amount, text },
      { account: mapping.customerReceivableAccount, amount: -part.amount || 0, text },
    ],
  };
  return {
    kind: 'payment',
    reference: part.reference,
    documentReference: order.orderId,
    currency: order.currency,
    date,
    amount: part.amount,
    acquirer,
    receivableAccount,
    ...(part.transactionId ? { transactionId: part.transactionId } : {}),
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    voucher,
  };
}

/** Of captured transactions, the one registered under the order's own reference: the first card part. */
const primaryOf = (captured: readonly PaymentTransaction[]) => captured.find((t) => t.method !== giftCardGateway) ?? captured[0];

/** The method the order's own payment registration went through (of a split payment: its first captured card part). */
export function primaryMethod(payment: NonNullable<Order['payment']>): string {
  return (payment.transactions && primaryOf(payment.transactions.filter((t) => t.captured))?.method) ?? payment.method;
}

/** The reference of a split payment's part that does not carry the order's own reference. */
export const splitPartReference = (orderId: string, transaction: Pick<PaymentTransaction, 'id'>): string => `${orderId}:${transaction.id}`;

/**
 * One registration per captured transaction, the one under the order's reference first (an authorization never captured is no payment). Their sum never
 * exceeds the invoice: more would credit the customer for money the shop never invoiced. Less is registered as it
 * is: the rest stays open on the customer until it is paid.
 */
export function planSplitPayments(order: Order, transactions: readonly PaymentTransaction[], mapping: Mapping): PaymentPlan[] {
  const captured = transactions.filter((t) => t.captured);
  const paid = sum(captured.map((t) => t.amount));
  if (paid > order.total) {
    throw new BookingError('totals_mismatch', { orderTotal: order.total, paymentAmount: paid, difference: order.total - paid, transactions: captured.map((t) => t.id) });
  }
  const primary = primaryOf(captured);
  const ordered = primary ? [primary, ...captured.filter((t) => t !== primary)] : [];
  return ordered.map((t) =>
    paymentRegistration(
      order,
      {
        reference: t === primary ? order.orderId : splitPartReference(order.orderId, t),
        method: t.method,
        amount: t.amount,
        ...(t.transactionId ? { transactionId: t.transactionId } : {}),
        ...(t.capturedAt ? { capturedAt: t.capturedAt } : {}),
      },
      mapping,
    ),
  );
}
