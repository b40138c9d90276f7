/**
 * The queries behind the order and refund routes (src/api/routes/orders.ts): one order, one refund with its order's
 * number, and a booking's timeline. Lists and selections are in ./sales. Routes hold no SQL (issue 15, point 4).
 */
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { bookingEvents, orders, refunds } from '../../db/schema';
import type { RefundRow } from './sales';

export type OrderRow = typeof orders.$inferSelect;

/** The shop's order with this id; undefined for another shop's, as for one that does not exist. */
export async function orderOf(db: Db, shopId: string, orderId: string): Promise<OrderRow | undefined> {
  const [order] = await db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.orderId, orderId)));
  return order;
}

/** The shop's refund with this id and its order's number (null while the order is not known yet). */
export async function refundOf(db: Db, shopId: string, refundId: string): Promise<RefundRow | undefined> {
  const [row] = await db
    .select({ refund: refunds, orderNumber: orders.orderNumber })
    .from(refunds)
    .leftJoin(orders, and(eq(orders.shopId, refunds.shopId), eq(orders.orderId, refunds.orderId)))
    .where(and(eq(refunds.shopId, shopId), eq(refunds.refundId, refundId)));
  return row;
}

/** Every state change of an order's or a refund's booking, oldest first. */
export async function bookingTimeline(db: Db, shopId: string, subject: 'order' | 'refund', subjectId: string) {
  return db
    .select({ at: bookingEvents.at, status: bookingEvents.status, reason: bookingEvents.reason })
    .from(bookingEvents)
    .where(and(eq(bookingEvents.shopId, shopId), eq(bookingEvents.subject, subject), eq(bookingEvents.subjectId, subjectId)))
    .orderBy(asc(bookingEvents.id));
}
