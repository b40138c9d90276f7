import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  assertMinorUnits,
  exactDecimal,
  formatMoney,
  minorUnitDigits,
  mulDivRound,
  parseDecimal,
  sum,
  toDecimalString,
} from '../../../src/domain/money';

const danish = { decimalSeparator: ',', thousandsSeparator: '.' } as const;
const spaces = (s: string) => s.replace(/\s/g, ' ');

describe('sum and assertMinorUnits', () => {
  it('adds whole minor units and refuses anything else', () => {
    expect(sum([])).toBe(0);
    expect(sum([10_000, 20_000, -5_000])).toBe(25_000);
    expect(() => sum([0.5, 0.5])).toThrow(RangeError);
    expect(() => sum([Number.MAX_SAFE_INTEGER, 1])).toThrow(/sum/);
  });

  it('names what is not an amount', () => {
    for (const ok of [0, -5, Number.MAX_SAFE_INTEGER]) expect(() => assertMinorUnits(ok, 'x')).not.toThrow();
    for (const bad of [1.5, Number.NaN, Infinity, 2 ** 53]) expect(() => assertMinorUnits(bad, 'order total')).toThrow(/order total must be an integer/);
  });
});

describe('parseDecimal', () => {
  it('reads a plain decimal with . or , exactly', () => {
    expect(parseDecimal('149.95')).toBe(14_995);
    expect(parseDecimal('149,95')).toBe(14_995);
    expect(parseDecimal('0.1')).toBe(10);
    expect(parseDecimal('0.29')).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(parseDecimal('-5')).toBe(-500);
    expect(parseDecimal(' 12.30 ')).toBe(1_230);
    expect(parseDecimal('007')).toBe(700);
  });

  it('gives 0, not minus zero, for "-0.00"', () => {
    expect(Object.is(parseDecimal('-0.00'), 0)).toBe(true);
  });

  it('follows the number of decimals: JPY 0, KWD 3', () => {
    expect(parseDecimal('1500', 0)).toBe(1_500);
    expect(parseDecimal('1500.00', 0)).toBe(1_500);
    expect(parseDecimal('1.234', 3)).toBe(1_234);
    expect(parseDecimal('1,005', 3)).toBe(1_005);
    expect(parseDecimal('1.5', 3)).toBe(1_500);
  });

  it('accepts extra fraction digits only when they are zeros', () => {
    expect(parseDecimal('10.000000')).toBe(1_000);
    expect(parseDecimal('12.500')).toBe(1_250);
    expect(() => parseDecimal('12.505')).toThrow(/more than 2 decimals/);
    expect(() => parseDecimal('1500.5', 0)).toThrow(/more than 0 decimals/);
    expect(() => parseDecimal('1,2345', 3)).toThrow(RangeError);
  });

  it('reads thousands separators when told which ones', () => {
    expect(parseDecimal('1.234,50', 2, danish)).toBe(123_450);
    expect(parseDecimal('-1.234.567,89', 2, danish)).toBe(-123_456_789);
    expect(parseDecimal('1234,50', 2, danish)).toBe(123_450); // grouping is optional
    expect(parseDecimal('1.234', 2, danish)).toBe(123_400); // with Danish separators the dot groups thousands …
    expect(() => parseDecimal('1.234', 2)).toThrow(/more than 2 decimals/); // … without them it is a decimal point
  });

  it('supports other grouping characters', () => {
    expect(parseDecimal('1 234 567.89', 2, { decimalSeparator: '.', thousandsSeparator: ' ' })).toBe(123_456_789);
    expect(parseDecimal("1'234.50", 2, { decimalSeparator: '.', thousandsSeparator: "'" })).toBe(123_450);
    expect(parseDecimal('1,234.50', 2, { thousandsSeparator: ',' })).toBe(123_450);
  });

  it('refuses thousands groups that are not three digits, so the wrong format fails instead of misreading', () => {
    expect(() => parseDecimal('12.34,50', 2, danish)).toThrow(/three digits/);
    expect(() => parseDecimal('1.2345,00', 2, danish)).toThrow(/three digits/);
    expect(() => parseDecimal('.234,00', 2, danish)).toThrow(RangeError);
    expect(() => parseDecimal('1.234.50', 2, danish)).toThrow(/three digits/);
  });

  it('refuses what is not a plain decimal', () => {
    for (const bad of ['', ' ', '-', '.5', '5.', '1.2.3', '1,2.3', '1e3', '+5', '0x10', 'abc', '１２', '1 234', '--5', '- 5', '5-', 'NaN', 'Infinity']) {
      expect(() => parseDecimal(bad), bad).toThrow(RangeError);
    }
    expect(() => parseDecimal(12 as unknown as string)).toThrow(/decimal text/);
  });

  it('refuses amounts beyond exact integers', () => {
    expect(parseDecimal('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseDecimal('90071992547409.92')).toThrow(/too large/);
  });

  it('refuses nonsense options', () => {
    expect(() => parseDecimal('1', 2, { decimalSeparator: ',', thousandsSeparator: ',' })).toThrow(/differ/);
    expect(() => parseDecimal('1', 2, { decimalSeparator: '5' })).toThrow(/separator/);
    expect(() => parseDecimal('1', 2, { thousandsSeparator: '--' })).toThrow(/separator/);
    expect(() => parseDecimal('1', -1)).toThrow(/decimals/);
    expect(() => parseDecimal('1', 1.5)).toThrow(/decimals/);
  });

  it('reads back every amount it can print, in any of the formats (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom(0, 2, 3), fc.boolean(), (minor, digits, comma) => {
        const text = toDecimalString(minor, digits);
        expect(parseDecimal(comma ? text.replace('.', ',') : text, digits)).toBe(minor);
        const grouped = text.replace(/^(-?)(\d+)/, (_, sign: string, whole: string) => sign + whole.replace(/\B(?=(\d{3})+$)/g, '.'));
        expect(parseDecimal(grouped.replace(/\.(\d*)$/, digits ? ',$1' : '.$1'), digits, danish)).toBe(minor);
      }),
    );
  });
});

describe('toDecimalString and formatMoney', () => {
  it('prints minor units as exact decimals', () => {
    expect(toDecimalString(5, 2)).toBe('0.05');
    expect(toDecimalString(-123_450, 2)).toBe('-1234.50');
    expect(toDecimalString(7, 0)).toBe('7');
    expect(toDecimalString(1_234, 3)).toBe('1.234');
  });

  it('formats for people in the locale, from the exact decimal', () => {
    expect(spaces(formatMoney(123_450, 'DKK'))).toBe('1.234,50 kr.');
    expect(spaces(formatMoney(-5, 'DKK'))).toBe('-0,05 kr.');
    expect(spaces(formatMoney(Number.MAX_SAFE_INTEGER, 'DKK'))).toBe('90.071.992.547.409,91 kr.');
    expect(formatMoney(1_500, 'JPY', 'en-US')).toBe('¥1,500');
    expect(spaces(formatMoney(1_234, 'KWD', 'en-US'))).toBe('KWD 1.234');
    expect(formatMoney(1_999, 'EUR', 'en-IE')).toBe('€19.99');
  });
});

describe('minorUnitDigits', () => {
  it('knows the ISO 4217 minor unit', () => {
    expect(['DKK', 'EUR', 'NOK', 'SEK', 'USD', 'GBP'].map(minorUnitDigits)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(['JPY', 'ISK', 'KRW', 'CLP'].map(minorUnitDigits)).toEqual([0, 0, 0, 0]);
    expect(['KWD', 'BHD', 'OMR', 'TND', 'JOD'].map(minorUnitDigits)).toEqual([3, 3, 3, 3, 3]);
  });

  it('uses ISO, not the display convention, where the two differ', () => {
    expect(minorUnitDigits('HUF')).toBe(2);
    expect(minorUnitDigits('IDR')).toBe(2);
    expect(minorUnitDigits('IQD')).toBe(3);
  });

  it('refuses malformed codes', () => {
    for (const bad of ['dkk', 'DK', 'DKKK', '']) expect(() => minorUnitDigits(bad)).toThrow(RangeError);
  });
});

describe('exactDecimal and mulDivRound', () => {
  it('reads a number as the decimal it prints as', () => {
    expect(exactDecimal(1.5)).toEqual({ units: 15n, scale: 1 });
    expect(exactDecimal(-0.25)).toEqual({ units: -25n, scale: 2 });
    expect(exactDecimal(1e-7)).toEqual({ units: 1n, scale: 7 });
    expect(exactDecimal(1e21)).toEqual({ units: 10n ** 21n, scale: 0 });
    expect(exactDecimal(3)).toEqual({ units: 3n, scale: 0 });
    expect(() => exactDecimal(Number.NaN)).toThrow(RangeError);
  });

  it('multiplies and divides exactly, rounding half away from zero', () => {
    expect(mulDivRound(6_000, 1.5)).toBe(9_000);
    expect(mulDivRound(333, 0.5)).toBe(167);
    expect(mulDivRound(-333, 0.5)).toBe(-167);
    expect(mulDivRound(100, 1, 3)).toBe(33);
    expect(mulDivRound(200, 1, 3)).toBe(67);
    expect(mulDivRound(1_000, 2, 3)).toBe(667);
    expect(mulDivRound(1_000, 1e-7)).toBe(0);
    expect(Object.is(mulDivRound(-1, 0.1), 0)).toBe(true);
    expect(mulDivRound(1_005, 0.1)).toBe(101); // 100.5 — a float product would give 100.49999999999999
    expect(mulDivRound(9e15, 0.5)).toBe(4.5e15);
  });

  it('refuses division by zero, non-amounts and results beyond exact integers', () => {
    expect(() => mulDivRound(1, 1, 0)).toThrow(/zero/);
    expect(() => mulDivRound(1.5, 1)).toThrow(RangeError);
    expect(() => mulDivRound(Number.MAX_SAFE_INTEGER, 2)).toThrow(/too large/);
  });
});

describe('allocate', () => {
  it('splits proportionally with the largest remainder, parts adding up exactly', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(allocate(5_000, [10_000, 0, 30_000])).toEqual([1_250, 0, 3_750]);
    expect(allocate(4_500, [20_000, 2_500])).toEqual([4_000, 500]);
    expect(allocate(10, [3, 7])).toEqual([3, 7]);
    expect(allocate(1, [1, 2])).toEqual([0, 1]);
    expect(allocate(123, [5])).toEqual([123]);
    expect(allocate(0, [1, 2, 3])).toEqual([0, 0, 0]);
  });

  it('is symmetric for negative totals', () => {
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(-2, [1, 1, 1])).toEqual([-1, -1, 0]);
  });

  it('splits evenly when every weight is zero', () => {
    expect(allocate(7, [0, 0])).toEqual([4, 3]);
    expect(allocate(-7, [0, 0, 0])).toEqual([-3, -2, -2]);
  });

  it('gives a negative weight (a discount line) a negative share', () => {
    expect(allocate(4_000, [10_000, -2_000])).toEqual([5_000, -1_000]);
    expect(allocate(100, [-1, -1])).toEqual([50, 50]);
    expect(sum(allocate(1_001, [7_000, -3_000, 1]))).toBe(1_001);
  });

  it('is exact where the products leave the float range', () => {
    expect(allocate(Number.MAX_SAFE_INTEGER, [1, 1])).toEqual([4_503_599_627_370_496, 4_503_599_627_370_495]);
    expect(allocate(1e15, [1e15, 3e15])).toEqual([2.5e14, 7.5e14]);
  });

  it('refuses what cannot be shared', () => {
    expect(() => allocate(1, [])).toThrow(/at least one/);
    expect(() => allocate(1, [1, -1])).toThrow(/cancel/);
    expect(() => allocate(1.5, [1])).toThrow(RangeError);
    expect(() => allocate(1, [0.5, 1])).toThrow(RangeError);
  });

  it('always sums to the total, each part within one unit of its exact share (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 30 }),
        (total, weights) => {
          const parts = allocate(total, weights);
          expect(sum(parts)).toBe(total);
          const w = BigInt(sum(weights));
          if (w === 0n) return;
          parts.forEach((p, i) => {
            const diff = BigInt(p) * w - BigInt(total) * BigInt(weights[i]!);
            expect(diff < w && diff > -w).toBe(true);
          });
          expect(allocate(-total, weights)).toEqual(parts.map((p) => -p || 0));
        },
      ),
    );
  });

  it('sums to the total with mixed-sign weights too (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 20 }), (total, weights) => {
        fc.pre(sum(weights) !== 0);
        expect(sum(allocate(total, weights))).toBe(total);
      }),
    );
  });
});
