import type { Refund } from '../../../domain/order';
import { JsonNode } from '../json';
import type { ChannelEvent, ChannelHeaders, RefundContext, SalesChannel } from '../port';
import { decodeBase64Digest, headerValue, matchesAnySecret, secretList } from '../signature';
import { mapShopifyOrder, type ShopifyMapOptions } from './order';
import { mapShopifyRefund, refundFromNode } from './refund';

export const shopifyHeaders = {
  /** base64 HMAC-SHA256 of the raw body, keyed with the app's client secret (or the shop's webhook signing key). */
  hmac: 'X-Shopify-Hmac-Sha256',
  topic: 'X-Shopify-Topic',
  shopDomain: 'X-Shopify-Shop-Domain',
  /** Stays the same when Shopify retries a delivery: the idempotency key. */
  webhookId: 'X-Shopify-Webhook-Id',
  /** Names the underlying event: the same on the deliveries to each subscription that receives it. */
  eventId: 'X-Shopify-Event-Id',
} as const;

const orderTopics = new Set(['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled']);

export interface ShopifyChannelOptions extends ShopifyMapOptions {
  /** The app's client secret; several while it is being rotated. */
  secret: string | readonly string[];
}

export class ShopifyChannel implements SalesChannel {
  readonly name = 'shopify';
  private readonly secrets: readonly string[];

  constructor(private readonly options: ShopifyChannelOptions) {
    this.secrets = secretList(options.secret, 'Shopify channel');
  }

  verify(rawBody: Buffer, headers: ChannelHeaders): boolean {
    const header = headerValue(headers, shopifyHeaders.hmac);
    return matchesAnySecret(header === undefined ? undefined : decodeBase64Digest(header), rawBody, this.secrets);
  }

  /**
   * X-Shopify-Event-Id: Shopify's duplicate-detection guide keys on it, since it names the underlying event and stays
   * the same on a retry and on the deliveries of one event to several subscriptions (where X-Shopify-Webhook-Id
   * differs). Without it (older deliveries) the webhook id, which a retry keeps. The topic goes in front, so that
   * deliveries of two topics can never be taken for one another.
   */
  eventId(headers: ChannelHeaders): string | undefined {
    const topic = headerValue(headers, shopifyHeaders.topic) ?? '';
    const event = headerValue(headers, shopifyHeaders.eventId);
    if (event) return `shopify:${topic}:event:${event}`;
    const id = headerValue(headers, shopifyHeaders.webhookId);
    return id ? `shopify:${topic}:${id}` : undefined;
  }

  /** X-Shopify-Webhook-Id, kept with the delivery: what Shopify's delivery log shows. */
  deliveryId(headers: ChannelHeaders): string | undefined {
    return headerValue(headers, shopifyHeaders.webhookId);
  }

  topic(headers: ChannelHeaders): string | undefined {
    return headerValue(headers, shopifyHeaders.topic);
  }

  parse(topic: string, body: unknown, context?: RefundContext): ChannelEvent {
    const t = topic.trim().toLowerCase();
    if (orderTopics.has(t)) {
      const root = JsonNode.root(body);
      // Test orders (Shopify's bogus gateway, test mode) are not sales.
      if (root.opt('test')?.boolean() === true) return { type: 'ignored', reason: 'test order' };
      const { order, lineRefs } = mapShopifyOrder(body, this.options);
      // An order payload embeds its refunds whole (orders/updated arrives after each one): mapped here, fetched never.
      const refunds = refundsIn(root, { order, lineRefs });
      return { type: 'order', order, lineRefs, ...(refunds.length ? { refunds } : {}) };
    }
    if (t === 'refunds/create') return refundEvent(mapShopifyRefund(body, context));
    return { type: 'ignored', reason: `topic ${topic.slice(0, 100)} is not booked` };
  }

  parseRefund(body: unknown, context: RefundContext): ChannelEvent {
    return refundEvent(mapShopifyRefund(body, context));
  }

  /** Maps an order (from a webhook or GET /orders/<id>.json) for parsing its refunds. */
  refundContext(orderBody: unknown): RefundContext {
    const { order, lineRefs } = mapShopifyOrder(orderBody, this.options);
    return { order, lineRefs };
  }

  /**
   * The refunds an order payload already embeds (orders/updated arrives after every refund, with `refunds` in full):
   * a way to catch up on a refunds/create delivery that was lost.
   */
  refundsOf(orderBody: unknown): Refund[] {
    return refundsIn(JsonNode.root(orderBody), this.refundContext(orderBody));
  }
}

/** The refunds an order payload embeds that returned money, mapped against that order. */
function refundsIn(root: JsonNode, context: RefundContext): Refund[] {
  return root
    .list('refunds')
    .map((r) => refundFromNode(r, context))
    .filter((r): r is Refund => r !== undefined);
}

function refundEvent(refund: Refund | undefined): ChannelEvent {
  return refund ? { type: 'refund', refund } : { type: 'ignored', reason: 'the refund returned no money (restock or store credit only)' };
}
