import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { bookingEvents, ledgers, orders } from '../../db/schema';

/** How many bookings of the ledger's shop stopped as failed since `since`: a trial with any stays on drafts. */
export async function countFailedPostingsSince(db: Db, ledgerId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(bookingEvents)
    .innerJoin(ledgers, eq(ledgers.shopId, bookingEvents.shopId))
    .where(and(eq(ledgers.id, ledgerId), eq(bookingEvents.status, 'failed'), gte(bookingEvents.at, since)));
  return Number(row?.n ?? 0);
}

/** The shop's orders whose invoice waits as a draft for review. */
export async function draftedOrderIds(db: Db, shopId: string): Promise<string[]> {
  const rows = await db.select({ id: orders.orderId }).from(orders).where(and(eq(orders.shopId, shopId), eq(orders.status, 'drafted')));
  return rows.map((r) => r.id);
}
