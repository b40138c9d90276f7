import { BookingError } from '../../../domain/errors';
import { LedgerTransientError } from '../port';
import { cachedToken, forgetToken, tokenKey, type CachedToken } from '../token-cache';

/**
 * Access tokens for a Uni Economy server integration: the client id and secret registered in Uni Micro's developer
 * portal, exchanged at the identity server's token endpoint with the client-credentials grant for the AppFramework
 * scope (the scope that grants API access; see test/fixtures/vendors/uni-economy/SOURCE.md for what is unverified).
 * Kept in memory per client until shortly before expiry; never put in a payload, log or error.
 */
export interface UniTokenSource {
  clientId: string;
  clientSecret: string;
  /** Default https://login.unimicro.no/connect/token. */
  authUrl?: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export const UNI_AUTH_URL = 'https://login.unimicro.no/connect/token';
const SCOPE = 'AppFramework';

const keyOf = (s: UniTokenSource) => tokenKey(s.authUrl ?? UNI_AUTH_URL, s.clientId, s.clientSecret);

/** A token valid for at least another minute, fetched once for all concurrent callers. */
export const uniAccessToken = (s: UniTokenSource) => cachedToken(keyOf(s), () => fetchToken(s));

/** Uni refused the token (client revoked or secret rotated): the next call fetches a new one. */
export const forgetUniToken = (s: UniTokenSource) => forgetToken(keyOf(s));

async function fetchToken(s: UniTokenSource): Promise<CachedToken> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: s.clientId, client_secret: s.clientSecret, scope: SCOPE });
  let res: Response;
  try {
    res = await (s.fetch ?? fetch)(s.authUrl ?? UNI_AUTH_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(s.timeoutMs),
      redirect: 'error',
    });
  } catch {
    throw new LedgerTransientError('Uni Economy token endpoint: no answer');
  }
  const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
  if (res.status >= 500 || res.status === 429) throw new LedgerTransientError(`Uni Economy token endpoint: ${res.status}`);
  if (!res.ok || typeof json.access_token !== 'string') {
    // invalid_client / unauthorized_client / invalid_scope: a person has to fix the client in the developer portal.
    throw new BookingError('ledger_credentials_rejected', { vendor: 'Uni Economy', status: res.status });
  }
  const seconds = typeof json.expires_in === 'number' ? json.expires_in : 3600;
  return { token: json.access_token, expiresAt: Date.now() + seconds * 1000 };
}
