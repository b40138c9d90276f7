/**
 * The log of what the shop's channel delivered (webhooks, fetched and polled refunds) as GET /v1/channel/events shows
 * it. Routes hold no SQL (issue 15, point 4).
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { channelEvents } from '../../db/schema';

export type ChannelEventOutcome = 'received' | 'accepted' | 'ignored' | 'rejected';

/** The shop's latest deliveries, newest first, of one outcome when given. */
export async function latestChannelEvents(db: Db, shopId: string, outcome: ChannelEventOutcome | undefined, limit: number) {
  const where = [eq(channelEvents.shopId, shopId)];
  if (outcome) where.push(eq(channelEvents.outcome, outcome));
  return db.select().from(channelEvents).where(and(...where)).orderBy(desc(channelEvents.id)).limit(limit);
}
