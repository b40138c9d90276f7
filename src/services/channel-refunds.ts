import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { channelEvents } from '../../db/schema';
import type { ChannelRefundInput } from '../../activities/channel-refunds';
import type { RejectedRefund } from '../adapters/channels';
import { workflowIds } from '../../workflows/definitions';
import type { fetchChannelRefundWorkflow } from '../../workflows/fetch-channel-refund';
import type { Db } from '../../db/client';
import type { Intake } from './intake';
import { shopPriority } from '../temporal/fairness';

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
        priority: shopPriority(shopId),
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

/**
 * Refunds an order delivery carried that did not map (the order itself was taken): each listed as a rejected channel
 * event with where and why. Keyed per refund, since every later update of the order carries it again. Answers the
 * reason to show on the order's delivery.
 */
export async function listRejectedRefunds(
  db: Db,
  delivery: { shopId: string; platform: string; deliveryId: string | null; topic: string },
  orderId: string,
  rejected: readonly RejectedRefund[],
): Promise<string> {
  const named = rejected.map((r, i) => ({ ...r, name: r.refundId ?? `#${i}`, reason: `refund ${r.refundId ?? `#${i}`} of order ${orderId} was not booked: ${r.path}: ${r.reason}` }));
  for (const r of named) {
    const values = { ...delivery, eventId: `carried:refund:${orderId}:${r.name}`, body: JSON.stringify(r.body), outcome: 'rejected', reason: r.reason };
    await db
      .insert(channelEvents)
      .values(values)
      .onConflictDoUpdate({ target: [channelEvents.shopId, channelEvents.eventId], set: { body: values.body, reason: values.reason, deliveryId: values.deliveryId } });
  }
  return `order taken; ${named.length} carried refund(s) rejected: ${named.map((r) => r.name).join(', ')} (GET /v1/channel/events?outcome=rejected)`;
}
