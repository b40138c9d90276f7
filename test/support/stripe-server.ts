import { startFake, type Fault, type FakeServer, type Send } from './fake-acquirers/http';

export type { Fault, RecordedRequest } from './fake-acquirers/http';

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

export type StripeServer = FakeServer;

const errorBodies: Record<Fault['status'], Json> = {
  401: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_********************5678' },
  403: { type: 'invalid_request_error', code: 'secret_key_required', message: 'The provided key does not have the required permissions for this endpoint.' },
  429: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.' },
  500: { type: 'api_error', message: 'Sorry, something went wrong. We have already been notified of the problem.' },
  503: { type: 'api_error', message: 'The service is temporarily unavailable.' },
};

export async function startStripeServer(apiKey: string, data: StripeData): Promise<StripeServer> {
  let nextRequestId = 1;
  const stripeSend = (send: Send) => (status: number, body: unknown, headers: Record<string, string> = {}) =>
    send(status, body, { 'request-id': `req_${String(nextRequestId++).padStart(14, '0')}`, ...headers });

  /** Stripe lists newest first; `starting_after` continues after an object id of the previous page. */
  const list = (send: Send, fail: (status: number, error: Json) => void, url: string, all: Json[], q: URLSearchParams) => {
    const limitText = q.get('limit') ?? '10';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return fail(400, { type: 'invalid_request_error', param: 'limit', message: `Invalid integer: ${limitText}. This value must be between 1 and 100.` });
    }
    const sorted = [...all].sort((a, b) => (b.created as number) - (a.created as number) || String(b.id).localeCompare(String(a.id)));
    const after = q.get('starting_after');
    let start = 0;
    if (after) {
      start = sorted.findIndex((o) => o.id === after) + 1;
      if (start === 0) return fail(400, { type: 'invalid_request_error', param: 'starting_after', message: `No such object: '${after}'` });
    }
    const page = sorted.slice(start, start + limit);
    send(200, { object: 'list', url, has_more: start + limit < sorted.length, data: page });
  };

  const expansions = (q: URLSearchParams) => [...q].filter(([k]) => /^expand\[\d*\]$/.test(k)).map(([, v]) => v);

  const server = await startFake((req, raw) => {
    const send = stripeSend(raw);
    const fail = (status: number, error: Json, headers: Record<string, string> = {}) => send(status, { error }, headers);
    const q = req.query;
    if (req.headers.authorization !== `Bearer ${apiKey}`) return fail(401, errorBodies[401], { 'www-authenticate': 'Bearer realm="Stripe"' });
    if (req.method !== 'GET') return fail(405, { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${req.path}).` });

    if (req.path === '/v1/payouts') {
      const gte = q.get('arrival_date[gte]');
      return list(send, fail, '/v1/payouts', data.payouts.filter((p) => gte === null || (p.arrival_date as number) >= Number(gte)), q);
    }
    const one = /^\/v1\/payouts\/([^/]+)$/.exec(req.path);
    if (one) {
      const payout = data.payouts.find((p) => p.id === one[1]);
      return payout ? send(200, payout) : fail(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: `No such payout: '${one[1]}'` });
    }
    if (req.path === '/v1/balance_transactions') {
      const payoutId = q.get('payout');
      const payout = data.payouts.find((p) => p.id === payoutId);
      if (payoutId !== null && !payout) return fail(404, { type: 'invalid_request_error', code: 'resource_missing', param: 'payout', message: `No such payout: '${payoutId}'` });
      if (payout && payout.automatic !== true) {
        return fail(400, { type: 'invalid_request_error', param: 'payout', message: 'Balance transaction history can only be filtered on automatic transfers, not manual.' });
      }
      const expand = expansions(q);
      const unknown = expand.find((e) => e !== 'data.source');
      if (unknown) return fail(400, { type: 'invalid_request_error', param: 'expand', message: `This property cannot be expanded (${unknown}).` });
      const all = (payoutId ? data.balanceTransactions[payoutId] : Object.values(data.balanceTransactions).flat()) ?? [];
      const shaped = all.map((t) => (expand.includes('data.source') || !t.source || typeof t.source !== 'object' ? t : { ...t, source: (t.source as Json).id }));
      return list(send, fail, '/v1/balance_transactions', shaped, q);
    }
    fail(404, { type: 'invalid_request_error', message: `Unrecognized request URL (GET: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.` });
  });
  return {
    ...server,
    failNext: (fault: Fault, times?: number) => server.failNext({ ...fault, body: fault.body ?? { error: errorBodies[fault.status] } }, times),
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
