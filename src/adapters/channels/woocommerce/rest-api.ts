import { z } from 'zod';
import { baseUrl, channelGet, expectBody, pathId, sinceDay, type ChannelHttpOptions } from '../http';
import type { ChannelApi } from '../port';

/**
 * WooCommerce's REST API v3, read-only: orders (backfill) and refunds (WooCommerce's webhooks only name them).
 * Answers WooCommerce's own objects; WooCommerceChannel maps them.
 *
 * Plain fetch rather than the @woocommerce/woocommerce-rest-api package: that one wraps axios and OAuth 1.0a for
 * plain-HTTP stores, has not been released for years, and for three GETs with Basic auth over HTTPS adds only
 * dependencies.
 *
 * Pages are numbered; the cursor is the next page number. Orders come oldest first, so orders created while we
 * page through land behind the last page instead of shifting the pages we have yet to read.
 */

/** WooCommerce's maximum page size. */
const pageSize = 100;

export interface WooCommerceRestApiOptions {
  /** The WordPress site's address (https://shop.example), without /wp-json. */
  storeUrl: string;
  /** ck_… and cs_… of a key with read access (WooCommerce → Settings → Advanced → REST API). */
  consumerKey: string;
  consumerSecret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const withId = z.looseObject({ id: z.union([z.number(), z.string()]) });
const orderNamingRefunds = z.looseObject({ id: z.union([z.number(), z.string()]), refunds: z.array(withId).optional() });

export class WooCommerceRestApi implements ChannelApi {
  private readonly http: ChannelHttpOptions;
  private readonly base: string;

  constructor(options: WooCommerceRestApiOptions) {
    const basic = `Basic ${Buffer.from(`${options.consumerKey}:${options.consumerSecret}`, 'utf8').toString('base64')}`;
    this.base = `${baseUrl(options.storeUrl)}/wp-json/wc/v3`;
    this.http = {
      vendor: 'WooCommerce',
      auth: () => ({ authorization: basic }),
      errorText: wooErrorText,
      timeoutMs: options.timeoutMs ?? 30_000,
      fetch: options.fetch,
    };
  }

  async listOrders(since: string, cursor: string | null): Promise<{ orders: unknown[]; next: string | null }> {
    const page = cursor === null ? 1 : Number(cursor);
    if (!Number.isInteger(page) || page < 1) throw new RangeError(`not a WooCommerce orders cursor: ${cursor}`);
    const url = new URL(`${this.base}/orders`);
    // `after` is strict: ask from the last second of the day before, so an order at exactly midnight comes too.
    url.searchParams.set('after', new Date(Date.parse(`${sinceDay(since)}T00:00:00Z`) - 1000).toISOString().slice(0, 19));
    // Without it WooCommerce reads `after` in the shop's time zone; our dates are UTC (WooCommerce 5.4+).
    url.searchParams.set('dates_are_gmt', 'true');
    url.searchParams.set('per_page', String(pageSize));
    url.searchParams.set('page', String(page));
    url.searchParams.set('orderby', 'date');
    url.searchParams.set('order', 'asc');
    const res = await channelGet(this.http, url);
    const orders = expectBody(z.array(withId), res.body, 'WooCommerce orders');
    const totalPages = Number(res.headers.get('x-wp-totalpages'));
    // A proxy that drops WordPress's headers leaves only the page itself to go by.
    const more = Number.isInteger(totalPages) && res.headers.has('x-wp-totalpages') ? page < totalPages : orders.length === pageSize;
    return { orders, next: more ? String(page + 1) : null };
  }

  /** The order's `refunds` only names them (id, total, reason): the refund objects are fetched, in one request. */
  async refundsOf(order: unknown): Promise<unknown[]> {
    const { id, refunds } = expectBody(orderNamingRefunds, order, 'WooCommerce order');
    if (!refunds?.length) return [];
    const url = new URL(`${this.base}/orders/${pathId(String(id), 'order')}/refunds`);
    // An order has a handful of refunds; 100, the most one page holds, is more than any shop issues per order.
    url.searchParams.set('per_page', String(pageSize));
    const res = await channelGet(this.http, url);
    return expectBody(z.array(withId), res.body, 'WooCommerce refunds');
  }

  async getRefund(orderId: string, refundId: string): Promise<unknown> {
    const url = new URL(`${this.base}/orders/${pathId(orderId, 'order')}/refunds/${pathId(refundId, 'refund')}`);
    const res = await channelGet(this.http, url);
    return expectBody(withId, res.body, 'WooCommerce refund');
  }
}

/** WordPress REST errors: `{"code": "woocommerce_rest_…", "message": "…", "data": {"status": 401}}`. */
export function wooErrorText(body: unknown): string {
  if (typeof body === 'string') return body.trim().startsWith('<') ? '' : body;
  if (!body || typeof body !== 'object') return '';
  const { code, message } = body as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  return typeof code === 'string' && code ? `${text} (${code})`.trim() : text;
}
