import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bookDraftSignal, bookingStatuses, workflowIds } from '../../../workflows/definitions';
import { signalSome } from '../../services/restart';
import { defaultWorkLimits } from '../../services/work-limits';
import { bookingProgress, selectedBookings } from '../../services/sales';
import { errorBody } from '../errors';
import type { ApiServices } from '../services';

/**
 * The sales list's paging and the bulk actions on it (the shop owner's app, issue 14): the query of GET /v1/orders
 * and GET /v1/refunds, the selection body of POST /v1/orders/restart and /v1/orders/book-drafts, and how far such an
 * action has come.
 */

/** Bookings one bulk call acts on, of each kind: more are acted on by calling again with `after`. */
export const SELECTION_LIMIT = 1000;

const filterFields = {
  errorCode: z.string().max(100).optional(),
  from: z.iso.date().optional().describe("On or after this date of the order (refund) in the shop (YYYY-MM-DD)"),
  to: z.iso.date().optional().describe('On or before this date (YYYY-MM-DD)'),
  search: z.string().trim().min(1).max(100).optional().describe('Part of the order number, or an order or refund id'),
};

const listShape = {
  status: z.enum(bookingStatuses).optional(),
  ...filterFields,
  sort: z.enum(['id', 'newest']).default('id').describe('id: by id, paged with cursor; newest: by date in the shop, newest first, paged with offset'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().optional().describe('nextCursor of the previous page (sort=id)'),
  offset: z.coerce.number().int().min(0).max(1_000_000).optional().describe('How many to skip (instead of a cursor)'),
};
const cursorOrOffset = (q: { sort: string; cursor?: string; offset?: number }, ctx: z.RefinementCtx) => {
  if (q.cursor !== undefined && (q.sort !== 'id' || q.offset !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'a cursor pages sort=id only, and not together with offset' });
  }
};
export const orderListQuery = z.object(listShape).superRefine(cursorOrOffset);
export const refundListQuery = z.object({ ...listShape, orderId: z.string().min(1).max(200).optional().describe('Only the refunds of this order') }).superRefine(cursorOrOffset);

export const listTotals = {
  matching: z.number().int().describe('How many match the filter, on every page'),
  facets: z
    .object({ status: z.record(z.string(), z.number().int()), errorCode: z.record(z.string(), z.number().int()) })
    .describe('How many match the filter in each booking status (the status filter left out) and with each error code (the error filter left out)'),
};

const idList = z.array(z.string().min(1).max(200)).max(SELECTION_LIMIT);

export const selectionBody = z
  .object({
    subject: z.enum(['order', 'refund', 'all']).default('all'),
    ...filterFields,
    orderIds: idList.optional().describe('Only these orders (ticked in a list); with refundIds absent, no refunds'),
    refundIds: idList.optional().describe('Only these refunds; with orderIds absent, no orders'),
    after: z.string().min(1).max(200).optional().describe('Continue after this id: the last one the previous call acted on, while it answered more > 0'),
  })
  .default({ subject: 'all' });

export const saleRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal, workLimits = defaultWorkLimits }) => {
  app.addHook('onRequest', app.shopOnly);

  app.post(
    '/v1/orders/book-drafts',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['orders'],
        summary: `Book the draft invoices (and register their payments) of the orders that match the filter, or of the ids given; at most ${SELECTION_LIMIT} a call and no more than the shop has room for (more: how many are left)`,
        description:
          'Within the work limits, as POST /v1/orders/restart: at most WORK_PER_REQUEST a request and no more than the shop has room for (RUNNING_WORK_PER_SHOP); `more` counts the matched drafts left for another call; 429 with Retry-After when the shop has no room now.',
        body: selectionBody,
        response: {
          202: z.object({ matched: z.number(), signalled: z.number(), more: z.number(), orderIds: z.array(z.string()).describe('the orders signalled by this call'), since: z.string() }),
          400: errorBody,
          401: errorBody,
          429: errorBody,
        },
      },
    },
    async (req, reply) => {
      const since = new Date();
      const selected = await selectedBookings(db, req.shopId, req.body, 'drafted', SELECTION_LIMIT, ['order']);
      const ids = selected.orderIds.map((id) => workflowIds.order(req.shopId, id));
      const { signalled, more } = await signalSome(db, temporal, req.shopId, workLimits, ids, bookDraftSignal);
      const orderIds = selected.orderIds.slice(0, ids.length - more);
      return reply.code(202).send({ matched: ids.length + selected.more, signalled, more: more + selected.more, orderIds, since: since.toISOString() });
    },
  );

  const manyIds = z.array(z.string().min(1).max(200)).max(10 * SELECTION_LIMIT).default([]);
  app.post(
    '/v1/orders/progress',
    {
      // Only reads: whoever may see the orders may follow an action on them.
      config: { minRole: 'viewer' },
      schema: {
        tags: ['orders'],
        summary: 'How far a restart or booking of these orders and refunds has come: how many are in each state, and how many have settled (booked, drafted, failed again …) since the action',
        body: z.object({ orderIds: manyIds, refundIds: manyIds, since: z.iso.datetime({ offset: true }).describe('The since of the action\'s answer') }),
        response: { 200: z.object({ acted: z.number().describe('How many orders and refunds the action took'), settled: z.number(), byStatus: z.record(z.string(), z.number()) }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => bookingProgress(db, req.shopId, req.body, new Date(req.body.since)),
  );
};
