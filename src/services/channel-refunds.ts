import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { channelEvents } from '../../db/schema';
import type { ChannelRefundInput } from '../../activities/channel-refunds';
import { workflowIds } from '../../workflows/definitions';
import type { fetchChannelRefundWorkflow } from '../../workflows/fetch-channel-refund';
import type { Intake } from './intake';

/** A fetched refund is kept among the channel events under this id (see activities/channel-refunds.ts). */
export const refundFetchTopic = 'refund.fetched';
const eventIdPrefix = 'rest:refund:';
export const refundFetchEventId = (orderId: string, refundId: string) => `${eventIdPrefix}${orderId}:${refundId}`;
/** The inverse of refundFetchEventId. The refund id is the channel's number; the order id before it may be anything. */
function parseRefundFetchEventId(eventId: string): { orderId: string; refundId: string } | null {
  if (!eventId.startsWith(eventIdPrefix)) return null;
  const rest = eventId.slice(eventIdPrefix.length);
  const split = rest.lastIndexOf(':');
  return split < 1 ? null : { orderId: rest.slice(0, split), refundId: rest.slice(split + 1) };
}

/**
 * Starts one fetch per refund an order update names (WooCommerce sends no refund webhook), without waiting for the
 * store: the webhook must answer fast. Every later update names the same refunds again; the business id makes
 * those starts no-ops while the fetch runs or after it succeeded, and a fetch that failed (refused keys) runs
 * again.
 */
export async function startChannelRefundFetches({ temporal, taskQueue }: Intake, shopId: string, orderId: string, refundIds: readonly string[]): Promise<string[]> {
  const started: string[] = [];
  for (const refundId of new Set(refundIds)) {
    const workflowId = workflowIds.channelRefund(shopId, refundId);
    try {
      await temporal.workflow.start<typeof fetchChannelRefundWorkflow>('fetchChannelRefundWorkflow', {
        workflowId,
        taskQueue,
        args: [{ shopId, orderId, refundId } satisfies ChannelRefundInput],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      });
      started.push(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return started;
}

/**
 * Once the owner saves REST API keys, every refund whose fetch was refused (listed as rejected) is fetched again
 * at once: the fix is enough, without waiting for the order's next update. Answers the refund ids.
 */
export async function refetchRejectedRefunds(intake: Intake, shopId: string): Promise<string[]> {
  const rejected = await intake.db
    .select({ eventId: channelEvents.eventId })
    .from(channelEvents)
    .where(and(eq(channelEvents.shopId, shopId), eq(channelEvents.topic, refundFetchTopic), eq(channelEvents.outcome, 'rejected')));
  const refundIds: string[] = [];
  for (const { eventId } of rejected) {
    const fetch = parseRefundFetchEventId(eventId);
    if (!fetch) continue;
    await startChannelRefundFetches(intake, shopId, fetch.orderId, [fetch.refundId]);
    refundIds.push(fetch.refundId);
  }
  return refundIds;
}
