/** Runs on a Temporal Schedule per acquirer connection (and on demand): fetches new payouts and starts their bookings. */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { fetchNewPayouts } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 8, nonRetryableErrorTypes: ['acquirer_credentials_rejected', 'acquirer_answer_invalid', 'connection_missing'] },
});

export async function fetchPayoutsWorkflow(input: { connectionId: string }) {
  return fetchNewPayouts(input);
}
