/**
 * Platform decimals → integer minor units, by string manipulation only: "149.95" DKK is 14995 øre, and no binary
 * float ever sits in between (0.1 + 0.2 style errors would otherwise leak into invoices).
 */

export class DecimalError extends RangeError {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DecimalError';
  }
}

/**
 * `exact` refuses a value with more decimals than the currency has (Shopify money is always exact);
 * `half-away-from-zero` rounds them off (WooCommerce may answer with up to `dp` decimals).
 */
export type Rounding = 'exact' | 'half-away-from-zero';

const decimalPattern = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * "149.95" with 2 digits → 14995; "-5" → -500; "1500" with 0 digits (JPY) → 1500. JSON numbers are accepted too
 * (some payloads send 199.0): they are read through their shortest decimal representation, never multiplied.
 */
export function decimalToMinor(value: unknown, digits: number, rounding: Rounding = 'exact'): number {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else throw new DecimalError(`expected a decimal string, got ${describe(value)}`);
  const m = decimalPattern.exec(text);
  if (!m) throw new DecimalError(`"${clip(text)}" is not a decimal number`);
  const negative = m[1] === '-';
  const whole = m[2]!;
  let frac = m[3] ?? '';
  let roundUp = false;
  if (frac.length > digits) {
    const dropped = frac.slice(digits);
    if (rounding === 'exact' && /[1-9]/.test(dropped)) throw new DecimalError(`"${clip(text)}" has more than ${digits} decimals`);
    // Half away from zero on the magnitude: only the first dropped digit decides.
    roundUp = rounding !== 'exact' && dropped.charCodeAt(0) >= 53;
    frac = frac.slice(0, digits);
  }
  const magnitude = Number(whole + frac.padEnd(digits, '0')) + (roundUp ? 1 : 0);
  if (!Number.isSafeInteger(magnitude)) throw new DecimalError(`"${clip(text)}" is too large`);
  // `|| 0` turns -0 into 0: "-0.00" is no amount at all.
  return (negative ? -magnitude : magnitude) || 0;
}

/**
 * A tax rate given as a fraction (Shopify: 0.25) → percent (25), exact to 4 decimals of a percent (0.08875 → 8.875).
 */
export function fractionToPercent(value: unknown): number {
  const millionths = decimalToMinor(value, 6, 'half-away-from-zero');
  return millionths / 10_000;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  return typeof value;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
