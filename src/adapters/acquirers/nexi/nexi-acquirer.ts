import type { Payout, PayoutLine, PayoutLineType, PayoutSummary } from '../../../domain/payout';
import { compact } from '../files/build';
import { AcquirerAnswerError, callJson } from '../http';
import type { AcquirerPort } from '../port';
import { payoutDetailsSchema, payoutListSchema, type PaymentAction } from './report';

export interface NexiOptions {
  /** The merchant's secret API key (Nexi Checkout Portal → Company → Integration). */
  apiKey: string;
  /** Where the API is, e.g. a local fake in tests; https://api.dibspayment.eu when absent. */
  baseUrl?: string;
  acquirer?: string;
  timeoutMs?: number;
  today?: () => string;
}

const credentialsFix = 'Copy the live secret key from Nexi Checkout Portal (Company → Integration) and save it on the acquirer connection.';
const PAGE = 100;

/**
 * What a payment action does to the payout. Nexi's page names charges, refunds and the merchant's own deposits; the
 * literal values are not in what Nexi publishes (see README), so any other value fails the payout naming it.
 */
const kinds: Record<string, PayoutLineType> = { charge: 'payment', refund: 'refund', deposit: 'adjustment' };

/**
 * Nexi (Nets Easy) through its Reporting API: payouts listed by date range, each itemized by its payment actions
 * (both paged by pageNumber/pageSize). Nexi publishes no settlement file layout, so this API is the only source.
 */
export class NexiAcquirer implements AcquirerPort {
  private readonly base: string;
  private readonly acquirer: string;

  constructor(private readonly opts: NexiOptions) {
    this.base = (opts.baseUrl ?? 'https://api.dibspayment.eu').replace(/\/$/, '');
    this.acquirer = opts.acquirer ?? 'nets';
  }

  async listPayouts(since: string): Promise<PayoutSummary[]> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(since)) throw new RangeError(`since must be a date (YYYY-MM-DD), got "${since}"`);
    const today = this.opts.today?.() ?? new Date().toISOString().slice(0, 10);
    const out: PayoutSummary[] = [];
    for (let page = 0; ; page++) {
      const url = new URL(`${this.base}/report/v1/payouts`);
      url.search = new URLSearchParams({ fromDate: since, toDate: today, pageNumber: String(page), pageSize: String(PAGE) }).toString();
      const answer = (await this.get(url, payoutListSchema))!;
      for (const p of answer.payouts) out.push({ payoutId: p.id, paidOutAt: p.date.slice(0, 10), netAmount: p.amount, currency: p.currency });
      if (answer.payouts.length === 0 || (page + 1) * PAGE >= answer.numberOfPayouts) break;
    }
    return out.sort((a, b) => a.paidOutAt.localeCompare(b.paidOutAt) || a.payoutId.localeCompare(b.payoutId));
  }

  async fetchPayout(payoutId: string): Promise<Payout> {
    const list: PaymentAction[] = [];
    let details;
    for (let page = 0; ; page++) {
      const url = new URL(`${this.base}/report/v1/payouts/${encodeURIComponent(payoutId)}`);
      url.search = new URLSearchParams({ pageNumber: String(page), pageSize: String(PAGE) }).toString();
      details = (await this.get(url, payoutDetailsSchema))!;
      list.push(...details.paymentActions);
      if (details.paymentActions.length === 0 || list.length >= details.numberOfPaymentActions) break;
    }
    if (list.length !== details.numberOfPaymentActions) {
      throw new AcquirerAnswerError(`Nexi payout ${payoutId} has ${details.numberOfPaymentActions} payment actions but gave ${list.length}`);
    }
    const payout: Payout = { acquirer: this.acquirer, payoutId, currency: details.currency, paidOutAt: details.date.slice(0, 10), netAmount: details.amount, lines: [] };
    list.forEach((a, i) => {
      const line = toLine(a, i + 1);
      payout.lines.push(line);
      if (!kinds[a.paymentAction.toLowerCase()]) (payout.unknownEntries ??= []).push({ lineNo: i + 1, entryType: a.paymentAction });
    });
    return payout;
  }

  private get<S extends Parameters<typeof callJson>[0]['schema']>(url: URL, schema: S) {
    return callJson({ acquirer: 'Nexi', credentialsFix, url: url.toString(), init: { headers: { Authorization: this.opts.apiKey, Accept: 'application/json' } }, schema, timeoutMs: this.opts.timeoutMs });
  }
}


/** A payment action as a payout line: charges add, refunds take away, each with the fee Nexi withheld for it. */
function toLine(a: PaymentAction, lineNo: number): PayoutLine {
  const type = kinds[a.paymentAction.toLowerCase()] ?? 'adjustment';
  const size = Math.abs(a.amount);
  return compact({
    lineNo,
    type,
    amount: type === 'refund' ? -size : size,
    fee: a.fee,
    currency: a.currency,
    transactionId: a.paymentId ?? undefined,
    orderReference: a.reference ?? a.invoiceNumber ?? undefined,
    paymentMethod: a.paymentMethod?.toLowerCase(),
    date: a.timestamp.slice(0, 10),
    description: type === 'adjustment' ? (kinds[a.paymentAction.toLowerCase()] ? a.paymentAction : `unknown payment action ${a.paymentAction}`) : undefined,
  });
}
