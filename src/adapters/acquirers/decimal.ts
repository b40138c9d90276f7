import { minorUnitDigits } from '../../domain/money';

/**
 * Exact decimal amounts from acquirer files: text → integer minor units, by string manipulation only (no float ever
 * touches the value, so "0.29" is 29, not 28.999…). Each format states its own separators and negative notation.
 */

export interface DecimalFormat {
  decimalSeparator: '.' | ',';
  /** '' when the format never groups thousands. A space also accepts the no-break spaces spreadsheets write. */
  thousandsSeparator?: '' | '.' | ',' | ' ' | "'";
  /** "12,50-": the minus after the number, as Danish and SAP exports write it. */
  trailingMinus?: boolean;
  /** "(12.50)": accounting notation for a negative amount. */
  parentheses?: boolean;
}

export const decimalFormats = {
  /** 1.234,50 */
  danish: { decimalSeparator: ',', thousandsSeparator: '.', trailingMinus: true },
  /** 1,234.50 */
  english: { decimalSeparator: '.', thousandsSeparator: ',' },
  /** 1234.50, as APIs and machine-made reports write it */
  plain: { decimalSeparator: '.', thousandsSeparator: '' },
} as const satisfies Record<string, DecimalFormat>;

/** The text is not an amount in the format; the message is the reason, for a person. */
export class DecimalFormatError extends Error {
  override name = 'DecimalFormatError';
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function unsign(text: string, format: DecimalFormat): { negative: boolean; body: string } {
  let s = text.trim().replace(/\u2212/g, '-');
  const parenthesized = !!format.parentheses && s.startsWith('(') && s.endsWith(')');
  if (parenthesized) s = s.slice(1, -1).trim();
  const lead = /^[-+]/.exec(s)?.[0];
  if (lead) s = s.slice(1).trim();
  const trail = !!format.trailingMinus && !lead && s.endsWith('-');
  if (trail) s = s.slice(0, -1).trim();
  if (parenthesized && (lead || trail)) throw new DecimalFormatError(`"${text}" has a sign inside parentheses`);
  return { negative: parenthesized || lead === '-' || trail, body: s };
}

/**
 * Parses `text` as an amount with `digits` minor-unit decimals (2 for DKK, 0 for JPY): "1.234,50" → 123450 in the
 * Danish format. More decimals than the currency has are accepted only when they are zeros ("1.500" → 150), since
 * dropping a non-zero digit would be rounding, and rounding is not the parser's business.
 */
export function parseMinorUnits(text: string, format: DecimalFormat, digits: number): number {
  const t = format.thousandsSeparator ?? '';
  if (t === format.decimalSeparator) throw new TypeError('the thousands and decimal separators must differ');
  const { negative, body } = unsign(text, format);
  const s = t === ' ' ? body.replace(/[\u00a0\u202f]/g, ' ') : body;
  const whole = t === '' ? '\\d*' : `(?:\\d{1,3}(?:${escape(t)}\\d{3})+|\\d*)`;
  const m = new RegExp(`^(${whole})(?:${escape(format.decimalSeparator)}(\\d+))?$`).exec(s);
  if (!m || (m[1] === '' && m[2] === undefined)) {
    const example = `1${t}234${format.decimalSeparator}50`;
    throw new DecimalFormatError(`"${text}" is not an amount (expected e.g. ${example}${format.trailingMinus ? `, -${example} or ${example}-` : ` or -${example}`})`);
  }
  const intDigits = (m[1] ?? '').split(t || '\u0000').join('') || '0';
  let frac = m[2] ?? '';
  if (frac.length > digits) {
    if (/[^0]/.test(frac.slice(digits))) throw new DecimalFormatError(`"${text}" has more than ${digits} decimals`);
    frac = frac.slice(0, digits);
  }
  const minor = Number(intDigits + frac.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) throw new DecimalFormatError(`"${text}" is too large`);
  return negative && minor !== 0 ? -minor : minor;
}

/** A whole number of minor units ("12345", "-500"), as APIs and some reports give amounts already in øre. */
export function parseWholeMinorUnits(text: string): number {
  const s = text.trim().replace(/\u2212/g, '-');
  if (!/^[-+]?\d+$/.test(s)) throw new DecimalFormatError(`"${text}" is not a whole number of minor units`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new DecimalFormatError(`"${text}" is too large`);
  return n === 0 ? 0 : n;
}

/** Minor-unit digits of an ISO 4217 currency (DKK 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  try {
    return minorUnitDigits(currency);
  } catch {
    throw new DecimalFormatError(`"${currency}" is not an ISO 4217 currency code`);
  }
}
