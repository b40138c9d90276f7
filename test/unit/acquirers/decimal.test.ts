import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyDigits, decimalFormats, DecimalFormatError, parseMinorUnits, parseWholeMinorUnits, type DecimalFormat } from '../../../src/adapters/acquirers/decimal';

const { danish, english, plain } = decimalFormats;

describe('parseMinorUnits', () => {
  it('reads both conventions exactly', () => {
    expect(parseMinorUnits('1.234,50', danish, 2)).toBe(123_450);
    expect(parseMinorUnits('1,234.50', english, 2)).toBe(123_450);
    expect(parseMinorUnits('1.234.567,89', danish, 2)).toBe(123_456_789);
    expect(parseMinorUnits('1234,5', danish, 2)).toBe(123_450);
    expect(parseMinorUnits('0.29', plain, 2)).toBe(29);
    expect(parseMinorUnits('0.07', plain, 2)).toBe(7);
    expect(parseMinorUnits('5', plain, 0)).toBe(5);
    expect(parseMinorUnits('12.345', plain, 3)).toBe(12_345);
    expect(parseMinorUnits(',50', danish, 2)).toBe(50);
    expect(parseMinorUnits('  +12.50 ', plain, 2)).toBe(1_250);
  });

  it('reads negatives as each format writes them', () => {
    expect(parseMinorUnits('-12.50', plain, 2)).toBe(-1_250);
    expect(parseMinorUnits('−12.50', plain, 2)).toBe(-1_250);
    expect(parseMinorUnits('12,50-', danish, 2)).toBe(-1_250);
    expect(parseMinorUnits('1.000,00-', danish, 2)).toBe(-100_000);
    expect(() => parseMinorUnits('12.50-', plain, 2)).toThrow(DecimalFormatError);
    const accounting: DecimalFormat = { decimalSeparator: '.', thousandsSeparator: ',', parentheses: true };
    expect(parseMinorUnits('(7.00)', accounting, 2)).toBe(-700);
    expect(parseMinorUnits('(1,007.50)', accounting, 2)).toBe(-100_750);
    expect(() => parseMinorUnits('(7.00)', english, 2)).toThrow(DecimalFormatError);
    expect(() => parseMinorUnits('(-7.00)', accounting, 2)).toThrow(/sign inside parentheses/);
    expect(parseMinorUnits('-0,00', danish, 2)).toBe(0);
    expect(Object.is(parseMinorUnits('-0,00', danish, 2), -0)).toBe(false);
  });

  it('accepts spaces, including no-break spaces, as thousands separators when the format says so', () => {
    const spaced: DecimalFormat = { decimalSeparator: ',', thousandsSeparator: ' ' };
    expect(parseMinorUnits('1 234 567,89', spaced, 2)).toBe(123_456_789);
    expect(parseMinorUnits('1\u00a0234,00', spaced, 2)).toBe(123_400);
    expect(parseMinorUnits('1\u202f234,00', spaced, 2)).toBe(123_400);
    expect(parseMinorUnits("1'234.50", { decimalSeparator: '.', thousandsSeparator: "'" }, 2)).toBe(123_450);
  });

  it('drops only zero decimals beyond the currency, and says why otherwise', () => {
    expect(parseMinorUnits('1.500', plain, 2)).toBe(150);
    expect(parseMinorUnits('100.000', plain, 0)).toBe(100);
    expect(() => parseMinorUnits('1.505', plain, 2)).toThrow('"1.505" has more than 2 decimals');
    expect(() => parseMinorUnits('10.5', plain, 0)).toThrow(/more than 0 decimals/);
  });

  it('refuses what is not an amount in the format', () => {
    for (const [text, format] of [
      ['12,3,4', danish],
      ['1,23', english],
      ['1.23,4', danish],
      ['12.34', danish],
      ['1.2345,00', danish],
      ['', plain],
      ['-', plain],
      ['--5', plain],
      ['+-5', plain],
      ['1e3', plain],
      ['0x10', plain],
      ['Infinity', plain],
      ['NaN', plain],
      ['12 kr', plain],
      ['1,000.00', plain],
      [',', danish],
    ] as const) {
      expect(() => parseMinorUnits(text, format, 2), `${JSON.stringify(text)}`).toThrow(DecimalFormatError);
    }
    expect(() => parseMinorUnits('1.0O', plain, 2)).toThrow('"1.0O" is not an amount (expected e.g. 1234.50 or -1234.50)');
    expect(() => parseMinorUnits('99999999999999999,99', danish, 2)).toThrow(/too large/);
  });

  it('round-trips any amount written the Danish way, with or without grouping and with either minus', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), fc.boolean(), fc.boolean(), (minor, group, trailing) => {
        const abs = Math.abs(minor);
        let whole = Math.floor(abs / 100).toString();
        if (group) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
        const body = `${whole},${String(abs % 100).padStart(2, '0')}`;
        const text = minor < 0 ? (trailing ? `${body}-` : `-${body}`) : body;
        expect(parseMinorUnits(text, danish, 2)).toBe(minor);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with exact integer arithmetic for any number of decimals', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 3 }), (units, digits) => {
        const abs = units < 0n ? -units : units;
        const s = abs.toString().padStart(digits + 1, '0');
        const text = `${units < 0n ? '-' : ''}${digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s}`;
        expect(parseMinorUnits(text, plain, digits)).toBe(Number(units));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseWholeMinorUnits and currencyDigits', () => {
  it('reads whole minor units and nothing else', () => {
    expect(parseWholeMinorUnits('12345')).toBe(12_345);
    expect(parseWholeMinorUnits('-500')).toBe(-500);
    expect(parseWholeMinorUnits(' +7 ')).toBe(7);
    for (const bad of ['12.5', '1,000', '', '1e3', '12-']) expect(() => parseWholeMinorUnits(bad)).toThrow(DecimalFormatError);
  });

  it('knows the minor units of a currency', () => {
    expect([currencyDigits('DKK'), currencyDigits('JPY'), currencyDigits('KWD'), currencyDigits('ISK')]).toEqual([2, 0, 3, 0]);
    expect(() => currencyDigits('dk')).toThrow(DecimalFormatError);
  });
});
