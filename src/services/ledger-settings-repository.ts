/**
 * The queries behind the mapping and ledger routes (src/api/routes/ledger.ts): the shop's booking mapping, the
 * ledger's connection and quota, and how many postings it holds. Routes hold no SQL (issue 15, point 4).
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ledgers, postings, shops } from '../../db/schema';

/** The shop's ledger (one per shop): every shop route that works on the ledger starts here. */
export async function ledgerOfShop(db: Db, shopId: string) {
  const [ledger] = await db.select().from(ledgers).where(eq(ledgers.shopId, shopId));
  if (!ledger) throw new Error(`shop ${shopId} has no ledger`);
  return ledger;
}

/** The shop's saved mapping as stored (unchecked), or null while none is saved. */
export async function storedMapping(db: Db, shopId: string): Promise<unknown> {
  const [shop] = await db.select({ mapping: shops.mapping }).from(shops).where(eq(shops.id, shopId));
  return shop?.mapping ?? null;
}

export async function saveMapping(db: Db, shopId: string, mapping: unknown): Promise<void> {
  await db.update(shops).set({ mapping }).where(eq(shops.id, shopId));
}

export async function countPostings(db: Db, ledgerId: string): Promise<number> {
  const [posted] = await db.select({ n: sql<number>`count(*)::int` }).from(postings).where(eq(postings.ledgerId, ledgerId));
  return posted!.n;
}

/** The ledger's system with its sealed keys and settings; the local ledger has neither. */
export type LedgerConnectionRow = { system: 'local'; credentials: null; settings: null } | { system: string; credentials: string; settings: unknown };

export async function saveLedgerConnection(db: Db, ledgerId: string, connection: LedgerConnectionRow): Promise<void> {
  await db.update(ledgers).set(connection).where(eq(ledgers.id, ledgerId));
}

export async function setMonthlyQuota(db: Db, ledgerId: string, monthlyQuota: number | null): Promise<void> {
  await db.update(ledgers).set({ monthlyQuota }).where(eq(ledgers.id, ledgerId));
}
