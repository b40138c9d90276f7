import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ledgers, merchants, orders, payouts, refunds, shops } from '../../db/schema';
import { pendingHandoffsByShop } from './intake-handoffs';
import { counted, WAITING_TOO_LONG_MS, waitingTooLong, type Counted } from './shop-overview';

export interface StuckCounts {
  failed: number;
  quotaBlocked: number;
  queued: number;
  needsCorrection: number;
  /** still waiting, arrived more than a day ago (the same as the shop's overview) */
  waitingTooLong: number;
}

const none = (): StuckCounts => ({ failed: 0, quotaBlocked: 0, queued: 0, needsCorrection: 0, waitingTooLong: 0 });

/**
 * The operator's list: every shop with what is stuck in it (orders, refunds and payouts together), and for each kind
 * of stuck the Temporal UI's list of exactly those workflows, by the saved-view queries of the README; and the
 * deliveries stored but not yet handed to Temporal (the intake relay's backlog).
 */
export async function attentionByShop(db: Db, temporalUi: { url: string; namespace: string }, now = new Date()) {
  const beforeDate = new Date(now.getTime() - WAITING_TOO_LONG_MS);
  const before = beforeDate.toISOString();
  const perTable = (table: Counted) =>
    db
      .select({
        shopId: table.shopId,
        failed: counted(table, 'failed'),
        quotaBlocked: counted(table, 'quota_blocked'),
        queued: counted(table, 'queued'),
        needsCorrection: counted(table, 'needs_correction'),
        waitingTooLong: waitingTooLong(table, beforeDate),
      })
      .from(table)
      .where(inArray(table.status, ['failed', 'quota_blocked', 'queued', 'waiting', 'needs_correction']))
      .groupBy(table.shopId);
  const counts = new Map<string, StuckCounts>();
  for (const r of [...(await perTable(orders)), ...(await perTable(refunds)), ...(await perTable(payouts))]) {
    const t = counts.get(r.shopId) ?? none();
    for (const k of Object.keys(t) as (keyof StuckCounts)[]) t[k] += r[k];
    counts.set(r.shopId, t);
  }
  const rows = await db
    .select({ shopId: shops.id, name: shops.name, merchant: merchants.name, ledgerId: ledgers.id, mode: ledgers.mode, system: ledgers.system })
    .from(shops)
    .innerJoin(ledgers, eq(ledgers.id, shops.ledgerId))
    .leftJoin(merchants, eq(merchants.id, shops.merchantId))
    .orderBy(asc(shops.name), asc(shops.id));
  const list = (query: string) => `${temporalUi.url.replace(/\/$/, '')}/namespaces/${encodeURIComponent(temporalUi.namespace)}/workflows?query=${encodeURIComponent(query)}`;
  // Temporal's list queries take no relative dates: "a day ago" is written out, as the README's saved view says.
  const queries = (shopId: string) => ({
    all: `ShopId="${shopId}"`,
    failed: `BookingStatus="failed" AND ShopId="${shopId}"`,
    quotaBlocked: `BookingStatus="quota_blocked" AND ShopId="${shopId}"`,
    needsCorrection: `BookingStatus="needs_correction" AND ShopId="${shopId}"`,
    waitingTooLong: `BookingStatus="waiting" AND StartTime < "${before}" AND ShopId="${shopId}"`,
  });
  const intake = await pendingHandoffsByShop(db);
  return {
    waitingBefore: before,
    temporalUiUrl: temporalUi.url,
    shops: rows.map((s) => {
      const q = queries(s.shopId);
      return {
        ...s,
        stuck: counts.get(s.shopId) ?? none(),
        intake: intake.get(s.shopId) ?? { pending: 0, oldestSince: null },
        temporalUi: Object.fromEntries(Object.entries(q).map(([k, v]) => [k, list(v)])) as Record<keyof typeof q, string>,
      };
    }),
  };
}
