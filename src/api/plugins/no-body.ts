import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Actions without parameters take no body. `curl -X POST …/approve` sends none, and many clients send an empty one
 * with `content-type: application/json`; both mean "no parameters", which Fastify would otherwise refuse (an empty
 * JSON body is an error, a missing one reaches the schema as null). Both become `{}`, so a route with only optional
 * parameters takes them as left out, and a route that needs a field names that field.
 */
export const noBodyPlugin = fp(async (app: FastifyInstance) => {
  // The JSON parser (src/api/app.ts) reads an empty body as none.
  app.addHook('preValidation', async (req: FastifyRequest) => {
    if (req.body === undefined && req.routeOptions.schema?.body) req.body = {};
  });
});
