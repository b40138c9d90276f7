import { JsonNode } from '../json';
import type { ChannelEvent, ChannelHeaders, RefundContext, SalesChannel } from '../port';
import { decodeBase64Digest, headerValue, matchesAnySecret, secretList } from '../signature';
import { mapWooOrder, type WooMapOptions } from './order';
import { mapWooRefund } from './refund';

export const wooHeaders = {
  /** base64 HMAC-SHA256 of the raw body, keyed with the webhook's secret. */
  signature: 'X-WC-Webhook-Signature',
  topic: 'X-WC-Webhook-Topic',
  webhookId: 'X-WC-Webhook-ID',
  deliveryId: 'X-WC-Webhook-Delivery-ID',
  source: 'X-WC-Webhook-Source',
} as const;

const orderTopics = new Set(['order.created', 'order.updated', 'order.restored']);

export interface WooChannelOptions extends WooMapOptions {
  /**
   * The webhook's secret as entered in WooCommerce (WooCommerce signs with the HTML-decoded secret, so a secret
   * typed with & or quotes is used as typed); several while it is being rotated.
   */
  secret: string | readonly string[];
}

export class WooCommerceChannel implements SalesChannel {
  readonly name = 'woocommerce';
  private readonly secrets: readonly string[];

  constructor(private readonly options: WooChannelOptions) {
    this.secrets = secretList(options.secret, 'WooCommerce channel');
  }

  verify(rawBody: Buffer, headers: ChannelHeaders): boolean {
    const header = headerValue(headers, wooHeaders.signature);
    return matchesAnySecret(header === undefined ? undefined : decodeBase64Digest(header), rawBody, this.secrets);
  }

  /**
   * WooCommerce's delivery id is a hash of the webhook id and the current second, so two different deliveries of
   * one webhook within the same second share it. The signature (an HMAC of the body) is added to the key: the
   * same delivery repeated still dedups, two different bodies never do.
   */
  eventId(headers: ChannelHeaders): string | undefined {
    const delivery = headerValue(headers, wooHeaders.deliveryId);
    if (!delivery) return undefined;
    return `woocommerce:${headerValue(headers, wooHeaders.webhookId) ?? ''}:${delivery}:${headerValue(headers, wooHeaders.signature) ?? ''}`;
  }

  /** X-WC-Webhook-Delivery-ID: the delivery log entry in WooCommerce. */
  deliveryId(headers: ChannelHeaders): string | undefined {
    return headerValue(headers, wooHeaders.deliveryId);
  }

  topic(headers: ChannelHeaders): string | undefined {
    return headerValue(headers, wooHeaders.topic);
  }

  parse(topic: string, body: unknown, _context?: RefundContext): ChannelEvent {
    const t = topic.trim().toLowerCase();
    if (!orderTopics.has(t)) return { type: 'ignored', reason: `topic ${topic.slice(0, 100)} is not booked` };
    const { order, lineRefs } = mapWooOrder(body, this.options);
    const refundIds = JsonNode.root(body)
      .list('refunds')
      .map((r) => r.get('id').id());
    return { type: 'order', order, lineRefs, ...(refundIds.length ? { refundIds } : {}) };
  }

  parseRefund(body: unknown, context: RefundContext): ChannelEvent {
    const refund = mapWooRefund(body, context);
    return refund ? { type: 'refund', refund } : { type: 'ignored', reason: 'the refund is of no amount' };
  }

  refundContext(orderBody: unknown): RefundContext {
    const { order, lineRefs } = mapWooOrder(orderBody, this.options);
    return { order, lineRefs };
  }
}
