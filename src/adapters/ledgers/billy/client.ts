import { HttpClient, type CustomerMode } from '../http';
import { billyRejection } from './errors';

export interface BillyOptions {
  /** An access token of the organization (X-Access-Token). */
  accessToken: string;
  /** Default https://api.billysbilling.com/v2; tests point it at a local server. */
  baseUrl?: string;
  /** Per request; default 20 s. */
  timeoutMs?: number;
  organizationId: string;
  /** The daybook payout vouchers are entered in. */
  daybookId: string;
  customerMode: CustomerMode;
  /** The collective webshop customer's contact id (customerMode 'collective'). */
  collectiveCustomer?: string;
  /**
   * Sales account number → Billy product id. Billy invoice lines name a product, whose account receives the
   * sale, so every account an invoice line books to needs a product here.
   */
  products: Record<string, string>;
  /** Our VAT code → Billy tax rate id or abbreviation; default: the VAT code is the tax rate's abbreviation. */
  taxRates?: Record<string, string>;
  /** Days until an invoice is due; default 8. */
  paymentTermsDays?: number;
  /** Country of contacts we create; default DK. */
  countryId?: string;
  /** Account groups for createAccounts: balance (receivables) and expense (fees, error, rounding) accounts. */
  accountGroups?: { balance: string; expense: string };
  fetch?: typeof fetch;
}

export const BILLY_URL = 'https://api.billysbilling.com/v2';

export function billyClient(o: BillyOptions): HttpClient {
  return new HttpClient({
    vendor: 'Billy',
    baseUrl: o.baseUrl ?? BILLY_URL,
    timeoutMs: o.timeoutMs ?? 20_000,
    fetch: o.fetch,
    headers: () => ({ 'X-Access-Token': o.accessToken }),
    rejection: billyRejection,
  });
}
