/**
 * The VAT rate of a line whose platform states only amounts (net and tax in minor units, both already rounded).
 *
 * Dividing the two and rounding to 2 decimals is not good enough: 7.99 at 25 % has 2.00 tax, and 200 / 799 is
 * 25.03 %, a rate no VAT code carries, so the booking would stop on unmapped_vat_rate. Instead we look for the
 * simplest rate that reproduces the platform's rounded tax: every rate r with |net × r − tax| ≤ ½ minor unit is
 * consistent with the payload. Among those we take, in this order, a rate the order states elsewhere (knownRates),
 * then a whole percent, then a half, a tenth, a hundredth of a percent — each time the one closest to tax / net.
 * Only when none fits (tax rounded other than per line) do we fall back to tax / net rounded to 2 decimals.
 *
 * Rates are percentages, not money, so float arithmetic is acceptable here; amounts stay integers.
 * Returns undefined when the amounts cannot tell (tax on a zero amount, or tax of the other sign).
 */
export function inferVatRate(net: number, tax: number, knownRates: readonly number[] = []): number | undefined {
  if (tax === 0) return 0;
  if (net === 0 || Math.sign(net) !== Math.sign(tax)) return undefined;
  const n = Math.abs(net);
  const t = Math.abs(tax);
  const exact = (t / n) * 100;
  const lo = ((t - 0.5) / n) * 100;
  const hi = ((t + 0.5) / n) * 100;
  const fits = (r: number) => r >= lo - 1e-9 && r <= hi + 1e-9;
  const closest = (rates: number[]) => rates.sort((a, b) => Math.abs(a - exact) - Math.abs(b - exact))[0];
  const known = closest(knownRates.filter((r) => r > 0 && fits(r)));
  if (known !== undefined) return known;
  for (const step of [1, 0.5, 0.1, 0.01]) {
    const r = Math.round(Math.round(exact / step) * step * 100) / 100;
    if (fits(r) && r <= 100) return r;
  }
  return Math.round(exact * 100) / 100;
}
