import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { channelEvents, orders } from '../../db/schema';
import {
  ChannelPayloadError,
  RefundContextRequiredError,
  type ChannelEvent,
  type ChannelHeaders,
  type RefundContext,
  type SalesChannel,
} from '../adapters/channels';
import { jsonNestedDeeperThan, tooDeepMessage } from '../domain/json-depth';
import { unstorableReason, unstorableText } from '../domain/storable-text';
import type { Order, Refund } from '../domain/order';
import { workflowIds } from '../../workflows/definitions';
import { listRejectedRefunds } from './channel-refunds';
import { lockOrderIntake, storeHandoffs, type Handoff } from './intake-handoffs';
import { storeOrder, storeRefund } from './intake';

/** What the door needs: the database, and the task queue whose relay hands the deliveries to Temporal. */
export interface Door {
  db: Db;
  taskQueue: string;
}

/** What became of a signed delivery; the route turns it into 401, 200, 202 or 409. */
export type DeliveryOutcome =
  /** Unsigned or wrongly signed: nothing stored. */
  | { outcome: 'refused' }
  /** Seen before (same delivery id): nothing done again. */
  | { outcome: 'duplicate' }
  /** Stored, with its hand-offs to Temporal; reason names carried refunds that did not map. */
  | { outcome: 'accepted'; workflowId: string; reason: string | null }
  /** A topic we do not book. */
  | { outcome: 'ignored'; reason: string }
  /** Does not map: kept as rejected with the field and why, nothing handed over. */
  | { outcome: 'rejected'; field: string | null; reason: string }
  /** A refund before its order: nothing stored, so the platform's retry is taken. */
  | { outcome: 'order_not_received'; orderId: string };

/** A refund before its order: the transaction is rolled back (the delivery is not remembered). */
class NotRemembered extends Error {
  constructor(readonly outcome: DeliveryOutcome) {
    super('delivery not remembered');
  }
}

/** The order id a refund payload belongs to (Shopify: order_id; WooCommerce refunds arrive through their order). */
const orderIdOf = (body: unknown): string | undefined => {
  const id = (body as { order_id?: unknown } | null)?.order_id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
};

/**
 * A signed webhook from Shopify or WooCommerce, taken with one transaction: the delivery (its id dedupes), the
 * mapped order or refund, and the hand-offs to Temporal, which the relay makes later. Nothing here waits for
 * Temporal, so its outage costs no answer; a database failure throws (the route's 500) and leaves nothing behind,
 * so the platform's retry is processed, not dropped as a duplicate.
 */
export async function takeChannelDelivery(
  door: Door,
  d: { shopId: string; platform: string; channel: SalesChannel; headers: ChannelHeaders; raw: Buffer },
): Promise<DeliveryOutcome> {
  const { shopId, platform, channel, headers, raw } = d;
  if (!channel.verify(raw, headers)) return { outcome: 'refused' };
  const topic = channel.topic(headers) ?? 'unknown';
  const eventId = channel.eventId(headers) ?? `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  const deliveryId = channel.deliveryId(headers) ?? null;
  const text = raw.toString('utf8');
  try {
    return await door.db.transaction(async (tx) => {
      const [event] = await tx
        .insert(channelEvents)
        // PostgreSQL text cannot hold NUL; a body with one is not JSON and is rejected below anyway.
        .values({ shopId, platform, eventId, deliveryId, topic, body: text.replaceAll('\u0000', '\ufffd'), outcome: 'received' })
        .onConflictDoNothing()
        .returning({ id: channelEvents.id });
      if (!event) return { outcome: 'duplicate' } as const;
      const settle = (outcome: 'accepted' | 'ignored' | 'rejected', reason: string | null) =>
        tx.update(channelEvents).set({ outcome, reason }).where(eq(channelEvents.id, event.id));

      const mapped = await mapDelivery(tx, shopId, channel, topic, text);
      if (mapped.type === 'rejected') {
        await settle('rejected', mapped.field ? `${mapped.field}: ${mapped.reason}` : mapped.reason);
        return { outcome: 'rejected', field: mapped.field, reason: mapped.reason } as const;
      }
      if (mapped.type === 'ignored') {
        await settle('ignored', mapped.reason);
        return { outcome: 'ignored', reason: mapped.reason } as const;
      }
      if (mapped.type === 'refund') {
        const { workflowId } = await takeRefund({ ...door, db: tx }, shopId, mapped.refund);
        await settle('accepted', null);
        return { outcome: 'accepted', workflowId, reason: null } as const;
      }
      const { order, lineRefs } = mapped;
      await lockOrderIntake(tx, shopId, order.orderId);
      const stored = await storeOrder(tx, shopId, order, lineRefs);
      const handoffs: Handoff[] = [{ kind: 'order', shopName: stored.shopName, ledgerId: stored.ledgerId, snapshot: stored.snapshot }];
      // Refunds the delivery carries whole are booked as they are; one booked before is signalled, not doubled.
      for (const refund of mapped.refunds ?? []) {
        await storeRefund(tx, shopId, refund);
        handoffs.push({ kind: 'refund', shopName: stored.shopName, ledgerId: stored.ledgerId, orderNumber: order.orderNumber, snapshot: refund });
      }
      // After the order: the fetched refunds are mapped against it.
      for (const refundId of new Set(mapped.refundIds)) handoffs.push({ kind: 'refund_fetch', refundId });
      await storeHandoffs(tx, door.taskQueue, shopId, order.orderId, handoffs);
      const reason = mapped.rejectedRefunds?.length
        ? await listRejectedRefunds(tx, { shopId, platform, deliveryId, topic }, order.orderId, mapped.rejectedRefunds)
        : null;
      await settle('accepted', reason);
      return { outcome: 'accepted', workflowId: workflowIds.order(shopId, order.orderId), reason } as const;
    });
  } catch (err) {
    if (err instanceof NotRemembered) return err.outcome;
    throw err;
  }
}

type Mapped = Exclude<ChannelEvent, { type: 'ignored' }> | { type: 'ignored'; reason: string } | { type: 'rejected'; field: string | null; reason: string };

/** The delivery's body as our order or refund; a refund whose order we do not have yet rolls the delivery back. */
async function mapDelivery(tx: Db, shopId: string, channel: SalesChannel, topic: string, text: string): Promise<Mapped> {
  try {
    if (jsonNestedDeeperThan(text)) throw new ChannelPayloadError('body', tooDeepMessage);
    const body: unknown = JSON.parse(text);
    const unstorablePath = unstorableText(body, 'body');
    if (unstorablePath) throw new ChannelPayloadError(unstorablePath, unstorableReason);
    let context: RefundContext | undefined;
    const refundOf = orderIdOf(body);
    if (refundOf && topic.startsWith('refunds')) {
      const [order] = await tx.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.orderId, refundOf)));
      if (order?.channelLineRefs) context = { order: order.snapshot as Order, lineRefs: order.channelLineRefs as string[] };
    }
    return channel.parse(topic, body, context);
  } catch (err) {
    if (err instanceof RefundContextRequiredError) throw new NotRemembered({ outcome: 'order_not_received', orderId: err.orderId });
    if (err instanceof ChannelPayloadError) return { type: 'rejected', field: err.path, reason: err.reason };
    if (err instanceof SyntaxError) return { type: 'rejected', field: null, reason: 'the body is not JSON' };
    throw err;
  }
}

/** An order from the generic webhook: stored with its hand-off in one transaction; answers its booking. */
export async function takeOrder(door: Door, shopId: string, order: Order): Promise<{ workflowId: string; status: string }> {
  return door.db.transaction(async (tx) => {
    await lockOrderIntake(tx, shopId, order.orderId);
    const stored = await storeOrder(tx, shopId, order);
    await storeHandoffs(tx, door.taskQueue, shopId, order.orderId, [{ kind: 'order', shopName: stored.shopName, ledgerId: stored.ledgerId, snapshot: stored.snapshot }]);
    return { workflowId: workflowIds.order(shopId, order.orderId), status: stored.status };
  });
}

/** A refund: stored with its hand-off, behind its order's earlier hand-offs (in a transaction, or a savepoint of one). */
export async function takeRefund(door: Door, shopId: string, refund: Refund): Promise<{ workflowId: string; status: string }> {
  return door.db.transaction(async (tx) => {
    await lockOrderIntake(tx, shopId, refund.orderId);
    const stored = await storeRefund(tx, shopId, refund);
    await storeHandoffs(tx, door.taskQueue, shopId, refund.orderId, [{ kind: 'refund', shopName: stored.shopName, ledgerId: stored.ledgerId, snapshot: refund }]);
    return { workflowId: workflowIds.refund(shopId, refund.refundId), status: stored.status };
  });
}
