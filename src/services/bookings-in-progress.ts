/**
 * Whether a shop's next booking starts behind other shops' work (src/temporal/fairness.ts, BOOKINGS_AHEAD_PER_SHOP):
 * when the shop already has that many orders accepted or working and not finished. An order that has waited long for
 * a status the shop books (unpaid) is not in progress: only rows touched in the last minutes count.
 */
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { orders } from '../../db/schema';
import { BOOKINGS_AHEAD_PER_SHOP } from '../temporal/fairness';

const IN_PROGRESS = ['waiting', 'queued', 'posting'];

export async function shopHasBacklog(db: Db, shopId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(
      db
        .select({ one: sql`1` })
        .from(orders)
        .where(and(eq(orders.shopId, shopId), inArray(orders.status, IN_PROGRESS), gt(orders.updatedAt, sql`now() - interval '10 minutes'`)))
        .limit(BOOKINGS_AHEAD_PER_SHOP)
        .as('in_progress'),
    );
  return row!.n >= BOOKINGS_AHEAD_PER_SHOP;
}
