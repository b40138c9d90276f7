import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgers } from '../../db/schema';
import { shopClient } from '../support/api';
import { BILLY_DAYBOOK, BILLY_ORG, BILLY_TOKEN, billyProducts, startFakeBilly } from '../support/fake-ledgers/billy';
import { DINERO_CLIENT, DINERO_ORG, dineroVatCodes, startFakeDinero } from '../support/fake-ledgers/dinero';
import { ECONOMIC_TOKENS, economicProducts, startFakeEconomic } from '../support/fake-ledgers/economic';
import { FIKEN_SLUG, FIKEN_TOKEN, fikenVatTypes, startFakeFiken } from '../support/fake-ledgers/fiken';
import { startFakeUniEconomy, UNI_CLIENT, UNI_COMPANY_KEY, uniMarket, uniVatCodes } from '../support/fake-ledgers/uni-economy';
import { cardOrder, danishMarket, norwegianMarket, type Market } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

interface Vendor {
  name: string;
  start(): Promise<{ url: string; authUrl?: string; count(kind: string, reference: string): number; close(): Promise<void> }>;
  /** `authUrl`: a vendor whose tokens come from an authorization server of its own (Dinero). */
  connection(url: string, authUrl?: string): Record<string, unknown>;
  secrets: string[];
  /** The shop's mapping, currency and country: a Fiken company keeps the Norwegian chart. */
  market: Market;
  /** How payments stand once registered: e-conomic keeps journal vouchers in its daybook until someone books it. */
  paymentState: 'booked' | 'in_journal';
}

const vendors: Vendor[] = [
  {
    name: 'e-conomic',
    start: startFakeEconomic,
    connection: (url) => ({
      system: 'e-conomic',
      credentials: ECONOMIC_TOKENS,
      settings: { journalNumber: 1, layoutNumber: 19, paymentTermsNumber: 1, customerGroupNumber: 1, customerMode: 'per_customer', products: economicProducts, baseUrl: url },
    }),
    secrets: Object.values(ECONOMIC_TOKENS),
    market: danishMarket,
    paymentState: 'in_journal',
  },
  {
    name: 'Billy',
    start: startFakeBilly,
    connection: (url) => ({
      system: 'billy',
      credentials: { accessToken: BILLY_TOKEN },
      settings: { organizationId: BILLY_ORG, daybookId: BILLY_DAYBOOK, customerMode: 'per_customer', products: billyProducts, baseUrl: url },
    }),
    secrets: [BILLY_TOKEN],
    market: danishMarket,
    paymentState: 'booked',
  },
  {
    name: 'Fiken',
    start: startFakeFiken,
    connection: (url) => ({
      system: 'fiken',
      credentials: { token: FIKEN_TOKEN },
      settings: { companySlug: FIKEN_SLUG, customerMode: 'per_customer', vatTypes: fikenVatTypes, baseUrl: url },
    }),
    secrets: [FIKEN_TOKEN],
    market: norwegianMarket,
    paymentState: 'booked',
  },
  {
    name: 'Dinero',
    start: startFakeDinero,
    connection: (url, authUrl) => ({
      system: 'dinero',
      credentials: DINERO_CLIENT,
      settings: { organizationId: DINERO_ORG, customerMode: 'per_customer', vatCodes: dineroVatCodes, baseUrl: url, authUrl },
    }),
    secrets: Object.values(DINERO_CLIENT),
    market: danishMarket,
    paymentState: 'booked',
  },
  {
    name: 'Uni Economy',
    start: startFakeUniEconomy,
    connection: (url, authUrl) => ({
      system: 'uni-economy',
      credentials: UNI_CLIENT,
      settings: { companyKey: UNI_COMPANY_KEY, customerMode: 'per_customer', vatCodes: uniVatCodes, baseUrl: url, authUrl },
    }),
    secrets: Object.values(UNI_CLIENT),
    market: uniMarket,
    paymentState: 'booked',
  },
];

describe.each(vendors)('the ARCHITECTURE.md orders booked through $name', (vendor) => {
  it.each(['auto', 'draft'] as const)('in %s mode, each document exactly once, with the keys sealed', async (mode) => {
    const fake = await vendor.start();
    try {
      const { mapping, currency, country } = vendor.market;
      const shop = await h.createShop({ mapping, ledger: { mode, currency } });
      const api = shopClient(h, shop.apiKey);
      const connected = await api.call('PUT', '/v1/ledger/connection', vendor.connection(fake.url, fake.authUrl));
      expect(connected.statusCode, connected.body).toBe(200);
      expect(connected.json().setup).toEqual({ missingAccounts: [], missingVatCodes: [], missingPaymentTerms: [] });
      const [row] = await h.db.select().from(ledgers).where(eq(ledgers.id, shop.ledgerId));
      for (const secret of vendor.secrets) expect(row!.credentials).not.toContain(secret);

      const ids = ['V1', 'V2', 'V3'];
      for (const [i, id] of ids.entries()) await api.sendOrder(cardOrder(id, [10_000, 20_000, 20_000][i]!, { currency, deliveryCountry: country }));
      for (const id of ids) {
        const state = await api.orderReaches(id, mode === 'auto' ? 'booked' : 'drafted', 90_000);
        if (mode === 'draft') expect(state.documents.payment).toBeNull();
      }
      if (mode === 'draft') {
        // The owner reviews the drafts and books them: the payment follows.
        for (const id of ids) expect((await api.call('POST', `/v1/orders/${id}/book-draft`)).statusCode).toBe(202);
        for (const id of ids) await api.orderReaches(id, 'booked', 90_000);
      }
      for (const id of ids) {
        expect(fake.count('invoice', id), `${vendor.name} invoice ${id}`).toBe(1);
        expect(fake.count('payment', id), `${vendor.name} payment ${id}`).toBe(1);
        // The order shows how the ledger holds each document, and its timeline says when a payment waits unbooked.
        expect((await api.call('GET', `/v1/orders/${id}`)).json().documentStates).toEqual({ invoice: 'booked', payment: vendor.paymentState });
        const last = (await api.call('GET', `/v1/orders/${id}/timeline`)).json().events.at(-1);
        expect(last.status).toBe('booked');
        if (vendor.paymentState === 'in_journal') expect(last.reason).toMatch(/^payment voucher \d+ is in the ledger's journal, not booked/);
        else expect(last.reason).toBeNull();
      }
      if (mode === 'auto') {
        // Nets pays the three out (docs/ARCHITECTURE.md): the payout voucher is a journal voucher too.
        const conn = (await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'json' })).json().connectionId as string;
        const lines = ids.map((id, i) => ({ type: 'payment', amount: [10_000, 20_000, 20_000][i]!, fee: [1_000, 2_000, 2_000][i]!, currency, transactionId: `txn-${id}`, date: '2026-11-02' }));
        const sent = await api.call('POST', `/v1/acquirers/${conn}/payouts`, { payouts: [{ payoutId: 'PO-1', currency, paidOutAt: '2026-11-04', netAmount: 45_000, lines }] });
        expect(sent.statusCode, sent.body).toBe(202);
        const payout = await eventually(async () => {
          const res = (await api.call('GET', `/v1/payouts/${conn}/PO-1`)).json();
          return res.status === 'booked' ? res : undefined;
        }, 90_000, 'payout PO-1 booked');
        expect(payout.voucherState).toBe(vendor.paymentState);
      }
    } finally {
      await fake.close();
    }
  });
});
