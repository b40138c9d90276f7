import type { Client } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { ledgers, orders, refunds, shops } from '../../db/schema';
import { orderSnapshotSignal, refundSnapshotSignal, workflowIds } from '../../workflows/definitions';
import type { orderWorkflow } from '../../workflows/order';
import type { refundWorkflow } from '../../workflows/refund';
import type { Order, Refund } from '../domain/order';
import { shopPriority } from '../temporal/fairness';
import { BookingStatus, LedgerId, OrderNumber, ShopId } from '../temporal/search-attributes';
import { shopHasBacklog } from './bookings-in-progress';

export interface Intake {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

/** The shop's ledger, and the shop's name for the booking's summary in the Temporal UI (one query). */
export async function shopLedger(db: Db, shopId: string) {
  const [row] = await db
    .select({ ledgerId: ledgers.id, shopName: shops.name })
    .from(shops)
    .innerJoin(ledgers, eq(ledgers.id, shops.ledgerId))
    .where(eq(shops.id, shopId));
  if (!row) throw new Error(`shop ${shopId} has no ledger`);
  return row;
}

/**
 * An order from any channel: store the snapshot, then signal-with-start its booking by business id, so a repeated,
 * late or out-of-order delivery reaches the same booking. Answers the workflow id and the current booking status.
 * Webhooks do not wait for Temporal: they store and leave the signal to the relay (src/services/webhook-intake.ts).
 */
export async function acceptOrder(
  { db, temporal, taskQueue }: Intake,
  shopId: string,
  order: Order,
  channelLineRefs?: string[],
  /** historical: registered by a history backfill, posted only when the owner marks it. */
  opts: { historical?: boolean } = {},
): Promise<{ workflowId: string; status: string }> {
  const stored = await storeOrder(db, shopId, order, channelLineRefs, opts);
  // The order was stored above and counts itself.
  const backlog = opts.historical || (await shopHasBacklog(db, shopId));
  const workflowId = await bookOrder(temporal, taskQueue, { shopId, shopName: stored.shopName, ledgerId: stored.ledgerId, snapshot: stored.snapshot, historical: opts.historical, backlog });
  return { workflowId, status: stored.status };
}

/**
 * Stores an order's snapshot (a delivery older than the stored one refreshes nothing). Answers the snapshot its
 * booking is to get, the newest stored, and the booking status.
 */
export async function storeOrder(
  db: Db,
  shopId: string,
  order: Order,
  channelLineRefs?: string[],
  opts: { historical?: boolean } = {},
): Promise<{ snapshot: Order; status: string; shopName: string; ledgerId: string }> {
  const { ledgerId, shopName } = await shopLedger(db, shopId);
  // In UTC, so that the database compares two of them as text: no cast that an unusual offset could make fail.
  const updatedAt = order.updatedAt && new Date(order.updatedAt).toISOString();
  const snapshot: Order = updatedAt ? { ...order, updatedAt } : order;
  const row = {
    shopId,
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    ledgerId,
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
  return { snapshot: current.snapshot as Order, status: current.status, shopName, ledgerId };
}

/**
 * Signal-with-start of an order's booking with its snapshot: a delivery, or a restart of a booking that ended
 * (expired) and must run again from what is stored.
 */
export async function bookOrder(
  temporal: Client,
  taskQueue: string,
  /** backlog: start behind other shops' work (a shop with many bookings in progress, a backfill); src/temporal/fairness.ts. */
  b: { shopId: string; shopName: string; ledgerId?: string; snapshot: Order; historical?: boolean; backlog?: boolean },
): Promise<string> {
  const workflowId = workflowIds.order(b.shopId, b.snapshot.orderId);
  await temporal.workflow.signalWithStart<typeof orderWorkflow, [Order]>('orderWorkflow', {
    workflowId,
    taskQueue,
    // What an operator reads in the Temporal UI's list instead of ids; the state is in the workflow's details.
    staticSummary: `Order ${b.snapshot.orderNumber} · ${b.shopName}`,
    // Only the first delivery starts the workflow: an order the shop sent live stays live if a backfill finds it too.
    args: [{ shopId: b.shopId, orderId: b.snapshot.orderId, ...(b.historical ? { historical: true } : {}) }],
    signal: orderSnapshotSignal,
    signalArgs: [b.snapshot],
    typedSearchAttributes: atStart(b.shopId, b.ledgerId, b.snapshot.orderNumber),
    priority: shopPriority(b.shopId, b.backlog),
  });
  return workflowId;
}

/**
 * The search attributes a booking starts with (they apply only when the signal starts the workflow): the Temporal UI
 * finds it by shop, ledger, order number and status from its start, before its first try. The workflow still writes
 * the identifying ones on its first try (workflows/booking-state.ts identify): skipping that write needs a patch, and
 * a patch costs two history events (its marker and sdk-core's TemporalChangeVersion upsert) to save one.
 */
function atStart(shopId: string, ledgerId: string | undefined, orderNumber: string | undefined) {
  return [
    { key: ShopId, value: shopId },
    { key: BookingStatus, value: 'waiting' },
    ...(ledgerId ? [{ key: LedgerId, value: ledgerId }] : []),
    ...(orderNumber ? [{ key: OrderNumber, value: orderNumber }] : []),
  ];
}

/** A refund from any channel: stored, then booked once its order is booked. */
export async function acceptRefund({ db, temporal, taskQueue }: Intake, shopId: string, refund: Refund): Promise<{ workflowId: string; status: string }> {
  const stored = await storeRefund(db, shopId, refund);
  const workflowId = await bookRefund(temporal, taskQueue, { shopId, shopName: stored.shopName, ledgerId: stored.ledgerId, snapshot: refund });
  return { workflowId, status: stored.status };
}

/** Stores a refund's snapshot; answers its booking status. */
export async function storeRefund(db: Db, shopId: string, refund: Refund): Promise<{ status: string; shopName: string; ledgerId: string }> {
  const { ledgerId, shopName } = await shopLedger(db, shopId);
  const [saved] = await db
    .insert(refunds)
    .values({
      shopId,
      refundId: refund.refundId,
      orderId: refund.orderId,
      ledgerId,
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
  return { status: saved!.status, shopName, ledgerId };
}

/** Signal-with-start of a refund's booking with its snapshot (a delivery, or a restart of an expired one). */
export async function bookRefund(
  temporal: Client,
  taskQueue: string,
  /** orderNumber: its order's, when the delivery carried the order (a search attribute from the start). */
  b: { shopId: string; shopName: string; ledgerId?: string; orderNumber?: string; snapshot: Refund },
): Promise<string> {
  const workflowId = workflowIds.refund(b.shopId, b.snapshot.refundId);
  await temporal.workflow.signalWithStart<typeof refundWorkflow, [Refund]>('refundWorkflow', {
    workflowId,
    taskQueue,
    staticSummary: `Refund ${b.snapshot.refundId} of order ${b.snapshot.orderId} · ${b.shopName}`,
    args: [{ shopId: b.shopId, refundId: b.snapshot.refundId }],
    signal: refundSnapshotSignal,
    signalArgs: [b.snapshot],
    typedSearchAttributes: atStart(b.shopId, b.ledgerId, b.orderNumber),
    priority: shopPriority(b.shopId),
  });
  return workflowId;
}
