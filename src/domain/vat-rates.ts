/**
 * Which VAT code a sale at a given rate books on. One order can carry several rates (Norway 25/15/12 %, Sweden
 * 25/12/6 %, untaxed lines at 0 %), and a shop registered for the EU one-stop shop (OSS) charges an EU consumer the
 * rate of the consumer's country. The mapping's VAT table (vatRates) names the code per place and rate; the code's
 * entry in vatCodes names its output VAT account, so the VAT of each rate lands on its own account.
 */
import { BookingError } from './errors';
import type { Order, OrderLine } from './order';
import { isEu, regionOf, type Region } from './region';
import { ratePpm, sameRate } from './vat';

const regions: readonly Region[] = ['domestic', 'eu', 'outsideEu'];

/** A place of the VAT table: a region, or (OSS) an EU country as ISO code. */
export type VatPlace = Region | string;

/**
 * The VAT table: place → rate in percent as written ("25", "12.5", "0") → VAT code, and optionally the sales account
 * of the lines at that rate there (Norway's zero-rated sales on 3100, OSS sales per country).
 */
export type VatRates = Record<string, Record<string, { vatCode: string; account?: string | undefined }>>;

interface VatSettings {
  homeCountry: string;
  oss?: boolean | undefined;
  vatRates?: VatRates | undefined;
  vatCodes: Record<string, { rate: number; account: string }>;
}

/** A rate key of the table as a number, or undefined when it is no rate (0–100, at most 4 decimals). */
export function rateOfKey(key: string): number | undefined {
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(key)) return undefined;
  try {
    ratePpm(Number(key));
    return Number(key);
  } catch {
    return undefined;
  }
}

/**
 * Where the sale's VAT belongs. Under OSS an EU consumer (no VAT number) is taxed in the destination country; a
 * business customer in the EU (reverse charge), an export and every sale without OSS stay on the region as before.
 */
export function vatPlaceOf(order: Pick<Order, 'deliveryCountry' | 'customer'>, m: Pick<VatSettings, 'homeCountry' | 'oss'>): VatPlace {
  const region = regionOf(m.homeCountry, order.deliveryCountry);
  const consumer = !order.customer.vatNumber?.trim();
  return m.oss && region === 'eu' && consumer ? order.deliveryCountry.trim().toUpperCase() : region;
}

/**
 * The VAT code of a taxable line (goods, shipping, payment fee), and the sales account when the table names one.
 * With a table for the place, its entry for the line's rate; a place without a table keeps the region's single code
 * (the mapping's goods/shipping vatCode), but an OSS destination never falls back to a home-country code. The code's
 * rate must be the line's rate.
 */
export function vatOfLine(
  line: Pick<OrderLine, 'vatRate'>,
  index: number,
  order: Pick<Order, 'deliveryCountry' | 'customer'>,
  m: VatSettings,
  regionCode: string,
): { vatCode: string; account?: string | undefined } {
  const place = vatPlaceOf(order, m);
  const table = m.vatRates?.[place];
  let found: { vatCode: string; account?: string | undefined } = { vatCode: regionCode };
  if (table) {
    const entry = Object.entries(table).find(([rate]) => rateOfKey(rate) !== undefined && sameRate(Number(rate), line.vatRate));
    if (!entry) throw new BookingError('unmapped_vat_rate', { line: index, rate: line.vatRate, place, ratesMapped: Object.keys(table) });
    found = entry[1];
  } else if (!regions.includes(place as Region)) {
    throw new BookingError('unmapped_vat_rate', { line: index, rate: line.vatRate, place, reason: `OSS: the mapping has no vatRates for ${place}` });
  }
  const code = m.vatCodes[found.vatCode];
  if (!code || !sameRate(code.rate, line.vatRate)) {
    throw new BookingError('unmapped_vat_rate', { line: index, rate: line.vatRate, place, vatCode: found.vatCode, codeRate: code?.rate ?? null });
  }
  return found;
}

/** Why the VAT table cannot be used as written: [path below vatRates, message] per fault. */
export function vatRatesIssues(m: VatSettings): [string[], string][] {
  const issues: [string[], string][] = [];
  if (m.oss && !isEu(m.homeCountry)) issues.push([['oss'], `OSS is the EU's one-stop shop; homeCountry ${m.homeCountry} is outside the EU`]);
  for (const [place, rates] of Object.entries(m.vatRates ?? {})) {
    const at = ['vatRates', place];
    if (!regions.includes(place as Region)) {
      if (!/^[A-Z]{2}$/.test(place)) {
        issues.push([at, `unknown key "${place}": a place is domestic, eu, outsideEu or (OSS) an EU country code such as DE`]);
        continue;
      }
      if (!isEu(place) || place === m.homeCountry) issues.push([at, `a country's own rates are for OSS sales to another EU country; ${place} is not one (use domestic, eu or outsideEu)`]);
      else if (!m.oss) issues.push([at, `${place}'s rates apply only to a shop registered for OSS: set "oss": true or remove them`]);
    }
    for (const [key, { vatCode: code }] of Object.entries(rates)) {
      const rate = rateOfKey(key);
      const entry = m.vatCodes[code];
      if (rate === undefined) issues.push([[...at, key], `"${key}" is not a VAT rate: a percentage 0–100 as a string, e.g. "25" or "12.5"`]);
      else if (!entry) issues.push([[...at, key], `VAT code "${code}" is not in vatCodes: add it there with its rate and output VAT account`]);
      else if (!sameRate(entry.rate, rate)) issues.push([[...at, key], `VAT code "${code}" carries ${entry.rate} % in vatCodes, not ${key} %`]);
    }
  }
  return issues;
}
