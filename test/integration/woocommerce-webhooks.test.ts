import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingEvents, channelConnections } from '../../db/schema';
import type { Mapping } from '../../src/domain/mapping';
import { workflowIds } from '../../workflows/definitions';
import { linePairs, shopClient } from '../support/api';
import { startFakeWooCommerce, WOO_KEY, WOO_SECRET, wooOrderFrom, wooRefundFixture, type FakeWooCommerce } from '../support/fake-channels/woocommerce';
import { danishMapping } from '../support/fixtures';
import { eventually, startHarness, type Harness } from '../support/harness';

const WEBHOOK_SECRET = 'wc_webhook_3f9a1c0e5b7d';
type Json = ReturnType<typeof JSON.parse>;
const orderFixture = (): Json => JSON.parse(readFileSync(new URL('../fixtures/channels/woocommerce/order-dk-coupon-fee.json', import.meta.url), 'utf8'));

/** The fixture shop books WooCommerce orders once they are processing, and charges a payment fee. */
const mapping: Mapping = {
  ...danishMapping,
  readyStatuses: ['processing', 'completed'],
  paymentMethods: { ...danishMapping.paymentMethods, quickpay: { acquirer: 'quickpay', receivableAccount: '5815' } },
  paymentFee: { account: '1200', vatCode: 'S25' },
};

let h: Harness;
let woo: FakeWooCommerce;
beforeAll(async () => {
  [h, woo] = await Promise.all([startHarness(), startFakeWooCommerce()]);
});
afterAll(async () => {
  await h?.close();
  await woo?.close();
});

/** Delivers as WooCommerce does: raw JSON, base64 HMAC-SHA256 of those bytes, topic, webhook and delivery ids. */
function deliver(shopId: string, topic: string, payload: unknown, deliveryId: string = randomUUID()) {
  const raw = JSON.stringify(payload);
  return h.app.inject({
    method: 'POST',
    url: `/v1/channels/woocommerce/${shopId}`,
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-source': 'https://shop.example.dk/',
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': topic.split('.')[1]!,
      'x-wc-webhook-signature': createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('base64'),
      'x-wc-webhook-id': '7',
      'x-wc-webhook-delivery-id': deliveryId,
    },
    payload: raw,
  });
}

async function connectedShop(consumerSecret = WOO_SECRET) {
  const shop = await h.createShop({ mapping });
  const api = shopClient(h, shop.apiKey);
  const res = await api.call('PUT', '/v1/channel', {
    platform: 'woocommerce',
    secret: WEBHOOK_SECRET,
    storeUrl: woo.url,
    api: { consumerKey: WOO_KEY, consumerSecret },
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json()).toEqual({ webhookUrl: `/v1/channels/woocommerce/${shop.shopId}`, restApi: { configured: true, storeUrl: woo.url }, refundsRefetched: [] });
  expect(res.body).not.toMatch(/ck_|cs_/);
  const [stored] = await h.db.select().from(channelConnections).where(eq(channelConnections.shopId, shop.shopId));
  expect(stored!.apiCredentials).toMatch(/^v1:/);
  expect(stored!.apiCredentials).not.toContain(consumerSecret);
  return { ...shop, api };
}

/** The order as the store holds it once the refund is made, with the refund object its REST API serves. */
function refundedOrder(): Json {
  const order = orderFixture();
  if (!woo.orders.some((o) => o.id === order.id)) {
    woo.seed(order);
    woo.refund(String(order.id), wooRefundFixture());
  }
  return structuredClone(woo.orders.find((o) => o.id === order.id)!);
}

const refundRequests = () => woo.http.requests.filter((r) => r.path === '/wp-json/wc/v3/orders/1042/refunds/2201');

describe('WooCommerce webhooks with refunds from the REST API', () => {
  it('books created → paid → partially refunded as one invoice, one payment and one credit note, each once', async () => {
    const shop = await connectedShop();
    const { api } = shop;

    const pending = orderFixture();
    Object.assign(pending, { status: 'pending', date_paid: null, date_paid_gmt: null, transaction_id: '', needs_payment: true });
    const created = await deliver(shop.shopId, 'order.created', pending);
    expect(created.statusCode, created.body).toBe(202);
    expect(created.json()).toMatchObject({ outcome: 'accepted', workflowId: `order/${shop.shopId}/1042` });
    await api.orderReaches('1042', 'waiting');

    const paid = await deliver(shop.shopId, 'order.updated', orderFixture());
    expect(paid.json()).toMatchObject({ outcome: 'accepted' });
    expect((await api.orderReaches('1042', 'booked')).documents).toEqual({ invoice: '1', payment: '2' });

    // The store is busy when we first ask for the refund: it answers 429 and asks for 3 s.
    woo.http.inject({ status: 429, message: 'Too many requests', retryAfter: '3' }, { path: /\/refunds\/2201$/ });
    const update = refundedOrder();
    expect(update.refunds).toEqual([{ id: 2201, reason: 'Forkert størrelse', total: '-134.10' }]);
    const deliveryId = randomUUID();
    const started = Date.now();
    const refunded = await deliver(shop.shopId, 'order.updated', update, deliveryId);
    expect(refunded.statusCode).toBe(202);
    expect(refunded.json()).toMatchObject({ outcome: 'accepted', workflowId: `order/${shop.shopId}/1042` });
    // The webhook did not wait for the store.
    expect(Date.now() - started).toBeLessThan(2_500);
    expect((await api.call('GET', '/v1/refunds/2201')).json().status ?? 'none').not.toBe('booked');

    // WooCommerce delivers again: the same delivery (dropped) and the same update anew (a new delivery id).
    expect((await deliver(shop.shopId, 'order.updated', update, deliveryId)).json()).toEqual({ duplicate: true });
    expect((await deliver(shop.shopId, 'order.updated', update)).json()).toMatchObject({ outcome: 'accepted' });

    await api.refundReaches('2201', 'booked');
    const journal = await api.journal();
    expect(journal.map((v) => v.kind)).toEqual(['invoice', 'payment', 'credit_note', 'refund_payment']);
    const [invoice, payment, creditNote, refundPayment] = journal;
    expect(invoice!.lines.find((l) => l.account === '5600')!.amount).toBe(60_130);
    expect(linePairs(payment!)).toContainEqual(['5815', 60_130]);
    // One pair of socks back: 134.10 incl. 26.82 VAT, on the receivable the payment used.
    const debit = (v: typeof creditNote, account: string) => v!.lines.filter((l) => l.account === account).reduce((s, l) => s + Math.abs(l.amount), 0);
    expect(debit(creditNote, '5600')).toBe(13_410);
    expect(debit(creditNote, '7230')).toBe(2_682);
    expect(debit(creditNote, '1010')).toBe(10_728);
    expect(debit(refundPayment, '5815')).toBe(13_410);

    // The store was asked twice: refused with 429, then again after the 3 s it asked for; never again after that.
    const asked = refundRequests();
    expect(asked).toHaveLength(2);
    const times = woo.http.startedAt.filter((_, i) => woo.http.requests[i]!.path.endsWith('/refunds/2201'));
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(2_900);
    const events = (await api.call('GET', '/v1/channel/events')).json().events as { topic: string; outcome: string }[];
    expect(events.filter((e) => e.topic === 'refund.fetched').map((e) => e.outcome)).toEqual(['accepted']);
  });

  it('lists a refund the store refused to give (401) with what to fix, and fetches it once the keys are fixed', async () => {
    const shop = await connectedShop('cs_0000000000000000000000000000000000000000');
    const { api } = shop;
    const update = refundedOrder();
    expect((await deliver(shop.shopId, 'order.updated', update)).json()).toMatchObject({ outcome: 'accepted' });
    await api.orderReaches('1042', 'booked');

    const rejected = await eventually(async () => {
      const events = (await api.call('GET', '/v1/channel/events?outcome=rejected')).json().events as { topic: string; reason: string }[];
      return events.find((e) => e.topic === 'refund.fetched');
    }, 30_000, 'the rejected refund fetch');
    expect(rejected.reason).toMatch(/refund 2201 of order 1042/);
    expect(rejected.reason).toMatch(/Consumer secret is invalid/);
    expect(rejected.reason).toMatch(/PUT \/v1\/channel/);
    expect(rejected.reason).not.toMatch(/cs_/);
    const fetch = h.client.workflow.getHandle(workflowIds.channelRefund(shop.shopId, '2201'));
    // The rejection is noted by the fetch's activity; the workflow fails as that activity's failure comes back.
    await eventually(async () => ((await fetch.describe()).status.name === 'FAILED' ? true : undefined), 30_000, 'the refund fetch to fail');
    expect((await api.call('GET', '/v1/refunds/2201')).statusCode).toBe(404);
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice', 'payment']);

    // The owner saves working keys: the refused refund is fetched again at once, with no further order update.
    const fixed = await api.call('PUT', '/v1/channel', { platform: 'woocommerce', secret: WEBHOOK_SECRET, api: { consumerKey: WOO_KEY, consumerSecret: WOO_SECRET } });
    expect(fixed.json()).toMatchObject({ restApi: { configured: true, storeUrl: woo.url }, refundsRefetched: ['2201'] });
    await api.refundReaches('2201', 'booked');
    // The order's next update names the refund again: nothing more is fetched or booked.
    expect((await deliver(shop.shopId, 'order.updated', { ...update, status: 'completed' })).json()).toMatchObject({ outcome: 'accepted' });
    await api.orderReaches('1042', 'booked');
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice', 'payment', 'credit_note', 'refund_payment']);
    const events = (await api.call('GET', '/v1/channel/events')).json().events as { topic: string; outcome: string; reason: string | null }[];
    expect(events.filter((e) => e.topic === 'refund.fetched')).toEqual([expect.objectContaining({ outcome: 'accepted', reason: null })]);
  });

  it('refuses REST keys of the wrong shape per platform, naming the field', async () => {
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    const res = await api.call('PUT', '/v1/channel', { platform: 'woocommerce', secret: WEBHOOK_SECRET, storeUrl: 'http://shop.example.dk', api: { accessToken: 'shpat_0123456789abcdef0123' } });
    expect(res.statusCode).toBe(400);
    const paths = (res.json().error.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.storeUrl', 'body.api.consumerKey', 'body.api.consumerSecret']));

    const noUrl = await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: WEBHOOK_SECRET, api: { accessToken: 'shpat_0123456789abcdef0123' } });
    expect(noUrl.statusCode).toBe(400);
    expect(noUrl.json().error).toMatchObject({ code: 'store_url_missing', message: expect.stringMatching(/storeUrl/), issues: [{ path: 'body.storeUrl', message: expect.any(String) }] });

    const webhooksOnly = await api.call('PUT', '/v1/channel', { platform: 'woocommerce', secret: WEBHOOK_SECRET });
    expect(webhooksOnly.json()).toEqual({ webhookUrl: `/v1/channels/woocommerce/${shop.shopId}`, restApi: { configured: false, storeUrl: null }, refundsRefetched: [] });
  });
});

/** Order `2000 + n` in the store, refunded by `refunds` (each the partial fixture: one pair of socks, 134.10 DKK). */
function storeOrderWithRefunds(n: number, refunds: Json[], over: Json = {}): Json {
  const order = { ...wooOrderFrom(n), ...over };
  woo.seed(order);
  for (const r of refunds) woo.refund(String(order.id), r);
  return structuredClone(woo.orders.find((o) => o.id === order.id)!);
}

describe('WooCommerce refunds as the documents describe them', () => {
  it('books a refund paid back outside the gateway (refunded_payment false) from the mapped account, never the acquirer receivable', async () => {
    const shop = await connectedShop();
    const { api } = shop;
    const refund = { ...wooRefundFixture(), id: 2911, refunded_payment: false };
    const update = storeOrderWithRefunds(911, [refund]);
    expect((await deliver(shop.shopId, 'order.updated', update)).json()).toMatchObject({ outcome: 'accepted' });
    await api.orderReaches('2911', 'booked');

    // The mapping does not say where such money comes from: a named error with its fix, nothing booked from 5815.
    const failed = await api.refundReaches('2911', 'failed');
    expect(failed.error).toMatchObject({ code: 'unmapped_refund_outside_gateway', fix: expect.stringContaining('refundsOutsideGatewayAccount') });
    expect(failed.error.fix).toMatch(/PUT \/v1\/mapping/);
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice', 'payment']);

    expect((await api.call('PUT', '/v1/mapping', { ...mapping, refundsOutsideGatewayAccount: '5820' })).statusCode).toBe(200);
    expect((await api.call('POST', '/v1/refunds/2911/restart')).statusCode).toBe(202);
    await api.refundReaches('2911', 'booked');
    const refundPayment = (await api.journal()).find((v) => v.kind === 'refund_payment')!;
    expect(linePairs(refundPayment)).toEqual([['5600', 13_410], ['5820', -13_410]]);
  });

  it('books the credit notes of an order completed but never paid, with no refund payment, and says so', async () => {
    const shop = await connectedShop();
    const { api } = shop;
    const unpaid = { status: 'completed', date_paid: null, date_paid_gmt: null, transaction_id: '', needs_payment: false };
    const update = storeOrderWithRefunds(912, [{ ...wooRefundFixture(), id: 2912 }, { ...wooRefundFixture(), id: 2913 }], unpaid);
    expect((await deliver(shop.shopId, 'order.updated', update)).json()).toMatchObject({ outcome: 'accepted' });
    expect((await api.orderReaches('2912', 'booked')).documents).toEqual({ invoice: '1', payment: null });

    for (const id of ['2912', '2913']) {
      const booked = await api.refundReaches(id, 'booked');
      expect(booked.documents.refundPayment).toBeNull();
      expect(booked.error).toBeNull();
      // The refund's own timeline (order 2912 has a timeline under the same id), in the order it was written.
      const events = await h.db
        .select()
        .from(bookingEvents)
        .where(and(eq(bookingEvents.shopId, shop.shopId), eq(bookingEvents.subject, 'refund'), eq(bookingEvents.subjectId, id)))
        .orderBy(asc(bookingEvents.id));
      expect(events.at(-1)!.reason).toBe('credit note only: order 2912 has no registered payment, so no refund payment was registered');
    }
    const kinds = (await api.journal()).map((v) => v.kind);
    expect(kinds).toEqual(['invoice', 'credit_note', 'credit_note']);
  });
});
