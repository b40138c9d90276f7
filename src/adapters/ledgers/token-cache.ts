import { createHash } from 'node:crypto';

/**
 * Bearer tokens of the OAuth2 ledgers (Dinero, Uni Economy), kept in memory only, per client, until a minute before
 * they expire; one fetch serves all concurrent callers. Keyed by a hash, so no secret is kept as a key.
 */
export interface CachedToken {
  token: string;
  expiresAt: number;
}

const cache = new Map<string, Promise<CachedToken>>();

/** The hash key of a client's credentials (token URL, ids, secrets). */
export const tokenKey = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex');

export async function cachedToken(key: string, fetchToken: () => Promise<CachedToken>): Promise<string> {
  const entry = cache.get(key);
  const cached = entry && (await entry.catch(() => undefined));
  if (cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
  if (entry && cache.get(key) === entry) cache.delete(key);
  const next = cache.get(key) ?? fetchToken();
  cache.set(key, next);
  next.catch(() => cache.delete(key));
  return (await next).token;
}

/** The ledger refused the token (revoked key, rotated secret): the next call fetches a new one. */
export function forgetToken(key: string): void {
  cache.delete(key);
}
