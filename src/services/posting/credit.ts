import { BookingError } from '../../domain/errors';
import type { InvoicePlan, PostingRecord } from '../../domain/posting';

/**
 * A credit note never takes an order past what its invoice booked, in the invoice's currency. `credited`: what the
 * order's credit notes in the ledger booked so far. (Where this is checked, and why there: PostingWriter.)
 */
export function assertCreditFits(plan: InvoicePlan, invoice: PostingRecord, credited: number) {
  if (invoice.currency !== plan.currency) {
    throw new BookingError('currency_mismatch', { refundCurrency: plan.currency, invoiceCurrency: invoice.currency, orderId: plan.creditsReference });
  }
  if (credited + plan.total > invoice.amount) {
    throw new BookingError('refund_exceeds_order', { refund: plan.total, refundable: invoice.amount - credited, orderTotal: invoice.amount, alreadyRefunded: credited });
  }
}
