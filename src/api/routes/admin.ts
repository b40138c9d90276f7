import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mappingSchema } from '../../domain/mapping';
import { workflowIds } from '../../../workflows/definitions';
import type { graduationWorkflow } from '../../../workflows/graduation';
import { errorBody } from '../errors';
import type { ApiServices } from '../services';
import { createShop } from '../shops';

const createShopBody = z.object({
  name: z.string().min(1).max(200),
  ledger: z
    .object({
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code, e.g. DKK').default('DKK'),
      mode: z.enum(['draft', 'auto']).default('draft'),
      monthlyQuota: z.number().int().positive().nullable().default(null),
      startDate: z.iso.date().default('2000-01-01'),
      trialDays: z.number().positive().max(365).default(14),
    })
    .default({ currency: 'DKK', mode: 'draft', monthlyQuota: null, startDate: '2000-01-01', trialDays: 14 }),
  mapping: mappingSchema.optional(),
});

/** Operator routes, behind the admin key from the environment. */
export const adminRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal, taskQueue }) => {
  app.addHook('onRequest', app.adminOnly);

  app.post(
    '/v1/admin/shops',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a shop with its local ledger; answers the shop API key once',
        body: createShopBody,
        response: {
          201: z.object({ shopId: z.string(), ledgerId: z.string(), apiKey: z.string() }),
          400: errorBody,
          401: errorBody,
        },
      },
    },
    async (req, reply) => {
      const created = await createShop(db, req.body);
      if (req.body.ledger.mode === 'draft') {
        await temporal.workflow.start<typeof graduationWorkflow>('graduationWorkflow', {
          workflowId: workflowIds.graduation(created.ledgerId),
          taskQueue,
          args: [{ ledgerId: created.ledgerId, trialMs: Math.round(req.body.ledger.trialDays * 24 * 3600 * 1000) }],
        });
      }
      return reply.code(201).send(created);
    },
  );
};
