import { createHash } from 'node:crypto';
import { sanitizeVendorMessage } from '../vendor-message';
import { z } from 'zod';
import { parseRetryAfter } from '../retry-after';
import { BookingError } from '../../domain/errors';
import { sum } from '../../domain/money';
import type { DocumentKind, InvoicePlan } from '../../domain/posting';
import { addVat, sameRate } from '../../domain/vat';
import { LedgerTransientError } from './port';

/**
 * Shared plumbing of the HTTP ledger adapters (e-conomic, Billy, Fiken): one request helper that turns every way
 * an accounting API can fail into the two error kinds the workflows understand, plus the small conventions the
 * adapters share (reference tags, minor units ↔ decimals).
 *
 * Credentials live only in the `headers` callback: they are never part of an error, a log line or a URL.
 */

export interface HttpResult {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the raw text (or undefined when empty). */
  body: unknown;
}

export interface HttpClientOptions {
  vendor: string;
  baseUrl: string;
  /** Auth and vendor headers, asked for per request so the secret is not copied into other objects. */
  headers: () => Record<string, string>;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Maps a 4xx answer that is not 401/403/408/409/429 to a BookingError (validation, missing references). */
  rejection: (res: HttpResult, request: { method: string; path: string; body?: unknown }) => Error;
  /** A 429 that reports a used-up daily or monthly quota (not worth retrying within minutes). */
  isQuota?: (res: HttpResult) => boolean;
  /** Wraps each request, e.g. Fiken's one-at-a-time limiter. */
  schedule?: <T>(task: () => Promise<T>) => Promise<T>;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses answered as results instead of errors (e.g. 404 on a look-up). */
  allow?: number[];
}

export class HttpClient {
  private readonly doFetch: typeof fetch;

  constructor(private readonly opts: HttpClientOptions) {
    this.doFetch = opts.fetch ?? fetch;
  }

  get vendor(): string {
    return this.opts.vendor;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const run = () => this.send(method, path, options);
    return this.opts.schedule ? this.opts.schedule(run) : run();
  }

  /** A request whose 2xx body must match `schema`. */
  async json<T>(schema: z.ZodType<T>, method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, options);
    return this.parse(schema, res.body, `${method} ${path}`);
  }

  parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    // The vendor answered something we do not understand: a person has to look (or we have to update the adapter).
    throw new BookingError('ledger_rejected', {
      vendor: this.opts.vendor,
      reason: `unexpected response to ${what}`,
      issues: z.prettifyError(parsed.error).slice(0, 1000),
    });
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<HttpResult> {
    const url = new URL(this.opts.baseUrl.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const what = `${this.opts.vendor} ${method} ${path}`;
    let response: Response;
    try {
      response = await this.doFetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...this.opts.headers(),
          ...options.headers,
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        redirect: 'error',
      });
    } catch (e) {
      // Timeouts and broken connections: the write may or may not have happened, so the caller looks the document
      // up again before retrying (that is what makes a retry safe).
      const reason = (e as Error).name === 'TimeoutError' ? `no answer within ${this.opts.timeoutMs} ms` : 'connection failed';
      throw new LedgerTransientError(`${what}: ${reason}`);
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new LedgerTransientError(`${what}: the answer was cut off`);
    }
    const result: HttpResult = { status: response.status, headers: response.headers, body: parseBody(text) };
    if (response.ok || options.allow?.includes(response.status)) return result;
    throw this.errorFor(result, method, path, options.body);
  }

  private errorFor(res: HttpResult, method: string, path: string, body: unknown): Error {
    const what = `${this.opts.vendor} ${method} ${path}`;
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    if (res.status === 401 || res.status === 403) {
      return new BookingError('ledger_credentials_rejected', { vendor: this.opts.vendor, status: res.status });
    }
    if (res.status === 429) {
      if (this.opts.isQuota?.(res)) {
        return new BookingError('quota_exhausted', { vendor: this.opts.vendor, vendorMessage: vendorText(res.body), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
      }
      return new LedgerTransientError(`${what}: rate limited (429)`, retryAfterMs);
    }
    // 409: a concurrent change or a duplicate; the retry looks the document up first, so it settles either way.
    if (res.status >= 500 || res.status === 408 || res.status === 409) {
      return new LedgerTransientError(`${what}: ${res.status}`, retryAfterMs);
    }
    return this.opts.rejection(res, { method, path, body });
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The best human-readable message in an error body, whatever its shape; capped so errors stay small. */
export function vendorText(body: unknown): string {
  if (typeof body === 'string') return sanitizeVendorMessage(body);
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const key of ['errorMessage', 'error_description', 'message', 'error', 'developerHint']) {
      const v = b[key];
      if (typeof v === 'string' && v) return sanitizeVendorMessage(v);
    }
    if (b.meta && typeof b.meta === 'object') return vendorText(b.meta);
  }
  return '';
}

/**
 * Stops a line whose VAT code translates to a vendor VAT code of another rate (a 15 % line on a 25 % code): the
 * vendor computes VAT from its code, so the invoice would show other VAT than the customer paid. A vendor that does
 * not say its code's rate (vendorRate null) is not checked here.
 */
export function assertVendorRate(vendor: string, line: Pick<VendorLine, 'vatCode' | 'vatRate'>, vendorVatCode: string, vendorRate: number | null): void {
  if (line.vatRate === undefined || vendorRate === null || sameRate(vendorRate, line.vatRate)) return;
  throw new BookingError('vat_rate_not_taken', { vendor, vatCode: line.vatCode ?? '', vendorVatCode, vendorRate, rate: line.vatRate });
}

/** A BookingError naming the missing value both generically (`value`) and by what it is. */
export function missing(code: 'missing_account' | 'missing_vat_code' | 'missing_product', value: string, extra: Record<string, unknown> = {}) {
  const key = code === 'missing_account' ? 'account' : code === 'missing_vat_code' ? 'vatCode' : 'product';
  return new BookingError(code, { value, [key]: value, ...extra });
}

// ---- conventions shared by the adapters ----

const kindTag: Record<DocumentKind, string> = { invoice: 'inv', credit_note: 'cn', payment: 'pay', refund_payment: 'rpay', payout: 'po' };

/**
 * The reference we store in the vendor's own reference field. It carries the kind because an order's invoice and
 * its payment share the order id as reference, and it is prefixed so it cannot collide with what people type.
 */
export function referenceTag(kind: DocumentKind, reference: string): string {
  return `lb:${kindTag[kind]}:${reference}`;
}

/** Free-text fields carry the tag first, in brackets, so truncation to a vendor's length limit never cuts it. */
export function taggedText(kind: DocumentKind, reference: string, text: string, max: number): string {
  return `[${referenceTag(kind, reference)}] ${text}`.slice(0, max);
}

export const hasTag = (text: string | null | undefined, kind: DocumentKind, reference: string) =>
  typeof text === 'string' && text.startsWith(`[${referenceTag(kind, reference)}]`);

/** A UUID derived from the tag: the same document always gets the same draft UUID (Fiken filters drafts by it). */
export function referenceUuid(kind: DocumentKind, reference: string): string {
  return nameUuid(referenceTag(kind, reference));
}

/** A name-based UUID: the same name always gives the same UUID (a document's or a contact's Guid we choose). */
export function nameUuid(name: string): string {
  const h = createHash('sha256').update(`ledgerbridge:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5-style (name-based)
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Minor units → the decimal amount e-conomic and Billy expect (two-decimal currencies). */
export const toDecimal = (minor: number) => minor / 100;
export const fromDecimal = (amount: number) => Math.round(amount * 100);

/** A rate Billy or Dinero states as a fraction (0.25) → the percent a chart shows (25), to two decimals. */
export const percentOf = (fraction: number | undefined | null) => (typeof fraction === 'number' ? Math.round(fraction * 10_000) / 100 : null);

/**
 * Quantity and unit price for an invoice line whose total must be exactly `net` minor units: a unit price that does
 * not divide evenly would make the ledger's own total drift by rounding, so such a line is booked as 1 × total.
 */
export function lineQuantity(net: number, quantity: number, description: string): { quantity: number; unitPrice: number; description: string } {
  if (quantity > 0 && Number.isInteger(quantity) && net % quantity === 0) return { quantity, unitPrice: net / quantity, description };
  return { quantity: 1, unitPrice: net, description: quantity === 1 ? description : `${quantity} × ${description}` };
}

/**
 * The lines to send a ledger that takes net prices and adds VAT itself, per line, rounded (e-conomic, Billy, Fiken).
 * On a price incl. VAT its VAT can be an øre away from ours (gross × rate / (100 + rate)), so the rounding line is
 * sized to make the vendor's document total the shop's total, which is what the customer paid.
 */
export function vendorLines(plan: Pick<InvoicePlan, 'lines' | 'total' | 'roundingAccount'>): VendorLine[] {
  const lines: VendorLine[] = plan.lines.map((l) => ({
    ...lineQuantity(l.net, l.quantity, l.description),
    account: l.account,
    vatCode: l.vatCode || undefined,
    vatRate: l.vatCode ? l.vatRate : undefined,
  }));
  const rounding = plan.total - sum(plan.lines.map((l) => l.net + addVat(l.net, l.vatRate).vat));
  if (rounding !== 0) lines.push({ quantity: 1, unitPrice: rounding, description: 'Rounding', account: plan.roundingAccount, vatCode: undefined });
  return lines;
}

export interface VendorLine {
  quantity: number;
  /** Net, minor units. */
  unitPrice: number;
  description: string;
  account: string;
  /** Our VAT code; none on the rounding line (and on gift cards). */
  vatCode: string | undefined;
  /** The line's rate in percent, with its VAT code: checked against the rate of the vendor's code where it says one. */
  vatRate?: number | undefined;
}

/** Today's date (YYYY-MM-DD) minus `days`, for look-ups that can only filter by creation date. */
export function daysAgo(days: number, now = new Date()): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Whom invoices are made out to: the order's own customer (found by e-mail, else created), or one collective
 * "webshop customer" the shop keeps for all web orders (the buyer's name still goes on the invoice where the
 * ledger has a field for it).
 */
export type CustomerMode = 'per_customer' | 'collective';
