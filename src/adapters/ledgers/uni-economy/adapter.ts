import { BookingError } from '../../../domain/errors';
import type { DocumentKind, InvoicePlan, PaymentPlan, Voucher } from '../../../domain/posting';
import { assertVendorRate, missing, referenceTag, toDecimal, vendorLines, type HttpClient, type VendorLine } from '../http';
import { once } from '../once';
import type { AccountToCreate, ChartOfAccounts, LedgerPort, PostedDocument, SetupNeeds, SetupReport, WriteOptions } from '../port';
import { odataString, uniClient, type UniEconomyOptions } from './client';
import { customerIdFor } from './customers';
import { account, CREDIT_NOTE_TYPE, customerInvoice, DRAFT_STATUS, journalEntry, vatType } from './schemas';
import type { z } from 'zod';

type UniVatType = z.infer<typeof vatType>;

const TEXT_MAX = 250;

/**
 * Uni Economy (Uni Micro, Norway): `{baseUrl}/api/biz`, a bearer token and the company's `CompanyKey` header
 * (test/fixtures/vendors/uni-economy/SOURCE.md says what is verified against which document).
 *
 * Uni chooses every id itself, so our reference travels in a field we can filter on: an invoice's or credit note's
 * InternalNote, a journal entry's Description, each holding our tag (http.ts referenceTag). Every write first looks
 * the tag up, which is what makes a retry after a lost answer find the document instead of making a second.
 * - Invoices and credit notes: `POST /invoices` (a draft, StatusCode 42001; InvoiceType 1 with InvoiceReferenceID
 *   for a credit note), booked with the `invoice` transition (`POST /invoices/{id}?action=invoice`).
 * - Payments, refund payments and payouts: journal entries booked in one call
 *   (`POST /journalentries?action=book-journal-entries`); a payment's line on the customer receivable names the
 *   invoice it settles (CustomerInvoiceID), so Uni can match it.
 * - Lines name Uni's own ids of accounts and VAT types: read once per adapter instance (one posting batch).
 */
export class UniEconomyLedger implements LedgerPort {
  private readonly client: HttpClient;

  constructor(private readonly o: UniEconomyOptions) {
    this.client = uniClient(o);
  }

  async findDocument(kind: DocumentKind, reference: string): Promise<PostedDocument | null> {
    if (kind === 'invoice' || kind === 'credit_note') {
      const inv = await this.invoiceByTag(kind, reference);
      return inv ? this.invoiceDocument(kind, reference, inv) : null;
    }
    const entry = await this.journalEntryByTag(kind, reference);
    return entry ? this.entryDocument(kind, reference, entry) : null;
  }

  async createInvoice(plan: InvoicePlan, mode: 'draft' | 'booked', opts: WriteOptions = {}): Promise<PostedDocument> {
    const existing = opts.firstAttempt ? null : await this.findDocument(plan.kind, plan.reference);
    if (existing) return mode === 'booked' && existing.state === 'draft' ? this.bookDraft(existing) : existing;
    if (plan.currency !== 'NOK') throw new BookingError('ledger_rejected', { vendor: 'Uni Economy', reason: `currency ${plan.currency}: this integration books NOK only` });

    const isCredit = plan.kind === 'credit_note';
    const lines = vendorLines(plan);
    const accountIds = await this.accountIds(lines.map((l) => l.account));
    let creditedId: number | undefined;
    if (isCredit && plan.creditsReference) {
      const credited = await this.invoiceByTag('invoice', plan.creditsReference);
      if (!credited) throw new BookingError('ledger_rejected', { vendor: 'Uni Economy', reason: `the invoice of ${plan.creditsReference} is not in Uni Economy` });
      creditedId = credited.ID;
    }
    const items = [];
    for (const [i, l] of lines.entries()) {
      items.push({
        ItemText: l.description.slice(0, TEXT_MAX),
        // A credit note's items count negative: Uni books it as the invoice turned around.
        NumberOfItems: isCredit ? -l.quantity : l.quantity,
        PriceExVat: toDecimal(l.unitPrice),
        AccountID: accountIds[i]!,
        ...(l.vatCode ? { VatTypeID: await this.vatTypeId(l.vatCode, l) } : {}),
        SortIndex: i + 1,
      });
    }
    const body = {
      CustomerID: await customerIdFor(this.client, this.o, plan.customer),
      CustomerName: plan.customer.name.slice(0, TEXT_MAX),
      InvoiceDate: plan.date,
      InvoiceType: isCredit ? CREDIT_NOTE_TYPE : 0,
      InternalNote: referenceTag(plan.kind, plan.reference),
      Comment: isCredit ? `Credit note for order ${plan.orderNumber}` : `Order ${plan.orderNumber}`,
      ...(creditedId !== undefined ? { InvoiceReferenceID: creditedId } : {}),
      Items: items,
    };
    const made = await this.client.json(customerInvoice, 'POST', '/invoices', { body });
    const doc = this.invoiceDocument(plan.kind, plan.reference, made);
    return mode === 'draft' || doc.state === 'booked' ? doc : this.bookDraft(doc);
  }

  async bookDraft(document: PostedDocument): Promise<PostedDocument> {
    if (document.state === 'booked') return document;
    const kind = document.kind as 'invoice' | 'credit_note';
    // Read first: an earlier attempt whose answer was lost may have booked it already.
    const current = await this.client.json(customerInvoice, 'GET', `/invoices/${document.documentId}`);
    if (current.StatusCode !== DRAFT_STATUS) return this.invoiceDocument(kind, document.reference, current);
    await this.client.request('POST', `/invoices/${document.documentId}`, { query: { action: 'invoice' } });
    return this.invoiceDocument(kind, document.reference, await this.client.json(customerInvoice, 'GET', `/invoices/${document.documentId}`));
  }

  async registerPayment(plan: PaymentPlan, settles: PostedDocument, opts: WriteOptions = {}): Promise<PostedDocument> {
    if (settles.state !== 'booked') throw new BookingError('payment_unknown_invoice', { reference: settles.reference, reason: 'the invoice is a draft' });
    // The line that is not the acquirer's receivable is the customer's side: it names the invoice it settles.
    return this.journal(plan.kind, plan.reference, plan.voucher, opts, (acc) => (acc === plan.receivableAccount ? undefined : Number(settles.documentId)));
  }

  postVoucher(kind: DocumentKind, reference: string, voucher: Voucher, opts: WriteOptions = {}): Promise<PostedDocument> {
    return this.journal(kind, reference, voucher, opts, () => undefined);
  }

  async checkSetup(needs: SetupNeeds): Promise<SetupReport> {
    const [accounts, vatTypes] = await Promise.all([this.accounts(), this.vatTypes()]);
    return {
      missingAccounts: [...new Set(needs.accounts)].filter((a) => !accounts.has(a)),
      missingVatCodes: [...new Set(needs.vatCodes)].filter((c) => !this.vatTypeOf(c, vatTypes)),
      missingPaymentTerms: [], // invoices take the customer's own credit days
    };
  }

  /** Uni's chart; the VAT codes are ours that the connection's vatCodes translate to a Uni VAT type. */
  async chart(): Promise<ChartOfAccounts> {
    const [accounts, types] = await Promise.all([this.accounts(), this.vatTypes()]);
    return {
      accounts: [...accounts.values()].map((a) => ({ number: String(a.AccountNumber), name: a.AccountName ?? null })),
      vatCodes: Object.entries(this.o.vatCodes).flatMap(([code, theirs]) => {
        const t = this.vatTypeOf(code, types);
        return t ? [{ code, rate: t.VatPercent ?? null, name: `${theirs}` }] : [];
      }),
      createsAccounts: true,
    };
  }

  /** The Uni VAT type the connection's vatCodes translate our VAT code to, if Uni has it. */
  private vatTypeOf(ours: string, types: Map<string, UniVatType>): UniVatType | undefined {
    const theirs = this.o.vatCodes[ours];
    return theirs === undefined ? undefined : types.get(theirs);
  }

  /** Uni's API creates accounts (`POST /accounts`): the ones absent from the chart are created, numbered as asked. */
  async createAccounts(accounts: AccountToCreate[]): Promise<void> {
    const have = await this.accounts();
    for (const a of accounts) {
      if (have.has(a.number)) continue;
      if (!/^\d{4,8}$/.test(a.number)) throw missing('missing_account', a.number, { reason: 'Uni Economy account numbers are 4 to 8 digits' });
      const made = await this.client.json(account, 'POST', '/accounts', { body: { AccountNumber: Number(a.number), AccountName: a.name.slice(0, 255) } });
      have.set(a.number, made);
    }
  }

  /** One journal entry, booked in one call, its Description our tag. */
  private async journal(kind: DocumentKind, reference: string, v: Voucher, opts: WriteOptions, invoiceOf: (account: string) => number | undefined): Promise<PostedDocument> {
    const existing = opts.firstAttempt ? null : await this.journalEntryByTag(kind, reference);
    if (existing) return this.entryDocument(kind, reference, existing);
    const ids = await this.accountIds(v.lines.map((l) => l.account));
    const draftLines = [];
    for (const [i, l] of v.lines.entries()) {
      const invoiceId = invoiceOf(l.account);
      draftLines.push({
        AccountID: ids[i]!,
        Amount: toDecimal(l.amount), // positive debits the account, negative credits it
        Description: l.text.slice(0, TEXT_MAX),
        FinancialDate: v.date,
        VatDate: v.date,
        ...(l.vatCode ? { VatTypeID: await this.vatTypeId(l.vatCode) } : {}),
        ...(invoiceId !== undefined ? { CustomerInvoiceID: invoiceId } : {}),
      });
    }
    await this.client.request('POST', '/journalentries', { query: { action: 'book-journal-entries' }, body: [{ Description: referenceTag(kind, reference), DraftLines: draftLines }] });
    // The action's answer is undocumented ("object"): the entry is read back by its tag for its number.
    const booked = await this.journalEntryByTag(kind, reference);
    if (!booked) throw new BookingError('ledger_rejected', { vendor: 'Uni Economy', reason: `the journal entry ${referenceTag(kind, reference)} was booked but cannot be found` });
    return this.entryDocument(kind, reference, booked);
  }

  private async invoiceByTag(kind: 'invoice' | 'credit_note', reference: string) {
    const list = await this.client.json(customerInvoice.array(), 'GET', '/invoices', { query: { filter: `InternalNote eq ${odataString(referenceTag(kind, reference))}` } });
    return list[0] ?? null;
  }

  private async journalEntryByTag(kind: DocumentKind, reference: string) {
    const list = await this.client.json(journalEntry.array(), 'GET', '/journalentries', { query: { filter: `Description eq ${odataString(referenceTag(kind, reference))}` } });
    return list[0] ?? null;
  }

  private invoiceDocument(kind: 'invoice' | 'credit_note', reference: string, v: { ID: number; StatusCode?: number | null; InvoiceNumber?: string | null }): PostedDocument {
    const isDraft = (v.StatusCode ?? DRAFT_STATUS) === DRAFT_STATUS;
    return { kind, reference, documentId: String(v.ID), voucherNumber: isDraft ? null : (v.InvoiceNumber ?? null), state: isDraft ? 'draft' : 'booked' };
  }

  private entryDocument(kind: DocumentKind, reference: string, e: { ID: number; JournalEntryNumber?: string | null }): PostedDocument {
    return { kind, reference, documentId: String(e.ID), voucherNumber: e.JournalEntryNumber ?? String(e.ID), state: 'booked' };
  }

  private async accountIds(numbers: string[]): Promise<number[]> {
    const have = await this.accounts();
    return numbers.map((n) => {
      const found = have.get(n);
      if (found === undefined) throw missing('missing_account', n);
      return found.ID;
    });
  }

  /** The Uni VAT type of our VAT code; with an invoice line, checked to carry the line's rate (VatPercent). */
  private async vatTypeId(ourCode: string, line?: Pick<VendorLine, 'vatCode' | 'vatRate'>): Promise<number> {
    const found = this.vatTypeOf(ourCode, await this.vatTypes());
    if (found === undefined) throw missing('missing_vat_code', ourCode);
    if (line) assertVendorRate('Uni Economy', line, found.VatCode ?? String(found.ID), found.VatPercent ?? null);
    return found.ID;
  }

  /** The chart (account number → account), once per adapter instance; checkSetup, chart and the writes share it. */
  private readonly accounts = once(async () => new Map((await this.client.json(account.array(), 'GET', '/accounts')).map((a) => [String(a.AccountNumber), a] as const)));

  /** VAT types (Uni VAT code → VAT type), once per adapter instance. */
  private readonly vatTypes = once(async () => new Map((await this.client.json(vatType.array(), 'GET', '/vattypes')).filter((t) => t.VatCode).map((t) => [t.VatCode!, t] as const)));
}
