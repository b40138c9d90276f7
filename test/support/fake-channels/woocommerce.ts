import { readFileSync } from 'node:fs';
import { route, startFakeHttp, type FakeHttp, type FakeRequest, type FakeResponse } from '../fake-ledgers/server';

/**
 * A WooCommerce store's REST API v3 (/wp-json/wc/v3) in memory, read-only, as WooCommerce documents it
 * (test/fixtures/vendors/woocommerce/SOURCE.md; list parameters the docs do not name are refused): HTTP Basic
 * auth with a consumer key and secret, WordPress error bodies `{code, message, data: {status}}`, orders listed with
 * after (exclusive; the shop's local time unless dates_are_gmt), per_page (1–100, default 10), page, orderby and
 * order, with X-WP-Total and X-WP-TotalPages; refunds at orders/{id}/refunds[/{refundId}], which an order names in
 * its `refunds` (id, reason, total as a negative decimal). Faults (429 with Retry-After, 5xx, a hang) come from the
 * shared fake server: `http.inject(…)`; every request is in `http.requests`.
 */

type Json = Record<string, unknown>;

export const WOO_KEY = 'ck_4f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9';
export const WOO_SECRET = 'cs_9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b';

export interface FakeWooCommerce {
  url: string;
  http: FakeHttp;
  orders: Json[];
  /** Refund objects by order id, as GET orders/{id}/refunds answers them. */
  refunds: Map<string, Json[]>;
  seed(...orders: Json[]): void;
  /** Records a refund of an order and names it in the order's `refunds`, as WooCommerce does. */
  refund(orderId: string, refund: Json): void;
  close(): Promise<void>;
}

const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../../fixtures/channels/woocommerce/${name}`, import.meta.url), 'utf8'));

/**
 * The query parameters WooCommerce documents for a list request: the "Available parameters" table under the heading
 * in its REST API docs (test/fixtures/vendors/woocommerce/rest-v3-docs, see SOURCE.md).
 */
function documentedParameters(doc: string, heading: string): Set<string> {
  const text = readFileSync(new URL(`../../fixtures/vendors/woocommerce/rest-v3-docs/${doc}`, import.meta.url), 'utf8');
  const section = text.slice(text.indexOf(heading));
  const lines = section.slice(section.indexOf('#### Available parameters ####')).split('\n').slice(2);
  const table = lines.slice(0, lines.findIndex((l) => !l.startsWith('|')));
  return new Set(table.map((l) => /^\| `([a-z_]+)`/.exec(l)?.[1]).filter((n): n is string => n !== undefined));
}
const orderListParameters = documentedParameters('_orders.md', '## List all orders ##');
const refundListParameters = documentedParameters('_order-refunds.md', '## List all refunds ##');

/** The realistic Danish order fixture as order `2000 + n`, created `n` minutes after `startGmt`, without refunds. */
export function wooOrderFrom(n: number, startGmt = '2026-03-01T08:00:00'): Json {
  const order = structuredClone(fixture('order-dk-coupon-fee.json'));
  const id = 2000 + n;
  const gmt = new Date(Date.parse(`${startGmt}Z`) + n * 60_000);
  const local = new Date(gmt.getTime() + 3_600_000); // the fixture's shop is in Copenhagen (CET, +01:00)
  const iso = (d: Date) => d.toISOString().slice(0, 19);
  return { ...order, id, number: String(id), date_created_gmt: iso(gmt), date_created: iso(local), date_modified_gmt: iso(gmt), date_modified: iso(local), refunds: [] };
}

/** The partial refund fixture (one pair of socks back, 134.10 DKK). */
export const wooRefundFixture = (): Json => structuredClone(fixture('refund-partial.json'));

const errorCode = (status: number) =>
  status === 401 ? 'woocommerce_rest_cannot_view' : status === 404 ? 'woocommerce_rest_invalid_id' : status === 429 ? 'too_many_requests' : status >= 500 ? 'internal_server_error' : 'rest_invalid_param';
export const wooErrorBody = (status: number, message: string) => ({ code: errorCode(status), message, data: { status } });

export async function startFakeWooCommerce(opts: { consumerKey?: string; consumerSecret?: string } = {}): Promise<FakeWooCommerce> {
  const key = opts.consumerKey ?? WOO_KEY;
  const secret = opts.consumerSecret ?? WOO_SECRET;
  const orders: Json[] = [];
  const refunds = new Map<string, Json[]>();
  const fail = (status: number, code: string, message: string, params?: Json): FakeResponse => ({ status, body: { code, message, data: { status, ...(params ? { params } : {}) } } });

  /** WooCommerce tells a missing key apart from a wrong one. */
  const authError = (req: FakeRequest): FakeResponse | null => {
    const header = req.headers.authorization;
    if (!header?.startsWith('Basic ')) return fail(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    const [ck, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    if (ck !== key) return fail(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
    if (rest.join(':') !== secret) return fail(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
    return null;
  };

  const listOrders = (req: FakeRequest): FakeResponse => {
    const q = req.query;
    const perPage = Number(q.get('per_page') ?? '10');
    const page = Number(q.get('page') ?? '1');
    const invalid: Json = {};
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) invalid.per_page = 'per_page must be between 1 (inclusive) and 100 (inclusive)';
    if (!Number.isInteger(page) || page < 1) invalid.page = 'page must be greater than or equal to 1';
    const after = q.get('after');
    if (after !== null && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(after) || Number.isNaN(Date.parse(after)))) invalid.after = 'Invalid date.';
    if (Object.keys(invalid).length) return fail(400, 'rest_invalid_param', `Invalid parameter(s): ${Object.keys(invalid).join(', ')}`, invalid);
    const gmt = q.get('dates_are_gmt') === 'true' || q.get('dates_are_gmt') === '1';
    const created = (o: Json) => Date.parse(`${String(gmt ? o.date_created_gmt : o.date_created)}Z`);
    const afterMs = after === null ? null : Date.parse(`${after.slice(0, 19)}Z`);
    const desc = (q.get('order') ?? 'desc') === 'desc';
    const matching = orders
      .filter((o) => afterMs === null || created(o) > afterMs)
      .sort((a, b) => (desc ? -1 : 1) * (Date.parse(`${String(a.date_created_gmt)}Z`) - Date.parse(`${String(b.date_created_gmt)}Z`) || Number(a.id) - Number(b.id)));
    const totalPages = Math.ceil(matching.length / perPage);
    return {
      status: 200,
      body: matching.slice((page - 1) * perPage, page * perPage),
      headers: { 'x-wp-total': String(matching.length), 'x-wp-totalpages': String(totalPages) },
    };
  };

  /** A parameter the docs do not list for this request is refused, so a client never comes to rely on one. */
  const undocumented = (req: FakeRequest, documented: Set<string>): FakeResponse | null => {
    const unknown = [...req.query.keys()].filter((k) => !documented.has(k));
    if (!unknown.length) return null;
    return fail(400, 'rest_invalid_param', `Invalid parameter(s): ${unknown.join(', ')}`, Object.fromEntries(unknown.map((k) => [k, 'is not a documented parameter'])));
  };

  const handle = (req: FakeRequest): FakeResponse => {
    const denied = authError(req);
    if (denied) return denied;
    if (req.method !== 'GET') return fail(405, 'rest_no_route', 'No route was found matching the URL and request method.');
    if (route('/wp-json/wc/v3/orders', req.path)) return undocumented(req, orderListParameters) ?? listOrders(req);
    const one = route('/wp-json/wc/v3/orders/:id', req.path);
    if (one) {
      const order = orders.find((o) => String(o.id) === one.id);
      return order ? { status: 200, body: order } : fail(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    }
    const list = route('/wp-json/wc/v3/orders/:id/refunds', req.path);
    if (list) {
      const refused = undocumented(req, refundListParameters);
      if (refused) return refused;
      if (!orders.some((o) => String(o.id) === list.id)) return fail(404, 'woocommerce_rest_invalid_order_id', 'Invalid order ID.');
      const all = refunds.get(list.id ?? '') ?? [];
      return { status: 200, body: all, headers: { 'x-wp-total': String(all.length), 'x-wp-totalpages': all.length ? '1' : '0' } };
    }
    const single = route('/wp-json/wc/v3/orders/:id/refunds/:refundId', req.path);
    if (single) {
      if (!orders.some((o) => String(o.id) === single.id)) return fail(404, 'woocommerce_rest_invalid_order_id', 'Invalid order ID.');
      const refund = (refunds.get(single.id ?? '') ?? []).find((r) => String(r.id) === single.refundId);
      return refund ? { status: 200, body: refund } : fail(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.');
    }
    return fail(404, 'rest_no_route', 'No route was found matching the URL and request method.');
  };

  // Authorization is part of `handle`: WooCommerce words a missing key and a wrong one differently.
  const http = await startFakeHttp({ handle, errorBody: wooErrorBody, authorize: () => true });
  return {
    url: http.url,
    http,
    orders,
    refunds,
    seed: (...more) => void orders.push(...more),
    refund(orderId, refund) {
      refunds.set(orderId, [...(refunds.get(orderId) ?? []), refund]);
      const order = orders.find((o) => String(o.id) === orderId);
      if (order) {
        const named = { id: refund.id, reason: refund.reason ?? '', total: `-${String(refund.amount)}` };
        order.refunds = [...((order.refunds as Json[] | undefined) ?? []), named];
      }
    },
    close: () => http.close(),
  };
}
