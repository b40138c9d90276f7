/**
 * Order → posting plan: the invoice (lines with accounts and VAT codes, and the same document as a balanced journal
 * voucher) and, when the order is paid, the payment registration that moves the claim to the acquirer.
 *
 * Conventions (the ledger adapters rely on them):
 * - Voucher amounts are signed (debit +, credit −); invoice and credit-note lines are always positive for a sale,
 *   the document kind says the direction (credit notes mirror the invoice voucher).
 * - A gift card sold is a liability outside the scope of VAT: its line has vatCode '' (no VAT code at all), vat 0,
 *   and its journal line carries no vatCode. Its vatRate must be 0.
 * - VAT is credited once per VAT code, on that code's account, without a vatCode (the VAT line *is* the VAT).
 * - The rounding line's text is exactly 'Rounding' (adapters find the rounding account by it).
 */
import { BookingError } from './errors';
import type { AccountWithVat, Mapping } from './mapping';
import { assertMinorUnits, mulDivRound, sum } from './money';
import type { Order, OrderLine } from './order';
import { paymentRegistration, planSplitPayments } from './plan-payment';
import type { InvoiceLine, InvoicePlan, JournalLine, OrderPlan, VatDifference, Voucher } from './posting';
import { regionOf } from './region';
import { addVat, splitGross } from './vat';
import { vatOfLine } from './vat-rates';

/** Throws unless the voucher's lines are whole minor units summing to exactly 0; returns it for chaining. */
export function assertBalanced(voucher: Voucher): Voucher {
  let debit = 0;
  let credit = 0;
  for (const l of voucher.lines) {
    assertMinorUnits(l.amount, `voucher "${voucher.text}", line on ${l.account}`);
    if (l.amount > 0) debit += l.amount;
    else credit -= l.amount;
  }
  if (debit !== credit) {
    throw new Error(`voucher "${voucher.text}" does not balance: debits ${debit}, credits ${credit}, difference ${debit - credit}`);
  }
  return voucher;
}

/**
 * quantity × unit price − discount (same VAT basis as the unit price); a fractional quantity rounds half away from 0.
 * Channel mappers call this on payload values before the schema has checked them, so values that are no amounts
 * give NaN (which the schema then rejects) instead of an exception; planOrder checks its inputs itself.
 */
export function lineAmount(line: Pick<OrderLine, 'quantity' | 'unitPrice' | 'discount'>): number {
  if (!Number.isSafeInteger(line.unitPrice) || !Number.isFinite(line.quantity)) return Number.NaN;
  try {
    return mulDivRound(line.unitPrice, line.quantity) - line.discount;
  } catch (e) {
    if (e instanceof RangeError) return Number.NaN; // a product beyond 2^53 minor units
    throw e;
  }
}

/** Net and VAT of an amount given on the order's VAT basis (incl. VAT → split, excl. VAT → added). */
export function netAndVat(amount: number, ratePercent: number, pricesIncludeVat: boolean): { net: number; vat: number } {
  const { net, vat } = pricesIncludeVat ? splitGross(amount, ratePercent) : addVat(amount, ratePercent);
  return { net, vat };
}

/** Rounding tolerated between a stated total and the sum of the lines: one minor unit per line, at least one. */
export const roundingTolerance = (lineCount: number): number => Math.max(1, lineCount);

/**
 * The account and VAT code a line books to: the account by kind and region, the VAT code by place and the line's
 * rate (vat-rates.ts). The VAT code's rate in the mapping must be the line's own rate: a rate that differs between
 * shop and ledger is an error to fix, never something to book anyway.
 */
export function accountFor(line: OrderLine, index: number, order: Order, mapping: Mapping): AccountWithVat {
  const region = regionOf(mapping.homeCountry, order.deliveryCountry);
  let target: AccountWithVat;
  switch (line.kind) {
    case 'goods':
      target = mapping.goods[region];
      break;
    case 'shipping':
      target = mapping.shipping[region];
      break;
    case 'payment_fee':
      if (!mapping.paymentFee) throw new BookingError('missing_account', { field: 'paymentFee', line: index });
      target = mapping.paymentFee;
      break;
    case 'gift_card':
      return outsideVat(line, index, mapping.giftCardAccount, 'giftCardAccount', 'a gift card sold carries no VAT');
    case 'tip':
      return outsideVat(line, index, mapping.tipsAccount, 'tipsAccount', 'a tip carries no VAT');
    case 'duty':
      return outsideVat(line, index, mapping.dutiesAccount, 'dutiesAccount', 'a duty collected for customs carries no VAT');
  }
  const vat = vatOfLine(line, index, order, mapping, target.vatCode);
  return { account: vat.account ?? target.account, vatCode: vat.vatCode };
}

/** A line outside VAT (gift card sold, tip, duty) on its own account from the mapping, which must name one. */
function outsideVat(line: OrderLine, index: number, account: string | undefined, field: string, reason: string): AccountWithVat {
  if (!account) throw new BookingError('missing_account', { field, line: index });
  if (line.vatRate !== 0) throw new BookingError('unmapped_vat_rate', { line: index, rate: line.vatRate, vatCode: '', reason });
  return { account, vatCode: '' };
}

/**
 * Net and VAT of a whole order line. A VAT amount the shop stated is what the customer paid and is booked as is
 * (incl. VAT: the net is the rest of the gross; excl. VAT: it comes on top); only without one is it computed.
 */
export function lineNetAndVat(line: OrderLine, pricesIncludeVat: boolean): { net: number; vat: number } {
  const amount = lineAmount(line);
  if (line.vat === undefined) return netAndVat(amount, line.vatRate, pricesIncludeVat);
  return pricesIncludeVat ? { net: amount - line.vat, vat: line.vat } : { net: amount, vat: line.vat };
}

/** One invoice line per order line, rounded per line. */
export function invoiceLines(order: Order, mapping: Mapping): InvoiceLine[] {
  return order.lines.map((line, i) => {
    assertMinorUnits(line.unitPrice, `line ${i} unitPrice`);
    assertMinorUnits(line.discount, `line ${i} discount`);
    const { account, vatCode } = accountFor(line, i, order, mapping);
    const { net, vat } = lineNetAndVat(line, order.pricesIncludeVat);
    return { description: line.description, quantity: line.quantity, account, vatCode, vatRate: line.vatRate, net, vat };
  });
}

/**
 * Our check of the VAT the shop stated: per line whose stated VAT differs from the rate applied to its amount, both
 * figures and the difference. Not a stop: the stated VAT is what the customer paid; the check names the difference.
 */
export function vatDifferences(order: Order): VatDifference[] {
  const out: VatDifference[] = [];
  order.lines.forEach((line, index) => {
    if (line.vat === undefined) return;
    const computed = netAndVat(lineAmount(line), line.vatRate, order.pricesIncludeVat).vat;
    if (computed !== line.vat) out.push({ line: index, description: line.description, statedVat: line.vat, computedVat: computed, difference: line.vat - computed });
  });
  return out;
}

/** The difference between a stated total and its lines, refused when rounding cannot explain it. */
export function roundingOf(total: number, lines: readonly InvoiceLine[], details: Record<string, unknown> = {}): number {
  const linesTotal = sum(lines.map((l) => l.net + l.vat));
  const rounding = total - linesTotal;
  if (Math.abs(rounding) > roundingTolerance(lines.length)) {
    throw new BookingError('totals_mismatch', { ...details, linesTotal, difference: rounding, tolerance: roundingTolerance(lines.length) });
  }
  return rounding;
}

/**
 * The journal form of an invoice (sign +1) or credit note (sign −1): the customer receivable against one line per
 * invoice line, the VAT per VAT code on its account, and the rounding difference.
 */
export function documentVoucher(
  plan: Pick<InvoicePlan, 'lines' | 'total' | 'rounding' | 'roundingAccount' | 'currency' | 'date'>,
  text: string,
  mapping: Mapping,
  sign: 1 | -1,
): Voucher {
  const lines: JournalLine[] = [{ account: mapping.customerReceivableAccount, amount: sign * plan.total || 0, text }];
  const vatByCode = new Map<string, number>();
  for (const l of plan.lines) {
    lines.push({ account: l.account, amount: -sign * l.net || 0, text: l.description, ...(l.vatCode ? { vatCode: l.vatCode } : {}) });
    if (l.vat !== 0) vatByCode.set(l.vatCode, (vatByCode.get(l.vatCode) ?? 0) + l.vat);
  }
  for (const [code, vat] of vatByCode) {
    const vatCode = mapping.vatCodes[code];
    if (!vatCode) throw new Error(`VAT code "${code}" carries VAT but is not in the mapping`);
    lines.push({ account: vatCode.account, amount: -sign * vat || 0, text: `Output VAT ${code}` });
  }
  if (plan.rounding !== 0) lines.push({ account: plan.roundingAccount, amount: -sign * plan.rounding || 0, text: 'Rounding' });
  return assertBalanced({ currency: plan.currency, date: plan.date, text, lines });
}

/** Order → invoice and, when paid, its payment registrations. */
export function planOrder(order: Order, mapping: Mapping): OrderPlan {
  assertMinorUnits(order.total, 'order total');
  const lines = invoiceLines(order, mapping);
  const rounding = roundingOf(order.total, lines, { orderTotal: order.total });
  const text = `Invoice for order ${order.orderNumber}`;
  const base = {
    reference: order.orderId,
    orderNumber: order.orderNumber,
    currency: order.currency,
    date: order.createdAt.slice(0, 10),
    lines,
    total: order.total,
    rounding,
    roundingAccount: mapping.accounts.rounding,
  };
  const region = regionOf(mapping.homeCountry, order.deliveryCountry);
  const invoice: InvoicePlan = { kind: 'invoice', ...base, region, customer: order.customer, voucher: documentVoucher(base, text, mapping, 1) };
  const differences = vatDifferences(order);
  const checks = differences.length ? { vatDifferences: differences } : {};
  if (!order.payment) return { invoice, ...checks };
  try {
    return { invoice, ...planPayments(order, order.payment, mapping), ...checks };
  } catch (e) {
    // The sale happened whatever it was paid with: the invoice is booked, only the payment waits for the mapping.
    if (e instanceof BookingError && e.code === 'unmapped_payment_method') return { invoice, paymentError: { code: e.code, details: e.details }, ...checks };
    throw e;
  }
}

/**
 * The payment registrations of a paid order: one per captured transaction when the order lists them, else the one
 * payment of the whole order. Split over several gateways without transactions, the amount each took is unknown:
 * booking the whole amount on the first gateway's receivable would be wrong by the other gateways' share.
 */
function planPayments(order: Order, payment: NonNullable<Order['payment']>, mapping: Mapping): Pick<OrderPlan, 'payment' | 'otherPayments' | 'paymentError'> {
  if (payment.transactions) {
    const [first, ...others] = planSplitPayments(order, payment.transactions, mapping);
    return { ...(first ? { payment: first } : {}), ...(others.length ? { otherPayments: others } : {}) };
  }
  if (payment.splitMethods) return { paymentError: { code: 'split_payment_unsupported', details: { methods: payment.splitMethods, amount: payment.amount } } };
  assertMinorUnits(payment.amount, 'payment amount');
  if (payment.amount !== order.total) {
    throw new BookingError('totals_mismatch', { orderTotal: order.total, paymentAmount: payment.amount, difference: order.total - payment.amount });
  }
  const { method, amount, transactionId, capturedAt } = payment;
  return { payment: paymentRegistration(order, { reference: order.orderId, method, amount, ...(transactionId ? { transactionId } : {}), ...(capturedAt ? { capturedAt } : {}) }, mapping) };
}
