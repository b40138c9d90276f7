import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { orders, refunds } from '../../../db/schema';
import { orderSnapshotSignal, refundSnapshotSignal, workflowIds } from '../../../workflows/definitions';
import type { orderWorkflow } from '../../../workflows/order';
import type { refundWorkflow } from '../../../workflows/refund';
import { orderSchema, refundSchema } from '../../domain/order';
import { errorBody } from '../errors';
import type { ApiServices } from '../services';
import { ledgerOfShop } from '../shops';

const accepted = z.object({ workflowId: z.string(), status: z.string() });

/**
 * The generic webhook: a shop (or its plugin) posts canonical orders and refunds. We store the snapshot, then
 * signal-with-start the booking workflow by its business id, so a repeated or late webhook reaches the same booking.
 */
export const webhookRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal, taskQueue }) => {
  app.addHook('onRequest', app.shopOnly);

  app.post(
    '/v1/webhooks/orders',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send an order (new or updated); it is booked once its status is ready',
        body: orderSchema,
        response: { 202: accepted, 400: errorBody, 401: errorBody },
      },
    },
    async (req, reply) => {
      const order = req.body;
      const ledger = await ledgerOfShop(db, req.shopId);
      const row = {
        shopId: req.shopId,
        orderId: order.orderId,
        orderNumber: order.orderNumber,
        ledgerId: ledger.id,
        status: 'waiting',
        currency: order.currency,
        total: order.total,
        orderStatus: order.status,
        snapshot: order,
      };
      const [saved] = await db
        .insert(orders)
        .values(row)
        .onConflictDoUpdate({
          target: [orders.shopId, orders.orderId],
          // The booking status is the workflow's to change; a webhook only refreshes the snapshot.
          set: { orderNumber: row.orderNumber, currency: row.currency, total: row.total, orderStatus: row.orderStatus, snapshot: row.snapshot, updatedAt: sql`now()` },
        })
        .returning({ status: orders.status });
      const workflowId = workflowIds.order(req.shopId, order.orderId);
      await temporal.workflow.signalWithStart<typeof orderWorkflow, [typeof order]>('orderWorkflow', {
        workflowId,
        taskQueue,
        args: [{ shopId: req.shopId, orderId: order.orderId }],
        signal: orderSnapshotSignal,
        signalArgs: [order],
      });
      return reply.code(202).send({ workflowId, status: saved!.status });
    },
  );

  app.post(
    '/v1/webhooks/refunds',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send a refund; it is booked as a credit note once its order is booked',
        body: refundSchema,
        response: { 202: accepted, 400: errorBody, 401: errorBody },
      },
    },
    async (req, reply) => {
      const refund = req.body;
      const ledger = await ledgerOfShop(db, req.shopId);
      const [saved] = await db
        .insert(refunds)
        .values({
          shopId: req.shopId,
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
      const workflowId = workflowIds.refund(req.shopId, refund.refundId);
      await temporal.workflow.signalWithStart<typeof refundWorkflow, [typeof refund]>('refundWorkflow', {
        workflowId,
        taskQueue,
        args: [{ shopId: req.shopId, refundId: refund.refundId }],
        signal: refundSnapshotSignal,
        signalArgs: [refund],
      });
      return reply.code(202).send({ workflowId, status: saved!.status });
    },
  );
};

