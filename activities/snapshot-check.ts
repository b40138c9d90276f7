/**
 * The full check of a booking's snapshot with the API's own schemas (src/domain/order.ts), outside the workflow
 * sandbox: the workflow bundle carries no validation library (workflows/signal-inputs.ts checks by hand only what
 * workflow code reads besides planning). A snapshot the API would have refused (one signalled straight to Temporal)
 * stops its booking as `invalid_snapshot` before anything is planned or booked.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { BookingError } from '../src/domain/errors';
import { orderSchema, refundSchema } from '../src/domain/order';

/** What a booking gives loadBookingContext to check before it plans from it. */
export type SnapshotToCheck = { order: unknown } | { refund: unknown };

/** At most this many problems are named in the failure's details. */
const MAX_ISSUES = 10;

export function checkSnapshot(snapshot: SnapshotToCheck): void {
  const [subject, result] = 'order' in snapshot ? ['order', orderSchema.safeParse(snapshot.order)] : ['refund', refundSchema.safeParse(snapshot.refund)];
  if (result.success) return;
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((i) => ({ field: i.path.join('.') || '(root)', message: i.message }));
  const err = new BookingError('invalid_snapshot', { subject, issues });
  throw ApplicationFailure.nonRetryable(err.message, err.code, err.details);
}
