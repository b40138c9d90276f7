import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { payouts } from '../../db/schema';
import { bulkTaskQueue, workflowIds } from '../../workflows/definitions';
import type { payoutWorkflow } from '../../workflows/payout';
import { formatMoney } from '../domain/money';
import type { Payout } from '../domain/payout';
import { BOOKINGS_AHEAD_PER_SHOP, shopPriority } from '../temporal/fairness';
import { writePayoutLines } from './payout-lines';

export interface Connection {
  id: string;
  shopId: string;
  acquirer: string;
}

/** Payout workflows started at once: a file of thousands starts them batch after batch, not in one burst. */
const START_BATCH = 25;

/**
 * Stores payouts (all or none) and starts one booking workflow per payout, START_BATCH at a time: their matching and
 * planning run in parallel and only the voucher postings queue at the ledger's lock. Beyond the first
 * BOOKINGS_AHEAD_PER_SHOP, a list's payouts start behind other shops' work (src/temporal/fairness.ts): a settlement
 * file with a year of payouts does not delay another shop's booking. A payout seen before is left alone.
 */
export async function ingestPayouts(
  db: Db,
  temporal: Client,
  taskQueue: string,
  connection: Connection,
  ledgerId: string,
  list: Payout[],
  /** historical: registered by a history backfill, posted only when the owner marks it. */
  /** progress: called with the payouts started so far after each batch (an activity heartbeats with it). */
  opts: { historical?: boolean; progress?: (started: number) => void } = {},
): Promise<{ workflowIds: string[]; new: number }> {
  const inserted = await db.transaction(async (tx) => {
    if (list.length === 0) return [];
    const stored = await tx
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
    // The page's rows of each new payout, unmatched until its booking plans it (activities/payouts.ts).
    const isNew = new Set(stored.map((r) => r.payoutId));
    for (const p of list) if (isNew.has(p.payoutId)) await writePayoutLines(tx, { shopId: connection.shopId, connectionId: connection.id, payoutId: p.payoutId }, p.lines);
    return stored;
  });
  const ids = list.map((p) => workflowIds.payout(connection.id, p.payoutId));
  const start = (p: Payout, index: number) =>
    temporal.workflow
      .start<typeof payoutWorkflow>('payoutWorkflow', {
        workflowId: workflowIds.payout(connection.id, p.payoutId),
        // Bulk work's own queue and slots (src/worker.ts): a shop's payouts take no slot other shops' orders run in.
        taskQueue: bulkTaskQueue(taskQueue),
        args: [{ shopId: connection.shopId, connectionId: connection.id, payoutId: p.payoutId, ...(opts.historical ? { historical: true } : {}) }],
        priority: shopPriority(connection.shopId, index >= BOOKINGS_AHEAD_PER_SHOP),
        staticSummary: `${connection.acquirer} payout ${p.payoutId} of ${p.paidOutAt}: ${formatMoney(p.netAmount, p.currency)}`,
      })
      .catch((err) => {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      });
  for (let at = 0; at < list.length; at += START_BATCH) {
    await Promise.all(list.slice(at, at + START_BATCH).map((p, i) => start(p, at + i)));
    opts.progress?.(Math.min(list.length, at + START_BATCH));
  }
  return { workflowIds: ids, new: inserted.length };
}
