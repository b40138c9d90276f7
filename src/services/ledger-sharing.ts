/**
 * One accounting company, several shops (issue 12): a merchant's shops may share a ledger, so they post through one
 * queue and one voucher sequence. The queries behind joining one and listing who shares it; routes hold no SQL.
 */
import { and, asc, count, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ledgers, orders, payouts, refunds, shops } from '../../db/schema';
import { referencePrefixOf } from '../domain/ledger-reference';

export type JoinOutcome =
  | { kind: 'joined'; ledger: typeof ledgers.$inferSelect; referencePrefix: string | null }
  | { kind: 'not_found' }
  /** The shop's bookings have begun in its ledger: they stay there (a refund credits the invoice where it is). */
  | { kind: 'bookings_in_ledger'; bookings: number };

/**
 * Points the shop to another ledger of its merchant. Another merchant's ledger (and, for a shop of no merchant, any
 * ledger) is not found. The ledger row is locked while the shop takes its place, so two shops joining at once get
 * distinct reference prefixes: the first shop of a ledger keeps bare references, each later one its own prefix.
 */
export async function joinLedger(db: Db, shopId: string, ledgerId: string): Promise<JoinOutcome> {
  return db.transaction(async (tx) => {
    const [shop] = await tx.select().from(shops).where(eq(shops.id, shopId)).for('update');
    if (!shop?.merchantId) return { kind: 'not_found' };
    const [ledger] = await tx
      .select()
      .from(ledgers)
      .where(and(eq(ledgers.id, ledgerId), eq(ledgers.merchantId, shop.merchantId)))
      .for('update');
    if (!ledger) return { kind: 'not_found' };
    if (shop.ledgerId === ledger.id) return { kind: 'joined', ledger, referencePrefix: shop.referencePrefix };
    if (shop.ledgerId) {
      const bookings = await bookingsIn(tx as unknown as Db, shopId, shop.ledgerId);
      if (bookings > 0) return { kind: 'bookings_in_ledger', bookings };
    }
    const [others] = await tx.select({ n: count() }).from(shops).where(and(eq(shops.ledgerId, ledger.id), ne(shops.id, shopId)));
    const referencePrefix = referencePrefixOf(others!.n + 1);
    await tx.update(shops).set({ ledgerId: ledger.id, referencePrefix }).where(eq(shops.id, shopId));
    return { kind: 'joined', ledger, referencePrefix };
  });
}

/** How many orders, refunds and payouts the shop has registered in the ledger. */
async function bookingsIn(db: Db, shopId: string, ledgerId: string): Promise<number> {
  let n = 0;
  for (const table of [orders, refunds, payouts]) {
    const [row] = await db.select({ n: count() }).from(table).where(and(eq(table.shopId, shopId), eq(table.ledgerId, ledgerId)));
    n += row!.n;
  }
  return n;
}

/** The shops that book into the ledger, oldest first, with the prefix each one's references carry there. */
export function shopsOfLedger(db: Db, ledgerId: string) {
  return db
    .select({ shopId: shops.id, name: shops.name, referencePrefix: shops.referencePrefix })
    .from(shops)
    .where(eq(shops.ledgerId, ledgerId))
    .orderBy(asc(shops.createdAt), asc(shops.id));
}

/** Another ledger of the merchant that books into the same company in the same system, if one does. */
export async function ledgerOfCompany(db: Db, merchantId: string | null, system: string, company: string, besides: string) {
  if (!merchantId) return undefined;
  const [row] = await db
    .select({ id: ledgers.id })
    .from(ledgers)
    .where(and(eq(ledgers.merchantId, merchantId), eq(ledgers.system, system), eq(ledgers.company, company), ne(ledgers.id, besides)));
  return row;
}
