import { createHash } from 'node:crypto';
import { BookingError } from '../../domain/errors';
import { LedgerTransientError } from './port';

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

/**
 * One OAuth2 token request (RFC 6749 §4.3/§4.4: a form body at the token endpoint): no answer, 5xx and 429 are
 * transient; any other refusal, or an answer without an access token, needs a person to fix the credentials.
 */
export async function requestToken(r: {
  vendor: string;
  url: string;
  form: Record<string, string>;
  headers?: Record<string, string>;
  timeoutMs: number;
  fetch?: typeof fetch;
}): Promise<CachedToken> {
  let res: Response;
  try {
    res = await (r.fetch ?? fetch)(r.url, {
      method: 'POST',
      headers: { ...r.headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(r.form),
      signal: AbortSignal.timeout(r.timeoutMs),
      redirect: 'error',
    });
  } catch {
    throw new LedgerTransientError(`${r.vendor} token endpoint: no answer`);
  }
  const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
  if (res.status >= 500 || res.status === 429) throw new LedgerTransientError(`${r.vendor} token endpoint: ${res.status}`);
  if (!res.ok || typeof json.access_token !== 'string') throw new BookingError('ledger_credentials_rejected', { vendor: r.vendor, status: res.status });
  const seconds = typeof json.expires_in === 'number' ? json.expires_in : 3600;
  return { token: json.access_token, expiresAt: Date.now() + seconds * 1000 };
}
