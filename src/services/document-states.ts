import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { postings, shops } from '../../db/schema';
import { ledgerReference } from '../domain/ledger-reference';
import type { DocumentKind, DocumentState } from '../domain/posting';

export type StatesByKind = Partial<Record<DocumentKind, DocumentState>>;

/** An order's or refund's id with its shop (looked up under the shop's prefix in a shared ledger), or a payout's reference. */
type Ref = { ledgerId: string; reference: string; shopId?: string };

/**
 * How the ledger holds the documents of these references (orders, refunds, payouts), as our postings recorded it:
 * e-conomic's payment and payout vouchers are `in_journal` (waiting in its daybook to be booked there), not `booked`.
 */
export async function documentStates(db: Db, items: readonly Ref[]): Promise<(ref: Ref) => StatesByKind> {
  const shopIds = [...new Set(items.flatMap((i) => (i.shopId ? [i.shopId] : [])))];
  const prefixed = shopIds.length
    ? await db.select({ id: shops.id, prefix: shops.referencePrefix }).from(shops).where(and(inArray(shops.id, shopIds), isNotNull(shops.referencePrefix)))
    : [];
  const prefixOf = new Map(prefixed.map((s) => [s.id, s.prefix]));
  const inLedger = (i: Ref) => (i.shopId ? ledgerReference(prefixOf.get(i.shopId), i.reference) : i.reference);
  const byKey = new Map<string, StatesByKind>();
  const key = (ledgerId: string, reference: string) => `${ledgerId}\u0000${reference}`;
  for (const ledgerId of new Set(items.map((i) => i.ledgerId))) {
    const references = items.filter((i) => i.ledgerId === ledgerId).map(inLedger);
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
  return (ref) => byKey.get(key(ref.ledgerId, inLedger(ref))) ?? {};
}
