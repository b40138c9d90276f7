import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelApiError, WooCommerceChannel, type ChannelApi } from '../../../src/adapters/channels';
import { WooCommerceRestApi } from '../../../src/adapters/channels/woocommerce/rest-api';
import { startFakeWooCommerce, WOO_KEY, WOO_SECRET, wooOrderFrom, wooRefundFixture, type FakeWooCommerce } from '../../support/fake-channels/woocommerce';

let woo: FakeWooCommerce;
const api = (opts: { key?: string; secret?: string; timeoutMs?: number } = {}) =>
  new WooCommerceRestApi({ storeUrl: woo.url, consumerKey: opts.key ?? WOO_KEY, consumerSecret: opts.secret ?? WOO_SECRET, timeoutMs: opts.timeoutMs });

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

const refunded = 2_100; // wooOrderFrom(100)

beforeAll(async () => {
  woo = await startFakeWooCommerce();
  // Two orders on 28 February; 250 from 1 March 08:00 GMT on: pages of 100, 100 and 50.
  woo.seed(wooOrderFrom(-1_440), wooOrderFrom(-510));
  for (let n = 0; n < 250; n++) woo.seed(wooOrderFrom(n));
  woo.refund(String(refunded), wooRefundFixture());
  woo.refund(String(refunded), { ...wooRefundFixture(), id: 2202, amount: '50.00', line_items: [], reason: 'Goodwill' });
});
afterAll(() => woo?.close());

describe('WooCommerce REST API client', () => {
  it('lists every order since the start date, oldest first, page by page', async () => {
    woo.http.requests.length = 0;
    const { ids, pages } = await listAll(api(), '2026-03-01');
    expect(pages).toBe(3);
    expect(ids).toHaveLength(250);
    expect(ids[0]).toBe(2000);
    expect(ids.at(-1)).toBe(2249);
    expect(new Set(ids).size).toBe(250);

    expect(woo.http.requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    expect(Object.fromEntries(woo.http.requests[0]!.query)).toEqual({
      after: '2026-02-28T23:59:59', // `after` is exclusive: an order at exactly midnight still comes
      dates_are_gmt: 'true',
      per_page: '100',
      page: '1',
      orderby: 'date',
      order: 'asc',
    });
    const basic = `Basic ${Buffer.from(`${WOO_KEY}:${WOO_SECRET}`).toString('base64')}`;
    for (const r of woo.http.requests) expect(r.headers.authorization).toBe(basic);
  });

  it('reads the start date in UTC: an order at 00:30 Copenhagen time on 1 March is still February', async () => {
    // 28 Feb 23:30 GMT is 1 March 00:30 in the shop's time zone.
    const { ids } = await listAll(api(), '2026-03-01');
    expect(ids).not.toContain(wooOrderFrom(-510).id);
    expect(ids).not.toContain(wooOrderFrom(-1_440).id);
    expect((await listAll(api(), '2026-02-28')).ids).toHaveLength(252);
  });

  it('continues from a page cursor in a new process and stops at X-WP-TotalPages', async () => {
    const third = await api().listOrders('2026-03-01', '3');
    expect(third.orders).toHaveLength(50);
    expect(third.next).toBeNull();
    expect((await api().listOrders('2026-03-01', '2')).next).toBe('3');
    await expect(api().listOrders('2026-03-01', 'abc')).rejects.toThrow(/cursor/);
  });

  it('fetches the refunds an order names in one request, and none for an order without refunds', async () => {
    const order = woo.orders.find((o) => o.id === refunded)!;
    expect(order.refunds).toEqual([
      { id: 2201, reason: 'Forkert størrelse', total: '-134.10' },
      { id: 2202, reason: 'Goodwill', total: '-50.00' },
    ]);
    const before = woo.http.requests.length;
    const refunds = await api().refundsOf(order);
    expect(refunds.map((r) => (r as { id: number }).id)).toEqual([2201, 2202]);
    expect(woo.http.requests.length).toBe(before + 1);
    expect(woo.http.requests.at(-1)!.path).toBe(`/wp-json/wc/v3/orders/${refunded}/refunds`);

    expect(await api().refundsOf(wooOrderFrom(5))).toEqual([]);
    expect(woo.http.requests.length).toBe(before + 1);
  });

  it('fetches one refund, which the WooCommerce channel maps to the refunded line', async () => {
    const order = woo.orders.find((o) => o.id === refunded)!;
    const fetched = await api().getRefund(String(refunded), '2201');
    expect(woo.http.requests.at(-1)!.path).toBe(`/wp-json/wc/v3/orders/${refunded}/refunds/2201`);
    const channel = new WooCommerceChannel({ secret: 'wc_unit_secret' });
    expect(channel.parseRefund(fetched, channel.refundContext(order))).toMatchObject({
      type: 'refund',
      refund: { refundId: '2201', orderId: String(refunded), amount: 13_410, lines: [{ lineIndex: 0, quantity: 1 }] },
    });
  });

  it('reports refused keys as credentials, with WooCommerce’s message and without the secret', async () => {
    const wrongKey = await failure(api({ key: 'ck_0000000000000000000000000000000000000000' }).listOrders('2026-03-01', null));
    expect(wrongKey).toMatchObject({ kind: 'credentials', status: 401 });
    expect(wrongKey.message).toMatch(/Consumer key is invalid/);
    const wrongSecret = await failure(api({ secret: 'cs_0000000000000000000000000000000000000000' }).getRefund(String(refunded), '2201'));
    expect(wrongSecret.kind).toBe('credentials');
    expect(wrongSecret.message).toMatch(/Consumer secret is invalid/);
    for (const m of [wrongKey.message, wrongSecret.message]) expect(m).not.toMatch(/ck_|cs_|Basic/);
  });

  it('reports an unknown refund or order as not_found', async () => {
    expect(await failure(api().getRefund(String(refunded), '9999'))).toMatchObject({ kind: 'not_found', status: 404 });
    const noOrder = await failure(api().getRefund('777777', '2201'));
    expect(noOrder.kind).toBe('not_found');
    expect(noOrder.message).toMatch(/Invalid order ID/);
  });

  it('reports a 429 as rate_limited with the wait the store asked for, then reads on', async () => {
    woo.http.inject({ status: 429, message: 'Too many requests', retryAfter: '7' });
    const err = await failure(api().getRefund(String(refunded), '2201'));
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 7000 });
    expect(await api().getRefund(String(refunded), '2201')).toMatchObject({ id: 2201 });
  });

  it('reports 5xx and a store that does not answer in time as unavailable', async () => {
    woo.http.inject({ status: 502, message: 'Bad gateway' }, { times: 2 });
    expect(await failure(api().listOrders('2026-03-01', null))).toMatchObject({ kind: 'unavailable', status: 502 });
    expect(await failure(api().listOrders('2026-03-01', null))).toMatchObject({ kind: 'unavailable', status: 502 });
    expect((await api().listOrders('2026-03-01', null)).orders).toHaveLength(100);

    woo.http.inject({ slowMs: 3_000 });
    const started = Date.now();
    const err = await failure(api({ timeoutMs: 300 }).listOrders('2026-03-01', null));
    expect(err.kind).toBe('unavailable');
    expect(err.message).toMatch(/no answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('reports a wrong store URL path as not_found, with WordPress’s reason', async () => {
    const err = await failure(new WooCommerceRestApi({ storeUrl: `${woo.url}/wp-json/wc/v3`, consumerKey: WOO_KEY, consumerSecret: WOO_SECRET }).listOrders('2026-03-01', null));
    expect(err.kind).toBe('not_found');
    expect(err.message).toMatch(/rest_no_route/);
  });
});
