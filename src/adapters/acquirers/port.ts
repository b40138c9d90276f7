import type { Payout, PayoutSummary } from '../../domain/payout';

/** The acquirer port: what a payout booking needs from an acquirer with an API. */
export interface AcquirerPort {
  /** Payouts that arrived on or after the date (YYYY-MM-DD), oldest first. */
  listPayouts(since: string): Promise<PayoutSummary[]>;
  /** One payout with every line it pays out. */
  fetchPayout(payoutId: string): Promise<Payout>;
}

/** The acquirer refused our credentials: the owner must renew the key. */
export class AcquirerCredentialsError extends Error {
  override name = 'AcquirerCredentialsError';
}

/** Worth retrying (rate limit, 5xx, network), after retryAfterMs when the acquirer said so. */
export class AcquirerTransientError extends Error {
  override name = 'AcquirerTransientError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A payout we cannot itemize (e.g. a Stripe manual payout): it must be booked by hand. */
export class UnsupportedPayoutError extends Error {
  override name = 'UnsupportedPayoutError';
}
