import { referenceTag } from '../../../src/adapters/ledgers/http';
import type { DocumentKind } from '../../../src/domain/posting';
import { norwegianMapping, norwegianMarket, type Market } from '../fixtures';
import { route, startFakeHttp, type FakeHttp, type FakeRequest, type FakeResponse } from './server';
import { uniEconomyValidator } from './uni-economy-api';

/**
 * A Uni-Economy-shaped API (`/api/biz`, per the swagger extract in test/fixtures/vendors/uni-economy) holding one
 * company, and beside it the identity server's token endpoint (client credentials, scope AppFramework). Every call
 * needs the bearer token and the company's CompanyKey header. Uni chooses all ids; list reads take an OData-style
 * `filter` (`Field eq 'value'`, a dotted path into the object). Invoices are drafts (StatusCode 42001) until the
 * `invoice` transition numbers them; a credit note names the invoiced invoice it credits and counts its items
 * negative; journal entries must balance, name existing accounts and VAT types, and link only invoiced invoices.
 */

type Json = Record<string, unknown>;

export const UNI_COMPANY_KEY = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';
export const UNI_CLIENT = { clientId: 'ledgerbridge-server', clientSecret: 'uni-secret-8d41f0' };
export const UNI_TOKEN_PATH = '/connect/token';
/** Our VAT codes → Uni's (the Norwegian SAF-T codes: 3 is 25 % output VAT, 52 exports of goods). */
export const uniVatCodes = { S25: '3', EXP0: '52' };

/**
 * The Norwegian mapping as a Uni Economy company keeps it: plain NS 4102 account numbers (Uni keeps customers in a
 * sub-ledger of its own, so there are no 1920:NNNNN bank sub-accounts as in Fiken): the card acquirer's receivable
 * 1580, bank 1920.
 */
const nets = { acquirer: 'nets', receivableAccount: '1580' };
export const uniMarket: Market = {
  ...norwegianMarket,
  mapping: { ...norwegianMapping, paymentMethods: { dankort: nets, visa: nets }, accounts: { ...norwegianMapping.accounts, bank: '1920' } },
};

const CHART: [number, string][] = [
  [1500, 'Kundefordringer'],
  [1570, 'Feilkonto automatisk bokføring'],
  [1580, 'Tilgode Nets'],
  [1920, 'Bankinnskudd'],
  [2700, 'Utgående merverdiavgift'],
  [2900, 'Gavekort'],
  [3000, 'Salgsinntekt, avgiftspliktig'],
  [3100, 'Salgsinntekt, avgiftsfri'],
  [7770, 'Bank- og kortgebyrer'],
  [7790, 'Øreavrunding'],
  [8160, 'Valutatap (disagio)'],
];
const VAT_TYPES = [
  { ID: 11, VatCode: '3', VatPercent: 25, Name: 'Utgående mva, høy sats', OutputVat: true },
  { ID: 12, VatCode: '31', VatPercent: 15, Name: 'Utgående mva, middels sats', OutputVat: true },
  { ID: 14, VatCode: '5', VatPercent: 0, Name: 'Ingen utgående mva (innenfor loven)', OutputVat: true },
  { ID: 15, VatCode: '52', VatPercent: 0, Name: 'Utførsel av varer og tjenester', OutputVat: true },
  { ID: 21, VatCode: '1', VatPercent: 25, Name: 'Inngående mva, høy sats', OutputVat: false },
];
export const DRAFT = 42001;
const INVOICED = 42002;
const PARTLY_PAID = 42003;
const PAID = 42004;

export interface FakeUniEconomy {
  url: string;
  http: FakeHttp;
  authUrl: string;
  auth: FakeHttp;
  invoices: Map<number, Json>;
  journalEntries: Map<number, Json>;
  customers: Map<number, Json>;
  accounts: Map<number, Json>;
  tokensIssued: number;
  count(kind: DocumentKind, reference: string): number;
  close(): Promise<void>;
}

export function uniErrorBody(status: number, message: string) {
  return { Message: message, Messages: [{ Message: message, Level: 3 }], StatusCode: status };
}

const øre = (kroner: unknown) => Math.round(Number(kroner) * 100);

/** `Field eq 'value'` / `Field eq 123` on a dotted path; anything else is refused as Uni would refuse a bad filter. */
function filterOf(query: URLSearchParams): ((o: Json) => boolean) | string | undefined {
  const f = query.get('filter');
  if (f === null) return undefined;
  const m = /^([A-Za-z][\w.]*) eq (?:'((?:[^']|'')*)'|(-?\d+))$/.exec(f);
  if (!m) return `Could not parse filter: ${f}`;
  const [, path, str, num] = m;
  const want: unknown = str !== undefined ? str.replace(/''/g, "'") : Number(num);
  return (o) => path!.split('.').reduce<unknown>((v, k) => (v as Json | undefined)?.[k], o) === want;
}

export async function startFakeUniEconomy(): Promise<FakeUniEconomy> {
  let nextId = 1000;
  const accounts = new Map<number, Json>(CHART.map(([n, name]) => [++nextId, { ID: nextId, AccountNumber: n, AccountName: name, Visible: true }]));
  const vatIds = new Set(VAT_TYPES.map((t) => t.ID));
  const vatPercent = new Map(VAT_TYPES.map((t) => [t.ID, t.VatPercent]));
  const customers = new Map<number, Json>();
  const invoices = new Map<number, Json>();
  const journalEntries = new Map<number, Json>();
  const tokens = new Set<string>();
  const state = { tokensIssued: 0, invoiceNumber: 100_000, entryNumber: 0 };

  const bad = (message: string): FakeResponse => ({ status: 400, body: uniErrorBody(400, message) });
  const notFound = (what: string): FakeResponse => ({ status: 404, body: uniErrorBody(404, `${what} not found`) });
  const list = (store: Map<number, Json>, query: URLSearchParams): FakeResponse => {
    const f = filterOf(query);
    if (typeof f === 'string') return bad(f);
    const rows = [...store.values()].filter((o) => !f || f(o));
    const top = query.get('top');
    return { status: 200, body: top ? rows.slice(0, Number(top)) : rows };
  };

  function token(req: FakeRequest): FakeResponse {
    const form = new URLSearchParams(typeof req.body === 'string' ? req.body : '');
    if (form.get('client_id') !== UNI_CLIENT.clientId || form.get('client_secret') !== UNI_CLIENT.clientSecret) return { status: 400, body: { error: 'invalid_client' } };
    if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    if (!(form.get('scope') ?? '').split(' ').includes('AppFramework')) return { status: 400, body: { error: 'invalid_scope' } };
    const t = `uni-access-${++state.tokensIssued}-${Math.random().toString(36).slice(2)}`;
    tokens.add(t);
    return { status: 200, body: { access_token: t, token_type: 'Bearer', expires_in: 3600, scope: 'AppFramework' } };
  }

  function createInvoice(body: Json): FakeResponse {
    if (!customers.has(Number(body.CustomerID))) return bad(`Customer ${String(body.CustomerID)} does not exist`);
    const items = (body.Items ?? []) as Json[];
    if (items.length === 0) return bad('An invoice needs at least one item');
    const isCredit = body.InvoiceType === 1;
    if (body.InvoiceType !== 0 && !isCredit) return bad('InvoiceType must be 0 (invoice) or 1 (credit note)');
    if (isCredit) {
      const credited = invoices.get(Number(body.InvoiceReferenceID));
      if (!credited || credited.StatusCode === DRAFT || credited.InvoiceType !== 0) return bad(`InvoiceReferenceID ${String(body.InvoiceReferenceID)} is not an invoiced invoice`);
    }
    let net = 0;
    let vat = 0;
    for (const it of items) {
      if (!accounts.has(Number(it.AccountID))) return bad(`Account ${String(it.AccountID)} does not exist`);
      if (it.VatTypeID !== undefined && !vatIds.has(Number(it.VatTypeID))) return bad(`VatType ${String(it.VatTypeID)} does not exist`);
      const n = Number(it.NumberOfItems);
      if (!n || (isCredit && n > 0)) return bad(isCredit ? 'A credit note counts its items negative' : 'NumberOfItems must not be 0');
      const lineNet = Math.round(n * øre(it.PriceExVat));
      net += lineNet;
      vat += Math.round((lineNet * (vatPercent.get(Number(it.VatTypeID)) ?? 0)) / 100);
    }
    const id = ++nextId;
    const total = (net + vat) / 100;
    const inv = { ...body, ID: id, StatusCode: DRAFT, InvoiceNumber: null, TaxExclusiveAmount: net / 100, TaxInclusiveAmount: total, RestAmount: total };
    invoices.set(id, inv);
    return { status: 201, body: inv };
  }

  function bookEntries(body: unknown): FakeResponse {
    const entries = body as Json[];
    for (const e of entries) {
      const lines = (e.DraftLines ?? []) as Json[];
      if (lines.length < 2) return bad('A journal entry needs at least two lines');
      let balance = 0;
      for (const l of lines) {
        if (!accounts.has(Number(l.AccountID))) return bad(`Account ${String(l.AccountID)} does not exist`);
        if (l.VatTypeID !== undefined && !vatIds.has(Number(l.VatTypeID))) return bad(`VatType ${String(l.VatTypeID)} does not exist`);
        if (!l.FinancialDate) return bad('FinancialDate is required');
        if (l.CustomerInvoiceID !== undefined) {
          const inv = invoices.get(Number(l.CustomerInvoiceID));
          if (!inv || inv.StatusCode === DRAFT) return bad(`CustomerInvoice ${String(l.CustomerInvoiceID)} is not invoiced`);
        }
        balance += øre(l.Amount);
      }
      if (balance !== 0) return bad('The journal entry does not balance');
    }
    for (const e of entries) {
      const id = ++nextId;
      journalEntries.set(id, { ...e, ID: id, JournalEntryNumber: `${++state.entryNumber}-2026`, Lines: e.DraftLines, StatusCode: 31002 });
      for (const l of e.DraftLines as Json[]) {
        const inv = l.CustomerInvoiceID === undefined ? undefined : invoices.get(Number(l.CustomerInvoiceID));
        if (!inv) continue;
        // The customer's side of a payment reduces what is left to pay (a credit note's rest is negative).
        const rest = øre(inv.RestAmount) + øre(l.Amount);
        Object.assign(inv, { RestAmount: rest / 100, StatusCode: rest === 0 ? PAID : PARTLY_PAID });
      }
    }
    return { status: 200, body: {} };
  }

  function handle(req: FakeRequest): FakeResponse {
    if (req.headers.companykey !== UNI_COMPANY_KEY) return { status: 403, body: uniErrorBody(403, 'No access to this company') };
    if (!req.path.startsWith('/api/biz/')) return notFound(req.path);
    const path = req.path.slice('/api/biz'.length);
    const { method, query } = req;
    const action = query.get('action');
    const body = (req.body ?? {}) as Json;

    if (method === 'GET' && path === '/accounts') return list(accounts, query);
    if (method === 'POST' && path === '/accounts') {
      const n = Number(body.AccountNumber);
      if (!Number.isInteger(n) || n < 1000 || n > 99_999_999) return bad('AccountNumber must be 4 to 8 digits');
      if (!body.AccountName) return bad('AccountName is required');
      if ([...accounts.values()].some((a) => a.AccountNumber === n)) return bad(`Account ${n} already exists`);
      const id = ++nextId;
      accounts.set(id, { ...body, ID: id, Visible: true });
      return { status: 201, body: accounts.get(id) };
    }
    if (method === 'GET' && path === '/vattypes') return { status: 200, body: VAT_TYPES };
    if (method === 'GET' && path === '/customers') return list(customers, query);
    if (method === 'POST' && path === '/customers') {
      const info = body.Info as Json | undefined;
      if (!info?.Name) return bad('Info.Name is required');
      const id = ++nextId;
      customers.set(id, { ...body, ID: id, CustomerNumber: 100_000 + customers.size + 1, StatusCode: 30001 });
      return { status: 201, body: customers.get(id) };
    }
    if (method === 'GET' && path === '/invoices') return list(invoices, query);
    if (method === 'POST' && path === '/invoices') return createInvoice(body);
    const p = route('/invoices/:id', path);
    if (p) {
      const inv = invoices.get(Number(p.id));
      if (!inv) return notFound('CustomerInvoice');
      if (method === 'GET') return { status: 200, body: inv };
      if (method === 'POST' && action === 'invoice') {
        if (inv.StatusCode !== DRAFT) return bad('The invoice is already invoiced');
        Object.assign(inv, { StatusCode: INVOICED, InvoiceNumber: String(++state.invoiceNumber) });
        return { status: 200 };
      }
    }
    if (method === 'GET' && path === '/journalentries') return list(journalEntries, query);
    if (method === 'POST' && path === '/journalentries' && action === 'book-journal-entries') return bookEntries(req.body);
    return notFound(`${method} ${path}`);
  }

  const http = await startFakeHttp({
    handle,
    errorBody: uniErrorBody,
    authorize: (r) => tokens.has(String(r.headers.authorization ?? '').replace(/^Bearer /, '')),
    latencyMs: 2,
    validate: uniEconomyValidator(),
  });
  const auth = await startFakeHttp({
    handle: (r) => (r.method === 'POST' && r.path === UNI_TOKEN_PATH ? token(r) : { status: 404, body: { error: 'not_found' } }),
    errorBody: (_status, message) => ({ error: 'server_error', error_description: message }),
    authorize: () => true,
  });
  const invoicesTagged = (tag: string) => [...invoices.values()].filter((v) => v.InternalNote === tag).length;
  return {
    url: http.url,
    http,
    authUrl: `${auth.url}${UNI_TOKEN_PATH}`,
    auth,
    invoices,
    journalEntries,
    customers,
    accounts,
    get tokensIssued() {
      return state.tokensIssued;
    },
    count(kind, reference) {
      const tag = referenceTag(kind, reference);
      if (kind === 'invoice' || kind === 'credit_note') return invoicesTagged(tag);
      return [...journalEntries.values()].filter((e) => e.Description === tag).length;
    },
    close: async () => {
      await Promise.all([http.close(), auth.close()]);
    },
  };
}
