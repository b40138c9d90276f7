import { BookingError } from '../../../domain/errors';
import { LedgerTransientError } from '../port';
import { cachedToken, forgetToken as forgetCached, tokenKey, type CachedToken } from '../token-cache';

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

const keyOf = (s: TokenSource) => tokenKey(s.authUrl ?? DINERO_AUTH_URL, s.clientId, s.clientSecret, s.apiKey);

/** A token valid for at least another minute, fetched once for all concurrent callers. */
export const accessToken = (s: TokenSource) => cachedToken(keyOf(s), () => fetchToken(s));

/** Dinero refused the token (revoked API key): the next call fetches a new one. */
export const forgetToken = (s: TokenSource) => forgetCached(keyOf(s));

async function fetchToken(s: TokenSource): Promise<CachedToken> {
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
