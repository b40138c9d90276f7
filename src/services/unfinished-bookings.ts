import { and, desc, eq, gte, inArray, lte, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { bookingEvents, orders, payouts, refunds } from '../../db/schema';
import { describeError } from '../domain/errors';

/** A booking of the period that is not (or not yet) in the books, and why. */
export interface UnfinishedBooking {
  subject: 'order' | 'refund' | 'payout';
  id: string;
  /** The order number a person sees in the shop (orders and refunds). */
  orderNumber: string | null;
  /** The day the booking belongs to: the order's or refund's date, the payout's date. */
  date: string;
  status: string;
  errorCode: string | null;
  reason: string;
}

/** Final states: booked, not to be booked (before the start date), or ended without a booking (cancelled). */
const finished = ['booked', 'skipped', 'cancelled'];

/**
 * Orders, refunds and payouts of the period on this ledger that are not booked: failed with their error's message and
 * fix, waiting, held, drafted or queued with the last reason their timeline gave.
 */
export async function unfinishedBookings(db: Db, ledgerId: string, from: string, to: string): Promise<UnfinishedBooking[]> {
  const dayOf = (snapshot: typeof orders.snapshot | typeof refunds.snapshot) => sql<string>`substr(${snapshot}->>'createdAt', 1, 10)`;
  const orderRows = await db
    .select({ shopId: orders.shopId, id: orders.orderId, orderNumber: orders.orderNumber, date: dayOf(orders.snapshot), status: orders.status, errorCode: orders.errorCode })
    .from(orders)
    .where(and(eq(orders.ledgerId, ledgerId), notInArray(orders.status, finished), gte(dayOf(orders.snapshot), from), lte(dayOf(orders.snapshot), to)));
  const refundRows = await db
    .select({ shopId: refunds.shopId, id: refunds.refundId, orderNumber: orders.orderNumber, date: dayOf(refunds.snapshot), status: refunds.status, errorCode: refunds.errorCode })
    .from(refunds)
    .leftJoin(orders, and(eq(orders.shopId, refunds.shopId), eq(orders.orderId, refunds.orderId)))
    .where(and(eq(refunds.ledgerId, ledgerId), notInArray(refunds.status, finished), gte(dayOf(refunds.snapshot), from), lte(dayOf(refunds.snapshot), to)));
  const payoutRows = await db
    .select({ shopId: payouts.shopId, connectionId: payouts.connectionId, payoutId: payouts.payoutId, date: payouts.paidOutAt, status: payouts.status, errorCode: payouts.errorCode })
    .from(payouts)
    .where(and(eq(payouts.ledgerId, ledgerId), notInArray(payouts.status, finished), gte(payouts.paidOutAt, from), lte(payouts.paidOutAt, to)));

  const all = [
    ...orderRows.map((r) => ({ ...r, subject: 'order' as const })),
    ...refundRows.map((r) => ({ ...r, subject: 'refund' as const })),
    ...payoutRows.map((r) => ({ ...r, id: `${r.connectionId}/${r.payoutId}`, orderNumber: null, subject: 'payout' as const })),
  ];
  const reasons = await lastReasons(db, all);
  return all
    .map((r) => ({
      subject: r.subject,
      id: r.id,
      orderNumber: r.orderNumber ?? null,
      date: r.date,
      status: r.status,
      errorCode: r.errorCode,
      reason: r.errorCode ? `${describeError(r.errorCode).message} ${describeError(r.errorCode).fix}` : (reasons.get(`${r.subject}:${r.id}`) ?? r.status),
    }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.subject.localeCompare(b.subject) || a.id.localeCompare(b.id));
}

/** The latest reason each booking's timeline gave (e.g. "order status "pending" is not one the shop books"). */
async function lastReasons(db: Db, subjects: { shopId: string; subject: string; id: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (subjects.length === 0) return out;
  const rows = await db
    .selectDistinctOn([bookingEvents.subject, bookingEvents.subjectId], { subject: bookingEvents.subject, subjectId: bookingEvents.subjectId, reason: bookingEvents.reason })
    .from(bookingEvents)
    .where(and(inArray(bookingEvents.shopId, [...new Set(subjects.map((s) => s.shopId))]), inArray(bookingEvents.subjectId, subjects.map((s) => s.id))))
    .orderBy(bookingEvents.subject, bookingEvents.subjectId, desc(bookingEvents.id));
  for (const r of rows) if (r.reason) out.set(`${r.subject}:${r.subjectId}`, r.reason);
  return out;
}
