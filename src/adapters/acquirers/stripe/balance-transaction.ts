import type Stripe from 'stripe';
import type { PayoutLine, PayoutLineType } from '../../../domain/payout';

/** The fields of an expanded balance transaction source we read; the source may be a charge, refund, dispute … */
interface Source {
  id?: string;
  object?: string;
  metadata?: Record<string, string> | null;
  payment_intent?: string | { id: string; metadata?: Record<string, string> | null } | null;
  charge?: string | { id: string; metadata?: Record<string, string> | null; payment_intent?: string | { id: string } | null } | null;
  payment_method_details?: { type?: string; card?: { brand?: string | null } | null } | null;
}

const idOf = (x: string | { id: string } | null | undefined) => (typeof x === 'string' ? x : x?.id);

export const stripeDate = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);

/**
 * Stripe's balance transaction types → ours. The payout's own transaction is not a line (it is the payout); a dispute
 * is an `adjustment` with reporting category `dispute`, a won one `dispute_reversal`; Stripe's own fees are fee lines.
 * Everything else (failed refunds, top-ups, reserve movements, an earlier payout that failed) is an adjustment: kept, shown,
 * and judged by a person, since it pays no invoice.
 */
export function lineType(t: Stripe.BalanceTransaction, payoutId: string): PayoutLineType | 'the payout itself' {
  switch (t.type) {
    case 'charge':
    case 'payment':
      return 'payment';
    case 'refund':
    case 'payment_refund':
      return 'refund';
    case 'stripe_fee':
    case 'stripe_fx_fee':
    case 'tax_fee':
      return 'fee';
    case 'payout': {
      const source = idOf(t.source as string | { id: string } | null);
      return source === undefined || source === payoutId ? 'the payout itself' : 'adjustment';
    }
    case 'adjustment':
      // Stripe's reporting categories: dispute (funds withdrawn), dispute_reversal (funds returned: a dispute won).
      if (t.reporting_category === 'dispute') return 'chargeback';
      return t.reporting_category === 'dispute_reversal' ? 'chargeback_reversal' : 'adjustment';
    default:
      return 'adjustment';
  }
}

/**
 * One balance transaction as a payout line: gross amount and fee as Stripe reports them (net = amount − fee), the
 * source's id as the transaction id with the payment intent and charge behind it as related ids (shops store either),
 * and the order reference from metadata.order_id of the source or of its charge, when the shop sets it.
 */
export function toPayoutLine(t: Stripe.BalanceTransaction, payoutId: string, lineNo: number): PayoutLine | undefined {
  const type = lineType(t, payoutId);
  if (type === 'the payout itself') return undefined;
  const source = (t.source && typeof t.source === 'object' ? t.source : undefined) as Source | undefined;
  const charge = source?.charge && typeof source.charge === 'object' ? source.charge : undefined;
  const intent = source?.payment_intent && typeof source.payment_intent === 'object' ? source.payment_intent : undefined;
  const transactionId = source?.id ?? (typeof t.source === 'string' ? t.source : t.id);
  const related = [idOf(source?.payment_intent), idOf(source?.charge), idOf(charge?.payment_intent)].filter(
    (id, i, all): id is string => !!id && id !== transactionId && all.indexOf(id) === i,
  );
  const orderReference = source?.metadata?.order_id ?? charge?.metadata?.order_id ?? intent?.metadata?.order_id;
  const paymentMethod = source?.payment_method_details?.card?.brand ?? source?.payment_method_details?.type;
  const description = type === 'adjustment' ? [t.type, t.reporting_category !== t.type ? t.reporting_category : undefined, t.description].filter(Boolean).join(': ') : t.description;

  const line: PayoutLine = {
    lineNo,
    type,
    // A fee transaction is money Stripe keeps: its net, with nothing further withheld.
    amount: type === 'fee' ? t.amount - t.fee : t.amount,
    fee: type === 'fee' ? 0 : t.fee,
    currency: t.currency.toUpperCase(),
    transactionId,
    date: stripeDate(t.created),
  };
  if (related.length) line.relatedTransactionIds = related;
  if (orderReference) line.orderReference = orderReference;
  if (paymentMethod) line.paymentMethod = paymentMethod;
  if (description) line.description = description;
  return line;
}
