/** Which account and VAT code applies to a delivery: the ledger's own country, another EU country, or elsewhere. */
export type Region = 'domestic' | 'eu' | 'outsideEu';

/**
 * The 27 EU member states (ISO 3166-1 codes; Greece is GR here, EL only in VAT numbers). Not in it: GB, NO, CH,
 * IS, and the Faroe Islands (FO) and Greenland (GL), which are outside the EU VAT area though Danish.
 */
export const euMemberStates: readonly string[] = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
  'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
];

/** Northern Ireland (XI) follows the EU VAT rules for goods (Windsor Framework), so for goods it counts as EU. */
const eu = new Set([...euMemberStates, 'XI']);

/** Codes written differently in VAT contexts, read as their ISO 3166 country. */
const alias: Readonly<Record<string, string>> = { EL: 'GR' };

const normalize = (country: string) => {
  const c = country.trim().toUpperCase();
  return alias[c] ?? c;
};

export const isEu = (country: string): boolean => eu.has(normalize(country));

/**
 * Same country → domestic; both in the EU (XI included) → eu; anything else → outsideEu. A seller outside the EU
 * (NO, CH, GB) therefore sees every other country as outsideEu: to it, a delivery to Sweden is an export.
 */
export function regionOf(homeCountry: string, deliveryCountry: string): Region {
  const home = normalize(homeCountry);
  const delivery = normalize(deliveryCountry);
  if (home === delivery) return 'domestic';
  return eu.has(home) && eu.has(delivery) ? 'eu' : 'outsideEu';
}
