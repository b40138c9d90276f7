import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelApiError, ShopifyChannel, type ChannelApi } from '../../../src/adapters/channels';
import { ShopifyAdminApi } from '../../../src/adapters/channels/shopify/admin-api';
import { SHOPIFY_TOKEN, shopifyOrderFrom, shopifyRefundFor, startFakeShopify, type FakeShopify } from '../../support/fake-channels/shopify';

let shopify: FakeShopify;
const api = (opts: { token?: string; timeoutMs?: number } = {}) => new ShopifyAdminApi({ storeUrl: `${shopify.url}/`, accessToken: opts.token ?? SHOPIFY_TOKEN, timeoutMs: opts.timeoutMs });

/** Every order since `since`, page by page, as a backfill reads them; answers the ids and the number of pages. */
async function listAll(client: ChannelApi, since: string) {
  const ids: unknown[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { orders: unknown[]; next: string | null } = await client.listOrders(since, cursor);
    ids.push(...page.orders.map((o) => (o as { id: number }).id));
    cursor = page.next;
    pages++;
  } while (cursor);
  return { ids, pages };
}

async function failure(promise: Promise<unknown>): Promise<ChannelApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ChannelApiError)) throw new Error(`expected a ChannelApiError, got ${String(err)}`);
  return err;
}

beforeAll(async () => {
  shopify = await startFakeShopify();
  // 2 orders in February (before the start date), then 600 from 1 March on: pages of 250, 250 and 100.
  shopify.seed(shopifyOrderFrom(-2_000), shopifyOrderFrom(-1_500));
  for (let n = 0; n < 600; n++) shopify.seed(shopifyOrderFrom(n));
  // Closed and cancelled orders were sales too (or their cancellation is booked): listed with status=any.
  shopify.orders[10]!.closed_at = '2026-03-02T10:00:00+01:00';
  shopify.orders[11]!.cancelled_at = '2026-03-02T11:00:00+01:00';
});
afterAll(() => shopify?.close());

describe('Shopify Admin API client', () => {
  it('lists every order since the start date through the Link header cursor, with documented parameters only', async () => {
    shopify.http.requests.length = 0;
    const { ids, pages } = await listAll(api(), '2026-03-01');
    expect(pages).toBe(3);
    expect(ids).toHaveLength(600);
    expect(ids[0]).toBe(5_600_000_000_000);
    expect(ids.at(-1)).toBe(5_600_000_000_599);
    expect(new Set(ids).size).toBe(600);

    const [first, ...later] = shopify.http.requests;
    // A supported version (2026-07), and no `order`: Shopify documents no sort parameter for orders.json.
    expect(first!.path).toBe('/admin/api/2026-07/orders.json');
    expect(Object.fromEntries(first!.query)).toEqual({ status: 'any', created_at_min: '2026-03-01T00:00:00Z', limit: '250' });
    const documented = JSON.parse(readFileSync(new URL('../../fixtures/vendors/shopify/admin-rest-2026-07/list-parameters.json', import.meta.url), 'utf8'));
    for (const r of shopify.http.requests) expect(documented['GET /admin/api/2026-07/orders.json']).toEqual(expect.arrayContaining([...r.query.keys()]));
    // Shopify refuses filters next to page_info: later pages send only the cursor and the page size.
    for (const r of later) expect([...r.query.keys()].sort()).toEqual(['limit', 'page_info']);
    for (const r of shopify.http.requests) expect(r.headers['x-shopify-access-token']).toBe(SHOPIFY_TOKEN);
  });

  it('continues from a cursor in a new process, and answers no cursor after the last page', async () => {
    const first = await api().listOrders('2026-03-01', null);
    expect(first.next).toEqual(expect.any(String));
    const second = await api().listOrders('2026-03-01', first.next);
    expect((second.orders[0] as { id: number }).id).toBe(5_600_000_000_250);
    const third = await api().listOrders('2026-03-01', second.next);
    expect(third.orders).toHaveLength(100);
    expect(third.next).toBeNull();
  });

  it('starts at the given day: orders created earlier are not listed', async () => {
    const { ids } = await listAll(api(), '2026-03-01');
    expect(ids).not.toContain(shopifyOrderFrom(-2_000).id);
    const later = await listAll(api(), '2026-03-02'); // 1 March 08:00 + 600 minutes ends on 1 March
    expect(later.ids).toEqual([]);
    await expect(api().listOrders('1 March', null)).rejects.toThrow(/YYYY-MM-DD/);
  });

  it('answers the refunds inside an order without asking the store', async () => {
    const order = shopifyOrderFrom(700);
    const refund = shopifyRefundFor(order);
    order.refunds = [refund];
    const before = shopify.http.requests.length;
    expect(await api().refundsOf(order)).toEqual([refund]);
    expect(await api().refundsOf(shopifyOrderFrom(701))).toEqual([]);
    expect(shopify.http.requests.length).toBe(before);
  });

  it('fetches one refund, which the Shopify channel maps', async () => {
    const order = shopifyOrderFrom(800);
    const refund = shopifyRefundFor(order, 9_876_543_210_800);
    order.refunds = [refund];
    shopify.seed(order);
    const fetched = await api().getRefund(String(order.id), '9876543210800');
    expect(fetched).toEqual(refund);
    const channel = new ShopifyChannel({ secret: 'shpss_unit' });
    const event = channel.parseRefund(fetched, channel.refundContext(order));
    expect(event).toMatchObject({ type: 'refund', refund: { refundId: '9876543210800', orderId: String(order.id), currency: 'DKK' } });
    expect(shopify.http.requests.at(-1)!.path).toBe(`/admin/api/2026-07/orders/${String(order.id)}/refunds/9876543210800.json`);
  });

  it('reports refused keys as credentials, with Shopify’s reason and without the token', async () => {
    const err = await failure(api({ token: 'shpat_revoked_0000000000000000' }).listOrders('2026-03-01', null));
    expect(err.kind).toBe('credentials');
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/Invalid API key or access token/);
    expect(err.message).not.toMatch(/shpat_/);
  });

  it('reports an unknown refund as not_found', async () => {
    const err = await failure(api().getRefund(String(shopifyOrderFrom(1).id), '1'));
    expect(err).toMatchObject({ kind: 'not_found', status: 404 });
    await expect(api().getRefund('../shop', '1')).rejects.toMatchObject({ kind: 'rejected' });
  });

  it('reports a 429 as rate_limited with the wait Shopify asked for, then reads on', async () => {
    shopify.http.inject({ status: 429, message: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.', retryAfter: '2.0' });
    const err = await failure(api().listOrders('2026-03-01', null));
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 2000 });
    expect(err.message).toMatch(/Exceeded 2 calls per second/);
    expect((await api().listOrders('2026-03-01', null)).orders).toHaveLength(250);
  });

  it('reports 5xx and a store that does not answer in time as unavailable', async () => {
    shopify.http.inject({ status: 503, message: 'Service Unavailable' });
    expect(await failure(api().listOrders('2026-03-01', null))).toMatchObject({ kind: 'unavailable', status: 503 });

    shopify.http.inject({ slowMs: 3_000 });
    const started = Date.now();
    const err = await failure(api({ timeoutMs: 300 }).getRefund(String(shopifyOrderFrom(800).id), '9876543210800'));
    expect(err.kind).toBe('unavailable');
    expect(err.message).toMatch(/no answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('reports other refusals as rejected with Shopify’s errors text', async () => {
    const first = await api().listOrders('2026-03-01', null);
    // A cursor tampered with (or from another store) is refused by Shopify with a 400.
    const err = await failure(api().listOrders('2026-03-01', `${first.next!}x!`));
    expect(err).toMatchObject({ kind: 'rejected', status: 400 });
    expect(err.message).toMatch(/page_info/);
  });
});
