import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EconomicLedger, type EconomicOptions } from '../../../src/adapters/ledgers/economic';
import { BookingError } from '../../../src/domain/errors';
import { formatMoney } from '../../../src/domain/money';
import { orderSchema } from '../../../src/domain/order';
import { planOrder } from '../../../src/domain/plan-order';
import { cardOrder, danishMapping } from '../../support/fixtures';
import { ECONOMIC_TOKENS, economicProducts, startFakeEconomic, type FakeEconomic } from '../../support/fake-ledgers/economic';
import { designPayoutVoucher, ledgerContract, orderPlans, refundPlans } from './contract';

const options = (fake: FakeEconomic, over: Partial<EconomicOptions> = {}): EconomicOptions => ({
  ...ECONOMIC_TOKENS,
  baseUrl: fake.url,
  timeoutMs: 1_000,
  journalNumber: 1,
  layoutNumber: 19,
  paymentTermsNumber: 1,
  customerGroupNumber: 1,
  customerMode: 'per_customer',
  products: economicProducts,
  ...over,
});

ledgerContract('e-conomic', async () => {
  const fake = await startFakeEconomic();
  return { port: new EconomicLedger(options(fake)), fake: fake.http, count: fake.count, secrets: Object.values(ECONOMIC_TOKENS), close: fake.close };
}, { faults: true, journalState: 'in_journal' });

describe('e-conomic specifics', () => {
  let fake: FakeEconomic;
  beforeAll(async () => {
    fake = await startFakeEconomic();
  });
  afterAll(() => fake?.close());

  it('sends the documented headers, finds drafts and booked invoices by references.other', async () => {
    const port = new EconomicLedger(options(fake));
    const { invoice } = orderPlans();
    const draft = await port.createInvoice(invoice, 'draft');
    const post = fake.http.requests.find((r) => r.method === 'POST' && r.path === '/invoices/drafts')!;
    expect(post.headers['x-appsecrettoken']).toBe(ECONOMIC_TOKENS.appSecretToken);
    expect(post.body).toMatchObject({ references: { other: `lb:inv:${invoice.reference}` }, layout: { layoutNumber: 19 }, paymentTerms: { paymentTermsNumber: 1 } });
    expect((post.body as { lines: unknown[] }).lines[0]).toMatchObject({ product: { productNumber: 'WEB-GOODS' }, quantity: 1, unitNetPrice: 80 });
    const lookups = fake.http.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/invoices/')).map((r) => r.query.get('filter'));
    expect(lookups).toContain(`references.other$eq:lb:inv:${invoice.reference}`);
    const booked = await port.bookDraft(draft);
    expect(fake.booked.get(Number(booked.documentId))).toMatchObject({ references: { other: `lb:inv:${invoice.reference}` }, grossAmount: 100 });
  });

  it('a first attempt writes without searching: draft, booking, the invoice for its customer, payment entry', async () => {
    const port = new EconomicLedger(options(fake));
    const { invoice, payment } = orderPlans(12_500);
    const before = fake.http.requests.length;
    const inv = await port.createInvoice(invoice, 'booked', { firstAttempt: true });
    await port.registerPayment(payment!, inv, { firstAttempt: true });
    const calls = fake.http.requests.slice(before).map((r) => `${r.method} ${r.path.replace(/\/\d+(?=\/|$)/g, '/:n')}`);
    // The accounting years are read (once per adapter) and the customer is found (or created) by e-mail; no invoice
    // or voucher is searched for.
    expect(calls.slice(0, 2)).toEqual(['GET /accounting-years', 'GET /customers']);
    expect(calls.filter((c) => !c.endsWith('/customers') && c !== 'GET /accounting-years')).toEqual(['POST /invoices/drafts', 'POST /invoices/booked', 'GET /invoices/booked/:n', 'POST /journals/:n/vouchers']);
  });

  it('books a credit note as an invoice with negative lines', async () => {
    const port = new EconomicLedger(options(fake));
    const { order, invoice } = orderPlans(20_000);
    await port.createInvoice(invoice, 'booked');
    const { creditNote } = refundPlans(order, 5_000);
    const cn = await port.createInvoice(creditNote, 'booked');
    expect(fake.booked.get(Number(cn.documentId))).toMatchObject({ netAmount: -40, grossAmount: -50 });
  });

  it('enters payments as customerPayment entries on the journal, against the invoice and the acquirer receivable', async () => {
    const port = new EconomicLedger(options(fake));
    const { invoice, payment } = orderPlans(10_000);
    const inv = await port.createInvoice(invoice, 'booked');
    const paid = await port.registerPayment(payment!, inv);
    expect(paid.documentId).toMatch(/^2026-\d+$/);
    const v = fake.vouchers.at(-1)!;
    expect((v.entries as Record<string, unknown[]>).customerPayments![0]).toMatchObject({
      customerInvoice: Number(inv.voucherNumber),
      amount: -100,
      contraAccount: { accountNumber: 5815 },
      currency: { code: 'DKK' },
    });
  });

  it('finds or creates the customer by e-mail, or uses the collective customer', async () => {
    const before = fake.customers.size;
    const perCustomer = new EconomicLedger(options(fake));
    await perCustomer.createInvoice(orderPlans().invoice, 'draft');
    await perCustomer.createInvoice(orderPlans().invoice, 'draft');
    expect(fake.customers.size).toBeLessThanOrEqual(before + 1);
    const collective = new EconomicLedger(options(fake, { customerMode: 'collective', collectiveCustomer: '1' }));
    const d = await collective.createInvoice(orderPlans().invoice, 'draft');
    expect(fake.drafts.get(Number(d.documentId))).toMatchObject({ customer: { customerNumber: 1 }, recipient: { name: 'Jens Hansen' } });
  });

  it('maps annotated errors: an unknown product, a product not configured, payment terms gone', async () => {
    const unknownProduct = new EconomicLedger(options(fake, { products: { ...economicProducts, '1010': 'NO-SUCH' } }));
    const e1 = (await unknownProduct.createInvoice(orderPlans().invoice, 'draft').catch((e) => e)) as BookingError;
    expect(e1).toMatchObject({ code: 'missing_product', details: { value: 'NO-SUCH' } });
    const notConfigured = new EconomicLedger(options(fake, { products: {} }));
    expect(await notConfigured.createInvoice(orderPlans().invoice, 'draft').catch((e) => e)).toMatchObject({ code: 'missing_product', details: { value: '1010' } });
    const terms = new EconomicLedger(options(fake, { paymentTermsNumber: 7 }));
    expect(await terms.createInvoice(orderPlans().invoice, 'draft').catch((e) => e)).toMatchObject({ code: 'payment_terms_changed', details: { value: '7' } });
    expect(await terms.checkSetup({ accounts: [], vatCodes: [] })).toMatchObject({ missingPaymentTerms: ['7'] });
  });

  it('a fair-use answer is a quota, not a retry', async () => {
    fake.http.inject({ status: 429, message: 'You have exceeded the fair use limit of 50000 calls per 24 hours.', retryAfter: '3600' });
    const e = await new EconomicLedger(options(fake)).findDocument('invoice', 'q1').catch((x) => x);
    expect(e).toBeInstanceOf(BookingError);
    expect(e).toMatchObject({ code: 'quota_exhausted', details: { retryAfterMs: 3_600_000 } });
  });

  it('cannot create accounts through the API and says which are missing', async () => {
    const port = new EconomicLedger(options(fake));
    await expect(port.createAccounts([{ number: '5815', name: 'Receivable Nets', type: 'balance' }])).resolves.toBeUndefined();
    expect(await port.createAccounts([{ number: '5899', name: 'Receivable Klarna', type: 'balance' }]).catch((e) => e)).toMatchObject({ code: 'missing_account', details: { value: '5899' } });
  });

  it('rejects wrong tokens as ledger_credentials_rejected', async () => {
    const port = new EconomicLedger(options(fake, { agreementGrantToken: 'revoked' }));
    expect(await port.findDocument('invoice', 'x').catch((e) => e)).toMatchObject({ code: 'ledger_credentials_rejected' });
  });
});

describe('e-conomic accounting years: the year that contains the date, open', () => {
  let fake: FakeEconomic;
  beforeAll(async () => {
    fake = await startFakeEconomic();
    // An agreement whose years run July to June, the oldest closed.
    fake.accountingYears.splice(
      0,
      fake.accountingYears.length,
      { year: '2024/2025', fromDate: '2024-07-01', toDate: '2025-06-30', closed: true },
      { year: '2025/2026', fromDate: '2025-07-01', toDate: '2026-06-30', closed: false },
      { year: '2026/2027', fromDate: '2026-07-01', toDate: '2027-06-30', closed: false },
    );
  });
  afterAll(() => fake?.close());

  it('enters payments and payouts in the non-calendar year that contains their date', async () => {
    const port = new EconomicLedger(options(fake));
    const payout = await port.postVoucher('payout', 'po-year-1', { ...designPayoutVoucher(), date: '2026-03-15' });
    expect(payout.documentId).toBe(`2025/2026-${payout.voucherNumber}`);
    expect(fake.vouchers.at(-1)).toMatchObject({ accountingYear: { year: '2025/2026' } });
    const { invoice, payment } = orderPlans(); // dated 2026-11-02
    const paid = await port.registerPayment(payment!, await port.createInvoice(invoice, 'booked'));
    expect(paid.documentId).toMatch(/^2026\/2027-\d+$/);
    expect(fake.http.refused).toEqual([]);
  });

  it('a date in a closed year stops with accounting_year_closed, naming the date and the year, before anything is written', async () => {
    const port = new EconomicLedger(options(fake));
    const vouchers = fake.vouchers.length;
    const drafts = fake.drafts.size;
    const closed = await port.postVoucher('payout', 'po-year-2', { ...designPayoutVoucher(), date: '2025-05-31' }).catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(BookingError);
    expect(closed).toMatchObject({ code: 'accounting_year_closed', details: { date: '2025-05-31', accountingYear: '2024/2025' } });
    const { invoice } = orderPlans();
    const closedInvoice = await port.createInvoice({ ...invoice, date: '2025-01-10' }, 'booked').catch((e: unknown) => e);
    expect(closedInvoice).toMatchObject({ code: 'accounting_year_closed', details: { date: '2025-01-10' } });
    expect(fake.vouchers.length).toBe(vouchers);
    expect(fake.drafts.size).toBe(drafts);
  });

  it('a date no accounting year covers stops with accounting_year_missing, listing the years there are', async () => {
    const port = new EconomicLedger(options(fake));
    const e = await port.postVoucher('payout', 'po-year-3', { ...designPayoutVoucher(), date: '2027-08-01' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'accounting_year_missing', details: { date: '2027-08-01' } });
    expect(String((e as BookingError).details.accountingYears)).toContain('2026/2027 (2026-07-01..2027-06-30)');
  });
});

describe('e-conomic VAT: zones by region, products by treatment, totals checked, creates idempotent', () => {
  let fake: FakeEconomic;
  beforeAll(async () => {
    fake = await startFakeEconomic();
  });
  afterAll(() => fake?.close());

  const dkk = (minor: number) => formatMoney(minor, 'DKK');
  /** A 100 DKK order delivered to `deliveryCountry`; exports carry no VAT. */
  const orderTo = (deliveryCountry: string) => {
    const input = cardOrder(`vat-${deliveryCountry}-${Math.random().toString(36).slice(2)}`, 10_000, { deliveryCountry });
    if (deliveryCountry === 'US') input.lines = input.lines.map((l) => ({ ...l, vatRate: 0 }));
    return planOrder(orderSchema.parse(input), danishMapping);
  };

  it('sends the VAT zone of the order: domestic 1, VAT-free export abroad 3, an EU sale with Danish VAT domestic', async () => {
    const port = new EconomicLedger(options(fake));
    const exported = await port.createInvoice(orderTo('US').invoice, 'draft');
    expect(fake.drafts.get(Number(exported.documentId))).toMatchObject({ recipient: { vatZone: { vatZoneNumber: 3 } }, vatAmount: 0, grossAmount: 100 });
    const domestic = await port.createInvoice(orderTo('DK').invoice, 'draft');
    expect(fake.drafts.get(Number(domestic.documentId))).toMatchObject({ recipient: { vatZone: { vatZoneNumber: 1 } }, vatAmount: 20 });
    // Distance sales to EU consumers with Danish VAT: an invoice that charges VAT is domestic in e-conomic's terms
    // (its EU zone is reverse charge, VAT-free), whatever the delivery country.
    const eu = await port.createInvoice(orderTo('DE').invoice, 'booked');
    expect(fake.booked.get(Number(eu.documentId))).toMatchObject({ recipient: { vatZone: { vatZoneNumber: 1 } }, netAmount: 80, vatAmount: 20, grossAmount: 100 });
  });

  it('stops with ledger_totals_mismatch when e-conomic computes other VAT than the order carries, and books nothing', async () => {
    // The connection names e-conomic's EU zone (VAT-free) as its domestic one: 80 + 0, not the 80 + 20 charged.
    const port = new EconomicLedger(options(fake, { vatZones: { domestic: 2 } }));
    const { invoice } = orderTo('DK');
    const drafts = fake.drafts.size;
    const booked = fake.booked.size;
    const e = await port.createInvoice(invoice, 'booked').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BookingError);
    expect(e).toMatchObject({
      code: 'ledger_totals_mismatch',
      details: { ours: { net: dkk(8_000), vat: dkk(2_000), gross: dkk(10_000) }, ledger: { net: dkk(8_000), vat: dkk(0), gross: dkk(8_000) } },
    });
    // The draft e-conomic made is deleted, so a restart after the fix cannot book it.
    expect(fake.drafts.size).toBe(drafts);
    expect(fake.booked.size).toBe(booked);
    expect(await port.findDocument('invoice', invoice.reference)).toBeNull();
  });

  it('books a product per treatment (account:vatCode) before the account-wide one', async () => {
    const port = new EconomicLedger(options(fake, { products: { ...economicProducts, '1010:S25': 'WEB-GOODS-EU' } }));
    const doc = await port.createInvoice(orderTo('DK').invoice, 'draft');
    expect((fake.drafts.get(Number(doc.documentId))!.lines as { product: unknown }[])[0]).toMatchObject({ product: { productNumber: 'WEB-GOODS-EU' } });
  });

  it('sends the documented Idempotency-Key on creates: a create repeated after a lost answer makes no second draft', async () => {
    const port = new EconomicLedger(options(fake));
    await port.createInvoice(orderTo('DK').invoice, 'draft'); // the customer exists now
    const { invoice } = orderTo('DK');
    fake.http.inject({ loseResponse: true }, { method: 'POST', path: /^\/invoices\/drafts$/ });
    await expect(port.createInvoice(invoice, 'draft', { firstAttempt: true })).rejects.toThrow(/answer|connection/);
    // Even a retry that does not look first (a lost answer it never saw) gets the first draft back.
    const again = await port.createInvoice(invoice, 'draft', { firstAttempt: true });
    expect(fake.count('invoice', invoice.reference)).toBe(1);
    expect(again.documentId).toBe(String([...fake.drafts.values()].find((d) => (d.references as { other: string }).other === `lb:inv:${invoice.reference}`)!.draftInvoiceNumber));
    const posts = fake.http.requests.filter((r) => r.method === 'POST');
    expect(posts.every((r) => typeof r.headers['idempotency-key'] === 'string')).toBe(true);
  });
});
