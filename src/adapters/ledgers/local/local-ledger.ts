import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../../db/client';
import { ledgerAccounts, ledgerCounters, ledgerVatCodes, voucherLines, vouchers } from '../../../../db/schema';
import { BookingError } from '../../../domain/errors';
import type { DocumentKind, InvoicePlan, PaymentPlan, Voucher } from '../../../domain/posting';
import type { AccountToCreate, ChartOfAccounts, DocumentState, LedgerPort, PostedDocument, SetupNeeds, SetupReport } from '../port';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const toDocument = (row: typeof vouchers.$inferSelect): PostedDocument => ({
  kind: row.kind as DocumentKind,
  reference: row.reference,
  documentId: String(row.documentNumber),
  voucherNumber: row.number === null ? null : String(row.number),
  state: row.state as DocumentState,
});

/**
 * The built-in ledger: a double-entry journal in our own database. Voucher numbers are gapless per ledger (taken
 * from a counter row in the same transaction that books), and a deferred trigger refuses any unbalanced voucher.
 * Documents are known by a number of their own, also counted per ledger (`draft:1` is a new ledger's first draft).
 */
export class LocalLedger implements LedgerPort {
  constructor(
    private readonly db: Db,
    private readonly ledgerId: string,
  ) {}

  async findDocument(kind: DocumentKind, reference: string): Promise<PostedDocument | null> {
    const [row] = await this.db
      .select()
      .from(vouchers)
      .where(and(eq(vouchers.ledgerId, this.ledgerId), eq(vouchers.kind, kind), eq(vouchers.reference, reference)));
    return row ? toDocument(row) : null;
  }

  createInvoice(plan: InvoicePlan, mode: 'draft' | 'booked'): Promise<PostedDocument> {
    return this.write(plan.kind, plan.reference, plan.voucher, mode);
  }

  async bookDraft(document: PostedDocument): Promise<PostedDocument> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(vouchers)
        .where(and(eq(vouchers.documentNumber, Number(document.documentId)), eq(vouchers.ledgerId, this.ledgerId)))
        .for('update');
      if (!row) throw new BookingError('payment_unknown_invoice', { reference: document.reference });
      if (row.state === 'booked') return toDocument(row);
      const number = await this.nextNumber(tx);
      const [booked] = await tx
        .update(vouchers)
        .set({ state: 'booked', number, bookedAt: new Date() })
        .where(eq(vouchers.id, row.id))
        .returning();
      return toDocument(booked!);
    });
  }

  async registerPayment(plan: PaymentPlan, settles: PostedDocument): Promise<PostedDocument> {
    if (settles.state !== 'booked') {
      throw new BookingError('payment_unknown_invoice', { reference: settles.reference, reason: 'the invoice is a draft' });
    }
    return this.write(plan.kind, plan.reference, plan.voucher, 'booked');
  }

  postVoucher(kind: DocumentKind, reference: string, voucher: Voucher): Promise<PostedDocument> {
    return this.write(kind, reference, voucher, 'booked');
  }

  async checkSetup(needs: SetupNeeds): Promise<SetupReport> {
    const accounts = await this.existingAccounts(needs.accounts);
    const codes = needs.vatCodes.length
      ? await this.db
          .select({ code: ledgerVatCodes.code })
          .from(ledgerVatCodes)
          .where(and(eq(ledgerVatCodes.ledgerId, this.ledgerId), inArray(ledgerVatCodes.code, needs.vatCodes)))
      : [];
    const haveCodes = new Set(codes.map((c) => c.code));
    return {
      missingAccounts: [...new Set(needs.accounts)].filter((a) => !accounts.has(a)),
      missingVatCodes: [...new Set(needs.vatCodes)].filter((c) => !haveCodes.has(c)),
      missingPaymentTerms: [],
    };
  }

  async createAccounts(accounts: AccountToCreate[]): Promise<void> {
    if (accounts.length === 0) return;
    await this.db
      .insert(ledgerAccounts)
      .values(accounts.map((a) => ({ ledgerId: this.ledgerId, number: a.number, name: a.name, type: a.type })))
      .onConflictDoNothing();
  }

  /** Our own chart and VAT codes; new accounts are rows here, so the local ledger creates what is missing. */
  async chart(): Promise<ChartOfAccounts> {
    const [accounts, codes] = await Promise.all([
      this.db.select({ number: ledgerAccounts.number, name: ledgerAccounts.name }).from(ledgerAccounts).where(eq(ledgerAccounts.ledgerId, this.ledgerId)).orderBy(ledgerAccounts.number),
      this.db.select({ code: ledgerVatCodes.code, rate: ledgerVatCodes.rate }).from(ledgerVatCodes).where(eq(ledgerVatCodes.ledgerId, this.ledgerId)).orderBy(ledgerVatCodes.code),
    ]);
    return { accounts, vatCodes: codes.map((c) => ({ code: c.code, rate: Number(c.rate), name: null })), createsAccounts: true };
  }

  private async existingAccounts(numbers: string[]): Promise<Set<string>> {
    if (numbers.length === 0) return new Set();
    const rows = await this.db
      .select({ number: ledgerAccounts.number })
      .from(ledgerAccounts)
      .where(and(eq(ledgerAccounts.ledgerId, this.ledgerId), inArray(ledgerAccounts.number, numbers)));
    return new Set(rows.map((r) => r.number));
  }

  private nextNumber(tx: Tx): Promise<number> {
    return this.bump(tx, 'lastVoucherNumber');
  }

  /** Takes the ledger's next number of one counter; the row lock holds it until the transaction ends, so none is skipped. */
  private async bump(tx: Tx, counter: 'lastVoucherNumber' | 'lastDocumentNumber'): Promise<number> {
    const column = ledgerCounters[counter];
    const [row] = await tx
      .update(ledgerCounters)
      .set({ [counter]: sql`${column} + 1` })
      .where(eq(ledgerCounters.ledgerId, this.ledgerId))
      .returning({ n: column });
    if (!row) throw new Error(`local ledger ${this.ledgerId} has no counters`);
    return row.n;
  }

  private async write(kind: DocumentKind, reference: string, voucher: Voucher, state: 'draft' | 'booked'): Promise<PostedDocument> {
    // As every adapter does: a document with our reference is answered, not created twice.
    const found = await this.findDocument(kind, reference);
    if (found) return state === 'booked' && found.state === 'draft' ? this.bookDraft(found) : found;
    const existing = await this.existingAccounts(voucher.lines.map((l) => l.account));
    const missing = voucher.lines.find((l) => !existing.has(l.account));
    if (missing) throw new BookingError('missing_account', { account: missing.account, text: missing.text });
    const codes = [...new Set(voucher.lines.flatMap((l) => (l.vatCode ? [l.vatCode] : [])))];
    const report = await this.checkSetup({ accounts: [], vatCodes: codes });
    if (report.missingVatCodes.length) throw new BookingError('missing_vat_code', { vatCode: report.missingVatCodes[0] });

    return this.db.transaction(async (tx) => {
      const number = state === 'booked' ? await this.nextNumber(tx) : null;
      const documentNumber = await this.bump(tx, 'lastDocumentNumber');
      const [row] = await tx
        .insert(vouchers)
        .values({
          ledgerId: this.ledgerId,
          number,
          documentNumber,
          kind,
          reference,
          state,
          date: voucher.date,
          currency: voucher.currency,
          text: voucher.text,
          bookedAt: state === 'booked' ? new Date() : null,
        })
        .returning();
      await tx.insert(voucherLines).values(
        voucher.lines.map((l) => ({
          voucherId: row!.id,
          ledgerId: this.ledgerId,
          account: l.account,
          amount: l.amount,
          text: l.text,
          vatCode: l.vatCode ?? null,
        })),
      );
      return toDocument(row!);
    });
  }
}
