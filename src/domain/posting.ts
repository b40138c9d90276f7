import type { Region } from './region';

/**
 * Posting plans: what a booking writes into a ledger, computed from an order (or refund, or payout)
 * and the shop's mapping, before any ledger is called. Pure data, balanced by construction.
 */

/** One line of a journal voucher. amount > 0 is a debit, amount < 0 a credit, in minor units. */
export interface JournalLine {
  account: string;
  amount: number;
  text: string;
  vatCode?: string;
}

/** A balanced set of journal lines in one currency: the lines sum to exactly 0. */
export interface Voucher {
  currency: string;
  date: string; // YYYY-MM-DD
  text: string;
  lines: JournalLine[];
}

export type DocumentKind = 'invoice' | 'payment' | 'credit_note' | 'refund_payment' | 'payout';

/**
 * A document as the ledger holds it. draft: an invoice waiting for review; booked: in the books; in_journal: entered
 * in the ledger's journal (daybook; e-conomic's kassekladde), where it waits until a person books the journal there.
 */
export const documentStateValues = ['draft', 'booked', 'in_journal'] as const;
export type DocumentState = (typeof documentStateValues)[number];

/** A document as the ledger holds it, found again by our reference. */
export interface PostedDocument {
  kind: DocumentKind;
  /** Our external reference (order id, refund id, payout id). */
  reference: string;
  /** The ledger system's own id of the document (draft number, invoice id, voucher id); `ledgerId` is ours. */
  documentId: string;
  /** The voucher / invoice number the ledger assigned; null while a draft has none. */
  voucherNumber: string | null;
  state: DocumentState;
}

/** A posting as our postings table records it: the ledger's document and what it books, in minor units. */
export interface PostingRecord extends PostedDocument {
  amount: number;
  currency: string;
}

/**
 * A posting as a write answers it. `created`: the ledger was written to in this call or an earlier one we had not
 * recorded, so it counts against the monthly quota.
 */
export interface PostedRecord extends PostingRecord {
  created: boolean;
}

/** An invoice line as a ledger shows it: net amount on a sales account with a VAT code. */
export interface InvoiceLine {
  description: string;
  quantity: number;
  account: string;
  vatCode: string;
  vatRate: number;
  /** Line total excl. VAT, minor units, rounded per line. */
  net: number;
  /** VAT of the line, minor units, rounded per line. */
  vat: number;
}

export interface InvoicePlan {
  kind: 'invoice' | 'credit_note';
  /** Where the goods went, seen from the ledger's country: ledgers that derive VAT from it (e-conomic's VAT zones). */
  region?: Region;
  /** Our external reference (the order id, or refund id), carried into the ledger for look-ups. */
  reference: string;
  /** For credit notes: the reference of the invoice it credits. */
  creditsReference?: string;
  orderNumber: string;
  currency: string;
  date: string;
  customer: { name: string; email?: string; externalId?: string; vatNumber?: string };
  lines: InvoiceLine[];
  /** Sum of net + vat of all lines, plus rounding: equals the shop's stated total. */
  total: number;
  /** Shop total minus the sum of the lines; booked on the rounding account. */
  rounding: number;
  /** Where rounding goes; also for ledgers that compute VAT themselves and may need a rounding line of their own. */
  roundingAccount: string;
  /** The same document as a balanced journal voucher (receivable vs. sales, VAT, rounding). */
  voucher: Voucher;
}

export interface PaymentPlan {
  kind: 'payment' | 'refund_payment';
  reference: string;
  /** The invoice (or credit note) this payment settles. */
  documentReference: string;
  currency: string;
  date: string;
  /** Positive for payments, positive for refunds too (the direction follows from kind). */
  amount: number;
  acquirer: string;
  receivableAccount: string;
  transactionId?: string;
  /** The order behind the payment, and its number, so payouts can find it by the order's reference. */
  orderId?: string;
  orderNumber?: string;
  voucher: Voucher;
}

/** A line whose VAT as the shop stated it differs from the rate applied to its amount (minor units). */
export interface VatDifference {
  line: number;
  description: string;
  statedVat: number;
  computedVat: number;
  /** stated − computed: what the invoice books beyond (or below) our computation. */
  difference: number;
}

export interface OrderPlan {
  invoice: InvoicePlan;
  /** The payment registration under the order's own reference (of a split payment: its first captured card part). */
  payment?: PaymentPlan;
  /** A split payment's other captured transactions, each a registration under its own reference (`<orderId>:<id>`). */
  otherPayments?: PaymentPlan[];
  /**
   * The order is paid, but its payment cannot be planned (a payment method the mapping does not name (or a gift card
   * redeemed without giftCardAccount), or a split over several gateways whose amounts are unknown): the invoice is
   * booked all the same and the booking stops with this error.
   */
  paymentError?: { code: 'unmapped_payment_method' | 'split_payment_unsupported'; details: Record<string, unknown> };
  /** Lines booked with the shop's stated VAT where our computation gives another amount. */
  vatDifferences?: VatDifference[];
}

export interface RefundPlan {
  creditNote: InvoicePlan;
  /**
   * Absent when no money went back through a payment we registered: the order was never paid through a gateway
   * (marked completed without a payment), so the credit note alone is booked.
   */
  refundPayment?: PaymentPlan;
}
