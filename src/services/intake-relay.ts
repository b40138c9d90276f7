import type { Client } from '@temporalio/client';
import { eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client';
import { intakeHandoffs } from '../../db/schema';
import { startChannelRefundFetches } from './channel-refunds';
import { handoffNotifyChannel, type Handoff } from './intake-handoffs';
import { shopHasBacklog } from './bookings-in-progress';
import { bookOrder, bookRefund } from './intake';

export interface RelayOptions {
  db: Db;
  temporal: Client;
  /** The relay hands over what APIs of this task queue took, to this task queue. */
  taskQueue: string;
  log: Pick<Logger, 'warn' | 'error'>;
  /** LISTEN on the database (db/client.ts): a stored delivery wakes the relay at once. Without it, it polls only. */
  listen?: (channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>;
  /** The fallback when no notification comes (a lost one, a retry that is due): how often it looks anyway. */
  pollMs?: number;
  /** Hand-offs taken per round: at most this many orders are handed over at once. */
  batch?: number;
  /** How long Temporal may take to answer one hand-off before it counts as failed (then retried). */
  callTimeoutMs?: number;
}

/** Retries wait 1 s, 2 s, 4 s … up to this. */
const MAX_BACKOFF_MS = 30_000;
/** A hand-off taken by a relay that died is taken again after this (well above callTimeoutMs). */
const LEASE_MS = 60_000;

type Claimed = typeof intakeHandoffs.$inferSelect;

/**
 * The relay between stored deliveries and Temporal: it takes the oldest pending hand-off of each order (shops take
 * turns: a shop's 10,000 pending orders do not delay another shop's first), signals it, and deletes it once Temporal
 * has it. An order's next hand-off is only taken after the one before it is handed over, so its snapshots arrive in
 * the order they were stored. A hand-off that fails (Temporal away) is retried with backoff, its order's later ones
 * behind it. Several relays may run: a hand-off is taken with a lease, under FOR UPDATE SKIP LOCKED.
 */
export function startIntakeRelay(opts: RelayOptions): { stop(): Promise<void> } {
  const { db, taskQueue, log } = opts;
  const pollMs = opts.pollMs ?? 2_000;
  const batch = opts.batch ?? 32;
  const callTimeoutMs = opts.callTimeoutMs ?? 10_000;
  let stopped = false;
  let wake: (() => void) | undefined;
  let woken = false;
  const nudge = () => {
    woken = true;
    wake?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      const timer = setTimeout(() => {
        wake = undefined;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
    });

  async function handOver(row: Claimed): Promise<void> {
    const h = { kind: row.kind, ...(row.payload as object) } as Handoff;
    const intake = { db, temporal: opts.temporal, taskQueue: row.taskQueue };
    // Judged when handed over, not when stored: a shop with many bookings in progress starts behind the others.
    const backlog = h.kind === 'order' && (h.historical || (await shopHasBacklog(db, row.shopId)));
    await opts.temporal.withDeadline(Date.now() + callTimeoutMs, async () => {
      if (h.kind === 'order') await bookOrder(opts.temporal, row.taskQueue, { ...h, shopId: row.shopId, backlog });
      else if (h.kind === 'refund') await bookRefund(opts.temporal, row.taskQueue, { ...h, shopId: row.shopId });
      else await startChannelRefundFetches(intake, row.shopId, row.orderId, [h.refundId]);
    });
  }

  async function settle(row: Claimed): Promise<void> {
    try {
      await handOver(row);
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      const backoffMs = Math.min(1_000 * 2 ** (row.attempts - 1), MAX_BACKOFF_MS);
      // Ids and Temporal's message only: the payload (the customer's order) stays out of the log.
      log.warn({ handoff: row.id, shopId: row.shopId, orderId: row.orderId, kind: row.kind, attempts: row.attempts, retryInMs: backoffMs, error: message }, 'intake hand-off to Temporal failed; retrying');
      await db
        .update(intakeHandoffs)
        .set({ claimedUntil: null, lastError: message, nextAttemptAt: sql`now() + ${backoffMs} * interval '1 millisecond'` })
        .where(eq(intakeHandoffs.id, row.id));
      return;
    }
    // Handed over: the delivery itself stays in channel_events; the outbox entry has done its work.
    await db.delete(intakeHandoffs).where(eq(intakeHandoffs.id, row.id));
  }

  async function claim(): Promise<Claimed[]> {
    // Each order's head (its oldest pending hand-off) that is due and free, ranked per shop; shops take turns.
    const due = sql`select id from (
        select id, row_number() over (partition by shop_id order by id) as turn from (
          select distinct on (shop_id, order_id) id, shop_id, next_attempt_at, claimed_until
          from ${intakeHandoffs} where task_queue = ${taskQueue} order by shop_id, order_id, id
        ) heads where next_attempt_at <= now() and (claimed_until is null or claimed_until < now())
      ) ranked order by turn, id limit ${batch}`;
    return db
      .update(intakeHandoffs)
      .set({ claimedUntil: sql`now() + ${LEASE_MS} * interval '1 millisecond'`, attempts: sql`${intakeHandoffs.attempts} + 1` })
      .where(
        sql`${intakeHandoffs.id} in (select id from ${intakeHandoffs} where id in (${due})
          and (claimed_until is null or claimed_until < now()) for update skip locked)`,
      )
      .returning();
  }

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopped) {
      woken = false;
      let claimed: Claimed[];
      try {
        claimed = await claim();
        failures = 0;
      } catch (err) {
        failures++;
        log.error({ error: err instanceof Error ? err.message : String(err) }, 'intake relay could not read pending hand-offs');
        await sleep(Math.min(1_000 * 2 ** failures, MAX_BACKOFF_MS));
        continue;
      }
      // Different orders: handed over side by side.
      await Promise.all(claimed.map((row) => settle(row).catch((err) => log.error({ handoff: row.id, error: err instanceof Error ? err.message : String(err) }, 'intake relay could not record a hand-off'))));
      if (claimed.length < batch) await sleep(pollMs);
    }
  }

  const listening = opts.listen?.(handoffNotifyChannel, (payload) => payload === taskQueue && nudge()).catch((err) => {
    log.warn({ error: err instanceof Error ? err.message : String(err) }, 'intake relay cannot LISTEN; polling only');
    return undefined;
  });
  const running = run();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await running;
      await (await listening)?.();
    },
  };
}
