import { cachedToken, forgetToken as forgetCached, requestToken, tokenKey } from '../token-cache';

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

// The password grant with the API key as both username and password, the client id and secret as Basic auth. A 400
// invalid_grant (wrong API key) or 401 (wrong client id/secret) needs the owner to fix the keys.
const fetchToken = (s: TokenSource) =>
  requestToken({
    vendor: 'Dinero',
    url: s.authUrl ?? DINERO_AUTH_URL,
    form: { grant_type: 'password', scope: 'read write', username: s.apiKey, password: s.apiKey },
    headers: { authorization: `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}` },
    timeoutMs: s.timeoutMs,
    fetch: s.fetch,
  });
