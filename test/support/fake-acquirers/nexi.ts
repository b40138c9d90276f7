import { isDate, startFake, undocumented, type FakeServer } from './http';

/**
 * A Nexi Checkout Reporting API v1 built from its reference (test/fixtures/vendors/nexi): `Authorization: <secret key>`,
 * `GET /report/v1/payouts` (fromDate and toDate required as RFC 3339 full-dates, optional currency, zero-based
 * pageNumber and pageSize, `numberOfPayouts` as the total) and `GET /report/v1/payouts/{id}` (payment actions paged the
 * same way, `numberOfPaymentActions` as the total). Answers 400, 401 and 404 as documented; undocumented parameters
 * are refused.
 */

export type Json = Record<string, unknown>;

export interface NexiPayout extends Json {
  id: string;
  date: string;
  currency: string;
  amount: number;
  paymentActions: Json[];
}

const error = (message: string) => ({ message, code: '1001', source: 'Reporting' });

function paging(q: URLSearchParams): { page: number; size: number } | string {
  const page = Number(q.get('pageNumber') ?? '0');
  const size = Number(q.get('pageSize') ?? '100');
  if (!Number.isInteger(page) || page < 0) return `pageNumber must be a whole number from 0, not ${q.get('pageNumber')}`;
  if (!Number.isInteger(size) || size < 1) return `pageSize must be a whole number from 1, not ${q.get('pageSize')}`;
  return { page, size };
}

export async function startNexiServer(secretKey: string, payouts: NexiPayout[]): Promise<FakeServer> {
  return startFake((req, send) => {
    if (req.headers.authorization !== secretKey) return send(401, error('Unauthorized: the secret key is missing or invalid'));
    if (req.method !== 'GET') return send(405, error('the Reporting API only reads'));
    if (req.path === '/report/v1/payouts') {
      const extra = undocumented(req.query, ['merchantNumber', 'currency', 'fromDate', 'toDate', 'pageNumber', 'pageSize']);
      if (extra) return send(400, error(`unknown parameter ${extra}`));
      const from = req.query.get('fromDate');
      const to = req.query.get('toDate');
      if (!isDate(from) || !isDate(to)) return send(400, error('fromDate and toDate are required full-dates (RFC 3339), e.g. 2018-01-01'));
      const p = paging(req.query);
      if (typeof p === 'string') return send(400, error(p));
      const currency = req.query.get('currency');
      const all = payouts.filter((x) => x.date >= from && x.date <= to && (!currency || x.currency === currency));
      const page = all.slice(p.page * p.size, (p.page + 1) * p.size).map((x) => {
        const rest: Json = { ...x };
        delete rest.paymentActions;
        return rest;
      });
      return send(200, { numberOfPayouts: all.length, payouts: page });
    }
    const one = /^\/report\/v1\/payouts\/([^/]+)$/.exec(req.path);
    if (one) {
      const extra = undocumented(req.query, ['merchantNumber', 'pageNumber', 'pageSize']);
      if (extra) return send(400, error(`unknown parameter ${extra}`));
      const payout = payouts.find((x) => x.id === decodeURIComponent(one[1]!));
      if (!payout) return send(404, error(`payout ${one[1]} not found`));
      const p = paging(req.query);
      if (typeof p === 'string') return send(400, error(p));
      const { paymentActions, ...head } = payout;
      return send(200, { ...head, numberOfPaymentActions: paymentActions.length, paymentActions: paymentActions.slice(p.page * p.size, (p.page + 1) * p.size) });
    }
    send(404, error(`no route ${req.path}`));
  });
}
