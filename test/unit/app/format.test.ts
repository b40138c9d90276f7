import { describe, expect, it } from 'vitest';
import { formatDate, formatMoney, minorDigits } from '../../../app/src/format';

// Intl separates groups and currency with (narrow) no-break spaces; people read them as spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('money as people read it', () => {
  it('shows minor units as kroner in Danish, Norwegian and English', () => {
    expect(plain(formatMoney(123450, 'DKK', 'da-DK'))).toBe('1.234,50 kr.');
    expect(plain(formatMoney(123450, 'NOK', 'nb-NO'))).toBe('1 234,50 kr');
    expect(plain(formatMoney(-9995, 'EUR', 'en-GB'))).toBe('-€99.95');
  });

  it('takes the exponent of each currency from Intl: yen have no minor unit, dinars three', () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(plain(formatMoney(1500, 'JPY', 'en-GB'))).toBe('JP¥1,500');
    expect(plain(formatMoney(1500, 'KWD', 'en-GB'))).toBe('KWD 1.500');
  });

  it('shows a calendar date as that day wherever the browser is', () => {
    expect(formatDate('2026-12-16', 'da-DK')).toBe('16. dec. 2026');
    expect(formatDate(null, 'da-DK')).toBe('–');
  });
});
