import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillyLedger, type BillyOptions } from '../../../src/adapters/ledgers/billy';
import { BookingError } from '../../../src/domain/errors';
import { BILLY_DAYBOOK, BILLY_ORG, BILLY_TOKEN, BILLY_WEB_CONTACT, billyProducts, startFakeBilly, type FakeBilly } from '../../support/fake-ledgers/billy';
import { designPayoutVoucher, ledgerContract, orderPlans, refundPlans } from './contract';

const options = (fake: FakeBilly, over: Partial<BillyOptions> = {}): BillyOptions => ({
  accessToken: BILLY_TOKEN,
  baseUrl: fake.url,
  timeoutMs: 1_000,
  organizationId: BILLY_ORG,
  daybookId: BILLY_DAYBOOK,
  customerMode: 'per_customer',
  products: billyProducts,
  ...over,
});

ledgerContract('Billy', async () => {
  const fake = await startFakeBilly();
  return { port: new BillyLedger(options(fake)), fake: fake.http, count: fake.count, secrets: [BILLY_TOKEN], close: fake.close };
}, { faults: true });

describe('Billy specifics', () => {
  let fake: FakeBilly;
  beforeAll(async () => {
    fake = await startFakeBilly();
  });
  afterAll(() => fake?.close());

  it('creates invoices with externalId, state and tax rates, and approves drafts', async () => {
    const port = new BillyLedger(options(fake));
    const { invoice } = orderPlans();
    const draft = await port.createInvoice(invoice, 'draft');
    const stored = fake.invoices.find((i) => i.id === draft.documentId)!;
    expect(stored).toMatchObject({ externalId: `lb:inv:${invoice.reference}`, state: 'draft', type: 'invoice', taxMode: 'excl', currencyId: 'DKK' });
    expect((stored.lines as unknown[])[0]).toMatchObject({ productId: 'prod_goods', unitPrice: 80, taxRateId: 'tax_s25' });
    const booked = await port.bookDraft(draft);
    expect(booked.voucherNumber).toBe(stored.invoiceNo);
    expect(fake.http.requests.some((r) => r.method === 'GET' && r.path === '/invoices' && r.query.get('externalId') === `lb:inv:${invoice.reference}`)).toBe(true);
  });

  it('credits with type creditNote and creditedInvoiceId, and pays with bank payments associated to the invoice', async () => {
    const port = new BillyLedger(options(fake));
    const { order, invoice, payment } = orderPlans(20_000);
    const inv = await port.createInvoice(invoice, 'booked');
    await port.registerPayment(payment!, inv);
    expect(fake.bankPayments.at(-1)).toMatchObject({ cashAmount: 200, cashSide: 'debit', cashAccountId: 'acc_5815', associations: [{ subjectReference: `invoice:${inv.documentId}` }] });
    const { creditNote, refundPayment } = refundPlans(order, 5_000);
    const cn = await port.createInvoice(creditNote, 'booked');
    expect(fake.invoices.find((i) => i.id === cn.documentId)).toMatchObject({ type: 'creditNote', creditedInvoiceId: inv.documentId, state: 'approved' });
    await port.registerPayment(refundPayment, cn);
    expect(fake.bankPayments.at(-1)).toMatchObject({ cashAmount: 50, cashSide: 'credit', associations: [{ subjectReference: `invoice:${cn.documentId}` }] });
  });

  it('looks records up by documented filters only, and takes a created record by what it wrote, not its place in the answer', async () => {
    const port = new BillyLedger(options(fake));
    const { order, invoice, payment } = orderPlans(20_000);
    const inv = await port.createInvoice(invoice, 'booked');
    await port.registerPayment(payment!, inv);
    const { creditNote, refundPayment } = refundPlans(order, 5_000);
    // Billy answers the credit note with the credited invoice (its balance changed) listed first.
    const cn = await port.createInvoice(creditNote, 'booked');
    expect(cn.documentId).not.toBe(inv.documentId);
    await port.registerPayment(refundPayment, cn);
    // Found again (a lost answer): by the documented externalId filter and by reading the lists, never contactId or q.
    expect(await port.findDocument('refund_payment', refundPayment.reference)).toMatchObject({ kind: 'refund_payment' });
    expect(await port.findDocument('payout', 'conn/po_none')).toBeNull();
    const sent = fake.http.requests.filter((r) => r.method === 'GET').flatMap((r) => [...r.query.keys()]);
    expect(sent).not.toContain('contactId');
    expect(sent).not.toContain('q');
    expect(fake.http.refused).toEqual([]);
  });

  it('the fake Billy refuses list filters the documents do not list', async () => {
    const get = (path: string) => fetch(`${fake.url}${path}`, { headers: { 'X-Access-Token': BILLY_TOKEN } });
    expect((await get(`/bankPayments?organizationId=${BILLY_ORG}&contactId=c1`)).status).toBe(400);
    expect((await get(`/contacts?organizationId=${BILLY_ORG}&q=jens`)).status).toBe(400);
    expect((await get(`/invoices?organizationId=${BILLY_ORG}&externalId=x`)).status).toBe(200);
    expect(fake.http.refused.splice(0).map((r) => r.problems)).toEqual([
      ['contactId is not a documented filter of GET /bankPayments'],
      ['q is not a documented filter of GET /contacts'],
    ]);
  });

  it('a credit note for an invoice Billy does not have is refused before writing', async () => {
    const port = new BillyLedger(options(fake));
    const { order } = orderPlans();
    const { creditNote } = refundPlans(order, 1_000);
    expect(await port.createInvoice(creditNote, 'booked').catch((e) => e)).toMatchObject({ code: 'payment_unknown_invoice' });
  });

  it('posts payouts as approved, balanced daybook transactions with debit/credit sides', async () => {
    const port = new BillyLedger(options(fake));
    const doc = await port.postVoucher('payout', 'conn/po_9', designPayoutVoucher());
    const t = fake.daybookTransactions.find((d) => d.id === doc.documentId)!;
    expect(t).toMatchObject({ daybookId: BILLY_DAYBOOK, state: 'approved', description: expect.stringMatching(/^\[lb:po:conn\/po_9\] Payout/) });
    expect((t.lines as unknown[]).slice(-2)).toEqual([
      expect.objectContaining({ accountId: 'acc_5820', amount: 450, side: 'debit' }),
      expect.objectContaining({ accountId: 'acc_3630', amount: 50, side: 'debit' }),
    ]);
  });

  it('uses the collective contact, or finds the customer again by e-mail', async () => {
    const collective = new BillyLedger(options(fake, { customerMode: 'collective', collectiveCustomer: BILLY_WEB_CONTACT }));
    const d = await collective.createInvoice(orderPlans().invoice, 'draft');
    expect(fake.invoices.find((i) => i.id === d.documentId)?.contactId).toBe(BILLY_WEB_CONTACT);
    const perCustomer = new BillyLedger(options(fake));
    const a = await perCustomer.createInvoice(orderPlans().invoice, 'draft');
    const b = await perCustomer.createInvoice(orderPlans().invoice, 'draft');
    const contactOf = (id: string) => fake.invoices.find((i) => i.id === id)?.contactId;
    expect(contactOf(a.documentId)).toBe(contactOf(b.documentId));
    expect(fake.contacts.filter((c) => c.name === 'Jens Hansen')).toHaveLength(1);
  });

  it("reads the contact list once per customer: a returning customer's next invoice goes straight to its contact", async () => {
    const port = new BillyLedger(options(fake));
    const plan = orderPlans().invoice;
    const contactReads = () => fake.http.requests.filter((r) => r.method === 'GET' && r.path === '/contacts').length;
    await port.createInvoice({ ...plan, reference: 'ret-1' }, 'draft', { firstAttempt: true });
    const after = contactReads();
    await port.createInvoice({ ...plan, reference: 'ret-2' }, 'draft', { firstAttempt: true });
    expect(contactReads()).toBe(after);
  });

  it('a remembered contact someone deleted in Billy: the invoice is refused once, and the restart finds or makes the contact again', async () => {
    const port = new BillyLedger(options(fake));
    const plan = { ...orderPlans().invoice, customer: { ...orderPlans().invoice.customer, name: 'Gone Kunde', email: 'gone@example.dk' } };
    const first = await port.createInvoice({ ...plan, reference: 'gone-1' }, 'draft', { firstAttempt: true });
    const contactId = fake.invoices.find((i) => i.id === first.documentId)?.contactId;
    fake.contacts.splice(fake.contacts.findIndex((c) => c.id === contactId), 1);
    expect(await port.createInvoice({ ...plan, reference: 'gone-2' }, 'draft', { firstAttempt: true }).catch((e: unknown) => e)).toBeInstanceOf(BookingError);
    const again = await port.createInvoice({ ...plan, reference: 'gone-2' }, 'draft');
    expect(fake.invoices.find((i) => i.id === again.documentId)?.contactId).not.toBe(contactId);
  });

  it('names a missing or unconfigured product', async () => {
    const gone = new BillyLedger(options(fake, { products: { ...billyProducts, '1010': 'prod_deleted' } }));
    expect(await gone.createInvoice(orderPlans().invoice, 'draft').catch((e) => e)).toMatchObject({ code: 'missing_product', details: { value: 'prod_deleted' } });
    const none = new BillyLedger(options(fake, { products: {} }));
    expect(await none.createInvoice(orderPlans().invoice, 'draft').catch((e) => e)).toMatchObject({ code: 'missing_product', details: { value: '1010' } });
  });

  it('creates missing accounts in the configured groups', async () => {
    const port = new BillyLedger(options(fake, { accountGroups: { balance: 'grp_assets', expense: 'grp_expenses' } }));
    await port.createAccounts([{ number: '5815', name: 'Receivable Nets', type: 'balance' }, { number: '5818', name: 'Receivable Klarna', type: 'balance' }]);
    expect(fake.accounts.filter((a) => a.accountNo === 5818)).toEqual([expect.objectContaining({ groupId: 'grp_assets' })]);
    expect(await port.checkSetup({ accounts: ['5818'], vatCodes: [] })).toMatchObject({ missingAccounts: [] });
    const noGroups = new BillyLedger(options(fake));
    expect(await noGroups.createAccounts([{ number: '5819', name: 'X', type: 'expense' }]).catch((e) => e)).toMatchObject({ code: 'missing_account', details: { value: '5819' } });
  });
});
