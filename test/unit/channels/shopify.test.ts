import { describe, expect, it } from 'vitest';
import { RefundContextRequiredError, ShopifyChannel, type ChannelEvent, type RefundContext } from '../../../src/adapters/channels';
import type { Order } from '../../../src/domain/order';
import { edit, expectCanonicalOrder, expectCanonicalRefund, fixture, payloadError, type Json } from './support';

const channel = new ShopifyChannel({ secret: 'shpss_test_secret' });
const dk = 'shopify/order-dk-discount-giftcard.json';
const de = 'shopify/order-de-eur-free-shipping.json';
const refundFixture = 'shopify/refund-partial.json';

function orderOf(event: ChannelEvent): Order {
  if (event.type !== 'order') throw new Error(`expected an order event, got ${event.type}`);
  return event.order;
}
const mapOrder = (body: unknown, topic = 'orders/create') => orderOf(channel.parse(topic, body));
const contextDk = (): RefundContext => channel.refundContext(fixture(dk).json);

describe('Shopify orders', () => {
  it('maps a Danish tax-inclusive order with a discount code, a gift card and paid shipping', () => {
    const event = channel.parse('orders/create', fixture(dk).json);
    expect(event).toEqual({
      type: 'order',
      order: {
        orderId: '5512345678901',
        orderNumber: '#1042',
        status: 'paid',
        createdAt: '2026-03-05T10:15:23+01:00',
        updatedAt: '2026-03-05T10:15:41+01:00',
        currency: 'DKK',
        pricesIncludeVat: true,
        customer: { name: 'Mette Hansen', email: 'mette.hansen@example.dk', externalId: '7012345678901' },
        deliveryCountry: 'DK',
        lines: [
          { kind: 'goods', sku: 'SOCK-WOOL-GRY-3942', description: 'Uldsokker - Grå / 39-42', quantity: 2, unitPrice: 14_900, discount: 2_980, vatRate: 25, vat: 5_364 },
          { kind: 'goods', sku: 'HAT-KNIT-NVY', description: 'Strikhue', quantity: 1, unitPrice: 29_900, discount: 2_990, vatRate: 25, vat: 5_382 },
          { kind: 'gift_card', description: 'Gavekort - 200 kr.', quantity: 1, unitPrice: 20_000, discount: 0, vatRate: 0 },
          { kind: 'shipping', description: 'GLS Pakkeshop', quantity: 1, unitPrice: 4_900, discount: 0, vatRate: 25, vat: 980 },
        ],
        total: 78_630,
        payment: { method: 'quickpay', amount: 78_630 },
      },
      lineRefs: ['line_item:13245678901001', 'line_item:13245678901002', 'line_item:13245678901003', 'shipping_line:4455667701'],
    });
    expectCanonicalOrder(orderOf(event));
  });

  it('books a German order paid in EUR in the shop currency, with German VAT and free shipping left out', () => {
    const order = mapOrder(fixture(de).json, 'orders/paid');
    expect(order).toEqual({
      orderId: '5512345678902',
      orderNumber: '#1043',
      status: 'paid',
      createdAt: '2026-03-06T18:40:02+01:00',
      updatedAt: '2026-03-06T18:40:09+01:00',
      currency: 'DKK',
      pricesIncludeVat: true,
      customer: { name: 'Jonas Becker', email: 'jonas.becker@example.de', externalId: '7012345678902' },
      deliveryCountry: 'DE',
      lines: [{ kind: 'goods', sku: 'THROW-WOOL-NAT', description: 'Uldplaid - Natur', quantity: 1, unitPrice: 74_600, discount: 0, vatRate: 19, vat: 11_911 }],
      total: 74_600,
      payment: { method: 'shopify_payments', amount: 74_600 },
    });
    expectCanonicalOrder(order);
  });

  it('reads the plain fields when a payload has no *_set amounts', () => {
    const body = edit(dk);
    const strip = (o: Json) => {
      for (const key of Object.keys(o)) {
        if (key.endsWith('_set')) delete o[key];
        else if (o[key] && typeof o[key] === 'object') strip(o[key]);
      }
    };
    strip(body);
    expect(mapOrder(body)).toEqual(mapOrder(fixture(dk).json));
  });

  it('takes the status from cancelled_at and financial_status; only paid orders carry a payment, not an authorization', () => {
    const cancelled = edit(dk);
    cancelled.cancelled_at = '2026-03-05T12:00:00+01:00';
    cancelled.financial_status = 'refunded';
    expect(mapOrder(cancelled, 'orders/cancelled')).toMatchObject({ status: 'cancelled', payment: { method: 'quickpay', amount: 78_630 } });

    const pending = edit(dk);
    pending.financial_status = 'pending';
    pending.gateway = 'Bank Deposit';
    pending.payment_gateway_names = ['Bank Deposit'];
    const order = mapOrder(pending);
    expect(order.status).toBe('pending');
    expect(order.payment).toBeUndefined();

    const authorized = edit(dk);
    authorized.financial_status = 'authorized';
    authorized.payment_gateway_names = ['MobilePay'];
    // Reserved, not captured: an authorization that is never captured is no payment.
    expect(mapOrder(authorized).payment).toBeUndefined();
  });

  it('falls back to the billing country, then to the configured home country', () => {
    const billingOnly = edit(dk);
    billingOnly.shipping_address = null;
    billingOnly.billing_address.country_code = 'se';
    expect(mapOrder(billingOnly).deliveryCountry).toBe('SE');

    const none = edit(dk);
    delete none.shipping_address;
    delete none.billing_address;
    expect(payloadError(() => mapOrder(none)).path).toBe('$');
    expect(orderOf(new ShopifyChannel({ secret: 's', homeCountry: 'DK' }).parse('orders/create', none)).deliveryCountry).toBe('DK');
  });

  it('names a guest after the billing address, and keeps an invalid e-mail off the order', () => {
    const guest = edit(dk);
    guest.customer = null;
    guest.email = 'not-an-email';
    guest.contact_email = null;
    expect(mapOrder(guest).customer).toEqual({ name: 'Mette Hansen' });
  });

  it('ignores test orders and topics it does not book', () => {
    const test = edit(dk);
    test.test = true;
    expect(channel.parse('orders/create', test)).toEqual({ type: 'ignored', reason: 'test order' });
    expect(channel.parse('orders/fulfilled', fixture(dk).json)).toEqual({ type: 'ignored', reason: 'topic orders/fulfilled is not booked' });
    expect(channel.parse('products/update', {})).toMatchObject({ type: 'ignored' });
  });

  it('maps the refunds an orders/updated payload carries whole, so none has to be fetched from the store', () => {
    const updated = edit(dk);
    updated.refunds = [fixture(refundFixture).json];
    const event = channel.parse('orders/updated', updated);
    expect(event).toMatchObject({ type: 'order', refunds: [{ refundId: '9876543210001', orderId: '5512345678901', amount: 13_410 }] });
    expect(event).not.toHaveProperty('refundIds');
    expect(channel.refundsOf(updated)).toEqual([expect.objectContaining({ refundId: '9876543210001', amount: 13_410 })]);
  });

  it('rejects payloads that do not map, naming the JSON path', () => {
    const noPrice = edit(dk);
    delete noPrice.line_items[1].price_set;
    delete noPrice.line_items[1].price;
    expect(payloadError(() => mapOrder(noPrice))).toEqual({ path: '$.line_items[1].price', reason: 'is missing' });

    const badDecimal = edit(dk);
    badDecimal.line_items[0].price_set.shop_money.amount = '149,00';
    expect(payloadError(() => mapOrder(badDecimal))).toEqual({ path: '$.line_items[0].price_set.shop_money.amount', reason: '"149,00" is not a decimal number' });

    const tooPrecise = edit(dk);
    tooPrecise.total_price_set.shop_money.amount = '786.305';
    expect(payloadError(() => mapOrder(tooPrecise))).toEqual({ path: '$.total_price_set.shop_money.amount', reason: '"786.305" has more than 2 decimals' });

    const wrongCurrency = edit(dk);
    wrongCurrency.line_items[0].price_set.shop_money.currency_code = 'EUR';
    expect(payloadError(() => mapOrder(wrongCurrency)).path).toBe('$.line_items[0].price_set.shop_money.currency_code');

    const noQuantity = edit(dk);
    noQuantity.line_items[2].quantity = 0;
    expect(payloadError(() => mapOrder(noQuantity)).path).toBe('$.line_items[2].quantity');

    const noLines = edit(dk);
    noLines.line_items = [];
    expect(payloadError(() => mapOrder(noLines))).toEqual({ path: '$.line_items', reason: 'an order needs at least one line item' });

    const badRate = edit(dk);
    badRate.line_items[0].tax_lines[0].rate = '25%';
    expect(payloadError(() => mapOrder(badRate)).path).toBe('$.line_items[0].tax_lines[0].rate');

    const hugeId = edit(dk);
    hugeId.line_items[0].id = 2 ** 60;
    expect(payloadError(() => mapOrder(hugeId)).reason).toMatch(/above 2\^53/);

    expect(payloadError(() => mapOrder([]))).toEqual({ path: '$', reason: 'expected an object, got an array' });
    expect(payloadError(() => mapOrder({ ...(fixture(dk).json as object), currency: 'kroner' })).path).toBe('$.currency');
  });

  it('takes the order id from admin_graphql_api_id when the numeric id lost digits in JSON', () => {
    const big = edit(dk);
    big.id = 820982911946154500;
    big.admin_graphql_api_id = 'gid://shopify/Order/820982911946154508';
    expect(mapOrder(big).orderId).toBe('820982911946154508');
  });

  it('respects currencies without minor units (JPY)', () => {
    const jpy = edit(de);
    jpy.currency = 'JPY';
    jpy.presentment_currency = 'JPY';
    const yen = (amount: string) => ({ shop_money: { amount, currency_code: 'JPY' }, presentment_money: { amount, currency_code: 'JPY' } });
    jpy.line_items[0].price_set = yen('12800');
    jpy.line_items[0].tax_lines = [{ title: '消費税', price: '1164', rate: 0.1, price_set: yen('1164') }];
    jpy.shipping_lines = [];
    jpy.total_price_set = yen('12800.00');
    jpy.shipping_address.country_code = 'JP';
    const order = mapOrder(jpy);
    expect(order).toMatchObject({ currency: 'JPY', total: 12_800, lines: [{ unitPrice: 12_800, vatRate: 10 }] });
    expectCanonicalOrder(order);
  });
});

describe('Shopify refunds', () => {
  it('maps a partial refund to the refunded line, with the money returned and the gateway reference', () => {
    const event = channel.parse('refunds/create', fixture(refundFixture).json, contextDk());
    expect(event).toEqual({
      type: 'refund',
      refund: {
        refundId: '9876543210001',
        orderId: '5512345678901',
        createdAt: '2026-03-12T14:02:11+01:00',
        currency: 'DKK',
        lines: [{ lineIndex: 0, quantity: 1 }],
        amount: 13_410,
        transactionId: '412345678',
        reason: 'Forkert størrelse',
      },
    });
    if (event.type === 'refund') expectCanonicalRefund(event.refund);
  });

  it('includes a refunded shipping line', () => {
    const body = edit(refundFixture);
    body.refund_shipping_lines = [{ id: 55001, shipping_line_id: 4455667701, subtotal_amount_set: { shop_money: { amount: '49.00', currency_code: 'DKK' } } }];
    body.transactions[0].amount = '183.10';
    expect(channel.parseRefund(body, contextDk())).toMatchObject({
      type: 'refund',
      refund: { amount: 18_310, lines: [{ lineIndex: 0, quantity: 1 }, { lineIndex: 3, quantity: 1 }] },
    });
  });

  it('passes a refund whose lines do not account for the money on as an amount', () => {
    // Refunded less than the line's price (a refund_discrepancy adjustment): a credit note per line would be wrong.
    const less = edit(refundFixture);
    less.transactions[0].amount = '100.00';
    less.order_adjustments = [{ id: 1, kind: 'refund_discrepancy', amount: '34.10', tax_amount: '0.00', reason: 'Refund discrepancy' }];
    const event = channel.parseRefund(less, contextDk());
    expect(event).toMatchObject({ type: 'refund', refund: { amount: 10_000 } });
    expect(event.type === 'refund' && event.refund.lines).toBeFalsy();

    // Two transactions (e.g. card and gift card) add up.
    const split = edit(refundFixture);
    split.transactions.push({ ...split.transactions[0], id: 7788990012, amount: '49.00', authorization: null });
    split.refund_shipping_lines = [{ id: 55001, shipping_line_id: 4455667701 }];
    expect(channel.parseRefund(split, contextDk())).toMatchObject({ refund: { amount: 18_310, transactionId: '412345678', lines: [{ lineIndex: 0 }, { lineIndex: 3 }] } });
  });

  it('ignores a refund that returned no money, and failed or non-refund transactions', () => {
    const restockOnly = edit(refundFixture);
    restockOnly.transactions = [{ ...restockOnly.transactions[0], status: 'failure' }, { ...restockOnly.transactions[0], kind: 'sale' }];
    expect(channel.parse('refunds/create', restockOnly, contextDk())).toEqual({ type: 'ignored', reason: 'the refund returned no money (restock or store credit only)' });
  });

  it('needs the order to resolve line ids, and refuses a context of another order or a foreign line', () => {
    const e = (() => {
      try {
        channel.parse('refunds/create', fixture(refundFixture).json);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(RefundContextRequiredError);
    expect(e).toMatchObject({ path: '$.order_id', orderId: '5512345678901' });

    const otherOrder = channel.refundContext(fixture(de).json);
    expect(payloadError(() => channel.parseRefund(fixture(refundFixture).json, otherOrder)).path).toBe('$.order_id');

    const foreign = edit(refundFixture);
    foreign.refund_line_items[0].line_item_id = 999;
    expect(payloadError(() => channel.parseRefund(foreign, contextDk()))).toEqual({ path: '$.refund_line_items[0].line_item_id', reason: 'is not a line of order 5512345678901' });
  });

  it('refuses a refund paid in another currency than the shop books in', () => {
    const eur = edit(refundFixture);
    eur.transactions[0].currency = 'EUR';
    expect(payloadError(() => channel.parseRefund(eur, contextDk())).path).toBe('$.transactions[0].currency');
  });
});
