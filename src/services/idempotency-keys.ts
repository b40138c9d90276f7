import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { idempotencyKeys } from '../../db/schema';

const DAY_MS = 24 * 3600 * 1000;
/** A claim whose request never answered (its process died) is given up after this long, so the key works again. */
const ABANDONED_CLAIM_MS = 5 * 60 * 1000;
/** status_code of a claimed key whose answer is not known yet (no HTTP status is 0). */
export const CLAIMED = 0;

export type IdempotencyRecord = typeof idempotencyKeys.$inferSelect;

/**
 * Claims a shop's key for one request with a single insert, before any work: of concurrent requests with one key
 * exactly one gets the claim (the primary key decides). A key past its 24 hours, or a claim abandoned by a process
 * that died, is taken over. Answers whether this request holds the claim.
 */
export async function claimIdempotencyKey(db: Db, shopId: string, key: string, fingerprint: string): Promise<boolean> {
  const now = Date.now();
  const rows = await db
    .insert(idempotencyKeys)
    .values({ shopId, key, fingerprint, statusCode: CLAIMED, body: '' })
    .onConflictDoUpdate({
      target: [idempotencyKeys.shopId, idempotencyKeys.key],
      set: { fingerprint, statusCode: CLAIMED, body: '', createdAt: sql`now()` },
      setWhere: or(
        lt(idempotencyKeys.createdAt, new Date(now - DAY_MS)),
        and(eq(idempotencyKeys.statusCode, CLAIMED), lt(idempotencyKeys.createdAt, new Date(now - ABANDONED_CLAIM_MS))),
      ),
    })
    .returning({ key: idempotencyKeys.key });
  return rows.length === 1;
}

export async function findIdempotencyKey(db: Db, shopId: string, key: string): Promise<IdempotencyRecord | undefined> {
  const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.shopId, shopId), eq(idempotencyKeys.key, key)));
  return row;
}

/** The claimed request's answer, replayed to every later request with the key. */
export async function settleIdempotencyKey(db: Db, shopId: string, key: string, statusCode: number, body: string): Promise<void> {
  await db.update(idempotencyKeys).set({ statusCode, body }).where(and(eq(idempotencyKeys.shopId, shopId), eq(idempotencyKeys.key, key)));
}

/** The claimed request failed on our side (5xx): the key is free again, so the client's retry does the work. */
export async function releaseIdempotencyKey(db: Db, shopId: string, key: string): Promise<void> {
  await db
    .delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.shopId, shopId), eq(idempotencyKeys.key, key), eq(idempotencyKeys.statusCode, CLAIMED)));
}
