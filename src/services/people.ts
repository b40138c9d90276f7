import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ledgers, merchants, passwordResets, people, sessions, shops } from '../../db/schema';
import { normalizeEmail, type Role } from '../domain/roles';
import { newId } from './ids';

/** Reset links are valid this long, and once. */
export const RESET_LINK_HOURS = 24;
export const PASSWORD_MIN_LENGTH = 10;

/** Tokens (reset links, sessions) are long random values, so a plain SHA-256 is enough to store them by. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

/**
 * argon2id with the library's defaults (19 MiB, 2 passes, 1 lane: OWASP's recommended minimum), so a stolen table
 * costs an attacker memory per guess, which GPUs have little of.
 */
export const hashPassword = (password: string) => hash(password);

// Unknown emails are checked against this hash too, so a wrong email takes as long as a wrong password.
let dummyHash: Promise<string> | undefined;

/** The person with this email and password, or null; the same work is done whether or not the email exists. */
export async function checkPassword(db: Db, email: string, password: string): Promise<Person | null> {
  const person = await personByEmail(db, email);
  dummyHash ??= hashPassword(newToken());
  const stored = person?.passwordHash ?? (await dummyHash);
  const ok = await verify(stored, password).catch(() => false);
  return ok && person?.passwordHash ? person : null;
}

export type Person = typeof people.$inferSelect;

export async function personByEmail(db: Db, email: string): Promise<Person | undefined> {
  const [person] = await db.select().from(people).where(eq(people.email, normalizeEmail(email)));
  return person;
}

export async function personById(db: Db, personId: string): Promise<Person | undefined> {
  const [person] = await db.select().from(people).where(eq(people.id, personId));
  return person;
}

export async function createMerchant(db: Db, name: string) {
  const [merchant] = await db.insert(merchants).values({ id: newId('mer'), name }).returning();
  return merchant!;
}

export async function merchantById(db: Db, merchantId: string) {
  const [merchant] = await db.select().from(merchants).where(eq(merchants.id, merchantId));
  return merchant;
}

export async function merchantByName(db: Db, name: string) {
  const [merchant] = await db.select().from(merchants).where(eq(merchants.name, name)).orderBy(asc(merchants.createdAt)).limit(1);
  return merchant;
}

/** Every merchant with its shops' ids and how many people it has. */
export async function listMerchants(db: Db) {
  const rows = await db
    .select({
      id: merchants.id,
      name: merchants.name,
      createdAt: merchants.createdAt,
      shopIds: sql<string[]>`coalesce((select array_agg(${shops.id} order by ${shops.createdAt}) from ${shops} where ${shops.merchantId} = ${merchants.id}), '{}')`,
      people: sql<number>`(select count(*)::int from ${people} where ${people.merchantId} = ${merchants.id})`,
    })
    .from(merchants)
    .orderBy(asc(merchants.createdAt));
  return rows;
}

/** A new person; null when the email is already someone's. Operators have no merchant, everyone else one. */
export async function createPerson(db: Db, input: { merchantId: string | null; email: string; name: string; role: Role }): Promise<Person | null> {
  const [person] = await db
    .insert(people)
    .values({ id: newId('per'), merchantId: input.merchantId, email: normalizeEmail(input.email), name: input.name, role: input.role })
    .onConflictDoNothing()
    .returning();
  return person ?? null;
}

export async function listPeople(db: Db, merchantId: string) {
  return db.select().from(people).where(eq(people.merchantId, merchantId)).orderBy(asc(people.createdAt));
}

/**
 * Removes a person of the merchant (their sessions and reset links go with them): 'not_found' when there is none,
 * 'last_owner' when it would leave the merchant with no owner. The merchant's row is locked first, so two owners
 * removing each other at the same moment cannot both succeed.
 */
export async function removePerson(db: Db, merchantId: string, personId: string): Promise<'removed' | 'not_found' | 'last_owner'> {
  return db.transaction(async (tx) => {
    await tx.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, merchantId)).for('update');
    const staff = await tx.select({ id: people.id, role: people.role }).from(people).where(eq(people.merchantId, merchantId));
    const person = staff.find((p) => p.id === personId);
    if (!person) return 'not_found';
    if (person.role === 'owner' && !staff.some((p) => p.role === 'owner' && p.id !== personId)) return 'last_owner';
    await tx.delete(people).where(eq(people.id, personId));
    return 'removed';
  });
}

/** A reset link's token for the person, valid RESET_LINK_HOURS; only its hash is stored. */
export async function issueResetToken(db: Db, personId: string): Promise<string> {
  const token = newToken();
  await db.insert(passwordResets).values({ tokenHash: hashToken(token), personId, expiresAt: new Date(Date.now() + RESET_LINK_HOURS * 3600_000) });
  await forgetSpentResetLinks(db);
  return token;
}

/** Deletes reset links that were used or ran out, a bounded number per call (run whenever a link is issued). */
export async function forgetSpentResetLinks(db: Db, atMost = 100): Promise<number> {
  const spent = db
    .select({ tokenHash: passwordResets.tokenHash })
    .from(passwordResets)
    .where(or(isNotNull(passwordResets.usedAt), lte(passwordResets.expiresAt, sql`now()`)))
    .limit(atMost);
  const gone = await db.delete(passwordResets).where(inArray(passwordResets.tokenHash, spent)).returning({ tokenHash: passwordResets.tokenHash });
  return gone.length;
}

export const resetLink = (publicUrl: string, token: string) => `${publicUrl.replace(/\/+$/, '')}/app/reset?token=${encodeURIComponent(token)}`;

/** A new reset link for the person, under the app's public address. */
export const newResetLink = async (db: Db, publicUrl: string, personId: string) => resetLink(publicUrl, await issueResetToken(db, personId));

/**
 * Sets the password through a reset link: the link is used up in the same statement that checks it (two tabs
 * cannot both use it), and every session of the person ends, so whoever knew the old password is signed out.
 * False when the link is unknown, used or expired.
 */
export async function setPasswordWithToken(db: Db, token: string, password: string): Promise<boolean> {
  const valid = and(eq(passwordResets.tokenHash, hashToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`));
  // An unknown link costs no hashing.
  const [known] = await db.select({ personId: passwordResets.personId }).from(passwordResets).where(valid);
  if (!known) return false;
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [used] = await tx.update(passwordResets).set({ usedAt: sql`now()` }).where(valid).returning({ personId: passwordResets.personId });
    if (!used) return false;
    await tx.update(people).set({ passwordHash }).where(eq(people.id, used.personId));
    await tx.delete(sessions).where(eq(sessions.personId, used.personId));
    return true;
  });
}

/** The shops a person may see: the merchant's, or every shop for an operator. */
export async function visibleShops(db: Db, person: { role: string; merchantId: string | null }) {
  const rows = await db
    .select({ id: shops.id, name: shops.name, ledgerId: ledgers.id, mode: ledgers.mode })
    .from(shops)
    .innerJoin(ledgers, eq(ledgers.id, shops.ledgerId))
    .where(person.role === 'operator' ? undefined : eq(shops.merchantId, person.merchantId ?? ''))
    .orderBy(asc(shops.createdAt));
  return rows;
}

/**
 * The condition, on a row joining `people` and `shops`, that the person may see the shop: an operator every shop, anyone
 * else their merchant's (a shop of no merchant only by its key). findSession joins by it.
 */
export const shopVisibleToPerson = sql`(${people.role} = 'operator' or ${shops.merchantId} = ${people.merchantId})`;

/** Attaches an existing shop to a merchant; false when the shop does not exist. */
export async function attachShop(db: Db, shopId: string, merchantId: string): Promise<boolean> {
  const updated = await db.update(shops).set({ merchantId }).where(eq(shops.id, shopId)).returning({ id: shops.id });
  return updated.length > 0;
}

export type EnrolResult =
  | { ok: true; personId: string; merchantId: string | null; merchantCreated: boolean; resetLink: string }
  | { ok: false; reason: string };

/**
 * `npm run dev` on an empty database: the first owner, of a demo merchant, so a developer can sign in at once (the
 * banner prints the reset link). Nothing happens once anyone exists.
 */
export async function firstDevOwner(db: Db, publicUrl: string): Promise<{ email: string; resetLink: string } | null> {
  const [anyone] = await db.select({ id: people.id }).from(people).limit(1);
  if (anyone) return null;
  const email = 'owner@example.com';
  const enrolled = await enrolPerson(db, publicUrl, { email, name: 'Shop owner', merchant: 'Demo merchant', role: 'owner' });
  return enrolled.ok ? { email, resetLink: enrolled.resetLink } : null;
}

/**
 * The first person of a merchant, from the command line (npm run person:create): the merchant by name (created
 * when new), the person, optionally an existing shop attached to the merchant, and the reset link.
 */
export async function enrolPerson(
  db: Db,
  publicUrl: string,
  input: { email: string; name: string; merchant?: string; role: Role; shopId?: string },
): Promise<EnrolResult> {
  if (input.role === 'operator' ? input.merchant !== undefined || input.shopId !== undefined : !input.merchant) {
    return { ok: false, reason: input.role === 'operator' ? 'an operator belongs to no merchant: leave out --merchant and --shop' : '--merchant is required (its name; created when new)' };
  }
  if (await personByEmail(db, input.email)) return { ok: false, reason: `${normalizeEmail(input.email)} already belongs to someone` };
  const found = input.merchant ? await merchantByName(db, input.merchant) : undefined;
  const merchant = found ?? (input.merchant ? await createMerchant(db, input.merchant) : undefined);
  if (input.shopId && !(await attachShop(db, input.shopId, merchant!.id))) return { ok: false, reason: `no shop ${input.shopId} (GET /v1/admin/shops lists them)` };
  const person = await createPerson(db, { merchantId: merchant?.id ?? null, email: input.email, name: input.name, role: input.role });
  if (!person) return { ok: false, reason: `${normalizeEmail(input.email)} already belongs to someone` };
  return { ok: true, personId: person.id, merchantId: merchant?.id ?? null, merchantCreated: !found && !!merchant, resetLink: await newResetLink(db, publicUrl, person.id) };
}
