import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createMerchant, listMerchants, merchantById, newResetLink, personById } from '../../services/people';
import { errorBody, notFound } from '../errors';
import type { ApiServices } from '../services';
import { addPerson, createdPersonBody, newPersonBody } from './people';
import type { PeopleOptions } from './session';

const merchantView = z.object({ merchantId: z.string(), name: z.string(), shopIds: z.array(z.string()), people: z.number().int(), createdAt: z.string() });

/** Operator routes for merchants and their people (docs/APP.md): behind the admin key or an operator's session. */
export const adminPeopleRoutes: FastifyPluginAsyncZod<ApiServices & PeopleOptions> = async (app, { db, publicUrl }) => {
  app.addHook('onRequest', app.adminOnly);

  app.post(
    '/v1/admin/merchants',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a merchant: the business whose people see its shops',
        body: z.object({ name: z.string().trim().min(1).max(200) }),
        response: { 201: z.object({ merchantId: z.string(), name: z.string() }), 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => {
      const merchant = await createMerchant(db, req.body.name);
      return reply.code(201).send({ merchantId: merchant.id, name: merchant.name });
    },
  );

  app.get(
    '/v1/admin/merchants',
    { schema: { tags: ['admin'], summary: 'All merchants with their shops and how many people they have', response: { 200: z.object({ merchants: z.array(merchantView) }), 401: errorBody, 403: errorBody } } },
    async () => ({
      merchants: (await listMerchants(db)).map((m) => ({ merchantId: m.id, name: m.name, shopIds: m.shopIds, people: m.people, createdAt: new Date(m.createdAt).toISOString() })),
    }),
  );

  app.post(
    '/v1/admin/merchants/:merchantId/people',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a person to a merchant; answers the reset link through which they set a password',
        params: z.object({ merchantId: z.string() }),
        body: newPersonBody,
        response: { 201: createdPersonBody, 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      if (!(await merchantById(db, req.params.merchantId))) throw notFound(`merchant ${req.params.merchantId}`);
      return reply.code(201).send(await addPerson(db, publicUrl, { merchantId: req.params.merchantId, ...req.body }));
    },
  );

  app.post(
    '/v1/admin/operators',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add an operator: reads every shop and uses the admin routes; answers their reset link',
        body: newPersonBody.omit({ role: true }),
        response: { 201: createdPersonBody, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      return reply.code(201).send(await addPerson(db, publicUrl, { merchantId: null, role: 'operator', ...req.body }));
    },
  );

  app.post(
    '/v1/admin/people/:personId/reset-link',
    {
      schema: {
        tags: ['admin'],
        summary: 'A new reset link for a person (valid 24 hours, once); their password stays until they use it',
        params: z.object({ personId: z.string() }),
        response: { 200: z.object({ resetLink: z.string() }), 401: errorBody, 403: errorBody, 404: errorBody },
      },
    },
    async (req) => {
      if (!(await personById(db, req.params.personId))) throw notFound(`person ${req.params.personId}`);
      return { resetLink: await newResetLink(db, publicUrl, req.params.personId) };
    },
  );
};
