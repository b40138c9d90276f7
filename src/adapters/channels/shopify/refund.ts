import type { Refund, RefundLine } from '../../../domain/order';
import { minorUnitDigits } from '../../../domain/money';
import { JsonNode } from '../json';
import { clip, consistentRefundLines, finishRefund } from '../mapping';
import { RefundContextRequiredError, type RefundContext } from '../port';

/**
 * Shopify refund JSON (webhook refunds/create, or an element of an order's `refunds`) → canonical Refund.
 *
 * Amount: the money actually returned, i.e. the successful refund transactions (kind refund, status success).
 * That already includes refunded shipping (refund_shipping_lines, or order_adjustments of kind shipping_refund
 * before API 2024-10) and is net of refund discrepancies (order_adjustments of kind refund_discrepancy), and it is
 * what the acquirer's next payout nets. A refund that returned no money (restock only, store credit) is no
 * booking: undefined.
 *
 * Lines: refund_line_items name order line items by id; refund_shipping_lines name shipping lines. They are kept
 * only when they account for the refunded money (see consistentRefundLines); otherwise the refund is an amount.
 */
export function mapShopifyRefund(body: unknown, context: RefundContext | undefined): Refund | undefined {
  return refundFromNode(JsonNode.root(body), context);
}

/** The same for a refund inside a larger payload (an order's `refunds`), so error paths point into it. */
export function refundFromNode(root: JsonNode, context: RefundContext | undefined): Refund | undefined {
  const refundId = root.get('id').id();
  const orderIdNode = root.get('order_id');
  const orderId = orderIdNode.id();
  if (!context) throw new RefundContextRequiredError(orderIdNode.path, orderId);
  const { order, lineRefs } = context;
  if (orderId !== order.orderId) orderIdNode.fail(`the refund belongs to order ${orderId}, the context is order ${order.orderId}`);
  const digits = minorUnitDigits(order.currency);

  let amount = 0;
  let transactionId: string | undefined;
  for (const t of root.list('transactions')) {
    if (t.optText('kind')?.toLowerCase() !== 'refund' || t.optText('status')?.toLowerCase() !== 'success') continue;
    // Transactions carry the customer's (presentment) currency and no shop-money amount. For an order paid in
    // another currency we cannot tell what the refund is worth in the shop's currency at the sale's rate, and a
    // guess would be booked silently; refuse it instead.
    const currency = t.optText('currency');
    if (currency !== undefined && currency.toUpperCase() !== order.currency) {
      t.get('currency').fail(`the refund was paid in ${currency}, the order is booked in ${order.currency}; the payload has no ${order.currency} amount for it`);
    }
    const value = t.get('amount').minor(digits);
    if (value <= 0) t.get('amount').fail('a refund transaction amount is positive');
    amount += value;
    // The gateway's own reference (e.g. the acquirer's refund id) is what a payout line can be matched on.
    transactionId ??= t.optText('authorization');
  }
  if (amount === 0) return undefined;

  const candidates: RefundLine[] = [];
  for (const rli of root.list('refund_line_items')) {
    const idNode = rli.opt('line_item_id') ?? rli.get('line_item').get('id');
    const quantity = rli.get('quantity').number();
    if (quantity === 0) continue;
    candidates.push({ lineIndex: lineIndexOf(idNode, `line_item:${idNode.id()}`, lineRefs, orderId), quantity: rli.get('quantity').positive() });
  }
  for (const rsl of root.list('refund_shipping_lines')) {
    const idNode = rsl.opt('shipping_line_id') ?? rsl.get('shipping_line').get('id');
    const index = lineRefs.indexOf(`shipping_line:${idNode.id()}`);
    // Not among the order's lines: it was free and left out when the order was mapped. If money was returned for
    // it anyway, the lines will not add up and the refund becomes an amount, which is still booked correctly.
    // Shipping has no quantity: a refund is of the whole line; a partial one fails the same check.
    if (index >= 0) candidates.push({ lineIndex: index, quantity: 1 });
  }
  const lines = consistentRefundLines(order, candidates, amount);
  const reason = root.optText('note');
  return finishRefund({
    refundId,
    orderId,
    createdAt: (root.opt('processed_at') ?? root.get('created_at')).dateTime(),
    currency: order.currency,
    ...(lines ? { lines } : {}),
    amount,
    ...(transactionId ? { transactionId: clip(transactionId, 200) } : {}),
    ...(reason ? { reason: clip(reason, 500) } : {}),
  });
}

function lineIndexOf(node: JsonNode, ref: string, lineRefs: readonly string[], orderId: string): number {
  const index = lineRefs.indexOf(ref);
  if (index < 0) node.fail(`is not a line of order ${orderId}`);
  return index;
}
