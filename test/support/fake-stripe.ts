import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server that answers as Stripe's API reference documents for payouts and balance transactions: bearer
 * auth, list objects with has_more and starting_after pagination, `expand[]=data.source`, and Stripe's error bodies.
 * Faults can be injected per request.
 */
export interface FakeStripeData {
  payouts: Record<string, unknown>[];
  /** Balance transactions by payout id; `source` holds the full object (expanded on request). */
  transactions: Record<string, Record<string, unknown>[]>;
}

export interface FakeStripe {
  url: string;
  requests: { method: string; path: string; query: URLSearchParams }[];
  /** The next requests fail with this status (and Retry-After for 429). */
  failNext(status: 401 | 404 | 429 | 500, times?: number): void;
  close(): Promise<void>;
}

const PAGE = 2;

export async function startFakeStripe(apiKey: string, data: FakeStripeData): Promise<FakeStripe> {
  const requests: FakeStripe['requests'] = [];
  const faults: number[] = [];
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${requests.length}`, ...headers });
    res.end(JSON.stringify(body));
  };
  const list = (res: ServerResponse, url: string, items: Record<string, unknown>[], q: URLSearchParams) => {
    const limit = Math.min(Number(q.get('limit') ?? 10), 100, PAGE);
    const after = q.get('starting_after');
    const start = after ? items.findIndex((i) => i.id === after) + 1 : 0;
    const page = items.slice(start, start + limit);
    send(res, 200, { object: 'list', url, has_more: start + limit < items.length, data: page });
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://localhost');
    requests.push({ method: req.method ?? 'GET', path: u.pathname, query: u.searchParams });
    const fault = faults.shift();
    if (fault === 429) return send(res, 429, { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' } }, { 'retry-after': '2' });
    if (fault === 500) return send(res, 500, { error: { type: 'api_error', message: 'An unknown error occurred' } });
    if (fault === 404) return send(res, 404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such payout' } });
    if (fault === 401 || req.headers.authorization !== `Bearer ${apiKey}`) {
      return send(res, 401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****' } });
    }
    if (req.method !== 'GET') return send(res, 405, { error: { type: 'invalid_request_error', message: 'Method not allowed' } });

    if (u.pathname === '/v1/payouts') {
      const gte = Number(u.searchParams.get('arrival_date[gte]') ?? 0);
      return list(res, '/v1/payouts', data.payouts.filter((p) => (p.arrival_date as number) >= gte), u.searchParams);
    }
    const one = /^\/v1\/payouts\/([^/]+)$/.exec(u.pathname);
    if (one) {
      const p = data.payouts.find((x) => x.id === one[1]);
      return p ? send(res, 200, p) : send(res, 404, { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: `No such payout: '${one[1]}'` } });
    }
    if (u.pathname === '/v1/balance_transactions') {
      const payout = u.searchParams.get('payout');
      if (!payout || !data.transactions[payout]) {
        return send(res, 400, { error: { type: 'invalid_request_error', param: 'payout', message: 'Balance transactions can be filtered by automatic payouts only' } });
      }
      // Stripe takes arrays as expand[]=… or expand[0]=… (what stripe-node sends).
      const expand = [...u.searchParams].some(([k, v]) => /^expand\[\d*\]$/.test(k) && v === 'data.source');
      const items = data.transactions[payout]!.map((t) => (expand || typeof t.source !== 'object' || !t.source ? t : { ...t, source: (t.source as { id: string }).id }));
      return list(res, '/v1/balance_transactions', items, u.searchParams);
    }
    send(res, 404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (GET: ${u.pathname})` } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(status, times = 1) {
      for (let i = 0; i < times; i++) faults.push(status);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const unix = (date: string) => Math.floor(Date.parse(`${date}T12:00:00Z`) / 1000);

/** A payout as Stripe returns it. */
export const stripePayout = (id: string, amount: number, arrival: string, automatic = true) => ({
  id,
  object: 'payout',
  amount,
  arrival_date: unix(arrival),
  automatic,
  currency: 'dkk',
  status: 'paid',
  type: 'bank_account',
  method: 'standard',
  created: unix(arrival) - 86_400,
});

/** A balance transaction with its (expandable) source. */
export const stripeTxn = (
  id: string,
  type: string,
  amount: number,
  fee: number,
  created: string,
  source: Record<string, unknown> | null,
  reportingCategory = type,
) => ({
  id,
  object: 'balance_transaction',
  amount,
  fee,
  net: amount - fee,
  currency: 'dkk',
  type,
  reporting_category: reportingCategory,
  created: unix(created),
  available_on: unix(created),
  status: 'available',
  description: null,
  fee_details: fee ? [{ amount: fee, currency: 'dkk', type: 'stripe_fee', description: 'Stripe processing fees' }] : [],
  source,
});
