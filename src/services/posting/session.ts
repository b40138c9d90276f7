import type { Db } from '../../../db/client';
import type { LedgerRegistry } from '../../adapters/ledgers/registry';
import type { LedgerPort } from '../../adapters/ledgers/port';
import type { DocumentKind, PaymentPlan, PostingRecord } from '../../domain/posting';
import type { PostingWork } from '../../../workflows/definitions';
import { findByReferences, findPosting, noteAttempts, savePosting, toRecord, type PostingKey, type PostingRow } from './records';

/** What a run of ledger writes shares: a single write's, or a whole batch's (see batchSession). */
export interface WriteSession {
  portOf(ledgerId: string): Promise<LedgerPort>;
  /** The posting as our postings table has it (or as this session is recording it), or null. */
  find(ledgerId: string, kind: DocumentKind, reference: string): Promise<PostingRecord | null>;
  /** Notes that a write is about to go out; true when none was tried before, so the ledger need not be searched. */
  firstAttempt(ledgerId: string, kind: DocumentKind, reference: string): Promise<boolean>;
  /** Records what the ledger answered; `find` sees it at once. */
  record(values: PostingRow): Promise<PostingRecord>;
  /** Waits for everything recorded to be stored; throws the first failure. */
  settle(): Promise<void>;
}

/** A single write: the ledger opened for it, our postings table read and written as it goes. */
export function singleWriteSession(db: Db, ledgers: LedgerRegistry): WriteSession {
  return {
    portOf: (ledgerId) => ledgers.portFor(ledgerId),
    find: (ledgerId, kind, reference) => findPosting(db, ledgerId, kind, reference),
    firstAttempt: async (ledgerId, kind, reference) => (await noteAttempts(db, [{ ledgerId, kind, reference }])).length === 1,
    record: (values) => savePosting(db, values),
    settle: async () => undefined,
  };
}

export const keyOf = (p: { ledgerId: string; kind: string; reference: string }) => `${p.ledgerId}\u0000${p.kind}\u0000${p.reference}`;

/** The payment registrations a posting carries: the order's own, then a split payment's other parts. */
const paymentsOf = (w: PostingWork): PaymentPlan[] => (w.payment ? [w.payment, ...(w.otherPayments ?? [])] : []);

/** The writes a batch's works may make: each document, and its payments. */
export const writesOf = (works: PostingWork[]): PostingKey[] =>
  works.flatMap((w) => [w.document, ...paymentsOf(w)].map((d) => ({ ledgerId: w.ledgerId, kind: d.kind, reference: d.reference })));

/** The references a batch's works look up: their own, and the documents their payments settle. */
export const referencesOf = (works: PostingWork[]) => new Set(works.flatMap((w) => [w.document.reference, ...paymentsOf(w).flatMap((p) => [p.reference, p.documentReference])]));

/**
 * Whether a write is its first attempt, in a batch that noted its planned writes up front: only the first try of a
 * write noted fresh counts (a retry in this batch may have reached the ledger); a write not planned is noted now.
 */
export function firstAttempts(planned: PostingKey[], fresh: PostingKey[], noteOne: (write: PostingKey) => Promise<boolean>) {
  const noted = new Set(planned.map(keyOf));
  const unused = new Set(fresh.map(keyOf));
  return async (write: PostingKey) => (noted.has(keyOf(write)) ? unused.delete(keyOf(write)) : noteOne(write));
}

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
export async function batchSession(db: Db, ledgers: LedgerRegistry, works: PostingWork[]): Promise<WriteSession> {
  const known = new Map<string, PostingRecord>();
  const rows = await findByReferences(db, [...new Set(works.map((w) => w.ledgerId))], [...referencesOf(works)]);
  for (const row of rows) known.set(keyOf(row), toRecord(row));
  const planned = writesOf(works).filter((w) => !known.has(keyOf(w)));
  const single = singleWriteSession(db, ledgers);
  const isFirst = firstAttempts(planned, await noteAttempts(db, planned), (w) => single.firstAttempt(w.ledgerId, w.kind, w.reference));
  const storing = new Map<string, Promise<unknown>>();
  return {
    portOf: ledgers.session(),
    find: async (ledgerId, kind, reference) => known.get(keyOf({ ledgerId, kind, reference })) ?? null,
    firstAttempt: (ledgerId, kind, reference) => isFirst({ ledgerId, kind, reference }),
    record: async (values) => {
      const rec = toRecord(values);
      const k = keyOf(values);
      known.set(k, rec);
      // After this posting's earlier record (a draft, then its booking), never beside it.
      const stored = (storing.get(k) ?? Promise.resolve()).then(() => savePosting(db, values));
      stored.catch(() => undefined); // awaited by settle
      storing.set(k, stored);
      return rec;
    },
    settle: async () => {
      await Promise.all(storing.values());
    },
  };
}
