import Stripe from 'stripe';
import type { Payout, PayoutLine, PayoutLineType, PayoutSummary } from '../../../domain/payout';
import { AcquirerCredentialsError, AcquirerTransientError, UnsupportedPayoutError, type AcquirerPort } from '../port';

export interface StripeOptions {
  /** The shop's restricted or secret key (read access to payouts and balance transactions is enough). */
  apiKey: string;
  /** Where Stripe's API is; tests point it at a local server. */
  baseUrl?: string;
  acquirer?: string;
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

const day = (unix: number) => new Date(unix * 1000).toISOString().slice(0, 10);

/** Stripe's balance transaction types → our payout line types; the payout itself is not a line. */
function lineType(t: Stripe.BalanceTransaction): PayoutLineType | 'skip' {
  switch (t.type) {
    case 'charge':
    case 'payment':
      return 'payment';
    case 'refund':
    case 'payment_refund':
    case 'refund_failure':
      return 'refund';
    case 'payout':
      return 'skip';
    case 'stripe_fee':
    case 'application_fee':
    case 'tax_fee':
      return 'fee';
    default:
      return t.reporting_category === 'dispute' || t.reporting_category === 'dispute_reversal' ? 'chargeback' : 'adjustment';
  }
}

type Source = { id?: string; metadata?: Record<string, string>; payment_intent?: string | { id: string } | null; charge?: string | { id: string; metadata?: Record<string, string> } | null };

/**
 * Stripe through its official library: automatic payouts and, per payout, its balance transactions (the `payout`
 * filter), each with its fee. The order reference comes from the charge's metadata.order_id when the shop sets it.
 */
export class StripeAcquirer implements AcquirerPort {
  private readonly stripe: Stripe;
  private readonly acquirer: string;

  constructor(opts: StripeOptions) {
    const url = opts.baseUrl ? new URL(opts.baseUrl) : undefined;
    this.stripe = new Stripe(opts.apiKey, {
      maxNetworkRetries: opts.maxNetworkRetries ?? 2,
      timeout: opts.timeoutMs ?? 30_000,
      ...(url ? { host: url.hostname, port: url.port || (url.protocol === 'https:' ? 443 : 80), protocol: url.protocol === 'https:' ? 'https' : 'http' } : {}),
    });
    this.acquirer = opts.acquirer ?? 'stripe';
  }

  listPayouts(since: string): Promise<PayoutSummary[]> {
    return this.call(async () => {
      const gte = Math.floor(Date.parse(`${since}T00:00:00Z`) / 1000);
      const out: PayoutSummary[] = [];
      for await (const p of this.stripe.payouts.list({ arrival_date: { gte }, limit: 100 })) {
        if (p.status !== 'paid') continue; // pending or failed payouts are not in the bank (yet)
        out.push({ payoutId: p.id, paidOutAt: day(p.arrival_date), netAmount: p.amount, currency: p.currency.toUpperCase() });
      }
      return out.sort((a, b) => a.paidOutAt.localeCompare(b.paidOutAt));
    });
  }

  fetchPayout(payoutId: string): Promise<Payout> {
    return this.call(async () => {
      const payout = await this.stripe.payouts.retrieve(payoutId);
      if (!payout.automatic) {
        throw new UnsupportedPayoutError(
          `Stripe payout ${payoutId} is a manual payout: Stripe cannot list the transactions it pays, so it must be booked by hand`,
        );
      }
      const lines: PayoutLine[] = [];
      let lineNo = 0;
      for await (const t of this.stripe.balanceTransactions.list({ payout: payoutId, limit: 100, expand: ['data.source'] })) {
        const type = lineType(t);
        lineNo++;
        if (type === 'skip') continue;
        const source = (typeof t.source === 'object' && t.source ? t.source : undefined) as Source | undefined;
        const charge = source?.charge && typeof source.charge === 'object' ? source.charge : undefined;
        const orderReference = source?.metadata?.order_id ?? charge?.metadata?.order_id;
        const paymentIntent = typeof source?.payment_intent === 'string' ? source.payment_intent : source?.payment_intent?.id;
        lines.push({
          lineNo,
          type,
          amount: type === 'fee' ? t.amount - t.fee : t.amount,
          fee: type === 'fee' ? 0 : t.fee,
          currency: t.currency.toUpperCase(),
          transactionId: paymentIntent ?? source?.id ?? (typeof t.source === 'string' ? t.source : t.id),
          ...(orderReference ? { orderReference } : {}),
          date: day(t.created),
          ...(t.description ? { description: t.description } : {}),
        });
      }
      return {
        acquirer: this.acquirer,
        payoutId,
        currency: payout.currency.toUpperCase(),
        paidOutAt: day(payout.arrival_date),
        netAmount: payout.amount,
        lines,
      };
    });
  }

  /** Stripe's errors in our terms: bad key → credentials; rate limits, 5xx and network → retry. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof Stripe.errors.StripeAuthenticationError || err instanceof Stripe.errors.StripePermissionError) {
        throw new AcquirerCredentialsError('Stripe rejected the API key: create a new restricted key with read access to payouts and balance');
      }
      if (err instanceof Stripe.errors.StripeRateLimitError || err instanceof Stripe.errors.StripeConnectionError || (err instanceof Stripe.errors.StripeAPIError && (err.statusCode ?? 500) >= 500)) {
        const retryAfter = Number((err as { headers?: Record<string, string> }).headers?.['retry-after']);
        throw new AcquirerTransientError(`Stripe: ${err.message}`, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
      }
      throw err;
    }
  }
}
