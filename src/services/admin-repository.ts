/**
 * The queries behind the operator's shop routes (src/api/routes/admin.ts); keys and secrets are replaced in
 * ./shop-keys. Routes hold no SQL (issue 15, point 4).
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ledgers, shops } from '../../db/schema';

/** Every shop with its ledger, oldest first; never their keys. */
export async function allShops(db: Db) {
  const rows = await db
    .select({ shopId: shops.id, name: shops.name, ledgerId: ledgers.id, mode: ledgers.mode, merchantId: shops.merchantId, createdAt: shops.createdAt })
    .from(shops)
    .innerJoin(ledgers, eq(ledgers.id, shops.ledgerId))
    .orderBy(asc(shops.createdAt));
  return rows;
}
