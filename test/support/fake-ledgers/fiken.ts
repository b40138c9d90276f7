import { hasTag, referenceTag, referenceUuid } from '../../../src/adapters/ledgers/http';
import type { DocumentKind } from '../../../src/domain/posting';
import { fikenValidator } from './fiken-api';
import { ns4102, reskontroAccounts } from './fiken-chart';
import { route, startFakeHttp, type FakeHttp, type FakeRequest, type FakeResponse } from './server';

/**
 * A Fiken-shaped API v2 server (api.fiken.no/api/v2, per the published OpenAPI spec) holding one company: bearer
 * tokens, 201 + Location with an empty body on creates, page/pageSize with the Fiken-Api-* headers, invoice and
 * credit note drafts turned into documents, sales with payments, general journal entries in øre, and Fiken's rule of
 * one concurrent request per client (a second overlapping request gets 429).
 */

type Json = Record<string, unknown>;

export const FIKEN_TOKEN = 'fiken-token-0b77';
export const FIKEN_SLUG = 'demo-as';
export const FIKEN_WEB_CONTACT = 1;
export const fikenVatTypes = { S25: 'HIGH', EU0: 'EXEMPT', EXP0: 'EXEMPT_IMPORT_EXPORT' } as const;
const SALES_VAT_TYPES = ['NONE', 'HIGH', 'MEDIUM', 'RAW_FISH', 'LOW', 'EXEMPT_IMPORT_EXPORT', 'EXEMPT', 'OUTSIDE', 'EXEMPT_REVERSE'];
const VAT_RATE: Record<string, number> = { HIGH: 25, MEDIUM: 15, LOW: 12, RAW_FISH: 11.11 };

export interface FakeFiken {
  url: string;
  http: FakeHttp;
  /** The chart of accounts, code → name (NS 4102, plus 1500:NNNNN per customer and 1920:NNNNN per bank account). */
  accounts: Map<string, string>;
  /** Bank accounts by account code (1920:NNNNN): the only accounts Fiken registers payments on. */
  bankAccounts: Map<string, Json>;
  invoices: Map<number, Json>;
  invoiceDrafts: Map<number, Json>;
  creditNotes: Map<number, Json>;
  creditNoteDrafts: Map<number, Json>;
  sales: Map<number, Json>;
  journalEntries: Map<number, Json>;
  contacts: Map<number, Json>;
  count(kind: DocumentKind, reference: string): number;
  close(): Promise<void>;
}

export function fikenErrorBody(status: number, message: string) {
  const error = status === 401 ? 'unauthorized' : status === 404 ? 'not_found' : status === 429 ? 'too_many_requests' : status >= 500 ? 'server_error' : 'bad_request';
  return { error, error_description: message };
}

/** The company's bank accounts: its operating account and the card acquirer's settlement account. */
export const FIKEN_BANK = '1920:10001';
export const FIKEN_NETS_SETTLEMENT = '1920:10002';

/** NOK per unit of a currency, for invoices in foreign currency (the fake's stand-in for Fiken's rates). */
const NOK_RATE: Record<string, number> = { NOK: 1, DKK: 1.55, SEK: 1, EUR: 11.5, USD: 10.8 };

export async function startFakeFiken(): Promise<FakeFiken> {
  const accounts = new Map<string, string>(ns4102);
  const bankAccounts = new Map<string, Json>();
  const addBank = (accountCode: string, name: string) => {
    bankAccounts.set(accountCode, { bankAccountId: bankAccounts.size + 1, name, accountCode, bankAccountNumber: `1234567${String(bankAccounts.size).padStart(4, '0')}`, type: 'normal', inactive: false });
    accounts.set(accountCode, name);
  };
  addBank(FIKEN_BANK, 'Driftskonto');
  addBank(FIKEN_NETS_SETTLEMENT, 'Nets oppgjørskonto');
  const contacts = new Map<number, Json>([[FIKEN_WEB_CONTACT, { contactId: FIKEN_WEB_CONTACT, name: 'Webshop customers', customer: true, customerNumber: 10001, customerAccountCode: '1500:10001' }]]);
  accounts.set('1500:10001', 'Webshop customers');
  const invoiceDrafts = new Map<number, Json>();
  const creditNoteDrafts = new Map<number, Json>();
  const invoices = new Map<number, Json>();
  const creditNotes = new Map<number, Json>();
  const sales = new Map<number, Json>();
  const journalEntries = new Map<number, Json>();
  let nextId = 1000;
  let nextInvoiceNumber = 10001;
  let nextCreditNoteNumber = 50001;
  let nextJournalNumber = 1;
  let nextCustomerNumber = 10002;
  const base = `/companies/${FIKEN_SLUG}`;
  const today = () => new Date().toISOString().slice(0, 10);

  const bad = (message: string): FakeResponse => ({ status: 400, body: fikenErrorBody(400, message) });
  const notFound = (what: string): FakeResponse => ({ status: 404, body: fikenErrorBody(404, `${what} not found`) });
  const created = (path: string): FakeResponse => ({ status: 201, headers: { location: `https://api.fiken.no/api/v2${base}${path}` } });
  const list = (items: Json[], req: FakeRequest): FakeResponse => {
    const page = Number(req.query.get('page') ?? 0);
    const pageSize = Math.min(Number(req.query.get('pageSize') ?? 25), 100);
    const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
    return {
      status: 200,
      body: items.slice(page * pageSize, page * pageSize + pageSize),
      headers: { 'fiken-api-page': String(page), 'fiken-api-page-size': String(pageSize), 'fiken-api-page-count': String(pageCount), 'fiken-api-result-count': String(items.length) },
    };
  };
  const eq = (req: FakeRequest, key: string, value: unknown) => req.query.get(key) === null || req.query.get(key) === String(value ?? '');

  function validateDraft(d: Json): string | null {
    if (!['invoice', 'credit_note', 'cash_invoice'].includes(String(d.type))) return 'type is invalid';
    if (typeof d.daysUntilDueDate !== 'number') return 'daysUntilDueDate is required';
    if (!contacts.has(Number(d.customerId))) return `Contact ${String(d.customerId)} does not exist`;
    const lines = (d.lines ?? []) as Json[];
    if (!lines.length) return 'lines must not be empty';
    for (const l of lines) {
      if (!Number.isInteger(l.unitPrice)) return 'unitPrice must be an integer amount in cents';
      if (!SALES_VAT_TYPES.includes(String(l.vatType))) return `vatType ${String(l.vatType)} is not valid for sales`;
      if (!accounts.has(String(l.incomeAccount))) return `Account ${String(l.incomeAccount)} does not exist`;
    }
    return null;
  }

  const inNok = (t: { net: number; vat: number; gross: number }, currency: string) => {
    const rate = NOK_RATE[currency] ?? 1;
    return { netInNok: Math.round(t.net * rate), vatInNok: Math.round(t.vat * rate), grossInNok: Math.round(t.gross * rate) };
  };
  const totals = (lines: Json[]) => {
    let net = 0;
    let vat = 0;
    for (const l of lines) {
      const n = Math.round(Number(l.quantity) * Number(l.unitPrice));
      net += n;
      vat += Math.round((n * (VAT_RATE[String(l.vatType)] ?? 0)) / 100);
    }
    return { net, vat, gross: net + vat };
  };

  /** Money paid back to a customer (a debit on its 1500:NNNNN) settles its open credit note of that amount. */
  function settleCreditNote(account: string, amount: number) {
    const open = [...creditNotes.values()].find((c) => !c.settled && (c.customer as Json | undefined)?.customerAccountCode === account && c.gross === amount);
    if (open) open.settled = true;
  }

  function handle(req: FakeRequest): FakeResponse {
    if (!req.path.startsWith(`${base}/`)) return { status: 403, body: fikenErrorBody(403, 'No access to this company') };
    const path = req.path.slice(base.length);
    const { method } = req;
    const body = (req.body ?? {}) as Json;

    if (method === 'GET' && path === '/accounts') return list([...accounts].map(([code, name]) => ({ code, name })), req);
    if (method === 'GET' && path === '/bankAccounts') return list([...bankAccounts.values()], req);
    if (method === 'GET' && path === '/contacts') {
      return list([...contacts.values()].filter((c) => eq(req, 'email', c.email) && eq(req, 'name', c.name) && eq(req, 'customer', c.customer ?? false)), req);
    }
    if (method === 'POST' && path === '/contacts') {
      if (!body.name) return bad('name is required');
      const id = nextId++;
      const customerAccountCode = body.customer ? `1500:${nextCustomerNumber}` : undefined;
      contacts.set(id, { ...body, contactId: id, ...(customerAccountCode ? { customerNumber: nextCustomerNumber++, customerAccountCode } : {}) });
      if (customerAccountCode) accounts.set(customerAccountCode, String(body.name));
      return created(`/contacts/${id}`);
    }

    // invoices and their drafts
    if (method === 'GET' && path === '/invoices') {
      return list([...invoices.values()].filter((i) => eq(req, 'orderReference', i.orderReference) && eq(req, 'invoiceDraftUuid', i.invoiceDraftUuid)), req);
    }
    if (method === 'GET' && path === '/invoices/drafts') return list([...invoiceDrafts.values()].filter((d) => eq(req, 'orderReference', d.orderReference) && eq(req, 'uuid', d.uuid)), req);
    if (method === 'POST' && (path === '/invoices/drafts' || path === '/creditNotes/drafts')) {
      const problem = validateDraft(body);
      if (problem) return bad(problem);
      const id = nextId++;
      const { customerId, ...rest } = body;
      const draft = { ...rest, draftId: id, uuid: body.uuid ?? `draft-${id}`, customers: [contacts.get(Number(customerId))], lastModifiedDate: today(), ...totals((body.lines ?? []) as Json[]) };
      (path === '/invoices/drafts' ? invoiceDrafts : creditNoteDrafts).set(id, draft);
      return created(`${path}/${id}`);
    }
    let p = route('/invoices/drafts/:id/createInvoice', path);
    if (method === 'POST' && p) {
      const draft = invoiceDrafts.get(Number(p.id));
      if (!draft) return notFound('Invoice draft');
      invoiceDrafts.delete(Number(p.id));
      const id = nextId++;
      const saleId = nextId++;
      const t = totals(draft.lines as Json[]);
      const sale = { saleId, kind: 'invoice', netAmount: t.net, vatAmount: t.vat, settled: false, salePayments: [] as Json[], date: draft.issueDate };
      sales.set(saleId, sale);
      invoices.set(id, {
        invoiceId: id,
        invoiceNumber: nextInvoiceNumber++,
        issueDate: draft.issueDate,
        orderReference: draft.orderReference,
        invoiceDraftUuid: draft.uuid,
        customer: (draft.customers as Json[])[0],
        currency: draft.currency,
        net: t.net,
        vat: t.vat,
        gross: t.gross,
        ...inNok(t, String(draft.currency ?? 'NOK')),
        lines: draft.lines,
        createdDate: today(),
        sale,
      });
      return created(`/invoices/${id}`);
    }
    p = route('/invoices/:id', path);
    if (method === 'GET' && p) return invoices.has(Number(p.id)) ? { status: 200, body: invoices.get(Number(p.id)) } : notFound('Invoice');

    // credit notes
    if (method === 'GET' && path === '/creditNotes') return list([...creditNotes.values()].filter((c) => eq(req, 'creditNoteDraftUuid', c.creditNoteDraftUuid)), req);
    if (method === 'GET' && path === '/creditNotes/drafts') return list([...creditNoteDrafts.values()], req);
    p = route('/creditNotes/drafts/:id/createCreditNote', path);
    if (method === 'POST' && p) {
      const draft = creditNoteDrafts.get(Number(p.id));
      if (!draft) return notFound('Credit note draft');
      creditNoteDrafts.delete(Number(p.id));
      const id = nextId++;
      const t = totals(draft.lines as Json[]);
      creditNotes.set(id, { creditNoteId: id, creditNoteNumber: nextCreditNoteNumber++, creditNoteDraftUuid: draft.uuid, orderReference: draft.orderReference, customer: (draft.customers as Json[])[0], net: t.net, vat: t.vat, gross: t.gross, issueDate: draft.issueDate, lines: draft.lines, settled: false });
      return created(`/creditNotes/${id}`);
    }
    p = route('/creditNotes/:id', path);
    if (method === 'GET' && p) return creditNotes.has(Number(p.id)) ? { status: 200, body: creditNotes.get(Number(p.id)) } : notFound('Credit note');

    // sales and payments
    p = route('/sales/:id/payments', path);
    if (p) {
      const sale = sales.get(Number(p.id));
      if (!sale) return notFound('Sale');
      const payments = sale.salePayments as Json[];
      if (method === 'GET') return { status: 200, body: payments };
      if (method === 'POST') {
        if (!Number.isInteger(body.amount) || Number(body.amount) <= 0) return bad('amount must be a positive integer amount in cents');
        if (!accounts.has(String(body.account))) return bad(`Account ${String(body.account)} does not exist`);
        // The documented kind: a payment is money in a bank account (payment.account, e.g. 1920:10001).
        if (!bankAccounts.has(String(body.account))) return bad(`Account ${String(body.account)} is not a bank account; payments are registered on a bank account (1920:XXXXX)`);
        if (body.currency !== undefined && body.currency !== 'NOK' && !Number.isInteger(body.amountInNok)) {
          return bad(`amountInNok is required for a payment in ${String(body.currency)}: the amount received in the bank account, in øre`);
        }
        const id = nextId++;
        payments.push({ ...body, paymentId: id });
        return created(`/sales/${p.id}/payments/${id}`);
      }
    }

    // journal entries
    if (method === 'GET' && path === '/journalEntries') {
      const since = req.query.get('createdDateGe');
      return list([...journalEntries.values()].filter((e) => !since || String(e.createdDate) >= since), req);
    }
    p = route('/journalEntries/:id', path);
    if (method === 'GET' && p) return journalEntries.has(Number(p.id)) ? { status: 200, body: journalEntries.get(Number(p.id)) } : notFound('Journal entry');
    if (method === 'POST' && path === '/generalJournalEntries') {
      const entries = (body.journalEntries ?? []) as Json[];
      if (!entries.length) return bad('journalEntries must not be empty');
      const ids: number[] = [];
      for (const e of entries) {
        if (String(e.description ?? '').length > 200) return bad('description is longer than 200 characters');
        let balance = 0;
        for (const l of (e.lines ?? []) as Json[]) {
          if (!Number.isInteger(l.amount) || Number(l.amount) <= 0) return bad('amount must be a positive integer amount in cents');
          for (const side of ['debitAccount', 'creditAccount']) {
            if (l[side] === undefined) continue;
            if (reskontroAccounts.includes(String(l[side]))) return bad(`Account ${String(l[side])} is kept per customer, supplier or bank account: name the sub-account (${String(l[side])}:XXXXX)`);
            if (!accounts.has(String(l[side]))) return bad(`Account ${String(l[side])} does not exist`);
          }
          if (l.debitAccount === undefined && l.creditAccount === undefined) return bad('a line needs a debit or credit account');
          if (l.debitAccount !== undefined && l.creditAccount === undefined) balance += Number(l.amount);
          if (l.creditAccount !== undefined && l.debitAccount === undefined) balance -= Number(l.amount);
        }
        if (balance !== 0) return bad('The journal entry does not balance');
      }
      for (const e of entries) for (const l of (e.lines ?? []) as Json[]) if (typeof l.debitAccount === 'string') settleCreditNote(l.debitAccount, Number(l.amount));
      for (const e of entries) {
        const id = nextId++;
        ids.push(id);
        journalEntries.set(id, { ...e, journalEntryId: id, journalEntryNumber: nextJournalNumber++, createdDate: today(), lastModifiedDate: today() });
      }
      return created(`/journalEntries/${ids[0]}`);
    }
    return notFound(`${method} ${path}`);
  }

  const http = await startFakeHttp({ handle, errorBody: fikenErrorBody, authorize: (r) => r.headers.authorization === `Bearer ${FIKEN_TOKEN}`, rejectConcurrent: true, latencyMs: 3, validate: fikenValidator() });
  return {
    url: http.url,
    http,
    accounts,
    bankAccounts,
    invoices,
    invoiceDrafts,
    creditNotes,
    creditNoteDrafts,
    sales,
    journalEntries,
    contacts,
    count(kind, reference) {
      const tag = referenceTag(kind, reference);
      if (kind === 'invoice') return [...invoiceDrafts.values(), ...invoices.values()].filter((d) => d.orderReference === tag).length;
      if (kind === 'credit_note') {
        const uuid = referenceUuid(kind, reference);
        return [...creditNoteDrafts.values()].filter((d) => d.uuid === uuid).length + [...creditNotes.values()].filter((c) => c.creditNoteDraftUuid === uuid).length;
      }
      if (kind === 'payment') {
        const inv = [...invoices.values()].find((i) => i.orderReference === referenceTag('invoice', reference));
        return inv ? ((inv.sale as Json).salePayments as Json[]).length : 0;
      }
      return [...journalEntries.values()].filter((e) => hasTag(e.description as string, kind, reference)).length;
    },
    close: () => http.close(),
  };
}
