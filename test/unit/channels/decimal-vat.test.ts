import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecimalError, decimalToMinor, fractionToPercent, inferVatRate } from '../../../src/adapters/channels';
import { priceFromTotals } from '../../../src/adapters/channels/mapping';
import { lineAmount } from '../../../src/domain/plan-order';

describe('decimalToMinor', () => {
  it('converts decimal strings exactly, respecting the currency’s minor digits', () => {
    expect(decimalToMinor('149.95', 2)).toBe(14_995);
    expect(decimalToMinor('0.1', 2)).toBe(10);
    expect(decimalToMinor('-5', 2)).toBe(-500);
    expect(decimalToMinor('+7.00', 2)).toBe(700);
    expect(decimalToMinor(' 12.30 ', 2)).toBe(1_230);
    expect(decimalToMinor('-0.00', 2)).toBe(0);
    expect(Object.is(decimalToMinor('-0.00', 2), -0)).toBe(false);
    expect(decimalToMinor('1500', 0)).toBe(1_500); // JPY
    expect(decimalToMinor('1500.00', 0)).toBe(1_500);
    expect(decimalToMinor('1.234', 3)).toBe(1_234); // KWD
    expect(decimalToMinor('90071992547409.91', 2)).toBe(9_007_199_254_740_991);
  });

  it('reads JSON numbers through their decimal form, never by multiplying floats', () => {
    // 1.005 * 100 is 100.49999999999999 in binary floating point; the string route is exact.
    expect(decimalToMinor(1.005, 3)).toBe(1_005);
    expect(decimalToMinor(134.1, 2)).toBe(13_410);
    expect(decimalToMinor(0.29, 2)).toBe(29);
  });

  it('refuses extra decimals unless asked to round (half away from zero)', () => {
    expect(() => decimalToMinor('1.005', 2)).toThrow(DecimalError);
    expect(decimalToMinor('1.0050', 3)).toBe(1_005);
    expect(decimalToMinor('10.000000', 2)).toBe(1_000);
    expect(decimalToMinor('1.005', 2, 'half-away-from-zero')).toBe(101);
    expect(decimalToMinor('1.0049', 2, 'half-away-from-zero')).toBe(100);
    expect(decimalToMinor('-1.005', 2, 'half-away-from-zero')).toBe(-101);
    expect(decimalToMinor('12.5', 0, 'half-away-from-zero')).toBe(13);
  });

  it('refuses what is not a plain decimal', () => {
    for (const bad of ['', '1,50', '1.2.3', '1e3', '.5', '5.', 'NaN', '0x10', '１２', null, undefined, true, [], {}, Number.NaN, Infinity, 1e21, 1e-7]) {
      expect(() => decimalToMinor(bad, 2)).toThrow(DecimalError);
    }
    expect(() => decimalToMinor('90071992547409.92', 2)).toThrow(/too large/);
  });

  it('is exact for every amount with at most the currency’s decimals (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom(0, 2, 3), (minor, digits) => {
        const sign = minor < 0 ? '-' : '';
        const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
        const text = digits === 0 ? `${sign}${abs}` : `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
        expect(decimalToMinor(text, digits)).toBe(minor);
      }),
    );
  });
});

describe('fractionToPercent', () => {
  it('turns Shopify’s fractional rates into percent without float noise', () => {
    expect(fractionToPercent(0.25)).toBe(25);
    expect(fractionToPercent(0.19)).toBe(19);
    expect(fractionToPercent(0.07)).toBe(7);
    expect(fractionToPercent('0.255')).toBe(25.5);
    expect(fractionToPercent(0.08875)).toBe(8.875);
    expect(fractionToPercent(0)).toBe(0);
  });
});

describe('inferVatRate', () => {
  it('finds the simplest rate that reproduces the rounded tax', () => {
    expect(inferVatRate(79_99, 20_00)).toBe(25); // 200/799 = 25.03 %, but 25 % of 79.99 is 20.00 once rounded
    expect(inferVatRate(100_000, 19_000)).toBe(19);
    expect(inferVatRate(10_000, 1_350)).toBe(13.5);
    expect(inferVatRate(10_000, 1_250)).toBe(12.5);
    expect(inferVatRate(1_000_000, 77_000)).toBe(7.7);
    expect(inferVatRate(-1_600, -400)).toBe(25);
  });

  it('prefers a rate the order states elsewhere, and says 0 for no tax', () => {
    expect(inferVatRate(4, 1)).toBe(25); // a tiny amount fits many rates; 25 is closest to 1/4
    expect(inferVatRate(3, 1, [25])).toBe(25); // 33 % would be closer, but the order uses 25 %
    expect(inferVatRate(1_000, 0)).toBe(0);
    expect(inferVatRate(0, 0)).toBe(0);
  });

  it('cannot tell from a zero amount or taxes of the other sign', () => {
    expect(inferVatRate(0, 100)).toBeUndefined();
    expect(inferVatRate(1_000, -250)).toBeUndefined();
  });

  it('recovers common EU rates from any line amount above 5 kroner, even without a stated rate (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 500, max: 10_000_000 }), fc.constantFrom(25, 19, 21, 20, 24, 10, 7, 5.5, 13.5, 6), (net, rate) => {
        const tax = Math.round((net * rate) / 100);
        const inferred = inferVatRate(net, tax);
        expect(inferred).toBe(rate);
      }),
    );
  });
});

describe('priceFromTotals', () => {
  it('gives a unit price and discount whose line amount is exactly the shop’s line total', () => {
    expect(priceFromTotals(100_000, 100_000, 3)).toEqual({ unitPrice: 33_334, discount: 2 });
    expect(priceFromTotals(29_800, 26_820, 2)).toEqual({ unitPrice: 14_900, discount: 2_980 });
    expect(priceFromTotals(-1_600, -1_600, 1)).toEqual({ unitPrice: -1_600, discount: 0 });
    fc.assert(
      fc.property(fc.integer({ min: -1e8, max: 1e8 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 500 }), (subtotal, off, quantity) => {
        const total = subtotal - off;
        const { unitPrice, discount } = priceFromTotals(subtotal, total, quantity);
        expect(discount).toBeGreaterThanOrEqual(0);
        expect(lineAmount({ quantity, unitPrice, discount })).toBe(total);
      }),
    );
  });
});
