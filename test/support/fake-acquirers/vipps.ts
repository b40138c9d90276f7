import { isDate, startFake, undocumented, type FakeServer } from './http';

/**
 * A Vipps MobilePay Report API v2 built from its OpenAPI document and guide (test/fixtures/vendors/vipps): the Access
 * token API (`POST /accesstoken/get` with client_id, client_secret, Ocp-Apim-Subscription-Key and
 * Merchant-Serial-Number headers), `GET /settlement/v1/ledgers` (filter `settlesForRecipientHandles`, `cursor`) and
 * `GET /report/v2/ledgers/{ledgerId}/{topic}/dates/{ledgerDate}` (topic funds|fees, pages with cursor/hasMore, `tryLater`
 * while a date is open, 404 for a date not reported yet). Every report call needs the bearer token and subscription key;
 * undocumented query parameters are refused with 400.
 */

export type Json = Record<string, unknown>;

export interface VippsKeys {
  clientId: string;
  clientSecret: string;
  subscriptionKey: string;
  merchantSerialNumber: string;
}

export interface VippsData {
  ledgerId: string;
  currency: string;
  /** Funds entries by ledger date. */
  funds: Record<string, Json[]>;
  /** The last closed ledger date: later dates answer tryLater (the next one) or 404 (after it). */
  closedThrough: string;
  /** Entries per page (the API gives up to 1000). */
  pageSize?: number;
}

const problem = (status: number, title: string, detail: string) => ({ type: 'about:blank', title, status, detail });

export async function startVippsServer(keys: VippsKeys, data: VippsData): Promise<FakeServer> {
  const token = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${Buffer.from(keys.clientId).toString('base64url')}`;
  const pageSize = data.pageSize ?? 1000;
  return startFake((req, send) => {
    const h = req.headers;
    if (req.path === '/accesstoken/get') {
      if (req.method !== 'POST') return send(405, problem(405, 'Method Not Allowed', 'use POST'));
      const ok = h['client_id'] === keys.clientId && h['client_secret'] === keys.clientSecret && h['ocp-apim-subscription-key'] === keys.subscriptionKey && h['merchant-serial-number'] === keys.merchantSerialNumber;
      if (!ok) return send(401, { error: 'unauthorized_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
      return send(200, { token_type: 'Bearer', expires_in: '86398', ext_expires_in: '86398', expires_on: '1796947200', not_before: '1796860802', resource: '00000002-0000-0000-c000-000000000000', access_token: token });
    }
    if (h['ocp-apim-subscription-key'] !== keys.subscriptionKey) {
      return send(401, { statusCode: 401, message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.' });
    }
    if (h.authorization !== `Bearer ${token}`) return send(401, { code: 'Unauthorized', message: 'Please check your API keys' });
    if (req.method !== 'GET') return send(405, problem(405, 'Method Not Allowed', 'the Report API only reads'));

    if (req.path === '/settlement/v1/ledgers') {
      const extra = undocumented(req.query, ['settlesForRecipientHandles', 'cursor']);
      if (extra) return send(400, problem(400, 'Bad Request', `unknown query parameter ${extra}`));
      const handle = req.query.get('settlesForRecipientHandles');
      const mine = `api:${keys.merchantSerialNumber}`;
      const items = handle === null || handle === mine ? [{ ledgerId: data.ledgerId, currency: data.currency, payoutBankAccount: { scheme: 'BBAN:NO', id: '86011117947' }, owner: { scheme: 'business:NO:ORG', id: '987654321' }, settlesForRecipientHandles: [mine] }] : [];
      return send(200, { items, cursor: '' });
    }
    const m = /^\/report\/v2\/ledgers\/([^/]+)\/([^/]+)\/dates\/([^/]+)$/.exec(req.path);
    if (m) {
      const [, ledgerId, topic, date] = m;
      if (topic !== 'funds' && topic !== 'fees') return send(400, problem(400, 'Bad Request', `topic must be funds or fees, not ${topic}`));
      if (!isDate(date!)) return send(400, problem(400, 'Bad Request', `ledgerDate must be YYYY-MM-DD, not ${date}`));
      if (ledgerId !== data.ledgerId) return send(403, problem(403, 'Forbidden', `no access to ledger ${ledgerId}`));
      const extra = undocumented(req.query, ['cursor']);
      if (extra) return send(400, problem(400, 'Bad Request', `unknown query parameter ${extra}`));
      const next = new Date(Date.parse(`${data.closedThrough}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      if (date! > next) return send(404, problem(404, 'Not Found', 'The report for this date is not available yet'));
      if (date === next) return send(200, { items: [], tryLater: true });
      const all = topic === 'funds' ? (data.funds[date!] ?? []) : [];
      const start = req.query.get('cursor') ? Number(Buffer.from(req.query.get('cursor')!, 'base64').toString()) : 0;
      if (!Number.isInteger(start) || start < 0 || start > all.length) return send(400, problem(400, 'Bad Request', 'invalid cursor'));
      const end = start + pageSize;
      const more = end < all.length;
      return send(200, { items: all.slice(start, end), hasMore: more, tryLater: false, ...(more ? { cursor: Buffer.from(String(end)).toString('base64') } : {}) });
    }
    send(404, problem(404, 'Not Found', `no route ${req.path}`));
  });
}

/** A funds ledger from entries without balances: adds balanceBefore/balanceAfter as the API does. */
export function ledgerOf(entries: (Json & { ledgerDate: string; amount: number })[], opening = 0): Record<string, Json[]> {
  const out: Record<string, Json[]> = {};
  let balance = opening;
  for (const e of entries) {
    const full = { currency: 'NOK', time: `${e.ledgerDate}T12:00:00.000000Z`, ...e, balanceBefore: balance, balanceAfter: (balance += e.amount) };
    (out[e.ledgerDate] ??= []).push(full);
  }
  return out;
}
