import { randomUUID } from 'node:crypto';
import { defaultChart } from '../../../src/adapters/ledgers/local/chart';
import { hasTag, referenceTag } from '../../../src/adapters/ledgers/http';
import type { DocumentKind } from '../../../src/domain/posting';
import { economicFilterable, economicValidator } from './economic-api';
import { route, startFakeHttp, type FakeHttp, type FakeHttpOptions, type FakeRequest, type FakeResponse } from './server';

/**
 * An e-conomic-shaped REST server (restapi.e-conomic.com) holding one agreement in memory: the token headers,
 * collections with skippages/pagesize and the `filter` syntax, draft → booked invoices, journal vouchers with voucher
 * numbers, and validation errors in e-conomic's "annotated errors" form (E06000 "… does not exist.").
 */

type Json = Record<string, unknown>;

export interface FakeEconomic {
  url: string;
  http: FakeHttp;
  drafts: Map<number, Json>;
  booked: Map<number, Json>;
  vouchers: Json[];
  customers: Map<number, Json>;
  /** The agreement's accounting years (e-conomic: 6 to 18 months, named "YYYY" or "YYYY/YYYY"); tests edit them. */
  accountingYears: AccountingYearRecord[];
  /** Documents of a kind carrying our reference, drafts and booked alike. */
  count(kind: DocumentKind, reference: string): number;
  close(): Promise<void>;
}

export const ECONOMIC_TOKENS = { appSecretToken: 'app-secret-7f3a', agreementGrantToken: 'grant-91c2' };
export const economicProducts: Record<string, string> = { '1010': 'WEB-GOODS', '1020': 'WEB-GOODS-EU', '1030': 'WEB-EXPORT', '1110': 'WEB-SHIP', '1120': 'WEB-SHIP-EU', '1130': 'WEB-SHIP-EXP', '3690': 'ROUNDING', '6900': 'GIFTCARD' };

/** Documented filterable properties per collection (restdocs "Filterable properties"). */
const filterable = economicFilterable;

const unescape = (v: string) => v.replace(/\$([$()*,[\]])/g, '$1');
const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((n, k) => (n && typeof n === 'object' ? (n as Json)[k] : undefined), o);
const err = (errorCode: string, message: string, value?: unknown) => ({ errors: [{ errorCode, message, ...(value !== undefined ? { value } : {}), developerHint: 'Find a list of resources at the collection endpoint.' }] });

export function economicErrorBody(status: number, message: string) {
  return { message, errorCode: `E${status}00`, developerHint: 'See https://restdocs.e-conomic.com', logId: randomUUID(), httpStatusCode: status, logTime: new Date().toISOString() };
}

export interface AccountingYearRecord {
  year: string;
  fromDate: string;
  toDate: string;
  closed: boolean;
}

/** Calendar years 2020–2030, all open: what a fresh agreement that has run a few years looks like. */
export const calendarYears = (): AccountingYearRecord[] =>
  Array.from({ length: 11 }, (_, i) => 2020 + i).map((y) => ({ year: String(y), fromDate: `${y}-01-01`, toDate: `${y}-12-31`, closed: false }));

/** Switches for fault runs: a per-request fault source and a latency per request; none by default. */
export type FakeEconomicOptions = Pick<FakeHttpOptions, 'faults' | 'latencyMs'>;

export async function startFakeEconomic(options: FakeEconomicOptions = {}): Promise<FakeEconomic> {
  const accounts = new Map(defaultChart.map((a) => [Number(a.number), { accountNumber: Number(a.number), name: a.name, accountType: a.type === 'balance' ? 'status' : 'profitAndLoss' }]));
  const vatAccounts = new Map([['S25', { vatCode: 'S25', name: 'Salgsmoms 25%', ratePercentage: 25 }], ['EU0', { vatCode: 'EU0', name: 'EU-salg', ratePercentage: 0 }], ['EXP0', { vatCode: 'EXP0', name: 'Eksport', ratePercentage: 0 }]]);
  const products = new Map(Object.values(economicProducts).map((p) => [p, { productNumber: p, name: p, vatRate: p.includes('EXP') || p === 'GIFTCARD' || p === 'ROUNDING' ? 0 : 25 }]));
  const paymentTerms = new Map([[1, { paymentTermsNumber: 1, name: 'Netto 8 dage', daysOfCredit: 8 }]]);
  const layouts = new Set([19]);
  const vatZones = new Set([1, 2, 3, 4]);
  const customerGroups = new Set([1]);
  const customers = new Map<number, Json>([[1, { customerNumber: 1, name: 'Webshop customers', currency: 'DKK' }]]);
  const drafts = new Map<number, Json>();
  const booked = new Map<number, Json>();
  const vouchers: Json[] = [];
  const accountingYears = calendarYears();
  const yearOf = (date: unknown) => accountingYears.find((y) => typeof date === 'string' && y.fromDate <= date && date <= y.toDate);
  let nextDraft = 1;
  let nextBooked = 20_001;
  let nextCustomer = 100;
  let nextVoucher = 5_001;

  const page = (items: Json[], req: FakeRequest, self: string): FakeResponse => {
    const filter = req.query.get('filter');
    let list = items;
    if (filter) {
      const m = /^([A-Za-z.]+)\$eq:(.*)$/s.exec(filter);
      if (!m || !(filterable[self] ?? []).includes(m[1]!)) {
        return { status: 400, body: { ...economicErrorBody(400, 'Could not parse query string filter.'), allowedFilteringFields: filterable[self] ?? [] } };
      }
      const value = unescape(m[2]!).toLowerCase();
      list = items.filter((i) => String(get(i, m[1]!) ?? '').toLowerCase() === value);
    }
    const size = Math.min(Number(req.query.get('pagesize') ?? 20), 1000);
    const skip = Number(req.query.get('skippages') ?? 0);
    return { status: 200, body: { collection: list.slice(skip * size, skip * size + size), pagination: { skipPages: skip, pageSize: size, results: list.length }, self } };
  };

  const invalid = (errors: Json): FakeResponse => ({
    status: 400,
    body: { message: 'Validation error.', developerHint: 'Inspect validation errors and correct your request.', logId: randomUUID(), httpStatusCode: 400, errors, logTime: new Date().toISOString() },
  });

  function createDraft(body: Json): FakeResponse {
    const errors: Json = {};
    const customerNumber = get(body, 'customer.customerNumber');
    if (!customers.has(Number(customerNumber))) errors.customer = err('E06000', 'customer does not exist.', customerNumber);
    const terms = get(body, 'paymentTerms.paymentTermsNumber');
    if (!paymentTerms.has(Number(terms))) errors.paymentTerms = err('E06000', 'paymentTerms does not exist.', terms);
    if (!layouts.has(Number(get(body, 'layout.layoutNumber')))) errors.layout = err('E06000', 'layout does not exist.', get(body, 'layout.layoutNumber'));
    if (!get(body, 'recipient.name')) errors.recipient = { name: err('E04730', 'Property recipient.name is required.') };
    else if (!vatZones.has(Number(get(body, 'recipient.vatZone.vatZoneNumber')))) errors.recipient = { vatZone: err('E06000', 'vatZone does not exist.', get(body, 'recipient.vatZone.vatZoneNumber')) };
    if (typeof body.date !== 'string') errors.date = err('E04730', 'Property date is required.');
    const lines = Array.isArray(body.lines) ? (body.lines as Json[]) : [];
    const lineErrors = lines.flatMap((l, i): Json[] => {
      const p = get(l, 'product.productNumber');
      if (!products.has(String(p))) return [{ arrayIndex: i, product: err('E06000', 'product does not exist.', p) }];
      // Judged on the JSON decimal as sent (0.29 × 100 is 28.999… in floating point, yet "0.29" has two decimals).
      if (typeof l.unitNetPrice === 'number' && !/^-?\d+(\.\d{1,2})?$/.test(String(l.unitNetPrice))) {
        return [{ arrayIndex: i, unitNetPrice: err('E04740', 'unitNetPrice scale cannot be greater then two decimal places.', l.unitNetPrice) }];
      }
      return [];
    });
    if (lineErrors.length) errors.lines = lineErrors;
    if (Object.keys(errors).length) return invalid(errors);
    // e-conomic's VAT: the product group's sales account for the recipient's VAT zone carries it. Like e-conomic's
    // standard setup, a product's VAT applies in zone 1 (Domestic); EU (2), Abroad (3) and Domestic exempt (4) use
    // VAT-free sales accounts.
    const zone = Number(get(body, 'recipient.vatZone.vatZoneNumber'));
    let net = 0;
    let vat = 0;
    for (const l of lines) {
      const amount = Math.round(Number(l.quantity) * Number(l.unitNetPrice) * 100);
      net += amount;
      // Per line, halves away from zero (a credit note's negative lines round like an invoice's positive ones).
      const lineVat = zone === 1 ? (amount * (products.get(String(get(l, 'product.productNumber')))?.vatRate ?? 0)) / 100 : 0;
      vat += Math.sign(lineVat) * Math.round(Math.abs(lineVat));
    }
    const n = nextDraft++;
    const draft = { ...body, draftInvoiceNumber: n, netAmount: net / 100, vatAmount: vat / 100, grossAmount: (net + vat) / 100, self: `/invoices/drafts/${n}` };
    drafts.set(n, draft);
    return { status: 201, body: draft, headers: { location: `/invoices/drafts/${n}` } };
  }

  function book(body: Json): FakeResponse {
    const n = Number(get(body, 'draftInvoice.draftInvoiceNumber'));
    const draft = drafts.get(n);
    if (!draft) return { status: 404, body: economicErrorBody(404, `Draft invoice ${n} not found.`) };
    const year = yearOf(draft.date);
    if (!year || year.closed) return invalid({ date: err('E04300', year ? `Accounting year ${year.year} is closed.` : 'No accounting year exists for the date.', draft.date) });
    drafts.delete(n);
    const number = typeof body.bookWithNumber === 'number' ? body.bookWithNumber : nextBooked++;
    const { draftInvoiceNumber: _d, self: _s, ...rest } = draft;
    const inv = { ...rest, bookedInvoiceNumber: number, remainder: draft.grossAmount, self: `/invoices/booked/${number}` };
    booked.set(number, inv);
    return { status: 201, body: inv, headers: { location: `/invoices/booked/${number}` } };
  }

  function createVoucher(journalNumber: number, v: Json): { errors?: Json; voucher?: Json } {
    const errors: Json = {};
    const year = accountingYears.find((y) => y.year === get(v, 'accountingYear.year'));
    if (!get(v, 'accountingYear.year')) errors.accountingYear = err('E04730', 'Property accountingYear is required.');
    else if (!year) errors.accountingYear = err('E06000', 'accountingYear does not exist.', get(v, 'accountingYear.year'));
    else if (year.closed) errors.accountingYear = err('E04300', `Accounting year ${year.year} is closed.`, year.year);
    const entries = (v.entries ?? {}) as Record<string, Json[]>;
    const entryErrors: Json = {};
    for (const [type, list] of Object.entries(entries)) {
      const bad = list.flatMap((e, i) => {
        const problems: Json = {};
        for (const key of ['account', 'contraAccount']) {
          const acc = get(e, `${key}.accountNumber`);
          if (acc !== undefined && !accounts.has(Number(acc))) problems[key] = err('E06000', `${key} does not exist.`, acc);
        }
        const code = get(e, 'vatAccount.vatCode');
        if (code !== undefined && !vatAccounts.has(String(code))) problems.vatAccount = err('E06000', 'vatAccount does not exist.', code);
        if (year && (typeof e.date !== 'string' || e.date < year.fromDate || e.date > year.toDate)) problems.date = err('E04300', `The date is outside accounting year ${year.year}.`, e.date);
        const customer = get(e, 'customer.customerNumber');
        if (customer !== undefined && !customers.has(Number(customer))) problems.customer = err('E06000', 'customer does not exist.', customer);
        return Object.keys(problems).length ? [{ arrayIndex: i, ...problems }] : [];
      });
      if (bad.length) entryErrors[type] = bad;
    }
    if (Object.keys(entryErrors).length) errors.entries = entryErrors;
    if (Object.keys(errors).length) return { errors };
    const voucherNumber = nextVoucher++;
    const stored = { accountingYear: v.accountingYear, journal: { journalNumber }, entries, voucherNumber, self: `/journals/${journalNumber}/vouchers/${get(v, 'accountingYear.year')}-${voucherNumber}` };
    vouchers.push(stored);
    return { voucher: stored };
  }

  /**
   * The documented Idempotency-Key: a create repeated with a key already seen is answered with the first answer
   * and creates nothing. (How long e-conomic keeps a key, and what it answers to a reused key with another body, is
   * not documented: here keys are kept for the fake's life and the first answer wins.)
   */
  const idempotent = new Map<string, FakeResponse>();
  function handle(req: FakeRequest): FakeResponse {
    const key = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
    if (typeof key === 'string') {
      const seen = idempotent.get(`${req.path}\n${key}`);
      if (seen) return seen;
      const answer = serve(req);
      if (answer.status < 300) idempotent.set(`${req.path}\n${key}`, answer);
      return answer;
    }
    return serve(req);
  }

  function serve(req: FakeRequest): FakeResponse {
    const body = (req.body ?? {}) as Json;
    const { method, path } = req;
    if (method === 'GET' && path === '/accounts') return page([...accounts.values()], req, path);
    if (method === 'GET' && path === '/vat-accounts') return page([...vatAccounts.values()], req, path);
    if (method === 'GET' && path === '/payment-terms') return page([...paymentTerms.values()], req, path);
    if (method === 'GET' && path === '/accounting-years') return page(accountingYears.map((y) => ({ ...y, self: `/accounting-years/${encodeURIComponent(y.year)}` })), req, path);
    if (method === 'GET' && path === '/customers') return page([...customers.values()], req, path);
    if (method === 'POST' && path === '/customers') {
      const errors: Json = {};
      if (!body.name) errors.name = err('E04730', 'Property name is required.');
      if (!customerGroups.has(Number(get(body, 'customerGroup.customerGroupNumber')))) errors.customerGroup = err('E06000', 'customerGroup does not exist.', get(body, 'customerGroup.customerGroupNumber'));
      if (!paymentTerms.has(Number(get(body, 'paymentTerms.paymentTermsNumber')))) errors.paymentTerms = err('E06000', 'paymentTerms does not exist.', get(body, 'paymentTerms.paymentTermsNumber'));
      if (!vatZones.has(Number(get(body, 'vatZone.vatZoneNumber')))) errors.vatZone = err('E06000', 'vatZone does not exist.', get(body, 'vatZone.vatZoneNumber'));
      if (Object.keys(errors).length) return invalid(errors);
      const n = typeof body.customerNumber === 'number' ? body.customerNumber : nextCustomer++;
      const c = { ...body, customerNumber: n, self: `/customers/${n}` };
      customers.set(n, c);
      return { status: 201, body: c };
    }
    if (method === 'GET' && path === '/invoices/drafts') return page([...drafts.values()], req, path);
    if (method === 'POST' && path === '/invoices/drafts') return createDraft(body);
    if (method === 'GET' && path === '/invoices/booked') return page([...booked.values()], req, path);
    if (method === 'POST' && path === '/invoices/booked') return book(body);
    let p = route('/invoices/drafts/:n', path);
    if (method === 'DELETE' && p) return drafts.delete(Number(p.n)) ? { status: 204 } : { status: 404, body: economicErrorBody(404, 'Draft invoice not found.') };
    if (method === 'GET' && p) return drafts.has(Number(p.n)) ? { status: 200, body: drafts.get(Number(p.n)) } : { status: 404, body: economicErrorBody(404, 'Draft invoice not found.') };
    p = route('/invoices/booked/:n', path);
    if (method === 'GET' && p) return booked.has(Number(p.n)) ? { status: 200, body: booked.get(Number(p.n)) } : { status: 404, body: economicErrorBody(404, 'Booked invoice not found.') };
    p = route('/journals/:j/vouchers', path);
    if (p && Number(p.j) !== 1) return { status: 404, body: economicErrorBody(404, `Journal ${p.j} not found.`) };
    if (method === 'GET' && p) return page(vouchers, req, path);
    if (method === 'POST' && p) {
      const many = Array.isArray(req.body);
      const results = (many ? (req.body as Json[]) : [body]).map((v) => createVoucher(Number(p!.j), v));
      const failed = results.filter((r) => r.errors);
      if (failed.length) return invalid(many ? (results.map((r, i) => ({ arrayIndex: i, ...(r.errors ?? {}) })) as unknown as Json) : failed[0]!.errors!);
      return { status: 201, body: results.map((r) => r.voucher) };
    }
    return { status: 404, body: economicErrorBody(404, `No route for ${method} ${path}`) };
  }

  const http = await startFakeHttp({
    ...options,
    handle,
    errorBody: economicErrorBody,
    validate: economicValidator(),
    authorize: (r) => r.headers['x-appsecrettoken'] === ECONOMIC_TOKENS.appSecretToken && r.headers['x-agreementgranttoken'] === ECONOMIC_TOKENS.agreementGrantToken,
  });

  return {
    url: http.url,
    http,
    drafts,
    booked,
    vouchers,
    customers,
    accountingYears,
    count(kind, reference) {
      if (kind === 'invoice' || kind === 'credit_note') {
        const tag = referenceTag(kind, reference);
        return [...drafts.values(), ...booked.values()].filter((d) => get(d, 'references.other') === tag).length;
      }
      return vouchers.filter((v) => Object.values((v.entries ?? {}) as Record<string, Json[]>).some((l) => l.some((e) => hasTag(e.text as string, kind, reference)))).length;
    },
    close: () => http.close(),
  };
}
