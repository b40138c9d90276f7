import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Region } from '../../../domain/region';
import { HttpClient, type CustomerMode } from '../http';
import { economicQuota, economicRejection } from './errors';
import { collection } from './schemas';

export interface EconomicOptions {
  /** Identifies our app (X-AppSecretToken). */
  appSecretToken: string;
  /** The agreement's grant to our app (X-AgreementGrantToken). */
  agreementGrantToken: string;
  /** Default https://restapi.e-conomic.com; tests point it at a local server. */
  baseUrl?: string;
  /** Per request; default 20 s. */
  timeoutMs?: number;
  /** The journal (kassekladde) payments and payouts are entered in; its voucher number range applies. */
  journalNumber: number;
  layoutNumber: number;
  paymentTermsNumber: number;
  /** VAT zone of domestic invoices and customers; default 1. Kept for connections saved before `vatZones`. */
  vatZoneNumber?: number;
  /** Our region → e-conomic VAT zone of the invoice and new customers; default domestic 1, EU 2, abroad 3. */
  vatZones?: Partial<Record<Region, number>>;
  /** Customer group of customers we create (decides their receivable account). */
  customerGroupNumber: number;
  customerMode: CustomerMode;
  /** The collective webshop customer's customer number (customerMode 'collective'). */
  collectiveCustomer?: string;
  /**
   * Sales account (or treatment, "account:vatCode") → e-conomic product number. e-conomic invoice lines name a product,
   * and the product's group decides the sales account and VAT, so every account an invoice line books to needs one.
   */
  products: Record<string, string>;
  fetch?: typeof fetch;
}

export const ECONOMIC_URL = 'https://restapi.e-conomic.com';

export function economicClient(o: EconomicOptions): HttpClient {
  return new HttpClient({
    vendor: 'e-conomic',
    baseUrl: o.baseUrl ?? ECONOMIC_URL,
    timeoutMs: o.timeoutMs ?? 20_000,
    fetch: o.fetch,
    headers: () => ({ 'X-AppSecretToken': o.appSecretToken, 'X-AgreementGrantToken': o.agreementGrantToken }),
    rejection: economicRejection,
    isQuota: economicQuota,
  });
}

/** Escapes a value for e-conomic's `filter` syntax (documented escape sequences; the URL encoding comes on top). */
export function filterValue(value: string): string {
  return value.replace(/[$()*,[\]]/g, (c) => `$${c}`);
}

const PAGE = 1000; // the documented maximum page size

/** Every item of a paged collection (bounded, so a runaway collection cannot loop forever). */
export async function allPages<T extends z.ZodType>(client: HttpClient, item: T, path: string, maxPages = 20): Promise<z.infer<T>[]> {
  const out: z.infer<T>[] = [];
  for (let page = 0; page < maxPages; page++) {
    const res = await client.json(collection(item), 'GET', path, { query: { skippages: page, pagesize: PAGE } });
    out.push(...res.collection);
    if (res.collection.length < PAGE) break;
  }
  return out;
}

/**
 * The documented Idempotency-Key of a create: the same request (same operation, same document, same body) always
 * carries the same key, so e-conomic answers a repeated create with the first one's result instead of a second
 * document; a changed body (the mapping was corrected) is a new request with a new key.
 */
export function idempotencyKey(operation: string, identity: string, body: unknown): string {
  const h = createHash('sha256').update(`${operation}\n${identity}\n${JSON.stringify(body)}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
