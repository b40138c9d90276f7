import { BookingError } from './errors';
import type { Mapping } from './mapping';
import { allocate, sum } from './money';
import type { Order, Refund } from './order';
import { accountFor, assertBalanced, documentVoucher, lineAmount, netAndVat, roundingTolerance } from './plan-order';
import type { InvoiceLine, InvoicePlan, PaymentPlan, RefundPlan } from './posting';

/** Credit-note lines for refunded order lines: same accounts and VAT as the invoice, discount in proportion. */
function refundedLines(refund: Refund, order: Order, mapping: Mapping): InvoiceLine[] {
  return refund.lines!.map((r) => {
    const line = order.lines[r.lineIndex];
    if (!line) throw new BookingError('totals_mismatch', { reason: `refund names line ${r.lineIndex}, the order has ${order.lines.length}` });
    if (r.quantity > line.quantity) {
      throw new BookingError('refund_exceeds_order', { line: r.lineIndex, refunded: r.quantity, ordered: line.quantity });
    }
    const { account, vatCode } = accountFor(line, r.lineIndex, order, mapping);
    const share = r.quantity / line.quantity;
    const amount = lineAmount({ quantity: r.quantity, unitPrice: line.unitPrice, discount: Math.round(line.discount * share) });
    const { net, vat } = netAndVat(amount, line.vatRate, order.pricesIncludeVat);
    return { description: `Refund: ${line.description}`, quantity: r.quantity, account, vatCode, vatRate: line.vatRate, net, vat };
  });
}

/** An amount refund: spread over the invoice lines in proportion to their amounts, one line per account and VAT code. */
function spreadLines(refund: Refund, order: Order, mapping: Mapping): InvoiceLine[] {
  const gross = order.lines.map((l) => {
    const { net, vat } = netAndVat(lineAmount(l), l.vatRate, order.pricesIncludeVat);
    return net + vat;
  });
  const parts = allocate(refund.amount, gross);
  const grouped = new Map<string, InvoiceLine>();
  order.lines.forEach((line, i) => {
    const { account, vatCode } = accountFor(line, i, order, mapping);
    const { vat } = netAndVat(parts[i]!, line.vatRate, true);
    const key = `${account}|${vatCode}|${line.vatRate}`;
    const g = grouped.get(key) ?? { description: 'Refund', quantity: 1, account, vatCode, vatRate: line.vatRate, net: 0, vat: 0 };
    g.net += parts[i]! - vat;
    g.vat += vat;
    grouped.set(key, g);
  });
  return [...grouped.values()].filter((l) => l.net !== 0 || l.vat !== 0);
}

/**
 * Refund → a credit note against the order's invoice (only what was refunded: partial refunds stay partial) and the
 * refund payment against the acquirer receivable the order's payment went to.
 */
export function planRefund(refund: Refund, order: Order, mapping: Mapping, alreadyRefunded: number): RefundPlan {
  if (refund.currency !== order.currency) {
    throw new BookingError('currency_mismatch', { refundCurrency: refund.currency, orderCurrency: order.currency });
  }
  const refundable = order.total - alreadyRefunded;
  if (refund.amount > refundable) {
    throw new BookingError('refund_exceeds_order', { refund: refund.amount, refundable, alreadyRefunded });
  }
  if (!order.payment) throw new BookingError('payment_unknown_invoice', { orderId: order.orderId, reason: 'the order has no payment' });
  const method = mapping.paymentMethods[order.payment.method];
  if (!method) throw new BookingError('unmapped_payment_method', { method: order.payment.method });

  const lines = refund.lines?.length ? refundedLines(refund, order, mapping) : spreadLines(refund, order, mapping);
  const linesTotal = sum(lines.map((l) => l.net + l.vat));
  const rounding = refund.amount - linesTotal;
  if (Math.abs(rounding) > roundingTolerance(lines.length)) {
    throw new BookingError('totals_mismatch', { refundAmount: refund.amount, linesTotal, difference: rounding });
  }
  const date = refund.createdAt.slice(0, 10);
  const text = `Credit note for order ${order.orderNumber} (refund ${refund.refundId})`;
  const base = { reference: refund.refundId, orderNumber: order.orderNumber, currency: refund.currency, date, lines, total: refund.amount, rounding };
  const creditNote: InvoicePlan = {
    kind: 'credit_note',
    ...base,
    creditsReference: order.orderId,
    customer: order.customer,
    voucher: documentVoucher(base, text, mapping, -1),
  };
  const payText = `Refund of order ${order.orderNumber} (${order.payment.method})`;
  const refundPayment: PaymentPlan = {
    kind: 'refund_payment',
    reference: refund.refundId,
    documentReference: refund.refundId,
    currency: refund.currency,
    date,
    amount: refund.amount,
    acquirer: method.acquirer,
    receivableAccount: method.receivableAccount,
    ...(refund.transactionId ? { transactionId: refund.transactionId } : {}),
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    voucher: assertBalanced({
      currency: refund.currency,
      date,
      text: payText,
      lines: [
        { account: mapping.customerReceivableAccount, amount: refund.amount, text: payText },
        { account: method.receivableAccount, amount: -refund.amount, text: payText },
      ],
    }),
  };
  return { creditNote, refundPayment };
}
