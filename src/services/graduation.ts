import { and, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { bookingEvents, orders, shops } from '../../db/schema';

/** How many bookings of the ledger's shops stopped as failed since `since`: a trial with any stays on drafts. */
export async function countFailedPostingsSince(db: Db, ledgerId: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(bookingEvents)
    .innerJoin(shops, eq(shops.id, bookingEvents.shopId))
    .where(and(eq(shops.ledgerId, ledgerId), eq(bookingEvents.status, 'failed'), gte(bookingEvents.at, since)));
  return Number(row?.n ?? 0);
}

/** The shop's orders whose invoice waits as a draft for review. */
export async function draftedOrderIds(db: Db, shopId: string): Promise<string[]> {
  const rows = await db.select({ id: orders.orderId }).from(orders).where(and(eq(orders.shopId, shopId), eq(orders.status, 'drafted')));
  return rows.map((r) => r.id);
}
