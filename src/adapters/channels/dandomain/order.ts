import type { OrderInput } from '../../../domain/order';
import { JsonNode } from '../json';
import { clip, finishOrder, validEmail, type MappedOrder } from '../mapping';
import type { ChannelEvent } from '../port';
import { countryCode } from './countries';
import { wcfDate } from './dates';

/**
 * A Dandomain order-service order (test/fixtures/vendors/dandomain/order-get.json; SOURCE.md says what is read
 * from which document and what is not verified) → canonical Order.
 *
 * Order lines carry prices without VAT and their own `vatPct`; the shipping and payment fees are without VAT unless
 * `feeInclVat` says otherwise, at the order's `vatPct`. The canonical order is therefore net (pricesIncludeVat
 * false); a fee given incl. VAT keeps the VAT it was charged with. The order's `totalPrice` is the total: when the
 * lines do not add up to it the booking says totals_mismatch instead of us guessing.
 *
 * The payment method is keyed `dandomain:<paymentInfo.id>`: the ids are the shop's own and have been seen to change,
 * so a new id is unmapped_payment_method naming it, not a silent wrong account.
 */
export const paymentMethodKey = (id: string) => `dandomain:${id}`;

export function mapDandomainOrder(body: unknown): ChannelEvent {
  const root = JsonNode.root(body);
  const orderId = root.get('id').id();
  // An unfinished checkout (no state yet): nothing was sold.
  if (root.opt('incomplete')?.boolean()) return { type: 'ignored', reason: `order ${orderId} is incomplete (an unfinished checkout)` };
  const { code: currency, digits } = root.get('currencyCode').currency();
  const minor = (n: JsonNode) => n.minor(digits, 'half-away-from-zero');
  const rate = (n: JsonNode) => percent(n);
  const orderRate = rate(root.get('vatPct'));
  unsupported(root, 'salesDiscount', minor, 'an order-level sales discount is not mapped (no document says which VAT it carries)');
  unsupported(root, 'giftCertificateAmount', minor, 'a gift certificate paid part of the order; that is not mapped yet');

  const lines: OrderInput['lines'] = [];
  const lineRefs: string[] = [];
  const orderLines = root.get('orderLines').items();
  if (orderLines.length === 0) root.get('orderLines').fail('an order needs at least one line');
  for (const line of orderLines) {
    const quantity = line.get('quantity').positive();
    const unitPrice = minor(line.get('unitPrice'));
    const total = line.opt('totalPrice') ? minor(line.get('totalPrice')) : Math.round(unitPrice * quantity);
    const name = line.optText('productName') ?? line.optText('productId') ?? 'Item';
    const variant = line.optText('variant');
    const sku = line.optText('productId');
    lines.push({
      kind: 'goods',
      ...(sku ? { sku: clip(sku, 200) } : {}),
      description: clip(variant ? `${name} (${variant})` : name, 500),
      quantity,
      unitPrice,
      // A line total below quantity × unit price is the line's discount.
      discount: Math.max(0, Math.round(unitPrice * quantity) - total),
      vatRate: line.opt('vatPct') ? rate(line.get('vatPct')) : orderRate,
    });
    lineRefs.push(`order_line:${line.get('id').id()}`);
  }
  for (const [field, kind] of [['shippingInfo', 'shipping'], ['paymentInfo', 'payment_fee']] as const) {
    const info = root.opt(field);
    const fee = info?.opt('fee');
    if (!info || !fee || minor(fee) === 0) continue;
    const amount = minor(fee);
    const inclVat = info.opt('feeInclVat')?.boolean() ?? false;
    // Net as the ledger books it, with the VAT the shop charged when the fee was given incl. VAT.
    const net = inclVat ? Math.round((amount * 100) / (100 + orderRate)) : amount;
    lines.push({
      kind,
      description: clip(info.optText('name') ?? (kind === 'shipping' ? 'Shipping' : 'Payment fee'), 500),
      quantity: 1,
      unitPrice: net,
      vatRate: orderRate,
      ...(inclVat ? { vat: amount - net } : {}),
    });
    lineRefs.push(`${field}:${info.opt('id')?.id() ?? '0'}`);
  }

  const total = minor(root.get('totalPrice'));
  const customer = root.get('customerInfo');
  const delivery = root.opt('deliveryInfo');
  const countryNode = delivery?.optText('country') ? delivery.get('country') : customer.get('country');
  const payment = root.opt('paymentInfo');
  const transactionId = root.optText('transactionNumber');
  const email = validEmail(customer.optText('email'));
  const vatNumber = root.optText('vatRegNumber');
  const createdAt = wcfDate(root.get('createdDate'));
  const order = finishOrder({
    orderId,
    orderNumber: orderId,
    status: clip(root.opt('orderState')?.optText('name') ?? 'new', 100),
    createdAt,
    ...(root.opt('modifiedDate') ? { updatedAt: wcfDate(root.get('modifiedDate')) } : {}),
    currency,
    pricesIncludeVat: false,
    customer: {
      name: clip(customer.optText('name') ?? customer.optText('attention') ?? email ?? 'Customer', 300),
      ...(email ? { email } : {}),
      ...(customer.opt('id') ? { externalId: customer.get('id').id() } : {}),
      ...(vatNumber ? { vatNumber: clip(vatNumber, 50) } : {}),
    },
    deliveryCountry: countryCode(countryNode),
    lines,
    total,
    ...(payment
      ? { payment: { method: paymentMethodKey(payment.get('id').id()), amount: total, ...(transactionId ? { transactionId: clip(transactionId, 200) } : {}) } }
      : {}),
  });
  return { type: 'order', order, lineRefs } satisfies ChannelEvent & MappedOrder;
}

/** Dandomain writes VAT percentages as strings ("25"); numbers are taken too. */
function percent(node: JsonNode): number {
  const v = node.value;
  const n = typeof v === 'string' && /^\d{1,3}(?:[.,]\d{1,4})?$/.test(v.trim()) ? Number(v.trim().replace(',', '.')) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 100) node.fail('expected a VAT percentage between 0 and 100');
  return n;
}

function unsupported(root: JsonNode, field: string, minor: (n: JsonNode) => number, reason: string): void {
  const node = root.opt(field);
  if (node && minor(node) !== 0) node.fail(reason);
}
