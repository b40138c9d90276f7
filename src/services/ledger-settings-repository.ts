/**
 * The queries behind the mapping and ledger routes (src/api/routes/ledger.ts): the shop's booking mapping, the
 * ledger's connection and quota, and how many postings it holds. Routes hold no SQL (issue 15, point 4).
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ledgers, postings, shops } from '../../db/schema';

/** The ledger the shop books into (which other shops may share): every shop route that works on the ledger starts here. */
export async function ledgerOfShop(db: Db, shopId: string) {
  const ledger = await findLedgerOfShop(db, shopId);
  if (!ledger) throw new Error(`shop ${shopId} has no ledger`);
  return ledger;
}

/** The same, or undefined for a shop with no ledger (gone, or never connected). */
export async function findLedgerOfShop(db: Db, shopId: string) {
  const [row] = await db.select({ ledger: ledgers }).from(shops).innerJoin(ledgers, eq(ledgers.id, shops.ledgerId)).where(eq(shops.id, shopId));
  return row?.ledger;
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

/** The ledger's system with its company (adapters/ledgers/company.ts), sealed keys and settings; the local ledger has no keys or settings. */
export type LedgerConnectionRow = { company: string } & ({ system: 'local'; credentials: null; settings: null } | { system: string; credentials: string; settings: unknown });

export async function saveLedgerConnection(db: Db, ledgerId: string, connection: LedgerConnectionRow): Promise<void> {
  await db.update(ledgers).set(connection).where(eq(ledgers.id, ledgerId));
}

export async function setMonthlyQuota(db: Db, ledgerId: string, monthlyQuota: number | null): Promise<void> {
  await db.update(ledgers).set({ monthlyQuota }).where(eq(ledgers.id, ledgerId));
}
