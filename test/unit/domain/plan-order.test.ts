import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BookingError } from '../../../src/domain/errors';
import { orderSchema, type OrderInput } from '../../../src/domain/order';
import { lineAmount, netAndVat, planOrder } from '../../../src/domain/plan-order';
import type { Voucher } from '../../../src/domain/posting';
import { cardOrder, danishMapping } from '../../support/fixtures';

const plan = (o: OrderInput) => planOrder(orderSchema.parse(o), danishMapping);
const pairs = (v: Voucher) => v.lines.map((l) => [l.account, l.amount]).sort();
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof BookingError) return { code: e.code, details: e.details };
    throw e;
  }
  return null;
};

describe('planOrder', () => {
  it('books the DESIGN.md orders: receivable vs. sales and output VAT, then the payment to the acquirer', () => {
    for (const total of [10_000, 20_000]) {
      const p = plan(cardOrder('x', total));
      expect(pairs(p.invoice.voucher)).toEqual([['1010', -total * 0.8], ['5600', total], ['7230', -total * 0.2]]);
      expect(pairs(p.payment!.voucher)).toEqual([['5600', -total], ['5815', total]]);
      expect(p.payment).toMatchObject({ acquirer: 'nets', receivableAccount: '5815', transactionId: 'txn-x', amount: total });
    }
  });

  it('puts shipping on the shipping account with its own VAT, and chooses accounts by region', () => {
    const base = cardOrder('s', 12_500, {
      lines: [
        { kind: 'goods', description: 'Mug', quantity: 2, unitPrice: 5_000, vatRate: 25 },
        { kind: 'shipping', description: 'Parcel', quantity: 1, unitPrice: 2_500, vatRate: 25 },
      ],
    });
    expect(pairs(plan(base).invoice.voucher)).toEqual([['1010', -8_000], ['1110', -2_000], ['5600', 12_500], ['7230', -2_500]]);
    const eu = plan({ ...base, deliveryCountry: 'DE' });
    expect(eu.invoice.lines.map((l) => l.account)).toEqual(['1020', '1120']);
    const abroad = plan({
      ...base,
      deliveryCountry: 'US',
      total: 10_000,
      payment: { method: 'visa', amount: 10_000 },
      lines: base.lines.map((l) => ({ ...l, vatRate: 0, unitPrice: l.kind === 'goods' ? 4_000 : 2_000 })),
    });
    expect(abroad.invoice.lines.map((l) => [l.account, l.vatCode, l.vat])).toEqual([['1030', 'EXP0', 0], ['1130', 'EXP0', 0]]);
  });

  it('handles prices excluding VAT, discounts and fractional quantities', () => {
    const p = plan(
      cardOrder('d', 11_250, {
        pricesIncludeVat: false,
        lines: [{ kind: 'goods', description: 'Coffee by weight', quantity: 1.5, unitPrice: 6_000, discount: 0, vatRate: 25 }],
      }),
    );
    expect(p.invoice.lines[0]).toMatchObject({ net: 9_000, vat: 2_250 });
    const discounted = plan(cardOrder('e', 8_000, { lines: [{ kind: 'goods', description: 'Mug', quantity: 1, unitPrice: 10_000, discount: 2_000, vatRate: 25 }] }));
    expect(discounted.invoice.lines[0]).toMatchObject({ net: 6_400, vat: 1_600 });
  });

  it('sends a difference within one øre per line to the rounding account, and refuses larger ones', () => {
    const lines = [1, 2, 3].map((i) => ({ kind: 'goods' as const, description: `Item ${i}`, quantity: 1, unitPrice: 3_333, vatRate: 25 }));
    const p = plan(cardOrder('r', 10_000, { lines }));
    expect(p.invoice.rounding).toBe(1);
    expect(p.invoice.voucher.lines.find((l) => l.account === '3690')?.amount).toBe(-1);
    expect(codeOf(() => plan(cardOrder('r2', 10_500, { lines })))).toMatchObject({ code: 'totals_mismatch', details: { orderTotal: 10_500, linesTotal: 9_999 } });
  });

  it('refuses an unmapped payment method, an unmapped VAT rate and a payment that differs from the total', () => {
    expect(codeOf(() => plan(cardOrder('m', 1_000, { payment: { method: 'klarna', amount: 1_000 } })))).toEqual({ code: 'unmapped_payment_method', details: { method: 'klarna' } });
    expect(codeOf(() => plan(cardOrder('v', 1_000, { lines: [{ description: 'Book', quantity: 1, unitPrice: 1_000, vatRate: 12 }] })))?.code).toBe('unmapped_vat_rate');
    expect(codeOf(() => plan(cardOrder('p', 1_000, { payment: { method: 'visa', amount: 900 } })))?.code).toBe('totals_mismatch');
  });

  it('books a gift card sold as a liability without VAT', () => {
    const p = plan(cardOrder('g', 50_000, { lines: [{ kind: 'gift_card', description: 'Gift card', quantity: 1, unitPrice: 50_000, vatRate: 0 }] }));
    expect(pairs(p.invoice.voucher)).toEqual([['5600', 50_000], ['6900', -50_000]]);
    expect(codeOf(() => plan(cardOrder('g2', 500, { lines: [{ kind: 'gift_card', description: 'Gift card', quantity: 1, unitPrice: 500, vatRate: 25 }] })))?.code).toBe('unmapped_vat_rate');
  });

  it('plans an order without a payment as an invoice only', () => {
    const p = plan({ ...cardOrder('n', 1_000), payment: undefined });
    expect(p.payment).toBeUndefined();
  });

  it('balances every plan of any valid order', () => {
    const line = fc.record({
      kind: fc.constantFrom('goods' as const, 'shipping' as const),
      description: fc.constant('x'),
      quantity: fc.integer({ min: 1, max: 20 }),
      unitPrice: fc.integer({ min: 0, max: 1_000_000 }),
      discount: fc.constant(0),
      vatRate: fc.constantFrom(25, 0),
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 10 }), fc.constantFrom('DK', 'DE', 'US'), fc.boolean(), (lines, country, inclusive) => {
        const fitted = lines.map((l) => ({ ...l, vatRate: country === 'US' ? 0 : 25 }));
        const total = fitted.reduce((a, l) => {
          const { net, vat } = netAndVat(lineAmount(l), l.vatRate, inclusive);
          return a + net + vat;
        }, 0);
        const p = planOrder(orderSchema.parse({ ...cardOrder('f', total), lines: fitted, deliveryCountry: country, pricesIncludeVat: inclusive }), danishMapping);
        for (const v of [p.invoice.voucher, p.payment!.voucher]) expect(v.lines.reduce((a, l) => a + l.amount, 0)).toBe(0);
      }),
    );
  });
});
