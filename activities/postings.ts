import { Context } from '@temporalio/activity';
import { and, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { postingAttempts, postingRequests, postings } from '../db/schema';
import type { LedgerRegistry } from '../src/adapters/ledgers/registry';
import type { DocumentState, LedgerPort, PostedDocument, WriteOptions } from '../src/adapters/ledgers/port';
import { BookingError } from '../src/domain/errors';
import type { DocumentKind, InvoicePlan, PaymentPlan } from '../src/domain/posting';
import { asActivityFailure } from './failures';
import { retryTransient } from './transient-retry';
import type { PostingOutcome, PostingWork } from '../workflows/definitions';

export interface PostingRecord {
  kind: DocumentKind;
  reference: string;
  documentId: string;
  voucherNumber: string | null;
  state: DocumentState;
  amount: number;
  currency: string;
}

const toRecord = (row: typeof postings.$inferSelect): PostingRecord => ({
  kind: row.kind as DocumentKind,
  reference: row.reference,
  documentId: row.documentId,
  voucherNumber: row.voucherNumber,
  state: row.state as DocumentState,
  amount: row.amount,
  currency: row.currency,
});

/** What a payout needs to find a payment again: stored with payment and refund payment postings. */
type PaymentFacts = Partial<Pick<typeof postings.$inferInsert, 'acquirer' | 'receivableAccount' | 'transactionId' | 'orderId' | 'orderNumber' | 'documentDate'>>;

/** What a run of ledger writes shares (see postingActivities). */
interface WriteSession {
  portOf(ledgerId: string): Promise<LedgerPort>;
  /** The posting as our postings table has it (or as this session is recording it), or null. */
  find(ledgerId: string, kind: DocumentKind, reference: string): Promise<PostingRecord | null>;
  /** Notes that a write is about to go out; true when none was tried before, so the ledger need not be searched. */
  firstAttempt(ledgerId: string, kind: DocumentKind, reference: string): Promise<boolean>;
  /** Records what the ledger answered; `find` sees it at once. */
  record(values: typeof postings.$inferInsert): Promise<PostingRecord>;
}

/** A batch's session stores what the ledger answered while the next ledger call runs. */
interface BatchSession extends WriteSession {
  /** Waits for everything recorded; throws the first failure. */
  settle(): Promise<void>;
}

const asDocument = (p: PostingRecord): PostedDocument => ({
  kind: p.kind,
  reference: p.reference,
  documentId: p.documentId,
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
export function postingActivities(db: Db, ledgers: LedgerRegistry) {
  async function noteAttempt(ledgerId: string, kind: DocumentKind, reference: string) {
    const noted = await db.insert(postingAttempts).values({ ledgerId, kind, reference }).onConflictDoNothing().returning({ kind: postingAttempts.kind });
    return noted.length === 1;
  }

  async function store(values: typeof postings.$inferInsert) {
    const [row] = await db
      .insert(postings)
      .values(values)
      .onConflictDoUpdate({
        target: [postings.ledgerId, postings.kind, postings.reference],
        // Booking a draft may give the document a new id at the vendor (draft number → invoice number).
        set: { documentId: values.documentId, voucherNumber: values.voucherNumber, state: values.state, updatedAt: new Date() },
      })
      .returning();
    return toRecord(row!);
  }

  async function storeOutcomes(outcomes: PostingOutcome[]) {
    if (outcomes.length === 0) return;
    const rows = JSON.stringify(outcomes.map((o) => ({ request_id: o.requestId, outcome: o })));
    await db.execute(sql`
      update ${postingRequests} set outcome = v.outcome, done_at = now()
      from jsonb_to_recordset(${rows}::jsonb) as v(request_id text, outcome jsonb)
      where ${postingRequests.requestId} = v.request_id`);
  }

  /** A single write: the ledger opened for it, our postings table read and written as it goes. */
  const singleWrite: WriteSession = {
    portOf: (ledgerId) => ledgers.portFor(ledgerId),
    find: (ledgerId, kind, reference) => findPosting(db, ledgerId, kind, reference),
    firstAttempt: noteAttempt,
    record: store,
  };

  /**
   * A batch's writes share one session, so that the ledger is not kept waiting on our database between its calls:
   * - each ledger is opened once;
   * - the postings the works may already have are read in one query up front;
   * - the attempts are noted in one statement up front: noting one that is then not made costs at most a look-up
   *   should the batch run again, while a write made without its note could be made twice;
   * - what the ledger answered is stored while the next call runs, one write after the other per posting, and
   *   stored before the batch answers. A batch that dies before that runs again and finds those postings at the
   *   ledger by their notes.
   * Nothing else writes to a ledger while its batch runs (the ledger workflow serializes them), and a retried
   * batch starts a new session.
   */
  async function batchSession(works: PostingWork[]): Promise<BatchSession> {
    const key = (ledgerId: string, kind: string, reference: string) => `${ledgerId}\u0000${kind}\u0000${reference}`;
    const known = new Map<string, PostingRecord>();
    const references = new Set(works.flatMap((w) => [w.document.reference, ...(w.payment ? [w.payment.reference, w.payment.documentReference] : [])]));
    if (references.size > 0) {
      const rows = await db
        .select()
        .from(postings)
        .where(and(inArray(postings.ledgerId, [...new Set(works.map((w) => w.ledgerId))]), inArray(postings.reference, [...references])));
      for (const row of rows) known.set(key(row.ledgerId, row.kind, row.reference), toRecord(row));
    }
    const planned = works
      .flatMap((w) => [{ ledgerId: w.ledgerId, kind: w.document.kind, reference: w.document.reference }, ...(w.payment ? [{ ledgerId: w.ledgerId, kind: w.payment.kind, reference: w.payment.reference }] : [])])
      .filter((a) => !known.has(key(a.ledgerId, a.kind, a.reference)));
    const noted = new Set(planned.map((a) => key(a.ledgerId, a.kind, a.reference)));
    const fresh = new Set<string>();
    if (planned.length > 0) {
      const rows = await db.insert(postingAttempts).values(planned).onConflictDoNothing().returning();
      for (const a of rows) fresh.add(key(a.ledgerId, a.kind, a.reference));
    }
    const storing = new Map<string, Promise<unknown>>();
    return {
      portOf: ledgers.session(),
      find: async (ledgerId, kind, reference) => known.get(key(ledgerId, kind, reference)) ?? null,
      firstAttempt: async (ledgerId, kind, reference) => {
        const k = key(ledgerId, kind, reference);
        if (!noted.has(k)) return noteAttempt(ledgerId, kind, reference);
        // Only the first try of a planned write counts as first; a retry in this batch may have reached the ledger.
        return fresh.delete(k);
      },
      record: async (values) => {
        const rec: PostingRecord = {
          kind: values.kind as DocumentKind,
          reference: values.reference,
          documentId: values.documentId,
          voucherNumber: values.voucherNumber ?? null,
          state: values.state as PostingRecord['state'],
          amount: values.amount,
          currency: values.currency,
        };
        const k = key(values.ledgerId, rec.kind, rec.reference);
        known.set(k, rec);
        // After this posting's earlier record (a draft, then its booking), never beside it.
        const stored = (storing.get(k) ?? Promise.resolve()).then(() => store(values));
        stored.catch(() => undefined); // awaited by settle
        storing.set(k, stored);
        return rec;
      },
      settle: async () => {
        await Promise.all(storing.values());
      },
    };
  }

  async function record(session: WriteSession, ledgerId: string, doc: PostedDocument, amount: number, currency: string, extra: PaymentFacts = {}) {
    return session.record({
      ...extra,
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

  async function once(
    session: WriteSession,
    ledgerId: string,
    kind: DocumentKind,
    reference: string,
    amount: number,
    currency: string,
    create: (port: LedgerPort, opts: WriteOptions) => Promise<PostedDocument>,
    extra: PaymentFacts,
  ): Promise<PostingRecord & { created: boolean }> {
    const known = await session.find(ledgerId, kind, reference);
    if (known) return { ...known, created: false };
    // Only a write tried before can be in the ledger unrecorded: the first try saves the ledger a look-up.
    const firstAttempt = await session.firstAttempt(ledgerId, kind, reference);
    const doc = await create(await session.portOf(ledgerId), { firstAttempt });
    return { ...(await record(session, ledgerId, doc, amount, currency, extra)), created: true };
  }

  /**
   * A credit note never takes an order past what its invoice booked, in the invoice's currency. Checked here, where
   * one ledger's postings are written one after another, so concurrent refunds, a refund re-sent with another amount
   * or an order changed after booking cannot add up to more: the earlier refunds were planned against snapshots,
   * this is what the ledger holds.
   */
  async function assertCreditFits(session: WriteSession, ledgerId: string, plan: InvoicePlan) {
    if (plan.kind !== 'credit_note' || !plan.creditsReference || (await session.find(ledgerId, 'credit_note', plan.reference))) return;
    // What this batch recorded so far is in the postings table before we add it up.
    if ('settle' in session) await (session as BatchSession).settle();
    const [stored] = await db
      .select()
      .from(postings)
      .where(and(eq(postings.ledgerId, ledgerId), eq(postings.kind, 'invoice'), eq(postings.reference, plan.creditsReference)));
    const invoice = (await session.find(ledgerId, 'invoice', plan.creditsReference)) ?? (stored ? toRecord(stored) : null);
    if (!invoice) return; // the refund workflow waits for its order's invoice; nothing booked to credit yet
    if (invoice.currency !== plan.currency) {
      throw new BookingError('currency_mismatch', { refundCurrency: plan.currency, invoiceCurrency: invoice.currency, orderId: plan.creditsReference });
    }
    const [row] = await db
      .select({ credited: sql<string>`coalesce(sum(${postings.amount}), 0)` })
      .from(postings)
      .where(and(eq(postings.ledgerId, ledgerId), eq(postings.kind, 'credit_note'), eq(postings.orderId, plan.creditsReference)));
    const credited = Number(row?.credited ?? 0);
    if (credited + plan.total > invoice.amount) {
      throw new BookingError('refund_exceeds_order', { refund: plan.total, refundable: invoice.amount - credited, orderTotal: invoice.amount, alreadyRefunded: credited });
    }
  }

  async function postInvoice(session: WriteSession, ledgerId: string, plan: InvoicePlan, mode: 'draft' | 'booked') {
    await assertCreditFits(session, ledgerId, plan);
    const rec = await once(
      session,
      ledgerId,
      plan.kind,
      plan.reference,
      plan.total,
      plan.currency,
      (port, opts) => port.createInvoice(plan, mode, opts),
      { orderNumber: plan.orderNumber, documentDate: plan.date, orderId: plan.creditsReference ?? plan.reference },
    );
    // Vendors that create a draft and then book it may have lost the answer in between: finish the booking.
    if (mode === 'booked' && rec.state === 'draft') {
      const doc = await (await session.portOf(ledgerId)).bookDraft(asDocument(rec));
      return { ...(await record(session, ledgerId, doc, rec.amount, rec.currency)), created: rec.created };
    }
    return rec;
  }

  async function registerPayment(session: WriteSession, ledgerId: string, plan: PaymentPlan) {
    const settledKind: DocumentKind = plan.kind === 'payment' ? 'invoice' : 'credit_note';
    const settles = await session.find(ledgerId, settledKind, plan.documentReference);
    if (!settles) throw new BookingError('payment_unknown_invoice', { reference: plan.documentReference });
    return once(
      session,
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
    );
  }

  // A batch writes no booking's status: the booking shows `queued` until it has the outcome (workflows/booking-state.ts
  // is the one writer, so the database, the search attributes and the query agree).
  async function postDocumentWithPayment(session: WriteSession, input: PostingWork) {
    const document = await postInvoice(session, input.ledgerId, input.document, input.mode);
    const payment = document.state === 'booked' && input.payment ? await registerPayment(session, input.ledgerId, input.payment) : undefined;
    return { document, payment };
  }

  return {
    registerPayment: (input: { ledgerId: string; plan: PaymentPlan }) => asActivityFailure(() => registerPayment(singleWrite, input.ledgerId, input.plan)),

    /**
     * The ledger workflow's batch: postings one after the other, so the ledger is called back to back. A business
     * error fails that posting alone; a transient one fails the batch, and its retry finds the postings done so far
     * in our postings table without calling the ledger again.
     */
    postBatch: (input: { requestIds: string[] }) =>
      asActivityFailure(async (): Promise<PostingOutcome[]> => {
        const rows = await db.select().from(postingRequests).where(inArray(postingRequests.requestId, input.requestIds));
        const works = new Map(rows.map((r) => [r.requestId, r.work as PostingWork]));
        const session = await batchSession([...works.values()]);
        const outcomes: PostingOutcome[] = [];
        // Alive while this process is: a ledger call may take longer than the heartbeat timeout, a dead worker not.
        const context = Context.current();
        const alive = setInterval(() => context.heartbeat(outcomes.length), 3_000);
        try {
          for (const requestId of input.requestIds) {
            const work = works.get(requestId);
            if (!work) throw new Error(`posting request ${requestId} is not in posting_requests`);
            try {
              outcomes.push({ requestId, posted: await retryTransient(() => postDocumentWithPayment(session, work)) });
            } catch (err) {
              if (!(err instanceof BookingError)) throw err;
              outcomes.push({ requestId, failure: { code: err.code, details: err.details } });
            }
          }
        } catch (err) {
          // What was recorded so far is stored before the batch's retry looks for it.
          await session.settle().catch(() => undefined);
          throw err;
        } finally {
          clearInterval(alive);
        }
        // Nothing is reported posted before it is stored.
        await session.settle();
        // The outcomes are stored before they are signalled: a booking that missed its signal reads them here.
        await storeOutcomes(outcomes);
        // Done requests are kept a day, so a batch retried after its answer was lost still finds its work; then swept.
        // (A request left pending by code older than its outcome column is swept after 60 days.)
        await db
          .delete(postingRequests)
          .where(or(lt(postingRequests.doneAt, new Date(Date.now() - 86_400_000)), lt(postingRequests.createdAt, new Date(Date.now() - 60 * 86_400_000))));
        return outcomes;
      }),

    /** Outcomes of a batch that failed as a whole (its retries ran out), stored as a batch stores its own. */
    storePostingOutcomes: (input: { outcomes: PostingOutcome[] }) => storeOutcomes(input.outcomes),

    bookDraft: (input: { ledgerId: string; kind: DocumentKind; reference: string }) =>
      asActivityFailure(async () => {
        const known = await findPosting(db, input.ledgerId, input.kind, input.reference);
        if (!known) throw new BookingError('payment_unknown_invoice', { reference: input.reference });
        if (known.state === 'booked') return known;
        const doc = await (await singleWrite.portOf(input.ledgerId)).bookDraft(asDocument(known));
        return record(singleWrite, input.ledgerId, doc, known.amount, known.currency);
      }),
  };
}
