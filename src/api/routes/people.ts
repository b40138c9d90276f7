import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../../db/client';
import { merchantRoles } from '../../domain/roles';
import { createPerson, listPeople, newResetLink, removePerson, visibleShops } from '../../services/people';
import { ApiError, errorBody, notFound } from '../errors';
import { requireRole } from '../plugins/auth';
import type { ApiServices } from '../services';
import { createdShopBody, newShopBody, openShop } from '../shops';
import type { PeopleOptions } from './session';

export const personView = z.object({ personId: z.string(), email: z.string(), name: z.string(), role: z.string(), createdAt: z.string() });
export const newPersonBody = z.object({ email: z.email().max(320), name: z.string().trim().min(1).max(200), role: z.enum(merchantRoles).default('owner') });
export const createdPersonBody = z.object({ personId: z.string(), resetLink: z.string().describe('Valid 24 hours, once: the person sets a password through it') });

/** Adds a person and answers their first reset link; 409 when the email is someone's already. */
export async function addPerson(db: Db, publicUrl: string, input: Parameters<typeof createPerson>[1]) {
  const person = await createPerson(db, input);
  if (!person) throw new ApiError(409, 'email_taken', `body.email: ${input.email} already belongs to someone (each email signs in one person).`);
  return { personId: person.id, resetLink: await newResetLink(db, publicUrl, person.id) };
}

/** A signed-in person's merchant: its people (owners manage them) and its shops. */
export const peopleRoutes: FastifyPluginAsyncZod<ApiServices & PeopleOptions> = async (app, services) => {
  const { db, publicUrl } = services;
  app.addHook('onRequest', app.sessionOnly);
  /** The signed-in owner's merchant; operators have none (they add people with POST /v1/admin/merchants/{merchantId}/people). */
  const ownersMerchant = (req: Parameters<typeof requireRole>[0]) => {
    requireRole(req, 'owner');
    return req.personSession!.person.merchantId!;
  };

  app.get(
    '/v1/shops',
    {
      schema: {
        tags: ['people'],
        summary: 'The shops the signed-in person may see: their merchant\'s, or every shop for an operator',
        response: { 200: z.object({ shops: z.array(z.object({ id: z.string(), name: z.string(), ledgerId: z.string(), mode: z.string() })) }), 401: errorBody },
      },
    },
    async (req) => ({ shops: await visibleShops(db, req.personSession!.person) }),
  );

  app.post(
    '/v1/shops',
    {
      schema: {
        tags: ['people'],
        summary: "An owner creates a shop for the merchant, with its local ledger; answers the shop's API key once",
        body: newShopBody,
        response: { 201: createdShopBody, 400: errorBody, 401: errorBody, 403: errorBody },
      },
    },
    async (req, reply) => reply.code(201).send(await openShop(services, { ...req.body, merchantId: ownersMerchant(req) })),
  );

  app.get(
    '/v1/people',
    { schema: { tags: ['people'], summary: "The merchant's people (owners only)", response: { 200: z.object({ people: z.array(personView) }), 401: errorBody, 403: errorBody } } },
    async (req) => ({
      people: (await listPeople(db, ownersMerchant(req))).map((p) => ({ personId: p.id, email: p.email, name: p.name, role: p.role, createdAt: p.createdAt.toISOString() })),
    }),
  );

  app.post(
    '/v1/people',
    {
      schema: {
        tags: ['people'],
        summary: 'An owner adds a person to the merchant; answers the reset link through which they set a password',
        body: newPersonBody,
        response: { 201: createdPersonBody, 400: errorBody, 401: errorBody, 403: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      return reply.code(201).send(await addPerson(db, publicUrl, { merchantId: ownersMerchant(req), ...req.body }));
    },
  );

  app.delete(
    '/v1/people/:personId',
    {
      schema: {
        tags: ['people'],
        summary: 'An owner removes a person of the merchant; their sessions end at once',
        params: z.object({ personId: z.string() }),
        response: { 204: z.null(), 401: errorBody, 403: errorBody, 404: errorBody, 409: errorBody },
      },
    },
    async (req, reply) => {
      const merchantId = ownersMerchant(req);
      // An owner who removed themselves could leave the merchant with nobody to manage it.
      if (req.params.personId === req.personSession!.person.id) throw new ApiError(409, 'cannot_remove_yourself', 'Another owner removes you (DELETE /v1/people/{personId}).');
      const outcome = await removePerson(db, merchantId, req.params.personId);
      if (outcome === 'not_found') throw notFound(`person ${req.params.personId}`);
      if (outcome === 'last_owner') throw new ApiError(409, 'last_owner', 'The merchant would have no owner left; make another person owner first (POST /v1/people).');
      return reply.code(204).send(null);
    },
  );
};
