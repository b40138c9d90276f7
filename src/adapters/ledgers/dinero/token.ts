import { createHash } from 'node:crypto';
import { BookingError } from '../../../domain/errors';
import { LedgerTransientError } from '../port';

/**
 * Access tokens for a personal integration (api.dinero.dk/docs, "Authentication"): the integration's client id and
 * secret (Basic) and the organization's API key exchanged at the token endpoint with the password grant. One token
 * per organization; kept in memory only, until shortly before it expires, and never put in a payload, log or error.
 */
export interface TokenSource {
  clientId: string;
  clientSecret: string;
  apiKey: string;
  /** Default https://authz.dinero.dk/dineroapi/oauth/token. */
  authUrl?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export const DINERO_AUTH_URL = 'https://authz.dinero.dk/dineroapi/oauth/token';

interface Cached {
  token: string;
  expiresAt: number;
}

const cache = new Map<string, Promise<Cached>>();
const keyOf = (s: TokenSource) => createHash('sha256').update(`${s.authUrl ?? DINERO_AUTH_URL}\n${s.clientId}\n${s.clientSecret}\n${s.apiKey}`).digest('hex');

/** A token valid for at least another minute, fetched once for all concurrent callers. */
export async function accessToken(s: TokenSource): Promise<string> {
  const key = keyOf(s);
  let entry = cache.get(key);
  if (entry) {
    const cached = await entry.catch(() => undefined);
    if (cached && cached.expiresAt - 60_000 > Date.now()) return cached.token;
    if (cache.get(key) === entry) cache.delete(key);
  }
  entry = cache.get(key) ?? fetchToken(s);
  cache.set(key, entry);
  entry.catch(() => cache.delete(key));
  return (await entry).token;
}

/** Dinero refused the token (revoked API key): the next call fetches a new one. */
export function forgetToken(s: TokenSource): void {
  cache.delete(keyOf(s));
}

async function fetchToken(s: TokenSource): Promise<Cached> {
  const body = new URLSearchParams({ grant_type: 'password', scope: 'read write', username: s.apiKey, password: s.apiKey });
  let res: Response;
  try {
    res = await (s.fetch ?? fetch)(s.authUrl ?? DINERO_AUTH_URL, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(s.timeoutMs),
      redirect: 'error',
    });
  } catch {
    throw new LedgerTransientError('Dinero token endpoint: no answer');
  }
  const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
  if (res.status >= 500 || res.status === 429) throw new LedgerTransientError(`Dinero token endpoint: ${res.status}`);
  if (!res.ok || typeof json.access_token !== 'string') {
    // 400 invalid_grant (wrong API key) or 401 (wrong client id/secret): a person has to fix the keys.
    throw new BookingError('ledger_credentials_rejected', { vendor: 'Dinero', status: res.status });
  }
  const seconds = typeof json.expires_in === 'number' ? json.expires_in : 3600;
  return { token: json.access_token, expiresAt: Date.now() + seconds * 1000 };
}
