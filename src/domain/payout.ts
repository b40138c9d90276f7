/** The canonical payout: what an acquirer paid to the bank, line by line, whatever the source (API or file). */

export type PayoutLineType = 'payment' | 'refund' | 'chargeback' | 'fee' | 'adjustment';

export interface PayoutLine {
  /** 1-based position in the source (file line number or API order), for people and error messages. */
  lineNo: number;
  type: PayoutLineType;
  /** Gross amount in minor units, signed: payments +, refunds and chargebacks −. */
  amount: number;
  /** Fee withheld for this line (≥ 0); fee-type lines carry their fee in `amount` as a negative number instead. */
  fee: number;
  currency: string;
  transactionId?: string;
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
  /** What reached the bank, in minor units. */
  netAmount: number;
  lines: PayoutLine[];
  /** When the payout is in another currency than the lines or the ledger: the acquirer's own rate, exact. */
  exchangeRate?: { from: string; to: string; rate: string };
}

export interface PayoutSummary {
  payoutId: string;
  paidOutAt: string;
  netAmount: number;
  currency: string;
}
