import type { Order, PaymentTransaction, Refund } from '../../domain/order';

/**
 * HTTP headers as Node and Fastify hand them over (names in any case; a repeated header arrives as an array).
 * Channels look names up case-insensitively and treat a repeated signature header as malformed.
 */
export type ChannelHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Checks that a webhook body was signed with a secret we share with the sender. */
export interface WebhookVerifier {
  /**
   * True only when the signature header is present, well-formed and matches the HMAC of exactly these bytes
   * (compared in constant time). Never throws: a missing or garbled header is simply false.
   */
  verify(rawBody: Buffer, headers: ChannelHeaders): boolean;
}

/**
 * What a refund needs from its order: the channel's refund payloads name order lines by the platform's line ids,
 * while a canonical Refund names them by position in the canonical Order.
 */
export interface RefundContext {
  /** The order as this channel mapped it. */
  order: Order;
  /** The platform id of each canonical order line, index for index (`line_item:123`, `shipping_line:456` …). */
  lineRefs: readonly string[];
}

export type ChannelEvent =
  | {
      type: 'order';
      order: Order;
      /** Keep these with the order snapshot: parsing a refund of this order needs them (see RefundContext). */
      lineRefs: string[];
      /**
       * Refunds the order payload only names. WooCommerce sends no refund webhook: these must be fetched from
       * /wp-json/wc/v3/orders/<id>/refunds/<refundId> and parsed with parseRefund.
       */
      refundIds?: string[];
      /**
       * Refunds the order payload carries in full (Shopify's orders/updated), mapped against this very order: book
       * them as they are, with no request to the store (its REST keys are optional).
       */
      refunds?: Refund[];
      /** Carried refunds that do not map: the order is still taken, and only these are listed as rejected. */
      rejectedRefunds?: RejectedRefund[];
    }
  | { type: 'refund'; refund: Refund }
  | { type: 'ignored'; reason: string };

/** A refund inside an order payload that does not map: its id (when it has one), where and why, and its JSON. */
export interface RejectedRefund {
  refundId: string | null;
  path: string;
  reason: string;
  body: unknown;
}

/** A webshop platform: verifies its webhooks, names their dedup key, and maps their payloads to canonical events. */
export interface SalesChannel extends WebhookVerifier {
  readonly name: string;
  /**
   * The delivery's deduplication key, from the headers only (undefined when the sender sent none). Drop a delivery
   * whose key was seen before; the booking itself is idempotent on the order id either way.
   */
  eventId(headers: ChannelHeaders): string | undefined;
  /** The platform's id of this one delivery (its delivery log), kept with the event for tracing; not the dedup key. */
  deliveryId(headers: ChannelHeaders): string | undefined;
  /** The topic header of a delivery (orders/create, order.updated …), if any. */
  topic(headers: ChannelHeaders): string | undefined;
  /**
   * Maps a verified, JSON-parsed webhook body. Throws ChannelPayloadError (and nothing else) for a payload that
   * does not map; returns `ignored` for topics and orders that are not ours to book.
   */
  parse(topic: string, body: unknown, context?: RefundContext): ChannelEvent;
  /**
   * Maps one refund object of the platform (Shopify: a refunds/create body or an element of an order's `refunds`;
   * WooCommerce: GET /wp-json/wc/v3/orders/<id>/refunds/<refundId>) to a `refund` event, or `ignored` when it
   * returned no money.
   */
  parseRefund(body: unknown, context: RefundContext): ChannelEvent;
  /** Maps an order payload (webhook or REST) into the context its refunds are parsed with. */
  refundContext(orderBody: unknown): RefundContext;
  /** Maps what ChannelApi.transactionsOf answered for `order`; throws ChannelPayloadError for what does not map. */
  paymentTransactions?(body: unknown, order: Pick<Order, 'currency'>): PaymentTransaction[];
}

/**
 * A payload we cannot map, with where and why (`$.line_items[2].price_set.shop_money.amount`: "is not a decimal").
 * Nothing of such a payload is booked; the delivery should still be acknowledged (platforms retry 4xx/5xx and
 * eventually drop the subscription) and the order shown as failed with this path and reason.
 */
export class ChannelPayloadError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'ChannelPayloadError';
  }
}

/**
 * A refund payload that is fine in itself but names order lines by id, and no RefundContext was given. The caller
 * should load (or fetch from the platform and map) the order and parse again.
 */
export class RefundContextRequiredError extends ChannelPayloadError {
  constructor(
    path: string,
    readonly orderId: string,
  ) {
    super(path, `the refund of order ${orderId} names order lines by id; parse it again with the order's RefundContext`);
    this.name = 'RefundContextRequiredError';
  }
}

/**
 * A store's REST API, for what webhooks do not carry: the history before the shop connected (backfill) and
 * WooCommerce's refunds (its webhooks only name them). Answers raw platform objects, mapped by the SalesChannel.
 */
export interface ChannelApi {
  /**
   * One page of orders created on or after `since` (YYYY-MM-DD, UTC), oldest first. Pass the previous page's `next`
   * (null for the first page); `next` is null after the last page. A cursor stays valid across a process restart.
   */
  listOrders(since: string, cursor: string | null): Promise<{ orders: unknown[]; next: string | null }>;
  /** The refund objects of an order listOrders returned (Shopify's are inside the order; WooCommerce's are fetched). */
  refundsOf(order: unknown): Promise<unknown[]>;
  /** One refund of an order, as SalesChannel.parseRefund maps it. */
  getRefund(orderId: string, refundId: string): Promise<unknown>;
  /** An order's payment transactions, as SalesChannel.paymentTransactions maps them (platforms whose orders name no amounts per gateway). */
  transactionsOf?(orderId: string): Promise<unknown>;
}

/** Why a store's API refused: credentials (fix the keys), not_found, rate_limited (retry after), unavailable (retry), rejected. */
export type ChannelApiErrorKind = 'credentials' | 'not_found' | 'rate_limited' | 'unavailable' | 'rejected';

export class ChannelApiError extends Error {
  constructor(
    readonly kind: ChannelApiErrorKind,
    message: string,
    readonly status?: number,
    /** For rate_limited: how long the store asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChannelApiError';
  }
}
