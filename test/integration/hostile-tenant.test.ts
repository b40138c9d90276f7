import { eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquirerConnections, ledgers } from '../../db/schema';
import { CredentialBox } from '../../src/crypto/credentials';
import { shopClient } from '../support/api';
import { BILLY_DAYBOOK, BILLY_ORG, BILLY_TOKEN, billyProducts, startFakeBilly } from '../support/fake-ledgers/billy';
import { cardOrder, danishMapping } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

describe('the balance report as CSV', () => {
  it('shows an order id that begins like a formula as text', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    // No payment: the invoice is booked alone, so the report lists the order id under "order without payment".
    await api.sendOrder({ ...cardOrder('-2-3', 10_000), payment: undefined });
    await api.orderReaches('-2-3', 'booked');
    const res = await api.call('GET', '/v1/reports/balance?from=2026-01-01&to=2026-12-31&format=csv');
    expect(res.statusCode, res.body).toBe(200);
    const rows = parse(res.body) as string[][];
    const row = rows.find((r) => r[1] === 'order without payment');
    expect(row?.[2]).toBe("'-2-3");
    // Amounts stay numbers.
    expect(rows.find((r) => r[0] === 'orders')?.[3]).toBe('10000');
  });
});

describe('idempotency keys under concurrency', () => {
  it('creates one resource for eight concurrent requests with one key, and answers them all alike', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const headers = { authorization: `Bearer ${shop.apiKey}`, 'idempotency-key': 'connect-nets-once' };
    const send = () => h.app.inject({ method: 'POST', url: '/v1/acquirers', headers, payload: { acquirer: 'nets', source: 'json' } });
    const answers = await Promise.all(Array.from({ length: 8 }, send));
    const connections = await h.db.select().from(acquirerConnections).where(eq(acquirerConnections.shopId, shop.shopId));
    expect(connections).toHaveLength(1);
    // Each answer is the first one (201, replayed) or "still running, retry" (409); a retry now gets the 201.
    for (const a of answers) expect([201, 409], a.body).toContain(a.statusCode);
    const created = answers.filter((a) => a.statusCode === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const a of created) expect(a.json().connectionId).toBe(connections[0]!.id);
    const retry = await send();
    expect(retry.statusCode).toBe(201);
    expect(retry.json().connectionId).toBe(connections[0]!.id);
  });
});

describe('saving a ledger connection or a mapping the ledger refuses', () => {
  const billy = (url: string, accessToken: string) => ({
    system: 'billy',
    credentials: { accessToken },
    settings: { organizationId: BILLY_ORG, daybookId: BILLY_DAYBOOK, customerMode: 'per_customer', products: billyProducts, baseUrl: url },
  });

  it('stores no ledger connection when the setup check answers 422', async () => {
    const fake = await startFakeBilly();
    try {
      const shop = await h.createShop({ mapping: danishMapping });
      const api = shopClient(h, shop.apiKey);
      const refused = await api.call('PUT', '/v1/ledger/connection', billy(fake.url, 'revoked-token-0000'));
      expect(refused.statusCode, refused.body).toBe(422);
      const [row] = await h.db.select().from(ledgers).where(eq(ledgers.id, shop.ledgerId));
      expect(row!.system).toBe('local');
      expect(row!.credentials).toBeNull();
      // The shop still books into its local ledger.
      await api.sendOrder(cardOrder('kept-local', 5_000));
      await api.orderReaches('kept-local', 'booked');
    } finally {
      await fake.close();
    }
  });

  it('stores no mapping when the setup check answers 422', async () => {
    const fake = await startFakeBilly();
    try {
      const shop = await h.createShop({ mapping: danishMapping });
      const api = shopClient(h, shop.apiKey);
      expect((await api.call('PUT', '/v1/ledger/connection', billy(fake.url, BILLY_TOKEN))).statusCode).toBe(200);
      // The owner revokes the access token in Billy.
      const box = new CredentialBox(h.credentialsKey);
      await h.db.update(ledgers).set({ credentials: box.sealJson({ accessToken: 'revoked-token-0000' }, shop.ledgerId) }).where(eq(ledgers.id, shop.ledgerId));
      const changed = { ...danishMapping, accounts: { ...danishMapping.accounts, fee: '3631' } };
      const refused = await api.call('PUT', '/v1/mapping', changed);
      expect(refused.statusCode, refused.body).toBe(422);
      expect((await api.call('GET', '/v1/mapping')).json().accounts.fee).toBe('3630');
    } finally {
      await fake.close();
    }
  });
});
