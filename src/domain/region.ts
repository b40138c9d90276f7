export type Region = 'domestic' | 'eu' | 'outsideEu';

/** The 27 EU member states; XI (Northern Ireland) follows EU rules for goods. */
const eu = new Set([
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
  'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'XI',
]);

export const isEu = (country: string) => eu.has(country);

/** Which account and VAT code applies: the same country, another EU country, or the rest of the world. */
export function regionOf(homeCountry: string, deliveryCountry: string): Region {
  if (homeCountry === deliveryCountry) return 'domestic';
  return isEu(homeCountry) && isEu(deliveryCountry) ? 'eu' : 'outsideEu';
}
