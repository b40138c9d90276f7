import type { z } from 'zod';
import { parseRetryAfter } from '../retry-after';
import { sanitizeVendorMessage } from '../vendor-message';
import { ChannelApiError } from './port';

/**
 * The one GET both store APIs need, turning every way a store can fail into a ChannelApiError kind the callers act
 * on: fix the keys (credentials), wait (rate_limited, unavailable), or give up on this object (not_found, rejected).
 *
 * Secrets live only in the `auth` callback's headers: never in a URL, an error message or a log line.
 */

export interface ChannelHttpOptions {
  vendor: string;
  /** Auth headers, asked for per request so the secret is not copied into other objects. */
  auth: () => Record<string, string>;
  /** The readable part of the vendor's error body. */
  errorText: (body: unknown) => string;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** How the request is named in errors, for an API that puts its key in the path (Dandomain); else the path. */
  label?: (url: URL) => string;
  /** Aborts the request (a cancelled activity, a worker shutting down), on top of timeoutMs. */
  signal?: AbortSignal;
}

export interface ChannelResponse {
  body: unknown;
  headers: Headers;
}

export async function channelGet(opts: ChannelHttpOptions, url: URL): Promise<ChannelResponse> {
  // Path only: query strings may one day carry something private, and the host is the shop's own.
  const what = `${opts.vendor} GET ${opts.label ? opts.label(url) : url.pathname}`;
  let response: Response;
  try {
    response = await (opts.fetch ?? fetch)(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...opts.auth() },
      signal: opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]) : AbortSignal.timeout(opts.timeoutMs),
      // Following a redirect would send our auth header to wherever the store points (fetch keeps custom headers
      // across origins); the owner should save the URL the store answers on instead.
      redirect: 'manual',
    });
  } catch (e) {
    const reason = (e as Error).name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : 'connection failed';
    throw new ChannelApiError('unavailable', `${what}: ${reason}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new ChannelApiError('unavailable', `${what}: the answer was cut off`);
  }
  const body = parseBody(text);
  if (response.ok) return { body, headers: response.headers };
  throw errorFor(opts, what, response, body);
}

/** A 2xx body that must match `schema`; anything else means the URL is not the store API we expect. */
export function expectBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `$.${issue.path.join('.')}` : '$';
  throw new ChannelApiError('rejected', `${what}: unexpected answer (${where}: ${issue?.message ?? 'invalid'}); is the store URL right?`);
}

function errorFor(opts: ChannelHttpOptions, what: string, response: Response, body: unknown): ChannelApiError {
  const { status } = response;
  const text = sanitizeVendorMessage(opts.errorText(body));
  const said = text ? `: ${text}` : '';
  if (status >= 300 && status < 400) {
    const location = response.headers.get('location');
    return new ChannelApiError('rejected', `${what}: the store redirects${location ? ` to ${location.split('?')[0]}` : ''}; save the store URL it redirects to`, status);
  }
  if (status === 401 || status === 403) return new ChannelApiError('credentials', `${what}: the store refused our keys (${status})${said}`, status);
  if (status === 404) return new ChannelApiError('not_found', `${what}: not found${said}`, status);
  if (status === 429) {
    return new ChannelApiError('rate_limited', `${what}: rate limited (429)${said}`, status, parseRetryAfter(response.headers.get('retry-after')));
  }
  if (status >= 500 || status === 408) return new ChannelApiError('unavailable', `${what}: ${status}${said}`, status);
  return new ChannelApiError('rejected', `${what}: ${status}${said}`, status);
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** An id as it may go into a URL path: the platforms' ids are numbers, so anything else is refused before a request. */
export function pathId(value: string, what: string): string {
  if (!/^\d{1,20}$/.test(value)) throw new ChannelApiError('rejected', `${what} ${JSON.stringify(value.slice(0, 40))} is not a numeric id`);
  return value;
}

/** The orders' start date: a calendar day, so that it means the same in every query the APIs take. */
export function sinceDay(since: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(Date.parse(`${since}T00:00:00Z`))) throw new RangeError(`since must be YYYY-MM-DD, got ${since}`);
  return since;
}

/** The store's base URL without a trailing slash, to put API paths after. */
export function baseUrl(storeUrl: string): string {
  return storeUrl.replace(/\/+$/, '');
}
