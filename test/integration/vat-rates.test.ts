import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mapping } from '../../src/domain/mapping';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

/**
 * A Norwegian shop on the local ledger: 25 % general, 15 % food, 12 % cinema tickets, zero-rated newspapers on their
 * own sales account, each rate's VAT on its own output VAT account (2700 high, 2701 middle, 2702 low rate).
 */
const norway: Mapping = {
  ...danishMapping,
  homeCountry: 'NO',
  vatCodes: { ...danishMapping.vatCodes, NO25: { rate: 25, account: '2700' }, NO15: { rate: 15, account: '2701' }, NO12: { rate: 12, account: '2702' }, NO0: { rate: 0, account: '2700' } },
  vatRates: {
    domestic: { '25': { vatCode: 'NO25' }, '15': { vatCode: 'NO15' }, '12': { vatCode: 'NO12' }, '0': { vatCode: 'NO0', account: '3100' } },
  },
};

describe('VAT at several rates in the local ledger', () => {
  it('sets up its VAT codes through the API, refusing bad input by field, and books each rate on its own VAT account', async () => {
    const shop = await h.createShop({ ledger: { currency: 'NOK' } });
    const api = shopClient(h, shop.apiKey);

    // The mapping's VAT table is strict: a rate whose code is not in vatCodes is refused, naming it.
    const wrong = await api.call('PUT', '/v1/mapping', { ...norway, vatRates: { domestic: { ...norway.vatRates!.domestic, '6': { vatCode: 'NO6' } } } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.issues).toEqual([{ path: 'body.vatRates.domestic.6', message: 'VAT code "NO6" is not in vatCodes: add it there with its rate and output VAT account' }]);

    const saved = await api.call('PUT', '/v1/mapping', norway);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().setup.missingVatCodes.sort()).toEqual(['NO0', 'NO12', 'NO15', 'NO25']);
    expect(saved.json().setup.missingAccounts).toEqual(expect.arrayContaining(['2700', '2701', '2702', '3100']));

    // The owner creates the output VAT and sales accounts, then the codes on them.
    const accounts = await api.call('POST', '/v1/ledger/accounts', { approve: true });
    expect(accounts.statusCode, accounts.body).toBe(200);
    expect(accounts.json().created).toEqual(expect.arrayContaining(['2700', '2701', '2702', '3100']));
    const refused = async (body: object) => {
      const res = await api.call('POST', '/v1/ledger/vat-codes', body);
      return [res.statusCode, res.json().error.issues?.map((i: { path: string }) => i.path) ?? res.json().error.code];
    };
    expect(await refused({ code: 'NO15', rate: 15.125, account: '2701' })).toEqual([400, ['body.rate']]);
    expect(await refused({ code: 'NO15', rate: 115, account: '2701' })).toEqual([400, ['body.rate']]);
    expect(await refused({ code: 'NO 15', rate: 15, account: '2701' })).toEqual([400, ['body.code']]);
    expect(await refused({ code: 'NO15', rate: 15, account: '2799' })).toEqual([400, ['body.account']]);
    expect(await refused({ code: 'S25', rate: 25, account: '2700' })).toEqual([409, 'vat_code_exists']);
    for (const [code, v] of Object.entries(norway.vatCodes).filter(([c]) => c.startsWith('NO'))) {
      const res = await api.call('POST', '/v1/ledger/vat-codes', { code, rate: v.rate, account: v.account });
      expect(res.statusCode, res.body).toBe(201);
    }
    const listed = (await api.call('GET', '/v1/ledger/vat-codes')).json().vatCodes;
    expect(listed).toContainEqual({ code: 'NO15', rate: 15, account: '2701' });
    expect((await api.call('POST', '/v1/ledger/setup-check')).json().setup).toEqual({ missingAccounts: [], missingVatCodes: [], missingPaymentTerms: [] });

    const lines = [
      { kind: 'goods' as const, description: 'Coffee mug', quantity: 1, unitPrice: 12_500, vatRate: 25 },
      { kind: 'goods' as const, description: 'Coffee beans', quantity: 2, unitPrice: 11_500, vatRate: 15 },
      { kind: 'goods' as const, description: 'Cinema ticket', quantity: 1, unitPrice: 11_200, vatRate: 12 },
      { kind: 'goods' as const, description: 'Newspaper', quantity: 1, unitPrice: 5_000, vatRate: 0 },
      { kind: 'shipping' as const, description: 'Shipping', quantity: 1, unitPrice: 6_250, vatRate: 25 },
    ];
    await api.sendOrder(cardOrder('NO-1', 57_950, { currency: 'NOK', deliveryCountry: 'NO', lines }));
    await api.orderReaches('NO-1', 'booked');

    const [invoice] = await api.journal('&kind=invoice');
    // What a bookkeeper ticks off against the VAT return: the sales per VAT code and the VAT per output VAT account.
    expect(invoice!.lines.map((l) => [l.account, l.amount, l.vatCode])).toEqual([
      ['5600', 57_950, null],
      ['1010', -10_000, 'NO25'],
      ['1010', -20_000, 'NO15'],
      ['1010', -10_000, 'NO12'],
      ['3100', -5_000, 'NO0'],
      ['1110', -5_000, 'NO25'],
      ['2700', -3_750, null],
      ['2701', -3_000, null],
      ['2702', -1_200, null],
    ]);
    const tb = (await api.call('GET', '/v1/ledger/accounts/balances?from=2026-11-01&to=2026-11-30')).json();
    const credits = (account: string) => tb.accounts.find((a: { account: string }) => a.account === account)?.credits;
    expect(['2700', '2701', '2702', '3100'].map(credits)).toEqual([3_750, 3_000, 1_200, 5_000]);
    expect(tb.totals.debits).toBe(tb.totals.credits);
    // The balance report gives the same VAT per output VAT account, with the codes that post to it.
    const report = (await api.call('GET', '/v1/reports/balance?from=2026-11-01&to=2026-11-30')).json();
    expect(report.vat).toEqual([
      { account: '2700', vatCodes: ['NO0', 'NO25'], vat: 3_750 },
      { account: '2701', vatCodes: ['NO15'], vat: 3_000 },
      { account: '2702', vatCodes: ['NO12'], vat: 1_200 },
      { account: '7230', vatCodes: ['EXP0', 'S25'], vat: 0 },
    ]);
  });

  it('lists a new local ledger\'s VAT codes with their output VAT account', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    expect((await api.call('GET', '/v1/ledger/vat-codes')).json().vatCodes).toEqual([
      { code: 'EU0', rate: 0, account: '7230' },
      { code: 'EXP0', rate: 0, account: '7230' },
      { code: 'S25', rate: 25, account: '7230' },
    ]);
  });
});
