import type { Db } from '../../../db/client';
import type { LedgerPort, WriteOptions } from '../../adapters/ledgers/port';
import { BookingError } from '../../domain/errors';
import type { DocumentKind, InvoicePlan, PaymentPlan, PostedDocument, PostedRecord, PostingRecord } from '../../domain/posting';
import { assertCreditFits } from './credit';
import { creditedTotal, findPosting, type PostingKey, type PostingRow } from './records';
import type { WriteSession } from './session';

/** What a payout needs to find a payment again: stored with payment and refund payment postings. */
type PaymentFacts = Partial<Pick<PostingRow, 'acquirer' | 'receivableAccount' | 'transactionId' | 'orderId' | 'orderNumber' | 'documentDate'>>;

/** A write to make once: where it goes, what it books, and the call that makes it. */
interface Write extends PostingKey {
  amount: number;
  currency: string;
  create: (port: LedgerPort, opts: WriteOptions) => Promise<PostedDocument>;
  facts: PaymentFacts;
}

/** Called just before the ledger is written to (not when the posting is found done). */

const asDocument = ({ kind, reference, documentId, voucherNumber, state }: PostingRecord): PostedDocument => ({ kind, reference, documentId, voucherNumber, state });

/**
 * Ledger writes, each exactly once: our postings table first (through the session), then the ledger itself (a
 * worker may have died after the ledger committed but before we recorded it: a write tried before is looked up at
 * the vendor by our reference), and only then a new document. Answers say whether this write `created` it.
 */
export class PostingWriter {
  constructor(
    private readonly db: Db,
    private readonly session: WriteSession,
  ) {}

  async postInvoice(ledgerId: string, plan: InvoicePlan, mode: 'draft' | 'booked'): Promise<PostedRecord> {
    await this.checkCredit(ledgerId, plan);
    const rec = await this.once(
      {
        ledgerId,
        kind: plan.kind,
        reference: plan.reference,
        amount: plan.total,
        currency: plan.currency,
        create: (port, opts) => port.createInvoice(plan, mode, opts),
        facts: { orderNumber: plan.orderNumber, documentDate: plan.date, orderId: plan.creditsReference ?? plan.reference },
      },
    );
    // Vendors that create a draft and then book it may have lost the answer in between: finish the booking.
    if (mode === 'booked' && rec.state === 'draft') {
      return { ...(await this.book(ledgerId, rec)), created: rec.created };
    }
    return rec;
  }

  async registerPayment(ledgerId: string, plan: PaymentPlan): Promise<PostedRecord> {
    const settledKind: DocumentKind = plan.kind === 'payment' ? 'invoice' : 'credit_note';
    const settles = await this.session.find(ledgerId, settledKind, plan.documentReference);
    if (!settles) throw new BookingError('payment_unknown_invoice', { reference: plan.documentReference });
    const facts: PaymentFacts = {
      acquirer: plan.acquirer,
      receivableAccount: plan.receivableAccount,
      transactionId: plan.transactionId ?? null,
      orderId: plan.orderId ?? null,
      orderNumber: plan.orderNumber ?? null,
      documentDate: plan.date,
    };
    const create = (port: LedgerPort, opts: WriteOptions) => port.registerPayment(plan, asDocument(settles), opts);
    return this.once({ ledgerId, kind: plan.kind, reference: plan.reference, amount: plan.amount, currency: plan.currency, create, facts });
  }

  /** Books a draft the owner reviewed; a booked one is answered as it is. */
  async bookDraft(ledgerId: string, kind: DocumentKind, reference: string): Promise<PostingRecord> {
    const known = await this.session.find(ledgerId, kind, reference);
    if (!known) throw new BookingError('payment_unknown_invoice', { reference });
    if (known.state === 'booked') return known;
    return this.book(ledgerId, known);
  }

  private async book(ledgerId: string, draft: PostingRecord) {
    const doc = await (await this.session.portOf(ledgerId)).bookDraft(asDocument(draft));
    return this.record(ledgerId, doc, draft.amount, draft.currency);
  }

  private async once(write: Write): Promise<PostedRecord> {
    const known = await this.session.find(write.ledgerId, write.kind, write.reference);
    if (known) return { ...known, created: false };
    // Only a write tried before can be in the ledger unrecorded: the first try saves the ledger a look-up.
    const firstAttempt = await this.session.firstAttempt(write.ledgerId, write.kind, write.reference);
    const doc = await write.create(await this.session.portOf(write.ledgerId), { firstAttempt });
    return { ...(await this.record(write.ledgerId, doc, write.amount, write.currency, write.facts)), created: true };
  }

  private record(ledgerId: string, doc: PostedDocument, amount: number, currency: string, facts: PaymentFacts = {}) {
    return this.session.record({
      ...facts,
      ledgerId,
      kind: doc.kind,
      reference: doc.reference,
      documentId: doc.documentId,
      voucherNumber: doc.voucherNumber,
      state: doc.state,
      amount,
      currency,
    });
  }

  /**
   * Checked here, where one ledger's postings are written one after another, so concurrent refunds, a refund re-sent
   * with another amount or an order changed after booking cannot add up to more: the earlier refunds were planned
   * against snapshots, this is what the ledger holds.
   */
  private async checkCredit(ledgerId: string, plan: InvoicePlan) {
    if (plan.kind !== 'credit_note' || !plan.creditsReference || (await this.session.find(ledgerId, 'credit_note', plan.reference))) return;
    // What this batch recorded so far is in the postings table before we add it up.
    await this.session.settle();
    const stored = await findPosting(this.db, ledgerId, 'invoice', plan.creditsReference);
    const invoice = (await this.session.find(ledgerId, 'invoice', plan.creditsReference)) ?? stored;
    if (!invoice) return; // the refund workflow waits for its order's invoice; nothing booked to credit yet
    assertCreditFits(plan, invoice, await creditedTotal(this.db, ledgerId, plan.creditsReference));
  }
}
