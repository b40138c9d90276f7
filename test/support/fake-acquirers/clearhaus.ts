import { startFake, undocumented, type FakeServer } from './http';

/**
 * A Clearhaus Merchant API built from its reference (test/fixtures/vendors/clearhaus): OAuth 2.0 client credentials at
 * `/oauth/token` (HTTP Basic client authentication, `grant_type=client_credentials`), bearer tokens on every resource,
 * HAL+JSON. `/settlements` is paged by page/per_page with `next` links; a settlement's `ch:transactions` link lists its
 * transactions with cursor pagination (`next` links carrying an opaque token). Undocumented parameters are refused.
 */

export type Json = Record<string, unknown>;

export interface ClearhausSettlement extends Json {
  id: string;
  transactions: Json[];
}

const halError = (status: number, message: string) => ({ status, message });

export async function startClearhausServer(client: { clientId: string; clientSecret: string }, settlements: ClearhausSettlement[], defaultPerPage = 20): Promise<FakeServer> {
  const perPageMax = 100;
  const token = `ch_at_${Buffer.from(client.clientId).toString('hex').slice(0, 24)}`;
  let base = '';
  const server = await startFake((req, send) => {
    if (req.path === '/oauth/token') {
      if (req.method !== 'POST') return send(405, { error: 'invalid_request' });
      const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
      if (req.headers.authorization !== basic) return send(401, { error: 'invalid_client' });
      if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return send(400, { error: 'invalid_request' });
      return send(200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, halError(401, 'Unauthorized'), { 'www-authenticate': 'Bearer' });
    if (req.method !== 'GET') return send(405, halError(405, 'Method Not Allowed'));
    const curies = [{ href: 'https://developer.clearhaus.com/rels/{rel}', templated: true, name: 'ch' }];
    const view = (s: ClearhausSettlement) => {
      const rest: Json = { ...s };
      delete rest.transactions;
      return { ...rest, _links: { self: { href: `${base}/settlements/${s.id}` }, 'ch:transactions': { href: `${base}/settlements/${s.id}/transactions{?query,per_page}`, templated: true } } };
    };
    if (req.path === '/settlements') {
      const extra = undocumented(req.query, ['query', 'page', 'per_page']);
      if (extra) return send(400, halError(400, `unknown parameter ${extra}`));
      const page = Number(req.query.get('page') ?? '1');
      const per = Number(req.query.get('per_page') ?? '20');
      if (!Number.isInteger(page) || page < 1 || !Number.isInteger(per) || per < 1 || per > perPageMax) return send(400, halError(400, 'invalid page or per_page'));
      const slice = settlements.slice((page - 1) * per, page * per);
      const last = Math.max(1, Math.ceil(settlements.length / per));
      const links: Json = { self: { href: `${base}/settlements?page=${page}&per_page=${per}` }, first: { href: `${base}/settlements?page=1&per_page=${per}` }, last: { href: `${base}/settlements?page=${last}&per_page=${per}` }, curies };
      if (page < last) links.next = { href: `${base}/settlements?page=${page + 1}&per_page=${per}` };
      return send(200, { count: settlements.length, page, per_page: per, _links: links, _embedded: { 'ch:settlements': slice.map(view) } });
    }
    const tx = /^\/settlements\/([^/]+)\/transactions$/.exec(req.path);
    if (tx) {
      const s = settlements.find((x) => x.id === tx[1]);
      if (!s) return send(404, halError(404, 'Not Found'));
      const extra = undocumented(req.query, ['query', 'per_page', 'next']);
      if (extra) return send(400, halError(400, `unknown parameter ${extra}`));
      const per = Number(req.query.get('per_page') ?? String(defaultPerPage));
      const at = req.query.get('next') ? Number(Buffer.from(req.query.get('next')!, 'base64url').toString()) : 0;
      if (!Number.isInteger(per) || per < 1 || per > perPageMax || !Number.isInteger(at) || at < 0) return send(400, halError(400, 'invalid per_page or next'));
      const links: Json = { self: { href: `${base}${req.path}` }, first: { href: `${base}${req.path}?per_page=${per}` }, curies };
      if (at + per < s.transactions.length) links.next = { href: `${base}${req.path}?per_page=${per}&next=${Buffer.from(String(at + per)).toString('base64url')}` };
      return send(200, { per_page: per, _links: links, _embedded: { 'ch:transactions': s.transactions.slice(at, at + per) } });
    }
    send(404, halError(404, 'Not Found'));
  });
  base = server.url;
  return server;
}

/** A settled transaction as the reference describes it, its settlement amounts in the account's currency. */
export function clearhausTransaction(id: string, type: string, amount: number, fees: number, reference: string, processedAt: string, currency = 'DKK'): Json {
  return {
    id,
    rrn: '123456789012',
    type,
    processed_at: processedAt,
    amount,
    currency,
    text_on_statement: 'KAFFESHOP',
    reference,
    threed_secure: 'full',
    recurring: false,
    region: 'domestic',
    payment_method: 'card',
    status: { code: 20000, message: 'Approved' },
    card: { type: 'debit', scheme: 'visa', country: 'DK', last4: '0004' },
    settlement: { amount_gross: amount, amount_net: amount - fees, fees, fee_details: [{ type: 'transaction', amount: fees }], currency },
  };
}
