import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FikenLedger, RequestLimiter, type FikenOptions } from '../../../src/adapters/ledgers/fiken';
import { BookingError } from '../../../src/domain/errors';
import { orderSchema } from '../../../src/domain/order';
import { planOrder } from '../../../src/domain/plan-order';
import { FIKEN_SLUG, FIKEN_TOKEN, FIKEN_WEB_CONTACT, fikenVatTypes, startFakeFiken, type FakeFiken } from '../../support/fake-ledgers/fiken';
import { cardOrder, norwegianMapping, norwegianMarket } from '../../support/fixtures';
import { designPayoutVoucher as payoutIn, ledgerContract, orderPlans as orderPlansIn, refundPlans as refundPlansIn } from './contract';

// A Fiken company keeps the Norwegian standard chart: its test orders are Norwegian, in NOK.
const orderPlans = (total?: number) => orderPlansIn(total, norwegianMarket);
const refundPlans = (order: Parameters<typeof refundPlansIn>[0], amount: number) => refundPlansIn(order, amount, norwegianMarket);
const designPayoutVoucher = () => payoutIn(norwegianMarket);

const options = (fake: FakeFiken, over: Partial<FikenOptions> = {}): FikenOptions => ({
  token: FIKEN_TOKEN,
  companySlug: FIKEN_SLUG,
  baseUrl: fake.url,
  timeoutMs: 1_000,
  customerMode: 'per_customer',
  vatTypes: { ...fikenVatTypes },
  // A short interval keeps the suite fast; the default (250 ms, ≤ 4 requests/s) has its own test below.
  limiter: new RequestLimiter(5),
  ...over,
});

ledgerContract('Fiken', async () => {
  const fake = await startFakeFiken();
  return { port: new FikenLedger(options(fake)), fake: fake.http, count: fake.count, secrets: [FIKEN_TOKEN], close: fake.close };
}, { faults: true, market: norwegianMarket });

describe('Fiken specifics', () => {
  let fake: FakeFiken;
  beforeAll(async () => {
    fake = await startFakeFiken();
  });
  afterAll(() => fake?.close());

  it('never sends two requests at once, even from concurrent calls and separate adapter instances', async () => {
    const opts = options(fake, { limiter: undefined, minIntervalMs: 5 });
    const a = new FikenLedger(opts);
    const b = new FikenLedger(opts);
    const before = fake.http.requests.length;
    await Promise.all([...Array(4)].flatMap((_, i) => [a.findDocument('invoice', `c${i}`), b.findDocument('payout', `c${i}`)]));
    expect(fake.http.requests.length - before).toBeGreaterThanOrEqual(8);
    expect(fake.http.concurrencyViolations).toBe(0);
    expect(fake.http.maxConcurrent).toBe(1);
  });

  it('keeps to at most 4 requests per second by default', async () => {
    const port = new FikenLedger(options(fake, { limiter: undefined, token: FIKEN_TOKEN }));
    const first = fake.http.startedAt.length;
    await Promise.all([port.findDocument('invoice', 'r1'), port.findDocument('invoice', 'r2'), port.findDocument('invoice', 'r3')]);
    const starts = fake.http.startedAt.slice(first);
    expect(starts.length).toBeGreaterThanOrEqual(5);
    // The limiter spaces request starts 250 ms apart; the fake sees arrivals, which a busy machine can shift by a few
    // milliseconds each (CI saw a 238 ms gap). Each gap keeps a 50 ms allowance; the span shows the pace holds.
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(200);
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(250 * (starts.length - 1) - 50);
  }, 10_000);

  it('a client that breaks the rule gets 429 from Fiken, which is a retryable fault', async () => {
    const noLimit = new RequestLimiter(0);
    noLimit.run = (task) => task(); // a client without the queue
    const port = new FikenLedger(options(fake, { limiter: noLimit }));
    const results = await Promise.allSettled([...Array(6)].map((_, i) => port.findDocument('payout', `burst${i}`)));
    expect(fake.http.concurrencyViolations).toBeGreaterThan(0);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(f.reason).toMatchObject({ name: 'LedgerTransientError', retryAfterMs: 1_000 });
  });

  it('sends a bearer token and an X-Request-ID with every request', async () => {
    await new FikenLedger(options(fake)).findDocument('invoice', 'h1');
    const last = fake.http.requests.at(-1)!;
    expect(last.headers.authorization).toBe(`Bearer ${FIKEN_TOKEN}`);
    expect(last.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('creates invoice drafts with free-text lines in øre, then invoices found by orderReference; pays the sale', async () => {
    const port = new FikenLedger(options(fake));
    const { invoice, payment } = orderPlans(12_345);
    const inv = await port.createInvoice(invoice, 'booked');
    const stored = fake.invoices.get(Number(inv.documentId))!;
    expect(stored).toMatchObject({ orderReference: `lb:inv:${invoice.reference}`, gross: 12_345, invoiceNumber: Number(inv.voucherNumber) });
    expect((stored.lines as unknown[])[0]).toEqual({ description: 'Coffee mug', quantity: 1, unitPrice: 9_876, vatType: 'HIGH', incomeAccount: '3000' });
    const paid = await port.registerPayment(payment!, inv);
    const sale = stored.sale as { saleId: number; salePayments: unknown[] };
    expect(paid.documentId).toMatch(new RegExp(`^${sale.saleId}/\\d+$`));
    expect(sale.salePayments).toEqual([expect.objectContaining({ date: '2026-11-02', account: '1920:10002', amount: 12_345 })]);
  });

  it("credits with a credit note draft whose UUID comes from the reference; the refund, a journal entry on the customer's own receivable, settles it", async () => {
    const port = new FikenLedger(options(fake));
    const { order, invoice } = orderPlans(20_000);
    await port.createInvoice(invoice, 'booked');
    const { creditNote, refundPayment } = refundPlans(order, 5_000);
    const draft = await port.createInvoice(creditNote, 'draft');
    expect(await port.findDocument('credit_note', creditNote.reference)).toEqual(draft);
    const cn = await port.bookDraft(draft);
    expect(fake.creditNotes.get(Number(cn.documentId))).toMatchObject({ gross: 5_000, orderReference: `lb:cn:${creditNote.reference}` });
    const customerAccount = String((fake.creditNotes.get(Number(cn.documentId))!.customer as { customerAccountCode: string }).customerAccountCode);
    expect(customerAccount).toMatch(/^1500:\d{5}$/);
    const refund = await port.registerPayment(refundPayment, cn);
    expect(fake.journalEntries.get(Number(refund.documentId))).toMatchObject({
      lines: [
        { amount: 5_000, debitAccount: customerAccount },
        { amount: 5_000, creditAccount: '1920:10002' },
      ],
    });
    // No credit note stays open: the money went back to the customer it was owed to.
    expect(fake.creditNotes.get(Number(cn.documentId))).toMatchObject({ settled: true });
  });

  it('posts payouts as general journal entries with one side per line', async () => {
    const port = new FikenLedger(options(fake));
    const doc = await port.postVoucher('payout', 'conn/po_7', designPayoutVoucher());
    const e = fake.journalEntries.get(Number(doc.documentId))!;
    expect(e.description).toMatch(/^\[lb:po:conn\/po_7\] /);
    expect(e.lines).toEqual([
      { amount: 10_000, creditAccount: '1920:10002' },
      { amount: 20_000, creditAccount: '1920:10002' },
      { amount: 20_000, creditAccount: '1920:10002' },
      { amount: 45_000, debitAccount: '1920:10001' },
      { amount: 5_000, debitAccount: '7770' },
    ]);
  });

  it('uses the collective contact, or finds the customer by e-mail', async () => {
    const collective = new FikenLedger(options(fake, { customerMode: 'collective', collectiveCustomer: String(FIKEN_WEB_CONTACT) }));
    const d = await collective.createInvoice(orderPlans().invoice, 'draft');
    expect(fake.invoiceDrafts.get(Number(d.documentId))).toMatchObject({ customers: [expect.objectContaining({ contactId: FIKEN_WEB_CONTACT })] });
    const port = new FikenLedger(options(fake));
    await port.createInvoice(orderPlans().invoice, 'draft');
    await port.createInvoice(orderPlans().invoice, 'draft');
    expect([...fake.contacts.values()].filter((c) => c.email === 'jens@example.dk')).toHaveLength(1);
  });

  it('an unmapped VAT code is named before anything is written', async () => {
    const port = new FikenLedger(options(fake, { vatTypes: {} }));
    const before = fake.invoiceDrafts.size;
    expect(await port.createInvoice(orderPlans().invoice, 'draft').catch((e) => e)).toMatchObject({ code: 'missing_vat_code', details: { value: 'S25' } });
    expect(fake.invoiceDrafts.size).toBe(before);
  });
});

describe('Fiken as its OpenAPI document says: the chart read by pages, payments on bank accounts, foreign currency in NOK', () => {
  let fake: FakeFiken;
  beforeAll(async () => {
    fake = await startFakeFiken();
  });
  afterAll(() => fake?.close());

  it('reads the whole chart of accounts page by page (pageSize ≤ 100), not only the first page', async () => {
    // A real company's chart has hundreds of accounts; the one the mapping needs is on the third page.
    for (let i = 0; i < 220; i++) fake.accounts.set(String(4000 + i), `Varekostnad ${i}`);
    fake.accounts.set('8990', 'Udisponert resultat');
    const port = new FikenLedger(options(fake));
    expect(await port.checkSetup({ accounts: ['3000', '8990', '9999'], vatCodes: [] })).toMatchObject({ missingAccounts: ['9999'] });
    const reads = fake.http.requests.filter((r) => r.path.endsWith('/accounts'));
    expect(reads.map((r) => [r.query.get('page'), r.query.get('pageSize')])).toEqual([['0', '100'], ['1', '100'], ['2', '100']]);
    expect(fake.http.refused).toEqual([]);
  });

  it('registers a payment only on a bank account: another receivable stops as payment_account_not_bank before writing', async () => {
    const mapping = { ...norwegianMapping, paymentMethods: { dankort: { acquirer: 'nets', receivableAccount: '1570' } } };
    const { invoice, payment } = planOrder(orderSchema.parse(cardOrder(`nb-${Date.now()}`, 10_000, { currency: 'NOK', deliveryCountry: 'NO' })), mapping);
    const port = new FikenLedger(options(fake));
    const inv = await port.createInvoice(invoice, 'booked');
    const e = await port.registerPayment(payment!, inv).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BookingError);
    expect(e).toMatchObject({ code: 'payment_account_not_bank', details: { account: '1570', bankAccounts: '1920:10001, 1920:10002' } });
    expect((fake.invoices.get(Number(inv.documentId))!.sale as { salePayments: unknown[] }).salePayments).toEqual([]);
  });

  it('a payment in a foreign currency sends amountInNok, at the invoice\'s own rate', async () => {
    const { invoice, payment } = planOrder(orderSchema.parse(cardOrder(`eur-${Date.now()}`, 10_000, { currency: 'EUR', deliveryCountry: 'NO' })), norwegianMapping);
    const port = new FikenLedger(options(fake));
    const inv = await port.createInvoice(invoice, 'booked');
    expect(fake.invoices.get(Number(inv.documentId))).toMatchObject({ currency: 'EUR', gross: 10_000, grossInNok: 115_000 });
    await port.registerPayment(payment!, inv);
    const sale = fake.invoices.get(Number(inv.documentId))!.sale as { salePayments: unknown[] };
    expect(sale.salePayments).toEqual([expect.objectContaining({ account: '1920:10002', amount: 10_000, currency: 'EUR', amountInNok: 115_000 })]);
    expect(fake.http.refused).toEqual([]);
  });
});
