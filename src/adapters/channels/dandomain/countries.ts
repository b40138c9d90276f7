import type { JsonNode } from '../json';

/**
 * Dandomain orders name the country (in the shop's language) and a Dandomain countryId that no document lists, so
 * the name is read: Danish and English names of the countries our shops sell to most. Another name fails the order
 * with its path; the fix is a code change, which is why the list is short and explicit.
 */
const countryNames: Record<string, string> = {
  danmark: 'DK', denmark: 'DK', sverige: 'SE', sweden: 'SE', norge: 'NO', norway: 'NO', finland: 'FI',
  island: 'IS', iceland: 'IS', 'færøerne': 'FO', 'faroe islands': 'FO', 'grønland': 'GL', greenland: 'GL',
  tyskland: 'DE', germany: 'DE', deutschland: 'DE', belgien: 'BE', belgium: 'BE', holland: 'NL', nederlandene: 'NL',
  netherlands: 'NL', frankrig: 'FR', france: 'FR', 'østrig': 'AT', austria: 'AT', polen: 'PL', poland: 'PL',
  spanien: 'ES', spain: 'ES', italien: 'IT', italy: 'IT', storbritannien: 'GB', 'united kingdom': 'GB',
  england: 'GB', schweiz: 'CH', switzerland: 'CH', usa: 'US', 'united states': 'US',
};

export function countryCode(node: JsonNode): string {
  const name = node.text();
  const code = countryNames[name.toLowerCase()] ?? (/^[A-Za-z]{2}$/.test(name) ? name.toUpperCase() : undefined);
  return code ?? node.fail(`"${name.slice(0, 40)}" is not a country we can name by ISO code (Dandomain gives names, not codes)`);
}
