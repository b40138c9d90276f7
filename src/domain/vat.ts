/**
 * VAT on integer minor units. Rates are percentages (25, 12.5, 8.875). They are turned into integer parts per
 * million (25 % → 250 000 ppm) once, and the VAT is then one exact integer division, rounded half away from zero
 * per line: what ledgers and tax authorities expect, and free of 0.1 + 0.2 surprises.
 */
import { mulDivRound, roundDiv } from './money';

const PPM = 1_000_000;

/**
 * A rate in percent as integer parts per million. Four decimals of a percent are kept (Shopify's 0.08875 is
 * 8.875 %); float noise below that (25.500000000000004) is dropped, anything finer is refused.
 */
export function ratePpm(ratePercent: number): number {
  if (!Number.isFinite(ratePercent) || ratePercent < 0 || ratePercent > 100) {
    throw new RangeError(`a VAT rate must be 0–100 %, got ${ratePercent}`);
  }
  const scaled = ratePercent * 10_000;
  const ppm = Math.round(scaled);
  if (Math.abs(scaled - ppm) > 1e-6) throw new RangeError(`a VAT rate may have at most 4 decimals, got ${ratePercent}`);
  return ppm;
}

/** Whether two rates in percent are the same rate (25 and 25.000000000000004 are). */
export const sameRate = (a: number, b: number): boolean => ratePpm(a) === ratePpm(b);

/** Rounds n / d to an integer, halves away from zero. Both must be integers; d must not be 0. */
export function divRound(n: number, d: number): number {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d)) throw new RangeError(`divRound needs safe integers, got ${n} / ${d}`);
  return Number(roundDiv(BigInt(n), BigInt(d))) || 0;
}

/** Splits an amount incl. VAT into net and VAT: vat = gross × rate / (100 + rate), rounded; net takes the rest. */
export function splitGross(gross: number, ratePercent: number): { net: number; vat: number } {
  const ppm = ratePpm(ratePercent);
  const vat = mulDivRound(gross, ppm, PPM + ppm);
  return { net: gross - vat || 0, vat };
}

/** Adds VAT to a net amount: vat = net × rate / 100, rounded. */
export function addVat(net: number, ratePercent: number): { net: number; vat: number; gross: number } {
  const vat = mulDivRound(net, ratePpm(ratePercent), PPM);
  return { net: net || 0, vat, gross: net + vat || 0 };
}
