import { BookingError } from '../../../domain/errors';
import type { DocumentKind, InvoicePlan, PaymentPlan, Voucher } from '../../../domain/posting';
import type { z } from 'zod';
import { hasTag, missing, referenceTag, taggedText, toDecimal, type HttpClient, type VendorLine, vendorLines } from '../http';
import type { AccountToCreate, ChartOfAccounts, LedgerPort, PostedDocument, SetupNeeds, SetupReport, WriteOptions } from '../port';
import { accountingYear, openYearFor, type AccountingYear } from './accounting-years';
import { allPages, economicClient, filterValue, idempotencyKey, type EconomicOptions } from './client';
import { customerNumberFor } from './customers';
import { assertSameTotals, expectedTotals, ledgerTotals, productFor, vatZoneFor } from './vat';
import { account, bookedInvoice, collection, createdVouchers, draftInvoice, paymentTerms, vatAccount, voucher } from './schemas';

const TEXT_MAX = 250; // journal entry text

/**
 * e-conomic (Visma) over its REST API.
 *
 * - Invoices and credit notes are draft invoices (`POST /invoices/drafts`), booked with `POST /invoices/booked`.
 *   A credit note is an invoice with negative lines, which is how e-conomic credits.
 * - Our reference goes into `references.other`, which /invoices/drafts and /invoices/booked filter on
 *   (`filter=references.other$eq:…`); that is how findDocument finds invoices and credit notes again.
 * - Payments are `customerPayment` entries and payouts `financeVoucher` entries in the configured journal
 *   (`POST /journals/:n/vouchers`), their text starting with our tag; findDocument reads the journal's vouchers.
 *   Entries stay in the journal until an accountant books it, which covers the window in which a worker can die
 *   between "e-conomic stored it" and "we recorded it"; after that our own postings table remembers.
 * - e-conomic has no idempotency guarantee we rely on, so every create looks its document up first.
 */
export class EconomicLedger implements LedgerPort {
  private readonly client: HttpClient;
  /** The agreement's accounting years, read once per adapter (one posting batch). */
  private years?: Promise<AccountingYear[]>;

  constructor(private readonly o: EconomicOptions) {
    this.client = economicClient(o);
  }

  async findDocument(kind: DocumentKind, reference: string): Promise<PostedDocument | null> {
    if (kind === 'invoice' || kind === 'credit_note') return this.findInvoice(kind, reference);
    return this.findJournalVoucher(kind, reference);
  }

  async createInvoice(plan: InvoicePlan, mode: 'draft' | 'booked', opts: WriteOptions = {}): Promise<PostedDocument> {
    const existing = opts.firstAttempt ? null : await this.findInvoice(plan.kind, plan.reference);
    if (existing) return mode === 'booked' && existing.state === 'draft' ? this.bookDraft(existing) : existing;

    // A draft dated in a closed (or missing) year could never be booked: stop before writing anything.
    await this.yearFor(plan.date);
    const lines = vendorLines(plan);
    const vatZoneNumber = vatZoneFor(plan.region, this.o.vatZones, this.o.vatZoneNumber, expectedTotals(plan, lines).vat !== 0);
    const customerNumber = await customerNumberFor(this.client, this.o, plan.customer, plan.currency, vatZoneNumber);
    const sign = plan.kind === 'credit_note' ? -1 : 1;
    const body = {
      date: plan.date,
      currency: plan.currency,
      customer: { customerNumber },
      recipient: { name: plan.customer.name.slice(0, 250), vatZone: { vatZoneNumber } },
      paymentTerms: { paymentTermsNumber: this.o.paymentTermsNumber },
      layout: { layoutNumber: this.o.layoutNumber },
      references: { other: referenceTag(plan.kind, plan.reference) },
      notes: { heading: `${plan.kind === 'credit_note' ? 'Credit note' : 'Invoice'} for order ${plan.orderNumber}`.slice(0, 250) },
      lines: lines.map((l, i) => {
        const productNumber = productFor(this.o.products, l);
        if (!productNumber) throw missing('missing_product', l.account, { reason: `no e-conomic product is configured for sales account ${l.account}` });
        return {
          lineNumber: i + 1,
          sortKey: i + 1,
          description: l.description.slice(0, 2500),
          quantity: l.quantity,
          unitNetPrice: toDecimal(sign * l.unitPrice),
          product: { productNumber },
        };
      }),
    };
    const draft = await this.client.json(draftInvoice, 'POST', '/invoices/drafts', { body, headers: this.idempotent('draft', plan.kind, plan.reference, body) });
    await this.checkTotals(plan, lines, draft);
    const doc: PostedDocument = { kind: plan.kind, reference: plan.reference, documentId: String(draft.draftInvoiceNumber), voucherNumber: null, state: 'draft' };
    // A draft this call created a moment ago is not booked yet: no look-up first (were it booked meanwhile, the
    // booking answers 404 and the look-up after it finds the invoice).
    return mode === 'booked' ? this.book(plan.kind, doc) : doc;
  }

  async bookDraft(document: PostedDocument): Promise<PostedDocument> {
    if (document.state === 'booked') return document;
    const kind = document.kind === 'credit_note' ? 'credit_note' : 'invoice';
    const booked = await this.findBooked(kind, document.reference);
    return booked ?? this.book(kind, document);
  }

  private async book(kind: 'invoice' | 'credit_note', document: PostedDocument): Promise<PostedDocument> {
    const body = { draftInvoice: { draftInvoiceNumber: Number(document.documentId) } };
    const res = await this.client.request('POST', '/invoices/booked', { body, allow: [404], headers: this.idempotent('book', kind, document.reference, body) });
    if (res.status === 404) {
      // The draft is gone: most likely an earlier attempt booked it and lost the answer.
      const again = await this.findBooked(kind, document.reference);
      if (again) return again;
      throw new BookingError('ledger_rejected', { vendor: 'e-conomic', vendorMessage: `draft invoice ${document.documentId} no longer exists` });
    }
    const inv = this.client.parse(bookedInvoice, res.body, 'POST /invoices/booked');
    return { kind, reference: document.reference, documentId: String(inv.bookedInvoiceNumber), voucherNumber: String(inv.bookedInvoiceNumber), state: 'booked' };
  }

  async registerPayment(plan: PaymentPlan, settles: PostedDocument, opts: WriteOptions = {}): Promise<PostedDocument> {
    if (settles.state !== 'booked') {
      throw new BookingError('payment_unknown_invoice', { reference: settles.reference, reason: 'the invoice is a draft' });
    }
    const existing = opts.firstAttempt ? null : await this.findJournalVoucher(plan.kind, plan.reference);
    if (existing) return existing;
    const invoice = await this.client.json(bookedInvoice, 'GET', `/invoices/booked/${encodeURIComponent(settles.documentId)}`);
    const customerNumber = invoice.customer?.customerNumber;
    if (!customerNumber) throw new BookingError('ledger_rejected', { vendor: 'e-conomic', reason: `booked invoice ${settles.documentId} has no customer` });
    // Amounts are on the customer: a payment credits the customer (negative) and debits the receivable account
    // (the contra account); a refund is the opposite.
    const amount = plan.kind === 'payment' ? -plan.amount : plan.amount;
    const entry = {
      customer: { customerNumber },
      customerInvoice: Number(settles.voucherNumber ?? settles.documentId),
      amount: toDecimal(amount),
      contraAccount: { accountNumber: Number(plan.receivableAccount) },
      currency: { code: plan.currency },
      date: plan.date,
      text: taggedText(plan.kind, plan.reference, plan.voucher.text, TEXT_MAX),
    };
    return this.postJournal(plan.kind, plan.reference, plan.date, { customerPayments: [entry] });
  }

  async postVoucher(kind: DocumentKind, reference: string, v: Voucher, opts: WriteOptions = {}): Promise<PostedDocument> {
    const existing = opts.firstAttempt ? null : await this.findJournalVoucher(kind, reference);
    if (existing) return existing;
    const entries = v.lines.map((l) => ({
      account: { accountNumber: Number(l.account) },
      amount: toDecimal(l.amount), // positive: debit, negative: credit, no contra account: the lines balance
      currency: { code: v.currency },
      date: v.date,
      text: taggedText(kind, reference, l.text, TEXT_MAX),
      ...(l.vatCode ? { vatAccount: { vatCode: l.vatCode } } : {}),
    }));
    return this.postJournal(kind, reference, v.date, { financeVouchers: entries });
  }

  async checkSetup(needs: SetupNeeds): Promise<SetupReport> {
    const accounts = new Set((await allPages(this.client, account, '/accounts')).map((a) => String(a.accountNumber)));
    const codes = needs.vatCodes.length ? new Set((await allPages(this.client, vatAccount, '/vat-accounts')).map((v) => v.vatCode)) : new Set<string>();
    const wantedTerms = needs.paymentTerms ?? [String(this.o.paymentTermsNumber)];
    const terms = wantedTerms.length ? new Set((await allPages(this.client, paymentTerms, '/payment-terms')).map((p) => String(p.paymentTermsNumber))) : new Set<string>();
    return {
      missingAccounts: [...new Set(needs.accounts)].filter((a) => !accounts.has(a)),
      missingVatCodes: [...new Set(needs.vatCodes)].filter((c) => !codes.has(c)),
      missingPaymentTerms: [...new Set(wantedTerms)].filter((t) => !terms.has(t)),
    };
  }

  /** e-conomic's chart and VAT accounts: invoice and journal lines name their vatCode as it is. */
  async chart(): Promise<ChartOfAccounts> {
    const [accounts, codes] = await Promise.all([allPages(this.client, account, '/accounts'), allPages(this.client, vatAccount, '/vat-accounts')]);
    return {
      accounts: accounts.map((a) => ({ number: String(a.accountNumber), name: a.name ?? null })),
      vatCodes: codes.map((v) => ({ code: v.vatCode, rate: v.ratePercentage ?? null, name: v.name ?? null })),
      createsAccounts: false,
    };
  }

  /** The REST API only reads the chart of accounts, so missing accounts must be created in e-conomic by a person. */
  async createAccounts(accounts: AccountToCreate[]): Promise<void> {
    if (accounts.length === 0) return;
    const report = await this.checkSetup({ accounts: accounts.map((a) => a.number), vatCodes: [], paymentTerms: [] });
    const first = report.missingAccounts[0];
    if (first) {
      throw missing('missing_account', first, { accounts: report.missingAccounts, reason: 'the e-conomic API cannot create accounts; create them in e-conomic' });
    }
  }

  private async findInvoice(kind: 'invoice' | 'credit_note', reference: string): Promise<PostedDocument | null> {
    const booked = await this.findBooked(kind, reference);
    if (booked) return booked;
    const filter = `references.other$eq:${filterValue(referenceTag(kind, reference))}`;
    const drafts = await this.client.json(collection(draftInvoice), 'GET', '/invoices/drafts', { query: { filter, pagesize: 1 } });
    const draft = drafts.collection[0];
    return draft ? { kind, reference, documentId: String(draft.draftInvoiceNumber), voucherNumber: null, state: 'draft' } : null;
  }

  private async findBooked(kind: 'invoice' | 'credit_note', reference: string): Promise<PostedDocument | null> {
    const filter = `references.other$eq:${filterValue(referenceTag(kind, reference))}`;
    const booked = await this.client.json(collection(bookedInvoice), 'GET', '/invoices/booked', { query: { filter, pagesize: 1 } });
    const inv = booked.collection[0];
    return inv ? { kind, reference, documentId: String(inv.bookedInvoiceNumber), voucherNumber: String(inv.bookedInvoiceNumber), state: 'booked' } : null;
  }

  private async findJournalVoucher(kind: DocumentKind, reference: string): Promise<PostedDocument | null> {
    const vouchers = await allPages(this.client, voucher, `/journals/${this.o.journalNumber}/vouchers`);
    const found = vouchers.find((v) => Object.values(v.entries ?? {}).some((list) => list.some((e) => hasTag(e.text, kind, reference))));
    return found ? this.voucherDocument(kind, reference, found) : null;
  }

  /** The documented Idempotency-Key header of a create (see idempotencyKey). */
  private idempotent(operation: string, kind: DocumentKind, reference: string, body: unknown): Record<string, string> {
    return { 'Idempotency-Key': idempotencyKey(operation, referenceTag(kind, reference), body) };
  }

  /**
   * e-conomic's totals of a draft it just created against ours: any difference (a product group or VAT zone that
   * gives another VAT) stops the booking. The draft is deleted, so a restart after the fix creates it anew instead
   * of booking the wrong one.
   */
  private async checkTotals(plan: InvoicePlan, lines: VendorLine[], draft: z.infer<typeof draftInvoice>): Promise<void> {
    const n = draft.draftInvoiceNumber;
    const full = draft.netAmount !== undefined && draft.vatAmount !== undefined && draft.grossAmount !== undefined ? draft : await this.client.json(draftInvoice, 'GET', `/invoices/drafts/${n}`);
    const theirs = ledgerTotals({ netAmount: full.netAmount ?? NaN, vatAmount: full.vatAmount ?? NaN, grossAmount: full.grossAmount ?? NaN });
    try {
      assertSameTotals(expectedTotals(plan, lines), theirs, plan.currency, { draftInvoiceNumber: n });
    } catch (e) {
      await this.client.request('DELETE', `/invoices/drafts/${n}`, { allow: [404] });
      throw e;
    }
  }

  /** The open accounting year of a date, as e-conomic names it ("2026", "2025/2026"). */
  private async yearFor(date: string): Promise<string> {
    this.years ??= allPages(this.client, accountingYear, '/accounting-years').catch((e: unknown) => {
      this.years = undefined;
      throw e;
    });
    return openYearFor(await this.years, date).year;
  }

  private async postJournal(kind: DocumentKind, reference: string, date: string, entries: Record<string, unknown[]>): Promise<PostedDocument> {
    const year = await this.yearFor(date);
    const body = { accountingYear: { year }, journal: { journalNumber: this.o.journalNumber }, entries };
    const created = await this.client.json(createdVouchers, 'POST', `/journals/${this.o.journalNumber}/vouchers`, { body, headers: this.idempotent('voucher', kind, reference, body) });
    return this.voucherDocument(kind, reference, created[0]!);
  }

  private voucherDocument(kind: DocumentKind, reference: string, v: { voucherNumber: number; accountingYear: { year: string } }): PostedDocument {
    // e-conomic addresses a journal voucher as <accountingYear>-<voucherNumber>. It stays in the journal (daybook)
    // until someone books the journal in e-conomic: we do not book journals (README, e-conomic), so it is not booked.
    return { kind, reference, documentId: `${v.accountingYear.year}-${v.voucherNumber}`, voucherNumber: String(v.voucherNumber), state: 'in_journal' };
  }
}
