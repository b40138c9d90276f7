/**
 * The app's one door to the API: same-origin `fetch` with the session cookie, the chosen shop in `X-Shop-Id` and
 * the session's CSRF token on every state-changing call (docs/APP.md). Errors keep the API's code, message and fix
 * so a page shows what the API said and which field it meant.
 */
export interface ApiErrorBody {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For bad input: each field path with its reason. */
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

interface Context {
  shopId?: string;
  csrfToken?: string;
}
const context: Context = {};

/** Set by the session provider when a person signs in or picks another shop. */
export function setApiContext(next: Context) {
  Object.assign(context, next);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Raw text bodies (settlement files) with their content type. */
  text?: { content: string; contentType: string };
  query?: Record<string, string | number | undefined | null>;
  /** Session routes and the shop list need no shop. */
  withoutShop?: boolean;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (!options.withoutShop && context.shopId) headers['x-shop-id'] = context.shopId;
  if (method !== 'GET' && context.csrfToken) headers['x-csrf-token'] = context.csrfToken;
  let body: string | undefined;
  if (options.text) {
    headers['content-type'] = options.text.contentType;
    body = options.text.content;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  const url = query.size > 0 ? `${path}?${query}` : path;
  const response = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (parsed as ApiErrorBody | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? (response.statusText || 'The request failed.'), error?.issues);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: 'not_json', message: text.slice(0, 200) } };
  }
}

/**
 * A file the API answers to a GET (a report as CSV or JSON), with the name from its Content-Disposition, for the
 * browser to save: a plain link could not carry the X-Shop-Id header a session needs.
 */
export async function apiFile(path: string, query: Record<string, string>): Promise<{ blob: Blob; filename: string | null }> {
  const headers: Record<string, string> = context.shopId ? { 'x-shop-id': context.shopId } : {};
  const response = await fetch(`${path}?${new URLSearchParams(query)}`, { headers, credentials: 'same-origin' });
  if (!response.ok) {
    const error = (safeJson(await response.text()) as ApiErrorBody | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? response.statusText, error?.issues);
  }
  const filename = /filename="?([^";]+)"?/i.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? null;
  return { blob: await response.blob(), filename };
}
