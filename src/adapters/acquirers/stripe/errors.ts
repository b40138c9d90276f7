import Stripe from 'stripe';
import { retryAfterMs } from '../http';
import { AcquirerCredentialsError, AcquirerTransientError } from '../port';

export { retryAfterMs } from '../http';

/**
 * Stripe's errors in our terms: a rejected key (401, or 403 for a restricted key without read access to payouts and
 * balance) is a credentials error a person must fix; rate limits, 5xx and network failures are worth retrying.
 * Anything else (e.g. an unknown payout id) is left as Stripe reported it.
 */
export function translateStripeError(err: unknown): unknown {
  if (err instanceof Stripe.errors.StripeAuthenticationError || err instanceof Stripe.errors.StripePermissionError) {
    return new AcquirerCredentialsError(
      `Stripe rejected the API key (${err.message}). Create a restricted key with read access to Payouts and Balance and save it on the acquirer connection.`,
    );
  }
  const serverSide = err instanceof Stripe.errors.StripeAPIError && (err.statusCode === undefined || err.statusCode >= 500);
  if (err instanceof Stripe.errors.StripeRateLimitError || err instanceof Stripe.errors.StripeConnectionError || serverSide) {
    const e = err as InstanceType<typeof Stripe.errors.StripeError>;
    const status = e.statusCode ? ` (HTTP ${e.statusCode})` : '';
    return new AcquirerTransientError(`Stripe is unavailable for now${status}: ${e.message}`, retryAfterMs(e.headers));
  }
  return err;
}
