import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopClient } from '../support/api';
import { startFakeUniEconomy, UNI_CLIENT, UNI_COMPANY_KEY, uniMarket, uniVatCodes, type FakeUniEconomy } from '../support/fake-ledgers/uni-economy';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
let fake: FakeUniEconomy;
beforeAll(async () => {
  h = await startHarness();
  fake = await startFakeUniEconomy();
});
afterAll(async () => {
  await fake?.close();
  await h?.close();
});

describe('activating a Uni Economy company', () => {
  it('names the accounts the integration needs that the company lacks, and creates them when the owner approves', async () => {
    // The shop's mapping names an acquirer receivable, a fee, an error and a rounding account the company does not have.
    const mapping = {
      ...uniMarket.mapping,
      paymentMethods: { dankort: { acquirer: 'nets', receivableAccount: '1581' }, visa: { acquirer: 'nets', receivableAccount: '1581' } },
      accounts: { ...uniMarket.mapping.accounts, fee: '7771', error: '1571', rounding: '7791' },
    };
    const shop = await h.createShop({ mapping, ledger: { mode: 'auto', currency: 'NOK' } });
    const api = shopClient(h, shop.apiKey);
    const connection = { system: 'uni-economy', credentials: UNI_CLIENT, settings: { companyKey: UNI_COMPANY_KEY, customerMode: 'per_customer', vatCodes: uniVatCodes, baseUrl: fake.url, authUrl: fake.authUrl } };
    const connected = await api.call('PUT', '/v1/ledger/connection', connection);
    expect(connected.statusCode, connected.body).toBe(200);
    expect([...connected.json().setup.missingAccounts].sort()).toEqual(['1571', '1581', '7771', '7791']);

    expect((await api.call('POST', '/v1/ledger/accounts', {})).statusCode).toBe(400); // the owner's approval is required
    const created = await api.call('POST', '/v1/ledger/accounts', { approve: true });
    expect(created.statusCode, created.body).toBe(200);
    expect([...created.json().created].sort()).toEqual(['1571', '1581', '7771', '7791']);
    const names = new Map([...fake.accounts.values()].map((a) => [a.AccountNumber, a.AccountName]));
    expect(names.get(1581)).toMatch(/^Receivable nets/);
    expect(names.get(1571)).toBe('Error account (unmatched payout lines)');

    const again = await api.call('POST', '/v1/ledger/setup-check');
    expect(again.json().setup).toEqual({ missingAccounts: [], missingVatCodes: [], missingPaymentTerms: [] });
    expect(fake.http.refused).toEqual([]);
  });
});
