import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bookingEvents, orders, refunds } from '../../../db/schema';
import { bookDraftSignal, bookingStatuses, restartSignal, workflowIds } from '../../../workflows/definitions';
import { describeError } from '../../domain/errors';
import { documentStateValues } from '../../domain/posting';
import { errorBody, notFound } from '../errors';
import { documentStates, type StatesByKind } from '../../services/document-states';
import { bookOrder, bookRefund, shopLedger } from '../../services/intake';
import { restartAnswer, restartSome } from '../../services/restart';
import { defaultWorkLimits } from '../../services/work-limits';
import type { Order, Refund } from '../../domain/order';
import type { ApiServices } from '../services';

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

const toOrderView = (o: typeof orders.$inferSelect, states: StatesByKind = {}): z.infer<typeof orderView> => ({
  orderId: o.orderId,
  orderNumber: o.orderNumber,
  status: o.status as (typeof statuses)[number],
  orderStatus: o.orderStatus,
  currency: o.currency,
  total: o.total,
  documents: { invoice: o.invoiceVoucherNumber, payment: o.paymentVoucherNumber },
  documentStates: { invoice: states.invoice ?? null, payment: states.payment ?? null },
  error: errorOf(o.errorCode, o.errorDetails),
  updatedAt: o.updatedAt.toISOString(),
});

// A waiting refund keeps what it waits for in the error columns (a catalog code), so `errorCode` filters find it too.
const toRefundView = (r: typeof refunds.$inferSelect, states: StatesByKind = {}): z.infer<typeof refundView> => ({
  refundId: r.refundId,
  orderId: r.orderId,
  status: r.status as (typeof statuses)[number],
  currency: r.currency,
  amount: r.amount,
  documents: { creditNote: r.creditNoteVoucherNumber, refundPayment: r.refundPaymentVoucherNumber },
  documentStates: { creditNote: states.credit_note ?? null, refundPayment: states.refund_payment ?? null },
  error: r.status === 'waiting' ? null : errorOf(r.errorCode, r.errorDetails),
  waitingFor: r.status === 'waiting' ? errorOf(r.errorCode, r.errorDetails) : null,
  updatedAt: r.updatedAt.toISOString(),
});

/** Filters on the date of the order or refund in the shop (YYYY-MM-DD, inclusive). */
const dateRange = {
  from: z.iso.date().optional().describe('On or after this date (YYYY-MM-DD)'),
  to: z.iso.date().optional().describe('On or before this date (YYYY-MM-DD)'),
};
const withinDates = (isoTimestamp: SQL, from?: string, to?: string): SQL[] => [
  ...(from ? [sql`left(${isoTimestamp}, 10) >= ${from}`] : []),
  ...(to ? [sql`left(${isoTimestamp}, 10) <= ${to}`] : []),
];

const orderIdParams = z.object({ orderId: z.string().min(1).max(200) });
const refundIdParams = z.object({ refundId: z.string().min(1).max(200) });
const timelineView = z.object({ events: z.array(z.object({ at: z.string(), status: z.string(), reason: z.string().nullable() })) });

/** Orders and refunds of the calling shop: their state, timeline, and restarts. */
export const orderRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal, taskQueue, workLimits = defaultWorkLimits }) => {
  app.addHook('onRequest', app.shopOnly);

  const findOrder = async (shopId: string, orderId: string) => {
    const [order] = await db.select().from(orders).where(and(eq(orders.shopId, shopId), eq(orders.orderId, orderId)));
    if (!order) throw notFound(`order ${orderId}`);
    return order;
  };
  const orderViews = async (rows: (typeof orders.$inferSelect)[]) => {
    const statesOf = await documentStates(db, rows.map((o) => ({ ledgerId: o.ledgerId, reference: o.orderId })));
    return rows.map((o) => toOrderView(o, statesOf({ ledgerId: o.ledgerId, reference: o.orderId })));
  };
  const refundViews = async (rows: (typeof refunds.$inferSelect)[]) => {
    const statesOf = await documentStates(db, rows.map((r) => ({ ledgerId: r.ledgerId, reference: r.refundId })));
    return rows.map((r) => toRefundView(r, statesOf({ ledgerId: r.ledgerId, reference: r.refundId })));
  };
  const findRefund = async (shopId: string, refundId: string) => {
    const [refund] = await db.select().from(refunds).where(and(eq(refunds.shopId, shopId), eq(refunds.refundId, refundId)));
    if (!refund) throw notFound(`refund ${refundId}`);
    return refund;
  };
  const timeline = async (shopId: string, subject: 'order' | 'refund', subjectId: string) => {
    const events = await db
      .select()
      .from(bookingEvents)
      .where(and(eq(bookingEvents.shopId, shopId), eq(bookingEvents.subject, subject), eq(bookingEvents.subjectId, subjectId)))
      .orderBy(asc(bookingEvents.id));
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
        summary: 'Orders, filtered by booking status, error code or order date, by order id, with a cursor',
        querystring: z.object({
          status: z.enum(statuses).optional(),
          errorCode: z.string().max(100).optional(),
          ...dateRange,
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().optional().describe('nextCursor of the previous page'),
        }),
        response: { 200: z.object({ orders: z.array(orderView), nextCursor: z.string().nullable() }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => {
      const { status, errorCode, from, to, limit, cursor } = req.query;
      const where: SQL[] = [eq(orders.shopId, req.shopId), ...withinDates(sql`(${orders.snapshot}->>'createdAt')`, from, to)];
      if (status) where.push(eq(orders.status, status));
      if (errorCode) where.push(eq(orders.errorCode, errorCode));
      if (cursor) where.push(gt(orders.orderId, cursor));
      const rows = await db.select().from(orders).where(and(...where)).orderBy(asc(orders.orderId)).limit(limit + 1);
      const page = rows.slice(0, limit);
      return { orders: await orderViews(page), nextCursor: rows.length > limit ? page.at(-1)!.orderId : null };
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
        const { shopName } = await shopLedger(db, req.shopId);
        await bookOrder(temporal, taskQueue, { shopId: req.shopId, shopName, snapshot: order.snapshot as Order, historical: order.historical });
        return reply.code(202).send({ restarted: true });
      }
      if (order.status !== 'failed') {
        return reply.code(409).send({ error: { code: 'not_failed', message: `order is ${order.status}; only failed or expired orders restart` } });
      }
      await temporal.workflow.getHandle(workflowIds.order(req.shopId, order.orderId)).signal(restartSignal);
      return reply.code(202).send({ restarted: true });
    },
  );

  app.post(
    '/v1/orders/:orderId/book-draft',
    {
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
        return reply.code(409).send({ error: { code: 'not_drafted', message: `order is ${order.status}, not drafted` } });
      }
      await temporal.workflow.getHandle(workflowIds.order(req.shopId, order.orderId)).signal(bookDraftSignal);
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    '/v1/orders/restart',
    {
      schema: {
        tags: ['orders'],
        summary: 'Restart every failed order and refund that matches the filter; answers how many were restarted',
        description:
          'At most WORK_PER_REQUEST (default 100) a request, and no more than the shop has room for (RUNNING_WORK_PER_SHOP, default 200 working at once): `remaining` says how many matched but wait for another call; 429 with Retry-After when the shop has no room now.',
        body: z.object({ errorCode: z.string().optional(), subject: z.enum(['order', 'refund', 'all']).default('all') }).default({ subject: 'all' }),
        response: { 200: restartAnswer, 400: errorBody, 401: errorBody, 429: errorBody },
      },
    },
    async (req) => {
      const { errorCode, subject } = req.body;
      const workflowIdsToRestart: string[] = [];
      if (subject !== 'refund') {
        const where: SQL[] = [eq(orders.shopId, req.shopId), eq(orders.status, 'failed')];
        if (errorCode) where.push(eq(orders.errorCode, errorCode));
        const rows = await db.select({ id: orders.orderId }).from(orders).where(and(...where));
        workflowIdsToRestart.push(...rows.map((r) => workflowIds.order(req.shopId, r.id)));
      }
      if (subject !== 'order') {
        const where: SQL[] = [eq(refunds.shopId, req.shopId), eq(refunds.status, 'failed')];
        if (errorCode) where.push(eq(refunds.errorCode, errorCode));
        const rows = await db.select({ id: refunds.refundId }).from(refunds).where(and(...where));
        workflowIdsToRestart.push(...rows.map((r) => workflowIds.refund(req.shopId, r.id)));
      }
      return restartSome(db, temporal, req.shopId, workLimits, workflowIdsToRestart);
    },
  );

  app.post(
    '/v1/refunds/:refundId/restart',
    {
      schema: {
        tags: ['refunds'],
        summary: 'Try a failed refund booking again, or run an expired one again from its stored refund',
        params: refundIdParams,
        response: { 202: z.object({ restarted: z.boolean() }), 401: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const r = await findRefund(req.shopId, req.params.refundId);
      if (r.status === 'expired') {
        const { shopName } = await shopLedger(db, req.shopId);
        await bookRefund(temporal, taskQueue, { shopId: req.shopId, shopName, snapshot: r.snapshot as Refund });
        return reply.code(202).send({ restarted: true });
      }
      if (r.status !== 'failed') {
        return reply.code(409).send({ error: { code: 'not_failed', message: `refund is ${r.status}; only failed or expired refunds restart` } });
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
        summary: 'Refunds, filtered by booking status, error code, order or refund date, by refund id, with a cursor',
        querystring: z.object({
          status: z.enum(statuses).optional(),
          errorCode: z.string().max(100).optional(),
          orderId: z.string().min(1).max(200).optional(),
          ...dateRange,
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().optional().describe('nextCursor of the previous page'),
        }),
        response: { 200: z.object({ refunds: z.array(refundView), nextCursor: z.string().nullable() }), 400: errorBody, 401: errorBody },
      },
    },
    async (req) => {
      const { status, errorCode, orderId, from, to, limit, cursor } = req.query;
      const where: SQL[] = [eq(refunds.shopId, req.shopId), ...withinDates(sql`(${refunds.snapshot}->>'createdAt')`, from, to)];
      if (status) where.push(eq(refunds.status, status));
      if (errorCode) where.push(eq(refunds.errorCode, errorCode));
      if (orderId) where.push(eq(refunds.orderId, orderId));
      if (cursor) where.push(gt(refunds.refundId, cursor));
      const rows = await db.select().from(refunds).where(and(...where)).orderBy(asc(refunds.refundId)).limit(limit + 1);
      const page = rows.slice(0, limit);
      return { refunds: await refundViews(page), nextCursor: rows.length > limit ? page.at(-1)!.refundId : null };
    },
  );
};
