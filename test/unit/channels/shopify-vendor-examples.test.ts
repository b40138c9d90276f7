import { describe, expect, it } from 'vitest';
import { ShopifyChannel } from '../../../src/adapters/channels';
import type { Mapping } from '../../../src/domain/mapping';
import type { Order } from '../../../src/domain/order';
import { planOrder } from '../../../src/domain/plan-order';
import { danishMapping } from '../../support/fixtures';
import { edit, expectCanonicalOrder, vendorExample, type Json } from './support';

/**
 * Shopify's own published examples (test/fixtures/vendors/shopify/SOURCE.md) and our Danish fixture changed the way
 * the documents say real orders look: what a real shop sends on its first day must book.
 */
const channel = new ShopifyChannel({ secret: 'shpss_test_secret', homeCountry: 'DK' });
const documentedOrder = (): Json => structuredClone(vendorExample('shopify/admin-rest-2026-07/order-get.json').order);
const dk = 'shopify/order-dk-discount-giftcard.json';

function mapOrder(body: unknown, topic = 'orders/paid'): Order {
  const event = channel.parse(topic, body);
  if (event.type !== 'order') throw new Error(`expected an order, got ${event.type}`);
  return event.order;
}

/** The documented order is a US order taxed at 6 %, paid through the bogus gateway. */
const usMapping: Mapping = {
  ...danishMapping,
  goods: { ...danishMapping.goods, outsideEu: { account: '1030', vatCode: 'US6' } },
  vatCodes: { ...danishMapping.vatCodes, US6: { rate: 6, account: '7240' } },
  paymentMethods: { ...danishMapping.paymentMethods, bogus: { acquirer: 'bogus', receivableAccount: '5816' }, quickpay: { acquirer: 'quickpay', receivableAccount: '5815' } },
  tipsAccount: '6910',
  dutiesAccount: '6920',
};

describe("Shopify's documented order example", () => {
  it('books the tax Shopify states per line (what the customer paid), and names where our computation differs', () => {
    const order = mapOrder(documentedOrder());
    expect(order.lines.map((l) => l.vat)).toEqual([398, 398, 398]);
    expectCanonicalOrder(order);
    // Our computation from the rate (6 % of 195.66) would have stopped this valid order on totals_mismatch.
    const plan = planOrder(order, usMapping);
    expect(plan.invoice.total).toBe(59_894);
    expect(plan.invoice.rounding).toBe(0);
    expect(plan.invoice.lines.map((l) => [l.net, l.vat])).toEqual([[19_566, 398], [19_567, 398], [19_567, 398]]);
    expect(plan.vatDifferences).toEqual([
      { line: 0, description: 'IPod Nano - 8gb - green', statedVat: 398, computedVat: 1_174, difference: -776 },
      { line: 1, description: 'IPod Nano - 8gb - red', statedVat: 398, computedVat: 1_174, difference: -776 },
      { line: 2, description: 'IPod Nano - 8gb - black', statedVat: 398, computedVat: 1_174, difference: -776 },
    ]);
  });

  it('carries its embedded refunds on the order event, mapped against it', () => {
    const event = channel.parse('orders/updated', documentedOrder());
    expect(event).toMatchObject({ type: 'order', refunds: [{ refundId: '509562969', orderId: '450789469', amount: 20_900 }] });
  });

  it('takes the order and sets aside only a carried refund that does not map (paid in another currency)', () => {
    const body = documentedOrder();
    const foreign = structuredClone(body.refunds[0]);
    foreign.id = 509562970;
    foreign.transactions[0].currency = 'EUR';
    body.refunds.push(foreign);
    const event = channel.parse('orders/updated', body);
    expect(event).toMatchObject({ type: 'order', order: { orderId: '450789469' }, refunds: [{ refundId: '509562969', amount: 20_900 }] });
    if (event.type !== 'order') return;
    expect(event.refunds).toHaveLength(1);
    expect(event.rejectedRefunds).toEqual([
      { refundId: '509562970', path: '$.refunds[1].transactions[0].currency', reason: expect.stringContaining('paid in EUR'), body: foreign },
    ]);
  });

  it('is no payment while only authorized: money reserved is not money taken', () => {
    const authorized = { ...documentedOrder(), financial_status: 'authorized' };
    expect(mapOrder(authorized).payment).toBeUndefined();
  });
});

describe("Shopify's documented transactions", () => {
  it('takes a capture as money taken and an authorization as money reserved only; refunds are left to the refunds', () => {
    const body = vendorExample('shopify/admin-rest-2026-07/transactions-list.json');
    expect(channel.paymentTransactions(body, { currency: 'USD' })).toEqual([
      { id: '389404469', method: 'bogus', amount: 59_894, transactionId: 'authorization-key', captured: false, capturedAt: '2005-08-01T11:57:11-04:00' },
      { id: '801038806', method: 'bogus', amount: 25_094, transactionId: 'authorization-key', captured: true, capturedAt: '2005-08-05T10:22:51-04:00' },
    ]);
  });

  it('refuses transactions in another currency than the order is booked in (they must be asked in_shop_currency)', () => {
    const body = vendorExample('shopify/admin-rest-2026-07/transactions-list.json');
    expect(() => channel.paymentTransactions(body, { currency: 'DKK' })).toThrow(/\$\.transactions\[1\]\.currency: is USD/);
  });

  it('books a gift card + card order per captured transaction: the gift card against its liability, the card on its receivable', () => {
    const body = edit(dk);
    body.payment_gateway_names = ['gift_card', 'quickpay'];
    const order = mapOrder(body);
    const transactions = channel.paymentTransactions(vendorExample('shopify/split-payment/transactions-gift-card-quickpay.json'), order);
    expect(transactions.map((t) => [t.method, t.amount, t.captured])).toEqual([['gift_card', 20_000, true], ['quickpay', 58_630, false], ['quickpay', 58_630, true]]);
    const plan = planOrder({ ...order, payment: { ...order.payment!, transactions } }, usMapping);
    expect(plan.paymentError).toBeUndefined();
    expect(plan.payment).toMatchObject({ reference: order.orderId, acquirer: 'quickpay', receivableAccount: '5815', amount: 58_630, transactionId: '412345678', date: '2026-03-06' });
    expect(plan.otherPayments).toEqual([expect.objectContaining({ reference: `${order.orderId}:6100000000001`, acquirer: 'gift_card', receivableAccount: '6900', amount: 20_000 })]);
  });
});

describe('Shopify orders as the documents say they come', () => {
  it('books an order that names no gateway ([""] or []); only its payment waits as unmapped_payment_method', () => {
    for (const names of [[''], []]) {
      const body = edit(dk);
      body.payment_gateway_names = names;
      body.gateway = '';
      const order = mapOrder(body);
      expect(order.payment).toEqual({ method: 'unnamed', amount: 78_630 });
      const plan = planOrder(order, usMapping);
      expect(plan.invoice.total).toBe(78_630);
      expect(plan.payment).toBeUndefined();
      expect(plan.paymentError).toEqual({ code: 'unmapped_payment_method', details: { method: 'unnamed' } });
    }
  });

  it('never books a gift card + card payment as one card payment: without its transactions the invoice books, the payment waits with the reason', () => {
    const body = edit(dk);
    body.payment_gateway_names = ['gift_card', 'quickpay'];
    const order = mapOrder(body);
    // The card is the method: what a refund goes back through.
    expect(order.payment).toEqual({ method: 'quickpay', amount: 78_630, splitMethods: ['gift_card', 'quickpay'] });
    const plan = planOrder(order, usMapping);
    expect(plan.invoice.total).toBe(78_630);
    expect(plan.payment).toBeUndefined();
    expect(plan.paymentError).toEqual({ code: 'split_payment_unsupported', details: { methods: ['gift_card', 'quickpay'], amount: 78_630 } });
  });

  it('makes tips and duties lines of their own, so total_price adds up', () => {
    const body = edit(dk);
    body.total_tip_received = '20.00';
    body.original_total_duties_set = { shop_money: { amount: '35.50', currency_code: 'DKK' }, presentment_money: { amount: '35.50', currency_code: 'DKK' } };
    body.total_price = '841.80';
    body.total_price_set.shop_money.amount = '841.80';
    const order = mapOrder(body);
    expect(order.lines.slice(-2)).toEqual([
      { kind: 'tip', description: 'Tip', quantity: 1, unitPrice: 2_000, discount: 0, vatRate: 0 },
      { kind: 'duty', description: 'Duties', quantity: 1, unitPrice: 3_550, discount: 0, vatRate: 0 },
    ]);
    const plan = planOrder(order, usMapping);
    expect(plan.invoice.rounding).toBe(0);
    expect(plan.invoice.voucher.lines).toEqual(expect.arrayContaining([expect.objectContaining({ account: '6910', amount: -2_000 }), expect.objectContaining({ account: '6920', amount: -3_550 })]));
    expect(() => planOrder(order, { ...usMapping, tipsAccount: undefined })).toThrow(/missing_account/);
  });

  it('takes an order-level shipping discount from discount_allocations when discounted_price does not show it', () => {
    const body = edit(dk);
    // A free-shipping code: discounted_price still 49.00 (older payloads), the 49.00 allocated to the line.
    body.shipping_lines[0].discounted_price = '49.00';
    body.shipping_lines[0].discounted_price_set = { shop_money: { amount: '49.00', currency_code: 'DKK' }, presentment_money: { amount: '49.00', currency_code: 'DKK' } };
    body.shipping_lines[0].discount_allocations = [{ amount: '49.00', amount_set: { shop_money: { amount: '49.00', currency_code: 'DKK' }, presentment_money: { amount: '49.00', currency_code: 'DKK' } }, discount_application_index: 1 }];
    body.shipping_lines[0].tax_lines = [];
    body.total_price = '737.30';
    body.total_price_set.shop_money.amount = '737.30';
    const order = mapOrder(body);
    expect(order.lines.some((l) => l.kind === 'shipping')).toBe(false);
    expect(planOrder(order, usMapping).invoice.rounding).toBe(0);
  });
});
