import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniEconomyLedger, type UniEconomyOptions } from '../../../src/adapters/ledgers/uni-economy';
import { LedgerTransientError } from '../../../src/adapters/ledgers/port';
import { BookingError } from '../../../src/domain/errors';
import { mappingNeeds, type Mapping } from '../../../src/domain/mapping';
import { orderSchema } from '../../../src/domain/order';
import { planOrder } from '../../../src/domain/plan-order';
import { cardOrder } from '../../support/fixtures';
import { startFakeUniEconomy, UNI_CLIENT, UNI_COMPANY_KEY, uniMarket, uniVatCodes, type FakeUniEconomy } from '../../support/fake-ledgers/uni-economy';
import { ledgerContract, orderPlans, refundPlans } from './contract';

const options = (fake: FakeUniEconomy, over: Partial<UniEconomyOptions> = {}): UniEconomyOptions => ({
  ...UNI_CLIENT,
  companyKey: UNI_COMPANY_KEY,
  baseUrl: fake.url,
  authUrl: fake.authUrl,
  timeoutMs: 1_000,
  customerMode: 'per_customer',
  vatCodes: { ...uniVatCodes },
  ...over,
});

ledgerContract('Uni Economy', async () => {
  const fake = await startFakeUniEconomy();
  return { port: new UniEconomyLedger(options(fake)), fake: fake.http, count: fake.count, secrets: Object.values(UNI_CLIENT), close: fake.close };
}, { faults: true, market: uniMarket });

describe('Uni Economy specifics', () => {
  let fake: FakeUniEconomy;
  beforeAll(async () => {
    fake = await startFakeUniEconomy();
  });
  afterAll(() => fake?.close());

  const accountId = (n: number) => [...fake.accounts.values()].find((a) => a.AccountNumber === n)!.ID;

  it('invoices with our tag in InternalNote, lines on Uni account and VAT type ids; the payment is a journal entry naming the invoice it settles', async () => {
    const port = new UniEconomyLedger(options(fake));
    const tokensBefore = fake.tokensIssued;
    const { invoice, payment } = orderPlans(12_345, uniMarket);
    const inv = await port.createInvoice(invoice, 'booked');
    const stored = fake.invoices.get(Number(inv.documentId))!;
    expect(stored).toMatchObject({ InternalNote: `lb:inv:${invoice.reference}`, InvoiceType: 0, StatusCode: 42002, InvoiceNumber: inv.voucherNumber, TaxInclusiveAmount: 123.45 });
    expect((stored.Items as unknown[])[0]).toMatchObject({ AccountID: accountId(3000), VatTypeID: 11, NumberOfItems: 1, PriceExVat: 98.76 });
    const paid = await port.registerPayment(payment!, inv);
    const entry = fake.journalEntries.get(Number(paid.documentId))!;
    expect(entry.Description).toBe(`lb:pay:${payment!.reference}`);
    expect(entry.Lines).toEqual([
      expect.objectContaining({ AccountID: accountId(1580), Amount: 123.45, FinancialDate: '2026-11-02' }),
      expect.objectContaining({ AccountID: accountId(1500), Amount: -123.45, CustomerInvoiceID: stored.ID }),
    ]);
    expect(stored).toMatchObject({ RestAmount: 0, StatusCode: 42004 });
    // One token for every call; each call names the company; no secret travels in a request body.
    expect(fake.tokensIssued - tokensBefore).toBeLessThanOrEqual(1);
    for (const r of fake.http.requests) {
      expect(r.headers.companykey).toBe(UNI_COMPANY_KEY);
      for (const secret of Object.values(UNI_CLIENT)) expect(JSON.stringify(r.body ?? '')).not.toContain(secret);
    }
    expect(fake.http.refused).toEqual([]);
  });

  it('a credit note is InvoiceType 1 with negative items, pointing at the invoice it credits; its refund settles it', async () => {
    const port = new UniEconomyLedger(options(fake));
    const { order, invoice, payment } = orderPlans(20_000, uniMarket);
    const inv = await port.createInvoice(invoice, 'booked');
    await port.registerPayment(payment!, inv);
    const { creditNote, refundPayment } = refundPlans(order, 5_000, uniMarket);
    const cn = await port.createInvoice(creditNote, 'booked');
    const stored = fake.invoices.get(Number(cn.documentId))!;
    expect(stored).toMatchObject({ InvoiceType: 1, InvoiceReferenceID: Number(inv.documentId), TaxInclusiveAmount: -50 });
    expect((stored.Items as { NumberOfItems: number }[]).every((i) => i.NumberOfItems < 0)).toBe(true);
    await port.registerPayment(refundPayment, cn);
    expect(stored).toMatchObject({ RestAmount: 0, StatusCode: 42004 });
  });

  it('the setup check names the accounts the integration needs, and creates them on request', async () => {
    const port = new UniEconomyLedger(options(fake));
    // A company whose chart lacks the acquirer receivable, the fee, error and rounding accounts the mapping names.
    const mapping = { ...uniMarket.mapping, paymentMethods: { dankort: { acquirer: 'nets', receivableAccount: '1581' } }, accounts: { ...uniMarket.mapping.accounts, fee: '7771', error: '1571', rounding: '7791' } };
    const report = await port.checkSetup(mappingNeeds(mapping));
    expect({ ...report, missingAccounts: report.missingAccounts.sort() }).toEqual({ missingAccounts: ['1571', '1581', '7771', '7791'], missingVatCodes: [], missingPaymentTerms: [] });
    await port.createAccounts([
      { number: '1581', name: 'Tilgode Nets', type: 'balance' },
      { number: '7771', name: 'Kortgebyr Nets', type: 'expense' },
      { number: '1571', name: 'Feilkonto automatisk bokføring', type: 'balance' },
      { number: '7791', name: 'Øreavrunding', type: 'expense' },
    ]);
    expect((await new UniEconomyLedger(options(fake)).checkSetup(mappingNeeds(mapping))).missingAccounts).toEqual([]);
    expect([...fake.accounts.values()].filter((a) => a.AccountNumber === 1581)).toHaveLength(1);
    expect(fake.http.refused).toEqual([]);
  });

  it('a customer whose creation answer was lost is found by e-mail on the retry, not created again', async () => {
    const port = new UniEconomyLedger(options(fake));
    const { invoice } = orderPlans(10_000, uniMarket);
    const email = `${invoice.reference}@example.com`;
    const plan = { ...invoice, customer: { ...invoice.customer, email } };
    fake.http.inject({ loseResponse: true }, { method: 'POST', path: /\/customers$/ });
    expect(await port.createInvoice(plan, 'booked').catch((e: unknown) => e)).toBeInstanceOf(LedgerTransientError);
    const doc = await port.createInvoice(plan, 'booked');
    const withEmail = [...fake.customers.values()].filter((c) => (c.Info as { DefaultEmail?: { EmailAddress?: string } }).DefaultEmail?.EmailAddress === email);
    expect(withEmail).toHaveLength(1);
    expect(fake.invoices.get(Number(doc.documentId))!.CustomerID).toBe(withEmail[0]!.ID);
    expect(fake.count('invoice', invoice.reference)).toBe(1);
  });

  it('a refused client is ledger_credentials_rejected, and the secret is not in the error', async () => {
    const port = new UniEconomyLedger(options(fake, { clientSecret: 'not-the-secret-123' }));
    const err = await port.findDocument('invoice', 'x1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BookingError);
    expect((err as BookingError).code).toBe('ledger_credentials_rejected');
    expect(JSON.stringify({ m: (err as Error).message, d: (err as BookingError).details })).not.toContain('not-the-secret-123');
  });

  it('refuses a currency other than NOK instead of booking it as kroner', async () => {
    const port = new UniEconomyLedger(options(fake));
    const { invoice } = orderPlans(10_000, { ...uniMarket, currency: 'EUR' });
    const err = await port.createInvoice(invoice, 'draft').catch((e: unknown) => e);
    expect((err as BookingError).code).toBe('ledger_rejected');
    expect(fake.count('invoice', invoice.reference)).toBe(0);
  });

  describe('several VAT rates on one invoice', () => {
    // 25 % on Uni's code 3, 15 % (food) on 31; a 12 % line wrongly translated to 31 must not be booked at 15 %.
    const multiRate: Mapping = {
      ...uniMarket.mapping,
      vatCodes: { ...uniMarket.mapping.vatCodes, S15: { rate: 15, account: '2701' }, S12: { rate: 12, account: '2702' } },
      vatRates: { domestic: { '25': { vatCode: 'S25' }, '15': { vatCode: 'S15' }, '12': { vatCode: 'S12' } } },
    };
    const plan = (id: string, rates: number[]) => {
      const lines = rates.map((vatRate) => ({ kind: 'goods' as const, description: `At ${vatRate} %`, quantity: 1, unitPrice: 100 * (100 + vatRate), vatRate }));
      const total = lines.reduce((a, l) => a + l.unitPrice, 0);
      return planOrder(orderSchema.parse(cardOrder(id, total, { currency: 'NOK', deliveryCountry: 'NO', lines })), multiRate).invoice;
    };

    it("books each line on the Uni VAT type of its rate", async () => {
      const port = new UniEconomyLedger(options(fake, { vatCodes: { ...uniVatCodes, S15: '31' } }));
      const doc = await port.createInvoice(plan('uni-multi-1', [25, 15]), 'draft');
      const items = fake.invoices.get(Number(doc.documentId))!.Items as { VatTypeID: number }[];
      expect(items.map((i) => i.VatTypeID)).toEqual([11, 12]);
    });

    it("refuses a line whose VAT code translates to a Uni VAT type of another rate, writing nothing", async () => {
      const port = new UniEconomyLedger(options(fake, { vatCodes: { ...uniVatCodes, S15: '31', S12: '31' } }));
      const invoice = plan('uni-multi-2', [25, 12]);
      const err = await port.createInvoice(invoice, 'draft').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BookingError);
      expect((err as BookingError).code).toBe('vat_rate_not_taken');
      expect((err as BookingError).details).toEqual({ vendor: 'Uni Economy', vatCode: 'S12', vendorVatCode: '31', vendorRate: 15, rate: 12 });
      expect(fake.count('invoice', invoice.reference)).toBe(0);
    });
  });
});
