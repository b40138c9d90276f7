import type { z } from 'zod';
import { parseRetryAfter } from '../retry-after';
import { AcquirerCredentialsError, AcquirerTransientError } from './port';

/** The acquirer answered something its documents do not describe, or refused a request we thought well-formed. */
export class AcquirerAnswerError extends Error {
  override name = 'AcquirerAnswerError';
}

/** The Retry-After header of a plain header record (the Stripe library hands headers over as one). */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | undefined {
  return parseRetryAfter(Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1], now);
}

export interface JsonCall<S extends z.ZodType> {
  /** The acquirer's name for messages, e.g. "Nexi". */
  acquirer: string;
  /** What a person must do when the credentials are refused. */
  credentialsFix: string;
  url: string;
  init?: RequestInit;
  schema: S;
  timeoutMs?: number;
  /** 404 means "not there (yet)" for this call: answer undefined instead of failing. */
  notFoundIsEmpty?: boolean;
}

/**
 * One JSON call to an acquirer's API with its answer checked against the documented shape. Refused credentials (401,
 * 403) are final; rate limits, 5xx and network failures are worth retrying (after Retry-After when given); any other
 * refusal or an answer of the wrong shape is an AcquirerAnswerError naming what was wrong. Bodies of errors are cut
 * short and never contain our credentials (we send them only in headers).
 */
export async function callJson<S extends z.ZodType>(call: JsonCall<S>): Promise<z.infer<S> | undefined> {
  const path = new URL(call.url).pathname;
  let res: Response;
  try {
    res = await fetch(call.url, { ...call.init, signal: AbortSignal.timeout(call.timeoutMs ?? 30_000) });
  } catch (err) {
    throw new AcquirerTransientError(`${call.acquirer} did not answer ${path}: ${(err as Error).message}`);
  }
  const text = await res.text();
  const excerpt = text.slice(0, 300);
  if (res.status === 401 || res.status === 403) {
    throw new AcquirerCredentialsError(`${call.acquirer} refused our credentials (HTTP ${res.status} on ${path}). ${call.credentialsFix}`);
  }
  if (res.status === 429 || res.status >= 500) {
    throw new AcquirerTransientError(`${call.acquirer} is unavailable for now (HTTP ${res.status} on ${path})`, retryAfterMs(Object.fromEntries(res.headers)));
  }
  if (res.status === 404 && call.notFoundIsEmpty) return undefined;
  if (!res.ok) throw new AcquirerAnswerError(`${call.acquirer} refused ${path} (HTTP ${res.status}): ${excerpt}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AcquirerAnswerError(`${call.acquirer} answered ${path} with something that is not JSON: ${excerpt}`);
  }
  const parsed = call.schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw new AcquirerAnswerError(`${call.acquirer} answered ${path} in a shape its documents do not describe: ${issues.join('; ')}`);
  }
  return parsed.data;
}
