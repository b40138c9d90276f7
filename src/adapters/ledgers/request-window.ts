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

/**
 * A window kept in PostgreSQL: one row per key, locked for the moment of a take, with the database's clock as the
 * one clock every process agrees on.
 */
export function postgresRequestWindow(db: Db, key: string): RequestWindow {
  return {
    async take(limit, spanMs) {
      await db.insert(requestWindows).values({ key }).onConflictDoNothing();
      return db.transaction(async (tx) => {
        const [row] = await tx
          .select({ starts: requestWindows.starts, pausedUntil: requestWindows.pausedUntil, now: sql<string>`now()` })
          .from(requestWindows)
          .where(eq(requestWindows.key, key))
          .for('update');
        const now = Date.parse(row!.now);
        const kept = row!.starts.map((s) => Date.parse(s)).filter((t) => t > now - spanMs);
        const full = kept.length >= limit ? kept[0]! + spanMs - now : 0;
        const paused = row!.pausedUntil ? Date.parse(row!.pausedUntil) - now : 0;
        const wait = Math.max(full, paused);
        const starts = wait > 0 ? kept : [...kept, now];
        await tx
          .update(requestWindows)
          .set({ starts: starts.map((t) => new Date(t).toISOString()) })
          .where(eq(requestWindows.key, key));
        return Math.max(0, Math.ceil(wait));
      });
    },
    async pause(ms) {
      await db.insert(requestWindows).values({ key }).onConflictDoNothing();
      await db
        .update(requestWindows)
        .set({ pausedUntil: sql`greatest(coalesce(${requestWindows.pausedUntil}, now()), now() + ${`${Math.round(ms)} milliseconds`}::interval)` })
        .where(eq(requestWindows.key, key));
    },
  };
}
