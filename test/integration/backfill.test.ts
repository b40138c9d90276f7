import { createHmac } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, postings, vouchers } from '../../db/schema';
import { shopClient } from '../support/api';
import { SHOPIFY_TOKEN, shopifyOrderFrom, shopifyRefundFor, startFakeShopify, type FakeShopify } from '../support/fake-channels/shopify';
import { danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

const SECRET = 'shpss_0123456789abcdef0123456789abcdef';
const mapping = { ...danishMapping, paymentMethods: { ...danishMapping.paymentMethods, quickpay: { acquirer: 'quickpay', receivableAccount: '5815' } } };

let h: Harness;
let store: FakeShopify;
beforeAll(async () => {
  h = await startHarness();
  store = await startFakeShopify();
});
afterAll(async () => {
  await store?.close();
  await h?.close();
});

interface Progress {
  status: string;
  phase: string;
  pages: number;
  orders: number;
  refunds: number;
  line: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('history backfill', () => {
  it('registers 1,000 historical orders through a worker restart, posts nothing before activation, and reports progress throughout', async () => {
    const shop = await h.createShop({ mapping, transfer: 'held' });
    const api = shopClient(h, shop.apiKey);
    const history = Array.from({ length: 1000 }, (_, i) => shopifyOrderFrom(i + 1));
    // Every 20th order was partly refunded; one order is from before the start date and must not come.
    history.forEach((o, i) => i % 20 === 0 && (o.refunds = [shopifyRefundFor(o, 9_000_000 + i)]));
    store.seed(shopifyOrderFrom(-60 * 24 * 40), ...history);

    const noKeys = await api.call('POST', '/v1/backfill', {});
    expect(noKeys.statusCode).toBe(422);
    expect(noKeys.json().error.code).toBe('channel_api_missing');
    const connected = await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET, storeUrl: store.url, api: { accessToken: SHOPIFY_TOKEN } });
    expect(connected.statusCode, connected.body).toBe(200);

    // Slow pages, as a store under load answers, so the worker can be stopped while a page is in flight.
    store.http.inject({ slowMs: 1500 }, { path: /orders\.json/, times: 10 });
    const started = await api.call('POST', '/v1/backfill', { since: '2026-03-01' });
    expect(started.statusCode, started.body).toBe(202);
    expect((await api.call('POST', '/v1/backfill', {})).statusCode).toBe(409);

    const seen: Progress[] = [];
    const poll = async () => {
      const res = await api.call('GET', '/v1/backfill');
      expect(res.statusCode, res.body).toBe(200);
      const p = res.json() as Progress;
      if (seen.at(-1)?.line !== p.line) seen.push(p);
      return p;
    };

    await eventually(async () => ((await poll()).orders >= 250 ? true : undefined), 120_000, 'the first page');
    await h.stopWorker();
    // With no worker the progress still answers, and stands still.
    const frozen = await poll();
    await sleep(2000);
    expect((await poll()).orders).toBe(frozen.orders);
    expect(frozen.status).toBe('running');
    await h.startWorker();

    const done = await eventually(async () => {
      const p = await poll();
      return p.status === 'running' ? undefined : p;
    }, 300_000, 'the backfill to finish');
    expect(done).toMatchObject({ status: 'completed', phase: 'done', pages: 4, orders: 1000, refunds: 50, rejected: 0 });
    expect(done.line).toMatch(/^Backfill done: 1000 orders, 50 refunds, 0 payouts registered from 4 pages/);
    // Progress moved forward only, through several steps.
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.orders).toBeGreaterThanOrEqual(seen[i - 1]!.orders);
    expect(seen.some((p) => /^Backfill running \(store page \d\): \d+ orders/.test(p.line))).toBe(true);

    // Each historical order once, all held; the one before the start date never came.
    const [stored] = await h.db.select({ n: count() }).from(orders).where(and(eq(orders.shopId, shop.shopId), eq(orders.historical, true)));
    expect(stored!.n).toBe(1000);
    const transfer = await eventually(async () => {
      const t = (await api.call('GET', '/v1/transfer')).json();
      return t.registered.orders === 1000 && t.registered.refunds === 50 ? t : undefined;
    }, 300_000, 'all orders and refunds registered');
    expect(transfer).toMatchObject({ transfer: 'held', activatedAt: null, registered: { orders: 1000, historicalOrders: 1000 } });
    const sample = (await api.call('GET', `/v1/orders/${history[500]!.id}/timeline`)).json().events;
    expect(sample.at(-1)).toMatchObject({ status: 'registered', reason: expect.stringMatching(/historical/) });

    // A live order while transfer is held: registered with the reason, not posted.
    const live = shopifyOrderFrom(5000, '2026-11-20T10:00:00Z');
    expect((await deliver(shop.shopId, live)).statusCode).toBe(202);
    const held = await api.orderReaches(String(live.id), 'registered');
    expect(await ledgerWrites(shop.ledgerId)).toEqual({ vouchers: 0, postings: 0 });
    expect(held.status).toBe('registered');

    // Activation posts the live order from then on, not the history.
    const activated = await api.call('POST', '/v1/transfer/activate');
    expect(activated.statusCode, activated.body).toBe(200);
    expect(activated.json().released).toBe(1);
    await api.orderReaches(String(live.id), 'booked');
    expect(await ledgerWrites(shop.ledgerId)).toEqual({ vouchers: 2, postings: 2 });

    // The owner marks two historical orders, one with a refund: exactly those are posted, the refund follows.
    const [withRefund, plain] = [history[20]!, history[21]!];
    const marked = await api.call('POST', '/v1/transfer/mark', { orderIds: [String(withRefund.id), String(plain.id), 'no-such-order'] });
    expect(marked.statusCode, marked.body).toBe(202);
    expect(marked.json()).toEqual({ marked: 2, notRegistered: [], unknown: ['no-such-order'] });
    await api.orderReaches(String(withRefund.id), 'booked');
    await api.orderReaches(String(plain.id), 'booked');
    await api.refundReaches(String(9_000_020), 'booked');
    const journal = await api.journal();
    expect(journal.map((v) => v.kind).sort()).toEqual(['credit_note', 'invoice', 'invoice', 'invoice', 'payment', 'payment', 'payment', 'refund_payment']);
    expect((await api.call('GET', '/v1/transfer')).json().registered).toMatchObject({ orders: 998, historicalOrders: 998, refunds: 49 });
  }, 600_000); // its own waits allow 7 minutes: 1,000 orders through a restart on a loaded 2-core machine
});

async function ledgerWrites(ledgerId: string) {
  const [v] = await h.db.select({ n: count() }).from(vouchers).where(eq(vouchers.ledgerId, ledgerId));
  const [p] = await h.db.select({ n: count() }).from(postings).where(eq(postings.ledgerId, ledgerId));
  return { vouchers: v!.n, postings: p!.n };
}

function deliver(shopId: string, order: unknown) {
  const raw = JSON.stringify(order);
  return h.app.inject({
    method: 'POST',
    url: `/v1/channels/shopify/${shopId}`,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/paid',
      'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(raw).digest('base64'),
      'x-shopify-webhook-id': `live-${(order as { id: number }).id}`,
    },
    payload: raw,
  });
}
