import { parseRetryAfter } from '../../retry-after';
import { BookingError } from '../../../domain/errors';
import { HttpClient, type CustomerMode } from '../http';
import { dineroRejection } from './errors';
import { pacerFor, type RequestPacer } from './pacer';
import type { RequestWindow } from '../request-window';
import { accessToken, forgetToken, type TokenSource } from './token';

export interface DineroOptions {
  clientId: string;
  clientSecret: string;
  /** The organization's API key (Dinero → Indstillinger → API-nøgler / "Integrationer"). */
  apiKey: string;
  /** The organization (firma) id: in the app's URL after app.dinero.dk/. */
  organizationId: number;
  /** Default https://api.dinero.dk; tests point it at a local server. */
  baseUrl?: string;
  /** Default https://authz.dinero.dk/dineroapi/oauth/token. */
  authUrl?: string;
  /** Per request; default 20 s. */
  timeoutMs?: number;
  customerMode: CustomerMode;
  /** The collective webshop customer's contact guid (customerMode 'collective'). */
  collectiveCustomer?: string;
  /** Our VAT code → Dinero VAT code (U25, UEUV, none …): Dinero takes a line's VAT from its account. */
  vatCodes: Record<string, string>;
  /** Country of customers created per customer (ISO 3166 alpha-2); default DK. */
  countryKey?: string;
  /** Payment condition on invoices: days net; default the contact's own. */
  paymentConditionDays?: number;
  /** Calls a minute per organization; default 60 (the documented limit is higher). */
  requestsPerMinute?: number;
  /** Shared per organization by default; injectable for tests. */
  pacer?: RequestPacer;
  /** The request window every process shares (request-window.ts); without it, pacing holds in this process only. */
  requestWindow?: (key: string) => RequestWindow;
  fetch?: typeof fetch;
}

export const DINERO_URL = 'https://api.dinero.dk';

/** Without Retry-After, a 429 pauses the organization's calls this long. */
const DEFAULT_429_PAUSE_MS = 5_000;

/**
 * The HTTP client of one organization: every request paced (pacer.ts) and sent with a fresh-enough bearer token
 * (token.ts).
 */
export function dineroClient(o: DineroOptions): HttpClient {
  const baseUrl = (o.baseUrl ?? DINERO_URL).replace(/\/$/, '');
  const pacer = o.pacer ?? pacerFor(baseUrl, o.clientId, o.organizationId, o.requestsPerMinute ?? 60, o.requestWindow);
  const source: TokenSource = { clientId: o.clientId, clientSecret: o.clientSecret, apiKey: o.apiKey, authUrl: o.authUrl, timeoutMs: o.timeoutMs ?? 20_000, fetch: o.fetch };
  let token = '';
  const doFetch = o.fetch ?? fetch;
  return new HttpClient({
    vendor: 'Dinero',
    baseUrl: `${baseUrl}/v1/${o.organizationId}`,
    timeoutMs: o.timeoutMs ?? 20_000,
    headers: () => ({ Authorization: `Bearer ${token}` }),
    rejection: dineroRejection,
    fetch: async (url, init) => {
      const res = await doFetch(url, init);
      if (res.status === 429) await pacer.pause(parseRetryAfter(res.headers.get('retry-after')) ?? DEFAULT_429_PAUSE_MS);
      return res;
    },
    schedule: async (task) => {
      try {
        // The token first: a slot of the organization's minute is taken only when the request can leave at once.
        const current = await accessToken(source);
        return await pacer.run(() => {
          token = current;
          return task();
        });
      } catch (e) {
        // A refused token (revoked or rotated API key) is not kept: the restart after the owner's fix fetches anew.
        if (e instanceof BookingError && e.code === 'ledger_credentials_rejected') forgetToken(source);
        throw e;
      }
    },
  });
}
