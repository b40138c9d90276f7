import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, formatMoney, minorUnitDigits, sum } from '../../../src/domain/money';
import { regionOf } from '../../../src/domain/region';
import { addVat, divRound, splitGross } from '../../../src/domain/vat';

describe('money', () => {
  it('allocates a total over weights so that the parts add up exactly', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(5_000, [10_000, 0, 30_000])).toEqual([1_250, 0, 3_750]);
    expect(allocate(7, [0, 0])).toEqual([7, 0]);
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.array(fc.integer({ min: 0, max: 1e7 }), { minLength: 1, maxLength: 30 }), (total, weights) => {
        expect(sum(allocate(total, weights))).toBe(total);
      }),
    );
  });

  it('knows minor units per currency and formats for people', () => {
    expect([minorUnitDigits('DKK'), minorUnitDigits('JPY'), minorUnitDigits('KWD')]).toEqual([2, 0, 3]);
    expect(formatMoney(123_450, 'DKK').replace(/\s/g, ' ')).toBe('1.234,50 kr.');
  });
});

describe('VAT', () => {
  it('splits 25 % out of a gross amount and rounds the VAT half away from zero', () => {
    expect(splitGross(10_000, 25)).toEqual({ net: 8_000, vat: 2_000 });
    expect(splitGross(9_999, 25)).toEqual({ net: 7_999, vat: 2_000 });
    expect(splitGross(-10_000, 25)).toEqual({ net: -8_000, vat: -2_000 });
    expect(splitGross(1_000, 0)).toEqual({ net: 1_000, vat: 0 });
    expect(splitGross(11_250, 12.5)).toEqual({ net: 10_000, vat: 1_250 });
  });

  it('adds VAT to a net amount', () => {
    expect(addVat(8_000, 25)).toEqual({ net: 8_000, vat: 2_000, gross: 10_000 });
    expect(addVat(1, 25)).toEqual({ net: 1, vat: 0, gross: 1 });
    expect(addVat(2, 25)).toEqual({ net: 2, vat: 1, gross: 3 });
  });

  it('rounds halves away from zero', () => {
    expect([divRound(5, 2), divRound(-5, 2), divRound(4, 3), divRound(-4, 3)]).toEqual([3, -3, 1, -1]);
  });

  it('never loses an øre: net + VAT is the gross', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e10, max: 1e10 }), fc.constantFrom(0, 6, 8, 12, 12.5, 15, 21, 25, 25.5), (gross, rate) => {
        const { net, vat } = splitGross(gross, rate);
        expect(net + vat).toBe(gross);
        expect(Number.isInteger(vat)).toBe(true);
      }),
    );
  });
});

describe('regions', () => {
  it('chooses domestic, EU or outside EU from the home and delivery country', () => {
    expect(regionOf('DK', 'DK')).toBe('domestic');
    expect(regionOf('DK', 'DE')).toBe('eu');
    expect(regionOf('DK', 'XI')).toBe('eu');
    expect(regionOf('DK', 'NO')).toBe('outsideEu');
    expect(regionOf('DK', 'GB')).toBe('outsideEu');
    expect(regionOf('NO', 'SE')).toBe('outsideEu');
    expect(regionOf('NO', 'NO')).toBe('domestic');
  });
});
