import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bookDraftSignal, bookingStatuses, restartSignal, workflowIds } from '../../../workflows/definitions';
import { describeError } from '../../domain/errors';
import { documentStateValues } from '../../domain/posting';
import { ApiError, errorBody, notFound } from '../errors';
import { documentStates, type StatesByKind } from '../../services/document-states';
import { bookOrder, bookRefund, shopLedger } from '../../services/intake';
import { restartSome } from '../../services/restart';
import { listOrders, listRefunds, selectedBookings } from '../../services/sales';
import { defaultWorkLimits } from '../../services/work-limits';
import { bookingTimeline, orderOf, refundOf, type OrderRow } from '../../services/order-repository';
import type { Order, Refund } from '../../domain/order';
import { listTotals, orderListQuery, refundListQuery, selectionBody, SELECTION_LIMIT } from './sales';
import type { ApiServices } from '../services';
import type { RefundRow } from '../../services/sales';

const statuses = bookingStatuses;

const failure = z
  .object({ code: z.string(), message: z.string(), fix: z.string(), details: z.unknown() })
  .nullable()
  .describe('Why the booking stopped and what to do about it');

const documentState = z
  .enum(documentStateValues)
  .nullable()
  .describe("How the ledger holds the document: in_journal = entered in the ledger's journal (e-conomic's daybook), where it waits until someone books the journal there");

const orderView = z.object({
  orderId: z.string(),
  orderNumber: z.string(),
  status: z.enum(statuses),
  orderStatus: z.string().describe("The order's status in the shop"),
  orderedAt: z.string().describe("The order's date and time in the shop"),
  currency: z.string(),
  total: z.number().int().describe('minor units (øre, cents) of currency: 10000 DKK is 100.00 kr.'),
  documents: z.object({ invoice: z.string().nullable(), payment: z.string().nullable() }),
  documentStates: z.object({ invoice: documentState, payment: documentState }),
  error: failure,
  updatedAt: z.string(),
});

const refundView = z.object({
  refundId: z.string(),
  orderId: z.string(),
  orderNumber: z.string().nullable().describe("The refunded order's number in the shop (null while the order is not known yet)"),
  refundedAt: z.string().describe("The refund's date and time in the shop"),
  status: z.enum(statuses),
  currency: z.string(),
  amount: z.number().int().describe('minor units (øre, cents) of currency'),
  documents: z.object({ creditNote: z.string().nullable(), refundPayment: z.string().nullable() }),
  documentStates: z.object({ creditNote: documentState, refundPayment: documentState }),
  error: failure,
  waitingFor: z
    .object({ code: z.string(), message: z.string(), fix: z.string(), details: z.unknown() })
    .nullable()
    .describe('What a waiting refund waits for (its order, or its order\'s payment) and what to do about it'),
  updatedAt: z.string(),
});

const errorOf = (code: string | null, details: unknown) => (code ? { code, ...describeError(code), details } : null);

const toOrderView = (o: OrderRow, states: StatesByKind = {}): z.infer<typeof orderView> => ({
  orderId: o.orderId,
  orderNumber: o.orderNumber,
  status: o.status as (typeof statuses)[number],
  orderStatus: o.orderStatus,
  orderedAt: (o.snapshot as { createdAt: string }).createdAt,
  currency: o.currency,
  total: o.total,
  documents: { invoice: o.invoiceVoucherNumber, payment: o.paymentVoucherNumber },
  documentStates: { invoice: states.invoice ?? null, payment: states.payment ?? null },
  error: errorOf(o.errorCode, o.errorDetails),
  updatedAt: o.updatedAt.toISOString(),
});

// A waiting refund keeps what it waits for in the error columns (a catalog code), so `errorCode` filters find it too.
const toRefundView = ({ refund: r, orderNumber }: RefundRow, states: StatesByKind = {}): z.infer<typeof refundView> => ({
  refundId: r.refundId,
  orderId: r.orderId,
  orderNumber,
  refundedAt: (r.snapshot as { createdAt: string }).createdAt,
  status: r.status as (typeof statuses)[number],
  currency: r.currency,
  amount: r.amount,
  documents: { creditNote: r.creditNoteVoucherNumber, refundPayment: r.refundPaymentVoucherNumber },
  documentStates: { creditNote: states.credit_note ?? null, refundPayment: states.refund_payment ?? null },
  error: r.status === 'waiting' ? null : errorOf(r.errorCode, r.errorDetails),
  waitingFor: r.status === 'waiting' ? errorOf(r.errorCode, r.errorDetails) : null,
  updatedAt: r.updatedAt.toISOString(),
});


const orderIdParams = z.object({ orderId: z.string().min(1).max(200) });
const refundIdParams = z.object({ refundId: z.string().min(1).max(200) });
const timelineView = z.object({ events: z.array(z.object({ at: z.string(), status: z.string(), reason: z.string().nullable() })) });

/** Orders and refunds of the calling shop: their state, timeline, and restarts. */
export const orderRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal, taskQueue, workLimits = defaultWorkLimits }) => {
  app.addHook('onRequest', app.shopOnly);

  const findOrder = async (shopId: string, orderId: string) => {
    const order = await orderOf(db, shopId, orderId);
    if (!order) throw notFound(`order ${orderId}`);
    return order;
  };
  const orderViews = async (rows: OrderRow[]) => {
    const statesOf = await documentStates(db, rows.map((o) => ({ ledgerId: o.ledgerId, reference: o.orderId, shopId: o.shopId })));
    return rows.map((o) => toOrderView(o, statesOf({ ledgerId: o.ledgerId, reference: o.orderId, shopId: o.shopId })));
  };
  const refundViews = async (rows: RefundRow[]) => {
    const statesOf = await documentStates(db, rows.map(({ refund: r }) => ({ ledgerId: r.ledgerId, reference: r.refundId, shopId: r.shopId })));
    return rows.map((row) => toRefundView(row, statesOf({ ledgerId: row.refund.ledgerId, reference: row.refund.refundId, shopId: row.refund.shopId })));
  };
  const findRefund = async (shopId: string, refundId: string): Promise<RefundRow> => {
    const row = await refundOf(db, shopId, refundId);
    if (!row) throw notFound(`refund ${refundId}`);
    return row;
  };
  const timeline = async (shopId: string, subject: 'order' | 'refund', subjectId: string) => {
    const events = await bookingTimeline(db, shopId, subject, subjectId);
    return { events: events.map((e) => ({ at: e.at.toISOString(), status: e.status, reason: e.reason })) };
  };

  app.get(
    '/v1/orders/:orderId',
    {
      schema: {
        tags: ['orders'],
        summary: "An order's booking state and voucher numbers",
        params: orderIdParams,
        response: { 200: orderView, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => (await orderViews([await findOrder(req.shopId, req.params.orderId)]))[0]!,
  );

  app.get(
    '/v1/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Orders, filtered by booking status, error code, order date or number: by order id with a cursor, or newest first with an offset; with how many match and counts per state and error',
        querystring: orderListQuery,
        response: { 200: z.object({ orders: z.array(orderView), nextCursor: z.string().nullable(), ...listTotals }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => {
      const { limit, cursor, offset, sort, ...filter } = req.query;
      const page = await listOrders(db, req.shopId, filter, { limit, cursor, offset, sort });
      return { orders: await orderViews(page.rows), nextCursor: page.nextCursor, matching: page.matching, facets: page.facets };
    },
  );

  app.get(
    '/v1/orders/:orderId/timeline',
    {
      schema: {
        tags: ['orders'],
        summary: 'Every state change of the order, with time and reason',
        params: orderIdParams,
        response: { 200: timelineView, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      await findOrder(req.shopId, req.params.orderId);
      return timeline(req.shopId, 'order', req.params.orderId);
    },
  );

  app.post(
    '/v1/orders/:orderId/restart',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['orders'],
        summary: 'Try a failed booking again, or run an expired one again from its stored order',
        params: orderIdParams,
        response: { 202: z.object({ restarted: z.boolean() }), 401: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const order = await findOrder(req.shopId, req.params.orderId);
      if (order.status === 'expired') {
        // Its workflow has ended: a new run starts from the stored snapshot, as the shop's next delivery would.
        const { shopName, ledgerId } = await shopLedger(db, req.shopId);
        await bookOrder(temporal, taskQueue, { shopId: req.shopId, shopName, ledgerId, snapshot: order.snapshot as Order, historical: order.historical });
        return reply.code(202).send({ restarted: true });
      }
      if (order.status !== 'failed') {
        throw new ApiError(409, 'not_failed', `order is ${order.status}; only failed or expired orders restart`);
      }
      await temporal.workflow.getHandle(workflowIds.order(req.shopId, order.orderId)).signal(restartSignal);
      return reply.code(202).send({ restarted: true });
    },
  );

  app.post(
    '/v1/orders/:orderId/book-draft',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['orders'],
        summary: 'Book a reviewed draft invoice (and register its payment)',
        params: orderIdParams,
        response: { 202: z.object({ accepted: z.boolean() }), 401: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const order = await findOrder(req.shopId, req.params.orderId);
      if (order.status !== 'drafted') {
        throw new ApiError(409, 'not_drafted', `order is ${order.status}, not drafted`);
      }
      await temporal.workflow.getHandle(workflowIds.order(req.shopId, order.orderId)).signal(bookDraftSignal);
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    '/v1/orders/restart',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['orders'],
        summary: `Restart the failed orders and refunds that match the filter (error code, dates, order number), or those of the ids given; at most ${SELECTION_LIMIT} of each a call and no more than the shop has room for (more: how many are left); answers how many were restarted, their ids and the time to follow them from with POST /v1/orders/progress`,
        description:
          'Within the work limits: at most WORK_PER_REQUEST (default 100) a request, and no more than the shop has room for (RUNNING_WORK_PER_SHOP, default 200 working at once): `more` says how many matched but wait for another call; 429 with Retry-After when the shop has no room now.',
        body: selectionBody,
        response: {
          200: z.object({ matched: z.number(), restarted: z.number(), more: z.number(), orderIds: z.array(z.string()), refundIds: z.array(z.string()), since: z.string() }),
          400: errorBody,
          401: errorBody,
          429: errorBody,
        },
      },
    },
    async (req) => {
      const since = new Date();
      const selected = await selectedBookings(db, req.shopId, req.body, 'failed', SELECTION_LIMIT);
      // Orders first, then refunds, as far as the shop's work limits admit (restartSome, as POST /v1/payouts/restart);
      // the rest is `more`, for the next call.
      const ids = [...selected.orderIds.map((id) => workflowIds.order(req.shopId, id)), ...selected.refundIds.map((id) => workflowIds.refund(req.shopId, id))];
      const { restarted, more } = await restartSome(db, temporal, req.shopId, workLimits, ids);
      const admitted = ids.length - more;
      const orderIds = selected.orderIds.slice(0, admitted);
      const refundIds = selected.refundIds.slice(0, admitted - orderIds.length);
      return { matched: ids.length + selected.more, restarted, more: more + selected.more, orderIds, refundIds, since: since.toISOString() };
    },
  );

  app.post(
    '/v1/refunds/:refundId/restart',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['refunds'],
        summary: 'Try a failed refund booking again, or run an expired one again from its stored refund',
        params: refundIdParams,
        response: { 202: z.object({ restarted: z.boolean() }), 401: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const { refund: r } = await findRefund(req.shopId, req.params.refundId);
      if (r.status === 'expired') {
        const { shopName, ledgerId } = await shopLedger(db, req.shopId);
        await bookRefund(temporal, taskQueue, { shopId: req.shopId, shopName, ledgerId, snapshot: r.snapshot as Refund });
        return reply.code(202).send({ restarted: true });
      }
      if (r.status !== 'failed') {
        throw new ApiError(409, 'not_failed', `refund is ${r.status}; only failed or expired refunds restart`);
      }
      await temporal.workflow.getHandle(workflowIds.refund(req.shopId, r.refundId)).signal(restartSignal);
      return reply.code(202).send({ restarted: true });
    },
  );

  app.get(
    '/v1/refunds/:refundId',
    {
      schema: {
        tags: ['refunds'],
        summary: "A refund's booking state: credit note and refund payment",
        params: refundIdParams,
        response: { 200: refundView, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => (await refundViews([await findRefund(req.shopId, req.params.refundId)]))[0]!,
  );

  app.get(
    '/v1/refunds/:refundId/timeline',
    {
      schema: {
        tags: ['refunds'],
        summary: 'Every state change of the refund, with time and reason (what a waiting refund waits for)',
        params: refundIdParams,
        response: { 200: timelineView, 401: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      await findRefund(req.shopId, req.params.refundId);
      return timeline(req.shopId, 'refund', req.params.refundId);
    },
  );

  app.get(
    '/v1/refunds',
    {
      schema: {
        tags: ['refunds'],
        summary: 'Refunds, filtered by booking status, error code, order, refund date or order number: by refund id with a cursor, or newest first with an offset; with how many match and counts per state and error',
        querystring: refundListQuery,
        response: { 200: z.object({ refunds: z.array(refundView), nextCursor: z.string().nullable(), ...listTotals }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => {
      const { limit, cursor, offset, sort, ...filter } = req.query;
      const page = await listRefunds(db, req.shopId, filter, { limit, cursor, offset, sort });
      return { refunds: await refundViews(page.rows), nextCursor: page.nextCursor, matching: page.matching, facets: page.facets };
    },
  );
};
