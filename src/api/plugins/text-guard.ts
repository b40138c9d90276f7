import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { unstorableReason, unstorableText } from '../../domain/storable-text';
import { invalidRequest } from '../errors';

/** Refuses such text anywhere in the path, query or JSON body with the usual validation error. */
export const textGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    const parts: [string, unknown][] = [['params', req.params], ['querystring', req.query], ['body', req.body]];
    for (const [root, value] of parts) {
      const path = unstorableText(value, root);
      if (path) return reply.code(400).send(invalidRequest([{ path, message: unstorableReason }]));
    }
  });
});
