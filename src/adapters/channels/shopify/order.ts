import type { OrderInput } from '../../../domain/order';
import { giftCardGateway } from '../../../domain/plan-payment';
import { JsonNode } from '../json';
import { clip, finishOrder, validEmail, type MappedOrder } from '../mapping';

/**
 * Shopify order JSON (webhooks orders/create, orders/updated, orders/paid, orders/cancelled; REST Admin API order)
 * → canonical Order.
 *
 * Amounts: the shop currency, never the customer's. Shopify gives every amount twice in `*_set` (`shop_money` and
 * `presentment_money`); we read `shop_money` and fall back to the plain field (also shop currency) for payloads
 * without sets. Ledgers book in the shop's currency, and so do its payouts.
 *
 * Lines: one goods (or gift_card) line per line item, in payload order, so that line position = line_items index;
 * then the shipping lines. A shipping line that costs nothing after discounts (free shipping) carries no revenue
 * and is left out. Gift cards sold are a liability, outside VAT: kind gift_card, rate 0.
 */

export interface ShopifyMapOptions {
  /** Delivery country for orders without shipping and billing address (POS sales, digital goods). */
  homeCountry?: string;
}

/**
 * Financial statuses in which the customer's money has been taken. Not `authorized`: an authorization only reserves
 * the money, and one that is never captured is no payment (it expires or is voided).
 */
const paidStatuses = new Set(['paid', 'partially_refunded', 'refunded']);

export function mapShopifyOrder(body: unknown, options: ShopifyMapOptions = {}): MappedOrder {
  const root = JsonNode.root(body);
  const { code: currency, digits } = root.get('currency').currency();
  const money = moneyReader(currency, digits);
  const taxesIncluded = root.get('taxes_included').boolean();

  const lines: OrderInput['lines'] = [];
  const lineRefs: string[] = [];
  const lineItems = root.get('line_items');
  for (const li of lineItems.items()) {
    const giftCard = li.opt('gift_card')?.boolean() ?? false;
    const discount = sum(li.list('discount_allocations').map((d) => money(d, 'amount')));
    if (discount < 0) li.get('discount_allocations').fail('discounts add up to less than zero');
    const sku = li.optText('sku');
    lines.push({
      kind: giftCard ? 'gift_card' : 'goods',
      ...(sku ? { sku: clip(sku, 200) } : {}),
      description: clip(li.optText('name') ?? li.optText('title') ?? sku ?? 'Item', 500),
      quantity: li.get('quantity').positive(),
      unitPrice: money(li, 'price'),
      discount,
      // Shopify charges no tax on gift cards; a tax line on one would be a shop set-up error we do not copy.
      vatRate: giftCard ? 0 : vatRateOf(li),
      ...(giftCard ? {} : statedVat(li, money)),
    });
    lineRefs.push(`line_item:${li.get('id').id()}`);
  }
  if (lines.length === 0) lineItems.fail('an order needs at least one line item');

  for (const sl of root.list('shipping_lines')) {
    const price = money(sl, 'price');
    const discount = shippingDiscount(sl, price, money);
    if (discount === price) continue;
    lines.push({
      kind: 'shipping',
      description: clip(sl.optText('title') ?? sl.optText('code') ?? 'Shipping', 500),
      quantity: 1,
      unitPrice: price,
      discount,
      vatRate: vatRateOf(sl),
      ...statedVat(sl, money),
    });
    lineRefs.push(`shipping_line:${sl.get('id').id()}`);
  }

  // Tips and duties are part of total_price; left out, a valid order would not add up.
  const tip = root.opt('total_tip_received') ? money(root, 'total_tip_received') : 0;
  if (tip > 0) {
    lines.push({ kind: 'tip', description: 'Tip', quantity: 1, unitPrice: tip, discount: 0, vatRate: 0 });
    lineRefs.push('tip:order');
  }
  const duties = root.opt('original_total_duties_set') ? money(root, 'original_total_duties') : 0;
  if (duties > 0) {
    lines.push({ kind: 'duty', description: 'Duties', quantity: 1, unitPrice: duties, discount: 0, vatRate: 0 });
    lineRefs.push('duty:order');
  }
  if (lines.length > 1000) lineItems.fail(`an order may have at most 1000 lines, this one maps to ${lines.length}`);

  const total = money(root, 'total_price');
  const financialStatus = root.get('financial_status').text().toLowerCase();
  const order = finishOrder({
    orderId: orderIdOf(root),
    orderNumber: clip(root.optText('name') ?? String(root.get('order_number').number()), 100),
    // A cancelled order keeps its financial status (voided, refunded …); cancelled is what the booking must see.
    status: root.opt('cancelled_at') ? 'cancelled' : clip(financialStatus, 100),
    // processed_at is when the sale happened (for imported orders it predates created_at): the invoice date.
    createdAt: (root.opt('processed_at') ?? root.get('created_at')).dateTime(),
    updatedAt: root.opt('updated_at')?.dateTime(),
    currency,
    pricesIncludeVat: taxesIncluded,
    customer: customerOf(root),
    deliveryCountry: deliveryCountryOf(root, options.homeCountry),
    lines,
    total,
    ...(paidStatuses.has(financialStatus) ? { payment: paymentOf(root, total) } : {}),
  });
  return { order, lineRefs };
}

/** Reads `<field>_set.shop_money.amount` (or `<field>`) in minor units, insisting on the shop currency. */
export function moneyReader(currency: string, digits: number) {
  return (node: JsonNode, field: string): number => {
    const set = node.opt(`${field}_set`);
    if (!set) return node.get(field).minor(digits);
    const shop = set.get('shop_money');
    const code = shop.opt('currency_code')?.text();
    if (code !== undefined && code !== currency) shop.get('currency_code').fail(`is ${code}, the order's shop currency is ${currency}`);
    return shop.get('amount').minor(digits);
  };
}

/** The numeric id, or the one inside admin_graphql_api_id when the number is too large for JSON. */
function orderIdOf(root: JsonNode): string {
  const id = root.get('id');
  const gid = root.optText('admin_graphql_api_id');
  const m = gid ? /^gid:\/\/shopify\/Order\/(\d+)$/.exec(gid) : null;
  if (m && !(typeof id.value === 'number' && Number.isSafeInteger(id.value))) return m[1]!;
  return id.id();
}

/**
 * Percent from the line's tax lines (rate 0.25 → 25). Several tax lines (a US state and county tax) add up;
 * EU orders carry one. No tax lines: not taxed (exempt customer, or a shop that charges none) → 0.
 */
function vatRateOf(line: JsonNode): number {
  const rates = line.list('tax_lines').map((t) => t.get('rate').fractionPercent());
  return Math.round(sum(rates) * 10_000) / 10_000;
}

function customerOf(root: JsonNode): OrderInput['customer'] {
  const c = root.opt('customer');
  const fullName = (n?: JsonNode) => [n?.optText('first_name'), n?.optText('last_name')].filter(Boolean).join(' ');
  const billing = root.opt('billing_address');
  const shipping = root.opt('shipping_address');
  const email = validEmail(c?.optText('email') ?? root.optText('email') ?? root.optText('contact_email'));
  // A guest checkout may have no customer record; the name falls back so the invoice can still be made.
  const name = fullName(c) || billing?.optText('name') || shipping?.optText('name') || billing?.optText('company') || email || 'Guest';
  const externalId = c?.opt('id')?.id();
  return { name: clip(name, 300), ...(email ? { email } : {}), ...(externalId ? { externalId } : {}) };
}

function deliveryCountryOf(root: JsonNode, homeCountry: string | undefined): string {
  for (const key of ['shipping_address', 'billing_address']) {
    const code = root.opt(key)?.opt('country_code');
    if (code) return code.country();
  }
  if (homeCountry) return homeCountry;
  return root.fail('has neither shipping_address.country_code nor billing_address.country_code (and no home country is configured)');
}

/**
 * The payment method an order without a gateway name gets (orders created through the API, or marked paid by
 * hand, may have payment_gateway_names [""] or []). The sale is booked; its payment waits as
 * unmapped_payment_method until the shop maps this name to where such payments go.
 */
export const unnamedGateway = 'unnamed';

/**
 * payment_gateway_names (the current field), else the deprecated gateway; lowercased for the per-shop mapping.
 * Several distinct gateways (gift card + card) are a split payment: the order does not say each one's amount, the
 * order's transactions do (fetched when it is booked). The method is the first that is no gift card: what a refund
 * of the order goes back through.
 */
function paymentOf(root: JsonNode, amount: number): NonNullable<OrderInput['payment']> {
  const names = [...new Set(root.list('payment_gateway_names').map((n) => clip(n.string().trim().toLowerCase(), 100)).filter(Boolean))];
  const method = names.find((n) => n !== giftCardGateway) ?? names[0] ?? root.optText('gateway')?.toLowerCase();
  return { method: method ? clip(method, 100) : unnamedGateway, amount, ...(names.length > 1 ? { splitMethods: names.slice(0, 20) } : {}) };
}

/**
 * The line's tax as Shopify charged it (the sum of its tax_lines' price, for the whole line after discounts): booked
 * as stated. No tax lines: nothing stated, the rate (0) decides.
 */
function statedVat(line: JsonNode, money: ReturnType<typeof moneyReader>): { vat?: number } {
  const taxLines = line.list('tax_lines');
  return taxLines.length ? { vat: sum(taxLines.map((t) => money(t, 'price'))) } : {};
}

/**
 * A shipping line's discount. Shopify's discounted_price has not always included order-level (cart) discounts such
 * as a free-shipping code, which are listed in discount_allocations instead (Shopify changed this in 2024-07); the
 * larger of the two readings is the discount, so such a discount is counted once, never twice or not at all.
 */
function shippingDiscount(sl: JsonNode, price: number, money: ReturnType<typeof moneyReader>): number {
  const allocated = sum(sl.list('discount_allocations').map((d) => money(d, 'amount')));
  const byPrice = sl.opt('discounted_price') ? price - money(sl, 'discounted_price') : 0;
  if (byPrice < 0) sl.get('discounted_price').fail('is more than the shipping price');
  const discount = Math.max(allocated, byPrice);
  if (discount > price) sl.get('discount_allocations').fail('discounts add up to more than the shipping price');
  return discount;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
