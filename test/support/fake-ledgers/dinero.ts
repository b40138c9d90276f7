import { hasTag, referenceTag, referenceUuid } from '../../../src/adapters/ledgers/http';
import type { DocumentKind } from '../../../src/domain/posting';
import { dineroValidator } from './dinero-api';
import { route, startFakeHttp, type FakeHttp, type FakeRequest, type FakeResponse } from './server';

/**
 * A Dinero-shaped API (api.dinero.dk/v1/{organizationId}, per the extract in test/fixtures/vendors/dinero) holding
 * one organization, and beside it the authorization server's personal-integration token endpoint: client id/secret
 * (Basic) and the organization's API key (password grant) for a bearer token. Documents carry the Guid the client chooses (a second create with it answers 409);
 * drafts are booked with their current Timestamp (a stale one answers 409); payments need a booked voucher and a
 * deposit account; manual vouchers must balance. Requests over the organization's rate limit answer 429.
 */

type Json = Record<string, unknown>;

export const DINERO_ORG = 123456;
export const DINERO_CLIENT = { clientId: 'isv_ledgerbridge', clientSecret: 'dinero-secret-5be1', apiKey: 'dinero-apikey-77c2a9' };
export const DINERO_TOKEN_PATH = '/dineroapi/oauth/token';
/** Our VAT codes → the organization's (Dinero's standard codes: U25 is 25 % output VAT). */
export const dineroVatCodes = { S25: 'U25', EXP0: 'none' };

/** The organization's chart: the accounts the Danish test mapping names, with the VAT Dinero books on each. */
const CHART: [number, string, string | null][] = [
  [1010, 'Salg af varer, Danmark', 'U25'],
  [1020, 'Salg af varer, EU', 'U25'],
  [1030, 'Salg af varer, udland', 'none'],
  [1110, 'Fragt, Danmark', 'U25'],
  [1120, 'Fragt, EU', 'U25'],
  [1130, 'Fragt, udland', 'none'],
  [3630, 'Gebyrer', 'none'],
  [3680, 'Valutakursdifferencer', 'none'],
  [3690, 'Øreafrunding', 'none'],
  [5600, 'Debitorer', 'none'],
  [5890, 'Fejlkonto', 'none'],
  [6900, 'Gavekort', 'none'],
  [7230, 'Salgsmoms', 'none'],
];
/** Accounts payments may be deposited on: the bank and the card acquirer's settlement account. */
const DEPOSITS: [number, string][] = [
  [5815, 'Tilgodehavende Nets'],
  [5820, 'Bank'],
];
const VAT_TYPES = [
  { VatCode: 'U25', Name: 'Salgsmoms 25%', VatRate: 0.25 },
  { VatCode: 'UEUV', Name: 'Salg af varer til EU', VatRate: 0 },
  { VatCode: 'I25', Name: 'Købsmoms 25%', VatRate: 0.25 },
];

export interface FakeDinero {
  url: string;
  http: FakeHttp;
  /** Dinero's authorization server (authz.dinero.dk in production: a host of its own, so API faults never hit it). */
  authUrl: string;
  auth: FakeHttp;
  invoices: Map<string, Json>;
  creditNotes: Map<string, Json>;
  vouchers: Map<string, Json>;
  contacts: Map<string, Json>;
  /** Tokens handed out so far. */
  tokensIssued: number;
  count(kind: DocumentKind, reference: string): number;
  close(): Promise<void>;
}

export function dineroErrorBody(status: number, message: string) {
  return { code: status, message, languageSpecificMessages: [{ property: '', message }] };
}

const øre = (kroner: unknown) => Math.round(Number(kroner) * 100);

/** `rateLimit`: Dinero's limit per organization and client id (documented: 100 a minute); tests shrink the window. */
export async function startFakeDinero(opts: { rateLimit?: { perWindow: number; windowMs: number } } = {}): Promise<FakeDinero> {
  const limit = opts.rateLimit ?? { perWindow: 100, windowMs: 60_000 };
  const vatRate = new Map(VAT_TYPES.map((t) => [t.VatCode, t.VatRate]));
  const accounts = new Map<number, { name: string; vat: string | null }>(CHART.map(([n, name, vat]) => [n, { name, vat }]));
  for (const [n, name] of DEPOSITS) accounts.set(n, { name, vat: null });
  const deposits = new Set(DEPOSITS.map(([n]) => n));
  const contacts = new Map<string, Json>();
  const invoices = new Map<string, Json>();
  const creditNotes = new Map<string, Json>();
  const vouchers = new Map<string, Json>();
  const tokens = new Set<string>();
  const recent: number[] = [];
  let nextInvoiceNumber = 1;
  let nextCreditNoteNumber = 1;
  let nextVoucherNumber = 1;
  let stamp = 0;
  const newStamp = () => `0000000000${(++stamp).toString(16)}`.slice(-16);
  const base = `/v1/${DINERO_ORG}`;
  const state = { tokensIssued: 0 };

  const bad = (message: string): FakeResponse => ({ status: 400, body: dineroErrorBody(400, message) });
  const notFound = (what: string): FakeResponse => ({ status: 404, body: dineroErrorBody(404, `${what} not found`) });
  const conflict = (message: string): FakeResponse => ({ status: 409, body: dineroErrorBody(409, message) });

  function token(req: FakeRequest): FakeResponse {
    const basic = `Basic ${Buffer.from(`${DINERO_CLIENT.clientId}:${DINERO_CLIENT.clientSecret}`).toString('base64')}`;
    if (req.headers.authorization !== basic) return { status: 401, body: { error: 'invalid_client' } };
    const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
    if (form.get('grant_type') !== 'password' || form.get('username') !== DINERO_CLIENT.apiKey || form.get('password') !== DINERO_CLIENT.apiKey) {
      return { status: 400, body: { error: 'invalid_grant' } };
    }
    const t = `dinero-access-${++state.tokensIssued}-${Math.random().toString(36).slice(2)}`;
    tokens.add(t);
    return { status: 200, body: { access_token: t, token_type: 'Bearer', expires_in: 3600 } };
  }

  /** Lines on existing accounts; the total incl. the VAT each account books. */
  function salesLines(body: Json): string | { total: number } {
    let total = 0;
    for (const l of body.ProductLines as Json[]) {
      const acc = accounts.get(Number(l.AccountNumber));
      if (!acc) return `Account ${String(l.AccountNumber)} does not exist`;
      if (!l.Description) return 'Description is required when no ProductGuid is given';
      const net = Math.round(Number(l.Quantity) * øre(l.BaseAmountValue));
      total += net + Math.round(net * (vatRate.get(acc.vat ?? '') ?? 0));
    }
    return { total };
  }

  function createSales(store: Map<string, Json>, body: Json): FakeResponse {
    const guid = String(body.Guid ?? crypto.randomUUID());
    if (store.has(guid) || invoices.has(guid) || creditNotes.has(guid)) return conflict(`A voucher with Guid ${guid} already exists`);
    if (body.ContactGuid && !contacts.has(String(body.ContactGuid))) return bad(`Contact ${String(body.ContactGuid)} does not exist`);
    if (body.CreditNoteFor !== undefined && body.CreditNoteFor !== null && invoices.get(String(body.CreditNoteFor))?.Status === undefined) return bad(`Invoice ${String(body.CreditNoteFor)} does not exist`);
    const lines = salesLines(body);
    if (typeof lines === 'string') return bad(lines);
    const v = { ...body, Guid: guid, Currency: body.Currency ?? 'DKK', Status: 'Draft', Number: null, Timestamp: newStamp(), TotalInclVat: lines.total / 100, Payments: [] as Json[] };
    store.set(guid, v);
    return { status: 201, body: { Guid: guid, Timestamp: v.Timestamp } };
  }

  function bookSales(v: Json | undefined, body: Json, number: () => number): FakeResponse {
    if (!v) return notFound('Voucher');
    if (v.Status !== 'Draft') return bad('The voucher is already booked');
    if (body.Timestamp !== v.Timestamp) return conflict('The voucher was changed: Timestamp does not match');
    if (!v.ContactGuid) return bad('A contact is required to book the voucher');
    Object.assign(v, { Status: 'Booked', Number: number(), Timestamp: newStamp() });
    return { status: 200, body: { Guid: v.Guid, Number: v.Number, Timestamp: v.Timestamp } };
  }

  function pay(v: Json | undefined, body: Json): FakeResponse {
    if (!v) return notFound('Voucher');
    if (v.Status === 'Draft') return bad('Payments can only be registered on a booked voucher');
    if (body.Timestamp !== v.Timestamp) return conflict('The voucher was changed: Timestamp does not match');
    if (!deposits.has(Number(body.DepositAccountNumber))) return bad(`Account ${String(body.DepositAccountNumber)} is not a deposit account`);
    if (!(Number(body.Amount) > 0)) return bad('Amount must be positive');
    const p = { ...body, Guid: crypto.randomUUID() };
    (v.Payments as Json[]).push(p);
    v.Timestamp = newStamp();
    return { status: 200, body: { Guid: p.Guid, Timestamp: v.Timestamp } };
  }

  function manual(body: Json): FakeResponse {
    const guid = String(body.Guid ?? crypto.randomUUID());
    if (vouchers.has(guid)) return conflict(`A voucher with Guid ${guid} already exists`);
    let balance = 0;
    for (const l of body.Lines as Json[]) {
      if (!accounts.has(Number(l.AccountNumber))) return bad(`Account ${String(l.AccountNumber)} does not exist`);
      if (l.AccountVatCode && l.AccountVatCode !== 'none' && !vatRate.has(String(l.AccountVatCode))) return bad(`VAT code ${String(l.AccountVatCode)} does not exist`);
      balance += øre(l.Amount);
    }
    if (balance !== 0) return bad('The voucher does not balance');
    const v = { ...body, Guid: guid, Status: 'Draft', VoucherNumber: null, Timestamp: newStamp() };
    vouchers.set(guid, v);
    return { status: 201, body: { Guid: guid, Timestamp: v.Timestamp } };
  }

  function handle(req: FakeRequest): FakeResponse {
    if (!req.path.startsWith(`${base}/`)) return { status: 403, body: dineroErrorBody(403, 'No access to this organization') };
    const now = Date.now();
    while (recent.length && recent[0]! <= now - limit.windowMs) recent.shift();
    if (recent.length >= limit.perWindow) return { status: 429, body: 'API calls quota exceeded! maximum admitted 100 per 1m.' };
    recent.push(now);
    const path = req.path.slice(base.length);
    const { method } = req;
    const body = (req.body ?? {}) as Json;

    if (method === 'GET' && path === '/accounts/entry') return { status: 200, body: [...accounts].filter(([n]) => !deposits.has(n)).map(([n, a]) => ({ AccountNumber: n, Name: a.name, VatCode: a.vat })) };
    if (method === 'GET' && path === '/accounts/deposit') return { status: 200, body: DEPOSITS.map(([n, name]) => ({ AccountNumber: n, Name: name })) };
    if (method === 'GET' && path === '/vatTypes') return { status: 200, body: VAT_TYPES };
    if (method === 'POST' && path === '/contacts') {
      const guid = String(body.ContactGuid ?? crypto.randomUUID());
      if (contacts.has(guid)) return conflict(`Contact ${guid} already exists`);
      contacts.set(guid, { ...body, ContactGuid: guid });
      return { status: 201, body: { ContactGuid: guid } };
    }
    let p = route('/contacts/:guid', path);
    if (method === 'GET' && p) return contacts.has(p.guid!) ? { status: 200, body: contacts.get(p.guid!) } : notFound('Contact');

    if (method === 'POST' && path === '/invoices') return createSales(invoices, body);
    if (method === 'POST' && path === '/sales/creditnotes') return createSales(creditNotes, body);
    for (const [prefix, store, number] of [
      ['/invoices', invoices, () => nextInvoiceNumber++],
      ['/sales/creditnotes', creditNotes, () => nextCreditNoteNumber++],
    ] as const) {
      p = route(`${prefix}/:guid`, path);
      if (method === 'GET' && p) return store.has(p.guid!) ? { status: 200, body: store.get(p.guid!) } : notFound('Voucher');
      p = route(`${prefix}/:guid/book`, path);
      if (method === 'POST' && p) return bookSales(store.get(p.guid!), body, number);
      p = route(`${prefix}/:guid/payments`, path);
      if (method === 'POST' && p) return pay(store.get(p.guid!), body);
      if (method === 'GET' && p) {
        const v = store.get(p.guid!);
        if (!v) return notFound('Voucher');
        const payments = v.Payments as Json[];
        return { status: 200, body: { Payments: payments, PaidAmount: payments.reduce((s, x) => s + Number(x.Amount), 0) } };
      }
    }

    if (method === 'POST' && path === '/vouchers/manuel') return manual(body);
    p = route('/vouchers/manuel/:guid', path);
    if (method === 'GET' && p) return vouchers.has(p.guid!) ? { status: 200, body: vouchers.get(p.guid!) } : notFound('Manual voucher');
    p = route('/vouchers/manuel/:guid/book', path);
    if (method === 'POST' && p) {
      const v = vouchers.get(p.guid!);
      if (!v) return notFound('Manual voucher');
      if (v.Status !== 'Draft') return bad('The voucher is already booked');
      if (body.Timestamp !== v.Timestamp) return conflict('The voucher was changed: Timestamp does not match');
      Object.assign(v, { Status: 'Booked', VoucherNumber: nextVoucherNumber++, Timestamp: newStamp() });
      return { status: 200, body: { Guid: v.Guid, VoucherNumber: v.VoucherNumber, Timestamp: v.Timestamp } };
    }
    return notFound(`${method} ${path}`);
  }

  const validator = dineroValidator();
  const http = await startFakeHttp({
    handle,
    errorBody: dineroErrorBody,
    authorize: (r) => tokens.has(String(r.headers.authorization ?? '').replace(/^Bearer /, '')),
    latencyMs: 2,
    validate: validator,
  });
  const auth = await startFakeHttp({
    handle: (r) => (r.method === 'POST' && r.path === DINERO_TOKEN_PATH ? token(r) : { status: 404, body: { error: 'not_found' } }),
    errorBody: (_status, message) => ({ error: 'server_error', error_description: message }),
    authorize: () => true,
  });
  const tagged = (store: Map<string, Json>, tag: string) => [...store.values()].filter((v) => v.ExternalReference === tag);
  const payments = (store: Map<string, Json>, kind: DocumentKind, reference: string) =>
    [...store.values()].flatMap((v) => v.Payments as Json[]).filter((x) => x.ExternalReference === referenceTag(kind, reference) || hasTag(x.Description as string, kind, reference)).length;
  return {
    url: http.url,
    http,
    authUrl: `${auth.url}${DINERO_TOKEN_PATH}`,
    auth,
    invoices,
    creditNotes,
    vouchers,
    contacts,
    get tokensIssued() {
      return state.tokensIssued;
    },
    count(kind, reference) {
      if (kind === 'invoice') return tagged(invoices, referenceTag(kind, reference)).length;
      if (kind === 'credit_note') return tagged(creditNotes, referenceTag(kind, reference)).length;
      if (kind === 'payment') return payments(invoices, kind, reference);
      if (kind === 'refund_payment') return payments(creditNotes, kind, reference);
      return vouchers.has(referenceUuid(kind, reference)) ? 1 : 0;
    },
    close: async () => {
      await Promise.all([http.close(), auth.close()]);
    },
  };
}
