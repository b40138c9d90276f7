import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server that answers the three Stripe endpoints the adapter uses the way Stripe's API reference
 * documents them: bearer-key auth (401 otherwise), list objects `{object:'list', url, has_more, data}` newest first
 * with `limit` (1–100, default 10) and `starting_after` pagination, `arrival_date[gte]` on payouts, the `payout`
 * filter on balance transactions (automatic payouts only), `expand[]=data.source`, and error bodies
 * `{error:{type, code?, param?, message}}`. Faults (401, 403, 429 with Retry-After, 500) can be queued.
 */

export type Json = Record<string, unknown>;

export interface StripeData {
  payouts: Json[];
  /** Balance transactions by payout id, their `source` as the full object (sent as an id unless expanded). */
  balanceTransactions: Record<string, Json[]>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface Fault {
  status: 401 | 403 | 429 | 500 | 503;
  headers?: Record<string, string>;
}

export interface StripeServer {
  url: string;
  requests: RecordedRequest[];
  /** The next request(s) fail this way, before anything else is looked at. */
  failNext(fault: Fault, times?: number): void;
  close(): Promise<void>;
}

const errorBodies: Record<Fault['status'], Json> = {
  401: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_********************5678' },
  403: { type: 'invalid_request_error', code: 'secret_key_required', message: 'The provided key does not have the required permissions for this endpoint.' },
  429: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.' },
  500: { type: 'api_error', message: 'Sorry, something went wrong. We have already been notified of the problem.' },
  503: { type: 'api_error', message: 'The service is temporarily unavailable.' },
};

export async function startStripeServer(apiKey: string, data: StripeData): Promise<StripeServer> {
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  let nextRequestId = 1;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${String(nextRequestId++).padStart(14, '0')}`, ...headers });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, error: Json, headers: Record<string, string> = {}) => send(res, status, { error }, headers);

  /** Stripe lists newest first; `starting_after` continues after an object id of the previous page. */
  const list = (res: ServerResponse, url: string, all: Json[], q: URLSearchParams) => {
    const limitText = q.get('limit') ?? '10';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return fail(res, 400, { type: 'invalid_request_error', param: 'limit', message: `Invalid integer: ${limitText}. This value must be between 1 and 100.` });
    }
    const sorted = [...all].sort((a, b) => (b.created as number) - (a.created as number) || String(b.id).localeCompare(String(a.id)));
    const after = q.get('starting_after');
    let start = 0;
    if (after) {
      start = sorted.findIndex((o) => o.id === after) + 1;
      if (start === 0) return fail(res, 400, { type: 'invalid_request_error', param: 'starting_after', message: `No such object: '${after}'` });
    }
    const page = sorted.slice(start, start + limit);
    send(res, 200, { object: 'list', url, has_more: start + limit < sorted.length, data: page });
  };

  const expansions = (q: URLSearchParams) => [...q].filter(([k]) => /^expand\[\d*\]$/.test(k)).map(([, v]) => v);

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://stripe.local');
    requests.push({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers });
    const fault = faults.shift();
    if (fault) return fail(res, fault.status, errorBodies[fault.status], fault.headers);
    if (req.headers.authorization !== `Bearer ${apiKey}`) return fail(res, 401, errorBodies[401], { 'www-authenticate': 'Bearer realm="Stripe"' });
    if (req.method !== 'GET') return fail(res, 405, { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${u.pathname}).` });

    if (u.pathname === '/v1/payouts') {
      const gte = u.searchParams.get('arrival_date[gte]');
      return list(res, '/v1/payouts', data.payouts.filter((p) => gte === null || (p.arrival_date as number) >= Number(gte)), u.searchParams);
    }
    const one = /^\/v1\/payouts\/([^/]+)$/.exec(u.pathname);
    if (one) {
      const payout = data.payouts.find((p) => p.id === one[1]);
      return payout ? send(res, 200, payout) : fail(res, 404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: `No such payout: '${one[1]}'` });
    }
    if (u.pathname === '/v1/balance_transactions') {
      const payoutId = u.searchParams.get('payout');
      const payout = data.payouts.find((p) => p.id === payoutId);
      if (payoutId !== null && !payout) return fail(res, 404, { type: 'invalid_request_error', code: 'resource_missing', param: 'payout', message: `No such payout: '${payoutId}'` });
      if (payout && payout.automatic !== true) {
        return fail(res, 400, { type: 'invalid_request_error', param: 'payout', message: 'Balance transaction history can only be filtered on automatic transfers, not manual.' });
      }
      const expand = expansions(u.searchParams);
      const unknown = expand.find((e) => e !== 'data.source');
      if (unknown) return fail(res, 400, { type: 'invalid_request_error', param: 'expand', message: `This property cannot be expanded (${unknown}).` });
      const all = (payoutId ? data.balanceTransactions[payoutId] : Object.values(data.balanceTransactions).flat()) ?? [];
      const shaped = all.map((t) => (expand.includes('data.source') || !t.source || typeof t.source !== 'object' ? t : { ...t, source: (t.source as Json).id }));
      return list(res, '/v1/balance_transactions', shaped, u.searchParams);
    }
    fail(res, 404, { type: 'invalid_request_error', message: `Unrecognized request URL (GET: ${u.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const unix = (dateTime: string) => Math.floor(Date.parse(dateTime.length === 10 ? `${dateTime}T12:00:00Z` : dateTime) / 1000);

/** A payout object as Stripe returns it. */
export function payout(id: string, amount: number, arrival: string, over: Json = {}): Json {
  return {
    id,
    object: 'payout',
    amount,
    arrival_date: unix(arrival),
    automatic: true,
    balance_transaction: `txn_${id}`,
    created: unix(arrival) - 2 * 86_400,
    currency: 'dkk',
    description: 'STRIPE PAYOUT',
    destination: 'ba_1Lb',
    livemode: false,
    metadata: {},
    method: 'standard',
    source_type: 'card',
    statement_descriptor: null,
    status: 'paid',
    type: 'bank_account',
    ...over,
  };
}

/** A balance transaction object as Stripe returns it, its source in full. */
export function balanceTransaction(id: string, type: string, amount: number, fee: number, created: string, source: Json | null, over: Json = {}): Json {
  return {
    id,
    object: 'balance_transaction',
    amount,
    available_on: unix(created) + 2 * 86_400,
    created: unix(created),
    currency: 'dkk',
    description: null,
    exchange_rate: null,
    fee,
    fee_details: fee ? [{ amount: fee, application: null, currency: 'dkk', description: 'Stripe processing fees', type: 'stripe_fee' }] : [],
    net: amount - fee,
    reporting_category: type === 'charge' || type === 'payment' ? 'charge' : type === 'payment_refund' ? 'refund' : type,
    source,
    status: 'available',
    type,
    ...over,
  };
}
