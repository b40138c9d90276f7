import { ApplicationFailure } from '@temporalio/activity';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { channelConnections, channelEvents, orders } from '../db/schema';
import { ChannelPayloadError, type ChannelApiError } from '../src/adapters/channels';
import { CredentialDecryptError, type CredentialBox } from '../src/crypto/credentials';
import type { Order } from '../src/domain/order';
import { openChannelApi } from '../src/services/channel-api';
import { refundFetchEventId, refundFetchTopic } from '../src/services/channel-refunds';
import { acceptRefund, type Intake } from '../src/services/intake';
import { channelFailure } from './channel-failures';

export interface ChannelRefundInput {
  shopId: string;
  orderId: string;
  refundId: string;
}

export interface ChannelRefundResult {
  outcome: 'accepted' | 'ignored';
  reason: string | null;
  /** The refund booking's workflow, when the refund returned money. */
  workflowId: string | null;
}

export interface ChannelRefundDeps extends Intake {
  credentials?: CredentialBox;
  testEndpoints?: boolean;
}

/** What to change so that the next attempt succeeds, by what the store said. */
export const fixFor: Record<Exclude<ChannelApiError['kind'], 'rate_limited' | 'unavailable'>, string> = {
  credentials: 'save REST API keys with read access for this store (PUT /v1/channel, api)',
  not_found: 'the store no longer has this order or refund; book it by hand if it was paid out',
  rejected: 'check the store URL saved with PUT /v1/channel',
};

/**
 * The fetched refund is kept among the shop's channel events like a webhook delivery (raw, for audit), and a refund
 * that could not be fetched is listed there as rejected with the reason. Keyed per refund: a later success replaces
 * an earlier failure.
 */
async function recordFetch(
  db: Db,
  input: ChannelRefundInput,
  platform: string,
  outcome: 'accepted' | 'ignored' | 'rejected',
  reason: string | null,
  /** The store's answer; absent when there was none (the failure then keeps a body recorded before). */
  raw?: string,
) {
  const body = raw ?? JSON.stringify({ orderId: input.orderId, refundId: input.refundId });
  await db
    .insert(channelEvents)
    .values({ shopId: input.shopId, platform, eventId: refundFetchEventId(input.orderId, input.refundId), topic: refundFetchTopic, body, outcome, reason })
    .onConflictDoUpdate({ target: [channelEvents.shopId, channelEvents.eventId], set: { outcome, reason, ...(raw !== undefined ? { body: raw } : {}) } });
}

/**
 * Refunds a channel's webhooks only name (WooCommerce): fetched from the store's REST API with the keys stored for
 * the shop (opened here, never part of the workflow's input), mapped against the order we stored, and handed to the
 * refund booking. The store's answers become Temporal's retry decisions: a rate limit waits as long as the store
 * asked, an outage backs off, and refused keys, a missing refund or a payload that does not map are final.
 */
export function channelRefundActivities(deps: ChannelRefundDeps) {
  const { db } = deps;
  return {
    async fetchChannelRefund(input: ChannelRefundInput): Promise<ChannelRefundResult> {
      const { shopId, orderId, refundId } = input;
      const what = `refund ${refundId} of order ${orderId}`;
      let opened: Awaited<ReturnType<typeof openChannelApi>>;
      try {
        opened = await openChannelApi(db, deps.credentials, shopId, deps.testEndpoints);
      } catch (err) {
        if (!(err instanceof CredentialDecryptError)) throw err;
        // Retrying cannot help: the operator changed CREDENTIALS_KEY, or the row was copied from another shop.
        throw ApplicationFailure.nonRetryable(`${what} was not fetched: the saved REST API keys cannot be opened; save them again with PUT /v1/channel`, 'channel_credentials_rejected');
      }
      if (!opened) {
        throw ApplicationFailure.nonRetryable(
          `${what} was not fetched: the shop has no REST API access to its store; save storeUrl and api keys with PUT /v1/channel`,
          'channel_api_missing',
        );
      }
      const [order] = await db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.orderId, orderId)));
      if (!order?.channelLineRefs) throw ApplicationFailure.nonRetryable(`${what}: order ${orderId} was not received from the channel`, 'order_not_received');

      let body: unknown;
      try {
        body = await opened.api.getRefund(orderId, refundId);
      } catch (err) {
        throw channelFailure(err, `${what} was not fetched`, (kind) => fixFor[kind as keyof typeof fixFor]);
      }

      const raw = JSON.stringify(body);
      try {
        const parsed = opened.channel.parseRefund(body, { order: order.snapshot as Order, lineRefs: order.channelLineRefs as string[] });
        if (parsed.type !== 'refund') {
          const reason = parsed.type === 'ignored' ? parsed.reason : `the store answered a ${parsed.type}`;
          await recordFetch(db, input, opened.platform, 'ignored', reason, raw);
          return { outcome: 'ignored', reason, workflowId: null };
        }
        const { workflowId } = await acceptRefund(deps, shopId, parsed.refund);
        await recordFetch(db, input, opened.platform, 'accepted', null, raw);
        return { outcome: 'accepted', reason: null, workflowId };
      } catch (err) {
        if (!(err instanceof ChannelPayloadError)) throw err;
        const reason = `${what} does not map: ${err.path}: ${err.reason}`;
        await recordFetch(db, input, opened.platform, 'rejected', reason, raw);
        throw ApplicationFailure.nonRetryable(reason, 'channel_payload_rejected');
      }
    },

    /** The final word of a refund fetch that gave up: listed with the shop's channel events (outcome rejected). */
    async recordChannelRefundFailure(input: ChannelRefundInput & { reason: string }): Promise<void> {
      const [conn] = await db.select({ platform: channelConnections.platform }).from(channelConnections).where(eq(channelConnections.shopId, input.shopId));
      await recordFetch(db, input, conn?.platform ?? 'unknown', 'rejected', input.reason.slice(0, 1000));
    },
  };
}
