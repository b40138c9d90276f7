import { z } from 'zod';
import { BookingError } from '../../../domain/errors';
import { mulDivRound } from '../../../domain/money';
import type { DocumentKind, InvoicePlan, PaymentPlan, Voucher } from '../../../domain/posting';
import { daysAgo, hasTag, missing, referenceTag, referenceUuid, taggedText, type HttpClient, vendorLines } from '../http';
import type { AccountToCreate, ChartOfAccounts, LedgerPort, PostedDocument, SetupNeeds, SetupReport, WriteOptions } from '../port';
import { createdId, fikenClient, type FikenOptions } from './client';
import { customerIdFor } from './customers';
import { account, bankAccount, contact, creditNote, draft, invoice, journalEntry, payment, salesVatCode, salesVatTypes, type FikenVatType } from './schemas';

type FikenAccount = z.infer<typeof account>;

const PAGE = 100; // Fiken's maximum page size
const DESCRIPTION_MAX = 200; // journal entry description

/**
 * Fiken (API v2).
 *
 * - Invoices: an invoice draft (`POST /invoices/drafts`) with free-text lines (income account, VAT type, net unit
 *   price in øre), turned into an invoice with `POST /invoices/drafts/{id}/createInvoice`. Our reference goes into
 *   `orderReference`, a documented filter of both /invoices and /invoices/drafts: that is how findDocument finds them.
 * - Credit notes: a credit note draft (`POST /creditNotes/drafts`) with a UUID derived from our reference, then
 *   `createCreditNote`; /creditNotes filters by `creditNoteDraftUuid` (drafts themselves are not filterable and are
 *   scanned).
 * - Payments: `POST /sales/{saleId}/payments` on the invoice's sale, found again through the invoice.
 *   Refund payments and payouts: general journal entries whose description starts with our tag; Fiken filters
 *   journal entries by date only, so findDocument scans those created in the last `journalLookbackDays`.
 * - One request at a time per client, at most 4 per second (see limiter.ts), and an X-Request-ID on each.
 */
export class FikenLedger implements LedgerPort {
  private readonly client: HttpClient;
  private accounts?: Promise<Map<string, FikenAccount>>;
  private accountsRead?: Map<string, FikenAccount>;
  private banks?: Promise<Set<string>>;

  constructor(private readonly o: FikenOptions) {
    this.client = fikenClient(o);
  }

  async findDocument(kind: DocumentKind, reference: string): Promise<PostedDocument | null> {
    switch (kind) {
      case 'invoice':
        return (await this.findBookedInvoice(reference)) ?? (await this.findInvoiceDraft(reference));
      case 'credit_note':
        return (await this.findBookedCreditNote(reference)) ?? (await this.findCreditNoteDraft(reference));
      case 'payment':
        return this.findSalePayment(reference);
      case 'refund_payment':
      case 'payout':
        return this.findJournalEntry(kind, reference);
    }
  }

  async createInvoice(plan: InvoicePlan, mode: 'draft' | 'booked', opts: WriteOptions = {}): Promise<PostedDocument> {
    const existing = opts.firstAttempt ? null : await this.findDocument(plan.kind, plan.reference);
    if (existing) return mode === 'booked' && existing.state === 'draft' ? this.bookDraft(existing) : existing;

    const planned = vendorLines(plan).map((l) => ({ ...l, vatType: this.vatType(l.vatCode ?? '') }));
    await this.requireAccounts(planned.map((l) => l.account));
    const customerId = await customerIdFor(this.client, this.o, plan.customer);
    const isCredit = plan.kind === 'credit_note';
    const body = {
      type: isCredit ? 'credit_note' : 'invoice',
      uuid: referenceUuid(plan.kind, plan.reference),
      issueDate: plan.date,
      daysUntilDueDate: isCredit ? 0 : (this.o.daysUntilDueDate ?? 14),
      customerId,
      currency: plan.currency,
      orderReference: referenceTag(plan.kind, plan.reference),
      invoiceText: isCredit ? `Credit note for order ${plan.orderNumber}` : `Order ${plan.orderNumber}`,
      ...(this.o.bankAccountNumber ? { bankAccountNumber: this.o.bankAccountNumber } : {}),
      lines: planned.map((l) => ({
        description: l.description.slice(0, 200),
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        vatType: l.vatType,
        incomeAccount: l.account,
      })),
    };
    const res = await this.client.request('POST', isCredit ? '/creditNotes/drafts' : '/invoices/drafts', { body });
    const doc: PostedDocument = { kind: plan.kind, reference: plan.reference, documentId: String(createdId(res, 'create draft')), voucherNumber: null, state: 'draft' };
    return mode === 'booked' ? this.bookDraft(doc) : doc;
  }

  async bookDraft(document: PostedDocument): Promise<PostedDocument> {
    if (document.state === 'booked') return document;
    const isCredit = document.kind === 'credit_note';
    const find = () => (isCredit ? this.findBookedCreditNote(document.reference) : this.findBookedInvoice(document.reference));
    const booked = await find();
    if (booked) return booked;
    const path = isCredit ? `/creditNotes/drafts/${document.documentId}/createCreditNote` : `/invoices/drafts/${document.documentId}/createInvoice`;
    const res = await this.client.request('POST', path, { allow: [404] });
    if (res.status === 404) {
      // The draft is gone: most likely an earlier attempt turned it into the document and lost the answer.
      const again = await find();
      if (again) return again;
      throw new BookingError('ledger_rejected', { vendor: 'Fiken', vendorMessage: `draft ${document.documentId} no longer exists` });
    }
    const createdIdValue = createdId(res, `POST ${path}`);
    if (isCredit) {
      const cn = await this.client.json(creditNote, 'GET', `/creditNotes/${createdIdValue}`);
      return this.creditNoteDocument(document.reference, cn);
    }
    const inv = await this.client.json(invoice, 'GET', `/invoices/${createdIdValue}`);
    return this.invoiceDocument(document.reference, inv);
  }

  async registerPayment(plan: PaymentPlan, settles: PostedDocument, opts: WriteOptions = {}): Promise<PostedDocument> {
    if (settles.state !== 'booked') {
      throw new BookingError('payment_unknown_invoice', { reference: settles.reference, reason: 'the invoice is a draft' });
    }
    // A refund leaves through the acquirer, not through a sale: it is booked as a journal entry, the customer's own
    // receivable (1500:NNNNN) against the acquirer's, which is what settles the credit note in Fiken.
    if (plan.kind === 'refund_payment') return this.postVoucher(plan.kind, plan.reference, await this.onCustomerAccount(plan, settles), opts);
    const inv = await this.client.json(invoice, 'GET', `/invoices/${encodeURIComponent(settles.documentId)}`);
    const saleId = inv.sale?.saleId;
    if (!saleId) throw new BookingError('ledger_rejected', { vendor: 'Fiken', reason: `invoice ${settles.documentId} has no sale to pay` });
    const existing = opts.firstAttempt ? null : await this.paymentOfSale(saleId, plan);
    if (existing) return existing;
    await this.requireBankAccount(plan.receivableAccount);
    const res = await this.client.request('POST', `/sales/${saleId}/payments`, {
      body: { date: plan.date, account: plan.receivableAccount, amount: plan.amount, ...(plan.currency !== 'NOK' ? { currency: plan.currency, amountInNok: this.inNok(plan.amount, inv) } : {}) },
    });
    return { kind: plan.kind, reference: plan.reference, documentId: `${saleId}/${createdId(res, 'POST payment')}`, voucherNumber: null, state: 'booked' };
  }

  /**
   * A foreign-currency payment must say what reached the bank in NOK (amountInNok). The acquirer converts only when it
   * pays out, so the payment is valued at the invoice's own rate (its grossInNok / gross): the invoice is settled in
   * full, and the payout voucher books any difference on the currency-difference account.
   */
  private inNok(amount: number, inv: z.infer<typeof invoice>): number {
    if (!inv.gross || inv.grossInNok == null) throw new BookingError('ledger_rejected', { vendor: 'Fiken', reason: `invoice ${inv.invoiceId} in ${inv.currency ?? '?'} has no NOK amount to convert the payment with` });
    return mulDivRound(amount, inv.grossInNok, inv.gross);
  }

  /** The refund's voucher with its customer receivable line moved to the credit note's customer (1500 → 1500:NNNNN). */
  private async onCustomerAccount(plan: PaymentPlan, settles: PostedDocument): Promise<Voucher> {
    const cn = await this.client.json(creditNote, 'GET', `/creditNotes/${encodeURIComponent(settles.documentId)}`);
    const contactId = cn.customer?.contactId;
    const code = cn.customer?.customerAccountCode ?? (contactId ? (await this.client.json(contact, 'GET', `/contacts/${contactId}`)).customerAccountCode : undefined);
    if (!code) throw new BookingError('ledger_rejected', { vendor: 'Fiken', reason: `credit note ${settles.documentId} names no customer account (1500:XXXXX)` });
    const parent = code.split(':')[0];
    const lines = plan.voucher.lines.map((l) => (l.account === parent ? { ...l, account: code } : l));
    if (!lines.some((l) => l.account === code)) throw new BookingError('ledger_rejected', { vendor: 'Fiken', reason: `the refund has no line on the customer receivable ${parent}` });
    return { ...plan.voucher, lines };
  }

  async postVoucher(kind: DocumentKind, reference: string, v: Voucher, opts: WriteOptions = {}): Promise<PostedDocument> {
    const existing = opts.firstAttempt ? null : await this.findJournalEntry(kind, reference);
    if (existing) return existing;
    await this.requireAccounts(v.lines.map((l) => l.account));
    // One side per line: a debit line names debitAccount, a credit line creditAccount; amounts are positive øre.
    const lines = v.lines.map((l) => {
      const vat = l.vatCode ? salesVatCode[this.vatType(l.vatCode)] : undefined;
      return l.amount > 0
        ? { amount: l.amount, debitAccount: l.account, ...(vat !== undefined ? { debitVatCode: vat } : {}) }
        : { amount: -l.amount, creditAccount: l.account, ...(vat !== undefined ? { creditVatCode: vat } : {}) };
    });
    const description = taggedText(kind, reference, v.text, DESCRIPTION_MAX);
    const res = await this.client.request('POST', '/generalJournalEntries', {
      body: { description, open: false, journalEntries: [{ description, date: v.date, lines }] },
    });
    const entry = await this.client.json(journalEntry, 'GET', `/journalEntries/${createdId(res, 'POST /generalJournalEntries')}`);
    return this.journalDocument(kind, reference, entry);
  }

  async checkSetup(needs: SetupNeeds): Promise<SetupReport> {
    const accounts = await this.accountCodes();
    return {
      missingAccounts: [...new Set(needs.accounts)].filter((a) => !accounts.has(a)),
      missingVatCodes: [...new Set(needs.vatCodes)].filter((c) => !this.knownVatCode(c)),
      missingPaymentTerms: [], // Fiken keeps payment terms on the invoice (days until due)
    };
  }

  /** Fiken's API reads the chart of accounts but cannot add to it, so a person creates missing accounts in Fiken. */
  async createAccounts(accounts: AccountToCreate[]): Promise<void> {
    if (accounts.length === 0) return;
    const have = await this.accountCodes();
    const absent = accounts.map((a) => a.number).filter((n) => !have.has(n));
    if (absent.length) throw missing('missing_account', absent[0]!, { accounts: absent, reason: 'the Fiken API cannot create accounts; create them in Fiken' });
  }

  /** Fiken's accounts; the VAT codes are ours that the connection's vatTypes translate to a Fiken sales VAT type. */
  async chart(): Promise<ChartOfAccounts> {
    const accounts = await this.accountCodes();
    return {
      accounts: [...accounts.values()].map((a) => ({ number: a.code, name: a.name ?? null })),
      vatCodes: Object.keys(this.o.vatTypes)
        .filter((c) => this.knownVatCode(c))
        .map((code) => ({ code, rate: null, name: this.o.vatTypes[code]! })),
      createsAccounts: false,
    };
  }

  private knownVatCode(code: string): boolean {
    const t = this.o.vatTypes[code];
    return t !== undefined && (salesVatTypes as readonly string[]).includes(t);
  }

  /** Gift-card lines carry no VAT code: outside VAT ("NONE"). */
  private vatType(code: string): FikenVatType {
    if (code === '') return 'NONE';
    if (!this.knownVatCode(code)) throw missing('missing_vat_code', code);
    return this.o.vatTypes[code]!;
  }

  /** The chart of accounts (code → account), all pages (documented page/pageSize on /accounts), once per adapter instance. */
  private accountCodes(): Promise<Map<string, FikenAccount>> {
    this.accounts ??= this.all(account, '/accounts')
      .then((list) => (this.accountsRead = new Map(list.map((a) => [a.code, a] as const))))
      .catch((e: unknown) => {
        this.accounts = undefined;
        throw e;
      });
    return this.accounts;
  }

  /** The codes of the company's bank accounts (1920:XXXXX), the only accounts Fiken registers payments on. */
  private bankAccountCodes(): Promise<Set<string>> {
    this.banks ??= this.all(bankAccount, '/bankAccounts')
      .then((list) => new Set(list.map((b) => b.accountCode)))
      .catch((e: unknown) => {
        this.banks = undefined;
        throw e;
      });
    return this.banks;
  }

  private async requireBankAccount(code: string): Promise<void> {
    const banks = await this.bankAccountCodes();
    if (!banks.has(code)) throw new BookingError('payment_account_not_bank', { vendor: 'Fiken', account: code, bankAccounts: [...banks].join(', ') || 'none' });
  }

  /** Every item of a paged list. */
  private async all<T extends z.ZodType>(item: T, path: string): Promise<z.infer<T>[]> {
    const out: z.infer<T>[] = [];
    await this.eachPage(z.array(item), path, {}, (items) => {
      out.push(...items);
      return false;
    });
    return out;
  }

  /** Accounts read once per adapter; one not among them is read again first (a customer added since has a new 1500:NNNNN). */
  private async requireAccounts(codes: string[]): Promise<void> {
    let absent = codes.find((c) => !this.accountsRead?.has(c));
    if (absent === undefined) return;
    this.accounts = undefined;
    const have = await this.accountCodes();
    absent = codes.find((c) => !have.has(c));
    if (absent) throw missing('missing_account', absent);
  }

  private async findBookedInvoice(reference: string) {
    const list = await this.client.json(z.array(invoice), 'GET', '/invoices', { query: { orderReference: referenceTag('invoice', reference), page: 0, pageSize: 1 } });
    return list[0] ? this.invoiceDocument(reference, list[0]) : null;
  }

  private async findInvoiceDraft(reference: string): Promise<PostedDocument | null> {
    const list = await this.client.json(z.array(draft), 'GET', '/invoices/drafts', { query: { orderReference: referenceTag('invoice', reference), page: 0, pageSize: 1 } });
    return list[0] ? { kind: 'invoice', reference, documentId: String(list[0].draftId), voucherNumber: null, state: 'draft' } : null;
  }

  private async findBookedCreditNote(reference: string) {
    const list = await this.client.json(z.array(creditNote), 'GET', '/creditNotes', {
      query: { creditNoteDraftUuid: referenceUuid('credit_note', reference), page: 0, pageSize: 1 },
    });
    return list[0] ? this.creditNoteDocument(reference, list[0]) : null;
  }

  private async findCreditNoteDraft(reference: string): Promise<PostedDocument | null> {
    const uuid = referenceUuid('credit_note', reference);
    const found = await this.scan(z.array(draft), '/creditNotes/drafts', {}, (d) => d.uuid === uuid);
    return found ? { kind: 'credit_note', reference, documentId: String(found.draftId), voucherNumber: null, state: 'draft' } : null;
  }

  /** A payment carries its invoice's reference; it is the payment on that invoice's sale. */
  /**
   * This plan's payment of a sale, told apart from the sale's other payments (a split payment's parts) by its bank
   * account and amount: a Fiken sale payment carries no text of ours to find it by.
   */
  private async paymentOfSale(saleId: string | number, plan: PaymentPlan): Promise<PostedDocument | null> {
    const payments = await this.client.json(z.array(payment), 'GET', `/sales/${saleId}/payments`);
    const p = payments.find((x) => x.account === plan.receivableAccount && x.amount === plan.amount);
    return p ? { kind: 'payment', reference: plan.reference, documentId: `${saleId}/${p.paymentId}`, voucherNumber: null, state: 'booked' } : null;
  }

  private async findSalePayment(reference: string): Promise<PostedDocument | null> {
    const list = await this.client.json(z.array(invoice), 'GET', '/invoices', { query: { orderReference: referenceTag('invoice', reference), page: 0, pageSize: 1 } });
    const inv = list[0];
    if (!inv) return null;
    const saleId = inv.sale?.saleId ?? (await this.client.json(invoice, 'GET', `/invoices/${inv.invoiceId}`)).sale?.saleId;
    if (!saleId) return null;
    const payments = await this.client.json(z.array(payment), 'GET', `/sales/${saleId}/payments`);
    const p = payments[0];
    return p ? { kind: 'payment', reference, documentId: `${saleId}/${p.paymentId}`, voucherNumber: null, state: 'booked' } : null;
  }

  private async findJournalEntry(kind: DocumentKind, reference: string): Promise<PostedDocument | null> {
    const since = daysAgo(this.o.journalLookbackDays ?? 31);
    const found = await this.scan(z.array(journalEntry), '/journalEntries', { createdDateGe: since }, (e) => hasTag(e.description, kind, reference));
    return found ? this.journalDocument(kind, reference, found) : null;
  }

  /** Pages through a list (at most 50 pages) until `match` finds an item. */
  private async scan<T>(schema: z.ZodType<T[]>, path: string, query: Record<string, string>, match: (item: T) => boolean): Promise<T | undefined> {
    let hit: T | undefined;
    await this.eachPage(schema, path, query, (items) => (hit = items.find(match)) !== undefined);
    return hit;
  }

  /** Hands each page of a list (at most 50) to `onPage` until it answers true or the pages run out. */
  private async eachPage<T>(schema: z.ZodType<T[]>, path: string, query: Record<string, string>, onPage: (items: T[]) => boolean): Promise<void> {
    for (let page = 0; page < 50; page++) {
      const res = await this.client.request('GET', path, { query: { ...query, page, pageSize: PAGE } });
      const items = this.client.parse(schema, res.body, `GET ${path}`);
      if (onPage(items)) return;
      const pageCount = res.headers.get('fiken-api-page-count');
      if (items.length < PAGE || (pageCount !== null && page + 1 >= Number(pageCount))) return;
    }
  }

  private invoiceDocument(reference: string, inv: z.infer<typeof invoice>): PostedDocument {
    return { kind: 'invoice', reference, documentId: String(inv.invoiceId), voucherNumber: inv.invoiceNumber == null ? null : String(inv.invoiceNumber), state: 'booked' };
  }

  private creditNoteDocument(reference: string, cn: z.infer<typeof creditNote>): PostedDocument {
    return { kind: 'credit_note', reference, documentId: String(cn.creditNoteId), voucherNumber: cn.creditNoteNumber == null ? null : String(cn.creditNoteNumber), state: 'booked' };
  }

  private journalDocument(kind: DocumentKind, reference: string, e: z.infer<typeof journalEntry>): PostedDocument {
    return { kind, reference, documentId: String(e.journalEntryId), voucherNumber: e.journalEntryNumber == null ? null : String(e.journalEntryNumber), state: 'booked' };
  }
}
