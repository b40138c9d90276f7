import { BookingError } from '../../../domain/errors';
import type { DocumentKind, InvoicePlan, PaymentPlan, Voucher } from '../../../domain/posting';
import { hasTag, percentOf, referenceTag, taggedText, toDecimal, type HttpClient, vendorLines } from '../http';
import type { AccountToCreate, ChartOfAccounts, LedgerPort, PostedDocument, SetupNeeds, SetupReport, WriteOptions } from '../port';
import { BillyCatalog, type BillyTaxRate } from './catalog';
import { billyClient, type BillyOptions } from './client';
import { memoryRecordIds, type RecordIds } from '../record-ids';
import { contactIdFor, contactKey } from './customers';
import { createdRecord, findInList } from './lists';
import { account, bankPayment, daybookTransaction, invoice, list, one } from './schemas';

type BillyInvoice = { id: string; state: string; invoiceNo?: string | number | null; contactId?: string | null };

/**
 * Billy (API v2).
 *
 * - Invoices and credit notes are `POST /invoices` with `state` draft or approved (approved is final) and `type`
 *   invoice or creditNote (with `creditedInvoiceId`). Our reference goes into `externalId`, and findDocument lists
 *   `/invoices?externalId=…`.
 * - Payments are `POST /bankPayments` associated with the invoice (`subjectReference: "invoice:<id>"`); they are
 *   found again through the invoice they settle (same reference): the bank payment associated with it, read from the
 *   list page by page (Billy documents no contact filter on bank payments).
 * - Payouts are approved daybook transactions whose description starts with our tag, read from the list page by
 *   page (no free-text `q`: not a documented filter).
 * - A write's answer lists every record it changed: the created record is picked by what we wrote, never by position.
 * - Accounts, tax rates and products are Billy ids: the adapter resolves and checks them before writing.
 */
export class BillyLedger implements LedgerPort {
  private readonly client: HttpClient;
  private readonly catalog: BillyCatalog;

  constructor(
    private readonly o: BillyOptions,
    /** Contacts found or created, per ledger (record-ids.ts); kept in this instance when no store is given. */
    private readonly ids: RecordIds = memoryRecordIds(),
  ) {
    this.client = billyClient(o);
    this.catalog = new BillyCatalog(this.client, o);
  }

  async findDocument(kind: DocumentKind, reference: string): Promise<PostedDocument | null> {
    switch (kind) {
      case 'invoice':
      case 'credit_note': {
        const inv = await this.findInvoice(kind, reference);
        return inv ? this.invoiceDocument(kind, reference, inv) : null;
      }
      case 'payment':
      case 'refund_payment':
        return this.findPayment(kind, reference);
      case 'payout':
        return this.findDaybookTransaction(kind, reference);
    }
  }

  async createInvoice(plan: InvoicePlan, mode: 'draft' | 'booked', opts: WriteOptions = {}): Promise<PostedDocument> {
    const existing = opts.firstAttempt ? null : await this.findDocument(plan.kind, plan.reference);
    if (existing) return mode === 'booked' && existing.state === 'draft' ? this.bookDraft(existing) : existing;

    let creditedInvoiceId: string | undefined;
    if (plan.kind === 'credit_note') {
      const credited = plan.creditsReference ? await this.findInvoice('invoice', plan.creditsReference) : null;
      if (!credited) throw new BookingError('payment_unknown_invoice', { reference: plan.creditsReference ?? null, reason: 'the credited invoice is not in Billy' });
      creditedInvoiceId = credited.id;
    }
    const contactId = await contactIdFor(this.client, this.o, plan.customer, this.ids);
    const planned = vendorLines(plan);
    const lines = [];
    for (const [i, l] of planned.entries()) {
      lines.push({
        productId: await this.catalog.productFor(l.account),
        description: l.description,
        quantity: l.quantity,
        unitPrice: toDecimal(l.unitPrice), // taxMode excl: the net price
        priority: i,
        ...(l.vatCode ? { taxRateId: await this.catalog.taxRateId(l.vatCode) } : {}),
      });
    }
    const created = await this.client.json(list('invoices', invoice), 'POST', '/invoices', {
      body: {
        invoice: {
          organizationId: this.o.organizationId,
          type: plan.kind === 'credit_note' ? 'creditNote' : 'invoice',
          ...(creditedInvoiceId ? { creditedInvoiceId } : {}),
          contactId,
          entryDate: plan.date,
          paymentTermsDays: this.o.paymentTermsDays ?? 8,
          currencyId: plan.currency,
          taxMode: 'excl',
          state: mode === 'booked' ? 'approved' : 'draft',
          externalId: referenceTag(plan.kind, plan.reference),
          lines,
        },
      },
    }).catch(async (e: unknown) => {
      // A remembered contact someone deleted in Billy: the restart after this refusal looks the customer up again.
      if (e instanceof BookingError && this.o.customerMode !== 'collective') await this.ids.forget('contact', contactKey(this.o, plan.customer));
      throw e;
    });
    const tag = referenceTag(plan.kind, plan.reference);
    return this.invoiceDocument(plan.kind, plan.reference, createdRecord(created.invoices, (i) => i.externalId === tag, 'the invoice'));
  }

  async bookDraft(document: PostedDocument): Promise<PostedDocument> {
    if (document.state === 'booked') return document;
    const kind = document.kind === 'credit_note' ? 'credit_note' : 'invoice';
    const current = await this.client.request('GET', `/invoices/${encodeURIComponent(document.documentId)}`, { allow: [404] });
    if (current.status === 404) throw new BookingError('ledger_rejected', { vendor: 'Billy', vendorMessage: `invoice ${document.documentId} no longer exists` });
    const inv = this.client.parse(one('invoice', invoice), current.body, 'GET /invoices/:id').invoice;
    if (inv.state === 'approved') return this.invoiceDocument(kind, document.reference, inv);
    const updated = await this.client.json(list('invoices', invoice), 'PUT', `/invoices/${encodeURIComponent(document.documentId)}`, {
      body: { invoice: { state: 'approved' } },
    });
    return this.invoiceDocument(kind, document.reference, createdRecord(updated.invoices, (i) => i.id === document.documentId, 'the approval'));
  }

  async registerPayment(plan: PaymentPlan, settles: PostedDocument, opts: WriteOptions = {}): Promise<PostedDocument> {
    if (settles.state !== 'booked') {
      throw new BookingError('payment_unknown_invoice', { reference: settles.reference, reason: 'the invoice is a draft' });
    }
    const cashAccountId = await this.catalog.accountId(plan.receivableAccount);
    const existing = opts.firstAttempt ? null : await this.paymentOn(settles.documentId, plan, cashAccountId);
    if (existing) return existing;
    const inv = this.client.parse(one('invoice', invoice), (await this.client.request('GET', `/invoices/${encodeURIComponent(settles.documentId)}`)).body, 'GET /invoices/:id').invoice;
    const created = await this.client.json(list('bankPayments', bankPayment), 'POST', '/bankPayments', {
      body: {
        bankPayment: {
          organizationId: this.o.organizationId,
          contactId: inv.contactId,
          entryDate: plan.date,
          // The acquirer receivable is the "cash" side: debited by a payment, credited by a refund.
          cashAmount: toDecimal(plan.amount),
          cashSide: plan.kind === 'payment' ? 'debit' : 'credit',
          cashAccountId,
          associations: [{ subjectReference: `invoice:${settles.documentId}` }],
        },
      },
    });
    const payment = createdRecord(created.bankPayments, (b) => b.cashAccountId === cashAccountId && b.entryDate === plan.date && !b.isVoided, 'the bank payment');
    return { kind: plan.kind, reference: plan.reference, documentId: payment.id, voucherNumber: null, state: 'booked' };
  }

  async postVoucher(kind: DocumentKind, reference: string, v: Voucher, opts: WriteOptions = {}): Promise<PostedDocument> {
    const existing = opts.firstAttempt ? null : await this.findDaybookTransaction(kind, reference);
    if (existing) return existing;
    const lines = [];
    for (const [i, l] of v.lines.entries()) {
      lines.push({
        accountId: await this.catalog.accountId(l.account),
        amount: toDecimal(Math.abs(l.amount)),
        side: l.amount > 0 ? 'debit' : 'credit',
        text: l.text,
        currencyId: v.currency,
        priority: i,
        ...(l.vatCode ? { taxRateId: await this.catalog.taxRateId(l.vatCode) } : {}),
      });
    }
    const created = await this.client.json(list('daybookTransactions', daybookTransaction), 'POST', '/daybookTransactions', {
      body: {
        daybookTransaction: {
          organizationId: this.o.organizationId,
          daybookId: this.o.daybookId,
          entryDate: v.date,
          description: taggedText(kind, reference, v.text, 255),
          state: 'approved',
          lines,
        },
      },
    });
    const t = createdRecord(created.daybookTransactions, (d) => hasTag(d.description, kind, reference), 'the daybook transaction');
    return { kind, reference, documentId: t.id, voucherNumber: t.voucherNo === null || t.voucherNo === undefined ? null : String(t.voucherNo), state: 'booked' };
  }

  async checkSetup(needs: SetupNeeds): Promise<SetupReport> {
    const accounts = await this.catalog.accountIds();
    const rates = needs.vatCodes.length ? await this.catalog.taxRateIds() : new Map<string, BillyTaxRate>();
    return {
      missingAccounts: [...new Set(needs.accounts)].filter((a) => !accounts.has(a)),
      missingVatCodes: [...new Set(needs.vatCodes)].filter((c) => !rates.has(this.o.taxRates?.[c] ?? c)),
      missingPaymentTerms: [], // Billy keeps payment terms on the invoice (days), not as records
    };
  }

  /**
   * Billy's accounts; VAT codes are the taxRates the connection names plus Billy's own abbreviations. Read through the
   * catalog, the same lists checkSetup and the writes resolve against.
   */
  async chart(): Promise<ChartOfAccounts> {
    const [accounts, rates] = await Promise.all([this.catalog.accountIds(), this.catalog.taxRateIds()]);
    const vatCodes = new Map<string, ChartOfAccounts['vatCodes'][number]>();
    for (const [ours, theirs] of Object.entries(this.o.taxRates ?? {})) {
      const t = rates.get(theirs);
      if (t) vatCodes.set(ours, { code: ours, rate: percentOf(t.rate), name: t.name ?? t.abbreviation ?? null });
    }
    for (const t of new Set(rates.values())) if (t.abbreviation && !vatCodes.has(t.abbreviation)) vatCodes.set(t.abbreviation, { code: t.abbreviation, rate: percentOf(t.rate), name: t.name ?? null });
    return {
      accounts: [...accounts.values()].map((a) => ({ number: String(a.accountNo), name: a.name ?? null })),
      vatCodes: [...vatCodes.values()],
      createsAccounts: Boolean(this.o.accountGroups),
    };
  }

  async createAccounts(accounts: AccountToCreate[]): Promise<void> {
    const existing = await this.catalog.accountIds();
    const toCreate = accounts.filter((a) => !existing.has(a.number));
    if (toCreate.length === 0) return;
    const groups = this.o.accountGroups;
    if (!groups) {
      throw new BookingError('missing_account', { value: toCreate[0]!.number, accounts: toCreate.map((a) => a.number), reason: 'no Billy account groups are configured to create accounts in' });
    }
    for (const a of toCreate) {
      await this.client.json(list('accounts', account), 'POST', '/accounts', {
        body: { account: { organizationId: this.o.organizationId, accountNo: Number(a.number), name: a.name, groupId: a.type === 'balance' ? groups.balance : groups.expense } },
      });
    }
    this.catalog.forget();
  }

  private async findInvoice(kind: 'invoice' | 'credit_note', reference: string): Promise<BillyInvoice | null> {
    const res = await this.client.json(list('invoices', invoice), 'GET', '/invoices', {
      query: { organizationId: this.o.organizationId, externalId: referenceTag(kind, reference), pageSize: 10 },
    });
    const type = kind === 'credit_note' ? 'creditNote' : 'invoice';
    return res.invoices.find((i) => (i.type ?? type) === type && i.state !== 'voided') ?? null;
  }

  private invoiceDocument(kind: 'invoice' | 'credit_note', reference: string, inv: BillyInvoice): PostedDocument {
    const booked = inv.state === 'approved';
    return {
      kind,
      reference,
      documentId: inv.id,
      voucherNumber: booked && inv.invoiceNo !== null && inv.invoiceNo !== undefined ? String(inv.invoiceNo) : null,
      state: booked ? 'booked' : 'draft',
    };
  }

  /** A payment carries the reference of the document it settles; it is the bank payment associated with it. */
  private async findPayment(kind: 'payment' | 'refund_payment', reference: string): Promise<PostedDocument | null> {
    const settled = await this.findInvoice(kind === 'payment' ? 'invoice' : 'credit_note', reference);
    if (!settled) return null;
    const subject = `invoice:${settled.id}`;
    const p = await findInList(this.client, 'bankPayments', bankPayment, '/bankPayments', { organizationId: this.o.organizationId, include: 'bankPayment.associations:embed' }, (b) =>
      !b.isVoided && (b.associations ?? []).some((a) => a.subjectReference === subject),
    );
    return p ? { kind, reference, documentId: p.id, voucherNumber: null, state: 'booked' } : null;
  }

  /**
   * This plan's bank payment on the invoice it settles, told apart from the invoice's other payments (a split
   * payment's parts) by its cash account, amount and side: a bank payment carries no text of ours to find it by.
   */
  private async paymentOn(invoiceId: string, plan: PaymentPlan, cashAccountId: string): Promise<PostedDocument | null> {
    const subject = `invoice:${invoiceId}`;
    const side = plan.kind === 'payment' ? 'debit' : 'credit';
    const p = await findInList(this.client, 'bankPayments', bankPayment, '/bankPayments', { organizationId: this.o.organizationId, include: 'bankPayment.associations:embed' }, (b) =>
      !b.isVoided && b.cashAccountId === cashAccountId && b.cashAmount === toDecimal(plan.amount) && b.cashSide === side && (b.associations ?? []).some((a) => a.subjectReference === subject),
    );
    return p ? { kind: plan.kind, reference: plan.reference, documentId: p.id, voucherNumber: null, state: 'booked' } : null;
  }

  private async findDaybookTransaction(kind: DocumentKind, reference: string): Promise<PostedDocument | null> {
    const t = await findInList(this.client, 'daybookTransactions', daybookTransaction, '/daybookTransactions', { organizationId: this.o.organizationId }, (d) =>
      hasTag(d.description, kind, reference) && d.state !== 'voided' && (d.daybookId ?? this.o.daybookId) === this.o.daybookId,
    );
    return t ? { kind, reference, documentId: t.id, voucherNumber: t.voucherNo === null || t.voucherNo === undefined ? null : String(t.voucherNo), state: 'booked' } : null;
  }
}
