/**
 * Cancelled orders. The channels name a cancellation in the order's status: Shopify's cancelled_at becomes
 * "cancelled" (adapters/channels/shopify/order.ts), WooCommerce sends "cancelled", the generic webhook says it.
 */
const cancelledStatuses = new Set(['cancelled', 'canceled']);

export const isCancelled = (status: string): boolean => cancelledStatuses.has(status.trim().toLowerCase());

/** What the books need once a booked order is cancelled. */
export type CancellationAfterBooking =
  /** Its refunds (credit notes) credit the whole invoice: the books already say the sale did not happen. */
  | { kind: 'refunded'; refunded: number }
  /** Part of the invoice is still a sale in the books: a person must refund it in the shop or correct the ledger. */
  | { kind: 'needs_correction'; details: { bookedTotal: number; refunded: number; open: number; currency: string } };

export function cancellationAfterBooking(bookedTotal: number, refunded: number, currency: string): CancellationAfterBooking {
  if (refunded >= bookedTotal) return { kind: 'refunded', refunded };
  return { kind: 'needs_correction', details: { bookedTotal, refunded, open: bookedTotal - refunded, currency } };
}
