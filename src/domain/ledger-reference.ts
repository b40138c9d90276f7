import type { Order, Refund } from './order';
import type { Payout } from './payout';

/**
 * Several shops may book into one accounting company, and each numbers its orders its own way: two shops' order #1001
 * must not meet there, in our postings nor in the ledger's own look-up by reference (nor the vendor's idempotency
 * keys, derived from the reference). A shop that joined a ledger another shop had first carries a prefix, put before
 * its order and refund ids (and order numbers, so voucher texts tell the shops apart) as they go into the ledger.
 * The first shop has none: its references stay as they were booked. "/" is in no order or refund id
 * (domain/order.ts), so a prefixed reference is never another shop's bare one.
 */
export function ledgerReference(prefix: string | null | undefined, id: string): string {
  return prefix ? `${prefix}/${id}` : id;
}

/** The order as its ledger knows it: what plan-order.ts turns into references and texts. */
export function orderInLedger(order: Order, prefix: string | null | undefined): Order {
  if (!prefix) return order;
  return { ...order, orderId: ledgerReference(prefix, order.orderId), orderNumber: ledgerReference(prefix, order.orderNumber) };
}

/** The refund as its ledger knows it (its order's id too: the credit note names the invoice it credits). */
export function refundInLedger(refund: Refund, prefix: string | null | undefined): Refund {
  if (!prefix) return refund;
  return { ...refund, refundId: ledgerReference(prefix, refund.refundId), orderId: ledgerReference(prefix, refund.orderId) };
}

/**
 * The payout as its ledger knows it: the order a line names is the shop's own, so in a shared ledger it is matched
 * under the shop's prefix, never against another shop's order of the same number.
 */
export function payoutInLedger(payout: Payout, prefix: string | null | undefined): Payout {
  if (!prefix) return payout;
  return { ...payout, lines: payout.lines.map((l) => (l.orderReference ? { ...l, orderReference: ledgerReference(prefix, l.orderReference) } : l)) };
}

/** The prefix of the n-th shop to book into a ledger (the first has none). */
export const referencePrefixOf = (nth: number): string | null => (nth <= 1 ? null : `s${nth}`);
