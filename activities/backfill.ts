import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { and, eq, inArray } from 'drizzle-orm';
import { acquirerConnections, backfills, channelEvents, refunds } from '../db/schema';
import { findLedgerOfShop } from '../src/services/ledger-settings-repository';
import { ChannelPayloadError, type ChannelApi, type SalesChannel } from '../src/adapters/channels';
import type { CredentialBox } from '../src/crypto/credentials';
import { acceptOrder, acceptRefund, type Intake } from '../src/services/intake';
import { openChannelApi } from '../src/services/channel-api';
import { restartBookings } from '../src/services/restart';
import { workflowIds, type BackfillProgress } from '../workflows/definitions';
import { importApiPayouts, type FetchDeps } from './fetch-payouts';
import { apiSources } from '../src/adapters/acquirers/api';
import { channelFailure } from './channel-failures';

export interface BackfillDeps extends FetchDeps {
  credentials?: CredentialBox;
  testEndpoints?: boolean;
}

export interface PageResult {
  next: string | null;
  orders: number;
  refunds: number;
  rejected: number;
}

/** A REST order is mapped as the webhook that carries the same object would be. */
const orderTopic = { shopify: 'orders/updated', woocommerce: 'order.updated' } as const;

/** An order the store sent that does not map is kept, with where and why, beside the rejected webhooks. */
async function reject(db: Db, shopId: string, platform: string, id: string, body: unknown, err: ChannelPayloadError) {
  await db
    .insert(channelEvents)
    .values({ shopId, platform, eventId: `backfill:${id}`, topic: 'backfill', body: JSON.stringify(body), outcome: 'rejected', reason: `${err.path}: ${err.reason}` })
    .onConflictDoNothing();
}

async function importOne(intake: Intake, shopId: string, platform: 'shopify' | 'woocommerce', channel: SalesChannel, api: ChannelApi, raw: unknown) {
  const id = String((raw as { id?: unknown } | null)?.id ?? 'unknown');
  const counts = { orders: 0, refunds: 0, rejected: 0 };
  let event;
  try {
    event = channel.parse(orderTopic[platform], raw);
  } catch (err) {
    if (!(err instanceof ChannelPayloadError)) throw err;
    await reject(intake.db, shopId, platform, `order:${id}`, raw, err);
    return { ...counts, rejected: 1 };
  }
  if (event.type !== 'order') return counts;
  await acceptOrder(intake, shopId, event.order, event.lineRefs, { historical: true });
  counts.orders++;
  const context = { order: event.order, lineRefs: event.lineRefs };
  for (const body of await api.refundsOf(raw)) {
    try {
      const parsed = channel.parseRefund(body, context);
      if (parsed.type !== 'refund') continue;
      await acceptRefund(intake, shopId, parsed.refund);
      counts.refunds++;
    } catch (err) {
      if (!(err instanceof ChannelPayloadError)) throw err;
      await reject(intake.db, shopId, platform, `refund:${id}:${String((body as { id?: unknown } | null)?.id)}`, body, err);
      counts.rejected++;
    }
  }
  return counts;
}

/** The history backfill's steps: fetch one page of the store's orders, the acquirers' payouts, and record progress. */
export function backfillActivities(deps: BackfillDeps) {
  return { ...orderPageActivities(deps), ...backfillProgressActivities(deps) };
}

function orderPageActivities(deps: BackfillDeps) {
  const { db } = deps;
  const intake: Intake = { db, temporal: deps.client as Client, taskQueue: deps.taskQueue };
  return {
    /**
     * Registers one page of the store's orders (and their refunds) as historical: stored and held, never posted
     * until marked. Idempotent: a page done again after a crash meets the same orders by id.
     */
    async importOrderPage(input: { shopId: string; since: string; cursor: string | null }): Promise<PageResult> {
      const opened = await openChannelApi(db, deps.credentials, input.shopId, deps.testEndpoints);
      if (!opened) {
        throw ApplicationFailure.nonRetryable(
          'the shop has no store API connected — save storeUrl and REST keys with PUT /v1/channel, then start the backfill again',
          'channel_api_missing',
        );
      }
      const { platform, channel, api } = opened;
      try {
        const page = await api.listOrders(input.since, input.cursor);
        const result: PageResult = { next: page.next, orders: 0, refunds: 0, rejected: 0 };
        // A few at a time: each is a database write and a signal, and the store's refund requests are rate limited.
        for (let i = 0; i < page.orders.length; i += 8) {
          const done = await Promise.all(page.orders.slice(i, i + 8).map((raw) => importOne(intake, input.shopId, platform, channel, api, raw)));
          for (const c of done) {
            result.orders += c.orders;
            result.refunds += c.refunds;
            result.rejected += c.rejected;
          }
          Context.current().heartbeat(i);
        }
        return result;
      } catch (err) {
        throw channelFailure(err, "the store's order list was not fetched", (kind) =>
          kind === 'credentials' ? 'save valid REST keys with PUT /v1/channel, then start the backfill again' : 'start the backfill again once it is fixed (POST /v1/backfill)',
        );
      }
    },
  };
}

/** The backfill's steps after the orders: the acquirers' payouts, its progress, and the refunds held with its orders. */
function backfillProgressActivities(deps: BackfillDeps) {
  const { db } = deps;
  return {
    /** Registers the payouts of every acquirer with an API (Stripe, Nexi, Vipps MobilePay) since the date; files are uploaded instead. */
    async importPayoutHistory(input: { shopId: string; since: string }): Promise<{ payouts: number }> {
      const ledger = await findLedgerOfShop(db, input.shopId);
      const conns = await db
        .select()
        .from(acquirerConnections)
        .where(and(eq(acquirerConnections.shopId, input.shopId), inArray(acquirerConnections.source, [...apiSources])));
      let count = 0;
      for (const conn of conns) count += (await importApiPayouts(deps, conn, ledger!.id, input.since, { historical: true })).new;
      return { payouts: count };
    },

    /** Mirrors the workflow's progress into the database, so the API shows it even while no worker runs. */
    async recordBackfill(input: { shopId: string; progress: BackfillProgress }): Promise<void> {
      const p = input.progress;
      const values = {
        since: p.since,
        status: p.status,
        phase: p.phase,
        pages: p.pages,
        orders: p.orders,
        refunds: p.refunds,
        payouts: p.payouts,
        rejected: p.rejected,
        error: p.error ?? null,
        updatedAt: new Date(),
        finishedAt: p.status === 'running' ? null : new Date(),
      };
      await db
        .insert(backfills)
        .values({ shopId: input.shopId, ...values })
        .onConflictDoUpdate({ target: backfills.shopId, set: values });
    },

    /** A held order was posted: its refunds, held with it, may follow now instead of at their next look. */
    async releaseRefundsOf(input: { shopId: string; orderId: string }): Promise<number> {
      const rows = await db
        .select({ id: refunds.refundId })
        .from(refunds)
        .where(and(eq(refunds.shopId, input.shopId), eq(refunds.orderId, input.orderId), inArray(refunds.status, ['registered', 'waiting'])));
      await restartBookings(deps.client, rows.map((r) => workflowIds.refund(input.shopId, r.id)));
      return rows.length;
    },
  };
}
