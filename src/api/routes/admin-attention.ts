import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attentionByShop } from '../../services/operator-attention';
import { errorBody } from '../errors';
import type { ApiServices } from '../services';

const stuck = z.object({
  failed: z.number().int(),
  quotaBlocked: z.number().int(),
  queued: z.number().int().describe('in its ledger’s queue now'),
  needsCorrection: z.number().int(),
  waitingTooLong: z.number().int().describe('still waiting more than a day after it arrived (as on the shop overview)'),
});
const links = z.object({ all: z.string(), failed: z.string(), quotaBlocked: z.string(), needsCorrection: z.string(), waitingTooLong: z.string() });

/** The operator's view across shops: what is stuck where, with the Temporal UI's filtered list for each. */
export const adminAttentionRoutes: FastifyPluginAsyncZod<ApiServices & { temporalUi: { url: string; namespace: string } }> = async (app, { db, temporalUi }) => {
  app.addHook('onRequest', app.adminOnly);

  app.get(
    '/v1/admin/attention',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every shop with its stuck orders, refunds and payouts by state, and links into the Temporal UI listing them',
        response: {
          200: z.object({
            temporalUiUrl: z.string().describe('TEMPORAL_UI_URL'),
            waitingBefore: z.string().describe('arrived before this and still waiting: counted in waitingTooLong'),
            shops: z.array(
              z.object({
                shopId: z.string(),
                name: z.string(),
                merchant: z.string().nullable().describe("the merchant owning the shop; null for a shop made by key alone"),
                ledgerId: z.string(),
                system: z.string(),
                mode: z.string(),
                stuck,
                intake: z
                  .object({
                    pending: z.number().int().describe('deliveries stored and answered, not yet handed to Temporal by the intake relay'),
                    oldestSince: z.string().nullable().describe('when the oldest of them was stored; null when none is pending'),
                  })
                  .describe('the intake relay’s backlog for this shop (README: How intake works)'),
                temporalUi: links.describe("the Temporal UI's workflow list filtered to this shop, per state"),
              }),
            ),
          }),
          401: errorBody,
        },
      },
    },
    async () => attentionByShop(db, temporalUi),
  );
};
