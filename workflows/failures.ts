/** Turns what went wrong in a booking into a failure state with a catalog code, or rethrows a real bug. */
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { BookingError, errorCatalog } from '../src/domain/errors';
import type { BookingFailure } from './definitions';

export function toBookingFailure(err: unknown): BookingFailure {
  if (err instanceof BookingError) return { code: err.code, details: err.details };
  if (err instanceof ActivityFailure) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && cause.type && cause.type in errorCatalog) {
      return { code: cause.type, details: (cause.details?.[0] as Record<string, unknown> | undefined) ?? {} };
    }
    // Retries ran out on a transient fault (timeouts, 5xx, 429): the ledger is unreachable for now.
    const message = cause instanceof TimeoutFailure ? 'the ledger did not answer in time' : (cause?.message ?? err.message);
    return { code: 'ledger_unreachable', details: { activity: err.activityType, message } };
  }
  throw err;
}
