import { BookingError } from '../../../domain/errors';
import { HttpClient, missing, vendorText, type CustomerMode, type HttpResult } from '../http';
import { forgetUniToken, uniAccessToken, type UniTokenSource } from './token';

export interface UniEconomyOptions {
  /** The server application's client id and secret (Uni Micro developer portal). */
  clientId: string;
  clientSecret: string;
  /** The company to book into: its CompanyKey (a GUID; Uni Economy → Innstillinger → Firmaoppsett, or GET /api/init/companies). */
  companyKey: string;
  /** Default https://rc.unieconomy.no; tests point it at a local server. */
  baseUrl?: string;
  /** Default https://login.unimicro.no/connect/token. */
  authUrl?: string;
  timeoutMs?: number;
  customerMode: CustomerMode;
  /** The collective webshop customer's ID in Uni Economy (customerMode 'collective'). */
  collectiveCustomer?: number;
  /** Our VAT code → Uni Economy VAT code (the Norwegian SAF-T codes: 3 is 25 % output VAT, 52 exports …). */
  vatCodes: Record<string, string>;
  fetch?: typeof fetch;
}

/** An OData string literal (Uni's `filter` query parameter): single quotes doubled. */
export const odataString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const UNI_URL = 'https://rc.unieconomy.no';

/** Every request carries a fresh-enough bearer token and the company's key (Uni's API is one host for all companies). */
export function uniClient(o: UniEconomyOptions): HttpClient {
  const source: UniTokenSource = { clientId: o.clientId, clientSecret: o.clientSecret, authUrl: o.authUrl, timeoutMs: o.timeoutMs ?? 20_000, fetch: o.fetch };
  let token = '';
  return new HttpClient({
    vendor: 'Uni Economy',
    baseUrl: `${(o.baseUrl ?? UNI_URL).replace(/\/$/, '')}/api/biz`,
    timeoutMs: o.timeoutMs ?? 20_000,
    headers: () => ({ Authorization: `Bearer ${token}`, CompanyKey: o.companyKey }),
    rejection: uniRejection,
    fetch: o.fetch,
    schedule: async (task) => {
      try {
        token = await uniAccessToken(source);
        return await task();
      } catch (e) {
        if (e instanceof BookingError && e.code === 'ledger_credentials_rejected') forgetUniToken(source);
        throw e;
      }
    },
  });
}

/**
 * Uni answers 400 with a message whose shape the swagger does not document (seen as Message / Messages[].Message);
 * an account it names as unknown is our missing_account.
 */
export function uniRejection(res: HttpResult): Error {
  const message = vendorText(res.body) || capitalMessage(res.body);
  const acc = /account\D{0,20}(\d{4,8})/i.exec(message);
  if (acc && /not found|does not exist|unknown|finnes ikke|ugyldig|invalid/i.test(message)) return missing('missing_account', acc[1]!, { vendorMessage: message });
  return new BookingError('ledger_rejected', { vendor: 'Uni Economy', status: res.status, vendorMessage: message || `HTTP ${res.status}` });
}

function capitalMessage(body: unknown): string {
  const b = (body ?? {}) as { Message?: unknown; Messages?: { Message?: unknown }[] };
  if (typeof b.Message === 'string') return b.Message.slice(0, 500);
  if (Array.isArray(b.Messages)) return b.Messages.map((m) => String(m.Message ?? '')).join('; ').slice(0, 500);
  return '';
}
