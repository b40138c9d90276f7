import { randomUUID } from 'node:crypto';
import { BookingError } from '../../../domain/errors';
import { HttpClient, type CustomerMode, type HttpResult } from '../http';
import { fikenRejection } from './errors';
import { limiterFor, type RequestLimiter } from './limiter';
import type { FikenVatType } from './schemas';

export interface FikenOptions {
  /** Personal API token or OAuth access token (Authorization: Bearer). */
  token: string;
  companySlug: string;
  /** Default https://api.fiken.no/api/v2; tests point it at a local server. */
  baseUrl?: string;
  /** Per request; default 20 s. */
  timeoutMs?: number;
  customerMode: CustomerMode;
  /** The collective webshop customer's contact id (customerMode 'collective'). */
  collectiveCustomer?: string;
  /** Our VAT code → Fiken sales VAT type (HIGH, MEDIUM, LOW, EXEMPT, OUTSIDE, EXEMPT_IMPORT_EXPORT …). */
  vatTypes: Record<string, FikenVatType>;
  /** Days until an invoice is due; default 14. */
  daysUntilDueDate?: number;
  /** Bank account printed on invoices, when the company has several. */
  bankAccountNumber?: string;
  /** Minimum time between request starts; default 250 ms (Fiken slows clients above 4 requests/s). */
  minIntervalMs?: number;
  /** How far back findDocument looks for journal entries (Fiken filters them by date only); default 31 days. */
  journalLookbackDays?: number;
  /** Shared per token by default; injectable for tests. */
  limiter?: RequestLimiter;
  fetch?: typeof fetch;
}

export const FIKEN_URL = 'https://api.fiken.no/api/v2';

export function fikenClient(o: FikenOptions): HttpClient {
  const baseUrl = o.baseUrl ?? FIKEN_URL;
  const limiter = o.limiter ?? limiterFor(baseUrl, o.token, o.minIntervalMs ?? 250);
  return new HttpClient({
    vendor: 'Fiken',
    baseUrl: `${baseUrl.replace(/\/$/, '')}/companies/${encodeURIComponent(o.companySlug)}`,
    timeoutMs: o.timeoutMs ?? 20_000,
    fetch: o.fetch,
    // X-Request-ID is recommended by Fiken to trace a request in their logs.
    headers: () => ({ Authorization: `Bearer ${o.token}`, 'X-Request-ID': randomUUID() }),
    rejection: fikenRejection,
    schedule: (task) => limiter.run(task),
  });
}

/** The id at the end of a 201's Location header (Fiken answers creates with an empty body). */
export function createdId(res: HttpResult, what: string): number {
  const location = res.headers.get('location') ?? '';
  const last = location.replace(/\/$/, '').split('/').pop() ?? '';
  const n = Number(last);
  if (!Number.isInteger(n) || n <= 0) throw new BookingError('ledger_rejected', { vendor: 'Fiken', reason: `${what}: no id in the Location header` });
  return n;
}
