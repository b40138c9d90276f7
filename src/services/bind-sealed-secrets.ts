import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { acquirerConnections, channelConnections, shops } from '../../db/schema';
import type { CredentialBox } from '../crypto/credentials';
import { sealedContext } from '../crypto/sealed-contexts';

interface Sealed {
  sealed: string;
  context: string;
  /** Replaces the stored value, only if it is still `old` (two processes may bind at once). */
  replace(bound: string, old: string): Promise<unknown>;
}

const opens = (credentials: CredentialBox, sealed: string, context?: string) => {
  try {
    credentials.open(sealed, context);
    return true;
  } catch {
    return false;
  }
};

/**
 * Binds to its shop every secret sealed before secrets were bound (webhook secrets, channel secrets, acquirer keys
 * had no associated data): each one that opens without a context is sealed again with its context. Run by the
 * upgrade step (`npm run migrate`, and `npm run dev` at start), before the API and workers read secrets, so readers
 * need to know only the bound form. Idempotent; answers how many it bound.
 */
export async function bindSealedSecrets(db: Db, credentials: CredentialBox): Promise<number> {
  const found: Sealed[] = [];
  for (const s of await db.select({ id: shops.id, sealed: shops.webhookSecret }).from(shops).where(isNotNull(shops.webhookSecret))) {
    found.push({
      sealed: s.sealed!,
      context: sealedContext.shopWebhookSecret(s.id),
      replace: (bound, old) => db.update(shops).set({ webhookSecret: bound }).where(and(eq(shops.id, s.id), eq(shops.webhookSecret, old))),
    });
  }
  for (const c of await db.select({ shopId: channelConnections.shopId, sealed: channelConnections.secret }).from(channelConnections)) {
    found.push({
      sealed: c.sealed,
      context: sealedContext.channelSecret(c.shopId),
      replace: (bound, old) =>
        db.update(channelConnections).set({ secret: bound }).where(and(eq(channelConnections.shopId, c.shopId), eq(channelConnections.secret, old))),
    });
  }
  const acquirers = await db
    .select({ id: acquirerConnections.id, shopId: acquirerConnections.shopId, sealed: acquirerConnections.credentials })
    .from(acquirerConnections)
    .where(isNotNull(acquirerConnections.credentials));
  for (const a of acquirers) {
    found.push({
      sealed: a.sealed!,
      context: sealedContext.acquirerCredentials(a.shopId, a.id),
      replace: (bound, old) =>
        db.update(acquirerConnections).set({ credentials: bound }).where(and(eq(acquirerConnections.id, a.id), eq(acquirerConnections.credentials, old))),
    });
  }
  let bound = 0;
  for (const f of found) {
    if (opens(credentials, f.sealed, f.context) || !opens(credentials, f.sealed)) continue;
    await f.replace(credentials.seal(credentials.open(f.sealed), f.context), f.sealed);
    bound++;
  }
  return bound;
}
