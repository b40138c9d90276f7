/**
 * The queries behind the acquirer and payout routes (src/api/routes/payouts.ts): a shop's acquirer connections, its
 * payouts page by page, and the failed ones to restart. Routes hold no SQL (issue 15, point 4).
 */
import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { acquirerConnections, payouts } from '../../db/schema';

export type AcquirerConnectionRow = typeof acquirerConnections.$inferSelect;
export type PayoutRow = typeof payouts.$inferSelect;

/** The shop's connection with this id; undefined for another shop's, as for one that does not exist. */
export async function acquirerConnectionOf(db: Db, shopId: string, connectionId: string): Promise<AcquirerConnectionRow | undefined> {
  const [c] = await db
    .select()
    .from(acquirerConnections)
    .where(and(eq(acquirerConnections.shopId, shopId), eq(acquirerConnections.id, connectionId)));
  return c;
}

/** A new connection; `credentials` are already sealed (bound to the shop and the connection's id). */
export async function insertAcquirerConnection(
  db: Db,
  connection: { id: string; shopId: string; acquirer: string; source: string; credentials: string | null },
): Promise<void> {
  await db.insert(acquirerConnections).values(connection);
}

export async function saveCsvMapping(db: Db, connectionId: string, csvMapping: unknown): Promise<void> {
  await db.update(acquirerConnections).set({ csvMapping }).where(eq(acquirerConnections.id, connectionId));
}

export interface PayoutFilter {
  statuses?: string[];
  errorCode?: string;
}

/** One page of the shop's payouts by payout id after `cursor`, and the cursor of the next page (null on the last). */
export async function payoutPage(db: Db, shopId: string, filter: PayoutFilter, page: { limit: number; cursor?: string }) {
  const where: SQL[] = [eq(payouts.shopId, shopId)];
  if (filter.statuses) where.push(inArray(payouts.status, filter.statuses));
  if (filter.errorCode) where.push(eq(payouts.errorCode, filter.errorCode));
  if (page.cursor) where.push(gt(payouts.payoutId, page.cursor));
  const rows = await db.select().from(payouts).where(and(...where)).orderBy(asc(payouts.payoutId)).limit(page.limit + 1);
  const shown = rows.slice(0, page.limit);
  return { rows: shown, nextCursor: rows.length > page.limit ? shown.at(-1)!.payoutId : null };
}

export async function payoutOf(db: Db, shopId: string, connectionId: string, payoutId: string): Promise<PayoutRow | undefined> {
  const [p] = await db
    .select()
    .from(payouts)
    .where(and(eq(payouts.shopId, shopId), eq(payouts.connectionId, connectionId), eq(payouts.payoutId, payoutId)));
  return p;
}

/** The shop's failed payouts (of one error code when given), by connection and payout id. */
export async function failedPayouts(db: Db, shopId: string, errorCode?: string) {
  const where: SQL[] = [eq(payouts.shopId, shopId), eq(payouts.status, 'failed')];
  if (errorCode) where.push(eq(payouts.errorCode, errorCode));
  return db.select({ connectionId: payouts.connectionId, payoutId: payouts.payoutId }).from(payouts).where(and(...where));
}
