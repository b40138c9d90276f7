import { readFileSync } from 'node:fs';
import { count, eq } from 'drizzle-orm';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelEvents, intakeHandoffs, ledgerVatCodes } from '../../db/schema';
import { buildApp } from '../../src/api/app';
import { CredentialBox } from '../../src/crypto/credentials';
import { createLogger } from '../../src/logger';
import { startIntakeRelay } from '../../src/services/intake-relay';
import { shopClient } from '../support/api';
import { danishMapping } from '../support/fixtures';
import { deliverShopify, quickpayMapping, SHOPIFY_SECRET } from '../support/shopify-delivery';
import { eventually, startHarness, type Harness } from '../support/harness';

const SECRET = SHOPIFY_SECRET;
/** The fixture orders are paid through QuickPay. */
const mapping = quickpayMapping;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/channels/shopify/${name}`, import.meta.url), 'utf8'));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const deliver = (shopId: string, topic: string, payload: unknown, webhookId: string, secret = SECRET, app = h.app, headers: Record<string, string> = {}) =>
  deliverShopify(app, shopId, topic, payload, webhookId, { secret, headers });

describe('Shopify webhooks', () => {
  it('books orders/create → orders/paid → refunds/create as an invoice, a payment and a credit note', async () => {
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    expect((await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET })).json()).toEqual({
      webhookUrl: `/v1/channels/shopify/${shop.shopId}`,
      restApi: { configured: false, storeUrl: null },
      refundsRefetched: [],
    });

    const paid = fixture('order-dk-discount-giftcard.json');
    const created = { ...paid, financial_status: 'pending' };
    const orderId = String(paid.id);
    const first = await deliver(shop.shopId, 'orders/create', created, 'wh-1');
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ outcome: 'accepted', workflowId: `order/${shop.shopId}/${orderId}` });
    await api.orderReaches(orderId, 'waiting');

    expect((await deliver(shop.shopId, 'orders/paid', paid, 'wh-2')).statusCode).toBe(202);
    const booked = await api.orderReaches(orderId, 'booked');
    expect(booked.documents).toEqual({ invoice: '1', payment: '2' });
    const invoice = (await api.journal()).find((v) => v.kind === 'invoice')!;
    expect(invoice.lines.find((l) => l.account === '5600')!.amount).toBe(78_630);
    expect(invoice.lines.some((l) => l.account === '6900')).toBe(true); // the gift card sold is a liability

    // Shopify retries a delivery with the same webhook id: acknowledged, not processed again.
    const again = await deliver(shop.shopId, 'orders/paid', paid, 'wh-2');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ duplicate: true });

    const refund = fixture('refund-partial.json');
    const refunded = await deliver(shop.shopId, 'refunds/create', refund, 'wh-3');
    expect(refunded.json(), refunded.body).toMatchObject({ outcome: 'accepted' });
    await api.refundReaches(String(refund.id), 'booked');
    const journal = await api.journal();
    expect(journal.map((v) => v.kind)).toEqual(['invoice', 'payment', 'credit_note', 'refund_payment']);
    const events = (await api.call('GET', '/v1/channel/events')).json().events;
    expect(events.map((e: { topic: string; outcome: string }) => [e.topic, e.outcome])).toEqual([
      ['refunds/create', 'accepted'],
      ['orders/paid', 'accepted'],
      ['orders/create', 'accepted'],
    ]);
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    await shopClient(h, shop.apiKey).call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET });
    const before = (await h.db.select({ n: count() }).from(channelEvents).where(eq(channelEvents.shopId, shop.shopId)))[0]!.n;
    const forged = await deliver(shop.shopId, 'orders/paid', fixture('order-dk-discount-giftcard.json'), 'wh-x', 'not-the-secret');
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('bad_signature');
    expect((await h.db.select({ n: count() }).from(channelEvents).where(eq(channelEvents.shopId, shop.shopId)))[0]!.n).toBe(before);
    expect((await shopClient(h, shop.apiKey).call('GET', '/v1/orders')).json().orders).toEqual([]);
  });

  it('answers 202 while Temporal is unreachable; once it is back the relay books the order exactly once', async () => {
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET });
    // The same API over the same database, whose Temporal frontend is a port nothing listens on; and a relay that
    // reaches only that port too (the harness's own relay is stopped).
    const away = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const broken = await buildApp({ db: h.db, temporal: away, taskQueue: h.taskQueue, adminApiKey: h.adminKey, credentials: new CredentialBox(h.credentialsKey) });
    await h.stopRelay();
    const awayRelay = startIntakeRelay({ db: h.db, temporal: away, taskQueue: h.taskQueue, log: createLogger('silent'), pollMs: 200, callTimeoutMs: 1_000 });
    const paid = fixture('order-dk-discount-giftcard.json');
    const orderId = String(paid.id);
    try {
      const taken = await deliver(shop.shopId, 'orders/paid', paid, 'wh-away', SECRET, broken);
      expect(taken.statusCode, taken.body).toBe(202);
      expect(taken.json()).toEqual({ outcome: 'accepted', reason: null, workflowId: `order/${shop.shopId}/${orderId}` });
      // Shopify's retry of the same webhook id while it waits: a duplicate, nothing stored twice.
      const retried = await deliver(shop.shopId, 'orders/paid', paid, 'wh-away', SECRET, broken);
      expect(retried.statusCode).toBe(200);
      expect(retried.json()).toEqual({ duplicate: true });
      // The relay tried, failed, and keeps the hand-off for later; the operator sees it pending.
      const failed = await eventually(async () => {
        const rows = await h.db.select().from(intakeHandoffs).where(eq(intakeHandoffs.shopId, shop.shopId));
        return rows.length === 1 && rows[0]!.lastError ? rows[0] : undefined;
      }, 30_000, 'a failed hand-off');
      expect(failed).toMatchObject({ kind: 'order', orderId, claimedUntil: null });
      expect(failed.attempts).toBeGreaterThanOrEqual(1);
      const attention = await h.app.inject({ method: 'GET', url: '/v1/admin/attention', headers: { authorization: `Bearer ${h.adminKey}` } });
      const row = attention.json().shops.find((r: { shopId: string }) => r.shopId === shop.shopId);
      expect(row.intake).toMatchObject({ pending: 1, oldestSince: expect.any(String) });
    } finally {
      await awayRelay.stop();
      await broken.close();
      await away.connection.close();
    }
    expect((await api.order(orderId))?.status).toBe('waiting');

    // Temporal is back for the relay: the order is booked, once.
    h.startRelay();
    expect((await api.orderReaches(orderId, 'booked')).documents).toEqual({ invoice: '1', payment: '2' });
    await eventually(async () => ((await h.db.select().from(intakeHandoffs).where(eq(intakeHandoffs.shopId, shop.shopId))).length === 0 ? true : undefined));
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice', 'payment']);
    const again = await deliver(shop.shopId, 'orders/paid', paid, 'wh-away');
    expect(again.json()).toEqual({ duplicate: true });
    const events = (await api.call('GET', '/v1/channel/events')).json().events;
    expect(events.map((e: { eventId: string; outcome: string }) => [e.eventId, e.outcome])).toEqual([['shopify:orders/paid:wh-away', 'accepted']]);
  });

  it('acknowledges a payload that does not map and shows where and why', async () => {
    const shop = await h.createShop({ mapping: danishMapping });
    const api = shopClient(h, shop.apiKey);
    await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET });
    const broken = fixture('order-dk-discount-giftcard.json');
    broken.line_items[0].price = 'twelve';
    broken.line_items[0].price_set.shop_money.amount = 'twelve';
    const res = await deliver(shop.shopId, 'orders/paid', broken, 'wh-bad');
    expect(res.statusCode).toBe(202);
    expect(res.json().outcome).toBe('rejected');
    const rejected = (await api.call('GET', '/v1/channel/events?outcome=rejected')).json().events;
    expect(rejected[0].reason).toMatch(/line_items\[0\]/);
  });
});

describe('Shopify deliveries as the documents describe them', () => {
  it('drops a second delivery of one event (same X-Shopify-Event-Id, another subscription) and keeps both ids', async () => {
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET });
    const paid = fixture('order-dk-discount-giftcard.json');
    const event = { 'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5' };
    expect((await deliver(shop.shopId, 'orders/paid', paid, 'wh-sub-a', SECRET, h.app, event)).statusCode).toBe(202);
    const second = await deliver(shop.shopId, 'orders/paid', paid, 'wh-sub-b', SECRET, h.app, event);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual({ duplicate: true });
    const events = (await api.call('GET', '/v1/channel/events')).json().events;
    expect(events.map((e: { eventId: string; deliveryId: string }) => [e.eventId, e.deliveryId])).toEqual([
      ['shopify:orders/paid:event:98880550-7158-44d4-b7cd-2c97c8a091b5', 'wh-sub-a'],
    ]);
  });

  it('books the invoice of a paid order that names no gateway; only its payment waits as unmapped_payment_method', async () => {
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET });
    const paid = { ...fixture('order-dk-discount-giftcard.json'), payment_gateway_names: [''], gateway: '' };
    const res = await deliver(shop.shopId, 'orders/paid', paid, 'wh-nogw');
    expect(res.json(), res.body).toMatchObject({ outcome: 'accepted' });
    const failed = await api.orderReaches(String(paid.id), 'failed');
    expect(failed.error).toMatchObject({ code: 'unmapped_payment_method', details: { method: 'unnamed' } });
    expect(failed.documents).toEqual({ invoice: '1', payment: null });
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice']);

    // The shop maps such payments; the restart registers the payment against the invoice already booked.
    const fixed = { ...mapping, paymentMethods: { ...mapping.paymentMethods, unnamed: { acquirer: 'manual', receivableAccount: '5820' } } };
    expect((await api.call('PUT', '/v1/mapping', fixed)).statusCode).toBe(200);
    expect((await api.call('POST', `/v1/orders/${String(paid.id)}/restart`)).statusCode).toBe(202);
    expect((await api.orderReaches(String(paid.id), 'booked')).documents).toEqual({ invoice: '1', payment: '2' });
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice', 'payment']);
  });

  it('books the refunds an orders/updated delivery carries, with no store REST keys and no rejected event', async () => {
    const shop = await h.createShop({ mapping: { ...mapping, readyStatuses: ['paid', 'partially_refunded'] } });
    const api = shopClient(h, shop.apiKey);
    await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET });
    const refund = fixture('refund-partial.json');
    const updated = { ...fixture('order-dk-discount-giftcard.json'), financial_status: 'partially_refunded', refunds: [refund] };
    const res = await deliver(shop.shopId, 'orders/updated', updated, 'wh-upd');
    expect(res.json(), res.body).toMatchObject({ outcome: 'accepted' });
    await api.orderReaches(String(updated.id), 'booked');
    await api.refundReaches(String(refund.id), 'booked');
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice', 'payment', 'credit_note', 'refund_payment']);
    expect((await api.call('GET', '/v1/channel/events?outcome=rejected')).json().events).toEqual([]);
  });

  it("takes Shopify's documented order from orders/updated when one of its carried refunds does not map, and lists only that refund as rejected", async () => {
    // Shopify's own order example (test/fixtures/vendors/shopify) with its refund, plus a copy paid back in EUR.
    const order = JSON.parse(readFileSync(new URL('../fixtures/vendors/shopify/admin-rest-2026-07/order-get.json', import.meta.url), 'utf8')).order;
    const foreign = { ...structuredClone(order.refunds[0]), id: 509562970 };
    foreign.transactions[0].currency = 'EUR';
    order.refunds.push(foreign);
    const usMapping = {
      ...mapping,
      readyStatuses: ['paid', 'partially_refunded'],
      goods: { ...mapping.goods, outsideEu: { account: '1030', vatCode: 'US6' } },
      shipping: { ...mapping.shipping, outsideEu: { account: '1030', vatCode: 'US6' } },
      vatCodes: { ...mapping.vatCodes, US6: { rate: 6, account: '7230' } },
      paymentMethods: { ...mapping.paymentMethods, bogus: { acquirer: 'bogus', receivableAccount: '5815' } },
    };
    const shop = await h.createShop({ mapping: usMapping, ledger: { currency: 'USD', startDate: '2008-01-01' } });
    // The owner's ledger has the 6 % code the example's tax lines need (the local chart starts with Danish ones).
    await h.db.insert(ledgerVatCodes).values({ ledgerId: shop.ledgerId, code: 'US6', rate: '6' });
    const api = shopClient(h, shop.apiKey);
    await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET });

    const res = await deliver(shop.shopId, 'orders/updated', order, 'wh-doc-upd');
    expect(res.json(), res.body).toMatchObject({ outcome: 'accepted', reason: expect.stringContaining('509562970') });
    await api.orderReaches('450789469', 'booked');
    expect((await api.refundReaches('509562969', 'booked')).amount).toBe(20_900);
    expect((await api.call('GET', '/v1/refunds/509562970')).statusCode).toBe(404);

    const rejected = (await api.call('GET', '/v1/channel/events?outcome=rejected')).json().events;
    expect(rejected).toEqual([
      expect.objectContaining({ deliveryId: 'wh-doc-upd', topic: 'orders/updated', reason: expect.stringMatching(/^refund 509562970 of order 450789469 was not booked: \$\.refunds\[1\]\.transactions\[0\]\.currency: the refund was paid in EUR/) }),
    ]);
    // The next update carries the same refund again: still listed once.
    expect((await deliver(shop.shopId, 'orders/updated', order, 'wh-doc-upd-2')).json()).toMatchObject({ outcome: 'accepted' });
    expect((await api.call('GET', '/v1/channel/events?outcome=rejected')).json().events).toHaveLength(1);
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice', 'payment', 'credit_note', 'refund_payment']);
  });
});
