import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { workflowIds } from '../../../workflows/definitions';
import { listAcquirerConnections, payoutDetails, payoutStatus } from '../../services/payout-details';
import { restartBookings } from '../../services/restart';
import { ApiError, errorBody, notFound } from '../errors';
import type { ApiServices } from '../services';

const payoutParams = z.object({ connectionId: z.string().min(1).max(200), payoutId: z.string().min(1).max(200) });
const nullableString = z.string().nullable();

/**
 * What the payouts pages of the app need beyond src/api/routes/payouts.ts: the shop's acquirer connections (to pick
 * one for an upload), a payout's lines with the orders they settled, and a restart of one payout.
 */
export const payoutDetailRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal }) => {
  app.addHook('onRequest', app.shopOnly);

  app.get(
    '/v1/acquirers',
    {
      schema: {
        tags: ['payouts'],
        summary: "The shop's acquirer connections: which acquirer, where payouts come from, whether it takes settlement files",
        response: {
          200: z.object({
            connections: z.array(
              z.object({
                connectionId: z.string(),
                acquirer: z.string(),
                source: z.string(),
                takesFiles: z.boolean().describe('settlement files can be uploaded (POST /v1/acquirers/{connectionId}/settlements)'),
                csvMappingSaved: z.boolean().describe('a generic CSV connection needs its column mapping (PUT /v1/acquirers/{connectionId}/csv-mapping)'),
                createdAt: z.string(),
              }),
            ),
          }),
          401: errorBody,
        },
      },
    },
    async (req) => ({ connections: await listAcquirerConnections(db, req.shopId) }),
  );

  app.get(
    '/v1/payouts/:connectionId/:payoutId/lines',
    {
      schema: {
        tags: ['payouts'],
        summary: "A payout's lines, a page at a time, each with the order it settled or why it went to the error account; with the payout's totals",
        params: payoutParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          // Line numbers are PostgreSQL integers: a larger cursor is refused here, not by the database as a 500.
          cursor: z.coerce.number().int().min(0).max(2_147_483_647).optional().describe('the nextCursor of the previous page (a line number)'),
        }),
        response: {
          200: z.object({
            currency: z.string(),
            totals: z
              .object({
                gross: z.number(),
                fees: z.number(),
                net: z.number(),
                lines: z.number(),
                settled: z.number(),
                settledAmount: z.number(),
                errorAccount: z.number(),
                errorAccountAmount: z.number(),
                disputes: z.number(),
                disputesAmount: z.number(),
              })
              .describe('amounts in minor units of currency'),
            accounts: z.object({ bank: z.string(), fee: z.string(), error: z.string(), disputes: nullableString }).nullable(),
            matched: z.boolean().describe('false until the payout has been matched against the open payments'),
            errorLines: z.array(z.object({ lineNo: z.number(), amount: z.number(), reason: z.string() })).describe('the first 500 lines on the error account, with their reasons'),
            lines: z.array(
              z.object({
                lineNo: z.number(),
                type: z.string(),
                date: z.string(),
                amount: z.number(),
                fee: z.number(),
                currency: z.string(),
                transactionId: nullableString,
                orderReference: nullableString,
                paymentMethod: nullableString,
                description: nullableString,
                destination: z.enum(['receivable', 'disputes', 'fees', 'error_account', 'not_planned']),
                rule: nullableString,
                settles: z.object({ kind: z.enum(['payment', 'refund_payment']), reference: z.string(), orderId: nullableString, orderNumber: nullableString }).nullable(),
                disputes: z.object({ orderId: z.string(), orderNumber: nullableString }).nullable(),
                reason: nullableString,
              }),
            ),
            nextCursor: nullableString,
          }),
          400: errorBody,
          401: errorBody,
          404: errorBody,
        },
      },
    },
    async (req) => {
      const details = await payoutDetails(db, req.shopId, req.params.connectionId, req.params.payoutId, req.query);
      if (!details) throw notFound(`payout ${req.params.payoutId}`);
      return details;
    },
  );

  app.post(
    '/v1/payouts/:connectionId/:payoutId/restart',
    {
      config: { minRole: 'bookkeeper' },
      schema: {
        tags: ['payouts'],
        summary: 'Try a failed payout booking again (no body)',
        params: payoutParams,
        response: { 202: z.object({ restarted: z.boolean() }), 401: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const { connectionId, payoutId } = req.params;
      const status = await payoutStatus(db, req.shopId, connectionId, payoutId);
      if (!status) throw notFound(`payout ${payoutId}`);
      if (status !== 'failed') throw new ApiError(409, 'not_failed', `payout ${payoutId} is ${status}; only a failed payout restarts`);
      const { restarted } = await restartBookings(temporal, [workflowIds.payout(connectionId, payoutId)]);
      return reply.code(202).send({ restarted: restarted === 1 });
    },
  );
};
