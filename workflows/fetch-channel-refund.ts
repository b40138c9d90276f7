/**
 * Fetches one refund that a channel only names (WooCommerce's order.updated lists refund ids; the refund itself is
 * on the REST API) and hands it to the refund booking. Started by the webhook, so the webhook answers without
 * waiting for the store. A refund that cannot be fetched leaves its reason among the shop's channel events and
 * fails this workflow with it; saving REST API keys (PUT /v1/channel) or the order's next update that names the
 * refund tries again.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { ChannelRefundInput, ChannelRefundResult } from '../activities/channel-refunds';

const { fetchChannelRefund } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 minutes',
  // A store's 429 names its own wait (nextRetryDelay); outages back off up to 5 minutes, about an hour in all.
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 16 },
});
const { recordChannelRefundFailure } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10 },
});

export async function fetchChannelRefundWorkflow(input: ChannelRefundInput): Promise<ChannelRefundResult> {
  try {
    return await fetchChannelRefund(input);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
    const reason = cause?.message ?? err.message;
    await recordChannelRefundFailure({ ...input, reason });
    throw ApplicationFailure.nonRetryable(reason, cause?.type ?? 'channel_refund_failed');
  }
}
