import type { RetryPolicy } from '@temporalio/common';
import { errorCodes } from '../src/domain/errors';

/**
 * Ledger calls: transient faults (timeouts, 5xx, 429) back off and retry; an activity may shorten or lengthen the
 * next wait (Retry-After) through ApplicationFailure.nextRetryDelay. Business errors (the catalog codes) never retry.
 * After the attempts run out the booking fails as `ledger_unreachable` and waits for a restart.
 */
export const ledgerRetry: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 10,
  nonRetryableErrorTypes: [...errorCodes],
};
