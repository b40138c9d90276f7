import type { Payout, PayoutSummary } from '../../../domain/payout';
import { AcquirerAnswerError, callJson } from '../http';
import { SettlementParseError, UnsupportedPayoutError, type AcquirerPort } from '../port';
import { payoutsFromFunds } from './funds';
import { accessTokenSchema, ledgersSchema, reportPageSchema, type FundsEntry, type VippsCredentials } from './report';

export interface VippsOptions {
  credentials: VippsCredentials;
  /** Where the API is, e.g. a local fake in tests; https://api.vipps.no when absent. */
  baseUrl?: string;
  acquirer?: string;
  timeoutMs?: number;
  /** Today's date (YYYY-MM-DD); the clock when absent. */
  today?: () => string;
  /** How many ledger dates back one listing reads at most (one request each, or more when paged); 92 when absent. */
  maxDays?: number;
}

/** "The Report API has data from May 2020" (its FAQ): nothing before is asked for. */
const FIRST_DATA = '2020-05-01';

const credentialsFix = 'Check the sales unit\'s client_id, client_secret and Ocp-Apim-Subscription-Key (portal.vippsmobilepay.com → Utvikler), and save them on the acquirer connection.';
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Vipps MobilePay through its Report API (v2, JSON over an access token), as an acquirer fetched on a schedule. The
 * API has no payout resource: a payout is the run of `funds` entries its payout entry closes, and each ledger date's
 * report is complete once the date is closed. So listing reads the closed ledger dates since a date, one report each
 * (paged by cursor), and builds the payouts they close; fetching a payout returns one built by that listing.
 */
export class VippsAcquirer implements AcquirerPort {
  private readonly base: string;
  private readonly acquirer: string;
  private token?: string;
  private ledgerId?: string;
  private readonly built = new Map<string, Payout>();

  constructor(private readonly opts: VippsOptions) {
    this.base = (opts.baseUrl ?? 'https://api.vipps.no').replace(/\/$/, '');
    this.acquirer = opts.acquirer ?? 'vipps';
  }

  async listPayouts(since: string): Promise<PayoutSummary[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(since)) throw new RangeError(`since must be a date (YYYY-MM-DD), got "${since}"`);
    const ledgerId = await this.ledger();
    const today = this.opts.today?.() ?? new Date().toISOString().slice(0, 10);
    // The API has no payout resource, so each ledger date costs a request: a start date years back (a new shop's
    // ledger start) is read from a bounded window. A payout whose entries began before the window gets an explicit
    // "balance not itemized" line for what it carried in, never a silent gap.
    const window = new Date(Date.parse(`${today}T00:00:00Z`) - (this.opts.maxDays ?? 92) * 86_400_000).toISOString().slice(0, 10);
    const from = [since, window, FIRST_DATA].reduce((a, b) => (a > b ? a : b));
    const entries: FundsEntry[] = [];
    for (let d = from; d <= today; d = nextDay(d)) {
      const report = await this.fundsOf(ledgerId, d);
      if (!report) break; // not closed yet: later dates are not either
      entries.push(...report);
    }
    let payouts: Payout[];
    try {
      payouts = payoutsFromFunds(entries, this.acquirer).payouts;
    } catch (err) {
      if (!(err instanceof SettlementParseError)) throw err;
      throw new AcquirerAnswerError(`Vipps MobilePay's funds report of ledger ${ledgerId} since ${since} does not add up at entry ${err.lineNumber}: ${err.reason}`);
    }
    for (const p of payouts) this.built.set(p.payoutId, p);
    return payouts.map((p) => ({ payoutId: p.payoutId, paidOutAt: p.paidOutAt, netAmount: p.netAmount, currency: p.currency }));
  }

  async fetchPayout(payoutId: string): Promise<Payout> {
    const payout = this.built.get(payoutId);
    if (!payout) throw new UnsupportedPayoutError(`Vipps MobilePay payout ${payoutId} was not among the payouts just listed; list payouts first.`);
    return payout;
  }

  /** The entries of one closed ledger date, every page; undefined while the date is not closed. */
  private async fundsOf(ledgerId: string, date: string): Promise<FundsEntry[] | undefined> {
    const out: FundsEntry[] = [];
    let cursor: string | undefined;
    do {
      const url = new URL(`${this.base}/report/v2/ledgers/${encodeURIComponent(ledgerId)}/funds/dates/${date}`);
      if (cursor) url.searchParams.set('cursor', cursor);
      const page = await this.get(url.toString(), reportPageSchema, true);
      if (!page || page.tryLater) return undefined;
      out.push(...page.items);
      cursor = page.hasMore ? page.cursor : undefined;
      if (page.hasMore && !cursor) throw new AcquirerAnswerError(`Vipps MobilePay said the report of ${date} has more entries but gave no cursor`);
    } while (cursor);
    return out;
  }

  /** The ledger that settles the sales unit (its MSN as the recipient handle `api:<MSN>`). */
  private async ledger(): Promise<string> {
    if (this.ledgerId) return this.ledgerId;
    const handle = `api:${this.opts.credentials.merchantSerialNumber}`;
    const url = new URL(`${this.base}/settlement/v1/ledgers`);
    url.searchParams.set('settlesForRecipientHandles', handle);
    const ledgers = (await this.get(url.toString(), ledgersSchema))!;
    const ledger = ledgers.items[0];
    if (!ledger) {
      throw new AcquirerAnswerError(`Vipps MobilePay has no ledger that settles sales unit ${this.opts.credentials.merchantSerialNumber} for these keys; check the MSN, or that the keys belong to that sales unit.`);
    }
    this.ledgerId = ledger.ledgerId;
    return ledger.ledgerId;
  }

  private async accessToken(): Promise<string> {
    if (this.token) return this.token;
    const c = this.opts.credentials;
    const answer = await callJson({
      acquirer: 'Vipps MobilePay',
      credentialsFix,
      url: `${this.base}/accesstoken/get`,
      init: { method: 'POST', headers: { client_id: c.clientId, client_secret: c.clientSecret, 'Ocp-Apim-Subscription-Key': c.subscriptionKey, 'Merchant-Serial-Number': c.merchantSerialNumber } },
      schema: accessTokenSchema,
      timeoutMs: this.opts.timeoutMs,
    });
    this.token = answer!.access_token;
    return this.token;
  }

  private async get<S extends Parameters<typeof callJson>[0]['schema']>(url: string, schema: S, notFoundIsEmpty = false) {
    const c = this.opts.credentials;
    const headers = {
      Authorization: `Bearer ${await this.accessToken()}`,
      'Ocp-Apim-Subscription-Key': c.subscriptionKey,
      'Merchant-Serial-Number': c.merchantSerialNumber,
      'Vipps-System-Name': 'ledgerbridge',
      'Vipps-System-Version': '1.0.0',
    };
    return callJson({ acquirer: 'Vipps MobilePay', credentialsFix, url, init: { headers }, schema, timeoutMs: this.opts.timeoutMs, notFoundIsEmpty });
  }
}
