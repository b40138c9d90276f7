import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquirerConnections, channelConnections, ledgers } from '../../db/schema';
import { buildApp } from '../../src/api/app';
import { CredentialBox } from '../../src/crypto/credentials';
import { shopClient } from '../support/api';
import { BILLY_DAYBOOK, BILLY_ORG, BILLY_TOKEN, billyProducts, startFakeBilly } from '../support/fake-ledgers/billy';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { bindSealedSecrets } from '../../src/services/bind-sealed-secrets';
import { sealedContext } from '../../src/crypto/sealed-contexts';
import { eventually, startHarness, type Harness } from '../support/harness';

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
    expect(row?.[4]).toBe("'-2-3");
    // Amounts stay numbers (in currency units).
    expect(rows.find((r) => r[0] === 'orders')?.[3]).toBe('100.00');
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

const shopifyOrder = JSON.parse(readFileSync(new URL('../fixtures/channels/shopify/order-dk-discount-giftcard.json', import.meta.url), 'utf8'));
const shopifyMapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, quickpay: { acquirer: 'quickpay', receivableAccount: '5815' } } };

/** A Shopify delivery of `raw`, signed with `secret` (no signature header when secret is null). */
function deliver(shopId: string, raw: string, secret: string | null, webhookId = `wh-${Math.random()}`) {
  return h.app.inject({
    method: 'POST',
    url: `/v1/channels/shopify/${shopId}`,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/create',
      'x-shopify-webhook-id': webhookId,
      ...(secret === null ? {} : { 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(raw).digest('base64') }),
    },
    payload: raw,
  });
}

async function shopWithShopify(secret: string) {
  const shop = await h.createShop({ mapping: shopifyMapping });
  expect((await shopClient(h, shop.apiKey).call('PUT', '/v1/channel', { platform: 'shopify', secret })).statusCode).toBe(200);
  return shop;
}

describe('sealed secrets are bound to their shop', () => {
  it("does not open a shop's channel secret copied onto another shop's row", async () => {
    const a = await shopWithShopify('shpss_secret-of-shop-a-0000');
    const b = await shopWithShopify('shpss_secret-of-shop-b-0000');
    const [rowA] = await h.db.select().from(channelConnections).where(eq(channelConnections.shopId, a.shopId));
    await h.db.update(channelConnections).set({ secret: rowA!.secret }).where(eq(channelConnections.shopId, b.shopId));
    const forged = await deliver(b.shopId, JSON.stringify({ ...shopifyOrder, id: 7001 }), 'shpss_secret-of-shop-a-0000');
    expect(forged.statusCode, forged.body).toBe(401);
    expect((await shopClient(h, b.apiKey).call('GET', '/v1/orders')).json().orders).toEqual([]);
  });

  it('binds secrets sealed before binding existed when the service starts, and they keep working', async () => {
    const box = new CredentialBox(h.credentialsKey);
    const shop = await shopWithShopify('shpss_placeholder-0000');
    // As an earlier version stored them: sealed without associated data.
    await h.db.update(channelConnections).set({ secret: box.seal('shpss_legacy-secret-0000') }).where(eq(channelConnections.shopId, shop.shopId));
    const connectionId = (await shopClient(h, shop.apiKey).call('POST', '/v1/acquirers', { acquirer: 'stripe', source: 'stripe', apiKey: 'rk_test_legacy0000' })).json().connectionId;
    await h.db.update(acquirerConnections).set({ credentials: box.seal('rk_test_legacy0000') }).where(eq(acquirerConnections.id, connectionId));

    expect(await bindSealedSecrets(h.db, box)).toBeGreaterThanOrEqual(2);
    const delivered = await deliver(shop.shopId, JSON.stringify({ ...shopifyOrder, id: 7002 }), 'shpss_legacy-secret-0000');
    expect(delivered.statusCode, delivered.body).toBe(202);
    const [acq] = await h.db.select().from(acquirerConnections).where(eq(acquirerConnections.id, connectionId));
    expect(box.open(acq!.credentials!, sealedContext.acquirerCredentials(shop.shopId, connectionId))).toBe('rk_test_legacy0000');
    expect(() => box.open(acq!.credentials!)).toThrow();
    expect(await bindSealedSecrets(h.db, box)).toBe(0);
  });
});

describe('channel webhooks from strangers', () => {
  it('answers an unknown shop, an unsigned delivery and a bad signature alike', async () => {
    const shop = await shopWithShopify('shpss_the-real-secret-0000');
    const body = JSON.stringify({ ...shopifyOrder, id: 7003 });
    const answers = await Promise.all([
      deliver('shop_does-not-exist', body, 'shpss_the-real-secret-0000'),
      deliver(shop.shopId, body, null),
      deliver(shop.shopId, body, 'shpss_a-guessed-secret-0000'),
    ]);
    for (const a of answers) expect({ status: a.statusCode, body: a.json() }).toEqual({ status: answers[2]!.statusCode, body: answers[2]!.json() });
    expect(answers[2]!.statusCode).toBe(401);
  });

  it('refuses a body larger than platforms send, signed or not', async () => {
    const shop = await shopWithShopify('shpss_the-real-secret-0000');
    const huge = JSON.stringify({ ...shopifyOrder, id: 7004, note: 'x'.repeat(3 * 1024 * 1024) });
    expect((await deliver(shop.shopId, huge, 'shpss_the-real-secret-0000')).statusCode).toBe(413);
    expect((await deliver(shop.shopId, huge, null)).statusCode).toBe(401);
  });
});

describe('deeply nested JSON', () => {
  it('is refused with 400 naming the body, before it is parsed', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const res = await h.app.inject({
      method: 'POST',
      url: '/v1/webhooks/orders',
      headers: { authorization: `Bearer ${shop.apiKey}`, 'content-type': 'application/json' },
      payload: '['.repeat(500_000) + ']'.repeat(500_000),
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('body: nested deeper than') });
  });
});

describe('currencies and signs of money', () => {
  it('refuses an invented currency and a negative total at the door, naming the field', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const invented = await api.call('POST', '/v1/webhooks/orders', cardOrder('ZZZ-1', 10_000, { currency: 'ZZZ' }));
    expect(invented.statusCode).toBe(400);
    expect(invented.json().error.issues).toContainEqual({ path: 'body.currency', message: expect.stringContaining('ISO 4217') });
    const negative = await api.call('POST', '/v1/webhooks/orders', { ...cardOrder('NEG-1', 10_000), total: -10_000 });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.issues).toContainEqual({ path: 'body.total', message: expect.stringContaining('negative') });
    const ledger = await h.app.inject({
      method: 'POST',
      url: '/v1/admin/shops',
      headers: { authorization: `Bearer ${h.adminKey}` },
      payload: { name: 'Invented', ledger: { currency: 'ZZZ' } },
    });
    expect(ledger.statusCode).toBe(400);
  });

  it('stops an order in another currency than the ledger with a named error and its fix, and books nothing', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('EUR-1', 10_000, { currency: 'EUR' }));
    const failed = await api.orderReaches('EUR-1', 'failed');
    expect(failed.error).toMatchObject({ code: 'currency_not_in_ledger', details: { orderCurrency: 'EUR', ledgerCurrency: 'DKK' } });
    expect(failed.error!.fix).toContain('POST /v1/orders/:orderId/restart');
    expect(await api.journal()).toEqual([]);
  });
});

/** A second API over this file's database and Temporal, configured as production is unless told otherwise. */
const productionApp = (o: { perMinute?: number; perAddress?: number; trustProxy?: boolean } = {}) =>
  buildApp({
    db: h.db,
    temporal: h.client,
    taskQueue: h.taskQueue,
    adminApiKey: h.adminKey,
    credentials: new CredentialBox(h.credentialsKey),
    rateLimitPerMinute: o.perMinute,
    rateLimitPerAddressPerMinute: o.perAddress,
    trustProxy: o.trustProxy,
  });

describe('rate limits', () => {
  const limitedApp = productionApp;

  it('counts wrong keys by address before authentication', async () => {
    const app = await limitedApp({ perMinute: 100, perAddress: 5 });
    try {
      const codes = [];
      for (let i = 0; i < 6; i++) {
        codes.push((await app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `Bearer lb_guess-${i}` }, remoteAddress: '198.51.100.7' })).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
      // Another address is not affected.
      expect((await app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: 'Bearer lb_x' }, remoteAddress: '198.51.100.8' })).statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('counts a shop once however its key is spelled, wherever it comes from', async () => {
    const shop = await h.createShop();
    const app = await limitedApp({ perMinute: 3, perAddress: 100 });
    try {
      const spellings = ['Bearer', 'bearer', 'BEARER', 'bEaReR'];
      const codes = [];
      for (const [i, b] of spellings.entries()) {
        codes.push((await app.inject({ method: 'GET', url: '/v1/orders', headers: { authorization: `${b} ${shop.apiKey}` }, remoteAddress: `198.51.100.${20 + i}` })).statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 429]);
    } finally {
      await app.close();
    }
  });

  it("limits channel webhooks per shop: one shop's flood does not stop another's deliveries", async () => {
    const flooded = await shopWithShopify('shpss_flooded-shop-0000');
    const other = await shopWithShopify('shpss_other-shop-00000');
    const app = await limitedApp({ perMinute: 3, perAddress: 3 });
    try {
      const unsigned = (shopId: string) =>
        app.inject({ method: 'POST', url: `/v1/channels/shopify/${shopId}`, headers: { 'content-type': 'application/json' }, payload: '{}', remoteAddress: '198.51.100.30' });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await unsigned(flooded.shopId)).statusCode);
      expect(codes).toEqual([401, 401, 401, 429]);
      const raw = JSON.stringify({ ...shopifyOrder, id: 7101 });
      const delivered = await app.inject({
        method: 'POST',
        url: `/v1/channels/shopify/${other.shopId}`,
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': 'orders/create',
          'x-shopify-webhook-id': 'wh-other-1',
          'x-shopify-hmac-sha256': createHmac('sha256', 'shpss_other-shop-00000').update(raw).digest('base64'),
        },
        payload: raw,
        remoteAddress: '198.51.100.30',
      });
      expect(delivered.statusCode, delivered.body).toBe(202);
    } finally {
      await app.close();
    }
  });

  it('takes the client address from X-Forwarded-For only when told to trust the proxy', async () => {
    const app = await limitedApp({ perMinute: 100, perAddress: 2, trustProxy: true });
    try {
      const from = (client: string) =>
        app.inject({ method: 'GET', url: '/v1/orders', headers: { 'x-forwarded-for': client }, remoteAddress: '10.0.0.2' }).then((r) => r.statusCode);
      expect([await from('203.0.113.1'), await from('203.0.113.1'), await from('203.0.113.1')]).toEqual([401, 401, 429]);
      expect(await from('203.0.113.2')).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describe('outbound requests (SSRF)', () => {
  it("refuses a tenant's vendor base URL outside test configuration", async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const app = await productionApp();
    try {
      const res = await app.inject({
        method: 'PUT',
        url: '/v1/ledger/connection',
        headers: { authorization: `Bearer ${shop.apiKey}` },
        payload: {
          system: 'billy',
          credentials: { accessToken: BILLY_TOKEN },
          settings: { organizationId: BILLY_ORG, daybookId: BILLY_DAYBOOK, products: billyProducts, baseUrl: 'http://127.0.0.1:9/#' },
        },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain('body.settings.baseUrl');
      const [row] = await h.db.select().from(ledgers).where(eq(ledgers.id, shop.ledgerId));
      expect(row!.system).toBe('local');
    } finally {
      await app.close();
    }
  });

  it('takes only store URLs that are https to a public host', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const app = await productionApp();
    try {
      const save = (storeUrl: string) =>
        app.inject({
          method: 'PUT',
          url: '/v1/channel',
          headers: { authorization: `Bearer ${shop.apiKey}` },
          payload: { platform: 'shopify', secret: 'shpss_store-url-test-0000', storeUrl, api: { accessToken: 'shpat_0123456789abcdefghij' } },
        });
      for (const url of ['http://127.0.0.1:8080', 'https://127.0.0.1', 'https://2130706433', 'https://[::1]', 'https://localhost', 'https://shop.example/?']) {
        const res = await save(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json().error.message, url).toContain('body.storeUrl');
      }
      expect(await h.db.select().from(channelConnections).where(eq(channelConnections.shopId, shop.shopId))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('refunds never exceed their order', () => {
  it('books only one of two concurrent refunds that together exceed the booked invoice', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('R-ORDER', 10_000));
    await api.orderReaches('R-ORDER', 'booked');
    await Promise.all([api.sendRefund(refundOf('R-A', 'R-ORDER', 6_000)), api.sendRefund(refundOf('R-B', 'R-ORDER', 6_000))]);
    const states = await eventually(async () => {
      const s = await Promise.all(['R-A', 'R-B'].map(async (id) => (await api.call('GET', `/v1/refunds/${id}`)).json()));
      return s.every((r) => r.status === 'booked' || r.status === 'failed') ? s : undefined;
    }, 60_000);
    expect(states.map((r) => r.status).sort()).toEqual(['booked', 'failed']);
    expect(states.find((r) => r.status === 'failed').error.code).toBe('refund_exceeds_order');
    const credited = (await api.journal()).filter((v) => v.kind === 'credit_note');
    expect(credited).toHaveLength(1);
  });
});
