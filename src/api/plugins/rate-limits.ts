import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiError } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request is, once authenticated: `shop:<id>`, `person:<id>` or `admin`. Rate limits count per identity. */
    identity: string;
  }
}

/** The channel webhook route: deliveries come from the platform's many addresses, so they count per shop. */
const CHANNEL_WEBHOOK_ROUTE = '/v1/channels/:platform/:shopId';

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** Counts the request in the limiter's bucket; past its limit, a 429 saying when to retry. */
export async function enforce(limiter: Limiter, req: FastifyRequest, per = 'a minute') {
  const limit = await limiter(req);
  if (limit.isAllowed || !limit.isExceeded) return;
  throw new ApiError(429, 'rate_limited', `Too many requests: at most ${limit.max} ${per}. Retry after ${limit.ttlInSeconds} seconds.`, { retryAfterSeconds: limit.ttlInSeconds });
}

/**
 * Three buckets a minute each. Before authentication, by address: wrong keys count too, so guessing keys is slow.
 * After authentication, by identity (shop or admin), not by the Authorization header's spelling. Channel webhooks by
 * the shop in their URL: one shop's flood (signed or not) never stops another shop's intake.
 */
export const rateLimitsPlugin = fp(async (app: FastifyInstance, opts: { perMinute: number; perAddressPerMinute: number }) => {
  await app.register(rateLimit, { global: false, timeWindow: '1 minute' });
  const byAddress = app.createRateLimit({ max: opts.perAddressPerMinute, keyGenerator: (req) => `address:${req.ip}` });
  const byIdentity = app.createRateLimit({ max: opts.perMinute, keyGenerator: (req) => req.identity });
  const byChannelShop = app.createRateLimit({
    max: opts.perMinute,
    keyGenerator: (req) => `channel:${(req.params as { shopId?: string }).shopId ?? ''}`,
  });

  app.decorateRequest('identity', '');
  app.addHook('onRequest', async (req) => {
    if (req.url === '/health') return;
    await enforce(req.routeOptions.url === CHANNEL_WEBHOOK_ROUTE ? byChannelShop : byAddress, req);
  });
  app.addHook('preHandler', async (req) => {
    if (req.identity) await enforce(byIdentity, req);
  });
});
