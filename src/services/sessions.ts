import { randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { merchants, people, sessions, shops } from '../../db/schema';
import type { Role } from '../domain/roles';
import { hashToken, newToken, shopVisibleToPerson, visibleShops } from './people';

/** A session ends this long after sign-in, whatever happens… */
export const SESSION_HOURS = 7 * 24;
/** …and earlier when unused this long (a browser left open on a shared computer). */
export const SESSION_IDLE_HOURS = 8;
/** A session last used before this is over. */
const idleDeadline = sql`now() - interval '${sql.raw(String(SESSION_IDLE_HOURS))} hours'`;

export interface SessionPerson {
  id: string;
  email: string;
  name: string;
  role: Role;
  merchantId: string | null;
}

export interface ActiveSession {
  tokenHash: string;
  csrfToken: string;
  person: SessionPerson;
}

/** Starts a session for the person: the token goes in the cookie, only its hash in the table. */
export async function startSession(db: Db, personId: string): Promise<{ token: string; csrfToken: string }> {
  const token = newToken();
  const csrfToken = randomBytes(24).toString('base64url');
  await db.insert(sessions).values({ tokenHash: hashToken(token), personId, csrfToken, expiresAt: new Date(Date.now() + SESSION_HOURS * 3600_000) });
  await forgetEndedSessions(db);
  return { token, csrfToken };
}

/**
 * Deletes sessions past their end or idle deadline, a bounded number per call. Run at each sign-in, so the table
 * holds live sessions and at most a few dead ones, without a sweeper process; an ended session opens nothing either way.
 */
export async function forgetEndedSessions(db: Db, atMost = 100): Promise<number> {
  const ended = db
    .select({ tokenHash: sessions.tokenHash })
    .from(sessions)
    .where(or(lte(sessions.expiresAt, sql`now()`), lte(sessions.lastSeenAt, idleDeadline)))
    .limit(atMost);
  const gone = await db.delete(sessions).where(inArray(sessions.tokenHash, ended)).returning({ tokenHash: sessions.tokenHash });
  return gone.length;
}

/**
 * The session a cookie's token opens, or null when it is unknown, past its end or idle too long. Using it moves its
 * idle deadline on; at most once a minute, so reading a page of the app is not a write per request.
 *
 * With `shopId` (a shop route's X-Shop-Id) the same query answers whether the person may see that shop, so a shop
 * request signed in by session costs one query, as one signed in by key does.
 */
export async function findSession(db: Db, token: string, shopId?: string): Promise<(ActiveSession & { shopVisible: boolean }) | null> {
  const tokenHash = hashToken(token);
  const [found] = await db
    .select({
      csrfToken: sessions.csrfToken,
      stale: sql<boolean>`${sessions.lastSeenAt} < now() - interval '1 minute'`,
      shopVisible: sql<boolean>`${shops.id} is not null`,
      person: { id: people.id, email: people.email, name: people.name, role: people.role, merchantId: people.merchantId },
    })
    .from(sessions)
    .innerJoin(people, eq(people.id, sessions.personId))
    // Another merchant's shop joins nothing, exactly as a shop that does not exist.
    .leftJoin(shops, shopId === undefined ? sql`false` : and(eq(shops.id, shopId), shopVisibleToPerson))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, sql`now()`), gt(sessions.lastSeenAt, idleDeadline)));
  if (!found) return null;
  if (found.stale) await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.tokenHash, tokenHash));
  return { tokenHash, csrfToken: found.csrfToken, shopVisible: found.shopVisible, person: { ...found.person, role: found.person.role as Role } };
}

/** Ends a session for good: the row goes, so the cookie opens nothing even if it was copied. */
export async function endSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** What the app is told about a session (docs/APP.md `Session`). */
export async function describeSession(db: Db, session: { csrfToken: string; person: SessionPerson }) {
  const { person } = session;
  const [merchant] = person.merchantId ? await db.select({ id: merchants.id, name: merchants.name }).from(merchants).where(eq(merchants.id, person.merchantId)) : [];
  return {
    person: { id: person.id, email: person.email, name: person.name, role: person.role },
    merchant: merchant ?? null,
    shops: await visibleShops(db, person),
    csrfToken: session.csrfToken,
  };
}
