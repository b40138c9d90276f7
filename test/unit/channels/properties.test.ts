import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChannelPayloadError,
  GenericWebhookVerifier,
  ShopifyChannel,
  WooCommerceChannel,
  type ChannelEvent,
  type ChannelHeaders,
  type RefundContext,
  type SalesChannel,
} from '../../../src/adapters/channels';
import { orderSchema, refundSchema } from '../../../src/domain/order';
import { fixture } from './support';

const shopify = new ShopifyChannel({ secret: 'shopify-secret' });
const woo = new WooCommerceChannel({ secret: 'woo-secret' });

interface Subject {
  channel: SalesChannel;
  topics: string[];
  orders: unknown[];
  refund: unknown;
  context: RefundContext;
}

const subjects: Subject[] = [
  {
    channel: shopify,
    topics: ['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'refunds/create', 'orders/delete'],
    orders: [fixture('shopify/order-dk-discount-giftcard.json').json, fixture('shopify/order-de-eur-free-shipping.json').json],
    refund: fixture('shopify/refund-partial.json').json,
    context: shopify.refundContext(fixture('shopify/order-dk-discount-giftcard.json').json),
  },
  {
    channel: woo,
    topics: ['order.created', 'order.updated', 'order.restored', 'order.deleted'],
    orders: [fixture('woocommerce/order-dk-coupon-fee.json').json, fixture('woocommerce/order-de-free-shipping.json').json],
    refund: fixture('woocommerce/refund-partial.json').json,
    context: woo.refundContext(fixture('woocommerce/order-dk-coupon-fee.json').json),
  },
];

/** Every place in a JSON value, as a list of keys from the root. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

/** The fixture with the value at one path replaced (or, with `undefined`, deleted). */
function mutate(base: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy;
}

/** Runs a parse and checks the contract: a well-formed event, or a ChannelPayloadError with a path, nothing else. */
function expectContract(run: () => ChannelEvent): void {
  let event: ChannelEvent;
  try {
    event = run();
  } catch (e) {
    expect(e).toBeInstanceOf(ChannelPayloadError);
    expect((e as ChannelPayloadError).path).toMatch(/^(\$|\(mapped (order|refund)\))/);
    return;
  }
  if (event.type === 'order') {
    expect(orderSchema.safeParse(event.order).success).toBe(true);
    expect(event.lineRefs).toHaveLength(event.order.lines.length);
  }
  if (event.type === 'refund') expect(refundSchema.safeParse(event.refund).success).toBe(true);
}

const replacement = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: fc.oneof(fc.constantFrom('', '0', '-1', '1e3', '12.345', 'NaN', 'DKK', 'dk', '2026-13-45T99:00:00'), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)) },
);

describe.each(subjects)('$channel.name parse never throws anything but ChannelPayloadError', ({ channel, topics, orders, refund, context }) => {
  it('on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), fc.constantFrom(...topics), fc.boolean(), (body, topic, withContext) => {
        expectContract(() => channel.parse(topic, body, withContext ? context : undefined));
        expectContract(() => channel.parseRefund(body, context));
      }),
      { numRuns: 300 },
    );
  });

  it('on its fixtures with one value changed or removed', () => {
    const bases = [...orders.map((o) => ({ o, refund: false })), { o: refund, refund: true }];
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.nat(), replacement, fc.constantFrom(...topics), ({ o, refund: isRefund }, pick, value, topic) => {
        const paths = pathsOf(o);
        const body = mutate(o, paths[pick % paths.length]!, value);
        if (isRefund) expectContract(() => channel.parseRefund(body, context));
        else expectContract(() => channel.parse(topic, body, context));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('verify never throws', () => {
  const verifiers = [shopify, woo, new GenericWebhookVerifier('generic-secret')];
  const headerNames = ['X-Shopify-Hmac-Sha256', 'x-wc-webhook-signature', 'X-Ledgerbridge-Signature', 'content-type'];
  const headers = fc.dictionary(
    fc.oneof(fc.constantFrom(...headerNames), fc.string()),
    fc.oneof(fc.string(), fc.base64String(), fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined), fc.stringMatching(/^sha256=[0-9a-f]{64}$/)),
  );

  it('on random bodies and headers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), headers, (bytes, hs) => {
        for (const v of verifiers) expect(v.verify(Buffer.from(bytes), hs as ChannelHeaders)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('on hostile inputs that bypass the types', () => {
    const odd: unknown[] = [null, undefined, 'string', 42, { 'x-shopify-hmac-sha256': 42 }, { 'x-wc-webhook-signature': [null] }, { 'X-Ledgerbridge-Signature': { a: 1 } }];
    for (const v of verifiers) {
      for (const hs of odd) expect(v.verify(Buffer.from('{}'), hs as ChannelHeaders)).toBe(false);
      expect(v.verify('not a buffer' as unknown as Buffer, { 'x-shopify-hmac-sha256': 'x' })).toBe(false);
    }
  });
});
