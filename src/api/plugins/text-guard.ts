import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { unstorableReason, unstorableText } from '../../domain/storable-text';
import { invalidField } from '../errors';

/** Refuses such text anywhere in the path, query or JSON body with the usual validation error. */
export const textGuardPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    const parts: [string, unknown][] = [['params', req.params], ['querystring', req.query], ['body', req.body]];
    for (const [root, value] of parts) {
      const path = unstorableText(value, root);
      if (path) throw invalidField(path, unstorableReason);
    }
  });
});
