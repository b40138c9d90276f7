import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client';
import { requestWindows } from '../../../db/schema';

/**
 * The calls one vendor account may start, counted across every process: a vendor's limit is per account, not per
 * process, and the API (setup checks, account lists) and each worker (postings) call the same account.
 */
export interface RequestWindow {
  /** Takes a start if the window has room and no pause holds; otherwise answers how many ms to wait first. */
  take(limit: number, spanMs: number): Promise<number>;
  /** No start before `ms` from now (the vendor answered 429). */
  pause(ms: number): Promise<void>;
}

const interval = (ms: number) => sql`${`${Math.round(ms)} milliseconds`}::interval`;

/**
 * A window kept in PostgreSQL, one row per key, with the database's clock as the one clock every process agrees on:
 * `clock_timestamp()`, the moment the row is written, not `now()`, the moment the statement began (before it waited
 * for the row lock, so a start would be dated earlier than it left and free its slot too soon).
 * A take is one statement on every request start: an upsert whose row lock makes concurrent takes wait for each other,
 * which appends this start (and drops the ones out of the window) only when there is room and no pause holds. Only a
 * refused take reads the row again, to say how long to wait.
 */
export function postgresRequestWindow(db: Db, key: string): RequestWindow {
  return {
    async take(limit, spanMs) {
      const kept = sql`array(select s from unnest(${requestWindows.starts}) s where s > clock_timestamp() - ${interval(spanMs)} order by s)`;
      const admitted = await db
        .insert(requestWindows)
        .values({ key, starts: sql`array[clock_timestamp()]` })
        .onConflictDoUpdate({
          target: requestWindows.key,
          set: { starts: sql`${kept} || clock_timestamp()` },
          setWhere: sql`cardinality(${kept}) < ${limit} and coalesce(${requestWindows.pausedUntil} <= clock_timestamp(), true)`,
        })
        .returning({ key: requestWindows.key });
      if (admitted.length) return 0;
      const [row] = await db
        .select({ starts: requestWindows.starts, pausedUntil: requestWindows.pausedUntil, now: sql<string>`clock_timestamp()` })
        .from(requestWindows)
        .where(eq(requestWindows.key, key));
      const now = Date.parse(row!.now);
      const inWindow = row!.starts.map((s) => Date.parse(s)).filter((t) => t > now - spanMs).sort((a, b) => a - b);
      const full = inWindow.length >= limit ? inWindow[0]! + spanMs - now : 0;
      const paused = row!.pausedUntil ? Date.parse(row!.pausedUntil) - now : 0;
      // Refused: at least 1 ms, even if the window freed up since (the caller takes again after it).
      return Math.max(1, Math.ceil(Math.max(full, paused)));
    },
    async pause(ms) {
      await db
        .insert(requestWindows)
        .values({ key, pausedUntil: sql`clock_timestamp() + ${interval(ms)}` })
        .onConflictDoUpdate({
          target: requestWindows.key,
          set: { pausedUntil: sql`greatest(${requestWindows.pausedUntil}, excluded.paused_until)` },
        });
    },
  };
}
