import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, shops } from '../../db/schema';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping, refundOf } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

let h: Harness;
let a: Awaited<ReturnType<Harness['createShop']>>;
let b: Awaited<ReturnType<Harness['createShop']>>;
let connectionA = '';
beforeAll(async () => {
  h = await startHarness();
  a = await h.createShop({ mapping: danishMapping });
  b = await h.createShop({ mapping: danishMapping });
  const api = shopClient(h, a.apiKey);
  await api.sendOrder(cardOrder('A-1', 4_242));
  await api.orderReaches('A-1', 'booked');
  await api.sendRefund(refundOf('A-R1', 'A-1', 1_000));
  await api.refundReaches('A-R1', 'booked');
  connectionA = (await api.call('POST', '/v1/acquirers', { acquirer: 'nets', source: 'json' })).json().connectionId;
  await api.call('POST', `/v1/acquirers/${connectionA}/payouts`, {
    payouts: [{ payoutId: 'A-PO', currency: 'DKK', paidOutAt: '2026-11-04', netAmount: 4_242, lines: [{ type: 'payment', amount: 4_242, currency: 'DKK', transactionId: 'txn-A-1', date: '2026-11-02' }] }],
  });
  await eventually(async () => ((await api.call('GET', `/v1/payouts/${connectionA}/A-PO`)).json().status === 'booked' ? true : undefined));
});
afterAll(() => h?.close());

/** Shop A's resource ids, to put into every path parameter. */
const paramsOfA = () => ({ orderId: 'A-1', refundId: 'A-R1', connectionId: connectionA, payoutId: 'A-PO', action: 'approve' });

describe('tenant isolation', () => {
  it("gives shop B's key a 404 (or an empty list) on every shop route for shop A's resources, never A's data", async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    // What only shop A knows (the ids B asks for may be echoed back in a 404, but nothing about them).
    const secrets = ['4242', 'txn-A-1', 'Jens', a.shopId, a.ledgerId];
    let checked = 0;
    for (const [path, methods] of Object.entries<Record<string, unknown>>(doc.paths)) {
      // A signed-in person's routes (session, people, shops) are not a shop key's: people-sessions.test.ts holds them.
      if (/^\/v1\/(admin|session|people|shops)\b/.test(path)) continue;
      for (const method of Object.keys(methods)) {
        const url = path.replace(/\{(\w+)\}/g, (_, p: keyof ReturnType<typeof paramsOfA>) => paramsOfA()[p]);
        const res = await h.app.inject({
          method: method.toUpperCase() as 'GET',
          url: method === 'get' && path === '/v1/reports/balance' ? `${url}?from=2026-11-01&to=2026-11-30` : url,
          headers: { authorization: `Bearer ${b.apiKey}`, ...(method === 'get' ? {} : { 'content-type': 'application/json' }) },
          ...(method === 'get' ? {} : { payload: '{}' }),
        });
        checked++;
        expect(res.statusCode, `${method.toUpperCase()} ${url}`).toBeLessThan(500);
        const hasParams = /\{\w+\}/.test(path);
        if (hasParams) expect([400, 404, 409], `${method.toUpperCase()} ${url} → ${res.statusCode}`).toContain(res.statusCode);
        for (const s of secrets) expect(res.body, `${method.toUpperCase()} ${url} leaks ${s}`).not.toContain(s);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('lists only its own orders and journal', async () => {
    const api = shopClient(h, b.apiKey);
    expect((await api.call('GET', '/v1/orders')).json().orders).toEqual([]);
    expect((await api.call('GET', '/v1/payouts')).json().payouts).toEqual([]);
    expect(await api.journal()).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  it('describes every route the API serves, with its schemas', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const documented = new Set(Object.entries<Record<string, unknown>>(doc.paths).flatMap(([p, m]) => Object.keys(m).map((k) => `${k.toUpperCase()} ${p}`)));
    expect(h.app.routeList.length).toBeGreaterThan(20);
    for (const route of h.app.routeList) expect(documented, route).toContain(route);
    for (const [path, methods] of Object.entries<Record<string, { responses: Record<string, unknown> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) expect(Object.keys(op.responses), `${method} ${path}`).not.toHaveLength(0);
    }
    expect(documented).toContain('POST /v1/webhooks/orders');
    expect(documented).toContain('GET /v1/reports/balance');
  });
});

describe('idempotency keys', () => {
  it('replays the first answer for a repeated POST and refuses the key for another request', async () => {
    const headers = { authorization: `Bearer ${a.apiKey}`, 'idempotency-key': 'order-A-2-attempt' };
    const send = (total: number) => h.app.inject({ method: 'POST', url: '/v1/webhooks/orders', headers, payload: cardOrder('A-2', total) });
    const first = await send(1_000);
    const again = await send(1_000);
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await send(2_000);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
    expect((await h.db.select({ n: count() }).from(orders).where(eq(orders.orderId, 'A-2')))[0]!.n).toBe(1);
  });
});

describe('keys', () => {
  it('rotates a shop API key: the old key stops working at once', async () => {
    const shop = await h.createShop();
    const rotated = await h.app.inject({ method: 'POST', url: `/v1/admin/shops/${shop.shopId}/rotate-api-key`, headers: { authorization: `Bearer ${h.adminKey}` } });
    expect(rotated.statusCode).toBe(200);
    const newKey = rotated.json().apiKey;
    expect((await shopClient(h, shop.apiKey).call('GET', '/v1/orders')).statusCode).toBe(401);
    expect((await shopClient(h, newKey).call('GET', '/v1/orders')).statusCode).toBe(200);
  });

  it('stores webhook secrets sealed and lists shops without secrets', async () => {
    const shop = await h.createShop();
    expect(shop.webhookSecret).toMatch(/^whsec_/);
    const [row] = await h.db.select().from(shops).where(eq(shops.id, shop.shopId));
    expect(row!.webhookSecret).toMatch(/^v1:/);
    expect(row!.webhookSecret).not.toContain(shop.webhookSecret!);
    const list = await h.app.inject({ method: 'GET', url: '/v1/admin/shops', headers: { authorization: `Bearer ${h.adminKey}` } });
    expect(list.json().shops.map((s: { shopId: string }) => s.shopId)).toContain(shop.shopId);
    expect(list.body).not.toContain(shop.apiKey);
    expect(list.body).not.toContain(shop.webhookSecret!);
  });
});

describe('rate limiting', () => {
  it('answers 429 with a stable code once a key exceeds its requests per minute', async () => {
    const limited = await startHarness({ rateLimitPerMinute: 3 });
    try {
      const shop = await limited.createShop();
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await shopClient(limited, shop.apiKey).call('GET', '/v1/orders')).statusCode);
      expect(codes).toEqual([200, 200, 200, 429]);
      const res = await shopClient(limited, shop.apiKey).call('GET', '/v1/orders');
      expect(res.json().error.code).toBe('rate_limited');
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });
});
