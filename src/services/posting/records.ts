/** Our postings table, where a posting found is done (the exactly-once protocol is in ./writer.ts). */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { postingAttempts, postings } from '../../../db/schema';
import type { DocumentKind, DocumentState, PostingRecord } from '../../domain/posting';

/** A row of the postings table as it is written. */
export type PostingRow = typeof postings.$inferInsert;

/** Where a posting is written: one ledger, one kind of document, our reference. */
export interface PostingKey {
  ledgerId: string;
  kind: DocumentKind;
  reference: string;
}

export const toRecord = (row: PostingRow): PostingRecord => ({
  kind: row.kind as DocumentKind,
  reference: row.reference,
  documentId: row.documentId,
  voucherNumber: row.voucherNumber ?? null,
  state: row.state as DocumentState,
  amount: row.amount,
  currency: row.currency,
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

/** The postings of these ledgers with any of these references, whatever their kind: what a batch may find done. */
export async function findByReferences(db: Db, ledgerIds: string[], references: string[]) {
  if (references.length === 0) return [];
  return db
    .select()
    .from(postings)
    .where(and(inArray(postings.ledgerId, ledgerIds), inArray(postings.reference, references)));
}

/** Records what the ledger answered; a posting recorded before (a draft, now booked) takes the new answer. */
export async function savePosting(db: Db, values: PostingRow) {
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

/** Notes writes about to go out; answers those noted now, i.e. that no earlier attempt can have made. */
export async function noteAttempts(db: Db, attempts: PostingKey[]): Promise<PostingKey[]> {
  if (attempts.length === 0) return [];
  const rows = await db.insert(postingAttempts).values(attempts).onConflictDoNothing().returning();
  return rows.map((a) => ({ ledgerId: a.ledgerId, kind: a.kind as DocumentKind, reference: a.reference }));
}

/** What the credit notes of an order booked so far, in minor units. */
export async function creditedTotal(db: Db, ledgerId: string, orderId: string) {
  const [row] = await db
    .select({ credited: sql<string>`coalesce(sum(${postings.amount}), 0)` })
    .from(postings)
    .where(and(eq(postings.ledgerId, ledgerId), eq(postings.kind, 'credit_note'), eq(postings.orderId, orderId)));
  return Number(row?.credited ?? 0);
}
