import { SettlementParseError } from './parse-error';

export interface DecimalFormat {
  decimalSeparator: '.' | ',';
  /** '' when the format has none. */
  thousandsSeparator: '' | '.' | ',' | ' ' | "'";
}

/**
 * An acquirer's decimal string → integer minor units, exactly (no float arithmetic): "1.234,50" → 123450 with
 * Danish separators. Accepts a leading or trailing minus and parentheses for negatives.
 */
export function parseAmount(text: string, format: DecimalFormat, digits: number, line: number, column: string): number {
  let s = text.trim().replace(/\u00a0/g, ' ');
  if (s === '') throw new SettlementParseError(line, `${column} is empty`);
  let negative = false;
  if (/^\(.*\)$/.test(s)) [negative, s] = [true, s.slice(1, -1).trim()];
  if (s.startsWith('-')) [negative, s] = [!negative, s.slice(1)];
  else if (s.endsWith('-')) [negative, s] = [!negative, s.slice(0, -1)];
  else if (s.startsWith('+')) s = s.slice(1);
  const t = format.thousandsSeparator;
  const group = t === '' ? '' : `(?:\\d{1,3}(?:${t === '.' ? '\\.' : t}\\d{3})+|\\d+)`;
  const intPart = t === '' ? '\\d+' : group;
  const sep = format.decimalSeparator === '.' ? '\\.' : ',';
  const m = new RegExp(`^(${intPart})(?:${sep}(\\d+))?$`).exec(s);
  if (!m) throw new SettlementParseError(line, `${column} "${text}" is not an amount (expected e.g. ${format.thousandsSeparator ? `1${format.thousandsSeparator}234` : '1234'}${format.decimalSeparator}50)`);
  const whole = m[1]!.split(t || '\u0000').join('');
  let frac = m[2] ?? '';
  if (frac.length > digits) {
    if (/[^0]/.test(frac.slice(digits))) throw new SettlementParseError(line, `${column} "${text}" has more than ${digits} decimals`);
    frac = frac.slice(0, digits);
  }
  const minor = Number(whole + frac.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) throw new SettlementParseError(line, `${column} "${text}" is too large`);
  return negative ? -minor : minor;
}

/** Parses a whole-number minor-unit field ("12345", "-500"). */
export function parseMinor(text: string, line: number, column: string): number {
  const s = text.trim();
  if (!/^[-+]?\d+$/.test(s)) throw new SettlementParseError(line, `${column} "${text}" is not a whole number of minor units`);
  return Number(s);
}
