import { describe, expect, it } from 'vitest';
import type { Mapping } from '../../../src/domain/mapping';
import type { Order } from '../../../src/domain/order';
import { assertBalanced, lineAmount, planOrder } from '../../../src/domain/plan-order';
import { bookingError, line, mapping, order, pairs } from './fixtures';

const plan = (o: Order, m: Mapping = mapping) => planOrder(o, m);

describe('planOrder: the ARCHITECTURE.md example', () => {
  const orders = [order('1001', 10_000), order('1002', 20_000), order('1003', 20_000)];

  it('books each invoice as receivable against sales (goods, domestic) and output VAT', () => {
    expect(orders.map((o) => pairs(plan(o).invoice.voucher))).toEqual([
      [['5600', 10_000], ['1010', -8_000], ['7230', -2_000]],
      [['5600', 20_000], ['1010', -16_000], ['7230', -4_000]],
      [['5600', 20_000], ['1010', -16_000], ['7230', -4_000]],
    ]);
  });

  it('moves each payment from the customer to the Nets receivable', () => {
    expect(orders.map((o) => pairs(plan(o).payment!.voucher))).toEqual([
      [['5815', 10_000], ['5600', -10_000]],
      [['5815', 20_000], ['5600', -20_000]],
      [['5815', 20_000], ['5600', -20_000]],
    ]);
    const onNets = orders.flatMap((o) => plan(o).payment!.voucher.lines).filter((l) => l.account === '5815');
    expect(onNets.reduce((a, l) => a + l.amount, 0)).toBe(50_000);
  });

  it('describes the invoice and payment for the ledger', () => {
    const p = plan(orders[0]!);
    expect(p.invoice).toMatchObject({
      kind: 'invoice',
      reference: '1001',
      orderNumber: '#1001',
      currency: 'DKK',
      date: '2026-11-02',
      total: 10_000,
      rounding: 0,
      customer: { name: 'Jens Hansen', email: 'jens@example.dk' },
      lines: [{ description: 'Coffee mug', quantity: 1, account: '1010', vatCode: 'S25', vatRate: 25, net: 8_000, vat: 2_000 }],
    });
    expect(p.invoice.voucher.lines[1]).toMatchObject({ account: '1010', vatCode: 'S25' });
    expect(p.invoice.voucher.lines[2]!.vatCode).toBeUndefined(); // the VAT line is the VAT, it has no code of its own
    expect(p.payment).toEqual(
      expect.objectContaining({
        kind: 'payment',
        reference: '1001',
        documentReference: '1001',
        transactionId: 'txn-1001',
        acquirer: 'nets',
        receivableAccount: '5815',
        amount: 10_000,
        currency: 'DKK',
        date: '2026-11-02',
        orderId: '1001',
        orderNumber: '#1001',
      }),
    );
  });
});

describe('planOrder: accounts and VAT', () => {
  const withShipping = (country: string, vatRate = 25) =>
    order('s1', vatRate ? 12_500 : 10_000, {
      deliveryCountry: country,
      lines: [line(vatRate ? 5_000 : 4_000, { quantity: 2, vatRate }), line(vatRate ? 2_500 : 2_000, { kind: 'shipping', description: 'GLS parcel', vatRate })],
    });

  it('puts shipping on the shipping account with its own VAT, VAT aggregated per VAT code', () => {
    expect(pairs(plan(withShipping('DK')).invoice.voucher)).toEqual([['5600', 12_500], ['1010', -8_000], ['1110', -2_000], ['7230', -2_500]]);
  });

  it('credits VAT once per VAT code, on the account of each code', () => {
    const own: Mapping = {
      ...mapping,
      shipping: { ...mapping.shipping, domestic: { account: '1110', vatCode: 'S25F' } },
      vatCodes: { ...mapping.vatCodes, S25F: { rate: 25, account: '7231' } },
    };
    const v = plan(withShipping('DK'), own).invoice.voucher;
    expect(v.lines.slice(3).map((l) => [l.account, l.amount, l.text])).toEqual([
      ['7230', -2_000, 'Output VAT S25'],
      ['7231', -500, 'Output VAT S25F'],
    ]);
  });

  it('uses the EU accounts and codes for a delivery to another member state (and XI)', () => {
    for (const country of ['DE', 'SE', 'XI']) {
      const p = plan(withShipping(country));
      expect(p.invoice.lines.map((l) => [l.account, l.vatCode, l.net, l.vat])).toEqual([['1020', 'EU25', 8_000, 2_000], ['1120', 'EU25', 2_000, 500]]);
    }
  });

  it('books exports outside the EU zero-rated, with no VAT line', () => {
    for (const country of ['NO', 'GB', 'US', 'FO']) {
      const p = plan(withShipping(country, 0));
      expect(pairs(p.invoice.voucher)).toEqual([['5600', 10_000], ['1030', -8_000], ['1130', -2_000]]);
      expect(p.invoice.lines.map((l) => l.vatCode)).toEqual(['EXP0', 'EXP0']);
    }
  });

  it('refuses an export still charged with VAT, and a zero-rated line (EU B2B) on a 25 % code', () => {
    expect(bookingError(() => plan(withShipping('US')))).toEqual({ code: 'unmapped_vat_rate', details: { line: 0, rate: 25, place: 'outsideEu', vatCode: 'EXP0', codeRate: 0 } });
    expect(bookingError(() => plan(withShipping('DE', 0)))).toEqual({ code: 'unmapped_vat_rate', details: { line: 0, rate: 0, place: 'eu', vatCode: 'EU25', codeRate: 25 } });
  });

  it('refuses a VAT rate the mapped code does not carry, naming the line', () => {
    const books = order('v', 1_120, { lines: [line(1_000, { description: 'Mug' }), line(1_120, { description: 'Book', vatRate: 12 })], total: 2_120 });
    expect(bookingError(() => plan(books))).toEqual({ code: 'unmapped_vat_rate', details: { line: 1, rate: 12, place: 'domestic', vatCode: 'S25', codeRate: 25 } });
  });

  it('refuses a VAT code missing from the mapping', () => {
    const broken: Mapping = { ...mapping, goods: { ...mapping.goods, domestic: { account: '1010', vatCode: 'NOPE' } } };
    expect(bookingError(() => plan(order('c', 1_000), broken))).toMatchObject({ code: 'unmapped_vat_rate', details: { vatCode: 'NOPE', codeRate: null } });
  });

  it('accepts a rate that differs from the code only by float noise', () => {
    const p = plan(order('n', 1_000, { lines: [line(1_000, { vatRate: 0.25 * 100 + 1e-12 })] }));
    expect(p.invoice.lines[0]).toMatchObject({ vatCode: 'S25', vat: 200 });
  });

  it('books a payment fee on the fee-income account, and refuses it when the mapping has none', () => {
    const o = order('f', 10_500, { lines: [line(10_000), line(500, { kind: 'payment_fee', description: 'Card fee' })] });
    expect(pairs(plan(o).invoice.voucher)).toEqual([['5600', 10_500], ['1010', -8_000], ['1200', -400], ['7230', -2_100]]);
    const { paymentFee: _, ...withoutFee } = mapping;
    expect(bookingError(() => plan(o, withoutFee))).toEqual({ code: 'missing_account', details: { field: 'paymentFee', line: 1 } });
  });
});

describe('planOrder: gift cards', () => {
  it('books a gift card sold as a liability, without VAT and without a VAT code', () => {
    const p = plan(order('g', 50_000, { lines: [line(50_000, { kind: 'gift_card', description: 'Gift card', vatRate: 0 })] }));
    expect(pairs(p.invoice.voucher)).toEqual([['5600', 50_000], ['6900', -50_000]]);
    expect(p.invoice.lines[0]).toMatchObject({ account: '6900', vatCode: '', vat: 0 });
    expect(p.invoice.voucher.lines[1]).not.toHaveProperty('vatCode');
  });

  it('keeps the gift card out of sales next to ordinary goods', () => {
    const p = plan(order('g2', 60_000, { lines: [line(10_000), line(50_000, { kind: 'gift_card', description: 'Gift card', vatRate: 0 })] }));
    expect(pairs(p.invoice.voucher)).toEqual([['5600', 60_000], ['1010', -8_000], ['6900', -50_000], ['7230', -2_000]]);
  });

  it('refuses a gift card with VAT, or without a liability account', () => {
    const card = (vatRate: number) => order('g3', 500, { lines: [line(500, { kind: 'gift_card', vatRate })] });
    expect(bookingError(() => plan(card(25)))).toMatchObject({ code: 'unmapped_vat_rate', details: { line: 0, rate: 25, vatCode: '' } });
    const { giftCardAccount: _, ...withoutGiftCards } = mapping;
    expect(bookingError(() => plan(card(0), withoutGiftCards))).toEqual({ code: 'missing_account', details: { field: 'giftCardAccount', line: 0 } });
  });
});

describe('planOrder: line amounts', () => {
  it('adds VAT when prices exclude it', () => {
    const p = plan(order('x', 11_250, { pricesIncludeVat: false, lines: [line(6_000, { quantity: 1.5, description: 'Coffee by weight' })] }));
    expect(p.invoice.lines[0]).toMatchObject({ quantity: 1.5, net: 9_000, vat: 2_250 });
    expect(pairs(p.invoice.voucher)).toEqual([['5600', 11_250], ['1010', -9_000], ['7230', -2_250]]);
  });

  it('subtracts the line discount on the same VAT basis as the price', () => {
    const incl = plan(order('d', 8_000, { lines: [line(10_000, { discount: 2_000 })] }));
    expect(incl.invoice.lines[0]).toMatchObject({ net: 6_400, vat: 1_600 });
    const excl = plan(order('d2', 10_000, { pricesIncludeVat: false, lines: [line(5_000, { quantity: 2, discount: 2_000 })] }));
    expect(excl.invoice.lines[0]).toMatchObject({ net: 8_000, vat: 2_000 });
  });

  it('rounds a fractional quantity half away from zero, per line', () => {
    expect(lineAmount({ quantity: 2.5, unitPrice: 333, discount: 0 })).toBe(833); // 832.5
    expect(lineAmount({ quantity: 0.333, unitPrice: 1_234, discount: 0 })).toBe(411); // 410.922
    expect(lineAmount({ quantity: 0.1, unitPrice: 1_005, discount: 0 })).toBe(101); // 100.5 exactly, not 100.4999…
    expect(lineAmount({ quantity: 2.5, unitPrice: -333, discount: 0 })).toBe(-833);
    const p = plan(order('q', 833, { lines: [line(333, { quantity: 2.5 })] }));
    expect(p.invoice.lines[0]).toMatchObject({ net: 666, vat: 167 });
  });

  it('gives NaN, not an exception, for values that are no amounts (channel mappers validate afterwards)', () => {
    expect(lineAmount({ quantity: 1, unitPrice: Infinity, discount: 0 })).toBeNaN();
    expect(lineAmount({ quantity: 1e300, unitPrice: 1e6, discount: 0 })).toBeNaN();
  });

  it('books a free line as a zero line, not minus zero', () => {
    const p = plan(order('z', 10_000, { lines: [line(10_000), line(0, { kind: 'shipping', description: 'Free shipping' })] }));
    const free = p.invoice.voucher.lines.find((l) => l.account === '1110')!;
    expect(Object.is(free.amount, 0)).toBe(true);
  });
});

describe('planOrder: totals and rounding', () => {
  const thirds = [1, 2, 3].map((i) => line(3_333, { description: `Item ${i}` }));

  it('sends a difference within one øre per line to the rounding account', () => {
    const up = plan(order('r', 10_000, { lines: thirds }));
    expect(up.invoice.rounding).toBe(1);
    expect(up.invoice.voucher.lines.at(-1)).toEqual({ account: '3690', amount: -1, text: 'Rounding' }); // shop total higher: credit
    const down = plan(order('r2', 9_997, { lines: thirds }));
    expect(down.invoice.rounding).toBe(-2);
    expect(down.invoice.voucher.lines.at(-1)).toEqual({ account: '3690', amount: 2, text: 'Rounding' });
    expect(plan(order('r3', 10_002, { lines: thirds })).invoice.rounding).toBe(3);
  });

  it('refuses a difference beyond that, with the amounts', () => {
    expect(bookingError(() => plan(order('r4', 10_003, { lines: thirds })))).toEqual({
      code: 'totals_mismatch',
      details: { orderTotal: 10_003, linesTotal: 9_999, difference: 4, tolerance: 3 },
    });
    const one = [line(10_000)];
    expect(plan(order('r5', 10_001, { lines: one })).invoice.rounding).toBe(1);
    expect(bookingError(() => plan(order('r6', 10_002, { lines: one }))).code).toBe('totals_mismatch');
  });

  it('keeps the invoice total equal to its lines plus rounding', () => {
    const p = plan(order('r7', 10_000, { lines: thirds }));
    expect(p.invoice.lines.reduce((a, l) => a + l.net + l.vat, 0) + p.invoice.rounding).toBe(p.invoice.total);
  });
});

describe('planOrder: payments', () => {
  it('books the invoice of an order paid with an unmapped method, and keeps only its payment back, never guessing', () => {
    const p = plan(order('m', 1_000, { payment: { method: 'klarna', amount: 1_000 } }));
    expect(p.invoice.total).toBe(1_000);
    expect(p.payment).toBeUndefined();
    expect(p.paymentError).toEqual({ code: 'unmapped_payment_method', details: { method: 'klarna' } });
  });

  it('refuses a payment that differs from the order total', () => {
    expect(bookingError(() => plan(order('p', 1_000, { payment: { method: 'visa', amount: 900 } })))).toEqual({
      code: 'totals_mismatch',
      details: { orderTotal: 1_000, paymentAmount: 900, difference: 100 },
    });
  });

  it('uses the receivable of the payment method, and the capture date', () => {
    const p = plan(order('mp', 1_000, { payment: { method: 'mobilepay', amount: 1_000, capturedAt: '2026-11-03T08:00:00+01:00' } }));
    expect(pairs(p.payment!.voucher)).toEqual([['5817', 1_000], ['5600', -1_000]]);
    expect(p.payment).toMatchObject({ acquirer: 'vipps-mobilepay', date: '2026-11-03' });
    expect(p.payment).not.toHaveProperty('transactionId');
  });

  it('plans an unpaid order as an invoice only', () => {
    expect(plan(order('u', 1_000, { payment: undefined })).payment).toBeUndefined();
  });
});

describe('planOrder: dates and currency', () => {
  it('dates the invoice by the date part of createdAt, in the offset the shop gave', () => {
    const late = plan(order('t', 1_000, { createdAt: '2026-11-02T23:30:00-05:00' }));
    expect([late.invoice.date, late.invoice.voucher.date, late.payment!.date]).toEqual(['2026-11-02', '2026-11-02', '2026-11-02']);
  });

  it('keeps the order currency on every document', () => {
    const p = plan(order('e', 1_000, { currency: 'EUR', deliveryCountry: 'DE' }));
    expect([p.invoice.currency, p.invoice.voucher.currency, p.payment!.currency, p.payment!.voucher.currency]).toEqual(['EUR', 'EUR', 'EUR', 'EUR']);
  });
});

describe('assertBalanced', () => {
  const voucher = (...amounts: number[]) => ({ currency: 'DKK', date: '2026-11-02', text: 'Test', lines: amounts.map((amount) => ({ account: '1', amount, text: '' })) });

  it('passes a balanced voucher through', () => {
    const v = voucher(100, -60, -40);
    expect(assertBalanced(v)).toBe(v);
    expect(assertBalanced(voucher())).toEqual(voucher());
  });

  it('names the difference of an unbalanced one', () => {
    expect(() => assertBalanced(voucher(100, -99))).toThrow('voucher "Test" does not balance: debits 100, credits 99, difference 1');
  });

  it('refuses amounts that are not whole minor units', () => {
    expect(() => assertBalanced(voucher(0.5, -0.5))).toThrow(RangeError);
  });
});
