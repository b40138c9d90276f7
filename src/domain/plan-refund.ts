/**
 * Refund → a credit note against the order's invoice and the refund payment against the acquirer receivable the
 * order's payment went to (the next payout nets it).
 *
 * Conventions: credit-note lines carry positive net and VAT like the invoice's (the kind 'credit_note' says the
 * direction), and the credit-note voucher is the invoice voucher mirrored: debit sales and VAT, credit the customer
 * receivable. A credit note only ever credits what was refunded: a partial refund is never a full credit note.
 */
import { BookingError } from './errors';
import type { Mapping } from './mapping';
import { allocate, assertMinorUnits, mulDivRound, sum } from './money';
import type { Order, Refund, RefundLine } from './order';
import { paymentTarget, primaryMethod } from './plan-payment';
import { accountFor, assertBalanced, documentVoucher, invoiceLines, lineAmount, netAndVat, roundingOf } from './plan-order';
import type { InvoiceLine, InvoicePlan, PaymentPlan, RefundPlan } from './posting';
import { regionOf } from './region';
import { splitGross } from './vat';

/** Refund entries for the same order line, merged (a shop may list a line twice), in line order. */
function mergeLines(lines: readonly RefundLine[]): RefundLine[] {
  const merged = new Map<number, number>();
  for (const r of lines) merged.set(r.lineIndex, (merged.get(r.lineIndex) ?? 0) + r.quantity);
  return [...merged].sort((a, b) => a[0] - b[0]).map(([lineIndex, quantity]) => ({ lineIndex, quantity }));
}

/** Credit-note lines for refunded order lines: same accounts and VAT as the invoice, the discount in proportion. */
function refundedLines(refunded: readonly RefundLine[], order: Order, mapping: Mapping): InvoiceLine[] {
  return mergeLines(refunded).map(({ lineIndex, quantity }) => {
    const line = order.lines[lineIndex];
    if (!line) throw new BookingError('totals_mismatch', { reason: `the refund names line ${lineIndex}, the order has ${order.lines.length}` });
    if (quantity > line.quantity) throw new BookingError('refund_exceeds_order', { line: lineIndex, refunded: quantity, ordered: line.quantity });
    const { account, vatCode } = accountFor(line, lineIndex, order, mapping);
    const discount = mulDivRound(line.discount, quantity, line.quantity);
    const amount = lineAmount({ quantity, unitPrice: line.unitPrice, discount });
    // A stated line VAT is credited in proportion, as it was charged.
    const stated = line.vat === undefined ? undefined : mulDivRound(line.vat, quantity, line.quantity);
    const { net, vat } =
      stated === undefined ? netAndVat(amount, line.vatRate, order.pricesIncludeVat) : order.pricesIncludeVat ? { net: amount - stated, vat: stated } : { net: amount, vat: stated };
    return { description: `Refund: ${line.description}`, quantity, account, vatCode, vatRate: line.vatRate, net, vat };
  });
}

/**
 * An amount refund: spread over the invoice lines in proportion to their amounts incl. VAT (so each VAT rate gets its
 * share), VAT split out of each share, then one credit-note line per account and VAT code.
 */
function spreadLines(amount: number, invoice: readonly InvoiceLine[]): InvoiceLine[] {
  const weights = invoice.map((l) => l.net + l.vat);
  if (sum(weights) <= 0) throw new BookingError('totals_mismatch', { reason: 'the order lines add up to nothing to refund against', refundAmount: amount });
  const parts = allocate(amount, weights);
  const grouped = new Map<string, InvoiceLine & { sources: string[] }>();
  invoice.forEach((line, i) => {
    const part = parts[i]!;
    const { net, vat } = splitGross(part, line.vatRate);
    const key = `${line.account}\u0000${line.vatCode}\u0000${line.vatRate}`;
    const g = grouped.get(key) ?? { ...line, description: '', quantity: 1, net: 0, vat: 0, sources: [] };
    g.net += net;
    g.vat += vat;
    g.sources.push(line.description);
    grouped.set(key, g);
  });
  return [...grouped.values()]
    .filter((g) => g.net !== 0 || g.vat !== 0)
    .map(({ sources, ...g }) => ({
      ...g,
      description: sources.length === 1 ? `Refund: ${sources[0]}` : `Refund: ${sources[0]} and ${sources.length - 1} more`,
    }));
}

/** The credit note and refund payment for a refund of `order`, of which `alreadyRefunded` was refunded before. */
export function planRefund(refund: Refund, order: Order, mapping: Mapping, alreadyRefunded: number): RefundPlan {
  assertMinorUnits(refund.amount, 'refund amount');
  assertMinorUnits(alreadyRefunded, 'amount already refunded');
  if (refund.amount <= 0 || alreadyRefunded < 0) throw new RangeError('refund amounts are positive');
  if (refund.currency !== order.currency) {
    throw new BookingError('currency_mismatch', { refundCurrency: refund.currency, orderCurrency: order.currency });
  }
  if (refund.orderId !== order.orderId) {
    throw new BookingError('payment_unknown_invoice', { refundOrderId: refund.orderId, orderId: order.orderId, reason: 'the refund belongs to another order' });
  }
  const refundable = order.total - alreadyRefunded;
  if (refund.amount > refundable) {
    throw new BookingError('refund_exceeds_order', { refund: refund.amount, refundable, orderTotal: order.total, alreadyRefunded });
  }
  const paidFrom = order.payment ? refundSource(refund, order.payment, mapping) : undefined;

  let lines: InvoiceLine[];
  if (refund.lines?.length) lines = refundedLines(refund.lines, order, mapping);
  else if (alreadyRefunded === 0 && refund.amount === order.total) lines = invoiceLines(order, mapping).map((l) => ({ ...l, description: `Refund: ${l.description}` }));
  else lines = spreadLines(refund.amount, invoiceLines(order, mapping));
  // A whole-order refund mirrors the invoice line for line, so it also carries the invoice's rounding back.
  const rounding = roundingOf(refund.amount, lines, { refundAmount: refund.amount });

  const date = refund.createdAt.slice(0, 10);
  const text = `Credit note for order ${order.orderNumber} (refund ${refund.refundId})`;
  const base = { reference: refund.refundId, orderNumber: order.orderNumber, currency: refund.currency, date, lines, total: refund.amount, rounding, roundingAccount: mapping.accounts.rounding };
  const creditNote: InvoicePlan = {
    kind: 'credit_note',
    ...base,
    creditsReference: order.orderId,
    region: regionOf(mapping.homeCountry, order.deliveryCountry),
    customer: order.customer,
    voucher: documentVoucher(base, text, mapping, -1),
  };

  // An order never paid through us (completed without a payment) has no payment to reverse: the credit note alone
  // settles its invoice.
  if (!paidFrom) return { creditNote };
  const payText = `Refund of order ${order.orderNumber} (${paidFrom.label})`;
  const refundPayment: PaymentPlan = {
    kind: 'refund_payment',
    reference: refund.refundId,
    documentReference: refund.refundId,
    currency: refund.currency,
    date,
    amount: refund.amount,
    acquirer: paidFrom.acquirer,
    receivableAccount: paidFrom.account,
    ...(refund.transactionId ? { transactionId: refund.transactionId } : {}),
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    voucher: assertBalanced({
      currency: refund.currency,
      date,
      text: payText,
      lines: [
        { account: mapping.customerReceivableAccount, amount: refund.amount, text: payText },
        { account: paidFrom.account, amount: -refund.amount, text: payText },
      ],
    }),
  };
  return { creditNote, refundPayment };
}

/** The acquirer name a refund paid back outside any gateway carries: no payout ever nets it. */
export const outsideGateway = 'outside_gateway';

/**
 * Where the refunded money left from: the acquirer receivable the payment went to (its next payout nets the refund),
 * or, for money paid back outside the gateway (cash, bank transfer), the account the mapping names for that.
 */
function refundSource(refund: Refund, payment: NonNullable<Order['payment']>, mapping: Mapping): { acquirer: string; account: string; label: string } {
  if (refund.outsideGateway) {
    const account = mapping.refundsOutsideGatewayAccount;
    if (!account) throw new BookingError('unmapped_refund_outside_gateway', { refundId: refund.refundId, method: payment.method });
    return { acquirer: outsideGateway, account, label: 'paid back outside the payment gateway' };
  }
  // A split payment is paid back through the part that carries the order's reference (its card part).
  const method = primaryMethod(payment);
  const { acquirer, receivableAccount } = paymentTarget(method, mapping);
  return { acquirer, account: receivableAccount, label: method };
}
