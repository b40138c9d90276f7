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
   * X-Shopify-Webhook-Id, which Shopify keeps across retries of one delivery (its app library calls it the
   * idempotency key). Shopify's duplicates guide also offers X-Shopify-Event-Id, which names the underlying event
   * across subscriptions; we stay with the delivery's id and put the topic in front, so that deliveries of two
   * topics can never be taken for one another.
   */
  eventId(headers: ChannelHeaders): string | undefined {
    const id = headerValue(headers, shopifyHeaders.webhookId);
    if (!id) return undefined;
    return `shopify:${headerValue(headers, shopifyHeaders.topic) ?? ''}:${id}`;
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
      const refundIds = root.list('refunds').map((r) => r.get('id').id());
      return { type: 'order', order, lineRefs, ...(refundIds.length ? { refundIds } : {}) };
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
    const context = this.refundContext(orderBody);
    return JsonNode.root(orderBody)
      .list('refunds')
      .map((r) => refundFromNode(r, context))
      .filter((r): r is Refund => r !== undefined);
  }
}

function refundEvent(refund: Refund | undefined): ChannelEvent {
  return refund ? { type: 'refund', refund } : { type: 'ignored', reason: 'the refund returned no money (restock or store credit only)' };
}
