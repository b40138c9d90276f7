import { ApplicationFailure } from '@temporalio/activity';
import { LedgerTransientError } from '../src/adapters/ledgers/port';
import { BookingError } from '../src/domain/errors';

/**
 * Adapters speak in domain errors; Temporal retries by ApplicationFailure. Business errors become non-retryable
 * failures typed with their catalog code; transient ones retry, after Retry-After when the ledger gave one.
 */
export async function asActivityFailure<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof BookingError) throw ApplicationFailure.nonRetryable(err.message, err.code, err.details);
    if (err instanceof LedgerTransientError) {
      throw ApplicationFailure.create({
        message: err.message,
        type: 'LedgerTransientError',
        nonRetryable: false,
        nextRetryDelay: err.retryAfterMs,
      });
    }
    throw err;
  }
}
