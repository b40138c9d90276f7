/**
 * The canonical payout: what an acquirer paid to the bank, line by line, whatever the source (API or file).
 * Plain TypeScript (no zod): adapters build it after their own validation, the domain only reads it.
 */

/**
 * chargeback: the acquirer took back a payment it had paid out (a dispute lost or still open); chargeback_reversal:
 * a dispute won, the money comes back. Neither touches the sale or its receivable: they move the disputes account.
 */
export type PayoutLineType = 'payment' | 'refund' | 'chargeback' | 'chargeback_reversal' | 'fee' | 'adjustment';

export interface PayoutLine {
  /** 1-based position in the source (file line number or API order), for people and error messages. */
  lineNo: number;
  type: PayoutLineType;
  /**
   * Gross amount in minor units, signed as it moves the acquirer balance: payments and dispute reversals +, refunds and chargebacks −.
   * A fee-type line carries the fee it charges here, as a negative amount (a fee rebate is positive).
   */
  amount: number;
  /** Fee withheld for this line (≥ 0), in minor units. */
  fee: number;
  currency: string;
  /** The acquirer's id of this transaction (charge, capture, PSP reference). */
  transactionId?: string;
  /**
   * Other ids the acquirer knows the same money by, which a shop may have stored instead: Stripe's payment intent
   * and charge behind a charge, refund or dispute. Matching by transaction reference tries these too.
   */
  relatedTransactionIds?: string[];
  /** The shop's order id or number as the acquirer reports it (merchant reference, metadata.order_id). */
  orderReference?: string;
  paymentMethod?: string;
  /** YYYY-MM-DD */
  date: string;
  description?: string;
}

export interface Payout {
  acquirer: string;
  payoutId: string;
  currency: string;
  /** YYYY-MM-DD */
  paidOutAt: string;
  /** What reached the bank, in minor units (negative when the acquirer collected from the bank). */
  netAmount: number;
  lines: PayoutLine[];
  /** When the payout is in another currency than the ledger: the acquirer's own rate, as an exact decimal string. */
  exchangeRate?: { from: string; to: string; rate: string };
  /**
   * Entries of a type the acquirer documents as open-ended (Vipps MobilePay adds entry types without notice) that we
   * do not know. They are kept as adjustment lines so the amounts add up, and the payout fails naming them: a type we
   * cannot place is never booked on a guess, nor dropped.
   */
  unknownEntries?: { lineNo: number; entryType: string }[];
}

/** A payout as a list shows it, before its lines are fetched. */
export interface PayoutSummary {
  payoutId: string;
  paidOutAt: string;
  netAmount: number;
  currency: string;
}
