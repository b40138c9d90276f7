import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError, errorBody, invalidField, notFound } from '../errors';
import type { ApiServices } from '../services';
import { merchantById } from '../../services/people';
import { allShops } from '../../services/admin-repository';
import { replaceApiKey, replaceWebhookSecret } from '../../services/shop-keys';
import { createdShopBody, newShopBody, openShop } from '../shops';

const createShopBody = newShopBody.extend({
  merchantId: z.string().min(1).max(200).optional().describe('The merchant whose people see the shop (POST /v1/admin/merchants); none when only its API key reaches it'),
});

/** Operator routes, behind the admin key from the environment or an operator's session. */
export const adminRoutes: FastifyPluginAsyncZod<ApiServices> = async (app, services) => {
  const { db, credentials } = services;
  app.addHook('onRequest', app.adminOnly);

  app.post(
    '/v1/admin/shops',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a shop with its local ledger; answers the shop API key once',
        body: createShopBody,
        response: {
          201: createdShopBody,
          400: errorBody,
          401: errorBody,
        },
      },
    },
    async (req, reply) => {
      if (req.body.merchantId && !(await merchantById(db, req.body.merchantId))) {
        throw invalidField('body.merchantId', 'no merchant has this id (GET /v1/admin/merchants)');
      }
      return reply.code(201).send(await openShop(services, req.body));
    },
  );

  app.get(
    '/v1/admin/shops',
    {
      schema: {
        tags: ['admin'],
        summary: 'All shops with their ledger (never their keys)',
        response: { 200: z.object({ shops: z.array(z.object({ shopId: z.string(), name: z.string(), ledgerId: z.string(), mode: z.string(), merchantId: z.string().nullable(), createdAt: z.string() })) }), 401: errorBody },
      },
    },
    async () => {
      const rows = await allShops(db);
      return { shops: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
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
      const apiKey = await replaceApiKey(db, req.params.shopId);
      if (apiKey === null) throw notFound(`shop ${req.params.shopId}`);
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
      const webhookSecret = await replaceWebhookSecret(db, credentials, req.params.shopId);
      if (webhookSecret === null) throw notFound(`shop ${req.params.shopId}`);
      return { webhookSecret };
    },
  );
};
