import { timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../../../db/client';
import { refusal, roleNeeded, type MerchantRole } from '../../domain/roles';
import { findSession, SESSION_HOURS, type ActiveSession } from '../../services/sessions';
import { hashApiKey, shopIdOfApiKey } from '../../services/shop-keys';
import { ApiError, notFound } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    shopId: string;
    /** The signed-in person's session when the request came with the session cookie rather than a key. */
    personSession: ActiveSession | null;
  }
  interface FastifyContextConfig {
    /** The lowest merchant role that may call this state-changing shop route; owner when unset (docs/APP.md). */
    minRole?: MerchantRole;
  }
}

export const SESSION_COOKIE = 'lb_session';
/**
 * HttpOnly: page scripts never read it. Secure: sent over https only (browsers count http://localhost as secure).
 * SameSite=Strict: no other site's page can make the browser send it, the first line against CSRF; the
 * X-CSRF-Token header is the second.
 */
export const sessionCookieOptions = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

export function setSessionCookie(reply: FastifyReply, token: string) {
  reply.setCookie(SESSION_COOKIE, token, { ...sessionCookieOptions, maxAge: SESSION_HOURS * 3600 });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions);
}

const reads = (req: FastifyRequest) => req.method === 'GET' || req.method === 'HEAD';

function bearer(req: FastifyRequest): string {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) throw new ApiError(401, 'unauthorized', 'Send your API key as "Authorization: Bearer <key>", or sign in (POST /v1/session).');
  return match[1]!;
}

const sameSecret = (a: string, b: string) => timingSafeEqual(Buffer.from(hashApiKey(a)), Buffer.from(hashApiKey(b)));

/** Routes without a shop (people, creating shops) check a session's role with this; a key's holder passed its guard. */
export function requireRole(req: FastifyRequest, needed: MerchantRole) {
  const role = req.personSession?.person.role;
  if (role === 'operator') throw new ApiError(403, 'forbidden', `This needs the ${needed} role of a merchant; operators manage people and shops with POST /v1/admin/merchants/{merchantId}/people and POST /v1/admin/shops.`);
  const why = role && refusal(role, 'POST', needed);
  if (why) throw new ApiError(403, 'forbidden', why);
}

/**
 * Guards. `adminOnly`: the operator's key from the environment, or an operator's session. `shopOnly`: a shop's own
 * key, or a person's session naming the shop in X-Shop-Id. `sessionOnly`: a person's session. A session's
 * state-changing calls carry its CSRF token: the cookie comes with every request the browser makes, the header only
 * from our own page.
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { db: Db; adminApiKey: string }) => {
  await app.register(cookie);
  app.decorateRequest('shopId', '');
  app.decorateRequest('personSession', null);

  /**
   * The session when the request came with a session cookie (valid and CSRF-checked, or this threw); null when it came
   * without one. `shopId`: the shop a shop route names, whose visibility the session's own query answers.
   */
  async function signedIn(req: FastifyRequest, shopId?: string) {
    const token = req.cookies[SESSION_COOKIE];
    if (req.headers.authorization !== undefined || !token) return null;
    const session = await findSession(opts.db, token, shopId);
    if (!session) throw new ApiError(401, 'unauthorized', 'Your session has ended; sign in again (POST /v1/session).');
    if (!reads(req)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
        throw new ApiError(403, 'csrf_failed', 'Send the session\'s csrfToken (GET /v1/session) in the X-CSRF-Token header.');
      }
    }
    req.personSession = session;
    req.identity = `person:${session.person.id}`;
    return session;
  }

  app.decorate('sessionOnly', async (req: FastifyRequest) => {
    if (!(await signedIn(req))) throw new ApiError(401, 'unauthorized', 'Sign in first (POST /v1/session).');
  });

  app.decorate('adminOnly', async (req: FastifyRequest) => {
    if (await signedIn(req)) {
      if (req.personSession!.person.role !== 'operator') throw new ApiError(403, 'forbidden', 'This needs the operator role.');
      return;
    }
    if (!sameSecret(bearer(req), opts.adminApiKey)) throw new ApiError(401, 'unauthorized', 'Invalid admin API key.');
    req.identity = 'admin';
  });

  app.decorate('shopOnly', async (req: FastifyRequest) => {
    const named = req.headers['x-shop-id'];
    const shopId = typeof named === 'string' && named !== '' ? named : undefined;
    const session = await signedIn(req, shopId);
    if (session) {
      const { person } = session;
      if (shopId === undefined) throw new ApiError(400, 'shop_required', 'Name the shop in the X-Shop-Id header (your shops: GET /v1/shops).');
      // Another merchant's shop answers exactly as a shop that does not exist.
      if (!session.shopVisible) throw notFound(`shop ${shopId}`);
      const why = refusal(person.role, req.method, roleNeeded(req.method, req.routeOptions.config.minRole));
      if (why) throw new ApiError(403, 'forbidden', why);
      req.shopId = shopId;
      return;
    }
    const keyShopId = await shopIdOfApiKey(opts.db, bearer(req));
    if (!keyShopId) throw new ApiError(401, 'unauthorized', 'Invalid API key.');
    req.shopId = keyShopId;
    req.identity = `shop:${keyShopId}`;
  });
});

declare module 'fastify' {
  interface FastifyInstance {
    adminOnly: (req: FastifyRequest) => Promise<void>;
    shopOnly: (req: FastifyRequest) => Promise<void>;
    sessionOnly: (req: FastifyRequest) => Promise<void>;
  }
}
