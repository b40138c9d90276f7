import type { Payout, PayoutSummary } from '../../../domain/payout';
import { callJson } from '../http';
import { UnsupportedPayoutError, type AcquirerPort } from '../port';
import { settlementsPageSchema, tokenSchema, transactionsPageSchema, type ClearhausCredentials, type Settlement, type Transaction } from './report';
import { payoutFromSettlement } from './settlement';

export interface ClearhausOptions {
  credentials: ClearhausCredentials;
  /** Where the Merchant API is, e.g. a local fake in tests; https://merchant.clearhaus.com when absent. */
  baseUrl?: string;
  acquirer?: string;
  timeoutMs?: number;
}

const credentialsFix = 'Create an OAuth client for the Merchant API (Clearhaus dashboard → OAuth Clients) and save its client_id and client_secret on the acquirer connection.';
/** Link templates (RFC 6570) carry their parameters in braces; we follow the plain link. */
const plain = (href: string) => href.replace(/\{[^}]*\}$/, '');

/**
 * QuickPay's acquirer Clearhaus through its Merchant API (OAuth 2.0 client credentials, HAL links): settled settlements
 * are the payouts, itemized by their transactions. Links are followed as given, never built, as Clearhaus asks.
 */
export class ClearhausAcquirer implements AcquirerPort {
  private readonly base: string;
  private token?: string;
  private readonly seen = new Map<string, Settlement>();

  constructor(private readonly opts: ClearhausOptions) {
    this.base = (opts.baseUrl ?? 'https://merchant.clearhaus.com').replace(/\/$/, '');
  }

  async listPayouts(since: string): Promise<PayoutSummary[]> {
    const out: PayoutSummary[] = [];
    let next: string | undefined = `${this.base}/settlements?page=1&per_page=20`;
    while (next) {
      const page: { _links: { next?: { href: string } }; _embedded?: { 'ch:settlements': Settlement[] } } = (await this.get(next, settlementsPageSchema))!;
      for (const s of page._embedded?.['ch:settlements'] ?? []) {
        // Only settled settlements reached (or will reach) the bank; a cancelled payout never does.
        if (!s.settled || !s.payout || s.payout.cancelled_date || s.payout.date.slice(0, 10) < since) continue;
        this.seen.set(s.id, s);
        out.push({ payoutId: s.id, paidOutAt: s.payout.date.slice(0, 10), netAmount: s.payout.amount, currency: s.currency });
      }
      next = page._links.next?.href;
    }
    return out.sort((a, b) => a.paidOutAt.localeCompare(b.paidOutAt) || a.payoutId.localeCompare(b.payoutId));
  }

  async fetchPayout(payoutId: string): Promise<Payout> {
    const s = this.seen.get(payoutId);
    if (!s) throw new UnsupportedPayoutError(`Clearhaus settlement ${payoutId} was not among the settlements just listed; list payouts first.`);
    const transactions: Transaction[] = [];
    let next: string | undefined = plain(s._links['ch:transactions'].href);
    while (next) {
      const page: { _links: { next?: { href: string } }; _embedded?: { 'ch:transactions': Transaction[] } } = (await this.get(next, transactionsPageSchema))!;
      transactions.push(...(page._embedded?.['ch:transactions'] ?? []));
      next = page._links.next?.href;
    }
    return payoutFromSettlement(s, transactions, this.opts.acquirer);
  }

  private async accessToken(): Promise<string> {
    if (this.token) return this.token;
    const c = this.opts.credentials;
    const answer = await callJson({
      acquirer: 'Clearhaus',
      credentialsFix,
      url: `${this.base}/oauth/token`,
      init: {
        method: 'POST',
        headers: { Authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      },
      schema: tokenSchema,
      timeoutMs: this.opts.timeoutMs,
    });
    this.token = answer!.access_token;
    return this.token;
  }

  private async get<S extends Parameters<typeof callJson>[0]['schema']>(url: string, schema: S) {
    const headers = { Authorization: `Bearer ${await this.accessToken()}`, Accept: 'application/vnd.clearhaus.hal+json, application/json' };
    return callJson({ acquirer: 'Clearhaus', credentialsFix, url, init: { headers }, schema, timeoutMs: this.opts.timeoutMs });
  }
}
