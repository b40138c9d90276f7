import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { backfillWorkflow } from '../../../workflows/backfill';
import { transferSignal, workflowIds, type BackfillProgress } from '../../../workflows/definitions';
import { describeError } from '../../domain/errors';
import { ledgerOfShop } from '../../services/ledger-settings-repository';
import { restartBookings } from '../../services/restart';
import { channelConnectionOf } from '../../services/channel-connection';
import { activateTransfer, backfillProgress, markCandidates, registeredCounts, resetBackfillProgress, transferSetting } from '../../services/transfer-repository';
import { shopPriority } from '../../temporal/fairness';
import { ApiError, errorBody, notFound } from '../errors';
import type { ApiServices } from '../services';

const progressView = z.object({
  status: z.enum(['running', 'completed', 'failed']),
  phase: z.enum(['channel', 'acquirers', 'done']),
  since: z.string(),
  pages: z.number().int(),
  orders: z.number().int(),
  refunds: z.number().int(),
  payouts: z.number().int(),
  rejected: z.number().int().describe('Store objects that did not map: listed under GET /v1/channel/events?outcome=rejected'),
  error: z.object({ code: z.string(), message: z.string(), fix: z.string(), details: z.unknown() }).nullable(),
  line: z.string().describe('The progress as one line for a person'),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});

function progressLine(p: Pick<BackfillProgress, 'status' | 'phase' | 'pages' | 'orders' | 'refunds' | 'payouts' | 'rejected'>, code?: string): string {
  const counts = `${p.orders} orders, ${p.refunds} refunds, ${p.payouts} payouts registered${p.rejected ? `, ${p.rejected} rejected` : ''}`;
  if (p.status === 'failed') return `Backfill failed (${code}): ${counts}. ${code ? describeError(code).fix : ''}`.trim();
  if (p.status === 'completed') return `Backfill done: ${counts} from ${p.pages} pages. Nothing was posted; mark orders with POST /v1/transfer/mark.`;
  const step = p.phase === 'channel' ? `store page ${p.pages + 1}` : 'acquirer payouts';
  return `Backfill running (${step}): ${counts} so far.`;
}

const idList = z.array(z.string().min(1).max(200)).max(1000);

/**
 * History and the switch to automatic transfer: a backfill registers what happened since a date without posting
 * it; the owner marks the historical orders and payouts to transfer, and activates automatic transfer for the rest.
 */
export const transferRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal, taskQueue }) => {
  app.addHook('onRequest', app.shopOnly);

  app.post(
    '/v1/backfill',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['transfer'],
        summary: "Fetch the shop's history since a date (default: the ledger's start date) and register it without posting",
        body: z.object({ since: z.iso.date().optional().describe('YYYY-MM-DD') }).default({}),
        response: { 202: z.object({ workflowId: z.string(), since: z.string() }), 400: errorBody, 401: errorBody, 409: errorBody, 422: errorBody },
      },
    },
    async (req, reply) => {
      const conn = await channelConnectionOf(db, req.shopId);
      if (!conn?.storeUrl || !conn.apiCredentials) {
        throw new ApiError(422, 'channel_api_missing', 'Save the store URL and REST keys with PUT /v1/channel first: the history is fetched from the store API.');
      }
      const since = req.body.since ?? (await ledgerOfShop(db, req.shopId)).startDate;
      const workflowId = workflowIds.backfill(req.shopId);
      await resetBackfillProgress(db, req.shopId, since);
      try {
        await temporal.workflow.start<typeof backfillWorkflow>('backfillWorkflow', { workflowId, taskQueue, args: [{ shopId: req.shopId, since }], priority: shopPriority(req.shopId) });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ApiError(409, 'backfill_running', 'A backfill is running; follow it with GET /v1/backfill.');
        throw err;
      }
      return reply.code(202).send({ workflowId, since });
    },
  );

  app.get(
    '/v1/backfill',
    {
      schema: {
        tags: ['transfer'],
        summary: "The backfill's progress (also while no worker runs)",
        response: { 200: progressView, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const b = await backfillProgress(db, req.shopId);
      if (!b) throw notFound('backfill');
      const status = b.status as BackfillProgress['status'];
      const phase = b.phase as BackfillProgress['phase'];
      const code = (b.error as { code?: string } | null)?.code;
      return {
        ...b,
        status,
        phase,
        error: code ? { code, ...describeError(code), details: (b.error as { details?: unknown }).details ?? null } : null,
        line: progressLine({ ...b, status, phase }, code),
        startedAt: b.startedAt.toISOString(),
        updatedAt: b.updatedAt.toISOString(),
        finishedAt: b.finishedAt?.toISOString() ?? null,
      };
    },
  );

  const transferView = z.object({
    transfer: z.enum(['automatic', 'held']),
    activatedAt: z.string().nullable(),
    registered: z.object({ orders: z.number().int(), historicalOrders: z.number().int(), refunds: z.number().int(), payouts: z.number().int() }),
  });

  app.get(
    '/v1/transfer',
    {
      schema: {
        tags: ['transfer'],
        summary: 'Whether bookings post automatically, and what is registered but held back',
        response: { 200: transferView, 401: errorBody },
      },
    },
    async (req) => {
      const shop = await transferSetting(db, req.shopId);
      return {
        transfer: shop.transfer === 'held' ? ('held' as const) : ('automatic' as const),
        activatedAt: shop.activatedAt?.toISOString() ?? null,
        registered: await registeredCounts(db, req.shopId),
      };
    },
  );

  app.post(
    '/v1/transfer/activate',
    {
      schema: {
        tags: ['transfer'],
        summary: 'Start automatic transfer: what arrives from now on posts, and so do held live orders and payouts (historical ones stay until marked)',
        response: { 200: z.object({ activatedAt: z.string(), released: z.number().int() }), 401: errorBody },
      },
    },
    async (req) => {
      // Held bookings look again; a historical one finds itself still unmarked and stays registered.
      const { activatedAt, heldOrders, heldPayouts } = await activateTransfer(db, req.shopId);
      const { restarted } = await restartBookings(temporal, [
        ...heldOrders.map((o) => workflowIds.order(req.shopId, o.id)),
        ...heldPayouts.map((p) => workflowIds.payout(p.connectionId, p.payoutId)),
      ]);
      return { activatedAt: activatedAt.toISOString(), released: restarted };
    },
  );

  app.post(
    '/v1/transfer/mark',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['transfer'],
        summary: 'Transfer these registered (historical or held) orders and payouts to the ledger; their refunds follow',
        body: z
          .object({
            orderIds: idList.default([]),
            payouts: z.array(z.object({ connectionId: z.string().min(1).max(200), payoutId: z.string().min(1).max(200) })).max(1000).default([]),
          })
          .refine((b) => b.orderIds.length + b.payouts.length > 0, { message: 'name at least one order or payout', path: ['orderIds'] }),
        response: {
          202: z.object({
            marked: z.number().int(),
            notRegistered: z.array(z.string()).describe('Known, but not registered: already posted, or still waiting for something else'),
            unknown: z.array(z.string()),
          }),
          400: errorBody,
          401: errorBody,
        },
      },
    },
    async (req, reply) => {
      const { orderIds, payouts: payoutKeys } = req.body;
      const { orders: found, payouts: foundPayouts } = await markCandidates(db, req.shopId, orderIds, payoutKeys);
      const subjects = [
        ...found.map((o) => ({ key: o.id, status: o.status, workflowId: workflowIds.order(req.shopId, o.id) })),
        ...foundPayouts.map((p) => ({ key: `${p.connectionId}/${p.payoutId}`, status: p.status, workflowId: workflowIds.payout(p.connectionId, p.payoutId) })),
      ];
      const registered = subjects.filter((s) => s.status === 'registered');
      const results = await Promise.allSettled(registered.map((s) => temporal.workflow.getHandle(s.workflowId).signal(transferSignal)));
      const known = new Set(subjects.map((s) => s.key));
      return reply.code(202).send({
        marked: results.filter((r) => r.status === 'fulfilled').length,
        notRegistered: subjects.filter((s) => s.status !== 'registered').map((s) => s.key),
        unknown: [...orderIds, ...payoutKeys.map((p) => `${p.connectionId}/${p.payoutId}`)].filter((k) => !known.has(k)),
      });
    },
  );
};
