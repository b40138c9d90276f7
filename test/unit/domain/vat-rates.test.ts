import { describe, expect, it } from 'vitest';
import { mappingNeeds, mappingSchema, type Mapping } from '../../../src/domain/mapping';
import { planOrder } from '../../../src/domain/plan-order';
import type { Voucher } from '../../../src/domain/posting';
import { bookingError, line, mapping, order, pairs } from './fixtures';

/** The VAT the voucher credits per output VAT account, as a bookkeeper reconciles the VAT return. */
const vatPerAccount = (v: Voucher) => Object.fromEntries(v.lines.filter((l) => l.text.startsWith('Output VAT')).map((l) => [l.text.slice('Output VAT '.length), [l.account, l.amount]]));

const issues = (input: unknown) => {
  const r = mappingSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => [i.path.join('.'), i.message]);
};

/** A Norwegian shop: 25 % general, 15 % food, 12 % transport/cinema, 0 % zero-rated (books, newspapers) on 3100. */
const norway: Mapping = mappingSchema.parse({
  ...mapping,
  homeCountry: 'NO',
  vatCodes: {
    ...mapping.vatCodes,
    NO25: { rate: 25, account: '2700' },
    NO15: { rate: 15, account: '2701' },
    NO12: { rate: 12, account: '2702' },
    NO0: { rate: 0, account: '2700' },
  },
  vatRates: {
    domestic: { '25': { vatCode: 'NO25' }, '15': { vatCode: 'NO15' }, '12': { vatCode: 'NO12' }, '0': { vatCode: 'NO0', account: '3100' } },
  },
});

/** A Danish shop registered for OSS: a German consumer pays German VAT (19 %, 7 % reduced) on the DE codes. */
const oss: Mapping = mappingSchema.parse({
  ...mapping,
  oss: true,
  vatCodes: { ...mapping.vatCodes, EU0: { rate: 0, account: '7230' }, DE19: { rate: 19, account: '7241' }, DE7: { rate: 7, account: '7242' } },
  vatRates: {
    eu: { '0': { vatCode: 'EU0' } },
    DE: { '19': { vatCode: 'DE19', account: '1021' }, '7': { vatCode: 'DE7', account: '1021' } },
  },
});

describe('several VAT rates in one order', () => {
  it('books a Norwegian order at 25, 15 and 12 % and an untaxed line, the VAT of each rate on its own code and account', () => {
    const lines = [line(12_500), line(11_500, { vatRate: 15, description: 'Coffee beans' }), line(11_200, { vatRate: 12, description: 'Cinema ticket' }), line(5_000, { vatRate: 0, description: 'Newspaper' })];
    const p = planOrder(order('NO-1', 40_200, { currency: 'NOK', deliveryCountry: 'NO', lines }), norway);
    expect(p.invoice.lines.map((l) => [l.account, l.vatCode, l.net, l.vat])).toEqual([
      ['1010', 'NO25', 10_000, 2_500],
      ['1010', 'NO15', 10_000, 1_500],
      ['1010', 'NO12', 10_000, 1_200],
      ['3100', 'NO0', 5_000, 0],
    ]);
    expect(vatPerAccount(p.invoice.voucher)).toEqual({ NO25: ['2700', -2_500], NO15: ['2701', -1_500], NO12: ['2702', -1_200] });
    expect(p.invoice.voucher.lines.reduce((a, l) => a + l.amount, 0)).toBe(0);
  });

  it('books a Swedish order at 25, 12 and 6 %', () => {
    const sweden = mappingSchema.parse({
      ...mapping,
      homeCountry: 'SE',
      vatCodes: { ...mapping.vatCodes, MP1: { rate: 25, account: '2611' }, MP2: { rate: 12, account: '2621' }, MP3: { rate: 6, account: '2631' } },
      vatRates: { domestic: { '25': { vatCode: 'MP1' }, '12': { vatCode: 'MP2' }, '6': { vatCode: 'MP3' } } },
    });
    const lines = [line(12_500), line(11_200, { vatRate: 12 }), line(10_600, { vatRate: 6, description: 'Book' }), line(5_300, { kind: 'shipping', vatRate: 6 })];
    const p = planOrder(order('SE-1', 39_600, { currency: 'SEK', deliveryCountry: 'SE', lines }), sweden);
    expect(p.invoice.lines.map((l) => [l.account, l.vatCode, l.vat])).toEqual([['1010', 'MP1', 2_500], ['1010', 'MP2', 1_200], ['1010', 'MP3', 600], ['1110', 'MP3', 300]]);
    expect(vatPerAccount(p.invoice.voucher)).toEqual({ MP1: ['2611', -2_500], MP2: ['2621', -1_200], MP3: ['2631', -900] });
  });

  it('stops a line at a rate the table does not name, naming place and rate (never books it on another code)', () => {
    const e = bookingError(() => planOrder(order('NO-2', 10_600, { deliveryCountry: 'NO', lines: [line(10_600, { vatRate: 6 })] }), norway));
    expect(e).toEqual({ code: 'unmapped_vat_rate', details: { line: 0, rate: 6, place: 'domestic', ratesMapped: ['0', '12', '15', '25'] } });
  });
});

describe('OSS', () => {
  it('on: books a German consumer at 19 % on the DE code, its VAT on the DE account', () => {
    const p = planOrder(order('DE-1', 11_900, { deliveryCountry: 'DE', lines: [line(11_900, { vatRate: 19 })] }), oss);
    expect(p.invoice.lines.map((l) => [l.account, l.vatCode, l.net, l.vat])).toEqual([['1021', 'DE19', 10_000, 1_900]]);
    expect(pairs(p.invoice.voucher)).toEqual([['5600', 11_900], ['1021', -10_000], ['7241', -1_900]]);
  });

  it('on: a German business (VAT number) stays reverse charge on the EU region, as before', () => {
    const b2b = order('DE-2', 10_000, { deliveryCountry: 'DE', customer: { name: 'Muster GmbH', vatNumber: 'DE123456789' }, lines: [line(10_000, { vatRate: 0 })] });
    expect(planOrder(b2b, oss).invoice.lines.map((l) => [l.account, l.vatCode])).toEqual([['1020', 'EU0']]);
  });

  it('on: a consumer in a country with no table stops, never taxed on a home-country code', () => {
    const e = bookingError(() => planOrder(order('SE-2', 12_500, { deliveryCountry: 'SE' }), oss));
    expect(e.code).toBe('unmapped_vat_rate');
    expect(e.details).toMatchObject({ place: 'SE', rate: 25 });
  });

  it('off: a Danish 25 % sale, and an EU consumer at Danish VAT, as before', () => {
    expect(pairs(planOrder(order('DK-1', 10_000), mapping).invoice.voucher)).toEqual([['5600', 10_000], ['1010', -8_000], ['7230', -2_000]]);
    expect(planOrder(order('DE-3', 10_000, { deliveryCountry: 'DE' }), mapping).invoice.lines.map((l) => [l.account, l.vatCode])).toEqual([['1020', 'EU25']]);
  });
});

describe('the VAT table in the mapping', () => {
  it('refuses an unknown place, a rate that is none, a code not in vatCodes or of another rate, and a country without OSS', () => {
    const { oss: _, ...noOss } = oss;
    expect(issues({ ...mapping, vatRates: { domestik: { '25': { vatCode: 'S25' } } } })).toEqual([
      ['vatRates.domestik', 'unknown key "domestik": a place is domestic, eu, outsideEu or (OSS) an EU country code such as DE'],
    ]);
    expect(issues({ ...mapping, vatRates: { domestic: { '25%': { vatCode: 'S25' }, '15': { vatCode: 'S15' }, '12': { vatCode: 'S25' } } } })).toEqual([
      ['vatRates.domestic.12', 'VAT code "S25" carries 25 % in vatCodes, not 12 %'],
      ['vatRates.domestic.15', 'VAT code "S15" is not in vatCodes: add it there with its rate and output VAT account'],
      ['vatRates.domestic.25%', '"25%" is not a VAT rate: a percentage 0–100 as a string, e.g. "25" or "12.5"'],
    ]);
    expect(issues(noOss)).toEqual([['vatRates.DE', `DE's rates apply only to a shop registered for OSS: set "oss": true or remove them`]]);
    expect(issues({ ...mapping, vatRates: { domestic: { '25': { vatCode: 'S25', acount: '1010' } } } })).toEqual([
      ['vatRates.domestic.25', 'unknown key "acount": not a field of the mapping here'],
    ]);
    expect(issues({ ...norway, oss: true, vatRates: {} })).toEqual([['oss', "OSS is the EU's one-stop shop; homeCountry NO is outside the EU"]]);
  });

  it("needs the table's VAT codes and sales accounts in the ledger", () => {
    const needs = mappingNeeds(oss);
    expect(needs.vatCodes).toEqual(expect.arrayContaining(['EU0', 'DE19', 'DE7']));
    expect(needs.accounts).toEqual(expect.arrayContaining(['1021', '7241', '7242']));
  });
});
