import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { channelEvents } from '../db/schema';
import { ChannelPayloadError } from '../src/adapters/channels';
import { mapDandomainOrder } from '../src/adapters/channels/dandomain';
import { serviceDateTime } from '../src/adapters/channels/dandomain/dates';
import type { CredentialBox } from '../src/crypto/credentials';
import { openDandomain } from '../src/services/dandomain-connection';
import { acceptOrder } from '../src/services/intake';
import { channelFailure } from './channel-failures';

export interface PollPageInput {
  shopId: string;
  /** The interval of changes, ISO 8601. */
  start: string;
  end: string;
  pageIndex: number;
  pageSize: number;
}

export interface PollPageResult {
  /** Orders on the page; fewer than pageSize means it was the last. */
  received: number;
  accepted: number;
  ignored: number;
  rejected: number;
}

/**
 * One page of a Dandomain shop's changed orders, handed to the intake whole: each order is stored and its booking
 * signalled-with-start by its id, so a page read again after a crash books nothing twice. An order that does not map
 * is listed under GET /v1/channel/events as rejected, with where and why, and the rest of the page goes on.
 */
export function pollDandomainActivities(deps: { db: Db; client: Client; taskQueue: string; credentials?: CredentialBox; testEndpoints?: boolean }) {
  const intake = { db: deps.db, temporal: deps.client, taskQueue: deps.taskQueue };
  return {
    async pollDandomainPage(input: PollPageInput): Promise<PollPageResult> {
      const service = await openDandomain(deps.db, deps.credentials, input.shopId, deps.testEndpoints);
      if (!service) throw ApplicationFailure.nonRetryable(`shop ${input.shopId} has no Dandomain connection (PUT /v1/channel)`, 'channel_api_missing');
      // A worker shutting down cancels the page in flight: it is read again, whole, by the next attempt.
      let orders: unknown[];
      try {
        orders = await service.changedOrders(serviceDateTime(input.start), serviceDateTime(input.end), input.pageIndex, input.pageSize, Context.current().cancellationSignal);
      } catch (err) {
        throw channelFailure(err, `Dandomain orders page ${input.pageIndex}`, () => 'save the store URL and API key again (PUT /v1/channel)');
      }
      const result: PollPageResult = { received: orders.length, accepted: 0, ignored: 0, rejected: 0 };
      for (const [i, body] of orders.entries()) {
        Context.current().heartbeat(i);
        let event;
        try {
          event = mapDandomainOrder(body);
        } catch (e) {
          if (!(e instanceof ChannelPayloadError)) throw e;
          await recordRejected(deps.db, input.shopId, body, e);
          result.rejected++;
          continue;
        }
        if (event.type !== 'order') {
          result.ignored++;
          continue;
        }
        await acceptOrder(intake, input.shopId, event.order, event.lineRefs);
        result.accepted++;
      }
      return result;
    },
  };
}

/** Once per order version (its id and modifiedDate), as a webhook delivery would be. */
async function recordRejected(db: Db, shopId: string, body: unknown, e: ChannelPayloadError) {
  const o = (body ?? {}) as { id?: unknown; modifiedDate?: unknown };
  await db
    .insert(channelEvents)
    .values({
      shopId,
      platform: 'dandomain',
      eventId: `order:${String(o.id)}:${String(o.modifiedDate)}`.slice(0, 300),
      topic: 'orders/polled',
      body: JSON.stringify(body).replaceAll('\u0000', '\ufffd'),
      outcome: 'rejected',
      reason: `${e.path}: ${e.reason}`,
    })
    .onConflictDoNothing();
}
