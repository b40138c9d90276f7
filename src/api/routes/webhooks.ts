import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { orderSchema, refundSchema } from '../../domain/order';
import { errorBody } from '../errors';
import { takeOrder, takeRefund } from '../../services/webhook-intake';
import type { ApiServices } from '../services';

const accepted = z.object({ workflowId: z.string(), status: z.string() });

/**
 * The generic webhook: a shop (or its plugin) posts canonical orders and refunds. We store the snapshot with its
 * hand-off and answer; the relay then signal-with-starts the booking workflow by its business id, so a repeated or
 * late webhook reaches the same booking, and the answer never waits for Temporal.
 */
export const webhookRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, door) => {
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
    async (req, reply) => reply.code(202).send(await takeOrder(door, req.shopId, req.body)),
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
    async (req, reply) => reply.code(202).send(await takeRefund(door, req.shopId, req.body)),
  );
};

