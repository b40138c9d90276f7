import type { Order, PaymentTransaction, Refund } from '../../../domain/order';
import { JsonNode } from '../json';
import { ChannelPayloadError, type ChannelEvent, type ChannelHeaders, type RefundContext, type RejectedRefund, type SalesChannel } from '../port';
import { decodeBase64Digest, headerValue, matchesAnySecret, secretList } from '../signature';
import { mapShopifyOrder, type ShopifyMapOptions } from './order';
import { mapShopifyRefund, refundFromNode } from './refund';
import { mapShopifyTransactions } from './transactions';

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
      const { refunds, rejected } = refundsIn(root, { order, lineRefs });
      return { type: 'order', order, lineRefs, ...(refunds.length ? { refunds } : {}), ...(rejected.length ? { rejectedRefunds: rejected } : {}) };
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

  /** The order's transactions (GET …/orders/{id}/transactions.json): a split payment's amount per gateway. */
  paymentTransactions(body: unknown, order: Pick<Order, 'currency'>): PaymentTransaction[] {
    return mapShopifyTransactions(body, order);
  }

  /**
   * The refunds an order payload already embeds (orders/updated arrives after every refund, with `refunds` in full):
   * a way to catch up on a refunds/create delivery that was lost.
   */
  refundsOf(orderBody: unknown): Refund[] {
    return refundsIn(JsonNode.root(orderBody), this.refundContext(orderBody)).refunds;
  }
}

/**
 * The refunds an order payload embeds that returned money, mapped against that order, each on its own: one refund
 * that does not map is set aside with where and why, and never costs the order or the other refunds.
 */
function refundsIn(root: JsonNode, context: RefundContext): { refunds: Refund[]; rejected: RejectedRefund[] } {
  const refunds: Refund[] = [];
  const rejected: RejectedRefund[] = [];
  for (const node of root.list('refunds')) {
    try {
      const refund = refundFromNode(node, context);
      if (refund) refunds.push(refund);
    } catch (err) {
      if (!(err instanceof ChannelPayloadError)) throw err;
      rejected.push({ refundId: refundIdOf(node), path: err.path, reason: err.reason, body: node.value });
    }
  }
  return { refunds, rejected };
}

const refundIdOf = (node: JsonNode): string | null => {
  try {
    return node.opt('id')?.id() ?? null;
  } catch {
    return null; // an id that is no id: the path and reason say so
  }
};

function refundEvent(refund: Refund | undefined): ChannelEvent {
  return refund ? { type: 'refund', refund } : { type: 'ignored', reason: 'the refund returned no money (restock or store credit only)' };
}
