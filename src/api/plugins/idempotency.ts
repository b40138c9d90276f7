import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { invalidRequest } from '../errors';
import type { Db } from '../../../db/client';
import { CLAIMED, claimIdempotencyKey, findIdempotencyKey, releaseIdempotencyKey, settleIdempotencyKey } from '../../services/idempotency-keys';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { key: string; fingerprint: string };
  }
}

/**
 * `Idempotency-Key` on a shop's POST: the key is claimed before the request runs, the first answer (2xx or 4xx) is
 * stored and replayed for 24 hours, so a client retrying after a lost answer — or sending the same request eight
 * times at once — never starts work twice. The same key with another request is a 422; while the first request
 * still runs, the others get 409 and retry.
 */
export const idempotencyPlugin = fp(async (app: FastifyInstance, opts: { db: Db }) => {
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || typeof key !== 'string' || !req.shopId) return;
    if (key.length < 8 || key.length > 200) {
      return reply.code(400).send(invalidRequest([{ path: 'headers.idempotency-key', message: 'must be 8–200 characters' }]));
    }
    const fingerprint = createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    if (await claimIdempotencyKey(opts.db, req.shopId, key, fingerprint)) {
      req.idempotency = { key, fingerprint };
      return;
    }
    const seen = await findIdempotencyKey(opts.db, req.shopId, key);
    if (seen && seen.fingerprint !== fingerprint) {
      return reply.code(422).send({ error: { code: 'idempotency_key_reused', message: 'This Idempotency-Key was used for another request; use a new key.' } });
    }
    if (!seen || seen.statusCode === CLAIMED) {
      return reply
        .code(409)
        .header('retry-after', '1')
        .send({ error: { code: 'idempotency_key_in_progress', message: 'A request with this Idempotency-Key is still running; retry in a second to get its answer.' } });
    }
    return reply.code(seen.statusCode).header('idempotent-replayed', 'true').type('application/json').send(seen.body);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.idempotency) return payload;
    const { key } = req.idempotency;
    if (reply.statusCode >= 500 || typeof payload !== 'string') await releaseIdempotencyKey(opts.db, req.shopId, key);
    else await settleIdempotencyKey(opts.db, req.shopId, key, reply.statusCode, payload);
    return payload;
  });
});
