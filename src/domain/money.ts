/**
 * Money is integer minor units (øre, cents) with an ISO currency; never floats. Everything here is pure (no I/O,
 * no clock), so workflow code may use it. Where a product of two amounts could leave the range in which a double
 * is exact (2^53), the arithmetic runs on BigInt and only the integer result comes back as a number.
 */

export function assertMinorUnits(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer amount in minor units, got ${n}`);
}

/** The sum of amounts in minor units; refuses non-integers, so a float can never slip into a total unnoticed. */
export function sum(amounts: readonly number[]): number {
  let total = 0;
  for (const a of amounts) {
    assertMinorUnits(a, 'an amount');
    total += a;
  }
  assertMinorUnits(total, 'the sum');
  return total;
}

const toNumber = (n: bigint, what: string): number => {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`${what} is too large: ${n}`);
  return Number(n);
};

/** num / den rounded half away from zero, on integers of any size. */
export function roundDiv(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new RangeError('division by zero');
  const negative = num < 0n !== den < 0n;
  const n = num < 0n ? -num : num;
  const d = den < 0n ? -den : den;
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
}

/**
 * A finite JS number as the decimal it prints as: 1.5 → 15 / 10^1, 1e-7 → 1 / 10^7. Quantities and rates come from
 * JSON as doubles; reading them by their shortest decimal form is what a person typed, while 0.1 * 3 is not.
 */
export function exactDecimal(x: number): { units: bigint; scale: number } {
  if (!Number.isFinite(x)) throw new RangeError(`${x} is not a finite number`);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`cannot read ${x} as a decimal`);
  const frac = m[3] ?? '';
  let units = BigInt(`${m[2]}${frac}`) * (m[1] ? -1n : 1n);
  let scale = frac.length - Number(m[4] ?? 0);
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units, scale };
}

/**
 * amount × numerator ÷ denominator, exact, rounded half away from zero to whole minor units. Numerator and
 * denominator may be fractional (a quantity of 1.5, a share 2 of 3 pieces); they are read as exact decimals.
 */
export function mulDivRound(amount: number, numerator: number, denominator = 1): number {
  assertMinorUnits(amount, 'amount');
  const n = exactDecimal(numerator);
  const d = exactDecimal(denominator);
  if (d.units === 0n) throw new RangeError('division by zero');
  const num = BigInt(amount) * n.units * 10n ** BigInt(d.scale);
  const den = d.units * 10n ** BigInt(n.scale);
  return toNumber(roundDiv(num, den), `${amount} × ${numerator} / ${denominator}`) || 0;
}

/**
 * Splits `total` in proportion to `weights` so that the parts add up to exactly `total` (largest remainder; a tie
 * goes to the earlier weight): spreading a refund over invoice lines must not lose an øre. Weights may be negative
 * (a discount line gets a negative share) as long as they do not cancel out; all-zero weights split evenly.
 * allocate(-t, w) is always -allocate(t, w), so the sign of the total never moves an øre between lines.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  assertMinorUnits(total, 'total');
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  weights.forEach((w, i) => assertMinorUnits(w, `weight ${i}`));
  if (total < 0) return allocate(-total, weights).map((p) => -p || 0);
  let w = weights.map(BigInt);
  let weightSum = w.reduce((a, b) => a + b, 0n);
  if (weightSum === 0n) {
    if (w.some((x) => x !== 0n)) throw new RangeError('weights that cancel out cannot share a total');
    w = w.map(() => 1n);
    weightSum = BigInt(w.length);
  }
  if (weightSum < 0n) {
    w = w.map((x) => -x);
    weightSum = -weightSum;
  }
  const t = BigInt(total);
  // Floor of each exact share; its remainder (0 ≤ r < weightSum) says how close it came to the next unit.
  const shares = w.map((x) => {
    const exact = t * x;
    let floor = exact / weightSum;
    if (exact % weightSum !== 0n && exact < 0n) floor -= 1n;
    return { floor, remainder: exact - floor * weightSum };
  });
  let left = t - shares.reduce((a, s) => a + s.floor, 0n);
  const byRemainder = shares.map((s, i) => ({ i, r: s.remainder })).sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of byRemainder) {
    if (left === 0n) break;
    shares[i]!.floor += 1n;
    left -= 1n;
  }
  return shares.map((s) => toNumber(s.floor, 'an allocated part'));
}

export interface DecimalFormat {
  /** '.' or ','; when absent either is accepted (but only one of them, once). */
  decimalSeparator?: string;
  /** E.g. '.' in "1.234,50" or ' ' in "1 234.50"; when absent no grouping is accepted. */
  thousandsSeparator?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An exact decimal text → minor units, by string handling only: "1.234,50" with {decimalSeparator: ',',
 * thousandsSeparator: '.'} → 123450. A leading '-' is allowed. More fraction digits than `decimals` are refused
 * unless they are zeros ("12.500" is 1250, "12.505" is an error): a price is never rounded behind anyone's back.
 * Thousands groups must have three digits, so a text read with the wrong separators fails instead of being misread.
 */
export function parseDecimal(text: string, decimals = 2, format: DecimalFormat = {}): number {
  if (typeof text !== 'string') throw new RangeError(`expected a decimal text, got ${typeof text}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) throw new RangeError(`decimals must be 0–15, got ${decimals}`);
  const { decimalSeparator, thousandsSeparator } = format;
  for (const sep of [decimalSeparator, thousandsSeparator]) {
    if (sep !== undefined && (sep.length !== 1 || /[\d-]/.test(sep))) throw new RangeError(`"${sep}" cannot be a separator`);
  }
  if (decimalSeparator !== undefined && decimalSeparator === thousandsSeparator) {
    throw new RangeError('the decimal and thousands separators must differ');
  }
  const fail = (why: string): never => {
    throw new RangeError(`"${text.length > 40 ? `${text.slice(0, 40)}…` : text}" is not a decimal amount: ${why}`);
  };
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const body = negative ? trimmed.slice(1) : trimmed;

  const candidates = decimalSeparator !== undefined ? [decimalSeparator] : ['.', ','].filter((c) => c !== thousandsSeparator);
  const positions = [...body].flatMap((c, i) => (candidates.includes(c) ? [i] : []));
  if (positions.length > 1) fail('more than one decimal separator');
  const at = positions[0];
  const whole = at === undefined ? body : body.slice(0, at);
  const frac = at === undefined ? '' : body.slice(at + 1);

  let digits = whole;
  if (thousandsSeparator !== undefined && whole.includes(thousandsSeparator)) {
    const ts = escapeRegExp(thousandsSeparator);
    if (!new RegExp(`^\\d{1,3}(${ts}\\d{3})+$`).test(whole)) fail('thousands groups must have three digits');
    digits = whole.split(thousandsSeparator).join('');
  }
  if (!/^\d+$/.test(digits)) fail('expected digits before the decimal separator');
  if (at !== undefined && !/^\d+$/.test(frac)) fail('expected digits after the decimal separator');
  if (/[1-9]/.test(frac.slice(decimals))) fail(`more than ${decimals} decimals`);

  const units = BigInt(digits + frac.slice(0, decimals).padEnd(decimals, '0'));
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) fail('too large');
  // `|| 0`: "-0.00" is no amount at all, not minus zero.
  return (negative ? -Number(units) : Number(units)) || 0;
}

/**
 * ISO 4217 minor units where CLDR (what Intl reports) differs, because CLDR describes how amounts are usually
 * *displayed* (no decimals for HUF or IDR), while acquirers and ledgers count in the ISO minor unit.
 */
const isoDigits: Readonly<Record<string, number>> = {
  AFN: 2, ALL: 2, COP: 2, HUF: 2, IDR: 2, IQD: 3, IRR: 2, KPW: 2, LAK: 2, LBP: 2, MGA: 2, MMK: 2, PKR: 2, SLL: 2, SOS: 2, SYP: 2, YER: 2,
};

/** How many decimals a currency's minor unit has (DKK 2, JPY 0, KWD 3). Throws RangeError on a malformed code. */
export function minorUnitDigits(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`"${currency}" is not an ISO 4217 currency code`);
  const iso = isoDigits[currency];
  if (iso !== undefined) return iso;
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units as an exact decimal text: 123450 DKK → "1234.50". */
export function toDecimalString(minor: number, digits: number): string {
  assertMinorUnits(minor, 'amount');
  const abs = String(Math.abs(minor)).padStart(digits + 1, '0');
  const text = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return minor < 0 ? `-${text}` : text;
}

/** For people: "1.234,50 kr." from 123450 øre. Formatted from the exact decimal text, never via minor / 100. */
export function formatMoney(minor: number, currency: string, locale = 'da-DK'): string {
  const digits = minorUnitDigits(currency);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  return format.format(toDecimalString(minor, digits) as Intl.StringNumericLiteral);
}
