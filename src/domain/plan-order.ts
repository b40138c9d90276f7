import { BookingError } from './errors';
import type { Mapping } from './mapping';
import { sum } from './money';
import type { Order, OrderLine } from './order';
import type { InvoiceLine, InvoicePlan, JournalLine, OrderPlan, PaymentPlan, Voucher } from './posting';
import { regionOf } from './region';
import { addVat, divRound, splitGross } from './vat';

export function assertBalanced(voucher: Voucher): Voucher {
  const total = sum(voucher.lines.map((l) => l.amount));
  if (total !== 0) throw new Error(`voucher "${voucher.text}" does not balance: lines sum to ${total}`);
  return voucher;
}

/** The amount of a line (same VAT basis as its unit price), rounded to whole minor units. */
export function lineAmount(line: Pick<OrderLine, 'quantity' | 'unitPrice' | 'discount'>): number {
  return divRound(Math.round(line.quantity * 1000) * line.unitPrice, 1000) - line.discount;
}

/** The account and VAT code a line books to, checked against the mapping's VAT codes. */
export function accountFor(line: OrderLine, index: number, order: Order, mapping: Mapping): { account: string; vatCode: string } {
  const region = regionOf(mapping.homeCountry, order.deliveryCountry);
  let target: { account: string; vatCode: string };
  switch (line.kind) {
    case 'goods':
      target = mapping.goods[region];
      break;
    case 'shipping':
      target = mapping.shipping[region];
      break;
    case 'payment_fee':
      if (!mapping.paymentFee) throw new BookingError('missing_account', { field: 'mapping.paymentFee', line: index });
      target = mapping.paymentFee;
      break;
    case 'gift_card':
      // A gift card sold is a liability, outside the scope of VAT until it is redeemed.
      if (!mapping.giftCardAccount) throw new BookingError('missing_account', { field: 'mapping.giftCardAccount', line: index });
      if (line.vatRate !== 0) throw new BookingError('unmapped_vat_rate', { line: index, rate: line.vatRate, reason: 'gift cards carry no VAT' });
      return { account: mapping.giftCardAccount, vatCode: '' };
  }
  const code = mapping.vatCodes[target.vatCode];
  if (!code || code.rate !== line.vatRate) {
    throw new BookingError('unmapped_vat_rate', { line: index, rate: line.vatRate, vatCode: target.vatCode, codeRate: code?.rate ?? null });
  }
  return target;
}

/** Net and VAT of an amount on the order's VAT basis. */
export function netAndVat(amount: number, ratePercent: number, pricesIncludeVat: boolean) {
  return pricesIncludeVat ? splitGross(amount, ratePercent) : addVat(amount, ratePercent);
}

/**
 * The journal form of an invoice (sign +1) or credit note (sign −1): the customer receivable against the sales
 * accounts, VAT aggregated per VAT account, and the rounding difference.
 */
export function documentVoucher(
  plan: Pick<InvoicePlan, 'lines' | 'total' | 'rounding' | 'currency' | 'date'>,
  text: string,
  mapping: Mapping,
  sign: 1 | -1,
): Voucher {
  const lines: JournalLine[] = [{ account: mapping.customerReceivableAccount, amount: sign * plan.total, text }];
  for (const l of plan.lines) {
    lines.push({ account: l.account, amount: -sign * l.net, text: l.description, ...(l.vatCode ? { vatCode: l.vatCode } : {}) });
  }
  const vatByAccount = new Map<string, number>();
  for (const l of plan.lines) {
    if (l.vat === 0 || !l.vatCode) continue;
    const account = mapping.vatCodes[l.vatCode]!.account;
    vatByAccount.set(account, (vatByAccount.get(account) ?? 0) + l.vat);
  }
  for (const [account, vat] of vatByAccount) lines.push({ account, amount: -sign * vat, text: 'Output VAT' });
  if (plan.rounding !== 0) lines.push({ account: mapping.accounts.rounding, amount: -sign * plan.rounding, text: 'Rounding' });
  return assertBalanced({ currency: plan.currency, date: plan.date, text, lines });
}

/** Rounding tolerated between the shop's total and the sum of the lines: one minor unit per line. */
export const roundingTolerance = (lineCount: number) => Math.max(1, lineCount);

/** Order → invoice (lines with accounts and VAT) and the payment registration that moves it to the acquirer. */
export function planOrder(order: Order, mapping: Mapping): OrderPlan {
  const date = order.createdAt.slice(0, 10);
  const lines: InvoiceLine[] = order.lines.map((line, i) => {
    const { account, vatCode } = accountFor(line, i, order, mapping);
    const { net, vat } = netAndVat(lineAmount(line), line.vatRate, order.pricesIncludeVat);
    return { description: line.description, quantity: line.quantity, account, vatCode, vatRate: line.vatRate, net, vat };
  });
  const linesTotal = sum(lines.map((l) => l.net + l.vat));
  const rounding = order.total - linesTotal;
  if (Math.abs(rounding) > roundingTolerance(lines.length)) {
    throw new BookingError('totals_mismatch', { orderTotal: order.total, linesTotal, difference: rounding });
  }
  const text = `Invoice for order ${order.orderNumber}`;
  const base = { reference: order.orderId, orderNumber: order.orderNumber, currency: order.currency, date, lines, total: order.total, rounding };
  const invoice: InvoicePlan = {
    kind: 'invoice',
    ...base,
    customer: order.customer,
    voucher: documentVoucher(base, text, mapping, 1),
  };
  return { invoice, ...(order.payment ? { payment: planPayment(order, mapping) } : {}) };
}

function planPayment(order: Order, mapping: Mapping): PaymentPlan {
  const payment = order.payment!;
  const method = mapping.paymentMethods[payment.method];
  if (!method) throw new BookingError('unmapped_payment_method', { method: payment.method });
  if (payment.amount !== order.total) {
    throw new BookingError('totals_mismatch', { orderTotal: order.total, paymentAmount: payment.amount });
  }
  const text = `Payment for order ${order.orderNumber} (${payment.method})`;
  return {
    kind: 'payment',
    reference: order.orderId,
    documentReference: order.orderId,
    currency: order.currency,
    date: (payment.capturedAt ?? order.createdAt).slice(0, 10),
    amount: payment.amount,
    acquirer: method.acquirer,
    receivableAccount: method.receivableAccount,
    ...(payment.transactionId ? { transactionId: payment.transactionId } : {}),
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    voucher: assertBalanced({
      currency: order.currency,
      date: (payment.capturedAt ?? order.createdAt).slice(0, 10),
      text,
      lines: [
        { account: method.receivableAccount, amount: payment.amount, text },
        { account: mapping.customerReceivableAccount, amount: -payment.amount, text },
      ],
    }),
  };
}
