import { Context } from '@temporalio/activity';
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { postingAttempts, postingRequests, postings } from '../db/schema';
import type { LedgerRegistry } from '../src/adapters/ledgers/registry';
import type { LedgerPort, PostedDocument, WriteOptions } from '../src/adapters/ledgers/port';
import { BookingError } from '../src/domain/errors';
import type { DocumentKind, InvoicePlan, PaymentPlan } from '../src/domain/posting';
import { asActivityFailure } from './failures';
import type { StatusUpdate } from './status';
import { retryTransient } from './transient-retry';
import type { PostingOutcome, PostingWork } from '../workflows/definitions';

export interface PostingRecord {
  kind: DocumentKind;
  reference: string;
  documentId: string;
  voucherNumber: string | null;
  state: 'draft' | 'booked';
  amount: number;
  currency: string;
}

const toRecord = (row: typeof postings.$inferSelect): PostingRecord => ({
  kind: row.kind as DocumentKind,
  reference: row.reference,
  documentId: row.documentId,
  voucherNumber: row.voucherNumber,
  state: row.state as 'draft' | 'booked',
  amount: row.amount,
  currency: row.currency,
});

/** What a payout needs to find a payment again: stored with payment and refund payment postings. */
type PaymentFacts = Partial<Pick<typeof postings.$inferInsert, 'acquirer' | 'receivableAccount' | 'transactionId' | 'orderId' | 'orderNumber' | 'documentDate'>>;

const asDocument = (p: PostingRecord): PostedDocument => ({
  kind: p.kind,
  reference: p.reference,
  ledgerId: p.documentId,
  voucherNumber: p.voucherNumber,
  state: p.state,
});

export async function findPosting(db: Db, ledgerId: string, kind: DocumentKind, reference: string) {
  const [row] = await db
    .select()
    .from(postings)
    .where(and(eq(postings.ledgerId, ledgerId), eq(postings.kind, kind), eq(postings.reference, reference)));
  return row ? toRecord(row) : null;
}

/** Several postings of one ledger in one query, by kind: what a booking looks for before it plans. */
export async function findPostings(db: Db, ledgerId: string, wanted: { kind: DocumentKind; reference: string }[]) {
  const found: Partial<Record<DocumentKind, PostingRecord>> = {};
  if (wanted.length === 0) return found;
  const rows = await db
    .select()
    .from(postings)
    .where(
      and(
        eq(postings.ledgerId, ledgerId),
        inArray(postings.kind, wanted.map((w) => w.kind)),
        inArray(postings.reference, wanted.map((w) => w.reference)),
      ),
    );
  for (const w of wanted) {
    const row = rows.find((r) => r.kind === w.kind && r.reference === w.reference);
    if (row) found[w.kind] = toRecord(row);
  }
  return found;
}

/**
 * Ledger writes, each exactly once: our postings table first, then the ledger itself (a worker may have died after
 * the ledger committed but before we recorded it), and only then a new document. `created` says the ledger was
 * written to in this call or an earlier one we had not recorded: it counts against the monthly quota.
 */
export function postingActivities(db: Db, ledgers: LedgerRegistry, recordStatus: (u: StatusUpdate) => Promise<void>) {
  async function record(ledgerId: string, doc: PostedDocument, amount: number, currency: string, extra: PaymentFacts = {}) {
    const values = {
      ...extra,
      ledgerId,
      kind: doc.kind,
      reference: doc.reference,
      documentId: doc.ledgerId,
      voucherNumber: doc.voucherNumber,
      state: doc.state,
      amount,
      currency,
    };
    const [row] = await db
      .insert(postings)
      .values(values)
      .onConflictDoUpdate({
        target: [postings.ledgerId, postings.kind, postings.reference],
        // Booking a draft may give the document a new id at the vendor (draft number → invoice number).
        set: { documentId: doc.ledgerId, voucherNumber: doc.voucherNumber, state: doc.state, updatedAt: new Date() },
      })
      .returning();
    return toRecord(row!);
  }

  async function once(
    ledgerId: string,
    kind: DocumentKind,
    reference: string,
    amount: number,
    currency: string,
    create: (port: LedgerPort, opts: WriteOptions) => Promise<PostedDocument>,
    extra: PaymentFacts = {},
    beforeWrite?: () => Promise<void>,
  ): Promise<PostingRecord & { created: boolean }> {
    const known = await findPosting(db, ledgerId, kind, reference);
    if (known) return { ...known, created: false };
    await beforeWrite?.();
    // Only a write tried before can be in the ledger unrecorded: the first try saves the ledger a look-up.
    const noted = await db.insert(postingAttempts).values({ ledgerId, kind, reference }).onConflictDoNothing().returning({ kind: postingAttempts.kind });
    const doc = await create(await ledgers.portFor(ledgerId), { firstAttempt: noted.length === 1 });
    return { ...(await record(ledgerId, doc, amount, currency, extra)), created: true };
  }

  async function postInvoice(ledgerId: string, plan: InvoicePlan, mode: 'draft' | 'booked', beforeWrite?: () => Promise<void>) {
    const rec = await once(
      ledgerId,
      plan.kind,
      plan.reference,
      plan.total,
      plan.currency,
      (port, opts) => port.createInvoice(plan, mode, opts),
      { orderNumber: plan.orderNumber, documentDate: plan.date, orderId: plan.creditsReference ?? plan.reference },
      beforeWrite,
    );
    // Vendors that create a draft and then book it may have lost the answer in between: finish the booking.
    if (mode === 'booked' && rec.state === 'draft') {
      await beforeWrite?.();
      const doc = await (await ledgers.portFor(ledgerId)).bookDraft(asDocument(rec));
      return { ...(await record(ledgerId, doc, rec.amount, rec.currency)), created: rec.created };
    }
    return rec;
  }

  async function registerPayment(ledgerId: string, plan: PaymentPlan, beforeWrite?: () => Promise<void>) {
    const settledKind: DocumentKind = plan.kind === 'payment' ? 'invoice' : 'credit_note';
    const settles = await findPosting(db, ledgerId, settledKind, plan.documentReference);
    if (!settles) throw new BookingError('payment_unknown_invoice', { reference: plan.documentReference });
    return once(
      ledgerId,
      plan.kind,
      plan.reference,
      plan.amount,
      plan.currency,
      (port, opts) => port.registerPayment(plan, asDocument(settles), opts),
      {
        acquirer: plan.acquirer,
        receivableAccount: plan.receivableAccount,
        transactionId: plan.transactionId ?? null,
        orderId: plan.orderId ?? null,
        orderNumber: plan.orderNumber ?? null,
        documentDate: plan.date,
      },
      beforeWrite,
    );
  }

  async function postDocumentWithPayment(input: PostingWork) {
    // `posting` is shown only when the ledger is about to be written: a request delivered twice (its submit was
    // retried) finds everything posted and must not turn a booking that is already booked back to `posting`.
    let shown = !input.status;
    const beforeWrite = async () => {
      if (shown) return;
      shown = true;
      await recordStatus(input.status!);
    };
    const document = await postInvoice(input.ledgerId, input.document, input.mode, beforeWrite);
    const payment = document.state === 'booked' && input.payment ? await registerPayment(input.ledgerId, input.payment, beforeWrite) : undefined;
    return { document, payment };
  }

  return {
    registerPayment: (input: { ledgerId: string; plan: PaymentPlan }) => asActivityFailure(() => registerPayment(input.ledgerId, input.plan)),

    /**
     * The ledger workflow's batch: postings one after the other, so the ledger is called back to back. A business
     * error fails that posting alone; a transient one fails the batch, and its retry finds the postings done so far
     * in our postings table without calling the ledger again.
     */
    postBatch: (input: { requestIds: string[] }) =>
      asActivityFailure(async (): Promise<PostingOutcome[]> => {
        const rows = await db.select().from(postingRequests).where(inArray(postingRequests.requestId, input.requestIds));
        const works = new Map(rows.map((r) => [r.requestId, r.work as PostingWork]));
        const outcomes: PostingOutcome[] = [];
        for (const requestId of input.requestIds) {
          const work = works.get(requestId);
          if (!work) throw new Error(`posting request ${requestId} is not in posting_requests`);
          const beat = () => Context.current().heartbeat(outcomes.length);
          beat();
          try {
            outcomes.push({ requestId, posted: await retryTransient(() => postDocumentWithPayment(work), beat) });
          } catch (err) {
            if (!(err instanceof BookingError)) throw err;
            outcomes.push({ requestId, failure: { code: err.code, details: err.details } });
          }
        }
        // Kept a day, so a batch retried after its answer was lost still finds its work; then swept.
        await db.delete(postingRequests).where(lt(postingRequests.createdAt, new Date(Date.now() - 86_400_000)));
        return outcomes;
      }),

    bookDraft: (input: { ledgerId: string; kind: DocumentKind; reference: string }) =>
      asActivityFailure(async () => {
        const known = await findPosting(db, input.ledgerId, input.kind, input.reference);
        if (!known) throw new BookingError('payment_unknown_invoice', { reference: input.reference });
        if (known.state === 'booked') return known;
        const port = await ledgers.portFor(input.ledgerId);
        const doc = await port.bookDraft(asDocument(known));
        return record(input.ledgerId, doc, known.amount, known.currency);
      }),
  };
}
