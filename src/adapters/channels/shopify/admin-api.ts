import { z } from 'zod';
import { baseUrl, channelGet, expectBody, pathId, sinceDay, type ChannelHttpOptions } from '../http';
import type { ChannelApi } from '../port';

/**
 * Shopify's Admin REST API (version 2026-07, supported until at least July 2027), read-only: the orders a shop had
 * before it connected, and single refunds. Answers Shopify's own objects; ShopifyChannel maps them. Only query
 * parameters the reference documents are sent (test/fixtures/vendors/shopify/admin-rest-2026-07/list-parameters.json).
 *
 * Listing uses Shopify's cursor pagination: the first request carries the filters, every later one only the
 * `page_info` from the previous answer's Link header (Shopify refuses filters next to page_info), so the cursor we
 * hand out is that page_info, which stays valid across a restart.
 */

export const shopifyApiVersion = '2026-07';
/** Shopify's maximum page size. */
const pageSize = 250;

export interface ShopifyAdminApiOptions {
  /** https://<shop>.myshopify.com */
  storeUrl: string;
  /** The app's Admin API access token (shpat_…), with read_orders (and read_all_orders for orders over 60 days old). */
  accessToken: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const withId = z.looseObject({ id: z.union([z.number(), z.string()]) });
const ordersPage = z.object({ orders: z.array(withId) });
const orderWithRefunds = z.looseObject({ refunds: z.array(withId).optional() });
const oneRefund = z.object({ refund: withId });
const transactionList = z.looseObject({ transactions: z.array(withId) });

export class ShopifyAdminApi implements ChannelApi {
  private readonly http: ChannelHttpOptions;
  private readonly base: string;

  constructor(options: ShopifyAdminApiOptions) {
    const { accessToken } = options;
    this.base = `${baseUrl(options.storeUrl)}/admin/api/${shopifyApiVersion}`;
    this.http = {
      vendor: 'Shopify',
      auth: () => ({ 'X-Shopify-Access-Token': accessToken }),
      errorText: shopifyErrorText,
      timeoutMs: options.timeoutMs ?? 30_000,
      fetch: options.fetch,
    };
  }

  async listOrders(since: string, cursor: string | null): Promise<{ orders: unknown[]; next: string | null }> {
    const url = new URL(`${this.base}/orders.json`);
    if (cursor) {
      url.searchParams.set('limit', String(pageSize));
      url.searchParams.set('page_info', cursor);
    } else {
      // status=any: the default (open) would leave out closed and cancelled orders, which were sales all the same.
      url.searchParams.set('status', 'any');
      url.searchParams.set('created_at_min', `${sinceDay(since)}T00:00:00Z`);
      url.searchParams.set('limit', String(pageSize));
      // No sort: `order` is not a documented parameter of orders.json. The backfill needs no order: it registers
      // each order by its id, and the cursor, not the sort, makes the listing complete.
    }
    const res = await channelGet(this.http, url);
    const { orders } = expectBody(ordersPage, res.body, 'Shopify orders');
    return { orders, next: nextPageInfo(res.headers.get('link')) };
  }

  /** Shopify lists an order's refunds inside the order: no request needed. */
  async refundsOf(order: unknown): Promise<unknown[]> {
    return expectBody(orderWithRefunds, order, 'Shopify order').refunds ?? [];
  }

  /**
   * The order's transactions, amounts in the shop's currency (in_shop_currency: by default Shopify answers a
   * multi-currency order's in the customer's). Shopify keeps at most 100 per order, all in one answer.
   */
  async transactionsOf(orderId: string): Promise<unknown> {
    const url = new URL(`${this.base}/orders/${pathId(orderId, 'order')}/transactions.json`);
    url.searchParams.set('in_shop_currency', 'true');
    const res = await channelGet(this.http, url);
    return expectBody(transactionList, res.body, 'Shopify transactions');
  }

  async getRefund(orderId: string, refundId: string): Promise<unknown> {
    const url = new URL(`${this.base}/orders/${pathId(orderId, 'order')}/refunds/${pathId(refundId, 'refund')}.json`);
    const res = await channelGet(this.http, url);
    return expectBody(oneRefund, res.body, 'Shopify refund').refund;
  }
}

/**
 * The page_info of the rel="next" link in `<https://…/orders.json?limit=250&page_info=abc>; rel="next", <…>; rel="previous"`;
 * null on the last page (Shopify then sends no next link, or no Link header at all).
 */
export function nextPageInfo(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (!m) continue;
    try {
      return new URL(m[1]!).searchParams.get('page_info');
    } catch {
      return null;
    }
  }
  return null;
}

/** Shopify's error bodies: `{"errors": "text"}`, `{"errors": {"field": ["text"]}}`, or `{"error": "text"}`. */
export function shopifyErrorText(body: unknown): string {
  if (typeof body === 'string') return body.trim().startsWith('<') ? '' : body;
  if (!body || typeof body !== 'object') return '';
  const { errors, error } = body as { errors?: unknown; error?: unknown };
  if (typeof errors === 'string') return errors;
  if (Array.isArray(errors)) return errors.map(String).join('; ');
  if (errors && typeof errors === 'object') {
    return Object.entries(errors)
      .map(([field, msgs]) => `${field}: ${Array.isArray(msgs) ? msgs.join(', ') : String(msgs)}`)
      .join('; ');
  }
  return typeof error === 'string' ? error : '';
}
