import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postings } from '../../db/schema';
import { shopClient } from '../support/api';
import { SHOPIFY_TOKEN, startFakeShopify, type FakeShopify } from '../support/fake-channels/shopify';
import { startHarness, type Harness } from '../support/harness';
import { deliverShopify, quickpayMapping, SHOPIFY_SECRET } from '../support/shopify-delivery';

const SECRET = SHOPIFY_SECRET;
/** QuickPay takes the card part; the gift card redeemed settles against the gift card liability (6900). */
const mapping = quickpayMapping;
const json = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'));
/** Our Danish order (786.30 DKK) paid with a gift card (200.00) and QuickPay (586.30, authorized, then captured). */
const splitOrder = () => ({ ...json('channels/shopify/order-dk-discount-giftcard.json'), payment_gateway_names: ['gift_card', 'quickpay'] });
const splitTransactions = () => json('vendors/shopify/split-payment/transactions-gift-card-quickpay.json').transactions;

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

const deliver = (shopId: string, topic: string, payload: unknown, webhookId: string) => deliverShopify(h.app, shopId, topic, payload, webhookId);

const pairs = (lines: { account: string; amount: number }[]) => lines.map((l) => [l.account, l.amount]);

describe('Shopify split payments', () => {
  it('books a gift card + card order per captured transaction: the card on its receivable, the gift card liability debited, each once', async () => {
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    const connected = await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET, storeUrl: store.url, api: { accessToken: SHOPIFY_TOKEN } });
    expect(connected.statusCode, connected.body).toBe(200);
    const order = splitOrder();
    const orderId = String(order.id);
    store.seed(order);
    store.setTransactions(orderId, splitTransactions());

    expect((await deliver(shop.shopId, 'orders/paid', order, 'wh-split-1')).statusCode).toBe(202);
    const booked = await api.orderReaches(orderId, 'booked');
    expect(booked.documents).toEqual({ invoice: '1', payment: '2' });
    // Asked in the shop's currency, with documented parameters only (the fake refuses others).
    expect(store.http.requests.filter((r) => r.path.endsWith('/transactions.json')).map((r) => r.query.get('in_shop_currency'))).toEqual(['true']);

    const journal = await api.journal();
    expect(journal.map((v) => [v.kind, v.reference])).toEqual([
      ['invoice', orderId],
      ['payment', orderId],
      ['payment', `${orderId}:6100000000001`],
    ]);
    // The authorization (586.30) was captured once: one card payment, not two.
    expect(pairs(journal[1]!.lines)).toEqual([['5815', 58_630], ['5600', -58_630]]);
    // The gift card redeemed uses up the liability its sale credited.
    expect(pairs(journal[2]!.lines)).toEqual([['6900', 20_000], ['5600', -20_000]]);
    const onCustomer = journal.flatMap((v) => v.lines).filter((l) => l.account === '5600').reduce((a, l) => a + l.amount, 0);
    expect(onCustomer).toBe(0);

    // Payouts find the card part by the gateway's transaction id, on its acquirer; the gift card is no acquirer's.
    const rows = await h.db.select().from(postings).where(and(eq(postings.ledgerId, shop.ledgerId), eq(postings.kind, 'payment')));
    expect(rows.map((r) => [r.reference, r.acquirer, r.transactionId, r.amount]).sort()).toEqual([
      [orderId, 'quickpay', '412345678', 58_630],
      [`${orderId}:6100000000001`, 'gift_card', null, 20_000],
    ]);

    // The gift card part waits for no payout: the balance report lists acquirers' receivables only.
    const report = (await api.call('GET', '/v1/reports/balance?from=2026-03-01&to=2026-03-31')).json();
    expect(report.acquirers.map((a: { acquirer: string }) => a.acquirer)).toContain('quickpay');
    expect(report.acquirers.map((a: { acquirer: string }) => a.acquirer)).not.toContain('gift_card');

    // A later delivery of the order books nothing again.
    expect((await deliver(shop.shopId, 'orders/updated', { ...order, updated_at: '2026-03-07T10:00:00+01:00' }, 'wh-split-2')).statusCode).toBe(202);
    await api.orderReaches(orderId, 'booked');
    expect((await api.journal()).length).toBe(3);
  });

  it('without the store REST keys books the invoice and stops the payment as split_payment_unsupported, naming PUT /v1/channel', async () => {
    const shop = await h.createShop({ mapping });
    const api = shopClient(h, shop.apiKey);
    await api.call('PUT', '/v1/channel', { platform: 'shopify', secret: SECRET });
    const order = { ...splitOrder(), id: 5512345678902, name: '#1043', order_number: 1043 };
    expect((await deliver(shop.shopId, 'orders/paid', order, 'wh-split-3')).statusCode).toBe(202);
    const failed = await api.orderReaches(String(order.id), 'failed');
    expect(failed.error).toMatchObject({ code: 'split_payment_unsupported', details: { methods: ['gift_card', 'quickpay'], amount: 78_630 } });
    expect(failed.error!.fix).toContain('PUT /v1/channel');
    expect((await api.journal()).map((v) => v.kind)).toEqual(['invoice']);
  });
});
