/**
 * The queries behind the history and transfer routes (src/api/routes/transfer.ts): a backfill's progress row, what
 * is registered but held back, and switching a shop to automatic transfer. Routes hold no SQL (issue 15, point 4).
 */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { backfills, orders, payouts, refunds, shops } from '../../db/schema';

/** A fresh progress row, there from the first answer on; a running backfill's row is left to it. */
export async function resetBackfillProgress(db: Db, shopId: string, since: string): Promise<void> {
  const fresh = { since, status: 'running', phase: 'channel', pages: 0, orders: 0, refunds: 0, payouts: 0, rejected: 0, error: null, startedAt: new Date(), updatedAt: new Date(), finishedAt: null };
  await db
    .insert(backfills)
    .values({ shopId, ...fresh })
    .onConflictDoUpdate({ target: backfills.shopId, set: fresh, setWhere: ne(backfills.status, 'running') });
}

export async function backfillProgress(db: Db, shopId: string) {
  const [b] = await db.select().from(backfills).where(eq(backfills.shopId, shopId));
  return b;
}

/** Registered (not posted) orders, historical orders among them, refunds and payouts of a shop. */
export async function registeredCounts(db: Db, shopId: string) {
  const count = sql<number>`count(*)::int`;
  const [o] = await db
    .select({ all: count, historical: sql<number>`count(*) filter (where ${orders.historical})::int` })
    .from(orders)
    .where(and(eq(orders.shopId, shopId), eq(orders.status, 'registered')));
  const [r] = await db.select({ n: count }).from(refunds).where(and(eq(refunds.shopId, shopId), eq(refunds.status, 'registered')));
  const [p] = await db.select({ n: count }).from(payouts).where(and(eq(payouts.shopId, shopId), eq(payouts.status, 'registered')));
  return { orders: o?.all ?? 0, historicalOrders: o?.historical ?? 0, refunds: r?.n ?? 0, payouts: p?.n ?? 0 };
}

export async function transferSetting(db: Db, shopId: string) {
  const [shop] = await db.select({ transfer: shops.transfer, activatedAt: shops.activatedAt }).from(shops).where(eq(shops.id, shopId));
  return shop!;
}

/**
 * Switches the shop to automatic transfer (the first activation's time is kept) and answers what is held and may
 * now post: live registered orders and registered payouts. Historical orders stay until marked.
 */
export async function activateTransfer(db: Db, shopId: string) {
  const [shop] = await db
    .update(shops)
    .set({ transfer: 'automatic', activatedAt: sql`coalesce(${shops.activatedAt}, now())` })
    .where(eq(shops.id, shopId))
    .returning({ activatedAt: shops.activatedAt });
  const heldOrders = await db
    .select({ id: orders.orderId })
    .from(orders)
    .where(and(eq(orders.shopId, shopId), eq(orders.status, 'registered'), eq(orders.historical, false)));
  const heldPayouts = await db
    .select({ connectionId: payouts.connectionId, payoutId: payouts.payoutId })
    .from(payouts)
    .where(and(eq(payouts.shopId, shopId), eq(payouts.status, 'registered')));
  return { activatedAt: shop!.activatedAt!, heldOrders, heldPayouts };
}

/** The named orders and payouts of the shop with their status; a payout must match on connection and id. */
export async function markCandidates(db: Db, shopId: string, orderIds: string[], payoutKeys: { connectionId: string; payoutId: string }[]) {
  const found = orderIds.length
    ? await db
        .select({ id: orders.orderId, status: orders.status })
        .from(orders)
        .where(and(eq(orders.shopId, shopId), inArray(orders.orderId, orderIds)))
    : [];
  const foundPayouts = payoutKeys.length
    ? await db
        .select({ connectionId: payouts.connectionId, payoutId: payouts.payoutId, status: payouts.status })
        .from(payouts)
        .where(and(eq(payouts.shopId, shopId), inArray(payouts.payoutId, payoutKeys.map((p) => p.payoutId))))
    : [];
  return { orders: found, payouts: foundPayouts.filter((p) => payoutKeys.some((k) => k.connectionId === p.connectionId && k.payoutId === p.payoutId)) };
}
