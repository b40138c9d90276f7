import { cachedToken, forgetToken, requestToken, tokenKey } from '../token-cache';

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

// The client-credentials grant. invalid_client / unauthorized_client / invalid_scope need the client fixed in Uni
// Micro's developer portal.
const fetchToken = (s: UniTokenSource) =>
  requestToken({
    vendor: 'Uni Economy',
    url: s.authUrl ?? UNI_AUTH_URL,
    form: { grant_type: 'client_credentials', client_id: s.clientId, client_secret: s.clientSecret, scope: SCOPE },
    timeoutMs: s.timeoutMs,
    fetch: s.fetch,
  });
