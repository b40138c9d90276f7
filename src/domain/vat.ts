/** VAT on integer minor units. Rates are percentages (25, 12.5); computed in basis points to stay exact. */

const bp = (ratePercent: number) => Math.round(ratePercent * 100);

/** Rounds a rational n/d to an integer, halves away from zero (what ledgers and tax authorities expect). */
export function divRound(n: number, d: number): number {
  const q = Math.abs(n) * 2 + d;
  const r = Math.floor(q / (2 * d));
  return n < 0 ? -r : r;
}

/** Splits an amount incl. VAT into net and VAT: vat = gross × rate / (100 + rate), rounded per line. */
export function splitGross(gross: number, ratePercent: number): { net: number; vat: number } {
  const vat = divRound(gross * bp(ratePercent), 10_000 + bp(ratePercent));
  return { net: gross - vat, vat };
}

/** Adds VAT to a net amount: vat = net × rate / 100, rounded per line. */
export function addVat(net: number, ratePercent: number): { net: number; vat: number; gross: number } {
  const vat = divRound(net * bp(ratePercent), 10_000);
  return { net, vat, gross: net + vat };
}
