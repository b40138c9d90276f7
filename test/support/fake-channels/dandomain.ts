import { readFileSync } from 'node:fs';
import { route, startFakeHttp, type FakeHttp, type FakeRequest, type FakeResponse } from '../fake-ledgers/server';

/**
 * A Dandomain shop's order service in memory, read-only, built from what is documented
 * (test/fixtures/vendors/dandomain/SOURCE.md): the key is a path segment after /OrderService, orders changed in an
 * interval come from GetByModifiedInterval with start and end (`Y-m-d\TH:i:s`), pageIndex (from 1) and pageSize;
 * query parameters outside order-service-requests.json are refused, as is a date in another format. Orders are the
 * documented order answer with their own id and dates. Faults come from the shared fake server: `http.inject(…)`,
 * `http.hold(…)`.
 */

type Json = Record<string, unknown>;

export const DANDOMAIN_KEY = '05b4df18-6fb5-4249-9506-f376e3177280';

const vendorFile = (name: string) => readFileSync(new URL(`../../fixtures/vendors/dandomain/${name}`, import.meta.url), 'utf8');
const documentedOrder = JSON.parse(vendorFile('order-get.json')) as Json;
const documentedQuery = new Map(
  (JSON.parse(vendorFile('order-service-requests.json')) as { requests: { path: string; query: string[] }[] }).requests.map((r) => [r.path, new Set(r.query)]),
);

const wcf = (ms: number) => `/Date(${ms}+0100)/`;

/**
 * The documented order as order `300000 + n`, changed at `modifiedMs`. Its fees are set so that they add up to its
 * totalPrice under our reading of the price basis (SOURCE.md): the line 103.96 without VAT, shipping 29 incl. VAT.
 */
export function dandomainOrderFrom(n: number, modifiedMs: number, paymentId = 60): Json {
  const order = structuredClone(documentedOrder);
  return {
    ...order,
    id: 300000 + n,
    createdDate: wcf(modifiedMs - 60_000),
    modifiedDate: wcf(modifiedMs),
    shippingInfo: { fee: 29, feeInclVat: true, id: 67, name: 'GLS pakkeshop' },
    paymentInfo: { fee: 0, feeInclVat: false, id: paymentId, name: 'Betalingskort' },
    transactionNumber: String(70000000 + n),
  };
}

export interface FakeDandomain {
  url: string;
  http: FakeHttp;
  orders: Json[];
  seed(...orders: Json[]): void;
  close(): Promise<void>;
}

const modifiedMs = (o: Json) => Number(/^\/Date\((\d+)/.exec(String(o.modifiedDate))?.[1]);
const serviceDate = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export async function startFakeDandomain(opts: { apiKey?: string } = {}): Promise<FakeDandomain> {
  const key = opts.apiKey ?? DANDOMAIN_KEY;
  const orders: Json[] = [];
  const fail = (status: number, message: string): FakeResponse => ({ status, body: { Message: message } });

  const changed = (req: FakeRequest): FakeResponse => {
    const q = req.query;
    const unknown = [...q.keys()].filter((k) => !documentedQuery.get('/GetByModifiedInterval')!.has(k));
    if (unknown.length) return fail(400, `The request is invalid: ${unknown.join(', ')}`);
    const [start, end] = [q.get('start') ?? '', q.get('end') ?? ''];
    if (!serviceDate.test(start) || !serviceDate.test(end)) return fail(400, 'The request is invalid: start and end are Y-m-d\\TH:i:s');
    const pageIndex = Number(q.get('pageIndex') ?? '1');
    const pageSize = Number(q.get('pageSize') ?? '100');
    if (!Number.isInteger(pageIndex) || pageIndex < 1 || !Number.isInteger(pageSize) || pageSize < 1) return fail(400, 'The request is invalid: pageIndex and pageSize');
    const [from, to] = [Date.parse(`${start}Z`), Date.parse(`${end}Z`)];
    const matching = orders
      .filter((o) => modifiedMs(o) >= from && modifiedMs(o) <= to)
      .sort((a, b) => modifiedMs(a) - modifiedMs(b) || Number(a.id) - Number(b.id));
    return { status: 200, body: matching.slice((pageIndex - 1) * pageSize, pageIndex * pageSize) };
  };

  const handle = (req: FakeRequest): FakeResponse => {
    if (req.method !== 'GET') return fail(405, 'The requested resource does not support this method.');
    const call = route('/admin/WEBAPI/Endpoints/v1_0/OrderService/:key/GetByModifiedInterval', req.path);
    if (!call) return fail(404, 'No HTTP resource was found that matches the request URI.');
    if (call.key !== key) return fail(401, 'Authorization has been denied for this request.');
    return changed(req);
  };

  const http = await startFakeHttp({ handle, errorBody: (_status, message) => ({ Message: message }), authorize: () => true });
  return { url: http.url, http, orders, seed: (...more) => void orders.push(...more), close: () => http.close() };
}
