import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError, invalidField } from '../errors';
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
      throw invalidField('headers.idempotency-key', 'must be 8–200 characters');
    }
    const fingerprint = createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    if (await claimIdempotencyKey(opts.db, req.shopId, key, fingerprint)) {
      req.idempotency = { key, fingerprint };
      return;
    }
    const seen = await findIdempotencyKey(opts.db, req.shopId, key);
    if (seen && seen.fingerprint !== fingerprint) {
      throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for another request; use a new key.');
    }
    if (!seen || seen.statusCode === CLAIMED) {
      throw new ApiError(409, 'idempotency_key_in_progress', 'A request with this Idempotency-Key is still running; retry in a second to get its answer.', { retryAfterSeconds: 1 });
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
