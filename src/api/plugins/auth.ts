import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../../db/client';
import { shops } from '../../../db/schema';
import { ApiError } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    shopId: string;
  }
}

/** API keys are shown once and stored as SHA-256 hashes: they are long random tokens, so no salt or KDF is needed. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
export const newApiKey = () => `lb_${randomBytes(24).toString('base64url')}`;

function bearer(req: FastifyRequest): string {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ApiError(401, 'unauthorized', 'Send your API key as "Authorization: Bearer <key>".');
  return match[1]!;
}

const sameSecret = (a: string, b: string) => timingSafeEqual(Buffer.from(hashApiKey(a)), Buffer.from(hashApiKey(b)));

/** Two guards: `adminOnly` for the operator's key from the environment, `shopOnly` for a shop's own key. */
export const authPlugin = fp(async (app: FastifyInstance, opts: { db: Db; adminApiKey: string }) => {
  app.decorateRequest('shopId', '');
  app.decorate('adminOnly', async (req: FastifyRequest) => {
    if (!sameSecret(bearer(req), opts.adminApiKey)) throw new ApiError(401, 'unauthorized', 'Invalid admin API key.');
    req.identity = 'admin';
  });
  app.decorate('shopOnly', async (req: FastifyRequest) => {
    const [shop] = await opts.db.select({ id: shops.id }).from(shops).where(eq(shops.apiKeyHash, hashApiKey(bearer(req))));
    if (!shop) throw new ApiError(401, 'unauthorized', 'Invalid API key.');
    req.shopId = shop.id;
    req.identity = `shop:${shop.id}`;
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    adminOnly: (req: FastifyRequest) => Promise<void>;
    shopOnly: (req: FastifyRequest) => Promise<void>;
  }
}
