import { readFileSync } from 'node:fs';
import { route, startFakeHttp, type FakeHttp, type FakeRequest, type FakeResponse } from '../fake-ledgers/server';

/**
 * A store's Shopify Admin REST API (2026-07) in memory, read-only, as Shopify documents it
 * (test/fixtures/vendors/shopify/SOURCE.md): X-Shopify-Access-Token, `{"errors": …}` error bodies, orders.json with
 * status (default open), created_at_min and limit (default 50, at most 250), cursor pagination through the Link
 * header whose page_info may be combined with limit (and fields) only, single refunds at
 * orders/{id}/refunds/{refund_id}.json, and an order's transactions at orders/{id}/transactions.json. A query parameter the reference does not document for the request is refused
 * (400), so a client can never come to rely on one. The order of a listing is not documented: this fake lists by id.
 * Faults (429 with Retry-After, 5xx, a hang) come from the shared fake server: `http.inject(…)`; every request is in
 * `http.requests`.
 */

type Json = Record<string, unknown>;

export const SHOPIFY_TOKEN = 'shpat_0123456789abcdef0123456789abcdef';
const version = '2026-07';
/** The documented query parameters per request, from Shopify's reference (see SOURCE.md). */
const documented: Record<string, string[]> = JSON.parse(
  readFileSync(new URL(`../../fixtures/vendors/shopify/admin-rest-${version}/list-parameters.json`, import.meta.url), 'utf8'),
);
const undocumented = (req: FakeRequest, template: string): string[] => {
  const allowed = new Set(documented[`GET /admin/api/${version}/${template}`] ?? []);
  return [...req.query.keys()].filter((k) => !allowed.has(k));
};

export interface FakeShopify {
  url: string;
  http: FakeHttp;
  orders: Json[];
  /** Adds orders (kept in creation order, as Shopify sorts them by id = creation). */
  seed(...orders: Json[]): void;
  /** What orders/{id}/transactions.json answers for a seeded order (its transactions; none by default). */
  setTransactions(orderId: string | number, transactions: Json[]): void;
  close(): Promise<void>;
}

const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../../fixtures/channels/shopify/${name}`, import.meta.url), 'utf8'));

/** The realistic Danish order fixture as order number `1000 + n`, created `n` minutes after `start`, no refunds. */
export function shopifyOrderFrom(n: number, start = '2026-03-01T08:00:00Z'): Json {
  const order = structuredClone(fixture('order-dk-discount-giftcard.json'));
  const id = 5_600_000_000_000 + n;
  const createdAt = new Date(Date.parse(start) + n * 60_000).toISOString().replace('.000Z', 'Z');
  return { ...order, id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#${1000 + n}`, order_number: 1000 + n, number: n, created_at: createdAt, processed_at: createdAt, updated_at: createdAt, refunds: [] };
}

/** The partial refund fixture, re-pointed at `order`. */
export function shopifyRefundFor(order: Json, id = 9_876_543_210_001): Json {
  return { ...structuredClone(fixture('refund-partial.json')), id, order_id: order.id };
}

export const shopifyErrorBody = (status: number, message: string) => ({
  errors: status === 401 ? '[API] Invalid API key or access token (unrecognized login or wrong password)' : status === 404 ? 'Not Found' : message,
});

/** Shopify's page_info is opaque to clients; ours encodes where the next page starts and the first request's filters. */
interface Cursor {
  status: string;
  createdAtMin: string | null;
  offset: number;
}
const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
const decode = (s: string): Cursor | null => {
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
  } catch {
    return null;
  }
};

export async function startFakeShopify(opts: { token?: string } = {}): Promise<FakeShopify> {
  const token = opts.token ?? SHOPIFY_TOKEN;
  const orders: Json[] = [];
  const transactions = new Map<string, Json[]>();
  let base = '';
  const bad = (status: number, errors: unknown): FakeResponse => ({ status, body: { errors } });

  const listOrders = (req: FakeRequest): FakeResponse => {
    const q = req.query;
    const limitText = q.get('limit') ?? '50';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250) return bad(400, { limit: ['must be between 1 and 250'] });
    let cursor: Cursor;
    const pageInfo = q.get('page_info');
    if (pageInfo !== null) {
      const others = [...q.keys()].filter((k) => k !== 'page_info' && k !== 'limit' && k !== 'fields');
      if (others.length) return bad(400, { page_info: [`cannot be combined with ${others.join(', ')}; only limit and fields may be sent with page_info`] });
      const decoded = decode(pageInfo);
      if (!decoded) return bad(400, { page_info: ['Invalid value.'] });
      cursor = decoded;
    } else {
      const min = q.get('created_at_min');
      if (min !== null && Number.isNaN(Date.parse(min))) return bad(400, { created_at_min: ['is not a valid date'] });
      cursor = { status: q.get('status') ?? 'open', createdAtMin: min, offset: 0 };
    }
    const matching = orders
      .filter((o) => cursor.status === 'any' || (cursor.status === 'open' ? !o.closed_at && !o.cancelled_at : cursor.status === 'closed' ? Boolean(o.closed_at) : Boolean(o.cancelled_at)))
      .filter((o) => cursor.createdAtMin === null || Date.parse(String(o.created_at)) >= Date.parse(cursor.createdAtMin))
      .sort((a, b) => Number(a.id) - Number(b.id));
    const page = matching.slice(cursor.offset, cursor.offset + limit);
    const links: string[] = [];
    const link = (c: Cursor, rel: string) => `<${base}/admin/api/${version}/orders.json?limit=${limit}&page_info=${encode(c)}>; rel="${rel}"`;
    if (cursor.offset > 0) links.push(link({ ...cursor, offset: Math.max(0, cursor.offset - limit) }, 'previous'));
    if (cursor.offset + limit < matching.length) links.push(link({ ...cursor, offset: cursor.offset + limit }, 'next'));
    return { status: 200, body: { orders: page }, headers: links.length ? { link: links.join(', ') } : {} };
  };

  const handle = (req: FakeRequest): FakeResponse => {
    if (req.method !== 'GET') return bad(406, 'Not Acceptable');
    if (req.path === `/admin/api/${version}/orders.json`) {
      const unknown = undocumented(req, 'orders.json');
      return unknown.length ? bad(400, Object.fromEntries(unknown.map((k) => [k, ['is not a parameter of this endpoint']]))) : listOrders(req);
    }
    const tx = route(`/admin/api/${version}/orders/:orderId/transactions.json`, req.path);
    if (tx) {
      const unknown = undocumented(req, 'orders/{order_id}/transactions.json');
      if (unknown.length) return bad(400, Object.fromEntries(unknown.map((k) => [k, ['is not a parameter of this endpoint']])));
      const order = orders.find((o) => String(o.id) === tx.orderId);
      return order ? { status: 200, body: { transactions: transactions.get(String(tx.orderId)) ?? [] } } : bad(404, 'Not Found');
    }
    const r = route(`/admin/api/${version}/orders/:orderId/refunds/:refundId.json`, req.path);
    if (r) {
      const unknown = undocumented(req, 'orders/{order_id}/refunds/{refund_id}.json');
      if (unknown.length) return bad(400, Object.fromEntries(unknown.map((k) => [k, ['is not a parameter of this endpoint']])));
      const order = orders.find((o) => String(o.id) === r.orderId);
      const refund = ((order?.refunds as Json[] | undefined) ?? []).find((x) => String(x.id) === r.refundId);
      return refund ? { status: 200, body: { refund } } : bad(404, 'Not Found');
    }
    return bad(404, 'Not Found');
  };

  const http = await startFakeHttp({ handle, errorBody: shopifyErrorBody, authorize: (req) => req.headers['x-shopify-access-token'] === token });
  base = http.url;
  return {
    url: http.url,
    http,
    orders,
    seed: (...more) => void orders.push(...more),
    setTransactions: (orderId, list) => void transactions.set(String(orderId), list),
    close: () => http.close(),
  };
}
