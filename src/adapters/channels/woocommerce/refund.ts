import type { Refund, RefundLine } from '../../../domain/order';
import { minorUnitDigits } from '../../../domain/money';
import { JsonNode } from '../json';
import { clip, consistentRefundLines, finishRefund } from '../mapping';
import type { RefundContext } from '../port';

/**
 * WooCommerce refund JSON (GET /wp-json/wc/v3/orders/<id>/refunds/<refundId>) → canonical Refund.
 *
 * WooCommerce has no refund webhook: a refund shows up as an order.updated whose `refunds` lists it (id and
 * total only), and the refund object itself comes from the REST API. That object names neither its order nor
 * its currency, so both come from the context. `amount` is the money refunded, positive. Refunded items are
 * negative copies of the order's items (quantity −1, total "-9.00") that point at the original through the meta
 * key `_refunded_item_id`; they are kept as lines only when they account for the amount (see
 * consistentRefundLines), else the refund is an amount. `refunded_payment: false` marks a refund paid back outside
 * the gateway (outsideGateway).
 */
export function mapWooRefund(body: unknown, context: RefundContext): Refund | undefined {
  const root = JsonNode.root(body);
  const { order, lineRefs } = context;
  const digits = minorUnitDigits(order.currency);
  const amountNode = root.get('amount');
  const amount = amountNode.minor(digits, 'half-away-from-zero');
  if (amount < 0) amountNode.fail('a refund amount is positive in the REST API');
  if (amount === 0) return undefined;

  const candidates: RefundLine[] = [];
  const collect = (field: string, prefix: string, quantityOf: (item: JsonNode) => number) => {
    for (const item of root.list(field)) {
      const original = refundedItemId(item);
      const quantity = quantityOf(item);
      if (original === undefined || quantity === 0) continue;
      const index = lineRefs.indexOf(`${prefix}:${original}`);
      // An item that is not among the order's lines (a free shipping line we left out) returned nothing; any
      // mismatch it causes turns the refund into an amount below, which still books correctly.
      if (index >= 0) candidates.push({ lineIndex: index, quantity });
    }
  };
  // Quantities are negative on refund items; 0 means money back on a line without returning pieces.
  collect('line_items', 'line_item', (item) => Math.abs(item.get('quantity').number()));
  // Shipping and fees have no quantity: a refund names the whole line, or fails the amount check below.
  collect('shipping_lines', 'shipping_line', () => 1);
  collect('fee_lines', 'fee_line', () => 1);
  const lines = consistentRefundLines(order, candidates, amount);
  const reason = root.optText('reason');
  // refunded_payment false: the shop refunded by hand (cash, bank transfer), not through the gateway's API, so the
  // money did not leave from the acquirer's receivable. Older stores leave the field out: through the gateway.
  const outsideGateway = root.opt('refunded_payment')?.boolean() === false;
  return finishRefund({
    refundId: root.get('id').id(),
    orderId: order.orderId,
    createdAt: root.get('date_created_gmt').gmtDateTime(),
    currency: order.currency,
    ...(lines ? { lines } : {}),
    amount,
    ...(reason ? { reason: clip(reason, 500) } : {}),
    ...(outsideGateway ? { outsideGateway } : {}),
  });
}

/** The id of the order item a refund item refunds (meta `_refunded_item_id`, a string or a number). */
function refundedItemId(item: JsonNode): string | undefined {
  for (const meta of item.list('meta_data')) {
    if (meta.opt('key')?.value !== '_refunded_item_id') continue;
    const value = meta.get('value');
    return typeof value.value === 'string' ? value.text() : value.id();
  }
  return undefined;
}
