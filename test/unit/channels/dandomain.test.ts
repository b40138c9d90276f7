import { describe, expect, it } from 'vitest';
import { mapDandomainOrder } from '../../../src/adapters/channels/dandomain';
import { planOrder } from '../../../src/domain/plan-order';
import { danishMapping } from '../../support/fixtures';
import { payloadError, vendorExample } from './support';

/** Dandomain's order answer as documented (test/fixtures/vendors/dandomain/SOURCE.md). */
const documented = () => vendorExample('dandomain/order-get.json');

const mapped = (body: unknown) => {
  const event = mapDandomainOrder(body);
  if (event.type !== 'order') throw new Error(`expected an order, got ${event.type}`);
  return event;
};

describe('Dandomain order mapping (the documented example answer)', () => {
  it('maps the order, its line, shipping and payment fee, VAT, currency, dates and payment method', () => {
    const { order, lineRefs } = mapped(documented());
    expect(order).toMatchObject({
      orderId: '295591',
      orderNumber: '295591',
      status: 'Nye',
      // /Date(1509972409000+0100)/ is 2017-11-06T12:46:49Z, shown in the shop's +01:00.
      createdAt: '2017-11-06T13:46:49+01:00',
      updatedAt: '2017-11-06T13:47:03+01:00',
      currency: 'DKK',
      pricesIncludeVat: false,
      customer: { name: 'test 5', email: 'info@example.dk', externalId: '220739' },
      // The delivery address (Danmark), not the customer's (Belgium).
      deliveryCountry: 'DK',
      total: 15895,
      payment: { method: 'dandomain:60', amount: 15895, transactionId: '12345678998765431' },
    });
    expect(order.lines).toEqual([
      { kind: 'goods', sku: '4009249-0001-12', description: 'D-XEL - Matti T-shirt (Størrelse 0-16 år:152 cm - 12 år)', quantity: 1, unitPrice: 10396, discount: 0, vatRate: 25 },
      { kind: 'shipping', description: 'GLS pakkeshop', quantity: 1, unitPrice: 2900, discount: 0, vatRate: 25 },
      { kind: 'payment_fee', description: 'Betalingskort', quantity: 1, unitPrice: 3000, discount: 0, vatRate: 25 },
    ]);
    expect(lineRefs).toEqual(['order_line:1151610', 'shippingInfo:67', 'paymentInfo:60']);
  });

  it('takes a fee given incl. VAT with the VAT it was charged, and a line total below its price as the discount', () => {
    const body = documented();
    body.shippingInfo = { fee: 39, feeInclVat: true, id: 67, name: 'GLS pakkeshop' };
    body.orderLines = [{ id: 1, productId: 'SOCK', productName: 'Sokker', quantity: 3, unitPrice: 40, totalPrice: 100, vatPct: '25' }];
    const { order } = mapped(body);
    expect(order.lines[0]).toMatchObject({ quantity: 3, unitPrice: 4000, discount: 2000 });
    expect(order.lines[1]).toEqual({ kind: 'shipping', description: 'GLS pakkeshop', quantity: 1, unitPrice: 3120, discount: 0, vatRate: 25, vat: 780 });
  });

  it('uses the customer country when there is no delivery address, and ignores an incomplete checkout', () => {
    const body = documented();
    body.deliveryInfo = null;
    expect(mapped(body).order.deliveryCountry).toBe('BE');
    expect(mapDandomainOrder({ ...documented(), incomplete: true })).toEqual({ type: 'ignored', reason: 'order 295591 is incomplete (an unfinished checkout)' });
  });

  it('an unknown payment-method id books the sale and fails the payment with unmapped_payment_method naming the id', () => {
    // The example with its fees as they add up to its totalPrice: shipping 29 incl. VAT, no payment fee.
    const body = documented();
    body.shippingInfo = { fee: 29, feeInclVat: true, id: 67, name: 'GLS pakkeshop' };
    body.paymentInfo = { fee: 0, feeInclVat: false, id: 60, name: 'Betalingskort' };
    const { order } = mapped(body);
    const mapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, 'dandomain:61': { acquirer: 'nets', receivableAccount: '5815' } } };
    const plan = planOrder(order, mapping);
    expect(plan.paymentError).toEqual({ code: 'unmapped_payment_method', details: { method: 'dandomain:60' } });
    expect(plan.invoice).toBeDefined();
  });

  it('refuses what it cannot map with the path and reason', () => {
    expect(payloadError(() => mapDandomainOrder({ ...documented(), salesDiscount: 10 }))).toMatchObject({ path: '$.salesDiscount' });
    expect(payloadError(() => mapDandomainOrder({ ...documented(), giftCertificateAmount: 50 }))).toMatchObject({ path: '$.giftCertificateAmount' });
    expect(payloadError(() => mapDandomainOrder({ ...documented(), createdDate: '2017-11-06' }))).toMatchObject({ path: '$.createdDate', reason: expect.stringMatching(/not a date as Dandomain writes them/) });
    const body = documented();
    (body.deliveryInfo as Record<string, unknown>).country = 'Atlantis';
    expect(payloadError(() => mapDandomainOrder(body))).toMatchObject({ path: '$.deliveryInfo.country', reason: expect.stringMatching(/Atlantis/) });
    expect(payloadError(() => mapDandomainOrder({ ...documented(), vatPct: 'high' }))).toMatchObject({ path: '$.vatPct' });
    expect(payloadError(() => mapDandomainOrder({ ...documented(), orderLines: [] }))).toMatchObject({ path: '$.orderLines' });
  });
});
