import { describe, expect, it } from 'vitest';
import { WooCommerceChannel, type ChannelEvent, type RefundContext } from '../../../src/adapters/channels';
import type { Order } from '../../../src/domain/order';
import { edit, expectCanonicalOrder, expectCanonicalRefund, fixture, payloadError, vendorExample } from './support';

const channel = new WooCommerceChannel({ secret: 'wc_webhook_secret' });
const dk = 'woocommerce/order-dk-coupon-fee.json';
const de = 'woocommerce/order-de-free-shipping.json';
const refundFixture = 'woocommerce/refund-partial.json';

function orderOf(event: ChannelEvent): Order {
  if (event.type !== 'order') throw new Error(`expected an order event, got ${event.type}`);
  return event.order;
}
const mapOrder = (body: unknown, topic = 'order.created') => orderOf(channel.parse(topic, body));
const contextDk = (): RefundContext => channel.refundContext(fixture(dk).json);

describe('WooCommerce orders', () => {
  it('maps a Danish order with prices incl. VAT, a coupon, shipping and a payment fee', () => {
    const event = channel.parse('order.created', fixture(dk).json);
    expect(event).toEqual({
      type: 'order',
      order: {
        orderId: '1042',
        orderNumber: '1042',
        status: 'processing',
        createdAt: '2026-03-05T09:15:23Z',
        updatedAt: '2026-03-05T09:15:41Z',
        currency: 'DKK',
        pricesIncludeVat: true,
        customer: { name: 'Mette Hansen', email: 'mette.hansen@example.dk', externalId: '57' },
        deliveryCountry: 'DK',
        lines: [
          // The coupon is in the line totals: 2 × 149.00 less 10 % = 268.20 incl. VAT.
          { kind: 'goods', sku: 'SOCK-WOOL-GRY-3942', description: 'Uldsokker – Grå, 39-42', quantity: 2, unitPrice: 14_900, discount: 2_980, vatRate: 25 },
          { kind: 'goods', sku: 'HAT-KNIT-NVY', description: 'Strikhue', quantity: 1, unitPrice: 29_900, discount: 2_990, vatRate: 25 },
          { kind: 'shipping', description: 'GLS Pakkeshop', quantity: 1, unitPrice: 4_900, discount: 0, vatRate: 25 },
          { kind: 'payment_fee', description: 'Betalingsgebyr', quantity: 1, unitPrice: 1_500, discount: 0, vatRate: 25 },
        ],
        total: 60_130,
        payment: { method: 'quickpay', transactionId: '412345001', amount: 60_130, capturedAt: '2026-03-05T09:15:40Z' },
      },
      lineRefs: ['line_item:311', 'line_item:312', 'shipping_line:313', 'fee_line:314'],
    });
    expectCanonicalOrder(orderOf(event));
  });

  it('maps a German order with prices excl. VAT, a rate read from the amounts, and free shipping left out', () => {
    const order = mapOrder(fixture(de).json, 'order.updated');
    expect(order).toEqual({
      orderId: '1043',
      orderNumber: '1043',
      status: 'completed',
      createdAt: '2026-03-06T17:40:02Z',
      updatedAt: '2026-03-07T08:12:30Z',
      currency: 'DKK',
      pricesIncludeVat: false,
      customer: { name: 'Jonas Becker', email: 'jonas.becker@example.de' },
      deliveryCountry: 'DE',
      // 1000.00 for 3 has no unit price in øre: 333.34 each, 0.02 off, so the line is exactly 1000.00.
      lines: [{ kind: 'goods', sku: 'THROW-WOOL-NAT', description: 'Uldplaid – Natur', quantity: 3, unitPrice: 33_334, discount: 2, vatRate: 19 }],
      total: 119_000,
      payment: { method: 'stripe', transactionId: 'pi_3QxV7c2eZvKYlo2C1a2b3c4d', amount: 119_000, capturedAt: '2026-03-06T17:40:09Z' },
    });
    expectCanonicalOrder(order);
  });

  it('books an unpaid order without a payment, and lists the refunds an updated order names', () => {
    const onHold = edit(dk);
    onHold.status = 'on-hold';
    onHold.payment_method = 'bacs';
    onHold.transaction_id = '';
    onHold.date_paid = null;
    onHold.date_paid_gmt = null;
    expect(mapOrder(onHold)).toMatchObject({ status: 'on-hold' });
    expect(mapOrder(onHold).payment).toBeUndefined();

    const refunded = edit(dk);
    refunded.refunds = [{ id: 2201, reason: 'Forkert størrelse', total: '-134.10' }];
    expect(channel.parse('order.updated', refunded)).toMatchObject({ type: 'order', refundIds: ['2201'] });
  });

  it('makes a fee goods unless it is a payment surcharge, and keeps a negative fee as a discount line', () => {
    const body = edit(dk);
    body.fee_lines = [
      { id: 320, name: 'Gaveindpakning', total: '16.00', total_tax: '4.00', taxes: [{ id: 1, total: '4.00', subtotal: '' }] },
      { id: 321, name: 'Loyalitetsrabat', total: '-16.00', total_tax: '-4.00', taxes: [{ id: 1, total: '-4.00', subtotal: '' }] },
    ];
    const lines = mapOrder(body).lines.slice(3);
    expect(lines).toEqual([
      { kind: 'goods', description: 'Gaveindpakning', quantity: 1, unitPrice: 2_000, discount: 0, vatRate: 25 },
      { kind: 'goods', description: 'Loyalitetsrabat', quantity: 1, unitPrice: -2_000, discount: 0, vatRate: 25 },
    ]);
    const custom = new WooCommerceChannel({ secret: 's', paymentFeePattern: /^Gaveindpakning$/ });
    expect(orderOf(custom.parse('order.created', body)).lines[3]!.kind).toBe('payment_fee');
  });

  it('reads a VAT number that an EU VAT plugin stored in the order meta, and billing when there is no shipping address', () => {
    const b2b = edit(de);
    b2b.billing.company = 'Becker Wohnen GmbH';
    b2b.billing.first_name = '';
    b2b.billing.last_name = '';
    b2b.shipping.country = '';
    b2b.billing.country = 'at';
    b2b.meta_data = [{ id: 1, key: '_billing_vat_number', value: 'ATU12345678' }];
    expect(mapOrder(b2b)).toMatchObject({ customer: { name: 'Becker Wohnen GmbH', vatNumber: 'ATU12345678' }, deliveryCountry: 'AT' });
  });

  it('rounds amounts given with more decimals than the currency has (dp=4)', () => {
    const body = edit(de);
    body.line_items[0].subtotal = '1000.0049';
    body.line_items[0].total = '1000.0049';
    body.total = '1190.0000';
    expect(mapOrder(body)).toMatchObject({ total: 119_000, lines: [{ unitPrice: 33_334, discount: 2 }] });
  });

  it('ignores topics it does not book', () => {
    expect(channel.parse('order.deleted', { id: 1042 })).toEqual({ type: 'ignored', reason: 'topic order.deleted is not booked' });
    expect(channel.parse('product.updated', {})).toMatchObject({ type: 'ignored' });
  });

  it('rejects payloads that do not map, naming the JSON path', () => {
    const noTotal = edit(dk);
    delete noTotal.line_items[1].total;
    expect(payloadError(() => mapOrder(noTotal))).toEqual({ path: '$.line_items[1].total', reason: 'is missing' });

    const badAmount = edit(dk);
    badAmount.shipping_lines[0].total = 'gratis';
    expect(payloadError(() => mapOrder(badAmount))).toEqual({ path: '$.shipping_lines[0].total', reason: '"gratis" is not a decimal number' });

    const noDate = edit(dk);
    noDate.date_created_gmt = null;
    expect(payloadError(() => mapOrder(noDate)).path).toBe('$.date_created_gmt');

    const taxWithoutAmount = edit(de);
    taxWithoutAmount.line_items[0].total = '0.00';
    taxWithoutAmount.tax_lines = [];
    expect(payloadError(() => mapOrder(taxWithoutAmount)).path).toBe('$.line_items[0]');

    const paidWithoutMethod = edit(dk);
    paidWithoutMethod.payment_method = '';
    expect(payloadError(() => mapOrder(paidWithoutMethod)).path).toBe('$');

    expect(payloadError(() => mapOrder('webhook_id=3')).reason).toMatch(/expected an object/);
  });
});

describe('WooCommerce refunds', () => {
  it('maps a refund object from the REST API to the refunded line', () => {
    const event = channel.parseRefund(fixture(refundFixture).json, contextDk());
    expect(event).toEqual({
      type: 'refund',
      refund: {
        refundId: '2201',
        orderId: '1042',
        createdAt: '2026-03-12T13:02:11Z',
        currency: 'DKK',
        lines: [{ lineIndex: 0, quantity: 1 }],
        amount: 13_410,
        reason: 'Forkert størrelse',
      },
    });
    if (event.type === 'refund') expectCanonicalRefund(event.refund);
  });

  it("marks WooCommerce's documented refund (refunded_payment false: paid back by hand) as paid outside the gateway", () => {
    const order = vendorExample('woocommerce/order-get.json');
    const event = channel.parseRefund(vendorExample('woocommerce/refund-get.json'), channel.refundContext(order));
    expect(event).toMatchObject({ type: 'refund', refund: { refundId: '726', orderId: '727', amount: 1_000, outsideGateway: true } });
    if (event.type === 'refund') expectCanonicalRefund(event.refund);
    // Through the gateway's API (true), or a store that does not say: from the acquirer's receivable as before.
    expect(channel.parseRefund(fixture(refundFixture).json, contextDk())).toMatchObject({ refund: { refundId: '2201' } });
    expect(channel.parseRefund(fixture(refundFixture).json, contextDk())).not.toHaveProperty('refund.outsideGateway');
  });

  it('includes refunded shipping and fee lines, and makes a custom amount an amount refund', () => {
    const withShipping = edit(refundFixture);
    withShipping.amount = '198.10';
    withShipping.shipping_lines = [{ id: 2203, total: '-39.20', total_tax: '-9.80', meta_data: [{ key: '_refunded_item_id', value: '313' }] }];
    withShipping.fee_lines = [{ id: 2204, total: '-12.00', total_tax: '-3.00', meta_data: [{ key: '_refunded_item_id', value: 314 }] }];
    expect(channel.parseRefund(withShipping, contextDk())).toMatchObject({
      refund: { amount: 19_810, lines: [{ lineIndex: 0, quantity: 1 }, { lineIndex: 2, quantity: 1 }, { lineIndex: 3, quantity: 1 }] },
    });

    const amountOnly = edit(refundFixture);
    amountOnly.amount = '50.00';
    amountOnly.line_items = [];
    const event = channel.parseRefund(amountOnly, contextDk());
    expect(event).toMatchObject({ type: 'refund', refund: { amount: 5_000 } });
    expect(event.type === 'refund' && event.refund.lines).toBeFalsy();
  });

  it('ignores a refund of nothing and rejects a malformed one with its path', () => {
    const zero = edit(refundFixture);
    zero.amount = '0.00';
    expect(channel.parseRefund(zero, contextDk())).toEqual({ type: 'ignored', reason: 'the refund is of no amount' });

    const noAmount = edit(refundFixture);
    delete noAmount.amount;
    expect(payloadError(() => channel.parseRefund(noAmount, contextDk()))).toEqual({ path: '$.amount', reason: 'is missing' });

    const badQuantity = edit(refundFixture);
    badQuantity.line_items[0].quantity = '-1';
    expect(payloadError(() => channel.parseRefund(badQuantity, contextDk())).path).toBe('$.line_items[0].quantity');
  });
});
