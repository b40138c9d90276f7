import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mappingSchema } from '../../domain/mapping';
import { currencySchema } from '../../domain/order';
import { workflowIds } from '../../../workflows/definitions';
import type { graduationWorkflow } from '../../../workflows/graduation';
import { asc, eq } from 'drizzle-orm';
import { ledgers, shops } from '../../../db/schema';
import { hashApiKey, newApiKey } from '../plugins/auth';
import { sealedContext } from '../../crypto/sealed-contexts';
import { ApiError, errorBody, notFound } from '../errors';
import type { ApiServices } from '../services';
import { createShop, monthlyQuotaSchema, newWebhookSecret } from '../shops';

const createShopBody = z.object({
  name: z.string().min(1).max(200),
  ledger: z
    .object({
      currency: currencySchema.default('DKK'),
      mode: z.enum(['draft', 'auto']).default('draft'),
      monthlyQuota: monthlyQuotaSchema.default(null),
      startDate: z.iso.date().default('2000-01-01'),
      trialDays: z.number().positive().max(365).default(14),
    })
    .default({ currency: 'DKK', mode: 'draft', monthlyQuota: null, startDate: '2000-01-01', trialDays: 14 }),
  mapping: mappingSchema.optional(),
  transfer: z
    .enum(['automatic', 'held'])
    .default('automatic')
    .describe('held: a shop onboarding with its history registers everything and posts nothing until it activates automatic transfer'),
});

/** Operator routes, behind the admin key from the environment. */
export const adminRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, { db, temporal, taskQueue, credentials }) => {
  app.addHook('onRequest', app.adminOnly);

  app.post(
    '/v1/admin/shops',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a shop with its local ledger; answers the shop API key once',
        body: createShopBody,
        response: {
          201: z.object({ shopId: z.string(), ledgerId: z.string(), apiKey: z.string(), webhookSecret: z.string().nullable() }),
          400: errorBody,
          401: errorBody,
        },
      },
    },
    async (req, reply) => {
      const created = await createShop(db, req.body, credentials);
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

  app.get(
    '/v1/admin/shops',
    {
      schema: {
        tags: ['admin'],
        summary: 'All shops with their ledger (never their keys)',
        response: { 200: z.object({ shops: z.array(z.object({ shopId: z.string(), name: z.string(), ledgerId: z.string(), mode: z.string(), createdAt: z.string() })) }), 401: errorBody },
      },
    },
    async () => {
      const rows = await db.select({ shop: shops, ledger: ledgers }).from(shops).innerJoin(ledgers, eq(ledgers.shopId, shops.id)).orderBy(asc(shops.createdAt));
      return { shops: rows.map((r) => ({ shopId: r.shop.id, name: r.shop.name, ledgerId: r.ledger.id, mode: r.ledger.mode, createdAt: r.shop.createdAt.toISOString() })) };
    },
  );

  app.post(
    '/v1/admin/shops/:shopId/rotate-api-key',
    {
      schema: {
        tags: ['admin'],
        summary: "Replace a shop's API key; the old one stops working at once. Answers the new key once",
        params: z.object({ shopId: z.string() }),
        response: { 200: z.object({ apiKey: z.string() }), 401: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      const apiKey = newApiKey();
      const updated = await db.update(shops).set({ apiKeyHash: hashApiKey(apiKey) }).where(eq(shops.id, req.params.shopId)).returning({ id: shops.id });
      if (updated.length === 0) throw notFound(`shop ${req.params.shopId}`);
      return { apiKey };
    },
  );

  app.post(
    '/v1/admin/shops/:shopId/rotate-webhook-secret',
    {
      schema: {
        tags: ['admin'],
        summary: "Replace a shop's webhook signing secret. Answers the new secret once",
        params: z.object({ shopId: z.string() }),
        response: { 200: z.object({ webhookSecret: z.string() }), 401: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req) => {
      if (!credentials) throw new ApiError(409, 'credentials_key_missing', 'The operator must set CREDENTIALS_KEY to store webhook secrets.');
      const webhookSecret = newWebhookSecret();
      const updated = await db.update(shops).set({ webhookSecret: credentials.seal(webhookSecret, sealedContext.shopWebhookSecret(req.params.shopId)) }).where(eq(shops.id, req.params.shopId)).returning({ id: shops.id });
      if (updated.length === 0) throw notFound(`shop ${req.params.shopId}`);
      return { webhookSecret };
    },
  );
};
