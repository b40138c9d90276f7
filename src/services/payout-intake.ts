import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { payouts } from '../../db/schema';
import { workflowIds } from '../../workflows/definitions';
import type { payoutWorkflow } from '../../workflows/payout';
import { formatMoney } from '../domain/money';
import type { Payout } from '../domain/payout';
import { shopPriority } from '../temporal/fairness';

export interface Connection {
  id: string;
  shopId: string;
  acquirer: string;
}

/**
 * Stores payouts (all or none) and starts one booking workflow per payout, all at once: their matching and planning
 * run in parallel and only the voucher postings queue at the ledger's lock. A payout seen before is left alone.
 */
export async function ingestPayouts(
  db: Db,
  temporal: Client,
  taskQueue: string,
  connection: Connection,
  ledgerId: string,
  list: Payout[],
  /** historical: registered by a history backfill, posted only when the owner marks it. */
  opts: { historical?: boolean } = {},
): Promise<{ workflowIds: string[]; new: number }> {
  const inserted = await db.transaction(async (tx) => {
    if (list.length === 0) return [];
    return tx
      .insert(payouts)
      .values(
        list.map((p) => ({
          connectionId: connection.id,
          payoutId: p.payoutId,
          shopId: connection.shopId,
          ledgerId,
          acquirer: connection.acquirer,
          currency: p.currency,
          paidOutAt: p.paidOutAt,
          netAmount: p.netAmount,
          payout: { ...p, acquirer: connection.acquirer },
          status: 'waiting',
        })),
      )
      .onConflictDoNothing()
      .returning({ payoutId: payouts.payoutId });
  });
  const ids = list.map((p) => workflowIds.payout(connection.id, p.payoutId));
  await Promise.all(
    list.map((p) =>
      temporal.workflow
        .start<typeof payoutWorkflow>('payoutWorkflow', {
          workflowId: workflowIds.payout(connection.id, p.payoutId),
          taskQueue,
          args: [{ shopId: connection.shopId, connectionId: connection.id, payoutId: p.payoutId, ...(opts.historical ? { historical: true } : {}) }],
          priority: shopPriority(connection.shopId),
          staticSummary: `${connection.acquirer} payout ${p.payoutId} of ${p.paidOutAt}: ${formatMoney(p.netAmount, p.currency)}`,
        })
        .catch((err) => {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }),
    ),
  );
  return { workflowIds: ids, new: inserted.length };
}
