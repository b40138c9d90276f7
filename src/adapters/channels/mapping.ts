import { z } from 'zod';
import { orderSchema, refundSchema, type Order, type OrderInput, type OrderLine, type Refund, type RefundLine } from '../../domain/order';
import { lineAmount, netAndVat, roundingTolerance } from '../../domain/plan-order';
import { ChannelPayloadError } from './port';

/** Shared steps of the channel mappers: text limits, line prices from totals, the final schema check, refund lines. */

export interface MappedOrder {
  order: Order;
  /** The platform id of each canonical line, index for index: `line_item:<id>`, `shipping_line:<id>`, `fee_line:<id>`. */
  lineRefs: string[];
}

export const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const emailSchema = z.email();
/** A customer e-mail only when it is one: a typo in the shop's customer record must not stop the booking. */
export const validEmail = (s: string | undefined) => (s && emailSchema.safeParse(s).success ? s : undefined);

/**
 * Unit price and line discount for a line known only by its totals (WooCommerce: subtotal before and total after
 * discounts, for the whole line). 100.00 for 3 pieces has no exact unit price in øre, so the unit price is rounded
 * up (33.34) and the few øre of difference join the discount: the line amount the ledger computes
 * (quantity × unit price − discount) is then exactly the shop's line total, which is what must add up.
 */
export function priceFromTotals(subtotal: number, total: number, quantity: number): { unitPrice: number; discount: number } {
  const gross = Math.max(subtotal, total);
  const unitPrice = Math.ceil(gross / quantity) || 0;
  const discount = lineAmount({ quantity, unitPrice, discount: 0 }) - total;
  return { unitPrice, discount };
}

/**
 * The mapped order checked against the canonical schema. The mappers check each field where they read it; this is
 * the net under them, and names the canonical field, since the payload path is no longer known here.
 */
export function finishOrder(input: OrderInput): Order {
  const parsed = orderSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ChannelPayloadError(`(mapped order).${issue.path.join('.')}`, issue.message);
}

export function finishRefund(input: z.input<typeof refundSchema>): Refund {
  const parsed = refundSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ChannelPayloadError(`(mapped refund).${issue.path.join('.')}`, issue.message);
}

/** The amount incl. VAT that a credit note books for these refunded lines, computed as planRefund does. */
function creditedGross(order: Order, lines: readonly RefundLine[]): number | undefined {
  let total = 0;
  for (const r of lines) {
    const line: OrderLine | undefined = order.lines[r.lineIndex];
    if (!line || r.quantity > line.quantity) return undefined;
    const share = r.quantity / line.quantity;
    const amount = lineAmount({ quantity: r.quantity, unitPrice: line.unitPrice, discount: Math.round(line.discount * share) });
    const { net, vat } = netAndVat(amount, line.vatRate, order.pricesIncludeVat);
    total += net + vat;
  }
  return total;
}

/**
 * The refunded lines, but only when they account for the refunded amount the way the credit note will book them
 * (within the same rounding tolerance planRefund allows). A refund of a custom amount, a partial shipping refund or
 * a restocking fee makes lines and money disagree; such a refund is passed on as an amount (spread over the order's
 * VAT rates) instead of failing later on totals_mismatch. Entries for the same line are merged.
 */
export function consistentRefundLines(order: Order, candidates: readonly RefundLine[], amount: number): RefundLine[] | undefined {
  const merged = new Map<number, number>();
  for (const c of candidates) merged.set(c.lineIndex, (merged.get(c.lineIndex) ?? 0) + c.quantity);
  const lines = [...merged].sort((a, b) => a[0] - b[0]).map(([lineIndex, quantity]) => ({ lineIndex, quantity }));
  if (lines.length === 0) return undefined;
  const gross = creditedGross(order, lines);
  if (gross === undefined || Math.abs(amount - gross) > roundingTolerance(lines.length)) return undefined;
  return lines;
}
