import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderSchema, type Order, type OrderInput } from '../../../src/domain/order';
import { lineAmount, netAndVat, planOrder, roundingTolerance } from '../../../src/domain/plan-order';
import { planRefund } from '../../../src/domain/plan-refund';
import type { Voucher } from '../../../src/domain/posting';
import { regionOf } from '../../../src/domain/region';
import { balance, mapping, refund } from './fixtures';

type LineInput = OrderInput['lines'][number];

const kinds = fc.constantFrom('goods', 'goods', 'shipping', 'payment_fee', 'gift_card');
const quantity = fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50_000 }).map((n) => n / 1000));
const rawLine = fc.record({ kind: kinds, quantity, unitPrice: fc.integer({ min: 0, max: 2_000_000 }), discountShare: fc.integer({ min: 0, max: 100 }) });

/** A valid order: rates fitting the mapping for its region, a total within rounding of its lines, paid by card. */
const validOrder = fc
  .record({
    lines: fc.array(rawLine, { minLength: 1, maxLength: 12 }),
    country: fc.constantFrom('DK', 'DE', 'XI', 'NO', 'US'),
    inclusive: fc.boolean(),
    roundingSeed: fc.integer({ min: -1000, max: 1000 }),
    method: fc.constantFrom('dankort', 'visa', 'mobilepay'),
  })
  .map(({ lines, country, inclusive, roundingSeed, method }): Order => {
    const zeroRated = regionOf(mapping.homeCountry, country) === 'outsideEu';
    const fitted: LineInput[] = lines.map((l, i) => {
      // The mapping has one payment-fee code (S25) for every region; gift cards never carry VAT.
      const vatRate = l.kind === 'gift_card' ? 0 : l.kind === 'payment_fee' ? 25 : zeroRated ? 0 : 25;
      const gross = lineAmount({ quantity: l.quantity, unitPrice: l.unitPrice, discount: 0 });
      return { kind: l.kind, description: `Line ${i}`, quantity: l.quantity, unitPrice: l.unitPrice, discount: Math.floor((gross * l.discountShare) / 100), vatRate };
    });
    const linesTotal = fitted.reduce((a, l) => {
      const { net, vat } = netAndVat(lineAmount({ quantity: l.quantity, unitPrice: l.unitPrice, discount: l.discount ?? 0 }), l.vatRate, inclusive);
      return a + net + vat;
    }, 0);
    const tolerance = roundingTolerance(fitted.length);
    // Never below zero: a negative order total is refused at the door (money back is a refund).
    const total = Math.max(0, linesTotal + (roundingSeed % (tolerance + 1)));
    return orderSchema.parse({
      orderId: 'prop-1',
      orderNumber: '#1',
      status: 'paid',
      createdAt: '2026-11-02T10:00:00Z',
      currency: 'DKK',
      pricesIncludeVat: inclusive,
      customer: { name: 'Property Test' },
      deliveryCountry: country,
      lines: fitted,
      total,
      payment: { method, amount: total },
    } satisfies OrderInput);
  });

const wholeAmounts = (v: Voucher) => v.lines.every((l) => Number.isSafeInteger(l.amount) && !Object.is(l.amount, -0));

describe('posting plans for any valid order (properties)', () => {
  it('every invoice and payment voucher balances, and the invoice adds up to the shop total', () => {
    fc.assert(
      fc.property(validOrder, (o) => {
        const { invoice, payment } = planOrder(o, mapping);
        for (const v of [invoice.voucher, payment!.voucher]) {
          expect(balance(v)).toBe(0);
          expect(wholeAmounts(v)).toBe(true);
        }
        expect(invoice.lines.reduce((a, l) => a + l.net + l.vat, 0) + invoice.rounding).toBe(o.total);
        expect(Math.abs(invoice.rounding)).toBeLessThanOrEqual(roundingTolerance(o.lines.length));
        const vatLines = invoice.voucher.lines.filter((l) => l.text.startsWith('Output VAT'));
        expect(vatLines.reduce((a, l) => a - l.amount, 0)).toBe(invoice.lines.reduce((a, l) => a + l.vat, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('every refund plan balances and credits exactly the refunded amount', () => {
    fc.assert(
      fc.property(validOrder, fc.integer({ min: 1, max: 1_000_000 }), fc.nat(), (o, seed, alreadySeed) => {
        const { invoice } = planOrder(o, mapping);
        // An order whose lines are all free has nothing to spread a refund over (only its rounding øre).
        fc.pre(o.total > 0 && invoice.total - invoice.rounding > 0);
        const already = alreadySeed % o.total;
        const amount = 1 + (seed % (o.total - already));
        const p = planRefund(refund('prop-r', o.orderId, amount), o, mapping, already);
        expect(p.refundPayment).toBeDefined();
        for (const v of [p.creditNote.voucher, p.refundPayment!.voucher]) {
          expect(balance(v)).toBe(0);
          expect(wholeAmounts(v)).toBe(true);
        }
        expect(p.creditNote.total).toBe(amount);
        expect(p.creditNote.lines.reduce((a, l) => a + l.net + l.vat, 0) + p.creditNote.rounding).toBe(amount);
      }),
      { numRuns: 300 },
    );
  });

  it('a line refund of every line in full credits what the invoice booked', () => {
    fc.assert(
      fc.property(validOrder, (o) => {
        const { invoice } = planOrder(o, mapping);
        const linesTotal = invoice.total - invoice.rounding;
        fc.pre(linesTotal > 0 && linesTotal <= o.total);
        const lines = o.lines.map((l, lineIndex) => ({ lineIndex, quantity: l.quantity }));
        const p = planRefund(refund('prop-l', o.orderId, linesTotal, { lines }), o, mapping, 0);
        expect(p.creditNote.lines.map((l) => [l.net, l.vat])).toEqual(invoice.lines.map((l) => [l.net, l.vat]));
        expect(balance(p.creditNote.voucher)).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('partial amount refunds up to the total credit exactly the order', () => {
    fc.assert(
      fc.property(validOrder, fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }), (o, shares) => {
        const { invoice } = planOrder(o, mapping);
        fc.pre(o.total >= shares.length && invoice.total - invoice.rounding > 0);
        const weightSum = shares.reduce((a, b) => a + b, 0);
        let already = 0;
        let credited = 0;
        shares.forEach((s, i) => {
          const amount = i === shares.length - 1 ? o.total - already : Math.max(1, Math.floor((o.total * s) / weightSum));
          if (amount <= 0 || already + amount > o.total) return;
          const p = planRefund(refund(`prop-${i}`, o.orderId, amount), o, mapping, already);
          expect(balance(p.creditNote.voucher)).toBe(0);
          credited += p.creditNote.total;
          already += amount;
        });
        expect(credited).toBe(already);
        expect(already).toBeLessThanOrEqual(o.total);
      }),
      { numRuns: 200 },
    );
  });
});
