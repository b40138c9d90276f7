import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, shops } from '../../db/schema';
import { statusActivities } from '../../activities/status';
import { shopClient } from '../support/api';
import { cardOrder, danishMapping } from '../support/fixtures';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const countOrders = async () => (await h.db.select({ n: count() }).from(orders))[0]!.n;

describe('the REST API', () => {
  it('answers a malformed order with 400 naming each field and reason, and writes nothing', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const before = await countOrders();
    const bad = { ...cardOrder('X1', 10_000), total: 100.5, currency: 'dkk', lines: [] };
    const res = await api.call('POST', '/v1/webhooks/orders', bad);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('invalid_request');
    const paths = error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.total', 'body.currency', 'body.lines']));
    expect(error.issues.find((i: { path: string }) => i.path === 'body.total').message).toMatch(/minor units/);
    expect(await countOrders()).toBe(before);
  });

  it('rejects a missing or wrong key with 401 and writes nothing', async () => {
    const before = await countOrders();
    const none = await h.app.inject({ method: 'POST', url: '/v1/webhooks/orders', payload: cardOrder('X2', 1_000) });
    expect(none.statusCode).toBe(401);
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/v1/webhooks/orders',
      headers: { authorization: 'Bearer lb_not-a-key' },
      payload: cardOrder('X2', 1_000),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('unauthorized');
    expect(await countOrders()).toBe(before);
  });

  it('lets only the admin key create shops, and stores API keys hashed', async () => {
    const shopKey = (await h.createShop()).apiKey;
    const asShop = await h.app.inject({ method: 'POST', url: '/v1/admin/shops', headers: { authorization: `Bearer ${shopKey}` }, payload: { name: 'x' } });
    expect(asShop.statusCode).toBe(401);
    const stored = await h.db.select({ hash: shops.apiKeyHash }).from(shops);
    expect(stored.some((s) => s.hash === shopKey)).toBe(false);
    expect(stored.every((s) => /^[0-9a-f]{64}$/.test(s.hash))).toBe(true);
  });

  it("answers 404 for another shop's order, never its data", async () => {
    const a = await h.createShop({ mapping: danishMapping });
    const b = await h.createShop({ mapping: danishMapping });
    const apiA = shopClient(h, a.apiKey);
    const apiB = shopClient(h, b.apiKey);
    await apiA.sendOrder(cardOrder('SECRET-1', 4_200));
    await apiA.orderReaches('SECRET-1', 'booked');
    for (const [method, url] of [
      ['GET', '/v1/orders/SECRET-1'],
      ['GET', '/v1/orders/SECRET-1/timeline'],
      ['POST', '/v1/orders/SECRET-1/restart'],
      ['POST', '/v1/orders/SECRET-1/book-draft'],
    ] as const) {
      const res = await apiB.call(method, url);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.body).not.toContain('4200');
    }
    expect((await apiB.call('GET', '/v1/orders')).json().orders).toEqual([]);
    expect((await apiB.journal()).length).toBe(0);
  });

  it('lists orders by status with a cursor, and shows a timeline', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    for (const id of ['O1', 'O2', 'O3']) await api.sendOrder(cardOrder(id, 1_000));
    for (const id of ['O1', 'O2', 'O3']) await api.orderReaches(id, 'booked');
    const first = (await api.call('GET', '/v1/orders?status=booked&limit=2')).json();
    expect(first.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['O1', 'O2']);
    const second = (await api.call('GET', `/v1/orders?status=booked&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ orders: [{ orderId: 'O3' }], nextCursor: null });
    const timeline = (await api.call('GET', '/v1/orders/O1/timeline')).json().events.map((e: { status: string }) => e.status);
    // The batch writes no status of its own: the booking is queued until it has its outcome (one writer, no `posting`).
    expect(timeline).toEqual(['queued', 'booked']);
  });

  it('shows each step of a timeline once, however often its write is retried', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.sendOrder(cardOrder('T1', 1_000));
    const booked = await api.orderReaches('T1', 'booked');
    // What a local activity retried after a lost answer writes again (under load: up to five `booked` entries).
    const { recordBookingStatus } = statusActivities(h.db);
    const again = { subject: 'order' as const, shopId: shop.shopId, subjectId: 'T1', status: 'booked' as const, error: null, reason: null, documents: booked.documents };
    await Promise.all([recordBookingStatus(again), recordBookingStatus(again), recordBookingStatus(again)]);
    await recordBookingStatus({ ...again, status: 'needs_correction', reason: 'order_changed_after_booking' });
    await recordBookingStatus({ ...again, status: 'needs_correction', reason: 'order_changed_after_booking' });
    const timeline = (await api.call('GET', '/v1/orders/T1/timeline')).json().events.map((e: { status: string }) => e.status);
    expect(timeline).toEqual(['queued', 'booked', 'needs_correction']);
  });

  it('refuses a mapping with a key it does not know, naming the key, and keeps the saved one', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    const res = await api.call('PUT', '/v1/mapping', { ...danishMapping, accounts: { ...danishMapping.accounts, disputes: '5830' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.issues).toEqual([{ path: 'body.accounts', message: 'unknown key "disputes": not a field of the mapping here' }]);
    expect((await api.call('GET', '/v1/mapping')).json()).toEqual(danishMapping);
  });

  it('publishes an OpenAPI document describing every route', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    for (const path of ['/v1/admin/shops', '/v1/webhooks/orders', '/v1/orders/{orderId}', '/v1/orders/restart', '/v1/ledger/quota', '/v1/mapping']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.paths['/v1/webhooks/orders'].post.requestBody.content['application/json'].schema.properties.lines).toBeDefined();
  });
});
