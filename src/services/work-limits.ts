/**
 * Per-shop limits on work a request starts (issue 17, point 7): one request with 1,000 payouts started 1,000 workflows,
 * and one shop's burst took the worker from every other shop. A request may start at most `perRequest` bookings, and
 * a shop may have at most `runningPerShop` bookings working at once; beyond, the answer names the limit and when to
 * try again, and nothing is stored or started.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { orders, payouts, refunds, settlementUploads } from '../../db/schema';
import { RefusedError } from './errors';

export interface WorkLimits {
  /** Bookings one request may start or restart (WORK_PER_REQUEST). */
  perRequest: number;
  /** Bookings of one shop working at once (RUNNING_WORK_PER_SHOP). */
  runningPerShop: number;
}

export const defaultWorkLimits: WorkLimits = { perRequest: 100, runningPerShop: 200 };

/** When a shop at its limit may try again: bookings that are working finish within seconds to a minute. */
export const retryAfterSeconds = 30;

/**
 * Bookings of the shop that are working now: orders and refunds in their ledger's queue or being posted, and payouts
 * being matched or posted, and settlement files being read (a worker parses them for minutes). Waiting for a status,
 * held, failed or booked ones take nothing and do not count.
 */
export async function runningWork(db: Db, shopId: string): Promise<number> {
  const working = ['queued', 'posting'];
  const count = sql<number>`count(*)::int`;
  const [[o], [r], [p], [u]] = await Promise.all([
    db.select({ n: count }).from(orders).where(and(eq(orders.shopId, shopId), inArray(orders.status, working))),
    db.select({ n: count }).from(refunds).where(and(eq(refunds.shopId, shopId), inArray(refunds.status, working))),
    db.select({ n: count }).from(payouts).where(and(eq(payouts.shopId, shopId), inArray(payouts.status, ['waiting', ...working]))),
    db.select({ n: count }).from(settlementUploads).where(and(eq(settlementUploads.shopId, shopId), inArray(settlementUploads.status, ['received', 'parsing']))),
  ]);
  return o!.n + r!.n + p!.n + u!.n;
}

const busy = (running: number, limits: WorkLimits) =>
  new RefusedError(
    'busy',
    'shop_work_limit',
    `${running} bookings of this shop are working now, and a shop may have at most ${limits.runningPerShop} at once (RUNNING_WORK_PER_SHOP): ` +
      `retry in ${retryAfterSeconds} s (Retry-After); nothing of this request was started.`,
    retryAfterSeconds,
  );

/**
 * For a request that names its bookings (a list of payouts): all of them are admitted or none. More than perRequest
 * is 413 (split it); more than the shop has room for is 429 with Retry-After.
 */
export async function admitAll(db: Db, shopId: string, limits: WorkLimits, what: string, wanted: number): Promise<void> {
  if (wanted > limits.perRequest) {
    throw new RefusedError(
      'too_large',
      'too_many_in_request',
      `${wanted} ${what} in one request; at most ${limits.perRequest} per request (WORK_PER_REQUEST): send them in requests of up to ${limits.perRequest}; nothing of this one was stored.`,
    );
  }
  const running = await runningWork(db, shopId);
  if (running + wanted > limits.runningPerShop) throw busy(running, limits);
}

/**
 * For a request that selects its bookings by a filter (a bulk restart): how many of them it may take now, at most
 * perRequest and what the shop has room for; 429 with Retry-After when that is none.
 */
export async function admitSome(db: Db, shopId: string, limits: WorkLimits, wanted: number): Promise<number> {
  if (wanted === 0) return 0;
  const running = await runningWork(db, shopId);
  const room = Math.min(limits.perRequest, limits.runningPerShop - running);
  if (room <= 0) throw busy(running, limits);
  return Math.min(wanted, room);
}
