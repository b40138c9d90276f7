import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addVat, divRound, ratePpm, sameRate, splitGross } from '../../../src/domain/vat';

const rates = fc.constantFrom(0, 5, 6, 8.875, 10, 12, 12.5, 15, 15.5, 19, 21, 24, 25, 25.5, 27, 100);

describe('splitGross', () => {
  it('splits 25 % out of a gross amount, VAT rounded, net the rest', () => {
    expect(splitGross(10_000, 25)).toEqual({ net: 8_000, vat: 2_000 });
    expect(splitGross(9_999, 25)).toEqual({ net: 7_999, vat: 2_000 }); // 1999.8 → 2000
    expect(splitGross(1, 25)).toEqual({ net: 1, vat: 0 });
    expect(splitGross(3, 25)).toEqual({ net: 2, vat: 1 }); // 0.6 → 1
    expect(splitGross(-10_000, 25)).toEqual({ net: -8_000, vat: -2_000 });
    expect(splitGross(0, 25)).toEqual({ net: 0, vat: 0 });
    expect(splitGross(1_000, 0)).toEqual({ net: 1_000, vat: 0 });
  });

  it('handles fractional rates exactly', () => {
    expect(splitGross(11_250, 12.5)).toEqual({ net: 10_000, vat: 1_250 });
    expect(splitGross(11_550, 15.5)).toEqual({ net: 10_000, vat: 1_550 });
    expect(splitGross(10_887_50, 8.875)).toEqual({ net: 10_000_00, vat: 887_50 });
  });

  it('rounds an exact half away from zero', () => {
    expect(splitGross(5, 100)).toEqual({ net: 2, vat: 3 });
    expect(splitGross(-5, 100)).toEqual({ net: -2, vat: -3 });
  });

  it('stays exact for amounts where gross × rate leaves the float range', () => {
    expect(splitGross(9_000_000_000_000_000, 25)).toEqual({ net: 7_200_000_000_000_000, vat: 1_800_000_000_000_000 });
  });

  it('never loses an øre: net + VAT is the gross, and the VAT is the exact VAT rounded (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), rates, (gross, rate) => {
        const { net, vat } = splitGross(gross, rate);
        expect(net + vat).toBe(gross);
        expect(Number.isSafeInteger(vat)).toBe(true);
        expect(Math.abs(vat - (gross * rate) / (100 + rate))).toBeLessThanOrEqual(0.5 + 1e-6);
        expect(splitGross(-gross, rate)).toEqual({ net: -net || 0, vat: -vat || 0 });
      }),
    );
  });
});

describe('addVat', () => {
  it('adds VAT to a net amount, rounded', () => {
    expect(addVat(8_000, 25)).toEqual({ net: 8_000, vat: 2_000, gross: 10_000 });
    expect(addVat(1, 25)).toEqual({ net: 1, vat: 0, gross: 1 });
    expect(addVat(2, 25)).toEqual({ net: 2, vat: 1, gross: 3 }); // 0.5 → 1
    expect(addVat(-2, 25)).toEqual({ net: -2, vat: -1, gross: -3 });
    expect(addVat(10_000, 12.5)).toEqual({ net: 10_000, vat: 1_250, gross: 11_250 });
    expect(addVat(1_000, 0)).toEqual({ net: 1_000, vat: 0, gross: 1_000 });
  });

  it('keeps four decimals of a rate (8.875 %), not just basis points', () => {
    expect(addVat(200_000, 8.875).vat).toBe(17_750);
  });

  it('gross is net + VAT and the VAT is within half a unit of exact (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), rates, (net, rate) => {
        const r = addVat(net, rate);
        expect(r.gross).toBe(r.net + r.vat);
        expect(Math.abs(r.vat - (net * rate) / 100)).toBeLessThanOrEqual(0.5 + 1e-6);
      }),
    );
  });
});

describe('rates', () => {
  it('turns percent into parts per million, dropping float noise only', () => {
    expect(ratePpm(25)).toBe(250_000);
    expect(ratePpm(0.255 * 100)).toBe(255_000); // 25.500000000000004
    expect(ratePpm(8.875)).toBe(88_750);
    expect(ratePpm(0)).toBe(0);
    expect(ratePpm(100)).toBe(1_000_000);
  });

  it('refuses rates that are no VAT rates', () => {
    for (const bad of [-1, 100.5, Number.NaN, Infinity, 33.333333]) expect(() => ratePpm(bad), String(bad)).toThrow(RangeError);
  });

  it('compares rates without float noise', () => {
    expect(sameRate(25, 25.000000000000004)).toBe(true);
    expect(sameRate(25, 25.5)).toBe(false);
    expect(sameRate(0, 0)).toBe(true);
  });
});

describe('divRound', () => {
  it('rounds halves away from zero', () => {
    expect([divRound(5, 2), divRound(-5, 2), divRound(4, 3), divRound(-4, 3), divRound(5, -2), divRound(1, 3)]).toEqual([3, -3, 1, -1, -3, 0]);
    expect(Object.is(divRound(-1, 3), 0)).toBe(true);
  });

  it('refuses non-integers and division by zero', () => {
    expect(() => divRound(1.5, 2)).toThrow(RangeError);
    expect(() => divRound(1, 0)).toThrow(/zero/);
  });
});
