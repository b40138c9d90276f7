import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { postings } from '../../db/schema';
import type { DocumentKind, DocumentState } from '../domain/posting';

export type StatesByKind = Partial<Record<DocumentKind, DocumentState>>;

/**
 * How the ledger holds the documents of these references (orders, refunds, payouts), as our postings recorded it:
 * e-conomic's payment and payout vouchers are `in_journal` (waiting in its daybook to be booked there), not `booked`.
 */
export async function documentStates(db: Db, items: readonly { ledgerId: string; reference: string }[]): Promise<(ref: { ledgerId: string; reference: string }) => StatesByKind> {
  const byKey = new Map<string, StatesByKind>();
  const key = (ledgerId: string, reference: string) => `${ledgerId}\u0000${reference}`;
  for (const ledgerId of new Set(items.map((i) => i.ledgerId))) {
    const references = items.filter((i) => i.ledgerId === ledgerId).map((i) => i.reference);
    const rows = await db
      .select({ kind: postings.kind, reference: postings.reference, state: postings.state })
      .from(postings)
      .where(and(eq(postings.ledgerId, ledgerId), inArray(postings.reference, references)));
    for (const r of rows) {
      const states = byKey.get(key(ledgerId, r.reference)) ?? {};
      states[r.kind as DocumentKind] = r.state as DocumentState;
      byKey.set(key(ledgerId, r.reference), states);
    }
  }
  return (ref) => byKey.get(key(ref.ledgerId, ref.reference)) ?? {};
}
