import type { Client } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { orders, refunds, shops } from '../../db/schema';
import { orderSnapshotSignal, refundSnapshotSignal, workflowIds } from '../../workflows/definitions';
import type { orderWorkflow } from '../../workflows/order';
import type { refundWorkflow } from '../../workflows/refund';
import type { Order, Refund } from '../domain/order';
import { ledgerOfShop } from '../api/shops';

const shopName = async (db: Db, shopId: string) => (await db.select({ name: shops.name }).from(shops).where(eq(shops.id, shopId)))[0]?.name ?? shopId;

export interface Intake {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

/**
 * An order from any channel: store the snapshot, then signal-with-start its booking by business id, so a repeated,
 * late or out-of-order delivery reaches the same booking. Answers the workflow id and the current booking status.
 */
export async function acceptOrder(
  { db, temporal, taskQueue }: Intake,
  shopId: string,
  order: Order,
  channelLineRefs?: string[],
  /** historical: registered by a history backfill, posted only when the owner marks it. */
  opts: { historical?: boolean } = {},
): Promise<{ workflowId: string; status: string }> {
  const ledger = await ledgerOfShop(db, shopId);
  // In UTC, so that the database compares two of them as text: no cast that an unusual offset could make fail.
  const updatedAt = order.updatedAt && new Date(order.updatedAt).toISOString();
  const snapshot: Order = updatedAt ? { ...order, updatedAt } : order;
  const row = {
    shopId,
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    ledgerId: ledger.id,
    status: 'waiting',
    currency: order.currency,
    total: order.total,
    orderStatus: order.status,
    snapshot,
    channelLineRefs: channelLineRefs ?? null,
    historical: opts.historical ?? false,
  };
  const storedUpdatedAt = sql`${orders.snapshot}->>'updatedAt'`;
  const [saved] = await db
    .insert(orders)
    .values(row)
    .onConflictDoUpdate({
      target: [orders.shopId, orders.orderId],
      // The booking status is the workflow's to change; a webhook only refreshes the snapshot.
      set: {
        orderNumber: row.orderNumber,
        currency: row.currency,
        total: row.total,
        orderStatus: row.orderStatus,
        snapshot: row.snapshot,
        ...(channelLineRefs ? { channelLineRefs } : {}),
        updatedAt: sql`now()`,
      },
      // A delivery older than the stored snapshot (see Order.updatedAt) refreshes nothing.
      ...(updatedAt ? { setWhere: sql`${storedUpdatedAt} is null or ${storedUpdatedAt} collate "C" <= ${updatedAt}` } : {}),
    })
    .returning({ status: orders.status });
  // Refused as older: the booking still gets the newest snapshot (and is started, should an earlier try have failed).
  const current = saved
    ? { status: saved.status, snapshot }
    : (await db.select({ status: orders.status, snapshot: orders.snapshot }).from(orders).where(and(eq(orders.shopId, shopId), eq(orders.orderId, order.orderId))))[0]!;
  const workflowId = workflowIds.order(shopId, order.orderId);
  await temporal.workflow.signalWithStart<typeof orderWorkflow, [Order]>('orderWorkflow', {
    workflowId,
    taskQueue,
    // Only the first delivery starts the workflow: an order the shop sent live stays live if a backfill finds it too.
    args: [{ shopId, orderId: order.orderId, ...(opts.historical ? { historical: true } : {}) }],
    signal: orderSnapshotSignal,
    signalArgs: [current.snapshot as Order],
    // The row an operator sees in the Web UI's list, instead of ids (set when the workflow starts).
    staticSummary: `Order ${order.orderNumber} · ${await shopName(db, shopId)}`,
  });
  return { workflowId, status: current.status };
}

/** A refund from any channel: stored, then booked once its order is booked. */
export async function acceptRefund({ db, temporal, taskQueue }: Intake, shopId: string, refund: Refund): Promise<{ workflowId: string; status: string }> {
  const ledger = await ledgerOfShop(db, shopId);
  const [saved] = await db
    .insert(refunds)
    .values({
      shopId,
      refundId: refund.refundId,
      orderId: refund.orderId,
      ledgerId: ledger.id,
      status: 'waiting',
      currency: refund.currency,
      amount: refund.amount,
      snapshot: refund,
    })
    .onConflictDoUpdate({
      target: [refunds.shopId, refunds.refundId],
      set: { snapshot: refund, amount: refund.amount, updatedAt: sql`now()` },
    })
    .returning({ status: refunds.status });
  const workflowId = workflowIds.refund(shopId, refund.refundId);
  await temporal.workflow.signalWithStart<typeof refundWorkflow, [Refund]>('refundWorkflow', {
    workflowId,
    taskQueue,
    args: [{ shopId, refundId: refund.refundId }],
    signal: refundSnapshotSignal,
    signalArgs: [refund],
    staticSummary: `Refund ${refund.refundId} of order ${refund.orderId} · ${await shopName(db, shopId)}`,
  });
  return { workflowId, status: saved!.status };
}
