import type { OrderInput } from '../../../domain/order';
import { JsonNode } from '../json';
import { clip, finishOrder, priceFromTotals, validEmail, type MappedOrder } from '../mapping';
import { inferVatRate } from '../vat-rate';
import { decodeEntities } from './text';

/**
 * WooCommerce order JSON (webhooks order.created / order.updated / order.restored carry the REST v3 order) →
 * canonical Order.
 *
 * WooCommerce stores every line net of tax: `subtotal` (before coupons) and `total` (after coupons), with the tax
 * beside them (`subtotal_tax`, `total_tax`), also when the shop enters prices incl. tax (`prices_include_tax`).
 * For such shops the canonical lines are gross (net + tax), so that unit prices read as the shop showed them;
 * otherwise they stay net. Coupons need no line of their own: they are already in the line totals, and the
 * difference subtotal − total becomes the line discount.
 *
 * Lines, in this order: line_items (goods), shipping_lines (shipping; free ones are left out), fee_lines
 * (payment_fee when the fee is a payment surcharge, else goods; a negative fee is a discount line).
 *
 * Decimals: WooCommerce answers with `dp` decimals (the shop's price decimals unless the caller asked for more),
 * so amounts are rounded half away from zero to the currency's minor unit instead of being refused.
 */

export interface WooMapOptions {
  /** Delivery country for orders without shipping and billing country (digital goods, manual orders). */
  homeCountry?: string;
  /** Fee lines whose name matches are payment surcharges (kind payment_fee); the rest are goods. */
  paymentFeePattern?: RegExp;
}

/** Names shops commonly give a payment surcharge ("Kortgebyr", "Betalingsgebyr", "Payment fee", "Card surcharge"). */
export const defaultPaymentFeePattern = /payment|betaling|kortgebyr|card|surcharge|gebühr|zahlung/i;

/** Meta keys under which the common EU VAT plugins store the customer's VAT number. */
const vatNumberKeys = new Set(['_billing_vat_number', '_vat_number', 'vat_number', '_billing_vat', 'billing_vat', '_billing_eu_vat_number']);

export function mapWooOrder(body: unknown, options: WooMapOptions = {}): MappedOrder {
  const root = JsonNode.root(body);
  const { code: currency, digits } = root.get('currency').currency();
  const minor = (n: JsonNode) => n.minor(digits, 'half-away-from-zero');
  const amountOf = (line: JsonNode, field: string) => (line.opt(field) ? minor(line.get(field)) : 0);
  const gross = root.get('prices_include_tax').boolean();
  const rates = ratesById(root);
  const known = [...new Set([...rates.values()])];

  const lines: OrderInput['lines'] = [];
  const lineRefs: string[] = [];
  const lineItems = root.get('line_items');
  for (const li of lineItems.items()) {
    const quantity = li.get('quantity').positive();
    const net = minor(li.get('total'));
    const tax = amountOf(li, 'total_tax');
    const subtotal = li.opt('subtotal') ? minor(li.get('subtotal')) + (gross ? amountOf(li, 'subtotal_tax') : 0) : net + (gross ? tax : 0);
    const total = net + (gross ? tax : 0);
    const sku = li.optText('sku');
    lines.push({
      kind: 'goods',
      ...(sku ? { sku: clip(sku, 200) } : {}),
      description: clip(decodeEntities(li.optText('name') ?? sku ?? 'Item'), 500),
      quantity,
      ...priceFromTotals(subtotal, total, quantity),
      vatRate: vatRateOf(li, net, tax, rates, known),
    });
    lineRefs.push(`line_item:${li.get('id').id()}`);
  }
  if (lines.length === 0) lineItems.fail('an order needs at least one line item');

  for (const sl of root.list('shipping_lines')) {
    const net = minor(sl.get('total'));
    const tax = amountOf(sl, 'total_tax');
    if (net === 0 && tax === 0) continue;
    lines.push({
      kind: 'shipping',
      description: clip(decodeEntities(sl.optText('method_title') ?? 'Shipping'), 500),
      quantity: 1,
      unitPrice: net + (gross ? tax : 0),
      discount: 0,
      vatRate: vatRateOf(sl, net, tax, rates, known),
    });
    lineRefs.push(`shipping_line:${sl.get('id').id()}`);
  }

  const feePattern = options.paymentFeePattern ?? defaultPaymentFeePattern;
  for (const fl of root.list('fee_lines')) {
    const net = minor(fl.get('total'));
    const tax = amountOf(fl, 'total_tax');
    if (net === 0 && tax === 0) continue;
    const name = decodeEntities(fl.optText('name') ?? 'Fee');
    lines.push({
      kind: feePattern.test(name) ? 'payment_fee' : 'goods',
      description: clip(name, 500),
      quantity: 1,
      unitPrice: net + (gross ? tax : 0),
      discount: 0,
      vatRate: vatRateOf(fl, net, tax, rates, known),
    });
    lineRefs.push(`fee_line:${fl.get('id').id()}`);
  }
  if (lines.length > 1000) lineItems.fail(`an order may have at most 1000 lines, this one maps to ${lines.length}`);

  const total = minor(root.get('total'));
  const paidAt = root.opt('date_paid_gmt')?.gmtDateTime();
  const order = finishOrder({
    orderId: root.get('id').id(),
    orderNumber: clip(orderNumberOf(root), 100),
    status: clip(root.get('status').text().toLowerCase(), 100),
    // Woo's date_created is site-local without an offset; the _gmt twin is the unambiguous one.
    createdAt: root.get('date_created_gmt').gmtDateTime(),
    updatedAt: root.opt('date_modified_gmt')?.gmtDateTime(),
    currency,
    pricesIncludeVat: gross,
    customer: customerOf(root),
    deliveryCountry: deliveryCountryOf(root, options.homeCountry),
    lines,
    total,
    // WooCommerce sets date_paid when the gateway confirms payment (or the order reaches processing/completed).
    ...(paidAt ? { payment: paymentOf(root, total, paidAt) } : {}),
  });
  return { order, lineRefs };
}

/** `number` is a string in v3 (sequential-number plugins put "2026-0042" there), a number in old payloads. */
function orderNumberOf(root: JsonNode): string {
  const n = root.opt('number')?.value;
  const text = typeof n === 'string' ? n.trim() : typeof n === 'number' && Number.isFinite(n) ? String(n) : '';
  return text || root.get('id').id();
}

/** tax_lines rate_id → rate_percent (WooCommerce ≥ 3.7 reports it; older shops leave it out). */
function ratesById(root: JsonNode): Map<string, number> {
  const rates = new Map<string, number>();
  for (const t of root.list('tax_lines')) {
    const percent = t.opt('rate_percent');
    const rateId = t.opt('rate_id');
    if (!percent || !rateId) continue;
    const p = percent.minor(4, 'half-away-from-zero') / 10_000;
    if (p < 0 || p > 100) percent.fail(`a tax rate of ${p} % is outside 0–100 %`);
    rates.set(rateId.id(), p);
  }
  return rates;
}

/**
 * A line's VAT rate: the stated rate of the tax rates it was taxed with (several add up; their ids are the tax
 * rates' rate_id), else inferred from its net amount and tax (see inferVatRate). An untaxed line is 0 %.
 */
function vatRateOf(line: JsonNode, net: number, tax: number, rates: Map<string, number>, known: number[]): number {
  const taxed = line.list('taxes').filter((t) => {
    const total = t.opt('total');
    // An emptied tax ("" after a 100 % coupon) taxed nothing.
    return total !== undefined && total.value !== '' && total.minor(6, 'half-away-from-zero') !== 0;
  });
  const stated = taxed.map((t) => rates.get(t.get('id').id()));
  if (taxed.length > 0 && stated.every((r): r is number => r !== undefined)) return Math.round(stated.reduce((a, b) => a + b, 0) * 10_000) / 10_000;
  return inferVatRate(net, tax, known) ?? line.fail(`a tax of ${tax} on an amount of ${net} gives no VAT rate`);
}

function customerOf(root: JsonNode): OrderInput['customer'] {
  const billing = root.opt('billing');
  const shipping = root.opt('shipping');
  const fullName = (n?: JsonNode) => [n?.optText('first_name'), n?.optText('last_name')].filter(Boolean).join(' ');
  const email = validEmail(billing?.optText('email'));
  const name = fullName(billing) || billing?.optText('company') || fullName(shipping) || shipping?.optText('company') || email || 'Guest';
  const customerId = root.opt('customer_id')?.id();
  const vatNumber = root
    .list('meta_data')
    .find((m) => vatNumberKeys.has(String(m.opt('key')?.value ?? '').toLowerCase()) && typeof m.opt('value')?.value === 'string')
    ?.optText('value');
  return {
    name: clip(decodeEntities(name), 300),
    ...(email ? { email } : {}),
    // customer_id 0 is a guest checkout, not a customer.
    ...(customerId && customerId !== '0' ? { externalId: customerId } : {}),
    ...(vatNumber ? { vatNumber: clip(vatNumber, 50) } : {}),
  };
}

function deliveryCountryOf(root: JsonNode, homeCountry: string | undefined): string {
  for (const key of ['shipping', 'billing']) {
    const code = root.opt(key)?.opt('country');
    // WooCommerce sends "" for an address it did not ask for.
    if (code && code.string().trim() !== '') return code.country();
  }
  if (homeCountry) return homeCountry;
  return root.fail('has neither shipping.country nor billing.country (and no home country is configured)');
}

function paymentOf(root: JsonNode, amount: number, capturedAt: string): NonNullable<OrderInput['payment']> {
  const method = root.optText('payment_method');
  if (!method) return root.fail('is paid (date_paid_gmt) but has no payment_method');
  const transactionId = root.optText('transaction_id');
  return {
    method: clip(method.toLowerCase(), 100),
    ...(transactionId ? { transactionId: clip(transactionId, 200) } : {}),
    amount,
    capturedAt,
  };
}
