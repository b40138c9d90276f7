import { z } from 'zod';
import { BookingError } from '../../../domain/errors';
import type { DocumentKind, InvoicePlan, PaymentPlan, Voucher } from '../../../domain/posting';
import { daysAgo, hasTag, missing, referenceTag, referenceUuid, taggedText, type HttpClient, vendorLines } from '../http';
import type { AccountToCreate, LedgerPort, PostedDocument, SetupNeeds, SetupReport, WriteOptions } from '../port';
import { createdId, fikenClient, type FikenOptions } from './client';
import { customerIdFor } from './customers';
import { account, creditNote, draft, invoice, journalEntry, payment, salesVatCode, salesVatTypes, type FikenVatType } from './schemas';

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
  private accounts?: Promise<Set<string>>;

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
    const doc: PostedDocument = { kind: plan.kind, reference: plan.reference, ledgerId: String(createdId(res, 'create draft')), voucherNumber: null, state: 'draft' };
    return mode === 'booked' ? this.bookDraft(doc) : doc;
  }

  async bookDraft(document: PostedDocument): Promise<PostedDocument> {
    if (document.state === 'booked') return document;
    const isCredit = document.kind === 'credit_note';
    const find = () => (isCredit ? this.findBookedCreditNote(document.reference) : this.findBookedInvoice(document.reference));
    const booked = await find();
    if (booked) return booked;
    const path = isCredit ? `/creditNotes/drafts/${document.ledgerId}/createCreditNote` : `/invoices/drafts/${document.ledgerId}/createInvoice`;
    const res = await this.client.request('POST', path, { allow: [404] });
    if (res.status === 404) {
      // The draft is gone: most likely an earlier attempt turned it into the document and lost the answer.
      const again = await find();
      if (again) return again;
      throw new BookingError('ledger_rejected', { vendor: 'Fiken', vendorMessage: `draft ${document.ledgerId} no longer exists` });
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
    // A refund leaves through the acquirer, not through a sale: it is booked as a journal entry (customer
    // receivable against the acquirer receivable), as the plan's voucher says.
    if (plan.kind === 'refund_payment') return this.postVoucher(plan.kind, plan.reference, plan.voucher, opts);
    const existing = opts.firstAttempt ? null : await this.findSalePayment(plan.reference);
    if (existing) return existing;
    await this.requireAccounts([plan.receivableAccount]);
    const inv = await this.client.json(invoice, 'GET', `/invoices/${encodeURIComponent(settles.ledgerId)}`);
    const saleId = inv.sale?.saleId;
    if (!saleId) throw new BookingError('ledger_rejected', { vendor: 'Fiken', reason: `invoice ${settles.ledgerId} has no sale to pay` });
    const res = await this.client.request('POST', `/sales/${saleId}/payments`, {
      body: { date: plan.date, account: plan.receivableAccount, amount: plan.amount, ...(plan.currency !== 'NOK' ? { currency: plan.currency } : {}) },
    });
    return { kind: plan.kind, reference: plan.reference, ledgerId: `${saleId}/${createdId(res, 'POST payment')}`, voucherNumber: null, state: 'booked' };
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

  private accountCodes(): Promise<Set<string>> {
    // The account list is not paginated (API table), and one call per adapter instance is enough.
    this.accounts ??= this.client
      .json(z.array(account), 'GET', '/accounts')
      .then((list) => new Set(list.map((a) => a.code)))
      .catch((e) => {
        this.accounts = undefined;
        throw e;
      });
    return this.accounts;
  }

  private async requireAccounts(codes: string[]): Promise<void> {
    const have = await this.accountCodes();
    const absent = codes.find((c) => !have.has(c));
    if (absent) throw missing('missing_account', absent);
  }

  private async findBookedInvoice(reference: string) {
    const list = await this.client.json(z.array(invoice), 'GET', '/invoices', { query: { orderReference: referenceTag('invoice', reference), page: 0, pageSize: 1 } });
    return list[0] ? this.invoiceDocument(reference, list[0]) : null;
  }

  private async findInvoiceDraft(reference: string): Promise<PostedDocument | null> {
    const list = await this.client.json(z.array(draft), 'GET', '/invoices/drafts', { query: { orderReference: referenceTag('invoice', reference), page: 0, pageSize: 1 } });
    return list[0] ? { kind: 'invoice', reference, ledgerId: String(list[0].draftId), voucherNumber: null, state: 'draft' } : null;
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
    return found ? { kind: 'credit_note', reference, ledgerId: String(found.draftId), voucherNumber: null, state: 'draft' } : null;
  }

  /** A payment carries its invoice's reference; it is the payment on that invoice's sale. */
  private async findSalePayment(reference: string): Promise<PostedDocument | null> {
    const list = await this.client.json(z.array(invoice), 'GET', '/invoices', { query: { orderReference: referenceTag('invoice', reference), page: 0, pageSize: 1 } });
    const inv = list[0];
    if (!inv) return null;
    const saleId = inv.sale?.saleId ?? (await this.client.json(invoice, 'GET', `/invoices/${inv.invoiceId}`)).sale?.saleId;
    if (!saleId) return null;
    const payments = await this.client.json(z.array(payment), 'GET', `/sales/${saleId}/payments`);
    const p = payments[0];
    return p ? { kind: 'payment', reference, ledgerId: `${saleId}/${p.paymentId}`, voucherNumber: null, state: 'booked' } : null;
  }

  private async findJournalEntry(kind: DocumentKind, reference: string): Promise<PostedDocument | null> {
    const since = daysAgo(this.o.journalLookbackDays ?? 31);
    const found = await this.scan(z.array(journalEntry), '/journalEntries', { createdDateGe: since }, (e) => hasTag(e.description, kind, reference));
    return found ? this.journalDocument(kind, reference, found) : null;
  }

  /** Pages through a list (at most 50 pages) until `match` finds an item. */
  private async scan<T>(schema: z.ZodType<T[]>, path: string, query: Record<string, string>, match: (item: T) => boolean): Promise<T | undefined> {
    for (let page = 0; page < 50; page++) {
      const res = await this.client.request('GET', path, { query: { ...query, page, pageSize: PAGE } });
      const items = this.client.parse(schema, res.body, `GET ${path}`);
      const hit = items.find(match);
      if (hit) return hit;
      const pageCount = res.headers.get('fiken-api-page-count');
      if (items.length < PAGE || (pageCount !== null && page + 1 >= Number(pageCount))) return undefined;
    }
    return undefined;
  }

  private invoiceDocument(reference: string, inv: z.infer<typeof invoice>): PostedDocument {
    return { kind: 'invoice', reference, ledgerId: String(inv.invoiceId), voucherNumber: inv.invoiceNumber == null ? null : String(inv.invoiceNumber), state: 'booked' };
  }

  private creditNoteDocument(reference: string, cn: z.infer<typeof creditNote>): PostedDocument {
    return { kind: 'credit_note', reference, ledgerId: String(cn.creditNoteId), voucherNumber: cn.creditNoteNumber == null ? null : String(cn.creditNoteNumber), state: 'booked' };
  }

  private journalDocument(kind: DocumentKind, reference: string, e: z.infer<typeof journalEntry>): PostedDocument {
    return { kind, reference, ledgerId: String(e.journalEntryId), voucherNumber: e.journalEntryNumber == null ? null : String(e.journalEntryNumber), state: 'booked' };
  }
}
