/**
 * The accounts of a Fiken company's chart the fake starts with: the Norwegian standard chart of accounts (NS 4102,
 * "Norsk Standard Kontoplan"), the part a webshop's bookings touch, named as the standard names them. Fiken keeps
 * customer receivables (1500) and bank accounts (1920) per customer and per bank account as sub-accounts
 * ("reskontro"): 1500:NNNNN and 1920:NNNNN, as its OpenAPI document's examples show; those are added per contact and
 * per bank account. Written from the standard, not taken from a Fiken document (see test/fixtures/vendors/fiken).
 */
export const ns4102: readonly (readonly [code: string, name: string])[] = [
  ['1200', 'Maskiner og anlegg'],
  ['1400', 'Varelager'],
  ['1500', 'Kundefordringer'],
  ['1570', 'Andre kortsiktige fordringer'],
  ['1900', 'Kontanter'],
  ['1920', 'Bankinnskudd'],
  ['2000', 'Aksjekapital'],
  ['2050', 'Annen egenkapital'],
  ['2400', 'Leverandørgjeld'],
  ['2600', 'Forskuddstrekk'],
  ['2700', 'Utgående merverdiavgift, høy sats'],
  ['2702', 'Utgående merverdiavgift, middels sats'],
  ['2703', 'Utgående merverdiavgift, lav sats'],
  ['2710', 'Inngående merverdiavgift, høy sats'],
  ['2740', 'Oppgjørskonto merverdiavgift'],
  ['2900', 'Annen kortsiktig gjeld'],
  ['3000', 'Salgsinntekt, avgiftspliktig'],
  ['3100', 'Salgsinntekt, avgiftsfri'],
  ['3200', 'Salgsinntekt, utenfor avgiftsområdet'],
  ['4300', 'Innkjøp av varer for videresalg'],
  ['5000', 'Lønn til ansatte'],
  ['6300', 'Leie lokale'],
  ['6800', 'Kontorrekvisita'],
  ['6900', 'Telefon'],
  ['7770', 'Bank- og kortgebyrer'],
  ['7790', 'Annen kostnad, fradragsberettiget'],
  ['8040', 'Renteinntekt'],
  ['8060', 'Valutagevinst (agio)'],
  ['8140', 'Rentekostnad'],
  ['8160', 'Valutatap (disagio)'],
];

/** Accounts kept only per customer or per bank account: an entry must name the sub-account (1500:NNNNN). */
export const reskontroAccounts: readonly string[] = ['1500', '1920', '2400'];
