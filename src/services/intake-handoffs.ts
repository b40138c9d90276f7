import { asc, count, min, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { intakeHandoffs } from '../../db/schema';
import type { Order, Refund } from '../domain/order';

/**
 * What a stored delivery still owes Temporal (README "How intake works"): the signal-with-start of an order's or a
 * refund's booking with its snapshot, or the start of a refund's fetch from the store. The relay
 * (src/services/intake-relay.ts) hands them over; the door only stores them.
 */
export type Handoff =
  // ledgerId, orderNumber: the booking's search attributes at start (src/services/intake.ts); absent in hand-offs
  // stored before they were carried.
  | { kind: 'order'; shopName: string; ledgerId?: string; snapshot: Order; historical?: boolean }
  | { kind: 'refund'; shopName: string; ledgerId?: string; orderNumber?: string; snapshot: Refund }
  | { kind: 'refund_fetch'; refundId: string };

/** NOTIFY channel the door raises on commit; its payload is the task queue, the relay's wake-up. */
export const handoffNotifyChannel = 'intake_handoffs';

/** The advisory-lock class of an order's intake (the two-key form: no clash with single-key locks). */
const ORDER_INTAKE_LOCK = 1_616;

/**
 * Serialises the deliveries of one order until the transaction ends. Taken before anything is written, it makes the
 * ids of an order's hand-offs follow commit order: the relay never sees a later one before an earlier one commits.
 */
export async function lockOrderIntake(tx: Db, shopId: string, orderId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ORDER_INTAKE_LOCK}, hashtext(${`${shopId}/${orderId}`}))`);
}

/** Stores an order's hand-offs in the caller's transaction; the relay is woken when it commits. */
export async function storeHandoffs(tx: Db, taskQueue: string, shopId: string, orderId: string, handoffs: readonly Handoff[]): Promise<void> {
  if (handoffs.length === 0) return;
  await tx.insert(intakeHandoffs).values(handoffs.map(({ kind, ...payload }) => ({ shopId, orderId, taskQueue, kind, payload })));
  await tx.execute(sql`select pg_notify(${handoffNotifyChannel}, ${taskQueue})`);
}

export interface PendingHandoffs {
  pending: number;
  /** When the oldest pending hand-off was stored: how far the relay is behind. */
  oldestSince: string | null;
}

/** Pending hand-offs per shop, for the operator: how many, and since when. */
export async function pendingHandoffsByShop(db: Db): Promise<Map<string, PendingHandoffs>> {
  const rows = await db
    .select({ shopId: intakeHandoffs.shopId, pending: count(), oldest: min(intakeHandoffs.createdAt) })
    .from(intakeHandoffs)
    .groupBy(intakeHandoffs.shopId)
    .orderBy(asc(intakeHandoffs.shopId));
  return new Map(rows.map((r) => [r.shopId, { pending: r.pending, oldestSince: r.oldest ? new Date(r.oldest).toISOString() : null }]));
}
