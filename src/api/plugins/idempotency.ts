import { createHash } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { invalidRequest } from '../errors';
import type { Db } from '../../../db/client';
import { idempotencyKeys } from '../../../db/schema';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { key: string; fingerprint: string };
  }
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * `Idempotency-Key` on a shop's POST: the first answer (2xx or 4xx) is stored and replayed for 24 hours, so a client
 * retrying after a lost answer never starts work twice. The same key with another request is a 422.
 */
export const idempotencyPlugin = fp(async (app: FastifyInstance, opts: { db: Db }) => {
  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const key = req.headers['idempotency-key'];
    if (req.method !== 'POST' || typeof key !== 'string' || !req.shopId) return;
    if (key.length < 8 || key.length > 200) {
      return reply.code(400).send(invalidRequest([{ path: 'headers.idempotency-key', message: 'must be 8–200 characters' }]));
    }
    const fingerprint = createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    const [seen] = await opts.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.shopId, req.shopId), eq(idempotencyKeys.key, key), gt(idempotencyKeys.createdAt, new Date(Date.now() - DAY_MS))));
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        return reply.code(422).send({ error: { code: 'idempotency_key_reused', message: 'This Idempotency-Key was used for another request; use a new key.' } });
      }
      return reply.code(seen.statusCode).header('idempotent-replayed', 'true').type('application/json').send(seen.body);
    }
    req.idempotency = { key, fingerprint };
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.idempotency || reply.statusCode >= 500 || typeof payload !== 'string') return payload;
    await opts.db
      .insert(idempotencyKeys)
      .values({ shopId: req.shopId, key: req.idempotency.key, fingerprint: req.idempotency.fingerprint, statusCode: reply.statusCode, body: payload })
      .onConflictDoUpdate({
        target: [idempotencyKeys.shopId, idempotencyKeys.key],
        set: { fingerprint: req.idempotency.fingerprint, statusCode: reply.statusCode, body: payload, createdAt: new Date() },
      });
    return payload;
  });
});
