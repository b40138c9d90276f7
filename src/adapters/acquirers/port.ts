import type { Payout, PayoutSummary } from '../../domain/payout';

export type { Payout, PayoutSummary } from '../../domain/payout';

/** The acquirer port: what a payout booking needs from an acquirer with an API. */
export interface AcquirerPort {
  /** Paid-out payouts that arrived on or after the date (YYYY-MM-DD), oldest first. */
  listPayouts(since: string): Promise<PayoutSummary[]>;
  /** One payout with every line it pays out. */
  fetchPayout(payoutId: string): Promise<Payout>;
}

/** The acquirer refused our credentials: the owner must renew the key. Not worth retrying. */
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

/** A payout we cannot itemize (e.g. a Stripe manual payout, or one that failed): it must be booked by hand. */
export class UnsupportedPayoutError extends Error {
  override name = 'UnsupportedPayoutError';
}

/**
 * A settlement file we refuse, with the 1-based line of the file and the reason. Parsers throw it before returning
 * anything, so nothing of such a file is booked.
 */
export class SettlementParseError extends Error {
  override name = 'SettlementParseError';
  constructor(
    readonly lineNumber: number,
    readonly reason: string,
  ) {
    super(`line ${lineNumber}: ${reason}`);
  }
}
