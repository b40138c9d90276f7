/** Money is integer minor units (øre, cents) with an ISO currency; never floats. */

export function sum(amounts: readonly number[]): number {
  return amounts.reduce((a, b) => a + b, 0);
}

export function assertMinorUnits(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer amount in minor units, got ${n}`);
}

/**
 * Splits `total` in proportion to `weights` so that the parts add up to exactly `total` (largest remainder):
 * spreading a refund amount over invoice lines must not lose an øre.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const weightSum = sum(weights.map(Math.abs));
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  if (weightSum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  const exact = weights.map((w) => (abs * Math.abs(w)) / weightSum);
  const parts = exact.map(Math.floor);
  let rest = abs - sum(parts);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (rest <= 0) break;
    parts[i]!++;
    rest--;
  }
  return parts.map((p) => p * sign);
}

/** How many decimals a currency's minor unit has (DKK 2, JPY 0, KWD 3). */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** For people: 1234.50 kr. from 123450 øre. */
export function formatMoney(minor: number, currency: string, locale = 'da-DK'): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits }).format(minor / 10 ** digits);
}
