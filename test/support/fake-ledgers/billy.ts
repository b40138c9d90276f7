import { randomBytes } from 'node:crypto';
import { defaultChart } from '../../../src/adapters/ledgers/local/chart';
import { hasTag, referenceTag } from '../../../src/adapters/ledgers/http';
import type { DocumentKind } from '../../../src/domain/posting';
import { loadVendorDocument, type RequestValidator } from '../vendor-schemas';
import { route, startFakeHttp, type FakeHttp, type FakeRequest, type FakeResponse } from './server';

/**
 * A Billy-shaped API v2 server (api.billysbilling.com/v2) holding one organization in memory: X-Access-Token,
 * `{ meta, <records> }` envelopes, draft → approved invoices and credit notes (approved is final), bank payments
 * associated with invoices, daybook transactions that must balance, and Billy's error envelope
 * (`errorCode` / `errorMessage`, 422 for validation).
 */

type Json = Record<string, unknown>;

export const BILLY_TOKEN = 'billy-token-5e1d';
export const BILLY_ORG = 'org_demo';
export const BILLY_DAYBOOK = 'daybook_1';
export const BILLY_WEB_CONTACT = 'contact_web';
export const billyProducts: Record<string, string> = { '1010': 'prod_goods', '1020': 'prod_goods_eu', '1030': 'prod_export', '1110': 'prod_ship', '1120': 'prod_ship_eu', '1130': 'prod_ship_exp', '3690': 'prod_rounding', '6900': 'prod_giftcard' };

export interface FakeBilly {
  url: string;
  http: FakeHttp;
  invoices: Json[];
  bankPayments: Json[];
  daybookTransactions: Json[];
  contacts: Json[];
  accounts: Json[];
  count(kind: DocumentKind, reference: string): number;
  close(): Promise<void>;
}

const newId = () => randomBytes(11).toString('base64url');
const meta = (statusCode = 200, extra: Json = {}) => ({ statusCode, success: statusCode < 400, time: 0.01, ...extra });

export function billyErrorBody(status: number, message: string) {
  const errorCode = status === 401 ? 'OAUTH_INVALID_ACCESS_TOKEN' : status === 404 ? 'RECORD_NOT_FOUND' : status === 422 ? 'VALIDATION_ERROR' : status === 429 ? 'TOO_MANY_REQUESTS' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
  return { meta: meta(status), errorCode, errorMessage: message };
}

/**
 * Billy refuses what its documents do not list: a list query parameter outside test/fixtures/vendors/billy/
 * list-parameters.json (e.g. `contactId` on bank payments, `q` on contacts), or a page larger than 1000.
 */
const listParameters = loadVendorDocument<Record<string, string[]>>('billy/list-parameters.json');
export const documentedListParameters: RequestValidator = (req) => {
  const own = listParameters[req.path];
  if (req.method !== 'GET' || !own) return [];
  const allowed = new Set([...listParameters['every list']!, ...own]);
  const problems = [...new Set(req.query.keys())].filter((k) => !allowed.has(k)).map((k) => `${k} is not a documented filter of GET ${req.path}`);
  const pageSize = req.query.get('pageSize');
  if (pageSize !== null && !(Number(pageSize) >= 1 && Number(pageSize) <= 1000)) problems.push('pageSize must be 1 to 1000');
  return problems;
};

export async function startFakeBilly(): Promise<FakeBilly> {
  const accounts: Json[] = defaultChart.map((a) => ({ id: `acc_${a.number}`, organizationId: BILLY_ORG, accountNo: Number(a.number), name: a.name, isArchived: false }));
  const taxRates: Json[] = [
    { id: 'tax_s25', organizationId: BILLY_ORG, name: 'Salgsmoms 25%', abbreviation: 'S25', rate: 0.25, appliesToSales: true, isActive: true },
    { id: 'tax_eu0', organizationId: BILLY_ORG, name: 'EU-salg', abbreviation: 'EU0', rate: 0, appliesToSales: true, isActive: true },
    { id: 'tax_exp0', organizationId: BILLY_ORG, name: 'Eksport', abbreviation: 'EXP0', rate: 0, appliesToSales: true, isActive: true },
  ];
  const products = new Set(Object.values(billyProducts));
  const contacts: Json[] = [{ id: BILLY_WEB_CONTACT, organizationId: BILLY_ORG, type: 'company', name: 'Webshop customers', isCustomer: true, contactPersons: [] }];
  const invoices: Json[] = [];
  const bankPayments: Json[] = [];
  const daybookTransactions: Json[] = [];
  let nextInvoiceNo = 1;
  let nextVoucherNo = 1;

  const list = (key: string, items: Json[], req: FakeRequest): FakeResponse => {
    const pageSize = Math.min(Number(req.query.get('pageSize') ?? 1000), 1000);
    const pageNo = Number(req.query.get('page') ?? 1);
    const slice = items.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    return { status: 200, body: { meta: meta(200, { paging: { page: pageNo, pageCount: Math.max(1, Math.ceil(items.length / pageSize)), pageSize, total: items.length } }), [key]: slice } };
  };
  const changed = (key: string, records: Json[]): FakeResponse => ({ status: 200, body: { meta: meta(), [key]: records } });
  const invalid = (message: string): FakeResponse => ({ status: 422, body: billyErrorBody(422, message) });
  const notFound = (what: string): FakeResponse => ({ status: 404, body: billyErrorBody(404, `${what} was not found.`) });
  const byId = (items: Json[], id: unknown) => items.find((i) => i.id === id);

  function createInvoice(input: Json): FakeResponse {
    if (input.organizationId !== BILLY_ORG) return invalid('organizationId is invalid.');
    if (!byId(contacts, input.contactId)) return invalid(`Contact ${String(input.contactId)} does not exist.`);
    if (!['invoice', 'creditNote'].includes(String(input.type ?? 'invoice'))) return invalid('type must be invoice or creditNote.');
    if (input.type === 'creditNote') {
      const credited = byId(invoices, input.creditedInvoiceId);
      if (!credited || credited.state !== 'approved') return invalid('creditedInvoiceId must be an approved invoice.');
    }
    if (!['draft', 'approved'].includes(String(input.state ?? 'draft'))) return invalid('state must be draft or approved.');
    const lines = (input.lines ?? []) as Json[];
    if (!lines.length) return invalid('An invoice must have at least one line.');
    for (const l of lines) {
      if (!products.has(String(l.productId))) return invalid(`Product ${String(l.productId)} does not exist.`);
      if (l.taxRateId !== undefined && !byId(taxRates, l.taxRateId)) return invalid(`Tax rate ${String(l.taxRateId)} does not exist.`);
    }
    let amount = 0;
    let tax = 0;
    const stored: Json[] = lines.map((l) => {
      const a = Math.round(Number(l.quantity ?? 1) * Number(l.unitPrice) * 100);
      const t = Math.round(a * Number(byId(taxRates, l.taxRateId)?.rate ?? 0));
      amount += a;
      tax += t;
      return { id: newId(), ...l, amount: a / 100, tax: t / 100 };
    });
    const approved = input.state === 'approved';
    const inv: Json = {
      ...input,
      id: newId(),
      type: input.type ?? 'invoice',
      state: approved ? 'approved' : 'draft',
      invoiceNo: approved ? String(nextInvoiceNo++) : null,
      approvedTime: approved ? new Date().toISOString() : null,
      amount: amount / 100,
      tax: tax / 100,
      grossAmount: (amount + tax) / 100,
      balance: (amount + tax) / 100,
      isPaid: false,
      lines: stored,
    };
    invoices.push(inv);
    // An approved credit note lowers the credited invoice's balance: the answer lists that invoice too, first.
    const credited = approved && inv.type === 'creditNote' ? byId(invoices, input.creditedInvoiceId) : undefined;
    if (!credited) return changed('invoices', [inv]);
    credited.balance = Math.round((Number(credited.balance) - (amount + tax) / 100) * 100) / 100;
    return changed('invoices', [credited, inv]);
  }

  function handle(req: FakeRequest): FakeResponse {
    const { method, path } = req;
    const body = (req.body ?? {}) as Json;
    const org = req.query.get('organizationId');
    if (method === 'GET' && path === '/accounts') return list('accounts', accounts, req);
    if (method === 'POST' && path === '/accounts') {
      const a = (body.account ?? {}) as Json;
      if (!a.groupId) return invalid('groupId is required.');
      if (accounts.some((x) => x.accountNo === a.accountNo)) return invalid(`Account number ${String(a.accountNo)} is already in use.`);
      const created = { ...a, id: newId(), isArchived: false };
      accounts.push(created);
      return changed('accounts', [created]);
    }
    if (method === 'GET' && path === '/taxRates') return list('taxRates', taxRates, req);
    let p = route('/products/:id', path);
    if (method === 'GET' && p) return products.has(p.id!) ? { status: 200, body: { meta: meta(), product: { id: p.id, organizationId: BILLY_ORG, name: p.id } } } : notFound('Product');
    if (method === 'GET' && path === '/contacts') return list('contacts', contacts, req);
    if (method === 'POST' && path === '/contacts') {
      const c = (body.contact ?? {}) as Json;
      if (!c.name) return invalid('name is required.');
      const created = { ...c, id: newId(), contactPersons: ((c.contactPersons ?? []) as Json[]).map((cp) => ({ ...cp, id: newId() })) };
      contacts.push(created);
      return changed('contacts', [created]);
    }
    if (method === 'GET' && path === '/invoices') {
      const externalId = req.query.get('externalId');
      return list('invoices', invoices.filter((i) => (!org || i.organizationId === org) && (externalId === null || i.externalId === externalId)), req);
    }
    if (method === 'POST' && path === '/invoices') return createInvoice((body.invoice ?? {}) as Json);
    p = route('/invoices/:id', path);
    if (p) {
      const inv = byId(invoices, p.id);
      if (!inv) return notFound('Invoice');
      if (method === 'GET') return { status: 200, body: { meta: meta(), invoice: inv } };
      if (method === 'PUT') {
        const change = (body.invoice ?? {}) as Json;
        if (inv.state === 'approved') {
          const onlyState = Object.keys(change).every((k) => k === 'state') && change.state === 'approved';
          return onlyState ? changed('invoices', [inv]) : invalid('An approved invoice cannot be changed.');
        }
        Object.assign(inv, change);
        if (inv.state === 'approved' && !inv.invoiceNo) {
          inv.invoiceNo = String(nextInvoiceNo++);
          inv.approvedTime = new Date().toISOString();
        }
        return changed('invoices', [inv]);
      }
    }
    if (method === 'GET' && path === '/bankPayments') return list('bankPayments', bankPayments, req);
    if (method === 'POST' && path === '/bankPayments') {
      const b = (body.bankPayment ?? {}) as Json;
      if (!byId(accounts, b.cashAccountId)) return invalid(`Account ${String(b.cashAccountId)} does not exist.`);
      if (!['debit', 'credit'].includes(String(b.cashSide))) return invalid('cashSide must be debit or credit.');
      const associations: Json[] = ((b.associations ?? []) as Json[]).map((a) => ({ ...a, id: newId() }));
      for (const a of associations) {
        const [type, id] = String(a.subjectReference).split(':');
        const inv = type === 'invoice' ? byId(invoices, id) : undefined;
        if (!inv || inv.state !== 'approved') return invalid(`${String(a.subjectReference)} is not an approved invoice.`);
      }
      const created = { ...b, id: newId(), isVoided: false, associations };
      bankPayments.push(created);
      for (const a of associations) {
        const inv = byId(invoices, String(a.subjectReference).split(':')[1])!;
        inv.balance = Math.round((Number(inv.balance) - Number(b.cashAmount)) * 100) / 100;
        inv.isPaid = Number(inv.balance) <= 0;
      }
      return changed('bankPayments', [created]);
    }
    if (method === 'GET' && path === '/daybookTransactions') return list('daybookTransactions', daybookTransactions, req);
    if (method === 'POST' && path === '/daybookTransactions') {
      const t = (body.daybookTransaction ?? {}) as Json;
      if (t.daybookId !== BILLY_DAYBOOK) return invalid(`Daybook ${String(t.daybookId)} does not exist.`);
      const lines = (t.lines ?? []) as Json[];
      let balance = 0;
      for (const l of lines) {
        if (!byId(accounts, l.accountId)) return invalid(`Account ${String(l.accountId)} does not exist.`);
        if (l.taxRateId !== undefined && !byId(taxRates, l.taxRateId)) return invalid(`Tax rate ${String(l.taxRateId)} does not exist.`);
        balance += Math.round(Number(l.amount) * 100) * (l.side === 'debit' ? 1 : -1);
      }
      if (balance !== 0) return invalid('The transaction does not balance.');
      const created = { ...t, id: newId(), voucherNo: String(nextVoucherNo++), lines: lines.map((l) => ({ ...l, id: newId() })) };
      daybookTransactions.push(created);
      return changed('daybookTransactions', [created]);
    }
    return notFound(`${method} ${path}`);
  }

  const http = await startFakeHttp({ handle, errorBody: billyErrorBody, authorize: (r) => r.headers['x-access-token'] === BILLY_TOKEN, validate: documentedListParameters });
  return {
    url: http.url,
    http,
    invoices,
    bankPayments,
    daybookTransactions,
    contacts,
    accounts,
    count(kind, reference) {
      if (kind === 'invoice' || kind === 'credit_note') return invoices.filter((i) => i.externalId === referenceTag(kind, reference)).length;
      if (kind === 'payment' || kind === 'refund_payment') {
        const doc = invoices.find((i) => i.externalId === referenceTag(kind === 'payment' ? 'invoice' : 'credit_note', reference));
        return doc ? bankPayments.filter((b) => ((b.associations ?? []) as Json[]).some((a) => a.subjectReference === `invoice:${String(doc.id)}`)).length : 0;
      }
      return daybookTransactions.filter((t) => hasTag(t.description as string, kind, reference)).length;
    },
    close: () => http.close(),
  };
}
