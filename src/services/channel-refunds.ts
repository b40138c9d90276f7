import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { ChannelRefundInput } from '../../activities/channel-refunds';
import { workflowIds } from '../../workflows/definitions';
import type { fetchChannelRefundWorkflow } from '../../workflows/fetch-channel-refund';
import type { Intake } from './intake';

/**
 * Starts one fetch per refund an order update names (WooCommerce sends no refund webhook), without waiting for the
 * store: the webhook must answer fast. Every later update names the same refunds again; the business id makes
 * those starts no-ops while the fetch runs or after it succeeded, and a fetch that failed (refused keys) runs
 * again, so fixing the keys and the order's next update are enough.
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
