import crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  GenericWebhookVerifier,
  ShopifyChannel,
  WooCommerceChannel,
  signGenericWebhook,
  type ChannelHeaders,
  type WebhookVerifier,
} from '../../../src/adapters/channels';
import { fixture } from './support';

const base64Hmac = (secret: string, body: Buffer) => crypto.createHmac('sha256', secret).update(body).digest('base64');

interface Case {
  name: string;
  make: (secret: string | string[]) => WebhookVerifier;
  header: string;
  sign: (secret: string, body: Buffer) => string;
  body: Buffer;
}

const cases: Case[] = [
  {
    name: 'Shopify (X-Shopify-Hmac-Sha256, base64)',
    make: (secret) => new ShopifyChannel({ secret }),
    header: 'X-Shopify-Hmac-Sha256',
    sign: base64Hmac,
    body: fixture('shopify/order-dk-discount-giftcard.json').raw,
  },
  {
    name: 'WooCommerce (X-WC-Webhook-Signature, base64)',
    make: (secret) => new WooCommerceChannel({ secret }),
    header: 'X-WC-Webhook-Signature',
    sign: base64Hmac,
    body: fixture('woocommerce/order-dk-coupon-fee.json').raw,
  },
  {
    name: 'generic (X-Ledgerbridge-Signature: sha256=<hex>)',
    make: (secret) => new GenericWebhookVerifier(secret),
    header: 'X-Ledgerbridge-Signature',
    sign: (secret, body) => signGenericWebhook(body, secret),
    body: Buffer.from(JSON.stringify({ orderId: '1001', total: 10000 })),
  },
];

afterEach(() => vi.restoreAllMocks());

describe.each(cases)('$name signature', ({ make, header, sign, body }) => {
  const secret = 'a-shared-webhook-secret';
  const verifier = make(secret);
  const headersFor = (value: string | string[] | undefined): ChannelHeaders => ({ 'content-type': 'application/json', [header]: value });

  it('accepts the exact signed bytes, whatever the header name case', () => {
    expect(verifier.verify(body, headersFor(sign(secret, body)))).toBe(true);
    expect(verifier.verify(body, { [header.toLowerCase()]: sign(secret, body) })).toBe(true);
  });

  it('compares in constant time', () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    expect(verifier.verify(body, headersFor(sign(secret, body)))).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(verifier.verify(body, headersFor(sign('another-secret', body)))).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('rejects a tampered body, another secret, and a body re-serialized after parsing', () => {
    const tampered = Buffer.from(body);
    tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 1;
    expect(verifier.verify(tampered, headersFor(sign(secret, body)))).toBe(false);
    expect(verifier.verify(body, headersFor(sign('another-secret', body)))).toBe(false);
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    if (!reserialized.equals(body)) expect(verifier.verify(reserialized, headersFor(sign(secret, body)))).toBe(false);
  });

  it('rejects a missing, empty, repeated, truncated or garbled header without throwing', () => {
    const good = sign(secret, body);
    const flipped = good.slice(0, 10) + (good[10] === 'A' ? 'B' : 'A') + good.slice(11);
    for (const value of [undefined, '', good.slice(0, -2), `${good}A`, flipped, `${good} ${good}`, '💥', 'sha256=', [good, good], []]) {
      expect(verifier.verify(body, headersFor(value))).toBe(false);
    }
    expect(verifier.verify(body, headersFor([good]))).toBe(true);
    expect(verifier.verify(body, {})).toBe(false);
    expect(verifier.verify(body, { [header]: good, [header.toUpperCase()]: good })).toBe(false);
  });

  it('accepts either secret during a rotation, and refuses an empty secret up front', () => {
    const rotating = make(['old-secret', 'new-secret']);
    expect(rotating.verify(body, headersFor(sign('old-secret', body)))).toBe(true);
    expect(rotating.verify(body, headersFor(sign('new-secret', body)))).toBe(true);
    expect(rotating.verify(body, headersFor(sign('other-secret', body)))).toBe(false);
    expect(() => make('')).toThrow(/non-empty/);
    expect(() => make([])).toThrow(/non-empty/);
  });
});

describe('delivery ids and topics', () => {
  it('Shopify dedups on X-Shopify-Event-Id per topic (the same for every subscription of one event), else on the webhook id', () => {
    const shopify = new ShopifyChannel({ secret: 's' });
    const headers = { 'x-shopify-webhook-id': 'b54557e4-8a5f-4d1c', 'x-shopify-topic': 'orders/paid', 'x-shopify-shop-domain': 'nordisk-uld.myshopify.com' };
    expect(shopify.eventId(headers)).toBe('shopify:orders/paid:b54557e4-8a5f-4d1c');
    const withEvent = { ...headers, 'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5' };
    const otherSubscription = { ...withEvent, 'x-shopify-webhook-id': 'c0ffee00-1111-2222' };
    expect(shopify.eventId(withEvent)).toBe('shopify:orders/paid:event:98880550-7158-44d4-b7cd-2c97c8a091b5');
    expect(shopify.eventId(otherSubscription)).toBe(shopify.eventId(withEvent));
    expect(shopify.deliveryId(otherSubscription)).toBe('c0ffee00-1111-2222');
    expect(shopify.topic(headers)).toBe('orders/paid');
    expect(shopify.eventId({ 'x-shopify-topic': 'orders/paid' })).toBeUndefined();
  });

  it('WooCommerce adds the signature to its per-second delivery id, so two bodies in one second never collide', () => {
    const woo = new WooCommerceChannel({ secret: 's' });
    const headers = (signature: string) => ({
      'x-wc-webhook-delivery-id': '36e520ebabc2fa725092ff4a47acedf2',
      'x-wc-webhook-id': '3',
      'x-wc-webhook-topic': 'order.updated',
      'x-wc-webhook-signature': signature,
    });
    expect(woo.eventId(headers('AAA='))).toBe('woocommerce:3:36e520ebabc2fa725092ff4a47acedf2:AAA=');
    expect(woo.eventId(headers('AAA='))).not.toBe(woo.eventId(headers('BBB=')));
    expect(woo.topic(headers('x'))).toBe('order.updated');
    expect(woo.eventId({})).toBeUndefined();
  });
});
