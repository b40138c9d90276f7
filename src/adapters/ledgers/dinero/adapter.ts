import type { z } from 'zod';
import { BookingError } from '../../../domain/errors';
import type { DocumentKind, InvoicePlan, PaymentPlan, Voucher } from '../../../domain/posting';
import { missing, percentOf, referenceTag, referenceUuid, taggedText, toDecimal, vendorLines, type HttpClient } from '../http';
import { once } from '../once';
import type { AccountToCreate, ChartOfAccounts, LedgerPort, PostedDocument, SetupNeeds, SetupReport, WriteOptions } from '../port';
import { dineroClient, type DineroOptions } from './client';
import { contactGuidFor } from './contacts';
import { account, booked, created, manualVoucher, NO_VAT, paymentList, salesVoucher, vatType } from './schemas';

const TEXT_MAX = 250;

/**
 * Dinero (api.dinero.dk, v1; see test/fixtures/vendors/dinero/SOURCE.md for what is verified).
 *
 * Every document we create carries a Guid we choose, derived from our reference (http.ts referenceUuid): finding it
 * again is one GET by that Guid, and creating it twice is impossible, because Dinero answers a duplicate Guid with
 * 409, which we read as "it is there" and fetch it.
 * - Invoices: `POST /invoices` (a draft, lines on sales accounts, net kroner; Dinero takes VAT from the account),
 *   then `POST /invoices/{guid}/book` with the draft's Timestamp. Credit notes likewise under `/sales/creditnotes`,
 *   naming the invoice they credit (CreditNoteFor).
 * - Payments and refund payments: `POST …/{guid}/payments` on the invoice or credit note, with our tag as
 *   ExternalReference, found again in that document's payments list.
 * - Payouts: a manual voucher (`/vouchers/manuel`, Dinero's spelling), then booked.
 * - Calls are paced per organization (pacer.ts), tokens cached per organization (token.ts).
 */
export class DineroLedger implements LedgerPort {
  private readonly client: HttpClient;
  /**
   * The last Timestamp Dinero answered per document, in this adapter instance (one posting batch): a payment right
   * after its invoice was booked needs no read first. A stale one answers 409, a retryable fault whose retry reads.
   */
  private readonly timestamps = new Map<string, string>();

  constructor(private readonly o: DineroOptions) {
    this.client = dineroClient(o);
  }

  async findDocument(kind: DocumentKind, reference: string): Promise<PostedDocument | null> {
    switch (kind) {
      case 'invoice':
      case 'credit_note': {
        const v = await this.salesVoucher(kind, reference);
        return v ? this.salesDocument(kind, reference, v) : null;
      }
      case 'payment':
        return this.findPayment('invoice', kind, reference);
      case 'refund_payment':
        return this.findPayment('credit_note', kind, reference);
      case 'payout': {
        const v = await this.manualVoucher(kind, reference);
        return v ? this.voucherDocument(kind, reference, v) : null;
      }
    }
  }

  async createInvoice(plan: InvoicePlan, mode: 'draft' | 'booked', opts: WriteOptions = {}): Promise<PostedDocument> {
    const existing = opts.firstAttempt ? null : await this.findDocument(plan.kind, plan.reference);
    if (existing) return mode === 'booked' && existing.state === 'draft' ? this.bookDraft(existing) : existing;

    const lines = vendorLines(plan);
    await this.requireAccounts(lines.map((l) => l.account));
    for (const l of lines) if (l.vatCode) await this.requireAccountVat(l.account, l.vatCode);
    const isCredit = plan.kind === 'credit_note';
    const guid = referenceUuid(plan.kind, plan.reference);
    const body = {
      Guid: guid,
      ContactGuid: await contactGuidFor(this.client, this.o, plan.customer),
      Date: plan.date,
      Currency: plan.currency,
      Language: 'da-DK',
      ExternalReference: referenceTag(plan.kind, plan.reference),
      Description: isCredit ? `Credit note for order ${plan.orderNumber}` : `Order ${plan.orderNumber}`,
      ...(this.o.paymentConditionDays !== undefined && !isCredit ? { PaymentConditionType: 'Netto', PaymentConditionNumberOfDays: this.o.paymentConditionDays } : {}),
      ...(isCredit && plan.creditsReference ? { CreditNoteFor: referenceUuid('invoice', plan.creditsReference) } : {}),
      ProductLines: lines.map((l) => ({
        Description: l.description.slice(0, TEXT_MAX),
        Quantity: l.quantity,
        AccountNumber: Number(l.account),
        Unit: 'parts',
        Discount: 0,
        LineType: 'Product',
        BaseAmountValue: toDecimal(l.unitPrice),
      })),
    };
    const res = await this.client.request('POST', isCredit ? '/sales/creditnotes' : '/invoices', { body, allow: [409] });
    // 409: a document with this Guid exists — an earlier attempt created it and its answer was lost.
    const v = res.status === 409 ? await this.salesVoucher(plan.kind, plan.reference) : { ...this.client.parse(created, res.body, 'POST invoice'), Status: 'Draft' };
    if (!v) throw new BookingError('ledger_rejected', { vendor: 'Dinero', reason: `Dinero answered 409 for ${guid} but has no such document` });
    const doc = this.salesDocument(plan.kind, plan.reference, v);
    if (mode === 'draft' || doc.state === 'booked') return doc;
    return this.book(doc, v.Timestamp);
  }

  async bookDraft(document: PostedDocument): Promise<PostedDocument> {
    if (document.state === 'booked') return document;
    return this.book(document);
  }

  /** Books a draft with its current Timestamp (read unless the create just answered it). */
  private async book(document: PostedDocument, timestamp?: string): Promise<PostedDocument> {
    const kind = document.kind as 'invoice' | 'credit_note';
    let ts = timestamp;
    if (!ts) {
      const v = await this.salesVoucher(kind, document.reference);
      if (!v) throw new BookingError('ledger_rejected', { vendor: 'Dinero', reason: `draft ${document.documentId} no longer exists` });
      if (v.Status !== 'Draft') return this.salesDocument(kind, document.reference, v); // an earlier attempt booked it
      ts = v.Timestamp;
    }
    const res = await this.client.json(booked, 'POST', `${this.salesPath(kind)}/${document.documentId}/book`, { body: { Timestamp: ts } });
    if (res.Timestamp) this.timestamps.set(document.documentId, res.Timestamp);
    if (res.Number != null) return { ...document, voucherNumber: String(res.Number), state: 'booked' };
    const v = await this.salesVoucher(kind, document.reference);
    return this.salesDocument(kind, document.reference, v!);
  }

  async registerPayment(plan: PaymentPlan, settles: PostedDocument, opts: WriteOptions = {}): Promise<PostedDocument> {
    if (settles.state !== 'booked') throw new BookingError('payment_unknown_invoice', { reference: settles.reference, reason: 'the invoice is a draft' });
    const docKind = plan.kind === 'payment' ? 'invoice' : 'credit_note';
    const existing = opts.firstAttempt ? null : await this.findPayment(docKind, plan.kind, plan.reference, settles.documentId);
    if (existing) return existing;
    await this.requireDepositAccount(plan.receivableAccount);
    const path = `${this.salesPath(docKind)}/${settles.documentId}`;
    const timestamp = this.timestamps.get(settles.documentId) ?? (await this.client.json(salesVoucher, 'GET', path)).Timestamp;
    this.timestamps.delete(settles.documentId); // used once: the payment changes it
    const res = await this.client.json(created, 'POST', `${path}/payments`, {
      body: {
        Timestamp: timestamp,
        DepositAccountNumber: Number(plan.receivableAccount),
        ExternalReference: referenceTag(plan.kind, plan.reference),
        PaymentDate: plan.date,
        Description: taggedText(plan.kind, plan.reference, plan.voucher.text, TEXT_MAX),
        Amount: toDecimal(plan.amount),
      },
    });
    return { kind: plan.kind, reference: plan.reference, documentId: res.Guid, voucherNumber: null, state: 'booked' };
  }

  async postVoucher(kind: DocumentKind, reference: string, v: Voucher, opts: WriteOptions = {}): Promise<PostedDocument> {
    const existing = opts.firstAttempt ? null : await this.manualVoucher(kind, reference);
    if (existing && existing.Status !== 'Draft') return this.voucherDocument(kind, reference, existing);
    let timestamp = existing?.Timestamp;
    const guid = referenceUuid(kind, reference);
    if (!existing) {
      await this.requireAccounts(v.lines.map((l) => l.account));
      const lines = v.lines.map((l) => ({
        Description: l.text.slice(0, TEXT_MAX),
        AccountNumber: Number(l.account),
        Amount: toDecimal(l.amount), // positive debits the account, negative credits it
        AccountVatCode: l.vatCode ? this.dineroVat(l.vatCode) : NO_VAT,
      }));
      const res = await this.client.request('POST', '/vouchers/manuel', { allow: [409], body: { Guid: guid, VoucherDate: v.date, ExternalReference: referenceTag(kind, reference), Lines: lines } });
      const made = res.status === 409 ? await this.manualVoucher(kind, reference) : this.client.parse(created, res.body, 'POST /vouchers/manuel');
      if (made && 'Status' in made && made.Status !== 'Draft') return this.voucherDocument(kind, reference, made as z.infer<typeof manualVoucher>);
      timestamp = made?.Timestamp;
    }
    await this.client.request('POST', `/vouchers/manuel/${guid}/book`, { body: { Timestamp: timestamp } });
    const after = await this.manualVoucher(kind, reference);
    return this.voucherDocument(kind, reference, after!);
  }

  async checkSetup(needs: SetupNeeds): Promise<SetupReport> {
    const [accounts, types] = await Promise.all([this.accountMap(), this.vatTypes()]);
    return {
      missingAccounts: [...new Set(needs.accounts)].filter((a) => !accounts.has(Number(a))),
      missingVatCodes: [...new Set(needs.vatCodes)].filter((c) => !this.translates(c, types)),
      missingPaymentTerms: [], // the invoice carries its payment condition
    };
  }

  /**
   * Dinero's entry and deposit accounts; the VAT codes are ours that the connection's vatCodes translate. Dinero's
   * VatRate is a fraction (0.25, as the fake serves it; unverified), the chart's rate a percent as the other ledgers'.
   */
  async chart(): Promise<ChartOfAccounts> {
    const [entry, deposit, types] = await Promise.all([this.entryAccounts(), this.depositAccountList(), this.vatTypes()]);
    const seen = new Set<number>();
    const accounts = [...entry, ...deposit].filter((a) => !seen.has(a.AccountNumber) && seen.add(a.AccountNumber));
    return {
      accounts: accounts.map((a) => ({ number: String(a.AccountNumber), name: a.Name ?? null })),
      vatCodes: Object.entries(this.o.vatCodes)
        .filter(([code]) => this.translates(code, types))
        .map(([code, theirs]) => ({ code, rate: percentOf(types.get(theirs)?.VatRate), name: types.get(theirs)?.Name ?? theirs })),
      createsAccounts: false,
    };
  }

  /** Our VAT code is one the connection's vatCodes translate to "no VAT" or to a VAT type Dinero has. */
  private translates(ours: string, types: Map<string, unknown>): boolean {
    const theirs = this.o.vatCodes[ours];
    return theirs !== undefined && (theirs === NO_VAT || types.has(theirs));
  }

  /** Dinero's API documents no way to add accounts: a person creates them in Dinero (Indstillinger → Kontoplan). */
  async createAccounts(accounts: AccountToCreate[]): Promise<void> {
    if (accounts.length === 0) return;
    const have = await this.accountMap();
    const absent = accounts.map((a) => a.number).filter((n) => !have.has(Number(n)));
    if (absent.length) throw missing('missing_account', absent[0]!, { accounts: absent, reason: 'the Dinero API cannot create accounts; create them in Dinero' });
  }

  private salesPath(kind: 'invoice' | 'credit_note'): string {
    return kind === 'invoice' ? '/invoices' : '/sales/creditnotes';
  }

  private async salesVoucher(kind: 'invoice' | 'credit_note', reference: string) {
    const res = await this.client.request('GET', `${this.salesPath(kind)}/${referenceUuid(kind, reference)}`, { allow: [404] });
    return res.status === 404 ? null : this.client.parse(salesVoucher, res.body, `GET ${kind}`);
  }

  private async manualVoucher(kind: DocumentKind, reference: string) {
    const res = await this.client.request('GET', `/vouchers/manuel/${referenceUuid(kind, reference)}`, { allow: [404] });
    return res.status === 404 ? null : this.client.parse(manualVoucher, res.body, 'GET manual voucher');
  }

  /** A payment carries its document's reference (order or refund id): it is in that document's payments list. */
  private async findPayment(docKind: 'invoice' | 'credit_note', kind: DocumentKind, reference: string, docGuid = referenceUuid(docKind, reference)): Promise<PostedDocument | null> {
    const res = await this.client.request('GET', `${this.salesPath(docKind)}/${docGuid}/payments`, { allow: [404] });
    if (res.status === 404) return null;
    const tag = referenceTag(kind, reference);
    const p = this.client.parse(paymentList, res.body, 'GET payments').Payments.find((x) => x.ExternalReference === tag || x.Description?.startsWith(`[${tag}]`));
    return p ? { kind, reference, documentId: p.Guid ?? `${docGuid}/${tag}`, voucherNumber: null, state: 'booked' } : null;
  }

  private salesDocument(kind: 'invoice' | 'credit_note', reference: string, v: { Guid: string; Status?: string; Number?: number | null }): PostedDocument {
    const isDraft = (v.Status ?? 'Draft') === 'Draft';
    return { kind, reference, documentId: v.Guid, voucherNumber: isDraft || v.Number == null ? null : String(v.Number), state: isDraft ? 'draft' : 'booked' };
  }

  private voucherDocument(kind: DocumentKind, reference: string, v: z.infer<typeof manualVoucher>): PostedDocument {
    const isDraft = (v.Status ?? 'Draft') === 'Draft';
    return { kind, reference, documentId: v.Guid, voucherNumber: v.VoucherNumber == null ? null : String(v.VoucherNumber), state: isDraft ? 'draft' : 'booked' };
  }

  private dineroVat(code: string): string {
    const mapped = this.o.vatCodes[code];
    if (mapped === undefined) throw missing('missing_vat_code', code);
    return mapped;
  }

  /** Invoice lines carry no VAT code in Dinero: the account's own VAT must be the one the mapping names. */
  private async requireAccountVat(accountNumber: string, ourCode: string): Promise<void> {
    const expected = this.dineroVat(ourCode);
    const actual = (await this.accountMap()).get(Number(accountNumber));
    if (actual != null && actual !== expected) {
      throw new BookingError('ledger_rejected', { vendor: 'Dinero', account: accountNumber, reason: `account ${accountNumber} books VAT ${actual} in Dinero, the mapping's ${ourCode} is ${expected}` });
    }
  }

  /** Entry accounts (number → VAT code), once per adapter instance; deposit accounts count as accounts too. */
  private readonly accountMap = once(async () => {
    const [list, deposits] = await Promise.all([this.entryAccounts(), this.depositAccounts()]);
    const map = new Map<number, string | null>(list.map((a) => [a.AccountNumber, a.VatCode ?? null] as const));
    for (const d of deposits) if (!map.has(d)) map.set(d, null);
    return map;
  });

  // The lists as Dinero answers them, each read once per adapter instance; checkSetup, chart and the writes share them.
  private readonly entryAccounts = once(() => this.client.json(account.array(), 'GET', '/accounts/entry'));
  private readonly depositAccountList = once(() => this.client.json(account.array(), 'GET', '/accounts/deposit'));
  private readonly depositAccounts = once(async () => new Set((await this.depositAccountList()).map((a) => a.AccountNumber)));
  /** VAT code → VAT type */
  private readonly vatTypes = once(async () => new Map((await this.client.json(vatType.array(), 'GET', '/vatTypes')).map((t) => [t.VatCode, t] as const)));

  private async requireAccounts(numbers: string[]): Promise<void> {
    const have = await this.accountMap();
    const absent = numbers.find((n) => !/^\d+$/.test(n) || !have.has(Number(n)));
    if (absent !== undefined) throw missing('missing_account', absent);
  }

  /** Dinero registers payments only on a deposit account (bank, cash, an acquirer's settlement account). */
  private async requireDepositAccount(number: string): Promise<void> {
    const deposits = await this.depositAccounts();
    if (!deposits.has(Number(number))) {
      throw new BookingError('payment_account_not_bank', { vendor: 'Dinero', account: number, bankAccounts: [...deposits].join(', ') || 'none' });
    }
  }
}
