import Stripe from 'stripe';
import type { Payout, PayoutLine, PayoutSummary } from '../../../domain/payout';
import { UnsupportedPayoutError, type AcquirerPort } from '../port';
import { stripeDate, toPayoutLine } from './balance-transaction';
import { translateStripeError } from './errors';

export interface StripeOptions {
  /** The shop's restricted (read-only) or secret key. */
  apiKey: string;
  /** Where Stripe's API is, e.g. http://127.0.0.1:12111 in tests; Stripe's own host when absent. */
  baseUrl?: string;
  /** Our name for the acquirer on payouts (the connection's acquirer). */
  acquirer?: string;
  /** The library's own retries of 429/5xx/network errors before we see them. */
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

/**
 * Stripe through its official library. Payouts are listed by arrival date; a payout is itemized by its balance
 * transactions (the `payout` filter, which Stripe offers for automatic payouts only), each with its source expanded
 * so we learn the charge, its payment intent and the order id the shop put in its metadata.
 */
export class StripeAcquirer implements AcquirerPort {
  private readonly stripe: Stripe;
  private readonly acquirer: string;

  constructor(opts: StripeOptions) {
    const url = opts.baseUrl ? new URL(opts.baseUrl) : undefined;
    const protocol = url?.protocol === 'http:' ? 'http' : 'https';
    this.stripe = new Stripe(opts.apiKey, {
      maxNetworkRetries: opts.maxNetworkRetries ?? 2,
      timeout: opts.timeoutMs ?? 30_000,
      appInfo: { name: 'ledgerbridge' },
      ...(url ? { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol } : {}),
    });
    this.acquirer = opts.acquirer ?? 'stripe';
  }

  listPayouts(since: string): Promise<PayoutSummary[]> {
    return this.call(async () => {
      const gte = Math.floor(Date.parse(`${since}T00:00:00Z`) / 1000);
      if (Number.isNaN(gte)) throw new RangeError(`since must be a date (YYYY-MM-DD), got "${since}"`);
      const out: PayoutSummary[] = [];
      for await (const p of this.stripe.payouts.list({ arrival_date: { gte }, limit: 100 })) {
        // Pending and in-transit payouts are not in the bank yet; failed and canceled ones never will be.
        if (p.status !== 'paid') continue;
        out.push({ payoutId: p.id, paidOutAt: stripeDate(p.arrival_date), netAmount: p.amount, currency: p.currency.toUpperCase() });
      }
      // Stripe lists newest first; bookings go oldest first.
      return out.sort((a, b) => a.paidOutAt.localeCompare(b.paidOutAt) || a.payoutId.localeCompare(b.payoutId));
    });
  }

  fetchPayout(payoutId: string): Promise<Payout> {
    return this.call(async () => {
      const payout = await this.stripe.payouts.retrieve(payoutId);
      if (!payout.automatic) {
        throw new UnsupportedPayoutError(
          `Stripe payout ${payoutId} is a manual payout: Stripe does not record which transactions a manual payout pays out, so it cannot be itemized and matched. Book it by hand, or switch the Stripe account to automatic payouts.`,
        );
      }
      if (payout.status === 'failed' || payout.status === 'canceled') {
        throw new UnsupportedPayoutError(
          `Stripe payout ${payoutId} is ${payout.status}: nothing reached the bank; its transactions return to the Stripe balance and a later payout pays them.`,
        );
      }
      const lines: PayoutLine[] = [];
      let position = 0;
      for await (const t of this.stripe.balanceTransactions.list({ payout: payoutId, limit: 100, expand: ['data.source'] })) {
        const line = toPayoutLine(t, payoutId, ++position);
        if (line) lines.push(line);
      }
      return {
        acquirer: this.acquirer,
        payoutId,
        currency: payout.currency.toUpperCase(),
        paidOutAt: stripeDate(payout.arrival_date),
        netAmount: payout.amount,
        lines,
      };
    });
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw translateStripeError(err);
    }
  }
}
