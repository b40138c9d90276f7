/**
 * A shop's API key and webhook signing secret: made here, shown once, stored hashed (the key) or sealed (the
 * secret). The auth plugin finds a shop by its key and the admin routes replace both (issue 15, point 4: routes and
 * plugins hold no SQL).
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { shops } from '../../db/schema';
import type { CredentialBox } from '../crypto/credentials';
import { sealedContext } from '../crypto/sealed-contexts';

/** API keys are shown once and stored as SHA-256 hashes: they are long random tokens, so no salt or KDF is needed. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
export const newApiKey = () => `lb_${randomBytes(24).toString('base64url')}`;
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** The id of the shop this API key opens, or undefined. */
export async function shopIdOfApiKey(db: Db, apiKey: string): Promise<string | undefined> {
  const [shop] = await db.select({ id: shops.id }).from(shops).where(eq(shops.apiKeyHash, hashApiKey(apiKey)));
  return shop?.id;
}

/** Gives the shop a new API key (the old one stops working at once) and answers it; null when no such shop. */
export async function replaceApiKey(db: Db, shopId: string): Promise<string | null> {
  const apiKey = newApiKey();
  const updated = await db.update(shops).set({ apiKeyHash: hashApiKey(apiKey) }).where(eq(shops.id, shopId)).returning({ id: shops.id });
  return updated.length === 0 ? null : apiKey;
}

/** Gives the shop a new webhook signing secret, sealed to it, and answers it; null when no such shop. */
export async function replaceWebhookSecret(db: Db, credentials: CredentialBox, shopId: string): Promise<string | null> {
  const secret = newWebhookSecret();
  const updated = await db
    .update(shops)
    .set({ webhookSecret: credentials.seal(secret, sealedContext.shopWebhookSecret(shopId)) })
    .where(eq(shops.id, shopId))
    .returning({ id: shops.id });
  return updated.length === 0 ? null : secret;
}
